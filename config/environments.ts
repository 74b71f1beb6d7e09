import { DEFAULT_AMI_PARAMETER } from './schema';
import type { ComputeInput, DatabaseInput, EnvironmentInput, PlatformInput, StateInput } from './types';

/*
 * The environments this app deploys. Values marked EXAMPLE must be replaced before a real deploy
 * (README: "Before your first deploy").
 */

/** EXAMPLE: the AWS account to deploy to. */
const ACCOUNT_ID = '111111111111';
const REGION = 'eu-west-1';

/**
 * The bootstrap stack (`web-state`): the state bucket every s3 backend below uses by default, encrypted
 * with a rotating KMS key, and the roles of the CI pipeline (`ci`). `npm run bootstrap` creates it and moves
 * its own state into that bucket, where `backend: 's3'` says it is (docs/deploy.md).
 */
export const state: StateInput = {
  accountId: ACCOUNT_ID,
  region: REGION,
  // EXAMPLE: bucket names are global; account and region in the name keep it unique.
  bucket: `web-platform-tfstate-${ACCOUNT_ID}-${REGION}`,
  encryption: 'kms',
  noncurrentVersionDays: 90,
  backend: 's3',
  // The roles a GitHub Actions pipeline assumes (README: "Deploying from CI").
  ci: {
    provider: 'github',
    // EXAMPLE: your repository, "owner/name" exactly as GitHub spells it.
    repository: 'example-org/web-platform',
    mainBranch: 'main',
    identityProvider: 'create',
    maxSessionHours: 2,
  },
};

const defaultCompute: Omit<ComputeInput, 'instanceType' | 'minSize' | 'desiredCapacity' | 'maxSize'> = {
  appPort: 8080,
  healthCheckPath: '/health',
  amiSsmParameter: DEFAULT_AMI_PARAMETER,
  scaling: 'step',
};

const defaultDatabase: Pick<DatabaseInput, 'engine' | 'engineVersion' | 'databaseName' | 'masterUsername' | 'passwordRotationDays'> = {
  engine: 'mysql',
  engineVersion: '8.4',
  databaseName: 'app',
  masterUsername: 'app_admin',
  // Secrets Manager rotates the master password this often; the app servers pick each new one up.
  passwordRotationDays: 7,
};

/**
 * dev: cheap — one NAT, single-AZ database, one small instance, 30-day logs, HTTP, no deletion protection, one
 * front-end at its CloudFront name. Each
 * of these settings carries its accepted risk with it (policy/accepted-risks.ts), phrased for the environment.
 */
export const dev: EnvironmentInput = {
  name: 'dev',
  accountId: ACCOUNT_ID,
  region: REGION,
  availabilityZones: ['eu-west-1a', 'eu-west-1b'],
  vpcCidr: '10.10.0.0/16',
  natGateways: 'single',
  compute: {
    ...defaultCompute,
    instanceType: 't3.micro',
    minSize: 1,
    desiredCapacity: 1,
    maxSize: 2,
    // Dev trades capacity for speed: a release stops the old instance before the new one runs.
    rollout: { minHealthyPercentage: 0, maxHealthyPercentage: 100, checkpointPercentages: [100], checkpointDelaySeconds: 0 },
  },
  database: {
    ...defaultDatabase,
    instanceClass: 'db.t4g.micro',
    allocatedStorageGiB: 20,
    maxAllocatedStorageGiB: 50,
    multiAz: false,
    backupRetentionDays: 7,
  },
  deletionProtection: false,
  logRetentionDays: 30,
  backend: { kind: 's3' },
  // One single-page app at its CloudFront name (https://<id>.cloudfront.net); without https the API stays on
  // the load balancer.
  frontends: [{ name: 'web', spa: true }],
};

/**
 * prod: highly available — NAT per AZ, Multi-AZ database, ≥ 2 instances over 3 AZs, protected data, HTTPS; the
 * public site, the admin app and the API behind one edge (CloudFront), nothing else public: the load balancer is
 * internal.
 */
export const prod: EnvironmentInput = {
  name: 'prod',
  accountId: ACCOUNT_ID,
  region: REGION,
  availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
  vpcCidr: '10.20.0.0/16',
  natGateways: 'perAz',
  compute: { ...defaultCompute, instanceType: 't3.small', minSize: 2, desiredCapacity: 3, maxSize: 6 },
  database: {
    ...defaultDatabase,
    instanceClass: 'db.m7g.large',
    allocatedStorageGiB: 50,
    maxAllocatedStorageGiB: 500,
    multiAz: true,
    backupRetentionDays: 14,
  },
  deletionProtection: true,
  // EXAMPLE: the team address that receives alarms (subscribe your paging tool to the topic as well).
  alarmEmail: 'ops@example.com',
  // EXAMPLE: your domain and its Route 53 public hosted zone id.
  https: { domainName: 'app.example.com', hostedZoneId: 'Z0123456789EXAMPLE' },
  logRetentionDays: 365,
  backend: { kind: 's3' },
  // What the cost estimate (npm run cost) assumes prod serves in a month; dev keeps the schema's defaults.
  usage: { requestsPerMonth: 30_000_000, dataOutGB: 300, natProcessedGB: 100, logIngestedGB: 40, backupStorageGB: 150, s3StorageGB: 100 },
  // The public site and the admin back-office at the edge, with the API behind them (the edge's default with
  // https): the load balancer is internal, reached through a CloudFront VPC origin only. The site routes /api/*
  // (edge.apiPath); the admin app, which admits its allow-list alone, routes /api/admin/* and has it to itself:
  // the load balancer forwards /api/admin/* only when it comes through the admin distribution, and the site's
  // web ACL refuses it in any spelling.
  frontends: [
    // EXAMPLE: your names and their Route 53 public hosted zone (a front-end without hostedZoneId uses https's).
    { name: 'site', domainName: 'www.example.com', hostedZoneId: 'Z0123456789EXAMPLE', spa: true },
    // EXAMPLE: the office or VPN ranges allowed to reach the back-office.
    {
      name: 'admin',
      domainName: 'admin.example.com',
      hostedZoneId: 'Z0123456789EXAMPLE',
      spa: true,
      allowedIpRanges: ['203.0.113.0/24'],
      apiPath: '/api/admin/*',
    },
  ],
  edge: { priceClass: 'PriceClass_100' },
};

/** What `main.ts` deploys. */
export const platform: PlatformInput = {
  project: 'web',
  environments: [dev, prod],
  state,
};
