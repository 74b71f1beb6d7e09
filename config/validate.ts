/**
 * Validation of the whole platform configuration, before anything is built or written.
 * Every problem is reported, each as: `environment "<env>": <field>: got <value>; allowed: <what>`.
 */
import { ENGINES, LOG_RETENTION_DAYS, REGIONS, parameterFamily } from './catalog';
import {
  MAX_AZS,
  MAX_VPC_PREFIX,
  MIN_VPC_PREFIX,
  PRIVATE_RANGES,
  contains,
  isNetworkAligned,
  overlaps,
  parseCidr,
  planSubnets,
} from './cidr';
import { isValidReason, REASON_RULE } from '../policy/suppress';
import { RULE_IDS } from '../policy/rules';
import type { BackendKind, PlatformConfig } from './types';

/** Thrown with every problem found; `npm run synth` prints them and exits non-zero. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** The bootstrap stack is `<project>-state`, so no environment may be called `state`. */
export const STATE_STACK_SUFFIX = 'state';

/** Tag keys the stacks set themselves. */
export const RESERVED_TAG_KEYS = ['Project', 'Environment', 'ManagedBy'];

const NAME = /^[a-z][a-z0-9]{1,11}$/;
const NAME_RULE = '2–12 lower-case letters or digits, starting with a letter (used in resource names)';

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** Collects problems for one scope (the app or one environment). */
class Checker {
  constructor(
    private readonly scope: string,
    private readonly problems: string[],
  ) {}

  fail(field: string, value: unknown, allowed: string): void {
    this.problems.push(`${this.scope}: ${field}: got ${show(value)}; allowed: ${allowed}`);
  }

  /** Like `fail`, for a value that may be a secret: it is not echoed. */
  failHidden(field: string, allowed: string): void {
    this.problems.push(`${this.scope}: ${field}: got a value (not shown); allowed: ${allowed}`);
  }

  /** Checks `test`; returns it so callers can skip checks that depend on this value. */
  check(ok: boolean, field: string, value: unknown, allowed: string): boolean {
    if (!ok) this.fail(field, value, allowed);
    return ok;
  }

  int(obj: Obj, field: string, path: string, min: number, max: number): number | undefined {
    const v = obj[field];
    return this.check(isInt(v) && v >= min && v <= max, path, v, `a whole number from ${min} to ${max}`)
      ? (v as number)
      : undefined;
  }

  bool(obj: Obj, field: string, path: string): boolean | undefined {
    const v = obj[field];
    return this.check(typeof v === 'boolean', path, v, 'true or false') ? (v as boolean) : undefined;
  }

  oneOf<T extends string>(obj: Obj, field: string, path: string, options: readonly T[]): T | undefined {
    const v = obj[field];
    return this.check(options.includes(v as T), path, v, `one of ${options.map((o) => `"${o}"`).join(', ')}`)
      ? (v as T)
      : undefined;
  }

  matches(obj: Obj, field: string, path: string, pattern: RegExp, allowed: string): string | undefined {
    const v = obj[field];
    return this.check(typeof v === 'string' && pattern.test(v), path, v, allowed) ? (v as string) : undefined;
  }

  object(obj: Obj, field: string, path: string): Obj | undefined {
    const v = obj[field];
    return this.check(isObject(v), path, v, 'an object') ? (v as Obj) : undefined;
  }
}

const ACCOUNT_ID = /^\d{12}$/;
const ACCOUNT_ID_RULE = 'a 12-digit AWS account id';
const REGION_RULE = 'a commercial AWS region such as "eu-west-1" (listed in config/catalog.ts)';
const FQDN = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const BUCKET = /^(?!xn--)(?!.*\.\.)(?!\d+\.\d+\.\d+\.\d+$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

function checkNetwork(c: Checker, env: Obj, region: string | undefined): void {
  const azs = env.availabilityZones;
  if (c.check(Array.isArray(azs), 'availabilityZones', azs, `a list of 2 or ${MAX_AZS} availability zones`)) {
    const list = azs as unknown[];
    c.check(list.length >= 2 && list.length <= MAX_AZS, 'availabilityZones', azs, `2 to ${MAX_AZS} zones (high availability needs at least 2)`);
    list.forEach((az, i) => {
      if (region !== undefined) {
        c.check(typeof az === 'string' && new RegExp(`^${region}[a-z]$`).test(az), `availabilityZones[${i}]`, az, `a zone of region ${region}, e.g. "${region}a"`);
      }
    });
    const dupes = list.filter((az, i) => list.indexOf(az) !== i);
    c.check(dupes.length === 0, 'availabilityZones', azs, `distinct zones (repeated: ${[...new Set(dupes)].map(show).join(', ')})`);
  }

  const text = env.vpcCidr;
  const cidr = typeof text === 'string' ? parseCidr(text) : undefined;
  if (!c.check(cidr !== undefined, 'vpcCidr', text, 'an IPv4 CIDR such as "10.0.0.0/16"')) return;
  const vpc = cidr!;
  c.check(isNetworkAligned(vpc), 'vpcCidr', text, 'a network address (host bits zero), e.g. "10.0.0.0/16"');
  c.check(PRIVATE_RANGES.some((r) => contains(r, vpc)), 'vpcCidr', text, 'inside a private range: 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16');
  if (!c.check(vpc.prefix >= MIN_VPC_PREFIX && vpc.prefix <= 28, 'vpcCidr', text, `a prefix from /${MIN_VPC_PREFIX} (the largest VPC AWS allows) to /28`)) return;
  // The automatic layout must yield subnets AWS accepts (/16–/28), inside the VPC, none overlapping.
  const layout = planSubnets(vpc, MAX_AZS);
  const all = [...layout.public, ...layout.app, ...layout.data].map((s) => parseCidr(s)!);
  const fits = all.every((a, i) => a.prefix <= 28 && contains(vpc, a) && all.every((b, j) => j <= i || !overlaps(a, b)));
  c.check(fits, 'vpcCidr', text, `a prefix of /${MAX_VPC_PREFIX} or larger: the automatic layout of three tiers over ${MAX_AZS} zones must fit without overlap in subnets of /28 or larger`);
}

function checkCompute(c: Checker, env: Obj): void {
  const compute = c.object(env, 'compute', 'compute');
  if (!compute) return;
  c.matches(compute, 'instanceType', 'compute.instanceType', /^[a-z][a-z0-9-]*\.[a-z0-9]+$/, 'an EC2 instance type such as "t3.micro"');
  const min = c.int(compute, 'minSize', 'compute.minSize', 0, 100);
  const desired = c.int(compute, 'desiredCapacity', 'compute.desiredCapacity', 0, 100);
  const max = c.int(compute, 'maxSize', 'compute.maxSize', 1, 100);
  if (min !== undefined && desired !== undefined) {
    c.check(min <= desired, 'compute.minSize', min, `at most compute.desiredCapacity (${desired}): minSize ≤ desiredCapacity ≤ maxSize`);
  }
  if (desired !== undefined && max !== undefined) {
    c.check(desired <= max, 'compute.desiredCapacity', desired, `at most compute.maxSize (${max}): minSize ≤ desiredCapacity ≤ maxSize`);
  }
  if (min !== undefined && max !== undefined && desired === undefined) {
    c.check(min <= max, 'compute.minSize', min, `at most compute.maxSize (${max})`);
  }
  c.int(compute, 'appPort', 'compute.appPort', 1024, 65535);
  c.matches(compute, 'healthCheckPath', 'compute.healthCheckPath', /^\/[A-Za-z0-9._~\/-]{0,1023}$/, 'an absolute URL path such as "/health" (letters, digits, . _ ~ / -)');
  c.matches(compute, 'amiSsmParameter', 'compute.amiSsmParameter', /^\/[A-Za-z0-9_.\/-]+$/, 'an SSM parameter name such as "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"');
  c.oneOf(compute, 'scaling', 'compute.scaling', ['step', 'targetTracking']);
}

function checkDatabase(c: Checker, env: Obj): void {
  const db = c.object(env, 'database', 'database');
  if (!db) return;
  const engine = c.oneOf(db, 'engine', 'database.engine', ['mysql', 'postgres']);
  if (engine) {
    const version = db.engineVersion;
    const majors = Object.keys(ENGINES[engine].families);
    c.check(
      typeof version === 'string' && parameterFamily(engine, version) !== undefined,
      'database.engineVersion',
      version,
      `a supported ${engine} version: major ${majors.map((m) => `"${m}"`).join(', ')} or a full version of one of them (e.g. "${majors[majors.length - 1]}.1")`,
    );
  }
  c.matches(db, 'instanceClass', 'database.instanceClass', /^db\.[a-z0-9]+\.[a-z0-9]+$/, 'an RDS instance class such as "db.t4g.micro"');
  const allocated = c.int(db, 'allocatedStorageGiB', 'database.allocatedStorageGiB', 20, 65536);
  const cap = c.int(db, 'maxAllocatedStorageGiB', 'database.maxAllocatedStorageGiB', 20, 65536);
  if (allocated !== undefined && cap !== undefined) {
    c.check(cap >= allocated, 'database.maxAllocatedStorageGiB', cap, `at least database.allocatedStorageGiB (${allocated})`);
  }
  const multiAz = c.bool(db, 'multiAz', 'database.multiAz');
  const retention = c.int(db, 'backupRetentionDays', 'database.backupRetentionDays', 0, 35);
  if (multiAz && retention === 0) {
    c.fail('database.backupRetentionDays', retention, 'at least 1 when database.multiAz is true');
  }
  c.matches(db, 'databaseName', 'database.databaseName', /^[A-Za-z][A-Za-z0-9_]{0,62}$/, 'a letter then letters, digits or _ (at most 63)');
  const user = c.matches(db, 'masterUsername', 'database.masterUsername', /^[A-Za-z][A-Za-z0-9_]{0,15}$/, 'a letter then letters, digits or _ (at most 16)');
  if (user !== undefined) {
    c.check(!['rdsadmin', 'postgres', 'root', 'admin'].includes(user.toLowerCase()), 'database.masterUsername', user, 'a name other than the reserved rdsadmin, postgres, root and admin');
  }
}

function checkHttps(c: Checker, env: Obj, region: string | undefined): void {
  const https = env.https;
  if (https === undefined) return;
  if (!c.check(isObject(https), 'https', https, 'absent (plain HTTP) or { domainName, hostedZoneId } or { domainName, certificateArn }')) return;
  const h = https as Obj;
  c.matches(h, 'domainName', 'https.domainName', FQDN, 'a fully qualified lower-case domain name such as "app.example.com"');
  const hasZone = h.hostedZoneId !== undefined;
  const hasCert = h.certificateArn !== undefined;
  c.check(hasZone !== hasCert, 'https', https, 'exactly one of https.hostedZoneId (issue a DNS-validated certificate) or https.certificateArn (use an existing one)');
  if (hasZone) c.matches(h, 'hostedZoneId', 'https.hostedZoneId', /^Z[A-Z0-9]{1,31}$/, 'a Route 53 hosted zone id such as "Z0123456789ABCDEFGHIJ"');
  if (hasCert) {
    const r = region ?? '[a-z0-9-]+';
    c.matches(h, 'certificateArn', 'https.certificateArn', new RegExp(`^arn:aws:acm:${r}:\\d{12}:certificate/[0-9a-f-]{36}$`), `an ACM certificate ARN in region ${region ?? 'of the environment'}`);
  }
}

/** The fields each backend kind has (config/types.ts). */
const BACKEND_FIELDS: Readonly<Record<BackendKind, readonly string[]>> = {
  s3: ['kind', 'bucket', 'region', 'dynamodbTable', 'kmsKeyId', 'roleArn'],
  local: ['kind'],
  pg: ['kind'],
  cloud: ['kind', 'organization', 'project', 'hostname'],
};
/** Fields whose value is never echoed: a secret typed into the config would otherwise land in a CI log. */
const SECRET_FIELDS = /conn_?str|token|password|secret|access_?key/i;
const SECRETS_RULE =
  'no secrets in the config: pg reads PG_CONN_STR, HCP Terraform reads TF_TOKEN_<host> or `terraform login`, s3 uses the AWS credential chain';

const KMS_KEY_ID = '[a-f0-9]{8}-[a-f0-9]{4}-[1-5][a-f0-9]{3}-[89ab][a-f0-9]{3}-[a-f0-9]{12}|mrk-[a-f0-9]{32}';
const KMS_ALIAS = 'alias/[A-Za-z0-9/_-]{1,250}';
const KMS_KEY = new RegExp(`^(${KMS_KEY_ID}|${KMS_ALIAS}|arn:aws[a-z-]*:kms:[a-z0-9-]+:\\d{12}:(key/(${KMS_KEY_ID})|${KMS_ALIAS}))$`);
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\/-]{1,512}$/;
const DYNAMODB_TABLE = /^[A-Za-z0-9_.-]{3,255}$/;
const DYNAMODB_TABLE_RULE = 'a DynamoDB table name (3–255 of letters, digits, _ . -)';
const BUCKET_RULE = 'an S3 bucket name: 3–63 lower-case letters, digits, dots or hyphens';

/** Rejects fields a backend kind does not have (typos, and secrets that must come from the environment). */
function checkKnownFields(c: Checker, backend: Obj, kind: BackendKind): void {
  const known = BACKEND_FIELDS[kind];
  for (const [field, value] of Object.entries(backend)) {
    if (known.includes(field)) continue;
    if (SECRET_FIELDS.test(field)) c.failHidden(`backend.${field}`, SECRETS_RULE);
    else c.fail(`backend.${field}`, value, `no such field for a "${kind}" backend (fields: ${known.join(', ')})`);
  }
}

function checkBackend(c: Checker, env: Obj, hasState: boolean): void {
  const backend = c.object(env, 'backend', 'backend');
  if (!backend) return;
  const kind = c.oneOf(backend, 'kind', 'backend.kind', ['s3', 'local', 'pg', 'cloud']);
  if (!kind) return;
  checkKnownFields(c, backend, kind);
  if (kind === 's3') {
    if (backend.bucket !== undefined || !hasState) {
      c.matches(backend, 'bucket', 'backend.bucket', BUCKET, hasState ? BUCKET_RULE : `${BUCKET_RULE} (required: the config has no state section to take it from)`);
    }
    if (backend.region !== undefined) c.check(REGIONS.includes(backend.region as string), 'backend.region', backend.region, REGION_RULE);
    if (backend.dynamodbTable !== undefined) c.matches(backend, 'dynamodbTable', 'backend.dynamodbTable', DYNAMODB_TABLE, DYNAMODB_TABLE_RULE);
    if (backend.kmsKeyId !== undefined) {
      c.matches(backend, 'kmsKeyId', 'backend.kmsKeyId', KMS_KEY, 'a KMS key id, key ARN, "alias/<name>" or alias ARN');
    }
    if (backend.roleArn !== undefined) {
      c.matches(backend, 'roleArn', 'backend.roleArn', ROLE_ARN, 'an IAM role ARN such as "arn:aws:iam::111111111111:role/terraform-state"');
    }
  }
  if (kind === 'cloud') {
    c.matches(backend, 'organization', 'backend.organization', /^[A-Za-z0-9_-]{3,40}$/, 'an HCP Terraform organization name (3–40 letters, digits, _ or -)');
    if (backend.project !== undefined) {
      c.matches(backend, 'project', 'backend.project', /^[A-Za-z0-9_-][A-Za-z0-9 _-]{1,38}[A-Za-z0-9_-]$/, 'an HCP Terraform project name (3–40 letters, digits, spaces, _ or -)');
    }
    if (backend.hostname !== undefined) c.matches(backend, 'hostname', 'backend.hostname', FQDN, 'a host name such as "app.terraform.io"');
  }
}

/** The bootstrap stack's settings (scope `app`, fields `state.*`). */
function checkState(c: Checker, state: unknown): void {
  if (state === undefined) return;
  if (!c.check(isObject(state), 'state', state, 'absent (no bootstrap stack) or an object { accountId, region, bucket, encryption, noncurrentVersionDays, backend }')) return;
  const s = state as Obj;
  c.matches(s, 'accountId', 'state.accountId', ACCOUNT_ID, ACCOUNT_ID_RULE);
  c.check(REGIONS.includes(s.region as string), 'state.region', s.region, REGION_RULE);
  c.matches(s, 'bucket', 'state.bucket', BUCKET, BUCKET_RULE);
  c.oneOf(s, 'encryption', 'state.encryption', ['kms', 's3']);
  c.int(s, 'noncurrentVersionDays', 'state.noncurrentVersionDays', 1, 3650);
  if (s.lockTable !== undefined) c.matches(s, 'lockTable', 'state.lockTable', DYNAMODB_TABLE, DYNAMODB_TABLE_RULE);
  c.oneOf(s, 'backend', 'state.backend', ['local', 's3']);
}

const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

function checkAlerting(c: Checker, env: Obj): void {
  if (env.alarmEmail !== undefined) c.matches(env, 'alarmEmail', 'alarmEmail', EMAIL, 'an e-mail address such as "ops@example.com"');
  const waf = env.webFirewall;
  if (waf === undefined) return;
  if (!c.check(isObject(waf), 'webFirewall', waf, 'absent (on, 2000 requests per 5 minutes per IP) or an object { enabled, requestsPerFiveMinutes }')) return;
  const w = waf as Obj;
  c.bool(w, 'enabled', 'webFirewall.enabled');
  if (w.requestsPerFiveMinutes !== undefined) c.int(w, 'requestsPerFiveMinutes', 'webFirewall.requestsPerFiveMinutes', 100, 2_000_000_000);
}

function checkSuppressions(c: Checker, env: Obj): void {
  const list = env.policySuppressions;
  if (list === undefined) return;
  if (!c.check(Array.isArray(list), 'policySuppressions', list, 'a list of { rule, reason }')) return;
  const seen = new Set<unknown>();
  (list as unknown[]).forEach((item, i) => {
    const path = `policySuppressions[${i}]`;
    if (!c.check(isObject(item), path, item, 'an object { rule, reason }')) return;
    const s = item as Obj;
    if (c.check(RULE_IDS.includes(s.rule as string), `${path}.rule`, s.rule, 'a policy rule id listed in RULES.md, e.g. "rds-multi-az"')) {
      c.check(!seen.has(s.rule), `${path}.rule`, s.rule, 'a rule not already suppressed in this environment');
      seen.add(s.rule);
    }
    c.check(isValidReason(s.reason), `${path}.reason`, s.reason, REASON_RULE);
  });
}

function checkTags(c: Checker, env: Obj): void {
  const tags = env.tags;
  if (tags === undefined) return;
  if (!c.check(isObject(tags), 'tags', tags, 'an object of string keys and values')) return;
  for (const [key, value] of Object.entries(tags as Obj)) {
    c.check(/^[\p{L}\p{N}\s_.:/=+\-@]{1,128}$/u.test(key) && !key.toLowerCase().startsWith('aws:'), `tags[${show(key)}]`, key, 'a key of 1–128 letters, digits, spaces or _ . : / = + - @, not starting with "aws:"');
    c.check(!RESERVED_TAG_KEYS.includes(key), `tags[${show(key)}]`, key, `a key other than ${RESERVED_TAG_KEYS.join(', ')} (set by the stack)`);
    c.check(typeof value === 'string' && /^[\p{L}\p{N}\s_.:/=+\-@]{0,256}$/u.test(value), `tags[${show(key)}]`, value, 'a string of at most 256 letters, digits, spaces or _ . : / = + - @');
  }
}

function checkEnvironment(env: Obj, problems: string[], label: string, hasState: boolean): void {
  const c = new Checker(label, problems);
  c.matches(env, 'accountId', 'accountId', ACCOUNT_ID, ACCOUNT_ID_RULE);
  const region = c.check(REGIONS.includes(env.region as string), 'region', env.region, REGION_RULE) ? (env.region as string) : undefined;
  checkNetwork(c, env, region);
  c.oneOf(env, 'natGateways', 'natGateways', ['none', 'single', 'perAz']);
  checkCompute(c, env);
  checkDatabase(c, env);
  c.bool(env, 'deletionProtection', 'deletionProtection');
  checkHttps(c, env, region);
  const retention = env.logRetentionDays;
  c.check(LOG_RETENTION_DAYS.includes(retention as number), 'logRetentionDays', retention, `one of CloudWatch Logs' periods: ${LOG_RETENTION_DAYS.join(', ')}`);
  checkBackend(c, env, hasState);
  checkAlerting(c, env);
  checkSuppressions(c, env);
  checkTags(c, env);
}

/** VPCs of different environments must not overlap, so they can later be peered or joined by a transit gateway. */
function checkCidrsDistinct(envs: unknown[], problems: string[]): void {
  const parsed = envs.map((e) => (isObject(e) && typeof e.vpcCidr === 'string' ? { env: e, cidr: parseCidr(e.vpcCidr) } : undefined));
  parsed.forEach((a, i) => {
    parsed.slice(0, i).forEach((b) => {
      if (a?.cidr && b?.cidr && overlaps(a.cidr, b.cidr)) {
        new Checker(`environment "${String(a.env.name)}"`, problems).fail(
          'vpcCidr',
          a.env.vpcCidr,
          `a range that does not overlap environment "${String(b.env.name)}" (${String(b.env.vpcCidr)}), so the VPCs can be connected later`,
        );
      }
    });
  });
}

/** Returns every problem in `config` (empty when valid). Accepts anything: input may come from JSON. */
export function findProblems(config: unknown): string[] {
  const problems: string[] = [];
  const app = new Checker('app', problems);
  if (!app.check(isObject(config), 'config', config, 'an object { project, environments }')) return problems;
  const cfg = config as Obj;
  app.matches(cfg, 'project', 'project', NAME, NAME_RULE);
  const envs = cfg.environments;
  if (!app.check(Array.isArray(envs) && envs.length > 0, 'environments', envs, 'a non-empty list of environments')) return problems;
  checkState(app, cfg.state);
  const hasState = cfg.state !== undefined;
  const seen = new Set<unknown>();
  (envs as unknown[]).forEach((env, i) => {
    if (!app.check(isObject(env), `environments[${i}]`, env, 'an environment object')) return;
    const e = env as Obj;
    const label = typeof e.name === 'string' ? `environment "${e.name}"` : `environments[${i}]`;
    const c = new Checker(label, problems);
    c.matches(e, 'name', 'name', NAME, NAME_RULE);
    c.check(!seen.has(e.name), 'name', e.name, 'a name no other environment uses');
    c.check(e.name !== STATE_STACK_SUFFIX, 'name', e.name, `a name other than "${STATE_STACK_SUFFIX}" (the bootstrap stack is "${String(cfg.project)}-${STATE_STACK_SUFFIX}")`);
    seen.add(e.name);
    checkEnvironment(e, problems, label, hasState);
  });
  checkCidrsDistinct(envs as unknown[], problems);
  return problems;
}

/** Throws a `ConfigError` listing every problem; narrows `config` to a `PlatformConfig` otherwise. */
export function assertValidConfig(config: unknown): asserts config is PlatformConfig {
  const problems = findProblems(config);
  if (problems.length > 0) throw new ConfigError(problems);
}
