/**
 * Static facts about AWS the platform relies on, kept in one place so an update is one edit. Each table names
 * its source and the date it was read; validation (config/validate.ts) and the constructs both read them.
 */
import { EC2_FAMILIES } from './catalog-ec2';

/** Database engines the platform supports. */
export type DbEngine = 'mysql' | 'postgres';

/**
 * Account of Elastic Load Balancing in each region that predates August 2022; it writes ALB access logs.
 * Regions opened since then are not listed and use the `logdelivery.elasticloadbalancing.amazonaws.com`
 * service principal instead (AWS docs: "Enable access logs for your Application Load Balancer").
 */
export const ELB_LOG_ACCOUNTS: Readonly<Record<string, string>> = {
  'us-east-1': '127311923021',
  'us-east-2': '033677994240',
  'us-west-1': '027434742980',
  'us-west-2': '797873946194',
  'af-south-1': '098369216593',
  'ap-east-1': '754344448648',
  'ap-southeast-3': '589379963580',
  'ap-south-1': '718504428378',
  'ap-northeast-3': '383597477331',
  'ap-northeast-2': '600734575887',
  'ap-southeast-1': '114774131450',
  'ap-southeast-2': '783225319266',
  'ap-northeast-1': '582318560864',
  'ca-central-1': '985666609251',
  'eu-central-1': '054676820928',
  'eu-west-1': '156460612806',
  'eu-west-2': '652711504416',
  'eu-south-1': '635631232127',
  'eu-west-3': '009996457667',
  'eu-north-1': '897822967062',
  'me-south-1': '076674570225',
  'sa-east-1': '507241528517',
};

/** Commercial regions opened since August 2022 (ALB logs delivered by the service principal). */
const NEWER_REGIONS = [
  'ap-south-2',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-7',
  'ca-west-1',
  'eu-central-2',
  'eu-south-2',
  'il-central-1',
  'me-central-1',
  'mx-central-1',
];

/** Every region an environment may name. */
export const REGIONS: readonly string[] = [...Object.keys(ELB_LOG_ACCOUNTS), ...NEWER_REGIONS].sort();

/**
 * Letters of the availability zones of each region (`eu-west-1` + `a` = `eu-west-1a`). Sources, read
 * 2026-12-01: EC2 DescribeInstanceTypeOfferings by zone as recorded by moto 5.2.1 (2026-05-20) for every region
 * it covers, and the AWS Regions and Availability Zones page for ap-southeast-7 and mx-central-1 (3 zones each).
 * Zone letters map to physical zones per account, and in a few older regions an account sees only some of
 * them (us-west-1: two of a, b, c; ap-northeast-1 and ca-central-1 have no "b" for accounts made since it was
 * retired): a zone named here that your account lacks still fails at apply — check with
 * `aws ec2 describe-availability-zones --region <region>`.
 */
export const AVAILABILITY_ZONES: Readonly<Record<string, string>> = {
  'af-south-1': 'abc',
  'ap-east-1': 'abc',
  'ap-northeast-1': 'acd',
  'ap-northeast-2': 'abcd',
  'ap-northeast-3': 'abc',
  'ap-south-1': 'abc',
  'ap-south-2': 'abc',
  'ap-southeast-1': 'abc',
  'ap-southeast-2': 'abc',
  'ap-southeast-3': 'abc',
  'ap-southeast-4': 'abc',
  'ap-southeast-5': 'abc',
  'ap-southeast-7': 'abc',
  'ca-central-1': 'abd',
  'ca-west-1': 'abc',
  'eu-central-1': 'abc',
  'eu-central-2': 'abc',
  'eu-north-1': 'abc',
  'eu-south-1': 'abc',
  'eu-south-2': 'abc',
  'eu-west-1': 'abc',
  'eu-west-2': 'abc',
  'eu-west-3': 'abc',
  'il-central-1': 'abc',
  'me-central-1': 'abc',
  'me-south-1': 'abc',
  'mx-central-1': 'abc',
  'sa-east-1': 'abc',
  'us-east-1': 'abcdef',
  'us-east-2': 'abc',
  'us-west-1': 'abc',
  'us-west-2': 'abcd',
};

/** The availability zone names of `region` (empty for a region not in the catalog). */
export function zonesOf(region: string): string[] {
  return [...(AVAILABILITY_ZONES[region] ?? '')].map((letter) => `${region}${letter}`);
}

/** CPU architecture of an instance type, as EC2 and AMI names spell it. */
export type Architecture = 'x86_64' | 'arm64';

/** One EC2 instance family of config/catalog-ec2.ts. */
export interface Ec2Family {
  readonly arch: Architecture;
  /** EC2 lists at least one size of the family as current generation. */
  readonly current: boolean;
  /** Sizes, space-separated (`large xlarge 2xlarge`). */
  readonly sizes: string;
}

/** Facts of an EC2 instance type the launch template can use, or undefined when the catalog does not have it. */
export function instanceType(
  name: string,
): { readonly family: string; readonly arch: Architecture; readonly current: boolean } | undefined {
  const dot = name.indexOf('.');
  if (dot < 0) return undefined;
  const family = name.slice(0, dot);
  const facts = Object.hasOwn(EC2_FAMILIES, family) ? EC2_FAMILIES[family] : undefined;
  if (!facts || !facts.sizes.split(' ').includes(name.slice(dot + 1))) return undefined;
  return { family, arch: facts.arch, current: facts.current };
}

/** Every instance type name of the catalog (for "did you mean" suggestions). */
export function instanceTypeNames(): string[] {
  return Object.entries(EC2_FAMILIES).flatMap(([family, f]) => f.sizes.split(' ').map((size) => `${family}.${size}`));
}

/**
 * The architecture an AMI SSM parameter names, read from the public parameter paths of Amazon Linux, Ubuntu
 * and Bottlerocket (`…-x86_64`, `…/arm64/…`, `…amd64…`); undefined for a parameter whose name does not say.
 */
export function amiParameterArchitecture(parameter: string): Architecture | undefined {
  if (/(^|[-_/])(arm64|aarch64)($|[-_/])/.test(parameter)) return 'arm64';
  if (/(^|[-_/])(x86_64|amd64)($|[-_/])/.test(parameter)) return 'x86_64';
  return undefined;
}

export interface EngineFacts {
  /**
   * Port the database listens on: not the engine's default (3306, 5432), which untargeted scans probe
   * (cdk-nag AwsSolutions-RDS11).
   */
  readonly port: number;
  /** Supported major versions and their parameter group family. */
  readonly families: Readonly<Record<string, string>>;
  /** How a version string is split into its major part. */
  readonly majorOf: (version: string) => string | undefined;
  /** Parameter that makes the server refuse unencrypted connections. */
  readonly tlsParameter: { readonly name: string; readonly value: string };
  /** Further parameters: slow-query logging. */
  readonly extraParameters: readonly { readonly name: string; readonly value: string }[];
  /** Log types exported to CloudWatch Logs. */
  readonly logExports: readonly string[];
}

export const ENGINES: Readonly<Record<DbEngine, EngineFacts>> = {
  mysql: {
    port: 3307,
    families: { '8.0': 'mysql8.0', '8.4': 'mysql8.4' },
    majorOf: (v) => /^(\d+\.\d+)(\.\d+)?$/.exec(v)?.[1],
    tlsParameter: { name: 'require_secure_transport', value: '1' },
    extraParameters: [
      { name: 'slow_query_log', value: '1' },
      { name: 'long_query_time', value: '2' },
      { name: 'log_output', value: 'FILE' },
    ],
    logExports: ['error', 'slowquery'],
  },
  postgres: {
    port: 5433,
    families: { '14': 'postgres14', '15': 'postgres15', '16': 'postgres16', '17': 'postgres17' },
    majorOf: (v) => /^(\d+)(\.\d+)?$/.exec(v)?.[1],
    tlsParameter: { name: 'rds.force_ssl', value: '1' },
    extraParameters: [{ name: 'log_min_duration_statement', value: '2000' }],
    logExports: ['postgresql', 'upgrade'],
  },
};

/** Parameter group family for an engine version, or undefined when the pair is not supported. */
export function parameterFamily(engine: DbEngine, version: string): string | undefined {
  const facts = ENGINES[engine];
  const major = facts?.majorOf(version);
  return major === undefined ? undefined : facts.families[major];
}

/** Sizes from `large` up to the given one, in EC2's order. */
function upTo(largest: string, extra: readonly string[] = []): string {
  const ladder = ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge', '32xlarge', '48xlarge'];
  return [...extra, ...ladder.slice(0, ladder.indexOf(largest) + 1)].join(' ');
}

/**
 * Per engine: `true` when every supported major version runs on the class, or the oldest minor version per
 * major (`{ '14': '14.5' }`: 14 from 14.5, the other majors entirely); a major left out of `only` is not
 * supported at all.
 */
export type ClassSupport = true | { readonly minimum?: Readonly<Record<string, string>>; readonly only?: readonly string[] };

export interface DbClassFamily {
  /** Sizes, space-separated. */
  readonly sizes: string;
  readonly mysql?: ClassSupport;
  readonly postgres?: ClassSupport;
  /** Engines without Performance Insights (Database Insights) on these sizes. @default - none */
  readonly noPerformanceInsights?: Readonly<Partial<Record<DbEngine, readonly string[]>>>;
}

const GRAVITON4_OR_INTEL4 = {
  mysql: { minimum: { '8.0': '8.0.32' } },
  postgres: { minimum: { '14': '14.9', '15': '15.4', '16': '16.1', '17': '17.1' } },
} as const;
const OPTIMIZED_READS_G4 = {
  mysql: { minimum: { '8.0': '8.0.40', '8.4': '8.4.3' } },
  postgres: { minimum: { '14': '14.17', '15': '15.10', '16': '16.6', '17': '17.2' } },
} as const;
const PG_14_5 = { mysql: true, postgres: { minimum: { '14': '14.5' } } } as const;

/**
 * RDS DB instance classes for RDS for MySQL 8.0/8.4 and RDS for PostgreSQL 14–17 (DB instances, not Multi-AZ DB
 * clusters). Source: RDS User Guide, "Supported DB engines for DB instance classes" and "DB instance class
 * types", and "Amazon RDS DB engine, Region, and instance class support for Database Insights", read
 * 2026-12-01. Left out on purpose: metal sizes and Oracle-only variants (not offered for MySQL/PostgreSQL),
 * db.c6gd (Multi-AZ DB clusters only), db.z1d and db.x2iezn (not for these engines), db.m3/m4/t2 (no longer
 * created), and db.m8i, db.r8i, db.m8a, db.r8a, whose MySQL/PostgreSQL support the guide did not state when read.
 * A class missing here that AWS offers for your engine (`aws rds describe-orderable-db-instance-options`) is
 * one line to add.
 */
export const DB_CLASSES: Readonly<Record<string, DbClassFamily>> = {
  'db.t3': {
    sizes: 'micro small medium large xlarge 2xlarge',
    mysql: true,
    postgres: true,
    noPerformanceInsights: { mysql: ['micro', 'small'] },
  },
  'db.t4g': {
    sizes: 'micro small medium large xlarge 2xlarge',
    mysql: true,
    postgres: true,
    noPerformanceInsights: { mysql: ['micro', 'small'] },
  },
  'db.m5': { sizes: upTo('24xlarge'), mysql: true, postgres: true },
  'db.m5d': { sizes: upTo('24xlarge'), ...PG_14_5 },
  'db.m6g': { sizes: upTo('16xlarge'), mysql: true, postgres: true },
  'db.m6gd': { sizes: upTo('16xlarge'), mysql: true, postgres: true },
  'db.m6i': { sizes: upTo('32xlarge'), mysql: true, postgres: true },
  'db.m6id': { sizes: upTo('32xlarge'), ...PG_14_5 },
  'db.m6idn': { sizes: upTo('32xlarge'), ...PG_14_5 },
  'db.m6in': { sizes: upTo('32xlarge'), mysql: true, postgres: { minimum: { '14': '14.3' } } },
  'db.m7g': { sizes: upTo('16xlarge'), ...PG_14_5 },
  'db.m7i': { sizes: upTo('48xlarge'), ...GRAVITON4_OR_INTEL4 },
  'db.m8g': { sizes: upTo('48xlarge'), ...GRAVITON4_OR_INTEL4 },
  'db.m8gd': { sizes: upTo('48xlarge'), ...OPTIMIZED_READS_G4 },
  'db.r5': { sizes: upTo('24xlarge'), mysql: true, postgres: true },
  'db.r5b': { sizes: upTo('24xlarge'), mysql: true, postgres: true },
  'db.r5d': { sizes: upTo('24xlarge'), ...PG_14_5 },
  'db.r6g': { sizes: upTo('16xlarge'), mysql: true, postgres: true },
  'db.r6gd': { sizes: upTo('16xlarge'), ...PG_14_5 },
  'db.r6i': { sizes: upTo('32xlarge'), mysql: true, postgres: true },
  'db.r6id': { sizes: upTo('32xlarge'), ...PG_14_5 },
  'db.r6idn': { sizes: upTo('32xlarge').replace('large ', ''), ...PG_14_5 },
  'db.r6in': { sizes: upTo('32xlarge'), mysql: true, postgres: { minimum: { '14': '14.3' } } },
  'db.r7g': { sizes: upTo('16xlarge'), ...PG_14_5 },
  'db.r7i': { sizes: upTo('48xlarge'), ...GRAVITON4_OR_INTEL4 },
  'db.r8g': { sizes: upTo('48xlarge'), ...GRAVITON4_OR_INTEL4 },
  'db.r8gd': { sizes: upTo('48xlarge'), ...OPTIMIZED_READS_G4 },
  'db.x2g': { sizes: upTo('16xlarge'), mysql: true, postgres: true },
  'db.x2idn': { sizes: '16xlarge 24xlarge 32xlarge', mysql: true, postgres: { only: ['15'] } },
  'db.x2iedn': { sizes: upTo('32xlarge').replace('large ', ''), ...PG_14_5 },
};

/** Family and size of a DB instance class name (`db.m7g.large` → `db.m7g`, `large`). */
function splitClass(instanceClass: string): [string, string] {
  const dot = instanceClass.lastIndexOf('.');
  return [instanceClass.slice(0, dot), instanceClass.slice(dot + 1)];
}

/** The catalog's family of a DB instance class, or undefined when the class is not listed. */
export function dbClass(instanceClass: string): DbClassFamily | undefined {
  const [family, size] = splitClass(instanceClass);
  const facts = Object.hasOwn(DB_CLASSES, family) ? DB_CLASSES[family] : undefined;
  return facts && facts.sizes.split(' ').includes(size) ? facts : undefined;
}

/** Every DB instance class of the catalog (for "did you mean" suggestions). */
export function dbClassNames(): string[] {
  return Object.entries(DB_CLASSES).flatMap(([family, f]) => f.sizes.split(' ').map((size) => `${family}.${size}`));
}

/** Compares dotted version numbers (`8.0.32` < `8.0.40`). */
function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Why `engine` `version` cannot run on `instanceClass`, or undefined when it can. A major version alone
 * (`8.4`, `16`) means the newest minor, which meets any minimum of that major.
 */
export function classSupportProblem(engine: DbEngine, version: string, instanceClass: string): string | undefined {
  const facts = dbClass(instanceClass);
  const support = facts?.[engine];
  if (!facts || !support) return `${instanceClass} does not run ${engine}`;
  if (support === true) return undefined;
  const major = ENGINES[engine].majorOf(version);
  if (major === undefined) return undefined;
  if (support.only && !support.only.includes(major)) return `${instanceClass} runs ${engine} ${support.only.join(', ')} only`;
  const minimum = support.minimum?.[major];
  if (minimum !== undefined && version !== major && compareVersions(version, minimum) < 0) {
    return `${instanceClass} needs ${engine} ${minimum} or later`;
  }
  return undefined;
}

/**
 * Whether RDS offers Performance Insights (Database Insights) for `engine` on `instanceClass`: not on the
 * smallest burstable classes of RDS for MySQL; the database turns it on wherever it is offered.
 */
export function supportsPerformanceInsights(engine: DbEngine, instanceClass: string): boolean {
  const [, size] = splitClass(instanceClass);
  return !(dbClass(instanceClass)?.noPerformanceInsights?.[engine] ?? []).includes(size);
}

/** AWS managed rule groups of the web firewall, in evaluation order (AWS WAF Developer Guide, managed rule groups list). */
export const MANAGED_RULE_GROUPS = [
  'AWSManagedRulesAmazonIpReputationList',
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
] as const;

/** Retention periods CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/**
 * AWS managed rule groups of the web ACL at the edge (CLOUDFRONT scope), in evaluation order: the regional
 * ones plus the anonymous IP list (VPNs, Tor exit nodes, hosting providers), which blocks the sources most
 * abuse of a public site comes from (AWS WAF Developer Guide, "IP reputation rule groups", read 2026-12-01).
 */
export const EDGE_MANAGED_RULE_GROUPS = [...MANAGED_RULE_GROUPS, 'AWSManagedRulesAnonymousIpList'] as const;

/**
 * The managed groups that judge a request by its client address: "These rules use the source IP address from the
 * web request origin. If you have traffic that goes through one or more proxies or load balancers, the web request
 * origin will contain the address of the last proxy" (AWS WAF Developer Guide, "IP reputation rule groups").
 * Behind CloudFront the load balancer's web ACL sees CloudFront's addresses, so they belong to the edge web ACLs.
 */
export const CLIENT_ADDRESS_RULE_GROUPS: readonly string[] = ['AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesAnonymousIpList'];

/**
 * The managed groups of the load balancer's web ACL: all of MANAGED_RULE_GROUPS in front of a public load
 * balancer; behind the edge only those that inspect the request itself (core rule set, known bad inputs), since
 * the ones that judge the client address would judge CloudFront's.
 */
export function regionalRuleGroups(behindEdge: boolean): readonly string[] {
  return behindEdge ? MANAGED_RULE_GROUPS.filter((g) => !CLIENT_ADDRESS_RULE_GROUPS.includes(g)) : MANAGED_RULE_GROUPS;
}

/**
 * The AWS managed prefix list `com.amazonaws.global.cloudfront.origin-facing` (CloudFront's addresses that
 * reach origins) has its own id in each region. Source: EC2 DescribeManagedPrefixLists with
 * `prefix-list-name=com.amazonaws.global.cloudfront.origin-facing` per region (CloudFront Developer Guide,
 * "Use the CloudFront managed prefix list"), read 2026-12-01. A region not listed here cannot put the API
 * behind the edge until its id is added (validation says so). The list weighs 55 security group rules, so
 * the load balancer admits it on one port only.
 */
export const CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS: Readonly<Record<string, string>> = {
  'ap-northeast-1': 'pl-58a04531',
  'ap-northeast-2': 'pl-22a6434b',
  'ap-south-1': 'pl-9aa247f3',
  'ap-southeast-1': 'pl-31a34658',
  'ap-southeast-2': 'pl-b8a742d1',
  'ca-central-1': 'pl-38a64351',
  'eu-central-1': 'pl-a3a144ca',
  'eu-north-1': 'pl-fab65393',
  'eu-west-1': 'pl-4fa04526',
  'eu-west-2': 'pl-93a247fa',
  'eu-west-3': 'pl-75b1541c',
  'sa-east-1': 'pl-5da64334',
  'us-east-1': 'pl-3b927c52',
  'us-east-2': 'pl-b6a144df',
  'us-west-1': 'pl-4ea04527',
  'us-west-2': 'pl-82a045eb',
};

/**
 * CloudFront managed cache and origin request policies the front-ends use (CloudFront Developer Guide,
 * "Use managed cache policies" and "Use managed origin request policies", read 2026-12-01). Their ids are the
 * same in every account.
 */
export const CLOUDFRONT_MANAGED_POLICIES = {
  /** CachingOptimized: honours the origin's Cache-Control within 1 s – 1 year (default 1 day), gzip and Brotli. */
  cachingOptimized: '658327ea-f89d-4fab-a63d-7e88639e58f6',
  /** CachingDisabled: every request goes to the origin. */
  cachingDisabled: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
  /**
   * AllViewerExceptHostHeader: every viewer header, cookie and query string goes to the origin except Host,
   * so CloudFront checks the origin's certificate against the origin's own name (the load balancer's).
   */
  allViewerExceptHostHeader: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
} as const;

/** CloudFront's own region: certificates of distributions and CLOUDFRONT-scope web ACLs live there. */
export const CLOUDFRONT_REGION = 'us-east-1';

/** Price classes of CloudFront (which edge locations serve the distribution; CloudFront pricing page). */
export const PRICE_CLASSES = ['PriceClass_100', 'PriceClass_200', 'PriceClass_All'] as const;
