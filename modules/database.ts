import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { DbParameterGroup } from '@cdktf/provider-aws/lib/db-parameter-group';
import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { ENGINES, parameterFamily, supportsPerformanceInsights } from '../config/catalog';
import type { DatabaseConfig } from '../config/types';
import { SecurityGroup, type Connectable } from './security-group';
import { policyDocument } from './policy-statements';
import { INLINE_POLICIES, names } from '../naming';

export interface DatabaseProps {
  /** Name prefix, e.g. `web-prod`; the instance is `<prefix>-db`. */
  readonly prefix: string;
  /** Engine, version, class, storage, Multi-AZ, backups (validated). */
  readonly config: DatabaseConfig;
  readonly vpcId: string;
  /** The isolated data subnets, one per zone. */
  readonly subnetIds: readonly string[];
  /** KMS key for storage, Performance Insights, the master secret and the log groups. */
  readonly kmsKeyArn: string;
  /** Account the database lives in (the monitoring role trusts RDS on its behalf only). */
  readonly accountId: string;
  /** Region of the database (the monitoring role writes to this region's RDSOSMetrics log group only). */
  readonly region: string;
  /** Days to keep the exported database logs. */
  readonly logRetentionDays: number;
  /**
   * Protect the data: deletion protection, a final snapshot, automated backups kept after deletion and
   * Terraform `prevent_destroy`. When false, `terraform destroy` removes the instance without a snapshot.
   */
  readonly deletionProtection: boolean;
  /** Seconds between enhanced monitoring samples (0 turns it off). @default 60 */
  readonly monitoringIntervalSeconds?: 0 | 1 | 5 | 10 | 15 | 30 | 60;
}

/**
 * RDS MySQL or PostgreSQL in the isolated subnets: TLS enforced by its parameter group, encrypted gp3
 * storage with an autoscaling cap, master password generated and rotated by Secrets Manager (never in
 * config, code or state), backups, log exports, enhanced monitoring, Performance Insights where the class
 * offers it, IAM authentication, and a security group that accepts nothing until `allowFrom` is called.
 */
export class Database extends Construct implements Connectable {
  readonly instance: DbInstance;
  readonly securityGroup: SecurityGroup;
  readonly port: number;

  constructor(scope: Construct, id: string, props: DatabaseProps) {
    super(scope, id);
    const { prefix, config, kmsKeyArn, deletionProtection } = props;
    const engine = ENGINES[config.engine];
    const family = parameterFamily(config.engine, config.engineVersion);
    if (!family) throw new Error(`Database ${prefix}: unsupported ${config.engine} version ${config.engineVersion}`);
    this.port = engine.port;
    const identifier = names.dbInstance(prefix);

    this.securityGroup = new SecurityGroup(this, 'security_group', {
      label: 'db',
      vpcId: props.vpcId,
      name: names.securityGroup(prefix, 'db'),
      description: `${prefix} database: ${config.engine} port ${engine.port} from the app servers only`,
    });

    const subnetGroup = new DbSubnetGroup(this, 'subnet_group', {
      name: names.dbSubnetGroup(prefix),
      description: `${prefix}: isolated data subnets of every zone`,
      subnetIds: [...props.subnetIds],
    });

    const parameters = new DbParameterGroup(this, 'parameter_group', {
      name: names.dbParameterGroup(prefix, family),
      family,
      description: `${prefix}: TLS required, slow queries logged`,
      parameter: [engine.tlsParameter, ...engine.extraParameters].map((p) => ({ ...p, applyMethod: 'immediate' })),
      lifecycle: { createBeforeDestroy: true },
    });

    // Created before the instance so they carry our retention and key (RDS would make them unencrypted, kept forever).
    const logGroups = engine.logExports.map(
      (log) =>
        new CloudwatchLogGroup(this, `log_group_${log}`, {
          name: names.dbLogGroup(prefix, log),
          retentionInDays: props.logRetentionDays,
          kmsKeyId: kmsKeyArn,
        }),
    );

    const monitoringInterval = props.monitoringIntervalSeconds ?? 60;
    const monitoringRole =
      monitoringInterval > 0
        ? new IamRole(this, 'monitoring_role', {
            name: names.dbMonitoringRole(prefix),
            description: `Enhanced monitoring of ${identifier}`,
            assumeRolePolicy: policyDocument([
              {
                Effect: 'Allow',
                Principal: { Service: 'monitoring.rds.amazonaws.com' },
                Action: 'sts:AssumeRole',
                Condition: { StringEquals: { 'aws:SourceAccount': props.accountId } },
              },
            ]),
          })
        : undefined;
    if (monitoringRole) {
      // What AWS's AmazonRDSEnhancedMonitoringRole grants, scoped to this account and region.
      const metrics = `arn:aws:logs:${props.region}:${props.accountId}:log-group:RDSOSMetrics`;
      new IamRolePolicy(this, 'monitoring_role_policy', {
        name: INLINE_POLICIES.monitoring,
        role: monitoringRole.id,
        policy: policyDocument([
          {
            Sid: 'CreateTheMetricsLogGroup',
            Effect: 'Allow',
            Action: ['logs:CreateLogGroup', 'logs:PutRetentionPolicy'],
            Resource: metrics,
          },
          {
            Sid: 'WriteMetrics',
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams', 'logs:GetLogEvents'],
            Resource: `${metrics}:log-stream:*`,
          },
        ]),
      });
    }

    const performanceInsights = supportsPerformanceInsights(config.engine, config.instanceClass);
    this.instance = new DbInstance(this, 'instance', {
      identifier,
      engine: config.engine,
      engineVersion: config.engineVersion,
      instanceClass: config.instanceClass,
      dbName: config.databaseName,
      username: config.masterUsername,
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: kmsKeyArn,
      port: engine.port,
      multiAz: config.multiAz,
      dbSubnetGroupName: subnetGroup.name,
      vpcSecurityGroupIds: [this.securityGroup.id],
      publiclyAccessible: false,
      parameterGroupName: parameters.name,
      storageType: 'gp3',
      allocatedStorage: config.allocatedStorageGiB,
      maxAllocatedStorage: config.maxAllocatedStorageGiB,
      storageEncrypted: true,
      kmsKeyId: kmsKeyArn,
      iamDatabaseAuthenticationEnabled: true,
      backupRetentionPeriod: config.backupRetentionDays,
      backupWindow: '02:00-03:00',
      maintenanceWindow: 'sun:03:30-sun:04:30',
      copyTagsToSnapshot: true,
      autoMinorVersionUpgrade: true,
      allowMajorVersionUpgrade: false,
      caCertIdentifier: 'rds-ca-rsa2048-g1',
      enabledCloudwatchLogsExports: [...engine.logExports],
      monitoringInterval,
      monitoringRoleArn: monitoringRole?.arn,
      performanceInsightsEnabled: performanceInsights,
      performanceInsightsKmsKeyId: performanceInsights ? kmsKeyArn : undefined,
      performanceInsightsRetentionPeriod: performanceInsights ? 7 : undefined,
      deletionProtection,
      skipFinalSnapshot: !deletionProtection,
      finalSnapshotIdentifier: deletionProtection ? names.dbFinalSnapshot(prefix) : undefined,
      deleteAutomatedBackups: !deletionProtection,
      applyImmediately: false,
      dependsOn: logGroups,
      lifecycle: deletionProtection ? { preventDestroy: true } : undefined,
      tags: { Name: names.nameTag(prefix, 'db') },
    });
  }

  /** `host:port` clients connect to. */
  get endpoint(): string {
    return this.instance.endpoint;
  }

  /** Host name of the instance (no port). */
  get address(): string {
    return this.instance.address;
  }

  /** ARN of the Secrets Manager secret that holds the master user's credentials. */
  get secretArn(): string {
    return this.instance.masterUserSecret.get(0).secretArn;
  }

  /** Lets `peer` connect on the database port (and only `peer`). */
  allowFrom(peer: Connectable): void {
    this.securityGroup.allowFrom(peer.securityGroup, this.port, `${peer.securityGroup.label} to database on ${this.port}`);
  }
}
