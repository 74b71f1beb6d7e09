/**
 * The shape of the platform configuration, defined once with zod: the TypeScript types (config/types.ts), the
 * structural check of `validateConfig` (config/validate.ts), the published JSON Schema
 * (config/platform.schema.json) and the README's configuration reference all come from this file.
 *
 * Every field carries `description` (what it is) and `allowed` (what it may be, as validation messages say
 * it); every check reports `allowed` as its message. Rules that relate fields to each other or to AWS facts
 * (zones of the region, instance types, CIDR layout, name lengths, …) are code in config/validate.ts.
 */
import * as z from 'zod';
import { LOG_RETENTION_DAYS, PRICE_CLASSES, REGIONS } from './catalog';
import { RULE_IDS } from '../policy/rules';
import { REASON_RULE, isValidReason } from '../policy/suppress';
import { nameViolation, S3_BUCKET } from '../naming/rules';
import { show } from './display';
import { MAX_TAG_KEY, MAX_TAG_VALUE, TAG_CHARACTERS, TAG_CHARACTERS_TEXT } from '../naming/tags';

/** What each field may be, in words; shown by validation messages and the configuration reference. */
declare module 'zod' {
  interface GlobalMeta {
    /** What the value may be, in the words of validation messages. */
    allowed?: string;
  }
}

const described = <T extends z.ZodType>(schema: T, description: string, allowed: string): T => schema.meta({ description, allowed });

/** A string matching `pattern` (longer than `maxLength` is refused before the pattern runs). */
function text(pattern: RegExp, description: string, allowed: string, maxLength = 1024) {
  return described(
    z.string({ error: allowed }).max(maxLength, { error: allowed, abort: true }).regex(pattern, { error: allowed }),
    description,
    allowed,
  );
}

function wholeNumber(min: number, max: number, description: string) {
  const allowed = `a whole number from ${min} to ${max}`;
  return described(z.int({ error: allowed }).min(min, { error: allowed }).max(max, { error: allowed }), description, allowed);
}

const quoted = (values: readonly unknown[]) => values.map((v) => (typeof v === 'string' ? `"${v}"` : String(v))).join(', ');

function choice<const T extends readonly [string, ...string[]]>(values: T, description: string) {
  const allowed = `one of ${quoted(values)}`;
  return described(z.enum(values, { error: allowed }), description, allowed);
}

/** A non-negative amount (GB, requests) up to `max`. */
function amount(max: number, description: string) {
  const allowed = `a number from 0 to ${max}`;
  return described(z.number({ error: allowed }).min(0, { error: allowed }).max(max, { error: allowed }), description, allowed);
}

const flag = (description: string) => described(z.boolean({ error: 'true or false' }), description, 'true or false');

/** An object that refuses unknown fields. */
function section<S extends z.core.$ZodLooseShape>(shape: S, description: string, allowed = 'an object') {
  return described(z.strictObject(shape, { error: allowed }), description, allowed);
}

export const ACCOUNT_ID_RULE = 'a 12-digit AWS account id';
export const REGION_RULE = 'a commercial AWS region such as "eu-west-1" (listed in config/catalog.ts)';
export const NAME_RULE = '2–12 lower-case letters or digits, starting with a letter (used in resource names)';
export const BUCKET_RULE = 'an S3 bucket name: 3–63 lower-case letters, digits, dots or hyphens';
const DYNAMODB_TABLE_RULE = 'a DynamoDB table name (3–255 of letters, digits, _ . -)';
const NAME = /^[a-z][a-z0-9]{1,11}$/;
const FQDN = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const BUCKET = /^(?!xn--)(?!.*\.\.)(?!\d+\.\d+\.\d+\.\d+$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const KMS_KEY_ID = '[a-f0-9]{8}-[a-f0-9]{4}-[1-5][a-f0-9]{3}-[89ab][a-f0-9]{3}-[a-f0-9]{12}|mrk-[a-f0-9]{32}';
const KMS_ALIAS = 'alias/[A-Za-z0-9/_-]{1,250}';
const KMS_KEY = new RegExp(`^(${KMS_KEY_ID}|${KMS_ALIAS}|arn:aws[a-z-]*:kms:[a-z0-9-]+:\\d{12}:(key/(${KMS_KEY_ID})|${KMS_ALIAS}))$`);

const accountId = (description: string) => text(/^\d{12}$/, description, ACCOUNT_ID_RULE);
const region = (description: string) =>
  described(z.enum(REGIONS as [string, ...string[]], { error: REGION_RULE }), description, REGION_RULE);

/** An S3 bucket name that meets every rule of S3 (naming/rules.ts), not only the pattern. */
const bucketName = (description: string) =>
  text(BUCKET, description, BUCKET_RULE).refine((name) => nameViolation(S3_BUCKET, name) === undefined, {
    error: (issue) => `${BUCKET_RULE} that ${nameViolation(S3_BUCKET, issue.input as string)}`,
  });

const dynamodbTable = (description: string) => text(/^[A-Za-z0-9_.-]{3,255}$/, description, DYNAMODB_TABLE_RULE);

/** Amazon Linux 2023, latest, x86_64 — a public SSM parameter. */
export const DEFAULT_AMI_PARAMETER = '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64';

const computeSchema = section(
  {
    instanceType: text(
      /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/,
      'EC2 instance type of the app servers (config/catalog.ts lists the ones EC2 offers).',
      'an EC2 instance type such as "t3.micro"',
      64,
    ),
    minSize: wholeNumber(0, 100, 'Smallest size of the auto scaling group.'),
    desiredCapacity: wholeNumber(
      0,
      100,
      'Instances at the first deploy (minSize ≤ desiredCapacity ≤ maxSize); scaling owns it afterwards.',
    ),
    maxSize: wholeNumber(1, 100, 'Largest size of the auto scaling group.'),
    appPort: wholeNumber(1024, 65535, 'TCP port the application listens on inside the instances (the target group port).').default(8080),
    healthCheckPath: text(
      /^\/[A-Za-z0-9._~/-]{0,1023}$/,
      'HTTP path the load balancer probes; it must answer 200.',
      'an absolute URL path such as "/health" (letters, digits, . _ ~ / -)',
    ).default('/health'),
    amiSsmParameter: text(
      // A full name: "/" then up to 15 levels of SSM's characters, none empty ("//" or a trailing "/" names no parameter).
      /^(\/[A-Za-z0-9_.-]+){1,15}$/,
      'Public SSM parameter that names the AMI (resolved by EC2 at launch). Its architecture must match the instance type.',
      'an SSM parameter name such as "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"',
      2048,
    ).default(DEFAULT_AMI_PARAMETER),
    scaling: choice(
      ['step', 'targetTracking'],
      'Step scaling on CPU (≥ 80 % adds 30 %, ≤ 30 % removes 30 %) or target tracking (60 % CPU).',
    ).default('step'),
    amiId: text(
      /^ami-[0-9a-f]{8}([0-9a-f]{9})?$/,
      'A concrete AMI to run, pinned (amiSsmParameter is then not read).',
      'an AMI id such as "ami-0123456789abcdef0"',
      21,
    ).optional(),
    amiResolution: choice(
      ['plan', 'launch'],
      'When amiSsmParameter is read: "plan" (when the deploy is planned; the launch template names the AMI, the whole fleet runs it and a release can roll back) or "launch" (by EC2 at every launch through resolve:ssm; no rollback).',
    ).default('plan'),
    rollout: section(
      {
        minHealthyPercentage: wholeNumber(
          0,
          100,
          'Capacity kept in service while a release rolls out (100: launch before terminate).',
        ).default(100),
        maxHealthyPercentage: wholeNumber(
          100,
          200,
          'Capacity allowed above desired during a release (200: a full new set beside the old).',
        ).default(200),
        checkpointPercentages: described(
          z
            .array(wholeNumber(1, 100, 'A share of the fleet replaced.'), { error: 'a list of increasing whole numbers from 1 to 100' })
            .max(5, { error: 'at most 5 checkpoints' }),
          'Shares of the fleet after which the rollout pauses (checkpointDelaySeconds) so alarms can react.',
          'a list of increasing whole numbers from 1 to 100 ending at 100',
        ).default([50, 100]),
        checkpointDelaySeconds: wholeNumber(0, 172800, 'Seconds the rollout waits at each checkpoint.').default(300),
      },
      'How a release (npm run release, after each deploy: a new launch template version) replaces the instances: an instance refresh that rolls back to the previous version on the 5xx and unhealthy-host alarms.',
      'an object { minHealthyPercentage, maxHealthyPercentage, checkpointPercentages, checkpointDelaySeconds }',
    ).default({ minHealthyPercentage: 100, maxHealthyPercentage: 200, checkpointPercentages: [50, 100], checkpointDelaySeconds: 300 }),
  },
  'The web tier: launch template, auto scaling group and load balancer target.',
);

const IMAGE_REPOSITORY_RULE =
  'an image repository such as "ghcr.io/acme/api" (lower-case; without tag or digest), or absent for the ECR repository of the environment';
const ENV_NAME = /^[A-Z_][A-Z0-9_]{0,127}$/;
const ENV_NAME_RULE = 'an environment variable name: upper-case letters, digits and _, not starting with a digit';
const PARAMETER_RULE =
  'a parameter name relative to the environment\'s prefix, such as "api/flag": up to 13 levels of letters, digits and _ . -, joined by "/" (none empty; a leading "/" changes nothing)';
const secretRefSchema = described(
  z.union(
    [
      z.strictObject({
        secret: text(
          /^[A-Za-z0-9/_+=.@-]{1,256}$/,
          'A Secrets Manager secret name.',
          'a secret name of letters, digits and / _ + = . @ -',
          256,
        ),
      }),
      z.strictObject({
        // Levels of letters, digits and _ . - (SSM's characters), none empty: "a//b" or "a/" names no parameter SSM can
        // hold. At most 13, beside the 2 of the prefix: SSM allows 15. A leading "/" is allowed (and changes nothing).
        parameter: text(/^\/?[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+){0,12}$/, 'An SSM Parameter Store name.', PARAMETER_RULE, 900),
      }),
    ],
    { error: 'an object { secret } (Secrets Manager) or { parameter } (SSM Parameter Store)' },
  ),
  'Where the value is read at start, relative to the environment\'s prefix: { secret: "api/stripe" } is the Secrets Manager secret <project>/<env>/api/stripe, { parameter: "api/flag" } (or "/api/flag") the SSM parameter /<project>/<env>/api/flag.',
  'an object { secret } (Secrets Manager) or { parameter } (SSM Parameter Store)',
);

/** Images the environment's ECR repository keeps unless the container release says otherwise. */
export const DEFAULT_KEEP_IMAGES = 20;

const containerSchema = section(
  {
    kind: z.literal('container'),
    image: section(
      {
        repository: text(
          /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]{1,5})?(\/[a-z0-9]+([._-][a-z0-9]+)*)+$|^[a-z0-9]+([._-][a-z0-9]+)*$/,
          'Image repository (any registry the instances can reach without credentials). Default: the ECR repository the platform creates for the environment.',
          IMAGE_REPOSITORY_RULE,
          255,
        ).optional(),
        tag: text(
          /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/,
          'The release tag, for people (the digest is what runs).',
          'an image tag such as "1.4.2" (letters, digits, _ . -; at most 128)',
          128,
        ),
        digest: text(
          /^sha256:[0-9a-f]{64}$/,
          'The image digest that runs: a release is immutable.',
          'an image digest such as "sha256:" followed by 64 hex digits',
          71,
        ),
      },
      'The image of a release, pinned by tag and digest.',
      'an object { repository, tag, digest }',
    ),
    command: described(
      z
        .array(text(/^[^\u0000]{1,4096}$/u, 'An argument.', 'a string of 1–4096 characters without NUL', 4096), {
          error: 'a list of strings',
        })
        .max(64, { error: 'at most 64 arguments' }),
      'Command and arguments the container runs instead of its own.',
      'a list of strings',
    ).optional(),
    environment: described(
      z.record(
        z.string().regex(ENV_NAME),
        z
          .string({ error: 'a single-line string (no control characters), at most 4096 characters' })
          .max(4096, { error: 'a single-line string (no control characters), at most 4096 characters' })
          .regex(/^[^\p{Cc}]*$/u, { error: 'a single-line string (no control characters), at most 4096 characters' }),
        { error: (issue) => (issue.code === 'invalid_key' ? ENV_NAME_RULE : 'an object of variable names and values') },
      ),
      'Plain environment of the container (not secrets: they would show in the launch template).',
      'an object of variable names and values',
    ).optional(),
    secrets: described(
      z.record(z.string().regex(ENV_NAME), secretRefSchema, {
        error: (issue) => (issue.code === 'invalid_key' ? ENV_NAME_RULE : 'an object of variable names and secret references'),
      }),
      "Environment variables whose values are read at start from Secrets Manager or SSM Parameter Store under the environment's prefix; the instance role may read exactly these.",
      'an object of variable names and secret references',
    ).optional(),
    keepImages: wholeNumber(1, 1000, 'Images the ECR repository keeps (the newest; older ones expire).').default(DEFAULT_KEEP_IMAGES),
  },
  'Run the application as a container image.',
);
const placeholderSchema = section(
  { kind: z.literal('placeholder') },
  'The placeholder application: answers the health check, so a first deploy turns healthy.',
);
export const APPLICATION_KINDS = ['placeholder', 'container'] as const;
const APPLICATION_KIND_RULE = `one of ${quoted(APPLICATION_KINDS)}`;
export const applicationSchema = described(
  z.discriminatedUnion('kind', [placeholderSchema, containerSchema], {
    error: (issue) => (issue.code === 'invalid_union' ? APPLICATION_KIND_RULE : 'an object'),
  }),
  'What runs on the app servers: the placeholder (default) or a container image.',
  `an object whose kind is ${APPLICATION_KIND_RULE}`,
).default({ kind: 'placeholder' });

const databaseSchema = section(
  {
    engine: choice(['mysql', 'postgres'], 'Database engine.').default('mysql'),
    engineVersion: text(
      /^\d+(\.\d+){0,2}$/,
      'Engine version: a supported major ("8.4", "16") or a full version ("8.4.5", "16.8").',
      'an engine version such as "8.4" or "16.8"',
      32,
    ),
    instanceClass: text(
      /^db\.[a-z0-9]+\.[a-z0-9]+$/,
      'RDS instance class (config/catalog.ts lists the ones the engines run on).',
      'an RDS instance class such as "db.t4g.micro"',
      64,
    ),
    allocatedStorageGiB: wholeNumber(20, 65536, 'Initial gp3 storage in GiB.'),
    maxAllocatedStorageGiB: wholeNumber(20, 65536, 'Storage autoscaling cap in GiB (at least allocatedStorageGiB).'),
    multiAz: flag('Keep a synchronous standby in a second availability zone.'),
    backupRetentionDays: wholeNumber(0, 35, 'Days of automated backups (at least 1 with multiAz).'),
    databaseName: text(
      /^[A-Za-z][A-Za-z0-9_]{0,62}$/,
      'Initial database (schema) name.',
      'a letter then letters, digits or _ (at most 63)',
    ).default('app'),
    masterUsername: text(
      /^[A-Za-z][A-Za-z0-9_]{0,15}$/,
      'Master user name; the password is generated and kept by Secrets Manager.',
      'a letter then letters, digits or _ (at most 16)',
    ).default('app_admin'),
    passwordRotationDays: wholeNumber(
      1,
      1000,
      "Days between rotations of the master password RDS keeps in Secrets Manager (managed rotation, no Lambda; RDS's own default is 7). The app servers keep the file DB_CREDENTIALS_FILE names current within a minute of a rotation: an application that reads it when it connects needs no restart.",
    ).default(7),
  },
  'The relational database of the environment.',
);

const httpsSchema = section(
  {
    domainName: text(
      FQDN,
      'Fully qualified name users reach the application at, e.g. "app.example.com".',
      'a fully qualified lower-case domain name such as "app.example.com"',
      253,
    ),
    hostedZoneId: text(
      /^Z[A-Z0-9]{1,31}$/,
      'Route 53 public hosted zone of domainName: a certificate is issued and validated by DNS there, and an alias record published.',
      'a Route 53 hosted zone id such as "Z0123456789ABCDEFGHIJ"',
    ).optional(),
    certificateArn: text(
      /^arn:aws:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/,
      "ARN of an existing ACM certificate in the environment's region that covers domainName.",
      'an ACM certificate ARN',
    ).optional(),
  },
  'HTTPS for the load balancer: domainName with exactly one of hostedZoneId or certificateArn.',
  'absent (plain HTTP) or { domainName, hostedZoneId } or { domainName, certificateArn }',
);

const s3Backend = section(
  {
    kind: z.literal('s3'),
    bucket: bucketName("State bucket. Default: the state section's bucket (required without a state section).").optional(),
    region: region("Bucket region. Default: the state section's region with its bucket, else the environment's region.").optional(),
    dynamodbTable: dynamodbTable('DynamoDB table for locking beside the S3 lock file (for teams still on older Terraform).').optional(),
    kmsKeyId: text(
      KMS_KEY,
      'KMS key of the state objects. Default: the bootstrap key alias with the state bucket and kms encryption, else SSE-S3.',
      'a KMS key id, key ARN, "alias/<name>" or alias ARN',
    ).optional(),
    roleArn: text(
      /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/,
      'IAM role the backend assumes to reach the bucket.',
      'an IAM role ARN such as "arn:aws:iam::111111111111:role/terraform-state"',
    ).optional(),
  },
  'S3 state (the default): key <project>/<env>/<stack>.tfstate, encrypted, locked by an S3 lock file.',
);
const localBackend = section({ kind: z.literal('local') }, 'Local state in the stack directory, for a first offline try only.');
const pgBackend = section(
  { kind: z.literal('pg') },
  'PostgreSQL state, a schema per stack; the connection string comes from PG_CONN_STR only.',
);
const cloudBackend = section(
  {
    kind: z.literal('cloud'),
    organization: text(
      /^[A-Za-z0-9_-]{3,40}$/,
      'HCP Terraform organization.',
      'an HCP Terraform organization name (3–40 letters, digits, _ or -)',
    ),
    project: text(
      /^[A-Za-z0-9_-][A-Za-z0-9 _-]{1,38}[A-Za-z0-9_-]$/,
      "HCP Terraform project of the workspaces. Default: the organization's default project.",
      'an HCP Terraform project name (3–40 letters, digits, spaces, _ or -)',
    ).optional(),
    hostname: text(
      FQDN,
      'Host of HCP Terraform or of a Terraform Enterprise installation. Default: app.terraform.io.',
      'a host name such as "app.terraform.io"',
    ).optional(),
  },
  'HCP Terraform: one workspace per stack, named after the stack.',
);
export const BACKEND_KINDS = ['s3', 'local', 'pg', 'cloud'] as const;
const BACKEND_KIND_RULE = `one of ${quoted(BACKEND_KINDS)}`;
export const backendSchema = described(
  z.discriminatedUnion('kind', [s3Backend, localBackend, pgBackend, cloudBackend], {
    error: (issue) => (issue.code === 'invalid_union' ? BACKEND_KIND_RULE : 'an object'),
  }),
  'Where the stack keeps its Terraform state: s3 (default), local, pg or cloud.',
  `an object whose kind is ${BACKEND_KIND_RULE}`,
).default({ kind: 's3' });

const FIREWALL_RULE = 'absent (on, 2000 requests per 5 minutes per IP) or an object { enabled, requestsPerFiveMinutes }';
const webFirewallSchema = section(
  {
    enabled: flag(
      'Put a web ACL with AWS managed rule groups in front of the load balancer, with a per-IP rate limit and the IP reputation list when the load balancer is public (off then needs a suppression of elb-waf). Behind the edge it keeps the rules that do not depend on the client address: the edge web ACLs, which see the client, hold those.',
    ).default(true),
    requestsPerFiveMinutes: wholeNumber(
      100,
      2_000_000_000,
      "Requests one client IP may send in 5 minutes before WAF blocks it, at a public load balancer. Behind the edge the load balancer sees CloudFront's addresses, not the clients': the limit is edge.requestsPerFiveMinutes there.",
    ).default(2000),
  },
  'AWS WAF in front of the load balancer.',
  FIREWALL_RULE,
).default({ enabled: true, requestsPerFiveMinutes: 2000 });

const uploadsSchema = section(
  {
    noncurrentVersionDays: wholeNumber(1, 3650, 'Days a replaced or deleted file is kept as an older version before it expires.').default(
      30,
    ),
    corsOrigins: described(
      z
        .array(
          text(
            /^https:\/\/[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?(:\d{1,5})?$/,
            'A browser origin.',
            'an https origin such as "https://app.example.com"',
            270,
          ),
          { error: 'a list of https origins' },
        )
        .max(20, { error: 'a list of at most 20 https origins' }),
      'Browser origins that may upload and download directly with presigned URLs (CORS for GET, PUT, POST).',
      'a list of https origins such as "https://app.example.com"',
    ).optional(),
  },
  "A private bucket for the files the application stores (uploads, photos, avatars): encrypted with the stack's key, versioned, access-logged; the app servers may read, write and delete its objects and find its name in UPLOADS_BUCKET.",
  'absent (no uploads bucket) or an object { noncurrentVersionDays, corsOrigins }',
);

/** What `npm run cost` assumes an environment uses in a month, beside what its resources cost by the hour. */
export const USAGE_DEFAULTS = {
  requestsPerMonth: 1_000_000,
  dataOutGB: 10,
  natProcessedGB: 10,
  logIngestedGB: 5,
  backupStorageGB: 20,
  s3StorageGB: 5,
  imageStorageGB: 5,
} as const;
const usageSchema = section(
  {
    requestsPerMonth: amount(
      1e12,
      'HTTP requests users send per month: WAF requests, load balancer connections (one new connection per request, an upper bound), CloudFront requests.',
    ).default(USAGE_DEFAULTS.requestsPerMonth),
    dataOutGB: amount(
      1e9,
      "GB served to users per month: data transfer out (or CloudFront data out) and the load balancer's processed bytes.",
    ).default(USAGE_DEFAULTS.dataOutGB),
    natProcessedGB: amount(
      1e9,
      'GB through the NAT gateways per month, both directions (package updates, AWS APIs, outside APIs).',
    ).default(USAGE_DEFAULTS.natProcessedGB),
    logIngestedGB: amount(
      1e9,
      'GB of CloudWatch Logs ingested per month (flow logs, database logs, WAF logs, enhanced monitoring, app logs); stored as long as the log groups keep them.',
    ).default(USAGE_DEFAULTS.logIngestedGB),
    backupStorageGB: amount(
      1e9,
      "GB of database backups and snapshots kept; RDS charges only what exceeds the database's storage.",
    ).default(USAGE_DEFAULTS.backupStorageGB),
    s3StorageGB: amount(1e9, "GB kept in the stack's S3 buckets (access logs, uploads).").default(USAGE_DEFAULTS.s3StorageGB),
    imageStorageGB: amount(
      1e9,
      'GB of container images the release registry keeps (its lifecycle keeps the last application.keepImages).',
    ).default(USAGE_DEFAULTS.imageStorageGB),
  },
  'Monthly usage the cost estimate (npm run cost) assumes for the environment, beside the hourly price of its resources.',
  'absent (the defaults) or an object { requestsPerMonth, dataOutGB, natProcessedGB, logIngestedGB, backupStorageGB, s3StorageGB, imageStorageGB }',
).default(USAGE_DEFAULTS);
/** The Content-Security-Policy the front-ends send unless they say otherwise: same-origin everything (the API is under the same name), inline styles (Angular writes them), no plugins, no framing. */
export const BASELINE_CSP =
  "default-src 'self'; base-uri 'self'; object-src 'none'; frame-ancestors 'none'; form-action 'self'; img-src 'self' data:; font-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; upgrade-insecure-requests";
const IPV4_CIDR_RULE = 'an IPv4 CIDR such as "203.0.113.0/24"';
const CSP_RULE = 'a Content-Security-Policy of at most 1783 printable ASCII characters';
const CSP_TEMPLATE_RULE =
  'a Content-Security-Policy without "${" or "%{": no CSP source holds them, and Terraform would read them as a template, not as text';
/**
 * An API path pattern: a literal path ending in `*`, which CloudFront (cache behaviour) and the load balancer
 * (listener rule path condition, at most 128 characters: ELB API reference, PathPatternConditionConfig) both
 * read as "every path that starts with this".
 */
const ALB_PATH_PATTERN_MAX = 128;
const API_PATH = /^\/[A-Za-z0-9._~/-]{0,126}\*$/;
/** The API's path behind the edge unless the config says otherwise. */
export const DEFAULT_API_PATH = '/api/*';
const API_PATH_RULE = 'a path pattern such as "/api/*" (a path ending in *, at most 128 characters)';

const frontendSchema = section(
  {
    name: text(
      NAME,
      'Front-end name: part of its resource names (<project>-<env>-<name>-…) and what `npm run publish` is given.',
      NAME_RULE,
      12,
    ),
    domainName: text(
      FQDN,
      'Name users reach the front-end at, e.g. "www.example.com": a certificate from ACM in us-east-1, validated by DNS, and alias A/AAAA records. Absent: the distribution\'s own *.cloudfront.net name.',
      'a fully qualified lower-case domain name such as "www.example.com"',
      253,
    ).optional(),
    hostedZoneId: text(
      /^Z[A-Z0-9]{1,31}$/,
      'Route 53 public hosted zone of domainName. Default: https.hostedZoneId.',
      'a Route 53 hosted zone id such as "Z0123456789ABCDEFGHIJ"',
    ).optional(),
    spa: flag('A single-page app (Angular, React, Vue): routes without a file (/orders/42) are answered with /index.html.').default(true),
    allowedIpRanges: described(
      z
        .array(text(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, 'An IPv4 range.', IPV4_CIDR_RULE, 18), { error: 'a list of IPv4 CIDRs' })
        .min(1, { error: 'a list of 1 to 100 IPv4 CIDRs (leave the field out to admit everyone)' })
        .max(100, { error: 'a list of 1 to 100 IPv4 CIDRs (leave the field out to admit everyone)' }),
      'Only these client addresses may reach the front-end (an admin back-office): the web ACL blocks every other one. Default: everyone.',
      'a list of IPv4 CIDRs such as "203.0.113.0/24"',
    ).optional(),
    apiPath: text(
      API_PATH,
      'Path pattern this front-end routes to the API behind the edge. A front-end with allowedIpRanges has it to itself: the load balancer forwards it only when it arrives through this front-end\'s distribution, and every other front-end\'s web ACL refuses it. Default: for a front-end with allowedIpRanges "<edge.apiPath without *><name>/*" (e.g. "/api/admin/*"), else edge.apiPath.',
      API_PATH_RULE,
      ALB_PATH_PATTERN_MAX,
    ).optional(),
    contentSecurityPolicy: described(
      z
        .string({ error: CSP_RULE })
        .max(1783, { error: CSP_RULE, abort: true })
        .regex(/^[\x20-\x7E]+$/, { error: CSP_RULE })
        // No CSP source holds "${" or "%{", and Terraform reads both as a template (modules/terraform-literal.ts).
        .regex(/^(?!.*[$%]\{)/, { error: CSP_TEMPLATE_RULE }),
      `Content-Security-Policy header of every response (widen it for third-party scripts, fonts or APIs). Default: ${BASELINE_CSP}.`,
      `${CSP_RULE}, without "\${" or "%{"`,
    ).optional(),
  },
  "A static web app (e.g. Angular's dist/<app>/browser) served from a private bucket through its own CloudFront distribution.",
  'an object { name, domainName, hostedZoneId, spa, allowedIpRanges, apiPath, contentSecurityPolicy }',
);

const EDGE_RULE = 'absent (defaults) or an object { priceClass, api, apiPath, requestsPerFiveMinutes }';
const edgeSchema = section(
  {
    priceClass: choice(
      PRICE_CLASSES,
      'Edge locations that serve the front-ends: 100 (North America, Europe, Israel; cheapest), 200 (adds most of Asia, Africa, the Middle East) or All.',
    ).default('PriceClass_100'),
    api: flag(
      "Route each front-end's API path to the load balancer through a CloudFront VPC origin over HTTPS, and make the load balancer internal: only the edge is public. Default: on when the environment has https (CloudFront checks the load balancer's certificate for https.domainName), off without.",
    ).optional(),
    apiPath: text(
      API_PATH,
      'Path pattern of the API behind the edge, for the front-ends without allowedIpRanges and without an apiPath of their own.',
      API_PATH_RULE,
      ALB_PATH_PATTERN_MAX,
    ).default(DEFAULT_API_PATH),
    requestsPerFiveMinutes: wholeNumber(
      100,
      2_000_000_000,
      'Requests one client IP may send to a front-end in 5 minutes before the edge web ACL blocks it.',
    ).default(2000),
  },
  'CloudFront settings shared by the front-ends of the environment.',
  EDGE_RULE,
).default({ priceClass: 'PriceClass_100', apiPath: DEFAULT_API_PATH, requestsPerFiveMinutes: 2000 });

const suppressionSchema = section(
  {
    rule: described(
      z.enum(RULE_IDS as [string, ...string[]], { error: 'a policy rule id listed in RULES.md, e.g. "rds-multi-az"' }),
      'Id of a rule in RULES.md.',
      'a policy rule id listed in RULES.md, e.g. "rds-multi-az"',
    ),
    reason: described(
      z.string({ error: REASON_RULE }).max(1000, { error: REASON_RULE, abort: true }).refine(isValidReason, { error: REASON_RULE }),
      'Why the environment accepts the weakness: a real sentence.',
      REASON_RULE,
    ),
  },
  'An accepted policy finding: the rule stays on, this environment does not meet it, for this reason.',
  'an object { rule, reason }',
);

const TAG_KEY_RULE = `a key of 1–${MAX_TAG_KEY} ${TAG_CHARACTERS_TEXT}, not starting with "aws:"`;
const TAG_VALUE_RULE = `a string of at most ${MAX_TAG_VALUE} ${TAG_CHARACTERS_TEXT}`;
const TAGS_RULE = 'an object of string keys and values';
const tagsSchema = described(
  z.record(
    z
      .string()
      .min(1)
      .max(MAX_TAG_KEY)
      .regex(TAG_CHARACTERS)
      .regex(/^(?![aA][wW][sS]:)/),
    z.string({ error: TAG_VALUE_RULE }).max(MAX_TAG_VALUE, { error: TAG_VALUE_RULE }).regex(TAG_CHARACTERS, { error: TAG_VALUE_RULE }),
    { error: (issue) => (issue.code === 'invalid_key' ? TAG_KEY_RULE : TAGS_RULE) },
  ),
  "Extra tags on every resource (beside Project, Environment, ManagedBy and the resources' own Name and Tier).",
  TAGS_RULE,
);

export const LOG_RETENTION_RULE = `one of CloudWatch Logs' periods: ${LOG_RETENTION_DAYS.join(', ')}`;

export const environmentSchema = section(
  {
    name: text(NAME, 'Environment name: part of the stack name and of every resource name (<project>-<name>-…).', NAME_RULE, 12),
    accountId: accountId('AWS account the stack may be deployed to (the provider refuses any other).'),
    region: region('AWS region of the environment.'),
    availabilityZones: described(
      z
        .array(text(/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/, 'An availability zone.', 'an availability zone name such as "eu-west-1a"', 32), {
          error: 'a list of 2 or 3 availability zones',
        })
        .min(2, { error: '2 to 3 zones (high availability needs at least 2)' })
        .max(3, { error: '2 to 3 zones (high availability needs at least 2)' }),
      '2 or 3 distinct zones of the region. Their order is part of the subnet layout: only ever append.',
      'a list of 2 or 3 distinct availability zones of the region',
    ),
    vpcCidr: text(
      /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/,
      'VPC IPv4 range; the public, app and data subnets are carved from it.',
      'an IPv4 CIDR such as "10.0.0.0/16"',
      18,
    ),
    natGateways: choice(['none', 'single', 'perAz'], 'NAT gateways for the app subnets: none, one shared, or one per zone.'),
    interfaceEndpoints: flag(
      'Interface VPC endpoints for ECR, CloudWatch Logs, Secrets Manager and Systems Manager in the app subnets, so the app servers reach them without the internet (always on with natGateways "none"; the S3 gateway endpoint is always there).',
    ).default(false),
    compute: computeSchema,
    application: applicationSchema,
    database: databaseSchema,
    deletionProtection: flag(
      'Protect what holds data: RDS deletion protection, final snapshot, prevent_destroy on the database and log buckets, ALB deletion protection.',
    ),
    https: httpsSchema.optional(),
    logRetentionDays: described(
      z.literal(LOG_RETENTION_DAYS as [number, ...number[]], { error: LOG_RETENTION_RULE }),
      'Days to keep VPC flow logs and the other CloudWatch logs.',
      LOG_RETENTION_RULE,
    ),
    backend: backendSchema,
    alarmEmail: text(
      EMAIL,
      'E-mail address subscribed to the alerts topic (AWS e-mails a confirmation link first).',
      'an e-mail address such as "ops@example.com"',
      320,
    ).optional(),
    webFirewall: webFirewallSchema,
    uploads: uploadsSchema.optional(),
    usage: usageSchema,
    frontends: described(
      z.array(frontendSchema, { error: 'a list of front-ends' }).max(10, { error: 'a list of at most 10 front-ends' }),
      'Static web apps served through CloudFront, each from its own private bucket (none by default).',
      'a list of { name, domainName, hostedZoneId, spa, allowedIpRanges, apiPath, contentSecurityPolicy }',
    ).default([]),
    edge: edgeSchema,
    policySuppressions: described(
      z
        .array(suppressionSchema, { error: 'a list of { rule, reason }' })
        .max(RULE_IDS.length, { error: `a list of at most ${RULE_IDS.length} { rule, reason } (one per rule)` }),
      'Policy rules this environment knowingly does not meet, each with its reason.',
      'a list of { rule, reason }',
    ).default([]),
    tags: tagsSchema.optional(),
  },
  'One deployable environment: one stack, <project>-<name>.',
  'an environment object',
);

/** CI hosts whose OpenID Connect tokens the bootstrap stack's roles can trust. */
export const CI_PROVIDERS = ['github'] as const;
export const CI_RULE = 'absent (no CI roles) or an object { provider, repository, mainBranch, identityProvider, maxSessionHours }';
export const REPOSITORY_RULE =
  'a GitHub repository "owner/name" as GitHub spells it, such as "acme/web-platform" (owner: up to 39 letters, digits and single hyphens inside; name: up to 100 letters, digits and . _ -, not "." or "..", not ending in ".git")';
/**
 * GitHub's rules for an account (letters, digits, single hyphens inside, at most 39) and a repository name (at
 * most 100 of letters, digits and . _ -; not "." or ".."; GitHub strips a ".git" ending, so no repository has one).
 */
const GITHUB_REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}\/(?!\.\.?$)(?!.*\.git$)[A-Za-z0-9._-]{1,100}$/;
/** A URL or clone address of a GitHub repository: its owner and name. */
const GITHUB_URL = /^(?:(?:https?|ssh|git):\/\/)?(?:[\w.-]+@)?(?:www\.)?github\.com[/:]([^/\s]+)\/([^/\s]+?)(?:\.git)?\/?$/i;

/**
 * What `repository` is allowed to be, said for the value given: the tokens' `sub` claim names the repository
 * "owner/name", so a URL or a ".git" ending would make a trust that no token matches.
 */
export function repositoryRule(value: unknown): string {
  const text = typeof value === 'string' ? value : '';
  const url = GITHUB_URL.exec(text);
  if (url && GITHUB_REPOSITORY.test(`${url[1]}/${url[2]}`))
    return `${REPOSITORY_RULE}, not a URL: write ${show(`${url[1]}/${url[2]}`)} (the tokens name the repository so)`;
  if (text.endsWith('.git') && GITHUB_REPOSITORY.test(text.slice(0, -4)))
    return `${REPOSITORY_RULE}: write ${show(text.slice(0, -4))} (the tokens name the repository without ".git", so the roles would trust none)`;
  return REPOSITORY_RULE;
}
export const BRANCH_RULE = 'a branch name such as "main" (letters, digits and . _ / -; no "..", no leading or trailing "/" or ".")';
const ciSchema = section(
  {
    provider: choice(
      CI_PROVIDERS,
      'CI host whose OpenID Connect tokens the roles trust: "github" (GitHub Actions, token.actions.githubusercontent.com).',
    ),
    repository: described(
      z
        .string({ error: REPOSITORY_RULE })
        .max(140, { error: REPOSITORY_RULE, abort: true })
        .regex(GITHUB_REPOSITORY, { error: (issue) => repositoryRule(issue.input) }),
      'The repository whose workflows may assume the roles ("owner/name", as GitHub spells it: the tokens keep its case); no other repository, fork or branch can.',
      REPOSITORY_RULE,
    ),
    mainBranch: text(
      /^(?![./])(?!.*\.\.)(?!.*\/\/)(?!.*\.lock$)[A-Za-z0-9._/-]{1,255}(?<![./])$/,
      'The branch whose runs (the scheduled drift check, the plan after a merge) may assume the plan role, besides pull requests.',
      BRANCH_RULE,
      255,
    ).default('main'),
    identityProvider: choice(
      ['create', 'existing'],
      "Create the account's OpenID Connect provider for the CI host, or use the one the account already has (IAM allows one per host and account).",
    ).default('create'),
    maxSessionHours: wholeNumber(
      1,
      12,
      "Longest session of either role, in hours (the role's maximum session duration); a deploy of a new environment may take more than one hour.",
    ).default(2),
  },
  "Roles a CI pipeline assumes through OpenID Connect, with no stored keys: plan (read-only; pull requests and the main branch) and deploy (the repository's GitHub environments, one per environment of the config).",
  CI_RULE,
);

export const STATE_RULE =
  'absent (no bootstrap stack) or an object { accountId, region, bucket, encryption, noncurrentVersionDays, lockTable, backend, ci }';
export const stateSchema = section(
  {
    accountId: accountId("AWS account that holds the state (the stack's provider refuses any other)."),
    region: region('Region of the state bucket and the lock table.'),
    bucket: bucketName('Globally unique name of the state bucket; s3 backends use it unless they name another.'),
    encryption: choice(['kms', 's3'], 'Default encryption of the bucket: a customer-managed KMS key rotated yearly, or SSE-S3.').default(
      'kms',
    ),
    noncurrentVersionDays: wholeNumber(1, 3650, 'Days a replaced state version is kept before it expires.').default(90),
    lockTable: dynamodbTable('Name of a DynamoDB lock table to create (on demand, point-in-time recovery, encrypted).').optional(),
    backend: choice(
      ['local', 's3'],
      'Where the bootstrap stack keeps its own state once npm run bootstrap made the bucket: s3 (in it), or local (cdktf.out, a throwaway try only).',
    ).default('s3'),
    ci: ciSchema.optional(),
    administrators: described(
      z
        .array(
          text(
            /^arn:aws:iam::\d{12}:(root|role\/[\w+=,.@/*-]{1,512}|user\/[\w+=,.@/*-]{1,512})$/,
            'An IAM principal (role, user or account root) allowed on every state object, as its ARN; "*" matches any characters (an SSO role: arn:aws:iam::<account>:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_Admin_*).',
            'an IAM role, user or root ARN such as "arn:aws:iam::111111111111:role/Admin"',
          ),
          { error: 'a list of IAM principal ARNs' },
        )
        .max(20, { error: 'absent, or a list of up to 20 IAM principal ARNs' }),
      "Who besides each environment's CI roles may read and write its state: the state bucket's policy denies every other principal. Without it, only the CI roles of the other environments are kept out. Name the principals you deploy and bootstrap with, or you lock them out of the state.",
      'absent, or a list of up to 20 IAM principal ARNs',
    ).optional(),
  },
  'The bootstrap stack (<project>-state): the state bucket and, when asked for, a DynamoDB lock table and the roles of a CI pipeline.',
  STATE_RULE,
);

export const platformSchema = section(
  {
    $schema: described(
      z.string({ error: 'a string' }),
      'JSON Schema of the file (editors use it): config/platform.schema.json.',
      'a string',
    ).optional(),
    project: text(NAME, 'Project name: first part of every stack and resource name and of the state keys.', NAME_RULE, 12),
    state: stateSchema.optional(),
    environments: described(
      z.array(environmentSchema, { error: 'a non-empty list of environments' }).min(1, { error: 'a non-empty list of environments' }),
      'The environments; each becomes one stack.',
      'a non-empty list of environments',
    ),
  },
  'The platform configuration: a project, its environments and the bootstrap stack.',
  'an object { project, environments }',
);
