import { platform, state } from '../../config/environments';
import { CONTAINER_RELEASE, configWith, freeCidr, type AnyEnv } from './config';

/** A malformed configuration and the exact problems it must produce. */
export interface BadConfig {
  readonly name: string;
  readonly config: unknown;
  readonly problems: readonly string[];
}

const prodWith = (edit: (env: AnyEnv) => void) => configWith(edit, 'prod');
/** A valid hand-written suppression, to put a malformed one after. */
const ACCEPTED = { rule: 'elb-waf', reason: 'An upstream CDN with its own WAF filters all traffic to this load balancer.' };
const devWith = (edit: (env: AnyEnv) => void) => configWith(edit, 'dev');

/** Plain variables that would not fit in EC2's 16 KB of user data. */
const LARGE_ENVIRONMENT = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`VALUE_${i}`, 'x'.repeat(1000)]));

/** The shipped config with `ci` as its state section's CI section. */
const withCi = (ci: unknown): unknown => ({ ...platform, state: { ...state, ci } });
/**
 * prod with a tag, a variable and a secret, and "__proto__" as a key of each map besides: an own key, as
 * JSON.parse keeps it from a PLATFORM_CONFIG file.
 */
function withProtoKeys(): unknown {
  const config = prodWith((e) => {
    e.application = { ...CONTAINER_RELEASE, environment: { MODE: 'x' }, secrets: { KEY: { secret: 'api/key' } } };
    e.tags = { Team: 'web' };
  }) as any;
  const prod = config.environments.find((e: AnyEnv) => e.name === 'prod');
  for (const [map, value] of [
    [prod.tags, 'x'],
    [prod.application.environment, 'x'],
    [prod.application.secrets, { secret: 'api/x' }],
  ])
    Object.defineProperty(map, '__proto__', { value, enumerable: true, writable: true, configurable: true });
  return config;
}

/** The shipped config without its state section (no bootstrap stack, no default bucket). */
function withoutState(): unknown {
  const { state: _state, ...rest } = platform;
  return rest;
}

/**
 * One entry per validation message at least: wrong types, out-of-range numbers, oversized or overlapping
 * CIDRs, zones of another region, duplicate zones, min > max, unknown engines and versions, retention out
 * of range, half-configured HTTPS, illegal names, unknown backend kinds, bad tags, bad alerting and WAF
 * settings, and policy suppressions of unknown rules or without a real reason. Each lists every
 * problem the config must produce, word for word.
 */
export const BAD_CONFIGS: readonly BadConfig[] = [
  {
    name: 'config is not an object',
    config: 'web',
    problems: ['app: config: got "web"; allowed: an object { project, environments }'],
  },
  {
    name: 'project name has capitals',
    config: { ...platform, project: 'Web' },
    problems: ['app: project: got "Web"; allowed: 2–12 lower-case letters or digits, starting with a letter (used in resource names)'],
  },
  {
    name: 'no environments',
    config: { ...platform, environments: [] },
    problems: ['app: environments: got []; allowed: a non-empty list of environments'],
  },
  {
    name: 'environment is not an object',
    config: { ...platform, environments: [42] },
    problems: ['app: environments[0]: got 42; allowed: an environment object'],
  },
  {
    name: 'illegal environment name',
    config: prodWith((e) => {
      e.name = 'prod_eu';
    }),
    problems: [
      'environment "prod_eu": name: got "prod_eu"; allowed: 2–12 lower-case letters or digits, starting with a letter (used in resource names)',
    ],
  },
  {
    name: 'duplicate environment name',
    config: prodWith((e) => {
      e.name = 'dev';
      e.vpcCidr = freeCidr();
    }),
    problems: ['environment "dev": name: got "dev"; allowed: a name no other environment uses'],
  },
  {
    name: 'account id too short',
    config: prodWith((e) => {
      e.accountId = '1234';
    }),
    problems: ['environment "prod": accountId: got "1234"; allowed: a 12-digit AWS account id'],
  },
  {
    name: 'account id as a number',
    config: prodWith((e) => {
      e.accountId = 111111111111;
    }),
    problems: ['environment "prod": accountId: got 111111111111; allowed: a 12-digit AWS account id'],
  },
  {
    name: 'unknown region',
    config: prodWith((e) => {
      e.region = 'eu-west-9';
    }),
    problems: [
      'environment "prod": region: got "eu-west-9"; allowed: a commercial AWS region such as "eu-west-1" (listed in config/catalog.ts)',
    ],
  },
  {
    name: 'zones not a list',
    config: prodWith((e) => {
      e.availabilityZones = 'eu-west-1a';
    }),
    problems: ['environment "prod": availabilityZones: got "eu-west-1a"; allowed: a list of 2 or 3 availability zones'],
  },
  {
    name: 'a single zone',
    config: prodWith((e) => {
      e.availabilityZones = ['eu-west-1a'];
    }),
    problems: ['environment "prod": availabilityZones: got ["eu-west-1a"]; allowed: 2 to 3 zones (high availability needs at least 2)'],
  },
  {
    name: 'four zones',
    config: prodWith((e) => {
      e.availabilityZones = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c', 'eu-west-1d'];
    }),
    problems: [
      'environment "prod": availabilityZones: got ["eu-west-1a","eu-west-1b","eu-west-1c","eu-west-1d"]; allowed: 2 to 3 zones (high availability needs at least 2)',
    ],
  },
  {
    name: 'zone of another region',
    config: prodWith((e) => {
      e.availabilityZones = ['eu-west-1a', 'us-east-1b'];
    }),
    problems: [
      'environment "prod": availabilityZones[1]: got "us-east-1b"; allowed: a zone of region eu-west-1: "eu-west-1a", "eu-west-1b", "eu-west-1c"',
    ],
  },
  {
    name: 'duplicate zones',
    config: prodWith((e) => {
      e.availabilityZones = ['eu-west-1a', 'eu-west-1a'];
    }),
    problems: ['environment "prod": availabilityZones: got ["eu-west-1a","eu-west-1a"]; allowed: distinct zones (repeated: "eu-west-1a")'],
  },
  {
    name: 'malformed CIDR',
    config: prodWith((e) => {
      e.vpcCidr = '10.0.0/16';
    }),
    problems: ['environment "prod": vpcCidr: got "10.0.0/16"; allowed: an IPv4 CIDR such as "10.0.0.0/16"'],
  },
  {
    name: 'CIDR octet out of range',
    config: prodWith((e) => {
      e.vpcCidr = '10.300.0.0/16';
    }),
    problems: ['environment "prod": vpcCidr: got "10.300.0.0/16"; allowed: an IPv4 CIDR such as "10.0.0.0/16"'],
  },
  {
    name: 'CIDR with host bits',
    config: prodWith((e) => {
      e.vpcCidr = '10.20.1.0/16';
    }),
    problems: ['environment "prod": vpcCidr: got "10.20.1.0/16"; allowed: a network address (host bits zero), e.g. "10.0.0.0/16"'],
  },
  {
    name: 'public CIDR',
    config: prodWith((e) => {
      e.vpcCidr = '8.8.0.0/16';
    }),
    problems: [
      'environment "prod": vpcCidr: got "8.8.0.0/16"; allowed: inside a private range: 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16',
    ],
  },
  {
    name: 'oversized CIDR',
    config: prodWith((e) => {
      e.vpcCidr = '10.0.0.0/8';
    }),
    problems: [
      'environment "prod": vpcCidr: got "10.0.0.0/8"; allowed: a prefix from /16 (the largest VPC AWS allows) to /23 (whose public and data subnets are /28, the smallest AWS allows)',
    ],
  },
  {
    name: 'CIDR too small for the layout',
    config: prodWith((e) => {
      e.vpcCidr = '10.20.0.0/24';
    }),
    problems: [
      'environment "prod": vpcCidr: got "10.20.0.0/24"; allowed: a prefix from /16 (the largest VPC AWS allows) to /23 (whose public and data subnets are /28, the smallest AWS allows)',
    ],
  },
  {
    name: 'CIDR overlapping another environment',
    config: prodWith((e) => {
      e.vpcCidr = '10.10.128.0/17';
    }),
    problems: [
      'environment "prod": vpcCidr: got "10.10.128.0/17"; allowed: a range that does not overlap environment "dev" (10.10.0.0/16), so the VPCs can be connected later',
    ],
  },
  {
    name: 'unknown NAT strategy',
    config: prodWith((e) => {
      e.natGateways = 'two';
    }),
    problems: ['environment "prod": natGateways: got "two"; allowed: one of "none", "single", "perAz"'],
  },
  {
    name: 'compute missing',
    config: prodWith((e) => {
      delete e.compute;
    }),
    problems: ['environment "prod": compute: got nothing; allowed: an object'],
  },
  {
    name: 'instance type malformed',
    config: prodWith((e) => {
      e.compute.instanceType = 'large';
    }),
    problems: ['environment "prod": compute.instanceType: got "large"; allowed: an EC2 instance type such as "t3.micro"'],
  },
  {
    name: 'min size negative',
    config: prodWith((e) => {
      e.compute.minSize = -1;
    }),
    problems: ['environment "prod": compute.minSize: got -1; allowed: a whole number from 0 to 100'],
  },
  {
    name: 'desired capacity as a string',
    config: prodWith((e) => {
      e.compute.desiredCapacity = '3';
    }),
    problems: ['environment "prod": compute.desiredCapacity: got "3"; allowed: a whole number from 0 to 100'],
  },
  {
    name: 'max size zero',
    config: prodWith((e) => {
      e.compute.maxSize = 0;
    }),
    problems: ['environment "prod": compute.maxSize: got 0; allowed: a whole number from 1 to 100'],
  },
  {
    name: 'min above desired',
    config: prodWith((e) => {
      e.compute.minSize = 4;
    }),
    problems: [
      'environment "prod": compute.minSize: got 4; allowed: at most compute.desiredCapacity (3): minSize ≤ desiredCapacity ≤ maxSize',
    ],
  },
  {
    name: 'desired above max',
    config: prodWith((e) => {
      e.compute.desiredCapacity = 7;
    }),
    problems: [
      'environment "prod": compute.desiredCapacity: got 7; allowed: at most compute.maxSize (6): minSize ≤ desiredCapacity ≤ maxSize',
    ],
  },
  {
    name: 'min above max',
    config: prodWith((e) => {
      e.compute.minSize = 8;
      e.compute.desiredCapacity = 1.5;
    }),
    problems: [
      'environment "prod": compute.desiredCapacity: got 1.5; allowed: a whole number from 0 to 100',
      'environment "prod": compute.minSize: got 8; allowed: at most compute.maxSize (6)',
    ],
  },
  {
    name: 'app port out of range',
    config: prodWith((e) => {
      e.compute.appPort = 70000;
    }),
    problems: ['environment "prod": compute.appPort: got 70000; allowed: a whole number from 1024 to 65535'],
  },
  {
    name: 'privileged app port',
    config: prodWith((e) => {
      e.compute.appPort = 80;
    }),
    problems: ['environment "prod": compute.appPort: got 80; allowed: a whole number from 1024 to 65535'],
  },
  {
    name: 'health check path relative',
    config: prodWith((e) => {
      e.compute.healthCheckPath = 'health';
    }),
    problems: [
      'environment "prod": compute.healthCheckPath: got "health"; allowed: an absolute URL path such as "/health" (letters, digits, . _ ~ / -)',
    ],
  },
  {
    name: 'AMI parameter not a path',
    config: prodWith((e) => {
      e.compute.amiSsmParameter = 'ami-0123456789abcdef0';
    }),
    problems: [
      'environment "prod": compute.amiSsmParameter: got "ami-0123456789abcdef0"; allowed: an SSM parameter name such as "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"',
    ],
  },
  {
    name: 'unknown scaling mode',
    config: prodWith((e) => {
      e.compute.scaling = 'predictive';
    }),
    problems: ['environment "prod": compute.scaling: got "predictive"; allowed: one of "step", "targetTracking"'],
  },
  {
    name: 'database missing',
    config: prodWith((e) => {
      e.database = null;
    }),
    problems: ['environment "prod": database: got null; allowed: an object'],
  },
  {
    name: 'unknown engine',
    config: prodWith((e) => {
      e.database.engine = 'oracle';
    }),
    problems: ['environment "prod": database.engine: got "oracle"; allowed: one of "mysql", "postgres"'],
  },
  {
    name: 'unknown mysql version',
    config: prodWith((e) => {
      e.database.engineVersion = '5.7';
    }),
    problems: [
      'environment "prod": database.engineVersion: got "5.7"; allowed: a supported mysql version: major "8.0", "8.4" or a full version of one of them (e.g. "8.4.1")',
    ],
  },
  {
    name: 'unknown postgres version',
    config: prodWith((e) => {
      e.database.engine = 'postgres';
      e.database.engineVersion = '8.4';
    }),
    problems: [
      'environment "prod": database.engineVersion: got "8.4"; allowed: a supported postgres version: major "14", "15", "16", "17" or a full version of one of them (e.g. "17.1")',
    ],
  },
  {
    name: 'instance class malformed',
    config: prodWith((e) => {
      e.database.instanceClass = 'm7g.large';
    }),
    problems: ['environment "prod": database.instanceClass: got "m7g.large"; allowed: an RDS instance class such as "db.t4g.micro"'],
  },
  {
    name: 'storage below minimum',
    config: prodWith((e) => {
      e.database.allocatedStorageGiB = 10;
      e.database.maxAllocatedStorageGiB = 10;
    }),
    problems: [
      'environment "prod": database.allocatedStorageGiB: got 10; allowed: a whole number from 20 to 65536',
      'environment "prod": database.maxAllocatedStorageGiB: got 10; allowed: a whole number from 20 to 65536',
    ],
  },
  {
    name: 'storage cap below storage',
    config: prodWith((e) => {
      e.database.maxAllocatedStorageGiB = 40;
    }),
    problems: ['environment "prod": database.maxAllocatedStorageGiB: got 40; allowed: at least database.allocatedStorageGiB (50)'],
  },
  {
    name: 'storage cap not a number',
    config: prodWith((e) => {
      e.database.maxAllocatedStorageGiB = 'lots';
    }),
    problems: ['environment "prod": database.maxAllocatedStorageGiB: got "lots"; allowed: a whole number from 20 to 65536'],
  },
  {
    name: 'multi-AZ not a boolean',
    config: prodWith((e) => {
      e.database.multiAz = 'yes';
    }),
    problems: ['environment "prod": database.multiAz: got "yes"; allowed: true or false'],
  },
  {
    name: 'backup retention out of range',
    config: prodWith((e) => {
      e.database.backupRetentionDays = 36;
    }),
    problems: ['environment "prod": database.backupRetentionDays: got 36; allowed: a whole number from 0 to 35'],
  },
  {
    name: 'no backups on a Multi-AZ database',
    config: prodWith((e) => {
      e.database.backupRetentionDays = 0;
    }),
    problems: ['environment "prod": database.backupRetentionDays: got 0; allowed: at least 1 when database.multiAz is true'],
  },
  {
    name: 'database name with a hyphen',
    config: prodWith((e) => {
      e.database.databaseName = 'my-app';
    }),
    problems: ['environment "prod": database.databaseName: got "my-app"; allowed: a letter then letters, digits or _ (at most 63)'],
  },
  {
    name: 'master user name too long',
    config: prodWith((e) => {
      e.database.masterUsername = 'a_very_long_admin_name';
    }),
    problems: [
      'environment "prod": database.masterUsername: got "a_very_long_admin_name"; allowed: a letter then letters, digits or _ (at most 16)',
    ],
  },
  {
    name: 'reserved master user name',
    config: prodWith((e) => {
      e.database.masterUsername = 'admin';
    }),
    problems: [
      'environment "prod": database.masterUsername: got "admin"; allowed: a name other than the reserved rdsadmin, postgres, root and admin',
    ],
  },
  {
    name: 'a password rotation schedule Secrets Manager refuses',
    config: prodWith((e) => {
      e.database.passwordRotationDays = 0;
    }),
    problems: ['environment "prod": database.passwordRotationDays: got 0; allowed: a whole number from 1 to 1000'],
  },
  {
    name: "a password rotation schedule beyond Secrets Manager's 1000 days",
    config: prodWith((e) => {
      e.database.passwordRotationDays = 1001;
    }),
    problems: ['environment "prod": database.passwordRotationDays: got 1001; allowed: a whole number from 1 to 1000'],
  },
  {
    name: 'deletion protection not a boolean',
    config: prodWith((e) => {
      e.deletionProtection = 1;
    }),
    problems: ['environment "prod": deletionProtection: got 1; allowed: true or false'],
  },
  {
    name: 'https not an object',
    config: prodWith((e) => {
      e.https = true;
    }),
    problems: [
      'environment "prod": https: got true; allowed: absent (plain HTTP) or { domainName, hostedZoneId } or { domainName, certificateArn }',
    ],
  },
  {
    name: 'https without domain',
    config: prodWith((e) => {
      e.https = { hostedZoneId: 'Z0123456789EXAMPLE' };
    }),
    problems: [
      'environment "prod": https.domainName: got nothing; allowed: a fully qualified lower-case domain name such as "app.example.com"',
    ],
  },
  {
    name: 'https half-configured',
    config: prodWith((e) => {
      e.https = { domainName: 'app.example.com' };
    }),
    problems: [
      'environment "prod": https: got {"domainName":"app.example.com"}; allowed: exactly one of https.hostedZoneId (issue a DNS-validated certificate) or https.certificateArn (use an existing one)',
    ],
  },
  {
    name: 'https with zone and certificate',
    config: prodWith((e) => {
      e.https = {
        domainName: 'app.example.com',
        hostedZoneId: 'Z0123456789EXAMPLE',
        certificateArn: 'arn:aws:acm:eu-west-1:111111111111:certificate/00000000-0000-0000-0000-000000000000',
      };
    }),
    problems: [
      'environment "prod": https: got {"domainName":"app.example.com","hostedZoneId":"Z0123456789EXAMPLE","certificateArn":"arn:aws:acm:eu-west-1:111111111111…; allowed: exactly one of https.hostedZoneId (issue a DNS-validated certificate) or https.certificateArn (use an existing one)',
    ],
  },
  {
    name: 'malformed hosted zone id',
    config: prodWith((e) => {
      e.https = { domainName: 'app.example.com', hostedZoneId: 'example.com' };
    }),
    problems: [
      'environment "prod": https.hostedZoneId: got "example.com"; allowed: a Route 53 hosted zone id such as "Z0123456789ABCDEFGHIJ"',
    ],
  },
  {
    name: 'certificate of another region',
    config: prodWith((e) => {
      e.https = {
        domainName: 'app.example.com',
        certificateArn: 'arn:aws:acm:us-east-1:111111111111:certificate/00000000-0000-0000-0000-000000000000',
      };
    }),
    problems: [
      'environment "prod": https.certificateArn: got "arn:aws:acm:us-east-1:111111111111:certificate/00000000-0000-0000-0000-000000000000"; allowed: an ACM certificate ARN in region eu-west-1',
    ],
  },
  {
    name: 'log retention not a CloudWatch period',
    config: prodWith((e) => {
      e.logRetentionDays = 10;
    }),
    problems: [
      'environment "prod": logRetentionDays: got 10; allowed: one of CloudWatch Logs\' periods: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653',
    ],
  },
  {
    name: 'backend not an object',
    config: prodWith((e) => {
      e.backend = 's3';
    }),
    problems: ['environment "prod": backend: got "s3"; allowed: an object'],
  },
  {
    name: 'unknown backend kind',
    config: prodWith((e) => {
      e.backend = { kind: 'gcs', bucket: 'x' };
    }),
    problems: ['environment "prod": backend.kind: got "gcs"; allowed: one of "s3", "local", "pg", "cloud"'],
  },
  {
    name: 'invalid state bucket name',
    config: prodWith((e) => {
      e.backend = { kind: 's3', bucket: 'My_Bucket' };
    }),
    problems: [
      'environment "prod": backend.bucket: got "My_Bucket"; allowed: an S3 bucket name: 3–63 lower-case letters, digits, dots or hyphens',
    ],
  },
  {
    name: 'unknown backend region',
    config: prodWith((e) => {
      e.backend = { kind: 's3', bucket: 'state-bucket', region: 'moon-1' };
    }),
    problems: [
      'environment "prod": backend.region: got "moon-1"; allowed: a commercial AWS region such as "eu-west-1" (listed in config/catalog.ts)',
    ],
  },
  {
    name: 'invalid lock table name',
    config: prodWith((e) => {
      e.backend = { kind: 's3', bucket: 'state-bucket', dynamodbTable: 'x' };
    }),
    problems: ['environment "prod": backend.dynamodbTable: got "x"; allowed: a DynamoDB table name (3–255 of letters, digits, _ . -)'],
  },
  {
    name: 's3 backend without bucket and no state section',
    config: withoutState(),
    // Every environment keeps the default s3 backend, which then has no bucket.
    problems: platform.environments.map(
      (e) =>
        `environment "${e.name}": backend.bucket: got nothing; allowed: an S3 bucket name: 3–63 lower-case letters, digits, dots or hyphens (required: the config has no state section to take it from)`,
    ),
  },
  {
    name: 'malformed state KMS key',
    config: prodWith((e) => {
      e.backend = { kind: 's3', kmsKeyId: 'arn:aws:kms:eu-west-1:111111111111:key/not-a-key' };
    }),
    problems: [
      'environment "prod": backend.kmsKeyId: got "arn:aws:kms:eu-west-1:111111111111:key/not-a-key"; allowed: a KMS key id, key ARN, "alias/<name>" or alias ARN',
    ],
  },
  {
    name: 'backend role is not a role',
    config: prodWith((e) => {
      e.backend = { kind: 's3', roleArn: 'arn:aws:iam::111111111111:user/ci' };
    }),
    problems: [
      'environment "prod": backend.roleArn: got "arn:aws:iam::111111111111:user/ci"; allowed: an IAM role ARN such as "arn:aws:iam::111111111111:role/terraform-state"',
    ],
  },
  {
    name: 'misspelt s3 backend field',
    config: prodWith((e) => {
      e.backend = { kind: 's3', dynamoDbTable: 'locks' };
    }),
    problems: [
      'environment "prod": backend.dynamoDbTable: got "locks"; allowed: no such field for a "s3" backend — did you mean "dynamodbTable"? (fields: kind, bucket, region, dynamodbTable, kmsKeyId, roleArn)',
    ],
  },
  {
    name: 'local backend with a path',
    config: prodWith((e) => {
      e.backend = { kind: 'local', path: '/tmp/state' };
    }),
    problems: ['environment "prod": backend.path: got "/tmp/state"; allowed: no such field for a "local" backend (fields: kind)'],
  },
  {
    name: 'pg connection string in the config (not echoed)',
    config: prodWith((e) => {
      e.backend = { kind: 'pg', connStr: 'postgres://terraform:s3cret@db.internal/state' };
    }),
    problems: [
      'environment "prod": backend.connStr: got a value (not shown); allowed: no secrets in the config: the database password is generated by Secrets Manager, pg reads PG_CONN_STR, HCP Terraform reads TF_TOKEN_<host> or `terraform login`, s3 uses the AWS credential chain',
    ],
  },
  {
    name: 'cloud backend without organization',
    config: prodWith((e) => {
      e.backend = { kind: 'cloud' };
    }),
    problems: [
      'environment "prod": backend.organization: got nothing; allowed: an HCP Terraform organization name (3–40 letters, digits, _ or -)',
    ],
  },
  {
    name: 'cloud backend with a bad project and host',
    config: prodWith((e) => {
      e.backend = { kind: 'cloud', organization: 'acme', project: 'x', hostname: 'https://app.terraform.io' };
    }),
    problems: [
      'environment "prod": backend.project: got "x"; allowed: an HCP Terraform project name (3–40 letters, digits, spaces, _ or -)',
      'environment "prod": backend.hostname: got "https://app.terraform.io"; allowed: a host name such as "app.terraform.io"',
    ],
  },
  {
    name: 'environment named like the bootstrap stack',
    config: prodWith((e) => {
      e.name = 'state';
    }),
    problems: ['environment "state": name: got "state"; allowed: a name other than "state" (the bootstrap stack is "web-state")'],
  },
  {
    name: 'state section not an object',
    config: { ...platform, state: 'web-tfstate' },
    problems: [
      'app: state: got "web-tfstate"; allowed: absent (no bootstrap stack) or an object { accountId, region, bucket, encryption, noncurrentVersionDays, lockTable, backend, ci }',
    ],
  },
  {
    name: 'state section malformed throughout',
    config: {
      ...platform,
      state: {
        accountId: '42',
        region: 'eu-west-9',
        bucket: 'State_Bucket',
        encryption: 'sse-c',
        noncurrentVersionDays: 0,
        lockTable: 'x',
        backend: 'pg',
      },
    },
    problems: [
      'app: state.accountId: got "42"; allowed: a 12-digit AWS account id',
      'app: state.region: got "eu-west-9"; allowed: a commercial AWS region such as "eu-west-1" (listed in config/catalog.ts)',
      'app: state.bucket: got "State_Bucket"; allowed: an S3 bucket name: 3–63 lower-case letters, digits, dots or hyphens',
      'app: state.encryption: got "sse-c"; allowed: one of "kms", "s3"',
      'app: state.noncurrentVersionDays: got 0; allowed: a whole number from 1 to 3650',
      'app: state.lockTable: got "x"; allowed: a DynamoDB table name (3–255 of letters, digits, _ . -)',
      'app: state.backend: got "pg"; allowed: one of "local", "s3"',
    ],
  },
  {
    name: 'tags not an object',
    config: prodWith((e) => {
      e.tags = ['team'];
    }),
    problems: ['environment "prod": tags: got ["team"]; allowed: an object of string keys and values'],
  },
  {
    name: 'tag key with aws prefix',
    config: prodWith((e) => {
      e.tags = { 'aws:team': 'web' };
    }),
    problems: [
      'environment "prod": tags["aws:team"]: got "aws:team"; allowed: a key of 1–128 letters, digits, spaces or _ . : / = + - @, not starting with "aws:"',
    ],
  },
  {
    name: 'reserved tag key',
    config: prodWith((e) => {
      e.tags = { Environment: 'production' };
    }),
    problems: [
      'environment "prod": tags["Environment"]: got "Environment"; allowed: a key other than Project, Environment, ManagedBy, Name, Tier in any case (set by the stack)',
    ],
  },
  {
    name: 'tag value not a string',
    config: prodWith((e) => {
      e.tags = { CostCenter: 42 };
    }),
    problems: [
      'environment "prod": tags["CostCenter"]: got 42; allowed: a string of at most 256 letters, digits, spaces or _ . : / = + - @',
    ],
  },
  {
    name: 'alarm e-mail without a domain',
    config: prodWith((e) => {
      e.alarmEmail = 'ops@';
    }),
    problems: ['environment "prod": alarmEmail: got "ops@"; allowed: an e-mail address such as "ops@example.com"'],
  },
  {
    name: 'web firewall not an object',
    config: prodWith((e) => {
      e.webFirewall = 'on';
    }),
    problems: [
      'environment "prod": webFirewall: got "on"; allowed: absent (on, 2000 requests per 5 minutes per IP) or an object { enabled, requestsPerFiveMinutes }',
    ],
  },
  {
    name: 'web firewall switch not a boolean',
    config: prodWith((e) => {
      e.webFirewall = { enabled: 'yes' };
    }),
    problems: ['environment "prod": webFirewall.enabled: got "yes"; allowed: true or false'],
  },
  {
    name: 'web firewall rate limit too low',
    config: prodWith((e) => {
      e.webFirewall = { enabled: true, requestsPerFiveMinutes: 50 };
    }),
    problems: ['environment "prod": webFirewall.requestsPerFiveMinutes: got 50; allowed: a whole number from 100 to 2000000000'],
  },
  {
    name: 'usage not an object',
    config: prodWith((e) => {
      e.usage = 'a lot';
    }),
    problems: [
      'environment "prod": usage: got "a lot"; allowed: absent (the defaults) or an object { requestsPerMonth, dataOutGB, natProcessedGB, logIngestedGB, backupStorageGB, s3StorageGB, imageStorageGB }',
    ],
  },
  {
    name: 'usage amount negative',
    config: prodWith((e) => {
      e.usage = { dataOutGB: -5 };
    }),
    problems: ['environment "prod": usage.dataOutGB: got -5; allowed: a number from 0 to 1000000000'],
  },
  {
    name: 'misspelt usage field',
    config: prodWith((e) => {
      e.usage = { requestsPerMonht: 10 };
    }),
    problems: [
      'environment "prod": usage.requestsPerMonht: got 10; allowed: no such field in usage — did you mean "requestsPerMonth"? (fields: requestsPerMonth, dataOutGB, natProcessedGB, logIngestedGB, backupStorageGB, s3StorageGB, imageStorageGB)',
    ],
  },
  {
    name: 'suppressions not a list',
    config: devWith((e) => {
      e.policySuppressions = { rule: 'rds-multi-az' };
    }),
    problems: ['environment "dev": policySuppressions: got {"rule":"rds-multi-az"}; allowed: a list of { rule, reason }'],
  },
  {
    name: 'suppression not an object',
    config: devWith((e) => {
      e.policySuppressions = [ACCEPTED, 'rds-multi-az'];
    }),
    problems: ['environment "dev": policySuppressions[1]: got "rds-multi-az"; allowed: an object { rule, reason }'],
  },
  {
    name: 'suppression of an unknown rule',
    config: devWith((e) => {
      e.policySuppressions = [ACCEPTED, { rule: 'CKV_AWS_16', reason: 'The scanner id is not one of our rule ids.' }];
    }),
    problems: [
      'environment "dev": policySuppressions[1].rule: got "CKV_AWS_16"; allowed: a policy rule id listed in RULES.md, e.g. "rds-multi-az"',
    ],
  },
  {
    name: 'suppression with a placeholder reason',
    config: devWith((e) => {
      e.policySuppressions = [ACCEPTED, { rule: 'elb-waf', reason: 'TODO: explain why this is fine later.' }];
    }),
    problems: [
      'environment "dev": policySuppressions[1].reason: got "TODO: explain why this is fine later."; allowed: a sentence of at least 4 words and 20 characters that starts with a capital letter, ends with a full stop and is not a placeholder (TODO, TBD, FIXME, n/a, …)',
    ],
  },
  {
    name: 'suppression with a reason that is no sentence',
    config: devWith((e) => {
      e.policySuppressions = [ACCEPTED, { rule: 'elb-waf', reason: 'cheaper' }];
    }),
    problems: [
      'environment "dev": policySuppressions[1].reason: got "cheaper"; allowed: a sentence of at least 4 words and 20 characters that starts with a capital letter, ends with a full stop and is not a placeholder (TODO, TBD, FIXME, n/a, …)',
    ],
  },
  {
    name: 'suppression without a reason',
    config: devWith((e) => {
      e.policySuppressions = [ACCEPTED, { rule: 'elb-waf' }];
    }),
    problems: [
      'environment "dev": policySuppressions[1].reason: got nothing; allowed: a sentence of at least 4 words and 20 characters that starts with a capital letter, ends with a full stop and is not a placeholder (TODO, TBD, FIXME, n/a, …)',
    ],
  },
  {
    name: 'rule suppressed twice',
    config: devWith((e) => {
      e.policySuppressions = [ACCEPTED, { rule: 'elb-waf', reason: 'Dev stays without a firewall because it is cheaper.' }];
    }),
    problems: ['environment "dev": policySuppressions[1].rule: got "elb-waf"; allowed: a rule not already suppressed in this environment'],
  },
  {
    name: 'a pinned AMI and an SSM parameter',
    config: prodWith((e) => {
      e.compute = { ...e.compute, amiId: 'ami-0123456789abcdef0' };
    }),
    problems: [
      'environment "prod": compute.amiId: got "ami-0123456789abcdef0"; allowed: either compute.amiId (a pinned AMI) or compute.amiSsmParameter (read when the deploy is planned or at launch), not both',
    ],
  },
  {
    name: 'a pinned AMI with a resolution',
    config: prodWith((e) => {
      const { amiSsmParameter: _, ...c } = e.compute;
      e.compute = { ...c, amiId: 'ami-0123456789abcdef0', amiResolution: 'launch' };
    }),
    problems: [
      'environment "prod": compute.amiResolution: got "launch"; allowed: absent with compute.amiId: a pinned AMI is not read from SSM',
    ],
  },
  {
    name: 'an AMI id too short',
    config: prodWith((e) => {
      const { amiSsmParameter: _, ...c } = e.compute;
      e.compute = { ...c, amiId: 'ami-123' };
    }),
    problems: ['environment "prod": compute.amiId: got "ami-123"; allowed: an AMI id such as "ami-0123456789abcdef0"'],
  },
  {
    name: 'an unknown AMI resolution',
    config: prodWith((e) => {
      e.compute = { ...e.compute, amiResolution: 'boot' };
    }),
    problems: ['environment "prod": compute.amiResolution: got "boot"; allowed: one of "plan", "launch"'],
  },
  {
    name: 'a rollout range wider than 100',
    config: prodWith((e) => {
      e.compute = { ...e.compute, rollout: { minHealthyPercentage: 0, maxHealthyPercentage: 200 } };
    }),
    problems: [
      'environment "prod": compute.rollout: got {"minHealthyPercentage":0,"maxHealthyPercentage":200}; allowed: a minHealthyPercentage and maxHealthyPercentage at most 100 apart (EC2 Auto Scaling refuses more)',
    ],
  },
  {
    name: 'a rollout that can replace nothing',
    config: prodWith((e) => {
      e.compute = { ...e.compute, rollout: { minHealthyPercentage: 100, maxHealthyPercentage: 100 } };
    }),
    problems: [
      'environment "prod": compute.rollout: got {"minHealthyPercentage":100,"maxHealthyPercentage":100}; allowed: a maxHealthyPercentage above 100 when minHealthyPercentage is 100 (with neither room to launch first nor to terminate first, no instance can be replaced)',
    ],
  },
  {
    name: 'rollout checkpoints out of order',
    config: prodWith((e) => {
      e.compute = { ...e.compute, rollout: { checkpointPercentages: [50, 20] } };
    }),
    problems: [
      'environment "prod": compute.rollout.checkpointPercentages: got [50,20]; allowed: increasing whole numbers ending at 100 (the rollout ends with the whole fleet replaced)',
    ],
  },
  {
    name: 'rollout checkpoints that stop short of 100',
    config: prodWith((e) => {
      e.compute = { ...e.compute, rollout: { checkpointPercentages: [50] } };
    }),
    problems: [
      'environment "prod": compute.rollout.checkpointPercentages: got [50]; allowed: increasing whole numbers ending at 100 (the rollout ends with the whole fleet replaced)',
    ],
  },
  {
    name: 'an unknown application kind',
    config: prodWith((e) => {
      e.application = { kind: 'lambda' };
    }),
    problems: ['environment "prod": application.kind: got "lambda"; allowed: one of "placeholder", "container"'],
  },
  {
    name: 'an image without digest',
    config: prodWith((e) => {
      e.application = { ...CONTAINER_RELEASE, image: { tag: 'latest', digest: 'abc' } };
    }),
    problems: [
      'environment "prod": application.image.digest: got "abc"; allowed: an image digest such as "sha256:" followed by 64 hex digits',
    ],
  },
  {
    name: 'a container without image',
    config: prodWith((e) => {
      e.application = { kind: 'container' };
    }),
    problems: ['environment "prod": application.image: got nothing; allowed: an object { repository, tag, digest }'],
  },
  {
    name: 'an image repository with capitals and a tag',
    config: prodWith((e) => {
      e.application = { ...CONTAINER_RELEASE, image: { ...CONTAINER_RELEASE.image, repository: 'ghcr.io/Acme/api:1.0' } };
    }),
    problems: [
      'environment "prod": application.image.repository: got "ghcr.io/Acme/api:1.0"; allowed: an image repository such as "ghcr.io/acme/api" (lower-case; without tag or digest), or absent for the ECR repository of the environment',
    ],
  },
  {
    name: 'an application variable the platform sets',
    config: prodWith((e) => {
      e.application = { ...CONTAINER_RELEASE, environment: { DB_HOST: 'x' } };
    }),
    problems: [
      'environment "prod": application.environment["DB_HOST"]: got "DB_HOST"; allowed: a name the platform does not set itself (APP_PORT, HEALTH_CHECK_PATH, AWS_REGION, DB_ENGINE, DB_HOST, DB_PORT, DB_NAME, DB_SECRET_ARN, DB_USERNAME, DB_CREDENTIALS_FILE, UPLOADS_BUCKET)',
    ],
  },
  {
    name: 'an application secret the platform sets',
    config: prodWith((e) => {
      e.application = { ...CONTAINER_RELEASE, secrets: { DB_CREDENTIALS_FILE: { secret: 'db' } } };
    }),
    problems: [
      'environment "prod": application.secrets["DB_CREDENTIALS_FILE"]: got "DB_CREDENTIALS_FILE"; allowed: a name the platform does not set itself (APP_PORT, HEALTH_CHECK_PATH, AWS_REGION, DB_ENGINE, DB_HOST, DB_PORT, DB_NAME, DB_SECRET_ARN, DB_USERNAME, DB_CREDENTIALS_FILE, UPLOADS_BUCKET)',
    ],
  },
  {
    name: 'a variable both plain and secret',
    config: prodWith((e) => {
      e.application = { ...CONTAINER_RELEASE, environment: { STRIPE_KEY: 'x' } };
    }),
    problems: [
      'environment "prod": application.secrets["STRIPE_KEY"]: got "STRIPE_KEY"; allowed: a name not also given in application.environment',
    ],
  },
  {
    name: 'an application variable with a bad name',
    config: prodWith((e) => {
      e.application = { ...CONTAINER_RELEASE, environment: { 'bad-name': 'x' } };
    }),
    problems: [
      'environment "prod": application.environment["bad-name"]: got "bad-name"; allowed: an environment variable name: upper-case letters, digits and _, not starting with a digit',
    ],
  },
  {
    name: 'an application value over two lines',
    config: prodWith((e) => {
      e.application = { ...CONTAINER_RELEASE, environment: { A: 'x\ny' } };
    }),
    problems: [
      'environment "prod": application.environment["A"]: got "x\\ny"; allowed: a single-line string (no control characters), at most 4096 characters',
    ],
  },
  {
    name: 'a secret reference naming both stores',
    config: prodWith((e) => {
      e.application = { ...CONTAINER_RELEASE, secrets: { A: { secret: 'a', parameter: 'b' } } };
    }),
    problems: [
      'environment "prod": application.secrets["A"]: got {"secret":"a","parameter":"b"}; allowed: an object { secret } (Secrets Manager) or { parameter } (SSM Parameter Store)',
    ],
  },
  {
    name: 'an application too large for user data',
    config: prodWith((e) => {
      e.application = { ...CONTAINER_RELEASE, environment: LARGE_ENVIRONMENT };
    }),
    problems: [
      'environment "prod": application.environment: got 12 variables and 2 secrets, about 29 KB of boot script; allowed: an application whose environment, secrets and command fit in EC2\'s 16 KB of user data with the boot script: move large values into a secret or parameter',
    ],
  },
  {
    name: 'a placeholder with an image',
    config: prodWith((e) => {
      e.application = { kind: 'placeholder', image: {} };
    }),
    problems: ['environment "prod": application.image: got {}; allowed: no such field for a "placeholder" application (fields: kind)'],
  },
  {
    name: 'interface endpoints not a flag',
    config: prodWith((e) => {
      e.interfaceEndpoints = 'yes';
    }),
    problems: ['environment "prod": interfaceEndpoints: got "yes"; allowed: true or false'],
  },
  {
    name: 'a registry that keeps no image',
    config: prodWith((e) => {
      e.application = { ...CONTAINER_RELEASE, keepImages: 0 };
    }),
    problems: ['environment "prod": application.keepImages: got 0; allowed: a whole number from 1 to 1000'],
  },
  {
    name: 'an image from another registry without NAT gateways',
    config: devWith((e) => {
      e.natGateways = 'none';
      e.application = { ...CONTAINER_RELEASE, image: { ...CONTAINER_RELEASE.image, repository: 'ghcr.io/acme/api' } };
    }),
    problems: [
      'environment "dev": application.image.repository: got "ghcr.io/acme/api"; allowed: with natGateways "none", an ECR repository (<account>.dkr.ecr.<region>.amazonaws.com/<name>) or none (the environment\'s own): the instances reach no other registry',
    ],
  },
  {
    name: 'front-ends not a list',
    config: prodWith((e) => {
      e.frontends = { name: 'site' };
    }),
    problems: ['environment "prod": frontends: got {"name":"site"}; allowed: a list of front-ends'],
  },
  {
    name: 'front-end with an illegal name',
    config: devWith((e) => {
      e.frontends = [{ name: 'Web-App' }];
    }),
    problems: [
      'environment "dev": frontends[0].name: got "Web-App"; allowed: 2–12 lower-case letters or digits, starting with a letter (used in resource names)',
    ],
  },
  {
    name: 'two front-ends of one name',
    config: devWith((e) => {
      e.frontends = [{ name: 'web' }, { name: 'web' }];
    }),
    problems: ['environment "dev": frontends[1].name: got "web"; allowed: a name no other front-end of this environment uses'],
  },
  {
    name: 'front-end on the domain of the load balancer',
    config: prodWith((e) => {
      e.frontends = [{ name: 'site', domainName: 'app.example.com' }];
    }),
    problems: [
      'environment "prod": frontends[0].domainName: got "app.example.com"; allowed: a domain name that neither https.domainName nor another front-end uses',
    ],
  },
  {
    name: 'front-end domain without a hosted zone',
    config: devWith((e) => {
      e.frontends = [{ name: 'web', domainName: 'dev.example.com' }];
    }),
    problems: [
      'environment "dev": frontends[0].hostedZoneId: got nothing; allowed: a Route 53 hosted zone id such as "Z0123456789ABCDEFGHIJ" (required with domainName: https has no hostedZoneId to take it from)',
    ],
  },
  {
    name: 'front-end hosted zone without a domain',
    config: devWith((e) => {
      e.frontends = [{ name: 'web', hostedZoneId: 'Z0123456789EXAMPLE' }];
    }),
    problems: ['environment "dev": frontends[0].hostedZoneId: got "Z0123456789EXAMPLE"; allowed: absent without frontends[0].domainName'],
  },
  {
    name: 'allow-list entry not a CIDR',
    config: devWith((e) => {
      e.frontends = [{ name: 'web', allowedIpRanges: ['office'] }];
    }),
    problems: ['environment "dev": frontends[0].allowedIpRanges[0]: got "office"; allowed: an IPv4 CIDR such as "203.0.113.0/24"'],
  },
  {
    name: 'allow-list entry with an octet out of range',
    config: devWith((e) => {
      e.frontends = [{ name: 'web', allowedIpRanges: ['203.0.113.0/24', '300.0.0.0/8'] }];
    }),
    problems: ['environment "dev": frontends[0].allowedIpRanges[1]: got "300.0.0.0/8"; allowed: an IPv4 CIDR such as "203.0.113.0/24"'],
  },
  {
    name: 'allow-list of the whole internet',
    config: devWith((e) => {
      e.frontends = [{ name: 'web', allowedIpRanges: ['0.0.0.0/0'] }];
    }),
    problems: [
      'environment "dev": frontends[0].allowedIpRanges[0]: got "0.0.0.0/0"; allowed: a prefix from /1 to /32 (AWS WAF refuses /0; leave allowedIpRanges out to admit everyone)',
    ],
  },
  {
    name: 'allow-list entry with host bits',
    config: devWith((e) => {
      e.frontends = [{ name: 'web', allowedIpRanges: ['203.0.113.7/24'] }];
    }),
    problems: [
      'environment "dev": frontends[0].allowedIpRanges[0]: got "203.0.113.7/24"; allowed: a network address (host bits zero), e.g. "203.0.113.0/24"',
    ],
  },
  {
    name: 'empty allow-list',
    config: devWith((e) => {
      e.frontends = [{ name: 'web', allowedIpRanges: [] }];
    }),
    problems: [
      'environment "dev": frontends[0].allowedIpRanges: got []; allowed: a list of 1 to 100 IPv4 CIDRs (leave the field out to admit everyone)',
    ],
  },
  {
    name: 'content security policy with a line break',
    config: devWith((e) => {
      e.frontends = [{ name: 'web', contentSecurityPolicy: "default-src 'self';\nscript-src 'self'" }];
    }),
    problems: [
      `environment "dev": frontends[0].contentSecurityPolicy: got "default-src 'self';\\nscript-src 'self'"; allowed: a Content-Security-Policy of at most 1783 printable ASCII characters`,
    ],
  },
  {
    name: 'content security policy with Terraform template sequences',
    config: devWith((e) => {
      e.frontends = [
        { name: 'web', contentSecurityPolicy: "default-src 'self' ${var.origin}" },
        { name: 'admin', contentSecurityPolicy: "default-src %{ if true }'self'%{ endif }" },
      ];
    }),
    problems: [
      `environment "dev": frontends[0].contentSecurityPolicy: got "default-src 'self' \${var.origin}"; allowed: a Content-Security-Policy without "\${" or "%{": no CSP source holds them, and Terraform would read them as a template, not as text`,
      `environment "dev": frontends[1].contentSecurityPolicy: got "default-src %{ if true }'self'%{ endif }"; allowed: a Content-Security-Policy without "\${" or "%{": no CSP source holds them, and Terraform would read them as a template, not as text`,
    ],
  },
  {
    name: 'a front-end domain claimed by two environments',
    config: devWith((e) => {
      e.frontends = [{ name: 'web', domainName: 'admin.example.com', hostedZoneId: 'Z0123456789EXAMPLE' }];
    }),
    problems: [
      'environment "prod": frontends[1].domainName: got "admin.example.com"; allowed: a domain name no other environment uses: environment "dev" has it as frontends[0].domainName (one name reaches one environment: CloudFront gives an alias to one distribution, a hosted zone holds one record of it)',
    ],
  },
  {
    name: 'an https domain claimed by two environments, and by a front-end of another',
    config: devWith((e) => {
      e.https = { domainName: 'app.example.com', hostedZoneId: 'Z0123456789EXAMPLE' };
      e.frontends = [{ name: 'web', domainName: 'www.example.com' }];
    }),
    problems: [
      'environment "prod": https.domainName: got "app.example.com"; allowed: a domain name no other environment uses: environment "dev" has it as https.domainName (one name reaches one environment: CloudFront gives an alias to one distribution, a hosted zone holds one record of it)',
      'environment "prod": frontends[0].domainName: got "www.example.com"; allowed: a domain name no other environment uses: environment "dev" has it as frontends[0].domainName (one name reaches one environment: CloudFront gives an alias to one distribution, a hosted zone holds one record of it)',
    ],
  },
  {
    name: '"__proto__" as a key of the tags, the environment and the secrets (JSON keeps it; JavaScript objects cannot)',
    config: withProtoKeys(),
    problems: [
      'environment "prod": application.environment["__proto__"]: got "__proto__"; allowed: a key other than "__proto__": JavaScript reads it as the prototype of an object, not as a key, so the config cannot carry it (it would be dropped without a word)',
      'environment "prod": application.secrets["__proto__"]: got "__proto__"; allowed: a key other than "__proto__": JavaScript reads it as the prototype of an object, not as a key, so the config cannot carry it (it would be dropped without a word)',
      'environment "prod": tags["__proto__"]: got "__proto__"; allowed: a key other than "__proto__": JavaScript reads it as the prototype of an object, not as a key, so the config cannot carry it (it would be dropped without a word)',
    ],
  },
  {
    name: 'release parameters with an empty level, a trailing "/" and 14 levels',
    config: prodWith((e) => {
      e.application = {
        ...CONTAINER_RELEASE,
        secrets: {
          EMPTY: { parameter: 'api//flag' },
          TRAILING: { parameter: 'api/flag/' },
          DEEP: { parameter: Array.from({ length: 14 }, (_, i) => `l${i}`).join('/') },
        },
      };
    }),
    problems: [
      'environment "prod": application.secrets["EMPTY"].parameter: got "api//flag"; allowed: a parameter name relative to the environment\'s prefix, such as "api/flag": up to 13 levels of letters, digits and _ . -, joined by "/" (none empty; a leading "/" changes nothing)',
      'environment "prod": application.secrets["TRAILING"].parameter: got "api/flag/"; allowed: a parameter name relative to the environment\'s prefix, such as "api/flag": up to 13 levels of letters, digits and _ . -, joined by "/" (none empty; a leading "/" changes nothing)',
      'environment "prod": application.secrets["DEEP"].parameter: got "l0/l1/l2/l3/l4/l5/l6/l7/l8/l9/l10/l11/l12/l13"; allowed: a parameter name relative to the environment\'s prefix, such as "api/flag": up to 13 levels of letters, digits and _ . -, joined by "/" (none empty; a leading "/" changes nothing)',
    ],
  },
  {
    name: 'AMI parameter with an empty level',
    config: prodWith((e) => {
      e.compute = { ...e.compute, amiSsmParameter: '/aws/service//ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64' };
    }),
    problems: [
      'environment "prod": compute.amiSsmParameter: got "/aws/service//ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"; allowed: an SSM parameter name such as "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"',
    ],
  },
  {
    name: 'unknown price class',
    config: prodWith((e) => {
      e.edge = { priceClass: 'PriceClass_50' };
    }),
    problems: [
      'environment "prod": edge.priceClass: got "PriceClass_50"; allowed: one of "PriceClass_100", "PriceClass_200", "PriceClass_All"',
    ],
  },
  {
    name: 'API path that is no pattern',
    config: prodWith((e) => {
      e.edge = { apiPath: 'api' };
    }),
    problems: [
      'environment "prod": edge.apiPath: got "api"; allowed: a path pattern such as "/api/*" (a path ending in *, at most 128 characters)',
    ],
  },
  {
    name: 'API path longer than a load balancer path condition takes',
    config: prodWith((e) => {
      e.frontends[1].apiPath = `/api/${'a'.repeat(123)}*`;
    }),
    problems: [
      `environment "prod": frontends[1].apiPath: got "/api/${'a'.repeat(114)}… (129 characters); allowed: a path pattern such as "/api/*" (a path ending in *, at most 128 characters)`,
    ],
  },
  {
    name: "an allow-listed front-end's API path that another front-end's path starts with",
    config: prodWith((e) => {
      e.frontends[1].apiPath = '/api/*';
    }),
    problems: [
      'environment "prod": frontends[1].apiPath: got "/api/*"; allowed: a path pattern of its own: no other front-end\'s API path may start with "/api" (frontends[0] "site" routes "/api/*"), since a front-end with allowedIpRanges keeps every path starting there to itself',
    ],
  },
  {
    name: "an allow-listed front-end's default API path that another front-end's path starts with",
    config: prodWith((e) => {
      delete e.frontends[1].apiPath;
      e.frontends[0].apiPath = '/api/administrators/*';
    }),
    problems: [
      'environment "prod": frontends[1].apiPath: got nothing (default "/api/admin/*"); allowed: a path pattern of its own: no other front-end\'s API path may start with "/api/admin" (frontends[0] "site" routes "/api/administrators/*"), since a front-end with allowedIpRanges keeps every path starting there to itself',
    ],
  },
  {
    name: 'API behind the edge without https',
    config: devWith((e) => {
      e.edge = { api: true };
    }),
    problems: [
      'environment "dev": edge.api: got true; allowed: false or absent without https: CloudFront reaches the load balancer over HTTPS at https.domainName',
    ],
  },
  {
    name: 'API behind the edge without front-ends',
    config: prodWith((e) => {
      e.frontends = [];
      e.edge = { api: true };
    }),
    problems: [
      'environment "prod": edge.api: got true; allowed: false or absent without frontends: the API goes behind the edge through the distributions of the front-ends',
    ],
  },
  {
    name: 'API behind the edge in a region without a CloudFront prefix list',
    config: prodWith((e) => {
      e.region = 'eu-south-1';
      e.availabilityZones = ['eu-south-1a', 'eu-south-1b', 'eu-south-1c'];
    }),
    problems: [
      'environment "prod": edge.api: got nothing; allowed: false in eu-south-1: config/catalog.ts lists no CloudFront origin-facing prefix list for that region, so the load balancer cannot admit CloudFront alone',
    ],
  },
  {
    name: 'CI section not an object',
    config: withCi('github'),
    problems: [
      'app: state.ci: got "github"; allowed: absent (no CI roles) or an object { provider, repository, mainBranch, identityProvider, maxSessionHours }',
    ],
  },
  {
    name: 'CI section malformed throughout',
    config: withCi({
      provider: 'jenkins',
      repository: 'https://github.com/acme/web',
      mainBranch: 'refs/heads/../main',
      identityProvider: 'reuse',
      maxSessionHours: 24,
    }),
    problems: [
      'app: state.ci.provider: got "jenkins"; allowed: one of "github"',
      'app: state.ci.repository: got "https://github.com/acme/web"; allowed: a GitHub repository "owner/name" as GitHub spells it, such as "acme/web-platform" (owner: up to 39 letters, digits and single hyphens inside; name: up to 100 letters, digits and . _ -, not "." or "..", not ending in ".git"), not a URL: write "acme/web" (the tokens name the repository so)',
      'app: state.ci.mainBranch: got "refs/heads/../main"; allowed: a branch name such as "main" (letters, digits and . _ / -; no "..", no leading or trailing "/" or ".")',
      'app: state.ci.identityProvider: got "reuse"; allowed: one of "create", "existing"',
      'app: state.ci.maxSessionHours: got 24; allowed: a whole number from 1 to 12',
    ],
  },
  {
    name: 'CI repository written with ".git"',
    config: withCi({ provider: 'github', repository: 'acme/web-platform.git' }),
    problems: [
      'app: state.ci.repository: got "acme/web-platform.git"; allowed: a GitHub repository "owner/name" as GitHub spells it, such as "acme/web-platform" (owner: up to 39 letters, digits and single hyphens inside; name: up to 100 letters, digits and . _ -, not "." or "..", not ending in ".git"): write "acme/web-platform" (the tokens name the repository without ".git", so the roles would trust none)',
    ],
  },
  {
    name: 'CI repository as a clone address',
    config: withCi({ provider: 'github', repository: 'git@github.com:Acme/Web.Platform.git' }),
    problems: [
      'app: state.ci.repository: got "git@github.com:Acme/Web.Platform.git"; allowed: a GitHub repository "owner/name" as GitHub spells it, such as "acme/web-platform" (owner: up to 39 letters, digits and single hyphens inside; name: up to 100 letters, digits and . _ -, not "." or "..", not ending in ".git"), not a URL: write "Acme/Web.Platform" (the tokens name the repository so)',
    ],
  },
  ...[
    ['two hyphens in a row in the owner', 'acme--corp/web'],
    ['an owner ending with a hyphen', 'acme-/web'],
    ['an owner of 40 characters', `${'a'.repeat(40)}/web`],
    ['the name ".."', 'acme/..'],
  ].map(([what, repository]) => ({
    name: `CI repository with ${what}`,
    config: withCi({ provider: 'github', repository }),
    problems: [
      `app: state.ci.repository: got "${repository}"; allowed: a GitHub repository "owner/name" as GitHub spells it, such as "acme/web-platform" (owner: up to 39 letters, digits and single hyphens inside; name: up to 100 letters, digits and . _ -, not "." or "..", not ending in ".git")`,
    ],
  })),
  {
    name: 'CI repository with a wildcard',
    config: withCi({ provider: 'github', repository: 'acme/*' }),
    problems: [
      'app: state.ci.repository: got "acme/*"; allowed: a GitHub repository "owner/name" as GitHub spells it, such as "acme/web-platform" (owner: up to 39 letters, digits and single hyphens inside; name: up to 100 letters, digits and . _ -, not "." or "..", not ending in ".git")',
    ],
  },
  {
    name: 'CI section without a repository, and a misspelt field',
    config: withCi({ provider: 'github', repo: 'acme/web' }),
    problems: [
      'app: state.ci.repository: got nothing; allowed: a GitHub repository "owner/name" as GitHub spells it, such as "acme/web-platform" (owner: up to 39 letters, digits and single hyphens inside; name: up to 100 letters, digits and . _ -, not "." or "..", not ending in ".git")',
      'app: state.ci.repo: got "acme/web"; allowed: no such field in state.ci — did you mean "repository"? (fields: provider, repository, mainBranch, identityProvider, maxSessionHours)',
    ],
  },
  {
    name: 'state administrators that are not IAM principal ARNs',
    config: { ...platform, state: { ...state, administrators: ['admin', 'arn:aws:iam::111111111111:group/admins'] } },
    problems: [
      'app: state.administrators[0]: got "admin"; allowed: an IAM role, user or root ARN such as "arn:aws:iam::111111111111:role/Admin"',
      'app: state.administrators[1]: got "arn:aws:iam::111111111111:group/admins"; allowed: an IAM role, user or root ARN such as "arn:aws:iam::111111111111:role/Admin"',
    ],
  },
  {
    name: 'more state administrators than the bucket policy names',
    config: {
      ...platform,
      state: { ...state, administrators: Array.from({ length: 21 }, (_, i) => `arn:aws:iam::111111111111:role/admin${i}`) },
    },
    problems: [
      'app: state.administrators: got ["arn:aws:iam::111111111111:role/admin0","arn:aws:iam::111111111111:role/admin1","arn:aws:iam::111111111111:role/admin2"…; allowed: absent, or a list of up to 20 IAM principal ARNs',
    ],
  },
  {
    name: 'CI roles with an environment on local state',
    config: devWith((e) => {
      e.backend = { kind: 'local' };
    }),
    problems: [
      'environment "dev": backend.kind: got "local"; allowed: one of "s3", "pg", "cloud" while state.ci is set: a CI runner keeps no local state from one run to the next',
    ],
  },
  {
    name: 'CI roles with an environment whose prefix covers a bootstrap name',
    config: { ...platform, environments: [...platform.environments, { ...platform.environments[0], name: 'ci', vpcCidr: freeCidr() }] },
    problems: [
      'environment "ci": name: got "ci"; allowed: a name whose resource prefix "web-ci-" begins none of the bootstrap stack\'s names while state.ci is set: the deploy role manages what is named "web-ci-*", which would include the CI plan role of dev "web-ci-plan-dev"',
    ],
  },
];
