/** Static facts about AWS the platform relies on. Kept in one place so an update is one edit. */
import type { DbEngine } from './types';

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

/**
 * Performance Insights is not offered on the smallest burstable classes of RDS for MySQL
 * (db.t2.*, db.t3/t4g micro and small); PostgreSQL supports it on every current class.
 */
export function supportsPerformanceInsights(engine: DbEngine, instanceClass: string): boolean {
  if (engine !== 'mysql') return true;
  return !/^db\.(t2\.|t[34]g?\.(micro|small)$)/.test(instanceClass);
}

/** Retention periods CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];
