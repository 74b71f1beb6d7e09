/**
 * Typed environment configuration. One `EnvironmentConfig` becomes one web stack (`<project>-<name>`).
 * Everything here is validated by `validateEnvironments()` before a single construct is built.
 */

/** How private app subnets reach the internet. */
export type NatStrategy = 'none' | 'single' | 'perAz';

/** Database engines the platform supports. */
export type DbEngine = 'mysql' | 'postgres';

/** How the auto scaling group follows load. */
export type ScalingMode = 'step' | 'targetTracking';

/** Backend kinds for the Terraform state of a stack. */
export type BackendKind = 's3' | 'local' | 'pg' | 'cloud';

/** Default encryption of the state bucket: SSE-KMS with the bootstrap stack's rotating key, or SSE-S3. */
export type StateEncryption = 'kms' | 's3';

/**
 * HTTPS for the load balancer. Give either `hostedZoneId` (we issue an ACM certificate validated by DNS
 * in that zone and publish an alias record for `domainName`) or `certificateArn` (an existing certificate
 * in the stack's region that covers `domainName`), not both.
 */
export interface HttpsConfig {
  /** Fully qualified name users reach the application at, e.g. `app.example.com`. */
  readonly domainName: string;
  /** Route 53 public hosted zone that holds `domainName`. @default - none; then `certificateArn` is required */
  readonly hostedZoneId?: string;
  /** ARN of an existing ACM certificate. @default - none; then `hostedZoneId` is required */
  readonly certificateArn?: string;
}

/** The relational database of an environment. */
export interface DatabaseConfig {
  /** Engine. @default 'mysql' */
  readonly engine: DbEngine;
  /** Engine version: a supported major (`8.4`, `16`) or a full version (`8.4.5`, `16.8`). */
  readonly engineVersion: string;
  /** RDS instance class, e.g. `db.t4g.micro`. */
  readonly instanceClass: string;
  /** Initial storage in GiB (gp3; 20–65536). */
  readonly allocatedStorageGiB: number;
  /** Storage autoscaling cap in GiB; must be ≥ `allocatedStorageGiB`. */
  readonly maxAllocatedStorageGiB: number;
  /** Keep a synchronous standby in a second AZ. */
  readonly multiAz: boolean;
  /** Days of automated backups, 0–35 (≥ 1 when `multiAz`). */
  readonly backupRetentionDays: number;
  /** Initial database (schema) name. @default 'app' */
  readonly databaseName: string;
  /** Master user name; the password is generated and kept by Secrets Manager. @default 'app_admin' */
  readonly masterUsername: string;
}

/** The web tier: launch template, auto scaling group and load balancer target. */
export interface ComputeConfig {
  /** EC2 instance type, e.g. `t3.micro`. */
  readonly instanceType: string;
  /** Smallest group size. */
  readonly minSize: number;
  /** Initial desired capacity (`min ≤ desired ≤ max`). */
  readonly desiredCapacity: number;
  /** Largest group size. */
  readonly maxSize: number;
  /** TCP port the application listens on inside the instances (1024–65535). */
  readonly appPort: number;
  /** HTTP path the load balancer probes; must answer 200. */
  readonly healthCheckPath: string;
  /**
   * Public SSM parameter that names the AMI (resolved by EC2 at launch through `resolve:ssm:`).
   * @default - '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64'
   */
  readonly amiSsmParameter: string;
  /** Step scaling on CPU (the seeds' rule) or target tracking. @default 'step' */
  readonly scaling: ScalingMode;
}

/**
 * S3 remote state (the default): key `<project>/<env>/<stack>.tfstate`, `encrypt`, and S3-native locking
 * (`use_lockfile`). With no `bucket`, the state section's bucket, region and key are used.
 */
export interface S3BackendConfig {
  readonly kind: 's3';
  /** State bucket. @default - the state section's `bucket` (made by the bootstrap stack); required without one */
  readonly bucket?: string;
  /** Bucket region. @default - the state section's `region` when `bucket` is the default, else the environment's region */
  readonly region?: string;
  /**
   * DynamoDB table for locking in addition to the S3 lock file (Terraform calls it deprecated, kept for
   * teams that still run older Terraform against the same state). @default - none
   */
  readonly dynamodbTable?: string;
  /**
   * KMS key that encrypts the state objects: a key id, key ARN, `alias/<name>` or alias ARN.
   * @default - the bootstrap key's alias (`alias/<project>-tfstate`) when `bucket` is the default and the state
   *   section's `encryption` is `kms`; otherwise none: objects are SSE-S3 (AES-256)
   */
  readonly kmsKeyId?: string;
  /** IAM role the backend assumes to reach the bucket (the `assume_role` block). @default - none: the caller's credentials */
  readonly roleArn?: string;
}

/** Local state in the stack's directory under `cdktf.out/stacks/`, for a first offline try only. */
export interface LocalBackendConfig {
  readonly kind: 'local';
}

/**
 * PostgreSQL state (the `pg` backend) for self-hosted teams: schema `<project>_<env>` per stack. The
 * connection string is read by Terraform from the environment variable PG_CONN_STR only; it is never
 * written to any file.
 */
export interface PgBackendConfig {
  readonly kind: 'pg';
}

/** HCP Terraform (the `cloud` block): runs happen remotely, one workspace per stack named after the stack. */
export interface CloudBackendConfig {
  readonly kind: 'cloud';
  /** HCP Terraform organization. */
  readonly organization: string;
  /** HCP Terraform project the workspaces belong to. @default - the organization's default project */
  readonly project?: string;
  /** Host of HCP Terraform or of a Terraform Enterprise installation. @default 'app.terraform.io' */
  readonly hostname?: string;
}

export type BackendConfig = S3BackendConfig | LocalBackendConfig | PgBackendConfig | CloudBackendConfig;

/**
 * The bootstrap (`<project>-state`) stack, made once per account and region: the state bucket and, when
 * asked for, a DynamoDB lock table.
 */
export interface StateConfig {
  /** 12-digit AWS account that holds the state (the stack's provider refuses any other). */
  readonly accountId: string;
  /** Region of the bucket and the lock table. */
  readonly region: string;
  /** Globally unique bucket name; environments' s3 backends use it unless they name another. */
  readonly bucket: string;
  /** Default encryption of the bucket. @default 'kms' (a customer-managed key, rotated yearly) */
  readonly encryption: StateEncryption;
  /** Days a replaced (noncurrent) state version is kept before it expires (1–3650). */
  readonly noncurrentVersionDays: number;
  /** Name of a DynamoDB lock table to create (on demand, point-in-time recovery, encrypted). @default - none */
  readonly lockTable?: string;
  /**
   * Where the bootstrap stack keeps its own state: `local` to create the bucket, then `s3` to move the
   * state into the bucket it made (`terraform init -migrate-state`, docs/deploy.md).
   */
  readonly backend: 'local' | 's3';
}

/** AWS WAF in front of the load balancer. */
export interface WebFirewallConfig {
  /**
   * Put a web ACL with AWS managed rule groups and a per-IP rate limit in front of the load balancer.
   * Turning it off also needs a policy suppression of rule `elb-waf` with a reason.
   * @default true
   */
  readonly enabled: boolean;
  /** Requests one client IP may send in 5 minutes before WAF blocks it (100–2000000000). @default 2000 */
  readonly requestsPerFiveMinutes?: number;
}

/** An accepted policy finding: the rule stays on, this environment does not meet it, for this reason. */
export interface PolicySuppression {
  /** Id of a rule in policy/rules (see RULES.md), e.g. `rds-multi-az`. */
  readonly rule: string;
  /** Why the environment accepts the weakness: a real sentence (validated; printed by `npm run synth`). */
  readonly reason: string;
}

/** One deployable environment. */
export interface EnvironmentConfig {
  /** Environment name: lower-case letters and digits, starting with a letter, 2–12 characters (`dev`, `prod`). */
  readonly name: string;
  /** 12-digit AWS account the stack may be deployed to (the provider refuses any other). */
  readonly accountId: string;
  /** AWS region, e.g. `eu-west-1`. */
  readonly region: string;
  /** 2 or 3 distinct availability zones of `region`. Order is part of the subnet layout: append only. */
  readonly availabilityZones: readonly string[];
  /** VPC IPv4 CIDR, private range, prefix /16–/23. */
  readonly vpcCidr: string;
  /** NAT gateways: none, one shared, or one per AZ. */
  readonly natGateways: NatStrategy;
  readonly compute: ComputeConfig;
  readonly database: DatabaseConfig;
  /**
   * Protect what holds data: RDS deletion protection, a final snapshot, `prevent_destroy` on the
   * database and log bucket, and ALB deletion protection; `npm run destroy` refuses the stack unless given
   * `--allow-destroy-protected-data`.
   */
  readonly deletionProtection: boolean;
  /** AWS WAF settings. @default - { enabled: true, requestsPerFiveMinutes: 2000 } */
  readonly webFirewall?: WebFirewallConfig;
  /**
   * E-mail address subscribed to the alerts topic (alarms and scaling events). AWS e-mails a confirmation
   * link first. For on-call, subscribe a paging tool to the `alerts_topic_arn` output instead or as well.
   * @default - none: the topic has no subscription (a policy warning)
   */
  readonly alarmEmail?: string;
  /** HTTPS settings. @default - none: plain HTTP with a synth-time warning */
  readonly https?: HttpsConfig;
  /** Days to keep VPC flow logs and other CloudWatch logs. */
  readonly logRetentionDays: number;
  /** Terraform state backend of the environment's stack. */
  readonly backend: BackendConfig;
  /**
   * Policy rules this environment knowingly does not meet, each with its reason. They cover the whole
   * environment stack, are recorded in its synthesized output and listed by `npm run synth`.
   * @default - none: every rule of every pack must pass
   */
  readonly policySuppressions?: readonly PolicySuppression[];
  /** Extra tags on every resource (added to project / environment / managed-by). @default - none */
  readonly tags?: Readonly<Record<string, string>>;
}

/** The whole configuration of the app. */
export interface PlatformConfig {
  /** Project name used in stack names, resource names and state keys (`web`). */
  readonly project: string;
  readonly environments: readonly EnvironmentConfig[];
  /** The bootstrap stack and the default state bucket. @default - none: no bootstrap stack; s3 backends name their bucket */
  readonly state?: StateConfig;
}
