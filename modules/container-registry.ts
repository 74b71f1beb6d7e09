import { Construct } from 'constructs';
import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { names } from '../naming';
import { canonicalJson } from './policy-statements';

export interface ContainerRegistryProps {
  /** Name prefix, e.g. `web-prod`; the repository is `<prefix>-app`. */
  readonly prefix: string;
  /** Customer-managed key of this stack that encrypts the images. */
  readonly kmsKeyArn: string;
  /** Images kept (the newest; older ones expire). */
  readonly keepImages: number;
  /** Keep the repository and its images when the stack is destroyed (`prevent_destroy`, no `force_delete`). */
  readonly protect: boolean;
}

/**
 * The ECR repository of the environment's releases: immutable tags (a tag once pushed always names the same
 * image), a scan for vulnerabilities on every push, encryption with the stack's key, and a lifecycle that
 * keeps the newest `keepImages` images.
 */
export class ContainerRegistry extends Construct {
  readonly repository: EcrRepository;

  constructor(scope: Construct, id: string, props: ContainerRegistryProps) {
    super(scope, id);
    this.repository = new EcrRepository(this, 'default', {
      name: names.containerRepository(props.prefix),
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: 'KMS', kmsKey: props.kmsKeyArn }],
      forceDelete: !props.protect,
      lifecycle: props.protect ? { preventDestroy: true } : undefined,
    });
    new EcrLifecyclePolicy(this, 'lifecycle', {
      repository: this.repository.name,
      policy: canonicalJson({
        rules: [
          {
            rulePriority: 1,
            description: `Keep the newest ${props.keepImages} images`,
            selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: props.keepImages },
            action: { type: 'expire' },
          },
        ],
      }),
    });
  }

  /** `<account>.dkr.ecr.<region>.amazonaws.com/<name>`: what `docker push` and the instances use. */
  get repositoryUrl(): string {
    return this.repository.repositoryUrl;
  }

  get repositoryArn(): string {
    return this.repository.arn;
  }
}
