/**
 * Configurations that every earlier rule accepted but AWS (or the validator itself) did not: names AWS
 * refuses, typos that were dropped, tags AWS refuses at apply, zones and types that do not exist, and
 * inputs that crashed validation. Each lists every problem it must produce, word for word. `build` makes the
 * config when the test runs (some are large).
 */
import { platform } from '../../config/environments';
import { environmentSchema } from '../../config/schema';
import { RULE_IDS } from '../../policy/rules';
import { withOwnDomains } from './config';
import { templateTextConfig } from './template-text';

export interface ContractCase {
  readonly name: string;
  readonly build: () => unknown;
  readonly problems: readonly string[];
}

/** A config `npm run validate` accepts: `npm run synth` must synthesize it as well, and write what `written` lists. */
export interface GoodCase {
  readonly name: string;
  readonly build: () => unknown;
  /** Stack name → texts its cdk.tf.json must contain (what the case is about reached the output). */
  readonly written: Readonly<Record<string, readonly string[]>>;
}

type Any = any; // malformed on purpose
const clone = (): Any => structuredClone(platform);
const withEnv = (index: 0 | 1, edit: (env: Any, config: Any) => void) => () => {
  const c = clone();
  edit(c.environments[index], c);
  return c;
};
const prodWith = (edit: (env: Any, config: Any) => void) => withEnv(1, edit);
const withConfig = (edit: (config: Any) => void) => () => {
  const c = clone();
  edit(c);
  return c;
};
/** One environment (prod's settings) named `name` in `region`, its zones the first `zones` of the region. */
const onlyEnv = (project: string, name: string, region: string, zones: string[]) =>
  withConfig((c) => {
    c.project = project;
    c.state.region = region;
    c.environments = [{ ...c.environments[1], name, region, availabilityZones: zones }];
  });

/** The fields an environment has, as unknown-field messages list them (the schema's order). */
const SHAPE_ENV_FIELDS = Object.keys(environmentSchema.shape).join(', ');
/** The fields of a section of the environment schema (through its default or optional wrapper). */
function sectionFields(section: unknown): string {
  let schema = section as { shape?: object; def?: { innerType?: unknown } };
  while (schema.shape === undefined && schema.def?.innerType !== undefined) schema = schema.def.innerType as typeof schema;
  return Object.keys(schema.shape ?? {}).join(', ');
}
const COMPUTE_FIELDS = sectionFields(environmentSchema.shape.compute);
const DATABASE_FIELDS = sectionFields(environmentSchema.shape.database);
const TAG_VALUE_RULE = 'a string of at most 256 letters, digits, spaces or _ . : / = + - @';
const TAG_KEY_RULE = 'a key of 1–128 letters, digits, spaces or _ . : / = + - @, not starting with "aws:"';
const NAME_RULE = '2–12 lower-case letters or digits, starting with a letter (used in resource names)';
const fits = 'a value that keeps every generated AWS name valid';

/** Names AWS would refuse (validated from the names the stacks generate). */
const NAMES: ContractCase[] = [
  {
    name: 'names: the S3 access-log bucket of a long project, environment and region is 65 characters',
    build: onlyEnv('webplatform', 'production', 'ap-northeast-1', ['ap-northeast-1a', 'ap-northeast-1c', 'ap-northeast-1d']),
    problems: [
      `environment "production": name: got "production"; allowed: ${fits}: the bucket of the S3 server access logs "webplatform-production-s3-access-logs-111111111111-ap-northeast-1" is 65 characters long, 2 more than the 63 AWS allows — shorten project "webplatform" or name "production" by 2 characters in all`,
    ],
  },
  {
    name: 'names: the longest project and environment names in a long region',
    build: onlyEnv('abcdefghijkl', 'mnopqrstuvwx', 'eu-central-2', ['eu-central-2a', 'eu-central-2b']),
    problems: [
      `environment "mnopqrstuvwx": name: got "mnopqrstuvwx"; allowed: ${fits}: the bucket of the S3 server access logs "abcdefghijkl-mnopqrstuvwx-s3-access-logs-111111111111-eu-central-2" is 66 characters long, 3 more than the 63 AWS allows — shorten project "abcdefghijkl" or name "mnopqrstuvwx" by 3 characters in all`,
      // prod's front-ends put the API behind the edge, which this region cannot do yet.
      'environment "mnopqrstuvwx": edge.api: got nothing; allowed: false in eu-central-2: config/catalog.ts lists no CloudFront origin-facing prefix list for that region, so the load balancer cannot admit CloudFront alone',
    ],
  },
  {
    name: 'names: a project named "sthree" makes bucket names S3 reserves',
    build: withConfig((c) => {
      c.project = 'sthree';
    }),
    problems: [
      `app: project: got "sthree"; allowed: ${fits}: the bucket of the state bucket's access logs "sthree-tfstate-logs-111111111111-eu-west-1" must not start with "sthree-" (reserved by AWS) — change project "sthree"`,
      ...platform.environments.map(
        (e) =>
          `environment "${e.name}": name: got "${e.name}"; allowed: ${fits}: the bucket of the load balancer's access logs "sthree-${e.name}-alb-logs-${e.accountId}-${e.region}" must not start with "sthree-" (reserved by AWS) — change project "sthree" or name "${e.name}"`,
      ),
    ],
  },
  {
    name: 'names: a project named "internal" makes load balancer names ELB reserves',
    build: withConfig((c) => {
      c.project = 'internal';
    }),
    problems: platform.environments.map(
      (e) =>
        `environment "${e.name}": name: got "${e.name}"; allowed: ${fits}: the load balancer "internal-${e.name}-alb" must not start with "internal-" (reserved by AWS) — change project "internal" or name "${e.name}"`,
    ),
  },
  {
    name: 'names: a project named "sg" makes security group names EC2 refuses',
    build: withConfig((c) => {
      c.project = 'sg';
    }),
    problems: platform.environments.map(
      (e) =>
        `environment "${e.name}": name: got "${e.name}"; allowed: ${fits}: the alb security group "sg-${e.name}-alb" must not start with "sg-" (reserved by AWS) — change project "sg" or name "${e.name}"`,
    ),
  },
  {
    name: 'names: a state bucket with a prefix S3 reserves',
    build: withConfig((c) => {
      c.state.bucket = 'sthree-state';
    }),
    problems: [
      'app: state.bucket: got "sthree-state"; allowed: an S3 bucket name: 3–63 lower-case letters, digits, dots or hyphens that must not start with "sthree-" (reserved by AWS)',
    ],
  },
  {
    name: 'names: a state bucket with a suffix S3 reserves',
    build: withConfig((c) => {
      c.state.bucket = 'my-state-s3alias';
    }),
    problems: [
      'app: state.bucket: got "my-state-s3alias"; allowed: an S3 bucket name: 3–63 lower-case letters, digits, dots or hyphens that must not end with "-s3alias" (reserved by AWS)',
    ],
  },
  {
    name: 'names: a state bucket named like a bucket the stacks generate',
    build: withConfig((c) => {
      c.state.bucket = 'web-dev-alb-logs-111111111111-eu-west-1';
    }),
    problems: [
      'environment "dev": name: got "dev"; allowed: a value whose generated names are unique: the bucket of the load balancer\'s access logs "web-dev-alb-logs-111111111111-eu-west-1" is also the state bucket of the bootstrap stack',
    ],
  },
  {
    name: 'names: a backend bucket named like an IP address',
    build: prodWith((e) => {
      e.backend = { kind: 's3', bucket: '192.168.5.4' };
    }),
    problems: [
      'environment "prod": backend.bucket: got "192.168.5.4"; allowed: an S3 bucket name: 3–63 lower-case letters, digits, dots or hyphens',
    ],
  },
  {
    name: 'names: a lock table of 256 characters',
    build: withConfig((c) => {
      c.state.lockTable = 't'.repeat(256);
    }),
    problems: [
      `app: state.lockTable: got "${'t'.repeat(119)}… (256 characters); allowed: a DynamoDB table name (3–255 of letters, digits, _ . -)`,
    ],
  },
  {
    name: 'names: a state bucket of 64 characters',
    build: withConfig((c) => {
      c.state.bucket = 'b'.repeat(64);
    }),
    problems: [
      'app: state.bucket: got "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"; allowed: an S3 bucket name: 3–63 lower-case letters, digits, dots or hyphens',
    ],
  },
];

/** Typos and unknown fields, refused at every level with the nearest known field. */
const TYPOS: ContractCase[] = [
  {
    name: 'typo: compute.minSzie',
    build: prodWith((e) => {
      e.compute.minSzie = 2;
    }),
    problems: [
      `environment "prod": compute.minSzie: got 2; allowed: no such field in compute — did you mean "minSize"? (fields: ${COMPUTE_FIELDS})`,
    ],
  },
  {
    name: 'typo: database.multiAZ',
    build: prodWith((e) => {
      e.database.multiAZ = true;
    }),
    problems: [
      `environment "prod": database.multiAZ: got true; allowed: no such field in database — did you mean "multiAz"? (fields: ${DATABASE_FIELDS})`,
    ],
  },
  {
    name: 'typo: natGateway for natGateways',
    build: prodWith((e) => {
      e.natGateway = e.natGateways;
      delete e.natGateways;
    }),
    problems: [
      'environment "prod": natGateways: got nothing; allowed: one of "none", "single", "perAz"',
      `environment "prod": natGateway: got "perAz"; allowed: no such field in an environment — did you mean "natGateways"? (fields: ${SHAPE_ENV_FIELDS})`,
    ],
  },
  {
    name: 'typo: state.lockTabel',
    build: withConfig((c) => {
      c.state.lockTabel = 'locks';
    }),
    problems: [
      'app: state.lockTabel: got "locks"; allowed: no such field in state — did you mean "lockTable"? (fields: accountId, region, bucket, encryption, noncurrentVersionDays, lockTable, backend, ci, administrators)',
    ],
  },
  {
    name: 'typo: webFirewall.requestsPerFiveMinute',
    build: prodWith((e) => {
      e.webFirewall = { enabled: true, requestsPerFiveMinute: 500 };
    }),
    problems: [
      'environment "prod": webFirewall.requestsPerFiveMinute: got 500; allowed: no such field in webFirewall — did you mean "requestsPerFiveMinutes"? (fields: enabled, requestsPerFiveMinutes)',
    ],
  },
  {
    name: 'typo: alarmEmial (would have dropped the alarm subscription)',
    build: prodWith((e) => {
      e.alarmEmial = e.alarmEmail;
      delete e.alarmEmail;
    }),
    problems: [
      `environment "prod": alarmEmial: got "ops@example.com"; allowed: no such field in an environment — did you mean "alarmEmail"? (fields: ${SHAPE_ENV_FIELDS})`,
    ],
  },
  {
    name: 'typo: a top-level field',
    build: withConfig((c) => {
      c.projcet = c.project;
    }),
    problems: [
      'app: projcet: got "web"; allowed: no such field in the config — did you mean "project"? (fields: $schema, project, state, environments)',
    ],
  },
  {
    name: 'typo: https.domain',
    build: prodWith((e) => {
      e.https = { domain: 'app.example.com', hostedZoneId: 'Z0123456789EXAMPLE' };
    }),
    problems: [
      'environment "prod": https.domainName: got nothing; allowed: a fully qualified lower-case domain name such as "app.example.com"',
      'environment "prod": https.domain: got "app.example.com"; allowed: no such field in https — did you mean "domainName"? (fields: domainName, hostedZoneId, certificateArn)',
    ],
  },
  {
    name: 'typo: a field of a policy suppression',
    build: withEnv(0, (e) => {
      e.policySuppressions = [
        {
          rule: 'elb-waf',
          reasons: 'Dev shares one NAT gateway between its zones to halve the fixed cost; losing that zone cuts dev off.',
        },
      ];
    }),
    problems: [
      'environment "dev": policySuppressions[0].reason: got nothing; allowed: a sentence of at least 4 words and 20 characters that starts with a capital letter, ends with a full stop and is not a placeholder (TODO, TBD, FIXME, n/a, …)',
      'environment "dev": policySuppressions[0].reasons: got "Dev shares one NAT gateway between its zones to halve the fixed cost; losing that zone cuts dev off."; allowed: no such field in policySuppressions[0] — did you mean "reason"? (fields: rule, reason)',
    ],
  },
  {
    name: 'typo: a field name with the wrong case',
    build: prodWith((e) => {
      e.compute.InstanceType = e.compute.instanceType;
      delete e.compute.instanceType;
    }),
    problems: [
      'environment "prod": compute.instanceType: got nothing; allowed: an EC2 instance type such as "t3.micro"',
      `environment "prod": compute.InstanceType: got "t3.small"; allowed: no such field in compute — did you mean "instanceType"? (fields: ${COMPUTE_FIELDS})`,
    ],
  },
  {
    name: 'typo: a field of an s3 backend',
    build: prodWith((e) => {
      e.backend = { kind: 's3', bukcet: 'my-state' };
    }),
    problems: [
      'environment "prod": backend.bukcet: got "my-state"; allowed: no such field for a "s3" backend — did you mean "bucket"? (fields: kind, bucket, region, dynamodbTable, kmsKeyId, roleArn)',
    ],
  },
  {
    name: 'unknown field: an HCP Terraform token is not echoed',
    build: prodWith((e) => {
      e.backend = { kind: 'cloud', organization: 'acme', token: 'abc.atlasv1.secret' };
    }),
    problems: [
      'environment "prod": backend.token: got a value (not shown); allowed: no secrets in the config: the database password is generated by Secrets Manager, pg reads PG_CONN_STR, HCP Terraform reads TF_TOKEN_<host> or `terraform login`, s3 uses the AWS credential chain',
    ],
  },
  {
    name: 'unknown field: a password in the database section is not echoed',
    build: prodWith((e) => {
      e.database.password = 'hunter2';
    }),
    problems: [
      'environment "prod": database.password: got a value (not shown); allowed: no secrets in the config: the database password is generated by Secrets Manager, pg reads PG_CONN_STR, HCP Terraform reads TF_TOKEN_<host> or `terraform login`, s3 uses the AWS credential chain',
    ],
  },
  {
    name: 'unknown field: nothing near it',
    build: prodWith((e) => {
      e.compute.spotPrice = '0.01';
    }),
    problems: [`environment "prod": compute.spotPrice: got "0.01"; allowed: no such field in compute (fields: ${COMPUTE_FIELDS})`],
  },
  {
    name: 'unknown field: $schema is accepted, a second schema key is not',
    build: withConfig((c) => {
      c.$schema = './config/platform.schema.json';
      c.$id = 'platform';
    }),
    problems: ['app: $id: got "platform"; allowed: no such field in the config (fields: $schema, project, state, environments)'],
  },
];

/** Tags as AWS counts and spells them. */
const TAGS: ContractCase[] = [
  {
    name: 'tags: a newline in a value',
    build: prodWith((e) => {
      e.tags = { Team: 'web\nops' };
    }),
    problems: [`environment "prod": tags["Team"]: got "web\\nops"; allowed: ${TAG_VALUE_RULE}`],
  },
  {
    name: 'tags: a tab in a key',
    build: prodWith((e) => {
      e.tags = { 'Cost\tCenter': '42' };
    }),
    problems: [`environment "prod": tags["Cost\\tCenter"]: got "Cost\\tCenter"; allowed: ${TAG_KEY_RULE}`],
  },
  {
    name: 'tags: a byte-order mark in a value',
    build: prodWith((e) => {
      e.tags = { Team: '\uFEFFweb' };
    }),
    problems: [`environment "prod": tags["Team"]: got "\\ufeffweb"; allowed: ${TAG_VALUE_RULE}`],
  },
  {
    name: 'tags: 46, one more than the 50 per resource leave',
    build: prodWith((e) => {
      e.tags = Object.fromEntries(Array.from({ length: 46 }, (_, i) => [`k${i}`, 'v']));
    }),
    problems: [
      'environment "prod": tags: got 46 tags; allowed: at most 45 tags: AWS allows 50 per resource and the stack sets up to 5 (Project, Environment, ManagedBy, Name, Tier)',
    ],
  },
  {
    name: "tags: the stack's own key in another case",
    build: prodWith((e) => {
      e.tags = { project: 'x' };
    }),
    problems: [
      'environment "prod": tags["project"]: got "project"; allowed: a key other than Project, Environment, ManagedBy, Name, Tier in any case (set by the stack)',
    ],
  },
  {
    name: 'tags: a Name tag of our own',
    build: prodWith((e) => {
      e.tags = { Name: 'everything' };
    }),
    problems: [
      'environment "prod": tags["Name"]: got "Name"; allowed: a key other than Project, Environment, ManagedBy, Name, Tier in any case (set by the stack)',
    ],
  },
  {
    name: 'tags: two keys that differ only in case',
    build: prodWith((e) => {
      e.tags = { Owner: 'a', owner: 'b' };
    }),
    problems: [
      'environment "prod": tags["owner"]: got "owner"; allowed: a key that differs from "Owner" in more than case (IAM compares tag keys without case)',
    ],
  },
  {
    name: 'tags: the aws: prefix in capitals',
    build: prodWith((e) => {
      e.tags = { 'AWS:team': 'a' };
    }),
    problems: [`environment "prod": tags["AWS:team"]: got "AWS:team"; allowed: ${TAG_KEY_RULE}`],
  },
  {
    name: 'tags: an empty key',
    build: prodWith((e) => {
      e.tags = { '': 'v' };
    }),
    problems: [`environment "prod": tags[""]: got ""; allowed: ${TAG_KEY_RULE}`],
  },
  {
    name: 'tags: a value of 257 characters',
    build: prodWith((e) => {
      e.tags = { k: 'v'.repeat(257) };
    }),
    problems: [`environment "prod": tags["k"]: got "${'v'.repeat(119)}… (257 characters); allowed: ${TAG_VALUE_RULE}`],
  },
];

/** Zones, instance types and DB classes that do not exist, or do not fit together. */
const FACTS: ContractCase[] = [
  {
    name: 'facts: an API path longer than a load balancer path condition takes (128 characters)',
    build: prodWith((e) => {
      e.edge = { apiPath: `/${'v'.repeat(200)}/*` };
    }),
    problems: [
      `environment "prod": edge.apiPath: got "/${'v'.repeat(118)}… (203 characters); allowed: a path pattern such as "/api/*" (a path ending in *, at most 128 characters)`,
    ],
  },
  {
    name: "facts: the admin app's API on the site's path, which the load balancer could not keep apart",
    build: prodWith((e) => {
      e.frontends[1].apiPath = e.edge?.apiPath ?? '/api/*';
    }),
    problems: [
      'environment "prod": frontends[1].apiPath: got "/api/*"; allowed: a path pattern of its own: no other front-end\'s API path may start with "/api" (frontends[0] "site" routes "/api/*"), since a front-end with allowedIpRanges keeps every path starting there to itself',
    ],
  },
  {
    name: 'facts: a zone letter the region does not have',
    build: prodWith((e) => {
      e.availabilityZones = ['eu-west-1a', 'eu-west-1z'];
    }),
    problems: [
      'environment "prod": availabilityZones[1]: got "eu-west-1z"; allowed: a zone of region eu-west-1: "eu-west-1a", "eu-west-1b", "eu-west-1c"',
    ],
  },
  {
    name: 'facts: the retired zone of Tokyo',
    build: prodWith((e, c) => {
      e.region = 'ap-northeast-1';
      c.state.region = 'ap-northeast-1';
      e.availabilityZones = ['ap-northeast-1a', 'ap-northeast-1b'];
      e.https = undefined;
    }),
    problems: [
      'environment "prod": availabilityZones[1]: got "ap-northeast-1b"; allowed: a zone of region ap-northeast-1: "ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"',
    ],
  },
  {
    name: 'facts: a seventh zone of us-east-1',
    build: prodWith((e, c) => {
      e.region = 'us-east-1';
      c.state.region = 'us-east-1';
      e.availabilityZones = ['us-east-1a', 'us-east-1g'];
    }),
    problems: [
      'environment "prod": availabilityZones[1]: got "us-east-1g"; allowed: a zone of region us-east-1: "us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"',
    ],
  },
  {
    name: 'facts: an instance type with a typo',
    build: prodWith((e) => {
      e.compute.instanceType = 't3.smal';
    }),
    problems: [
      'environment "prod": compute.instanceType: got "t3.smal"; allowed: an instance type EC2 offers with EBS optimization (config/catalog-ec2.ts); did you mean "t3.small"?',
    ],
  },
  {
    name: 'facts: an instance type without EBS optimization (the launch template turns it on)',
    build: prodWith((e) => {
      e.compute.instanceType = 't2.micro';
    }),
    problems: [
      'environment "prod": compute.instanceType: got "t2.micro"; allowed: an instance type EC2 offers with EBS optimization (config/catalog-ec2.ts); did you mean "t3.micro"?',
    ],
  },
  {
    name: 'facts: an arm64 instance type with the x86_64 AMI',
    build: prodWith((e) => {
      e.compute.instanceType = 't4g.small';
    }),
    problems: [
      'environment "prod": compute.instanceType: got "t4g.small"; allowed: an x86_64 instance type: compute.amiSsmParameter names an x86_64 AMI (name an arm64 AMI parameter to use t4g.small)',
    ],
  },
  {
    name: 'facts: an x86_64 instance type with an arm64 AMI',
    build: prodWith((e) => {
      e.compute.amiSsmParameter = '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64';
    }),
    problems: [
      'environment "prod": compute.instanceType: got "t3.small"; allowed: an arm64 instance type: compute.amiSsmParameter names an arm64 AMI (name an x86_64 AMI parameter to use t3.small)',
    ],
  },
  {
    name: 'facts: a DB class size that does not exist',
    build: prodWith((e) => {
      e.database.instanceClass = 'db.m7g.huge';
    }),
    problems: [
      'environment "prod": database.instanceClass: got "db.m7g.huge"; allowed: an RDS instance class listed in config/catalog.ts for MySQL and PostgreSQL; did you mean "db.m7g.large"?',
    ],
  },
  {
    name: 'facts: a DB class newer than the engine version',
    build: prodWith((e) => {
      e.database.instanceClass = 'db.m8gd.large';
      e.database.engineVersion = '8.0.36';
    }),
    problems: [
      'environment "prod": database.instanceClass: got "db.m8gd.large"; allowed: a class that runs mysql 8.0.36: db.m8gd.large needs mysql 8.0.40 or later',
    ],
  },
  {
    name: 'facts: a DB class that runs one PostgreSQL major only',
    build: prodWith((e) => {
      e.database = { ...e.database, engine: 'postgres', engineVersion: '16', instanceClass: 'db.x2idn.16xlarge' };
    }),
    problems: [
      'environment "prod": database.instanceClass: got "db.x2idn.16xlarge"; allowed: a class that runs postgres 16: db.x2idn.16xlarge runs postgres 15 only',
    ],
  },
  {
    name: 'facts: a DB class AWS no longer creates',
    build: prodWith((e) => {
      e.database.instanceClass = 'db.t2.micro';
    }),
    problems: [
      'environment "prod": database.instanceClass: got "db.t2.micro"; allowed: an RDS instance class listed in config/catalog.ts for MySQL and PostgreSQL; did you mean "db.t3.micro"?',
    ],
  },
];

const deeplyNested = (depth: number): unknown => {
  let value: unknown = 'eu-west-1a';
  for (let i = 0; i < depth; i++) value = [value];
  return value;
};

/** Inputs that crashed validation (stack traces) or made it print or compute too much. */
const CRASHES: ContractCase[] = [
  {
    name: 'crash: a /28 VPC (the layout computed /33 subnets)',
    build: prodWith((e) => {
      e.vpcCidr = '10.20.0.0/28';
    }),
    problems: [
      'environment "prod": vpcCidr: got "10.20.0.0/28"; allowed: a prefix from /16 (the largest VPC AWS allows) to /23 (whose public and data subnets are /28, the smallest AWS allows)',
    ],
  },
  {
    name: 'crash: an object without toString where a string is expected',
    build: withConfig((c) => {
      c.project = Object.create(null);
    }),
    problems: [`app: project: got {}; allowed: ${NAME_RULE}`],
  },
  {
    name: 'crash: zones nested 100 000 arrays deep',
    build: prodWith((e) => {
      e.availabilityZones = deeplyNested(100_000);
    }),
    problems: [
      'environment "prod": availabilityZones[0]: got [[[[[[[[[…]]]]]]]]]; allowed: an availability zone name such as "eu-west-1a"',
      'environment "prod": availabilityZones: got [[[[[[[[[…]]]]]]]]]; allowed: 2 to 3 zones (high availability needs at least 2)',
    ],
  },
  {
    name: 'crash: a name of 50 million characters is shown cut',
    build: prodWith((e) => {
      e.name = 'a'.repeat(50_000_000);
    }),
    problems: [
      `environment "${'a'.repeat(119)}… (50000000 characters): name: got "${'a'.repeat(119)}… (50000000 characters); allowed: ${NAME_RULE}`,
    ],
  },
  {
    name: 'crash: control and bidirectional characters are escaped',
    build: prodWith((e) => {
      e.name = 'pro\u0000d\u202e';
    }),
    problems: [`environment "pro\\u0000d\\u202e": name: got "pro\\u0000d\\u202e"; allowed: ${NAME_RULE}`],
  },
  {
    name: 'crash: a circular object',
    build: prodWith((e) => {
      const https: Any = { domainName: 'app.example.com', hostedZoneId: 'Z0123456789EXAMPLE' };
      https.self = https;
      e.https = https;
    }),
    problems: [
      'environment "prod": https.self: got {"domainName":"app.example.com","hostedZoneId":"Z0123456789EXAMPLE","self":(circular)}; allowed: no such field in https (fields: domainName, hostedZoneId, certificateArn)',
    ],
  },
  {
    name: 'crash: values no JSON has (BigInt, function, NaN, Infinity)',
    build: prodWith((e) => {
      e.compute.minSize = 2n;
      e.compute.maxSize = () => 6;
      e.database.allocatedStorageGiB = NaN;
      e.database.maxAllocatedStorageGiB = Infinity;
    }),
    problems: [
      'environment "prod": compute.minSize: got 2n; allowed: a whole number from 0 to 100',
      'environment "prod": compute.maxSize: got a function; allowed: a whole number from 1 to 100',
      'environment "prod": database.allocatedStorageGiB: got NaN; allowed: a whole number from 20 to 65536',
      'environment "prod": database.maxAllocatedStorageGiB: got Infinity; allowed: a whole number from 20 to 65536',
    ],
  },
  {
    name: 'crash: a getter that throws',
    build: prodWith((e) => {
      Object.defineProperty(e, 'region', {
        enumerable: true,
        get() {
          throw new Error('boom');
        },
      });
    }),
    problems: [
      'environment "prod": region: got nothing; allowed: a commercial AWS region such as "eu-west-1" (listed in config/catalog.ts)',
    ],
  },
  {
    name: 'crash: 150 000 wrong tags (zod itself overflows the stack on them)',
    build: prodWith((e) => {
      e.tags = Object.fromEntries(Array.from({ length: 150_000 }, (_, i) => [`k${i}`, i]));
    }),
    problems: Array.from({ length: 1000 }, (_, i) => `environment "prod": tags["k${i}"]: got ${i}; allowed: ${TAG_VALUE_RULE}`),
  },
  {
    name: 'crash: a hundred thousand suppressions',
    build: withEnv(0, (e) => {
      e.policySuppressions = Array.from({ length: 100_000 }, () => ({
        rule: 'ha-nat-per-zone',
        reason: 'Dev shares one NAT gateway between its zones to halve the fixed cost; losing that zone cuts dev off.',
      }));
    }),
    problems: [
      `environment "dev": policySuppressions: got [{"rule":"ha-nat-per-zone","reason":"Dev shares one NAT gateway between its zones to halve the fixed cost; losing that z…; allowed: a list of at most ${RULE_IDS.length} { rule, reason } (one per rule)`,
    ],
  },
  {
    name: 'crash: the config is a list',
    build: () => ['web'],
    problems: ['app: config: got ["web"]; allowed: an object { project, environments }'],
  },
  {
    name: 'crash: the environments are a map, not a list',
    build: withConfig((c) => {
      c.environments = { dev: c.environments[0] };
    }),
    problems: [
      'app: environments: got {"dev":{"name":"dev","accountId":"111111111111","region":"eu-west-1","availabilityZones":["eu-west-1a","eu-west-1b"],"vp…; allowed: a non-empty list of environments',
    ],
  },
  {
    name: 'crash: the config is null',
    build: () => null,
    problems: ['app: config: got null; allowed: an object { project, environments }'],
  },
  {
    name: 'crash: a project that is a very long list',
    build: withConfig((c) => {
      c.project = Array.from({ length: 1_000_000 }, (_, i) => i);
    }),
    problems: [`app: project: got [${Array.from({ length: 43 }, (_, i) => i).join(',')},…; allowed: ${NAME_RULE}`],
  },
];

/** Thousands of environments: one problem per environment at most, checked without comparing every pair. */
export function manyEnvironments(count: number, edit: (env: Any, i: number) => void): unknown {
  const c = clone();
  // The CI roles serve at most 8 environments (config/validate.ts): these configs are about the rest.
  delete c.state.ci;
  const prod = c.environments[1];
  c.environments = Array.from({ length: count }, (_, i) => {
    const env = structuredClone(prod);
    env.name = `e${i}`;
    withOwnDomains(env, `e${i}`);
    edit(env, i);
    return env;
  });
  return c;
}

const BIG = new Set([
  'crash: zones nested 100 000 arrays deep',
  'crash: a name of 50 million characters is shown cut',
  'crash: 150 000 wrong tags (zod itself overflows the stack on them)',
  'crash: a hundred thousand suppressions',
  'crash: a project that is a very long list',
]);

/** The cases of ordinary size. */
export const CONTRACT_CASES: readonly ContractCase[] = [...NAMES, ...TYPOS, ...TAGS, ...FACTS, ...CRASHES.filter((c) => !BIG.has(c.name))];
/** The cases whose input is very large or very deep. */
export const SCALE_CASES: readonly ContractCase[] = CRASHES.filter((c) => BIG.has(c.name));

const PINNED_AMI = 'ami-0123456789abcdef0';

/**
 * Configs that are valid as written, each of a kind a defaulted or re-checked config once refused: validation
 * and synthesis must agree on them (`npm run validate` accepts ⇔ `npm run synth` writes).
 */
export const GOOD_CASES: readonly GoodCase[] = [
  {
    name: 'a pinned AMI: compute.amiId without amiSsmParameter or amiResolution, in every environment',
    build: withConfig((c) => {
      for (const env of c.environments) {
        delete env.compute.amiSsmParameter;
        delete env.compute.amiResolution;
        env.compute.amiId = PINNED_AMI;
      }
    }),
    written: Object.fromEntries(platform.environments.map((e) => [`${platform.project}-${e.name}`, [`"image_id": "${PINNED_AMI}"`]])),
  },
  {
    name: 'a pinned AMI in one environment, the default AMI parameter in the other',
    build: prodWith((env) => {
      delete env.compute.amiSsmParameter;
      env.compute.amiId = PINNED_AMI;
    }),
    written: { 'web-prod': [`"image_id": "${PINNED_AMI}"`], 'web-dev': ['"name": "/aws/service/ami-amazon-linux-latest/'] },
  },
  {
    name: 'Terraform template text (${…}, %{…}) in the alarm e-mail, the application environment and command, a suppression reason',
    build: templateTextConfig,
    written: { 'web-prod': ['"endpoint": "ops$${x}%%{x}@example.com"'] },
  },
  {
    name: 'a release parameter written with a leading "/": the parameter under the prefix, read and granted once',
    build: prodWith((env) => {
      env.application = {
        kind: 'container',
        image: { tag: '1.4.2', digest: `sha256:${'0123456789abcdef'.repeat(4)}` },
        secrets: { FLAG: { parameter: '/api/flag' } },
      };
    }),
    written: { 'web-prod': [':parameter/web/prod/api/flag'] },
  },
  {
    name: 'a CI repository with capitals, dots and underscores, as GitHub spells it: trusted exactly so',
    build: withConfig((c) => {
      c.state.ci.repository = 'Acme-Corp/.Web.Platform_2';
    }),
    written: { 'web-state': ['repo:Acme-Corp/.Web.Platform_2:environment:prod', 'repo:Acme-Corp/.Web.Platform_2:pull_request'] },
  },
  {
    name: 'tag keys every JavaScript object inherits (constructor, prototype, toString, hasOwnProperty) are carried as written',
    build: prodWith((env) => {
      env.tags = { constructor: 'a', prototype: 'b', toString: 'c', hasOwnProperty: 'd' };
    }),
    written: { 'web-prod': ['"constructor": "a"', '"prototype": "b"', '"toString": "c"', '"hasOwnProperty": "d"'] },
  },
];
