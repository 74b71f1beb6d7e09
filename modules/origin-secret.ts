import { Construct } from 'constructs';
import { Fn } from 'cdktf';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { names } from '../naming';

export interface OriginSecretProps {
  /** Name prefix, e.g. `web-prod`. */
  readonly prefix: string;
  /** Key that encrypts the secret (the stack's). */
  readonly kmsKeyArn: string;
  /** Keep a deleted secret restorable for 30 days; otherwise it goes at once (a re-created stack reuses the name). */
  readonly protect: boolean;
}

/**
 * The value of the header CloudFront adds to every request it sends the load balancer, and the load balancer
 * requires: a shared secret that proves a request came through our distributions, not from another CloudFront
 * distribution that also reaches the origin-facing addresses.
 *
 * No value is ever written down. Terraform's `uuid()` draws 128 random bits at the first apply (the value is
 * unknown at plan, so it is in neither the synthesized JSON nor a plan), the secret version keeps it
 * (`ignore_changes`: later plans leave it alone), and CloudFront's origin and the listener rule read it from
 * there by reference at apply time. It lives in Secrets Manager (encrypted with the stack key) and in the
 * encrypted state. To rotate: `terraform apply -replace=<secret version address>`; requests fail with 403
 * until the distributions have deployed the new value (a few minutes).
 */
export class OriginSecret extends Construct {
  readonly secret: SecretsmanagerSecret;
  readonly version: SecretsmanagerSecretVersion;

  constructor(scope: Construct, id: string, props: OriginSecretProps) {
    super(scope, id);
    this.secret = new SecretsmanagerSecret(this, 'default', {
      name: names.originSecret(props.prefix),
      description: `${props.prefix}: value of the origin header CloudFront sends and the load balancer requires`,
      kmsKeyId: props.kmsKeyArn,
      recoveryWindowInDays: props.protect ? 30 : 0,
    });
    this.version = new SecretsmanagerSecretVersion(this, 'version', {
      secretId: this.secret.id,
      secretString: Fn.replace(Fn.uuid(), '-', ''),
      lifecycle: { ignoreChanges: ['secret_string'] },
    });
  }

  /** The header value, as Terraform reads it at apply time. */
  get value(): string {
    return this.version.secretString;
  }
}
