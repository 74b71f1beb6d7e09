/**
 * On-demand list prices (USD) that `npm run cost` multiplies, for every region of the region catalog
 * (config/catalog.ts REGIONS), and the resource types that cost nothing by themselves.
 *
 * Sources: the AWS pricing pages of each service — Amazon VPC (NAT gateway, public IPv4 addresses, AWS
 * PrivateLink interface endpoints), Elastic Load Balancing, Amazon EC2 on-demand (Linux) and data transfer,
 * Amazon EBS, Amazon RDS for MySQL and for PostgreSQL (Single-AZ; Multi-AZ deployments bill two instances
 * and twice the storage), Amazon CloudWatch (alarms, dashboards, logs), AWS WAF, AWS KMS, AWS Secrets
 * Manager, Amazon S3, Amazon ECR, Amazon CloudFront — as recorded on 2026-12-01. The AWS Price List API was not
 * reachable where this table was written, so each price was compared with the public sources the project's
 * search tool could find that day:
 *
 * - CONFIRMED (a public source stated the same figure): us-east-1 NAT gateway $0.045/h and $0.045/GB (AWS VPC
 *   pricing page example, as transcribed 2026-09-20; several cost guides, 2026); us-east-1 ALB $0.0225/h and
 *   $0.008/LCU-h (AWS Elastic Load Balancing pricing page example, as transcribed 2026-09-20;
 *   cloud-horizons.com, 2026-05-08); eu-west-1 ALB $0.0252/h (a public ALB calculator's region table);
 *   ap-southeast-1 NAT gateway $0.059/h and $0.059/GB (basavytix.com, 2026); public IPv4 $0.005/h
 *   (cloudburn.io, 2026-02-24); interface endpoints $0.01 per endpoint-zone-hour and $0.01/GB in us-east-1
 *   (knbrlo.com, 2026-05-07; egresscost.com); CloudWatch Logs ingestion $0.50/GB in us-east-1 and dashboards
 *   $3 per month (factualminds.com, 2026-06-13); AWS WAF $5 per web ACL, $1 per rule or rule group, $0.60 per
 *   million requests, the same in every region (AWS Networking & Content Delivery blog "Cost-effective ways
 *   for securing your web applications using AWS WAF"; c3x.dev); Secrets Manager $0.40 per secret-month
 *   (hivebook.wiki); ECR private storage $0.10 per GB-month, same-region pulls free (cloudburn.io "Amazon ECR
 *   pricing", March 2026; c3x.dev); the CloudWatch free tier (aws.amazon.com/cloudwatch/pricing).
 * - NOT CONFIRMED: every other figure below — all other regions' rows in full, and in us-east-1 and eu-west-1
 *   the EC2, EBS, RDS, S3, data-transfer and CloudWatch alarm and log storage prices. They are the list
 *   prices as the author knew them from the AWS pricing pages, not checked against a source here; the
 *   estimate marks every line that uses one with "†". Check them with the AWS Pricing Calculator before
 *   a budget depends on them, and record the source and date here when you do.
 *
 * Free tiers are account-wide and are not subtracted (first 3 dashboards, 10 alarms, 5 GB of logs, 100 GB of
 * data transfer out), except where the free part belongs to the resource itself (RDS backup storage up to
 * the database's storage, Performance Insights with 7 days of history, gp3 baseline IOPS and throughput).
 */

/** When the prices were recorded. */
export const PRICES_READ = '2026-12-01';

/** Hours in a month, as AWS's pricing examples count them. */
export const HOURS_PER_MONTH = 730;

/** Prices that do not depend on the region. */
export const GLOBAL_PRICES = {
  /** Public IPv4 address (Elastic IP, load balancer node), per hour. */
  publicIpv4Hour: 0.005,
  /** Standard-resolution metric alarm, per month. */
  alarmMonth: 0.1,
  /** Custom dashboard, per month. */
  dashboardMonth: 3,
  /** AWS WAF web ACL, per month. */
  webAclMonth: 5,
  /** AWS WAF rule or rule group in a web ACL, per month. */
  wafRuleMonth: 1,
  /** AWS WAF, per million requests inspected. */
  wafMillionRequests: 0.6,
  /** Customer-managed KMS key, per month (first year; each yearly rotation adds $1, at most $2 in all). */
  kmsKeyMonth: 1,
  /** Secrets Manager secret, per month. */
  secretMonth: 0.4,
  /** ECR private repository storage, per GB-month (pulls within the region are free). */
  ecrGBMonth: 0.1,
  /** CloudFront data out to the internet, United States and Europe, first 10 TB, per GB. */
  cloudFrontGB: 0.085,
  /** CloudFront Functions, per million invocations (a viewer-request function runs once per request). */
  cloudFrontFunctionMillion: 0.1,
  /** CloudFront HTTPS requests, United States and Europe, per 10 000. */
  cloudFrontTenThousandRequests: 0.01,
} as const;

/** Which global prices the sources above confirmed. */
export const GLOBAL_CONFIRMED: readonly (keyof typeof GLOBAL_PRICES)[] = [
  'publicIpv4Hour',
  'dashboardMonth',
  'webAclMonth',
  'wafRuleMonth',
  'wafMillionRequests',
  'secretMonth',
  'ecrGBMonth',
];

/** Prices that depend on the region. */
export interface RegionalPrices {
  /** NAT gateway, per hour. */
  readonly natHour: number;
  /** NAT gateway, per GB processed. */
  readonly natGB: number;
  /** Application Load Balancer, per hour. */
  readonly albHour: number;
  /** Application Load Balancer, per LCU-hour. */
  readonly lcuHour: number;
  /** Data transfer out to the internet, first 10 TB, per GB. */
  readonly dataOutGB: number;
  /** EBS gp3, per GB-month (3000 IOPS and 125 MB/s included). */
  readonly ebsGp3GBMonth: number;
  /** CloudWatch Logs ingestion (standard class), per GB. */
  readonly logsIngestGB: number;
  /** CloudWatch Logs archive storage, per GB-month. */
  readonly logsStoreGBMonth: number;
  /** S3 Standard storage, first 50 TB, per GB-month. */
  readonly s3GBMonth: number;
  /** Interface VPC endpoint, per endpoint and zone, per hour. */
  readonly endpointHour: number;
  /** Interface VPC endpoint, per GB processed (first PB). */
  readonly endpointGB: number;
  /** RDS gp3 storage, Single-AZ, per GB-month. */
  readonly rdsGp3GBMonth: number;
  /** RDS backup storage beyond the free allowance, per GB-month. */
  readonly rdsBackupGBMonth: number;
  /** EC2 on-demand Linux, per hour, by instance type. */
  readonly ec2: Readonly<Record<string, number>>;
  /** RDS Single-AZ instance, per hour, by engine and class. */
  readonly rds: Readonly<Record<'mysql' | 'postgres', Readonly<Record<string, number>>>>;
  /** Which of the prices above the sources confirmed (`ec2.t3.micro`, `natHour`, …). */
  readonly confirmed: readonly string[];
}

/** t3 sizes as multiples of t3.micro: EC2 prices the family linearly. */
const T3_SIZES: Readonly<Record<string, number>> = { nano: 0.5, micro: 1, small: 2, medium: 4, large: 8, xlarge: 16, '2xlarge': 32 };
const t3 = (micro: number): Record<string, number> =>
  Object.fromEntries(Object.entries(T3_SIZES).map(([size, factor]) => [`t3.${size}`, Math.round(micro * factor * 1e6) / 1e6]));

/** RDS classes per engine: db.t4g micro, small, medium and db.m7g.large. */
const rds = (mysql: readonly number[], postgres: readonly number[]) => {
  const classes = ['db.t4g.micro', 'db.t4g.small', 'db.t4g.medium', 'db.m7g.large'];
  const of = (prices: readonly number[]) => Object.fromEntries(classes.map((c, i) => [c, prices[i]]));
  return { mysql: of(mysql), postgres: of(postgres) };
};

type Row = [
  natHour: number,
  natGB: number,
  albHour: number,
  lcuHour: number,
  dataOutGB: number,
  t3Micro: number,
  ebsGp3: number,
  logsIngest: number,
  logsStore: number,
  s3: number,
  endpointHour: number,
  endpointGB: number,
  rdsGp3: number,
  rdsBackup: number,
  mysql: readonly number[],
  postgres: readonly number[],
  confirmed?: readonly string[],
];

// region:        NAT h   NAT GB  ALB h    LCU h   out GB  t3.micro gp3    logs in logs st S3      VPCE h  VPCE GB RDS gp3 backup  MySQL t4g.micro/small/medium, m7g.large   PostgreSQL the same
// One region per row, under the column legend above: Prettier leaves the table as written.
// prettier-ignore
const ROWS: Readonly<Record<string, Row>> = {
  'us-east-1': [0.045, 0.045, 0.0225, 0.008, 0.09, 0.0104, 0.08, 0.5, 0.03, 0.023, 0.01, 0.01, 0.115, 0.095, [0.016, 0.032, 0.065, 0.168], [0.016, 0.032, 0.065, 0.178], ['natHour', 'natGB', 'albHour', 'lcuHour', 'logsIngestGB', 'endpointHour', 'endpointGB']],
  'us-east-2': [0.045, 0.045, 0.0225, 0.008, 0.09, 0.0104, 0.08, 0.5, 0.03, 0.023, 0.01, 0.01, 0.115, 0.095, [0.016, 0.032, 0.065, 0.168], [0.016, 0.032, 0.065, 0.178], ['natHour', 'natGB']],
  'us-west-1': [0.048, 0.048, 0.0252, 0.008, 0.09, 0.0124, 0.096, 0.5, 0.03, 0.026, 0.011, 0.01, 0.138, 0.095, [0.019, 0.038, 0.076, 0.196], [0.019, 0.038, 0.076, 0.208]],
  'us-west-2': [0.045, 0.045, 0.0225, 0.008, 0.09, 0.0104, 0.08, 0.5, 0.03, 0.023, 0.01, 0.01, 0.115, 0.095, [0.016, 0.032, 0.065, 0.168], [0.016, 0.032, 0.065, 0.178]],
  'af-south-1': [0.06, 0.06, 0.0286, 0.0102, 0.154, 0.0136, 0.1047, 0.66, 0.036, 0.0274, 0.013, 0.01, 0.152, 0.13, [0.021, 0.042, 0.085, 0.219], [0.021, 0.042, 0.085, 0.232]],
  'ap-east-1': [0.065, 0.065, 0.0277, 0.0089, 0.12, 0.0146, 0.1056, 0.67, 0.033, 0.025, 0.012, 0.01, 0.159, 0.11, [0.023, 0.046, 0.092, 0.237], [0.023, 0.046, 0.092, 0.251]],
  'ap-northeast-1': [0.062, 0.062, 0.0243, 0.008, 0.114, 0.0136, 0.096, 0.76, 0.033, 0.025, 0.014, 0.01, 0.138, 0.095, [0.021, 0.042, 0.084, 0.216], [0.021, 0.042, 0.084, 0.229]],
  'ap-northeast-2': [0.059, 0.059, 0.0225, 0.008, 0.126, 0.013, 0.0912, 0.7, 0.0324, 0.025, 0.013, 0.01, 0.131, 0.095, [0.02, 0.04, 0.081, 0.208], [0.02, 0.04, 0.081, 0.221]],
  'ap-northeast-3': [0.062, 0.062, 0.0243, 0.008, 0.114, 0.0136, 0.096, 0.76, 0.033, 0.025, 0.014, 0.01, 0.138, 0.095, [0.021, 0.042, 0.084, 0.216], [0.021, 0.042, 0.084, 0.229]],
  'ap-south-1': [0.056, 0.056, 0.0239, 0.008, 0.1093, 0.0112, 0.0912, 0.63, 0.033, 0.025, 0.011, 0.01, 0.131, 0.095, [0.019, 0.038, 0.077, 0.198], [0.019, 0.038, 0.077, 0.21]],
  'ap-south-2': [0.056, 0.056, 0.0239, 0.008, 0.1093, 0.0112, 0.0912, 0.63, 0.033, 0.025, 0.011, 0.01, 0.131, 0.095, [0.019, 0.038, 0.077, 0.198], [0.019, 0.038, 0.077, 0.21]],
  'ap-southeast-1': [0.059, 0.059, 0.0252, 0.008, 0.12, 0.0132, 0.096, 0.7, 0.033, 0.025, 0.013, 0.01, 0.138, 0.095, [0.021, 0.042, 0.084, 0.216], [0.021, 0.042, 0.084, 0.229], ['natHour', 'natGB']],
  'ap-southeast-2': [0.059, 0.059, 0.0252, 0.008, 0.114, 0.0132, 0.096, 0.76, 0.033, 0.025, 0.013, 0.01, 0.138, 0.095, [0.021, 0.042, 0.084, 0.216], [0.021, 0.042, 0.084, 0.229]],
  'ap-southeast-3': [0.059, 0.059, 0.0252, 0.008, 0.132, 0.0132, 0.096, 0.7, 0.033, 0.025, 0.013, 0.01, 0.138, 0.095, [0.021, 0.042, 0.084, 0.216], [0.021, 0.042, 0.084, 0.229]],
  'ap-southeast-4': [0.059, 0.059, 0.0252, 0.008, 0.114, 0.0132, 0.096, 0.76, 0.033, 0.025, 0.013, 0.01, 0.138, 0.095, [0.021, 0.042, 0.084, 0.216], [0.021, 0.042, 0.084, 0.229]],
  'ap-southeast-5': [0.054, 0.054, 0.0227, 0.0072, 0.117, 0.0119, 0.0864, 0.63, 0.0297, 0.0225, 0.012, 0.01, 0.124, 0.086, [0.019, 0.038, 0.076, 0.194], [0.019, 0.038, 0.076, 0.206]],
  'ap-southeast-7': [0.054, 0.054, 0.0227, 0.0072, 0.117, 0.0119, 0.0864, 0.63, 0.0297, 0.0225, 0.012, 0.01, 0.124, 0.086, [0.019, 0.038, 0.076, 0.194], [0.019, 0.038, 0.076, 0.206]],
  'ca-central-1': [0.05, 0.05, 0.02475, 0.0088, 0.09, 0.0116, 0.088, 0.55, 0.033, 0.025, 0.011, 0.01, 0.127, 0.105, [0.018, 0.036, 0.072, 0.185], [0.018, 0.036, 0.072, 0.196]],
  'ca-west-1': [0.05, 0.05, 0.02475, 0.0088, 0.09, 0.0116, 0.088, 0.55, 0.033, 0.025, 0.011, 0.01, 0.127, 0.105, [0.018, 0.036, 0.072, 0.185], [0.018, 0.036, 0.072, 0.196]],
  'eu-central-1': [0.052, 0.052, 0.027, 0.008, 0.09, 0.012, 0.0952, 0.63, 0.0324, 0.0245, 0.012, 0.01, 0.137, 0.095, [0.019, 0.038, 0.076, 0.198], [0.019, 0.038, 0.076, 0.21]],
  'eu-central-2': [0.0572, 0.0572, 0.0297, 0.0088, 0.09, 0.0132, 0.1047, 0.69, 0.0356, 0.027, 0.013, 0.01, 0.151, 0.105, [0.021, 0.042, 0.084, 0.218], [0.021, 0.042, 0.084, 0.231]],
  'eu-north-1': [0.046, 0.046, 0.0239, 0.0076, 0.09, 0.0108, 0.0836, 0.5, 0.0285, 0.023, 0.011, 0.01, 0.121, 0.095, [0.017, 0.034, 0.068, 0.177], [0.017, 0.034, 0.068, 0.188]],
  'eu-south-1': [0.05, 0.05, 0.0265, 0.0084, 0.09, 0.0122, 0.0924, 0.6, 0.0315, 0.0239, 0.011, 0.01, 0.133, 0.1, [0.019, 0.038, 0.076, 0.196], [0.019, 0.038, 0.076, 0.208]],
  'eu-south-2': [0.048, 0.048, 0.0252, 0.008, 0.09, 0.0114, 0.088, 0.57, 0.03, 0.023, 0.011, 0.01, 0.127, 0.095, [0.018, 0.036, 0.072, 0.187], [0.018, 0.036, 0.072, 0.198]],
  'eu-west-1': [0.048, 0.048, 0.0252, 0.008, 0.09, 0.0114, 0.088, 0.57, 0.03, 0.023, 0.011, 0.01, 0.127, 0.095, [0.018, 0.036, 0.072, 0.187], [0.018, 0.036, 0.072, 0.198], ['albHour']],
  'eu-west-2': [0.05, 0.05, 0.02646, 0.0084, 0.09, 0.0118, 0.0928, 0.6, 0.0315, 0.024, 0.011, 0.01, 0.133, 0.1, [0.019, 0.038, 0.075, 0.196], [0.019, 0.038, 0.075, 0.208]],
  'eu-west-3': [0.05, 0.05, 0.02646, 0.0084, 0.09, 0.0118, 0.0928, 0.6, 0.0315, 0.024, 0.011, 0.01, 0.133, 0.1, [0.019, 0.038, 0.075, 0.196], [0.019, 0.038, 0.075, 0.208]],
  'il-central-1': [0.055, 0.055, 0.0263, 0.0084, 0.11, 0.0121, 0.0925, 0.62, 0.0315, 0.0242, 0.012, 0.01, 0.134, 0.1, [0.019, 0.038, 0.077, 0.2], [0.019, 0.038, 0.077, 0.212]],
  'me-central-1': [0.06, 0.06, 0.0275, 0.0088, 0.11, 0.0127, 0.0968, 0.62, 0.033, 0.025, 0.012, 0.01, 0.14, 0.105, [0.02, 0.04, 0.08, 0.207], [0.02, 0.04, 0.08, 0.219]],
  'me-south-1': [0.06, 0.06, 0.0275, 0.0088, 0.117, 0.0127, 0.0968, 0.62, 0.033, 0.025, 0.012, 0.01, 0.14, 0.105, [0.02, 0.04, 0.08, 0.207], [0.02, 0.04, 0.08, 0.219]],
  'mx-central-1': [0.05, 0.05, 0.0248, 0.0088, 0.1, 0.0115, 0.088, 0.55, 0.033, 0.025, 0.011, 0.01, 0.127, 0.1, [0.018, 0.036, 0.072, 0.185], [0.018, 0.036, 0.072, 0.196]],
  'sa-east-1': [0.093, 0.093, 0.0343, 0.011, 0.15, 0.0168, 0.152, 0.9, 0.0405, 0.0405, 0.016, 0.01, 0.219, 0.19, [0.029, 0.058, 0.116, 0.3], [0.029, 0.058, 0.116, 0.318]],
};

/** The regional price table: one entry per region of the catalog (a test checks it covers REGIONS). */
export const REGIONAL_PRICES: Readonly<Record<string, RegionalPrices>> = Object.fromEntries(
  Object.entries(ROWS).map(([region, r]) => [
    region,
    {
      natHour: r[0],
      natGB: r[1],
      albHour: r[2],
      lcuHour: r[3],
      dataOutGB: r[4],
      ec2: t3(r[5]),
      ebsGp3GBMonth: r[6],
      logsIngestGB: r[7],
      logsStoreGBMonth: r[8],
      s3GBMonth: r[9],
      endpointHour: r[10],
      endpointGB: r[11],
      rdsGp3GBMonth: r[12],
      rdsBackupGBMonth: r[13],
      rds: rds(r[14], r[15]),
      confirmed: r[16] ?? [],
    },
  ]),
);

/**
 * Resource types the estimate prices (cost/estimate.ts holds what each line multiplies). The pricing test
 * fails for a synthesized resource type in neither this list nor FREE_TYPES.
 */
export const PRICED_TYPES = [
  'aws_nat_gateway',
  'aws_eip',
  'aws_lb',
  'aws_autoscaling_group',
  'aws_launch_template',
  'aws_db_instance',
  'aws_cloudwatch_metric_alarm',
  'aws_cloudwatch_dashboard',
  'aws_cloudwatch_log_group',
  'aws_wafv2_web_acl',
  'aws_kms_key',
  'aws_secretsmanager_secret',
  'aws_s3_bucket',
  'aws_cloudfront_distribution',
  'aws_vpc_endpoint',
  'aws_ecr_repository',
  'aws_cloudfront_function',
] as const;

/** Resource types that cost nothing by themselves, each with the reason (what they cost is priced elsewhere). */
export const FREE_TYPES: Readonly<Record<string, string>> = {
  aws_vpc: 'VPCs, subnets and route tables are free',
  aws_subnet: 'VPCs, subnets and route tables are free',
  aws_route_table: 'VPCs, subnets and route tables are free',
  aws_route: 'VPCs, subnets and route tables are free',
  aws_route_table_association: 'VPCs, subnets and route tables are free',
  aws_internet_gateway: 'internet gateways are free (data transfer out is priced)',
  aws_default_security_group: 'security groups are free',
  aws_security_group: 'security groups are free',
  aws_vpc_security_group_ingress_rule: 'security groups are free',
  aws_vpc_security_group_egress_rule: 'security groups are free',
  aws_flow_log: 'the flow log itself is free; its log ingestion and storage are priced with the log groups',
  aws_iam_role: 'IAM is free',
  aws_iam_role_policy: 'IAM is free',
  aws_iam_role_policy_attachment: 'IAM is free',
  aws_iam_instance_profile: 'IAM is free',
  aws_kms_alias: 'aliases are free (the key is priced)',
  aws_lb_target_group: 'priced with the load balancer (LCUs)',
  aws_lb_listener: 'priced with the load balancer (LCUs)',
  aws_acm_certificate: 'public ACM certificates are free',
  aws_acm_certificate_validation: 'public ACM certificates are free',
  aws_route53_record: 'records are free, and so are queries to alias records of AWS resources (the hosted zone is not part of the stack)',
  aws_autoscaling_policy: 'Auto Scaling is free (the instances are priced)',
  aws_autoscaling_notification: 'Auto Scaling is free; a few SNS messages a month are within SNS free usage',
  aws_db_subnet_group: 'priced with the database instance',
  aws_db_parameter_group: 'priced with the database instance',
  aws_sns_topic: 'SNS topics are free; alarm and scaling messages are within the first million requests and 1000 e-mails',
  aws_sns_topic_policy: 'SNS topics are free',
  aws_sns_topic_subscription: 'SNS topics are free',
  aws_wafv2_web_acl_association: 'priced with the web ACL',
  aws_wafv2_web_acl_logging_configuration: 'priced with the web ACL; its logs are priced with the log groups',
  aws_s3_bucket_versioning: 'priced with the bucket (storage)',
  aws_s3_bucket_server_side_encryption_configuration: 'priced with the bucket (storage); SSE-KMS requests with a bucket key are few',
  aws_s3_bucket_public_access_block: 'priced with the bucket (storage)',
  aws_s3_bucket_ownership_controls: 'priced with the bucket (storage)',
  aws_s3_bucket_policy: 'priced with the bucket (storage)',
  aws_s3_bucket_lifecycle_configuration: 'priced with the bucket (storage)',
  aws_s3_bucket_logging: 'priced with the bucket (storage)',
  aws_s3_bucket_notification: 'EventBridge delivers S3 events to its default bus for free',
  aws_s3_bucket_cors_configuration: 'priced with the bucket (storage)',
  aws_ecr_lifecycle_policy: 'priced with the repository (storage)',
  aws_lb_listener_rule: 'priced with the load balancer (LCUs; a request meets fewer rules than the 10 free evaluations)',
  aws_secretsmanager_secret_version: 'priced with the secret',
  aws_secretsmanager_secret_rotation:
    "managed rotation (no Lambda) has no charge of its own; the secret is priced, and the app servers' DescribeSecret check of it (once a minute each, $0.05 per 10 000 calls, about $0.22 per instance-month) is not estimated",
  aws_wafv2_ip_set: 'IP sets are free (the rule that uses one is priced with the web ACL)',
  aws_cloudfront_origin_access_control: 'CloudFront configuration is free (requests and data out are priced)',
  aws_cloudfront_vpc_origin:
    'VPC origins cost nothing of their own ("at no additional cost": AWS announcement of CloudFront VPC origins, 2024-11-20); requests and data out are priced with the distributions',
  aws_cloudfront_response_headers_policy: 'CloudFront configuration is free (requests and data out are priced)',
  aws_cloudwatch_log_delivery:
    'the delivery configuration is free; the log files it writes are priced as S3 storage (usage.s3StorageGB), vended-log delivery fees are not estimated',
  aws_cloudwatch_log_delivery_source:
    'the delivery configuration is free; the log files it writes are priced as S3 storage (usage.s3StorageGB), vended-log delivery fees are not estimated',
  aws_cloudwatch_log_delivery_destination:
    'the delivery configuration is free; the log files it writes are priced as S3 storage (usage.s3StorageGB), vended-log delivery fees are not estimated',
};
