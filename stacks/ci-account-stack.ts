import type { Construct } from 'constructs';
import { Aspects } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { EnvironmentConfig, StateConfig } from '../config/types';
import type { CiRoles, StackInventory } from '../modules';
import { stateStackNames, stateStackTags } from '../naming';
import { DEFAULT_PACKS, PolicyAspect } from '../policy';
import { addBackend } from './backend';
import { addCiIdentities } from './ci-identities';
import { ReadableStack } from './readable-stack';
import { AWS_PROVIDER_VERSION } from './web-stack';

export { ciAccountIds } from '../naming';

export interface CiAccountStackProps {
  /** Project name: the stack is `<project>-ci-<account>`. */
  readonly project: string;
  /** The validated state section (its `ci`, its bucket: this stack's state is kept there too). */
  readonly state: StateConfig;
  /** The account of the identities. */
  readonly accountId: string;
  /** The environments of that account. */
  readonly environments: readonly EnvironmentConfig[];
  /** What each environment's stack holds, by environment name. */
  readonly inventories: Readonly<Record<string, StackInventory>>;
}

/**
 * The CI identities of an account other than the state's — of the bootstrap family: the CI host's OpenID
 * Connect provider and the plan and deploy roles of the environments that live in it, made in that account by
 * `npm run bootstrap` with its credentials. Its state is in the state bucket (the state stack grants the
 * account's roles their environments' objects and nothing else).
 */
export class CiAccountStack extends ReadableStack {
  readonly ci: CiRoles;

  constructor(scope: Construct, props: CiAccountStackProps) {
    const { project, state, accountId } = props;
    const name = stateStackNames.ciAccountStack(project, accountId);
    super(scope, name);
    new AwsProvider(this, 'aws', {
      region: state.region,
      allowedAccountIds: [accountId],
      defaultTags: [{ tags: stateStackTags(project) }],
    });
    this.addOverride('terraform.required_providers.aws', { source: 'hashicorp/aws', version: AWS_PROVIDER_VERSION });
    this.addOverride('terraform.required_version', '>= 1.10.0');
    addBackend(this, {
      project,
      stackName: name,
      keyScope: `ci-${accountId}`,
      region: state.region,
      backend: { kind: state.backend },
      state,
      accountId,
    });
    Aspects.of(this).add(new PolicyAspect(DEFAULT_PACKS));
    this.ci = addCiIdentities(this, { project, state, accountId, environments: props.environments, inventories: props.inventories });
  }
}
