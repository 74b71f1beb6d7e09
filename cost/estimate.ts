/**
 * The monthly estimate of one environment: what its synthesized stack holds (read from cdk.tf.json, never
 * from the constructs), priced with the table of cost/prices.ts for the environment's region and the usage
 * its config assumes (`usage`, defaulted in config/schema.ts). On-demand list prices, USD, 730 hours a month.
 */
import type { EnvironmentConfig, UsageConfig } from '../config/types';
import { FREE_TYPES, GLOBAL_CONFIRMED, GLOBAL_PRICES, HOURS_PER_MONTH, PRICED_TYPES, REGIONAL_PRICES, type RegionalPrices } from './prices';

/** A stack's Terraform JSON, as much of it as the estimate reads. */
export interface StackJson {
  readonly resource?: Readonly<Record<string, Readonly<Record<string, any>>>>;
  readonly provider?: { readonly aws?: readonly { readonly region?: string }[] };
}

/** One priced line. */
export interface CostLine {
  /** What is priced, e.g. `NAT gateway hours`. */
  readonly item: string;
  /** Group of the line in tables (`network`, `database`, …). */
  readonly group: string;
  readonly quantity: number;
  /** Unit of the quantity, e.g. `h`, `GB`, `GB-month`. */
  readonly unit: string;
  /** USD per unit. */
  readonly unitPrice: number;
  /** USD per month, rounded to the cent. */
  readonly monthly: number;
  /** Every price of the line was confirmed by a source (cost/prices.ts). */
  readonly confirmed: boolean;
  /** How the quantity was arrived at. */
  readonly basis: string;
}

export interface Estimate {
  readonly stack: string;
  readonly environment: string;
  readonly region: string;
  readonly lines: readonly CostLine[];
  /** USD per month: the sum of the lines' cents. */
  readonly total: number;
  /** The usage the estimate assumed. */
  readonly usage: UsageConfig;
}

/** The stack cannot be priced: a resource type the table does not know, a type or class it has no price for. */
export class CostError extends Error {
  override readonly name = 'CostError';
}

/** Whole cents of a non-negative amount, half a cent rounded up (the 1e-6 absorbs binary noise: 16.425 is 16.42499…). */
const cents = (usd: number): number => Math.round(usd * 100 + 1e-6);
/** `quantity × unitPrice` in USD, rounded to the cent. */
const monthly = (quantity: number, unitPrice: number): number => cents(quantity * unitPrice) / 100;
/** Days in an average month. */
const DAYS_PER_MONTH = 365 / 12;

/** `${type.name.attr}` → [type, name]. */
function referenced(value: unknown): [string, string] | undefined {
  const match = typeof value === 'string' ? /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.[a-z_]+\}$/.exec(value) : null;
  return match ? [match[1], match[2]] : undefined;
}

/** Resource types of `stack` that cost/prices.ts neither prices nor declares free. */
export function unpricedTypes(stack: StackJson): string[] {
  const known = new Set<string>([...PRICED_TYPES, ...Object.keys(FREE_TYPES)]);
  return Object.keys(stack.resource ?? {})
    .filter((type) => !known.has(type))
    .sort();
}

/** The estimate of `env`'s stack `stackName`. Throws a `CostError` for anything the table cannot price. */
export function estimate(stackName: string, env: EnvironmentConfig, stack: StackJson): Estimate {
  const unknown = unpricedTypes(stack);
  if (unknown.length > 0) {
    throw new CostError(
      `cost: ${stackName} has resources of type ${unknown.join(', ')}, which cost/prices.ts neither prices nor declares free (FREE_TYPES)`,
    );
  }
  const region = stack.provider?.aws?.[0]?.region ?? env.region;
  const prices: RegionalPrices | undefined = Object.hasOwn(REGIONAL_PRICES, region) ? REGIONAL_PRICES[region] : undefined;
  if (!prices) throw new CostError(`cost: ${stackName}: no prices for region ${region} in cost/prices.ts`);
  const resources = stack.resource ?? {};
  const of = (type: string): Record<string, any>[] => Object.values(resources[type] ?? {});
  const usage = env.usage;
  const lines: CostLine[] = [];
  const regional = (key: string) => prices.confirmed.includes(key);
  const global = (key: keyof typeof GLOBAL_PRICES) => GLOBAL_CONFIRMED.includes(key);
  const add = (group: string, item: string, quantity: number, unit: string, unitPrice: number, confirmed: boolean, basis: string) =>
    lines.push({ group, item, quantity, unit, unitPrice, monthly: monthly(quantity, unitPrice), confirmed, basis });

  // Network
  const nats = of('aws_nat_gateway').length;
  if (nats > 0) {
    add(
      'network',
      'NAT gateway hours',
      nats * HOURS_PER_MONTH,
      'h',
      prices.natHour,
      regional('natHour'),
      `${nats} NAT gateway${nats === 1 ? '' : 's'} × ${HOURS_PER_MONTH} h`,
    );
    add('network', 'NAT gateway data processed', usage.natProcessedGB, 'GB', prices.natGB, regional('natGB'), 'usage.natProcessedGB');
  }
  const eips = of('aws_eip').length;
  const albIps = of('aws_lb')
    .filter((lb) => lb.internal !== true)
    .reduce((n, lb) => n + (lb.subnets?.length ?? 0), 0);
  if (eips + albIps > 0) {
    add(
      'network',
      'Public IPv4 addresses',
      (eips + albIps) * HOURS_PER_MONTH,
      'h',
      GLOBAL_PRICES.publicIpv4Hour,
      global('publicIpv4Hour'),
      // An internal load balancer (behind the edge) has no public address.
      `${[
        ...(eips > 0 ? [`${eips} Elastic IP${eips === 1 ? '' : 's'}`] : []),
        ...(albIps > 0 ? [`${albIps} load balancer node${albIps === 1 ? '' : 's'} (one per zone)`] : []),
      ].join(' + ')} × ${HOURS_PER_MONTH} h`,
    );
  }
  const cdn = of('aws_cloudfront_distribution').length > 0;
  if (!cdn)
    add(
      'network',
      'Data transfer out to the internet',
      usage.dataOutGB,
      'GB',
      prices.dataOutGB,
      regional('dataOutGB'),
      'usage.dataOutGB (the account-wide 100 GB free tier not subtracted)',
    );
  for (const endpoint of of('aws_vpc_endpoint')) {
    if (endpoint.vpc_endpoint_type !== 'Interface') continue;
    const zones = endpoint.subnet_ids?.length ?? 1;
    add(
      'network',
      `VPC endpoint ${String(endpoint.service_name ?? '')
        .split('.')
        .pop()} hours`,
      zones * HOURS_PER_MONTH,
      'h',
      prices.endpointHour,
      regional('endpointHour'),
      `${zones} zone${zones === 1 ? '' : 's'} × ${HOURS_PER_MONTH} h (gateway endpoints are free)`,
    );
  }

  // Load balancer
  const lbs = of('aws_lb').length;
  if (lbs > 0) {
    add(
      'load balancer',
      'Load balancer hours',
      lbs * HOURS_PER_MONTH,
      'h',
      prices.albHour,
      regional('albHour'),
      `${lbs} × ${HOURS_PER_MONTH} h`,
    );
    const gbPerHour = usage.dataOutGB / HOURS_PER_MONTH;
    const connectionsPerSecond = usage.requestsPerMonth / (HOURS_PER_MONTH * 3600);
    // The dimension that bills: processed bytes (1 GB/h per LCU) or new connections (25/s per LCU); one
    // listener rule per request is within the free 10 rule evaluations.
    const lcu = Math.max(gbPerHour, connectionsPerSecond / 25);
    const lcuHours = Math.round(lcu * HOURS_PER_MONTH * 1e6) / 1e6;
    add(
      'load balancer',
      'Load balancer capacity units',
      lcuHours,
      'LCU-h',
      prices.lcuHour,
      regional('lcuHour'),
      'max(usage.dataOutGB per hour ÷ 1 GB, usage.requestsPerMonth per second ÷ 25 new connections) × 730 h',
    );
  }

  // Compute
  for (const group of of('aws_autoscaling_group')) {
    const ref = referenced(group.launch_template?.id);
    const template = ref ? resources[ref[0]]?.[ref[1]] : undefined;
    if (!template) throw new CostError(`cost: ${stackName}: the auto scaling group ${group.name} has no launch template in the stack`);
    const type = template.instance_type as string;
    const price = prices.ec2[type];
    if (price === undefined)
      throw new CostError(
        `cost: ${stackName}: no on-demand price for EC2 ${type} in ${region} in cost/prices.ts (priced: ${Object.keys(prices.ec2).join(', ')}); add it with its source`,
      );
    const count = Number(group.desired_capacity ?? group.min_size ?? 0);
    add(
      'compute',
      `EC2 ${type}`,
      count * HOURS_PER_MONTH,
      'h',
      price,
      regional(`ec2.${type}`),
      `desired capacity ${count} × ${HOURS_PER_MONTH} h`,
    );
    const gib = (template.block_device_mappings ?? []).reduce(
      (n: number, m: any) => n + (m.ebs?.volume_type === 'gp3' ? Number(m.ebs.volume_size ?? 0) : 0),
      0,
    );
    if (gib > 0)
      add(
        'compute',
        'EBS gp3 root volumes',
        count * gib,
        'GB-month',
        prices.ebsGp3GBMonth,
        regional('ebsGp3GBMonth'),
        `${count} × ${gib} GB (baseline IOPS and throughput included)`,
      );
  }

  // Database
  for (const db of of('aws_db_instance')) {
    const engine = db.engine as 'mysql' | 'postgres';
    const instanceClass = db.instance_class as string;
    const price = prices.rds[engine]?.[instanceClass];
    if (price === undefined)
      throw new CostError(
        `cost: ${stackName}: no on-demand price for RDS ${engine} ${instanceClass} in ${region} in cost/prices.ts; add it with its source`,
      );
    const copies = db.multi_az === true ? 2 : 1;
    const az = copies === 2 ? 'Multi-AZ: primary + standby' : 'Single-AZ';
    add(
      'database',
      `RDS ${engine} ${instanceClass}`,
      copies * HOURS_PER_MONTH,
      'h',
      price,
      regional(`rds.${engine}.${instanceClass}`),
      `${az}, ${copies} × ${HOURS_PER_MONTH} h`,
    );
    const storage = Number(db.allocated_storage ?? 0);
    if (db.storage_type !== 'gp3')
      throw new CostError(`cost: ${stackName}: RDS storage type ${db.storage_type} is not priced in cost/prices.ts`);
    add(
      'database',
      'RDS gp3 storage',
      copies * storage,
      'GB-month',
      prices.rdsGp3GBMonth,
      regional('rdsGp3GBMonth'),
      `${copies} × ${storage} GB allocated`,
    );
    const beyond = Math.max(0, usage.backupStorageGB - storage);
    add(
      'database',
      'RDS backup storage beyond the free allowance',
      beyond,
      'GB-month',
      prices.rdsBackupGBMonth,
      regional('rdsBackupGBMonth'),
      `usage.backupStorageGB ${usage.backupStorageGB} GB − ${storage} GB free (the database's storage)`,
    );
    if (db.performance_insights_enabled === true) {
      const days = Number(db.performance_insights_retention_period ?? 7);
      if (days > 7)
        throw new CostError(`cost: ${stackName}: Performance Insights with ${days} days of history is not priced in cost/prices.ts`);
      add('database', 'Performance Insights (7 days of history)', 1, 'month', 0, true, 'free with 7 days of history');
    }
  }

  // Monitoring
  const alarms = of('aws_cloudwatch_metric_alarm').length;
  if (alarms > 0)
    add(
      'monitoring',
      'CloudWatch alarms',
      alarms,
      'alarm-month',
      GLOBAL_PRICES.alarmMonth,
      global('alarmMonth'),
      `${alarms} standard-resolution alarms (the account's 10 free not subtracted)`,
    );
  const dashboards = of('aws_cloudwatch_dashboard').length;
  if (dashboards > 0)
    add(
      'monitoring',
      'CloudWatch dashboard',
      dashboards,
      'dashboard-month',
      GLOBAL_PRICES.dashboardMonth,
      global('dashboardMonth'),
      "the account's 3 free not subtracted",
    );
  const logGroups = of('aws_cloudwatch_log_group');
  if (logGroups.length > 0) {
    add(
      'monitoring',
      'CloudWatch Logs ingestion',
      usage.logIngestedGB,
      'GB',
      prices.logsIngestGB,
      regional('logsIngestGB'),
      'usage.logIngestedGB',
    );
    const retention = Math.max(...logGroups.map((g) => Number(g.retention_in_days ?? 0)));
    const stored = Math.round(usage.logIngestedGB * (retention / DAYS_PER_MONTH) * 1e6) / 1e6;
    add(
      'monitoring',
      'CloudWatch Logs storage',
      stored,
      'GB-month',
      prices.logsStoreGBMonth,
      regional('logsStoreGBMonth'),
      `usage.logIngestedGB × ${retention} days kept ÷ ${DAYS_PER_MONTH.toFixed(2)} (uncompressed: an upper bound)`,
    );
  }

  // Security
  for (const acl of of('aws_wafv2_web_acl')) {
    const rules = (acl.rule ?? []).length;
    add('security', 'WAF web ACL', 1, 'ACL-month', GLOBAL_PRICES.webAclMonth, global('webAclMonth'), acl.name ?? 'web ACL');
    add(
      'security',
      'WAF rules and rule groups',
      rules,
      'rule-month',
      GLOBAL_PRICES.wafRuleMonth,
      global('wafRuleMonth'),
      `${rules} in the web ACL`,
    );
    add(
      'security',
      'WAF requests',
      usage.requestsPerMonth / 1e6,
      'million',
      GLOBAL_PRICES.wafMillionRequests,
      global('wafMillionRequests'),
      'usage.requestsPerMonth',
    );
  }
  const keys = of('aws_kms_key').length;
  if (keys > 0)
    add(
      'security',
      'KMS keys',
      keys,
      'key-month',
      GLOBAL_PRICES.kmsKeyMonth,
      global('kmsKeyMonth'),
      'first year (each yearly rotation adds $1 a month, at most $2); requests within the free 20 000',
    );
  const secrets =
    of('aws_secretsmanager_secret').length + of('aws_db_instance').filter((db) => db.manage_master_user_password === true).length;
  if (secrets > 0)
    add(
      'security',
      'Secrets Manager secrets',
      secrets,
      'secret-month',
      GLOBAL_PRICES.secretMonth,
      global('secretMonth'),
      'the database master password RDS keeps there, and any other secret',
    );

  // Storage and delivery
  const buckets = of('aws_s3_bucket').length;
  if (buckets > 0)
    add(
      'storage',
      'S3 Standard storage',
      usage.s3StorageGB,
      'GB-month',
      prices.s3GBMonth,
      regional('s3GBMonth'),
      `usage.s3StorageGB over ${buckets} bucket${buckets === 1 ? '' : 's'} (requests not estimated)`,
    );
  const registries = of('aws_ecr_repository').length;
  if (registries > 0)
    add(
      'storage',
      'ECR image storage',
      usage.imageStorageGB,
      'GB-month',
      GLOBAL_PRICES.ecrGBMonth,
      global('ecrGBMonth'),
      `usage.imageStorageGB in ${registries} repositor${registries === 1 ? 'y' : 'ies'} (pulls within the region are free)`,
    );
  if (cdn) {
    add(
      'delivery',
      'CloudFront data out',
      usage.dataOutGB,
      'GB',
      GLOBAL_PRICES.cloudFrontGB,
      global('cloudFrontGB'),
      'usage.dataOutGB, United States and Europe price',
    );
    if (of('aws_cloudfront_function').length > 0)
      add(
        'delivery',
        'CloudFront Functions invocations',
        usage.requestsPerMonth / 1e6,
        'million',
        GLOBAL_PRICES.cloudFrontFunctionMillion,
        global('cloudFrontFunctionMillion'),
        'usage.requestsPerMonth: the SPA routing function runs on each viewer request of the front-ends that use it (an upper bound)',
      );
    add(
      'delivery',
      'CloudFront HTTPS requests',
      usage.requestsPerMonth / 1e4,
      '10k requests',
      GLOBAL_PRICES.cloudFrontTenThousandRequests,
      global('cloudFrontTenThousandRequests'),
      'usage.requestsPerMonth',
    );
  }

  const total = lines.reduce((sum, l) => sum + cents(l.monthly), 0) / 100;
  return { stack: stackName, environment: env.name, region, lines, total, usage };
}
