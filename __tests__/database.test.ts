import { dev, prod } from '../config/environments';
import { single } from './support/config';
import { resource, resources, synth } from './support/synth';

const { stacks } = synth();
const prodDb = resource(stacks['web-prod'], 'aws_db_instance', 'database_instance');
const devDb = resource(stacks['web-dev'], 'aws_db_instance', 'database_instance');
const KEY = '${aws_kms_key.encryption_key.arn}';

describe('database placement and exposure', () => {
  it('lives in a subnet group over the isolated data subnets of every zone', () => {
    expect(prodDb.db_subnet_group_name).toBe('${aws_db_subnet_group.database_subnet_group.name}');
    expect(resource(stacks['web-prod'], 'aws_db_subnet_group', 'database_subnet_group').subnet_ids).toEqual(
      ['a', 'b', 'c'].map((z) => `\${aws_subnet.network_data_subnet_${z}.id}`),
    );
  });

  it('is never publicly accessible and only behind its own group', () => {
    for (const db of [prodDb, devDb]) {
      expect(db.publicly_accessible).toBe(false);
      expect(db.vpc_security_group_ids).toEqual(['${aws_security_group.database_security_group.id}']);
    }
  });
});

describe('database settings', () => {
  it('follows Multi-AZ from config: prod standby, dev single-AZ', () => {
    expect(prodDb.multi_az).toBe(true);
    expect(devDb.multi_az).toBe(false);
  });

  it('encrypts gp3 storage with the stack key and caps storage autoscaling', () => {
    expect(prodDb).toMatchObject({
      storage_encrypted: true,
      kms_key_id: KEY,
      storage_type: 'gp3',
      allocated_storage: prod.database.allocatedStorageGiB,
      max_allocated_storage: prod.database.maxAllocatedStorageGiB,
    });
  });

  it('lets Secrets Manager generate and keep the master password, encrypted with the stack key', () => {
    for (const db of [prodDb, devDb]) {
      expect(db.manage_master_user_password).toBe(true);
      expect(db.master_user_secret_kms_key_id).toBe(KEY);
      expect(db.password).toBeUndefined();
    }
    expect(JSON.stringify(stacks)).not.toMatch(/"password"\s*:/);
  });

  it('rotates the master password on the configured schedule: managed rotation of the secret RDS keeps (no Lambda), not at deploy time', () => {
    for (const [name, env] of [
      ['web-prod', prod],
      ['web-dev', dev],
    ] as const) {
      const { ['//']: _metadata, ...rotation } = resource(stacks[name], 'aws_secretsmanager_secret_rotation', 'database_password_rotation');
      expect(rotation).toEqual({
        secret_id: '${aws_db_instance.database_instance.master_user_secret[0].secret_arn}',
        rotation_rules: { automatically_after_days: env.database.passwordRotationDays },
        rotate_immediately: false,
      });
    }
    expect(prod.database.passwordRotationDays).toBe(7);
  });

  it('rotates as often as the config says, 1 to 1000 days (Secrets Manager RotationRulesType)', () => {
    const { stacks: other } = synth(single('prod', { database: { ...prod.database, passwordRotationDays: 30 } }));
    const rotation = resource(other['web-prod'], 'aws_secretsmanager_secret_rotation', 'database_password_rotation');
    expect(rotation.rotation_rules).toEqual({ automatically_after_days: 30 });
  });

  it('keeps backups, copies tags to snapshots, takes minor upgrades, uses IAM auth', () => {
    expect(prodDb).toMatchObject({
      backup_retention_period: prod.database.backupRetentionDays,
      copy_tags_to_snapshot: true,
      auto_minor_version_upgrade: true,
      iam_database_authentication_enabled: true,
    });
    expect(devDb.backup_retention_period).toBe(dev.database.backupRetentionDays);
  });

  it('exports engine logs to encrypted log groups it creates first, with retention', () => {
    expect(prodDb.enabled_cloudwatch_logs_exports).toEqual(['error', 'slowquery']);
    for (const log of ['error', 'slowquery']) {
      expect(resource(stacks['web-prod'], 'aws_cloudwatch_log_group', `database_log_group_${log}`)).toMatchObject({
        name: `/aws/rds/instance/web-prod-db/${log}`,
        retention_in_days: prod.logRetentionDays,
        kms_key_id: KEY,
      });
      expect(prodDb.depends_on).toContain(`aws_cloudwatch_log_group.database_log_group_${log}`);
    }
  });

  it('runs enhanced monitoring through a role trusted by RDS monitoring of this account', () => {
    expect(prodDb.monitoring_interval).toBe(60);
    expect(prodDb.monitoring_role_arn).toBe('${aws_iam_role.database_monitoring_role.arn}');
    const trust = JSON.parse(resource(stacks['web-prod'], 'aws_iam_role', 'database_monitoring_role').assume_role_policy);
    expect(trust.Statement[0].Principal).toEqual({ Service: 'monitoring.rds.amazonaws.com' });
    expect(trust.Statement[0].Condition).toEqual({ StringEquals: { 'aws:SourceAccount': prod.accountId } });
    // What AmazonRDSEnhancedMonitoringRole grants, scoped to this account's RDSOSMetrics log group.
    const policy = JSON.parse(resource(stacks['web-prod'], 'aws_iam_role_policy', 'database_monitoring_role_policy').policy);
    for (const statement of policy.Statement) {
      expect(statement.Resource).toMatch(new RegExp(`^arn:aws:logs:eu-west-1:${prod.accountId}:log-group:RDSOSMetrics`));
    }
  });

  it('enables Performance Insights (encrypted) where the class supports it, not on db.t4g.micro MySQL', () => {
    expect(prodDb.performance_insights_enabled).toBe(true);
    expect(prodDb.performance_insights_kms_key_id).toBe(KEY);
    expect(devDb.performance_insights_enabled).toBe(false);
    expect(devDb.performance_insights_kms_key_id).toBeUndefined();
  });
});

describe('TLS enforced by the parameter group', () => {
  it('MySQL: require_secure_transport = 1', () => {
    const group = resource(stacks['web-prod'], 'aws_db_parameter_group', 'database_parameter_group');
    expect(group.family).toBe('mysql8.4');
    expect(group.parameter).toContainEqual({ name: 'require_secure_transport', value: '1', apply_method: 'immediate' });
    expect(prodDb.parameter_group_name).toBe('${aws_db_parameter_group.database_parameter_group.name}');
  });

  it('PostgreSQL: rds.force_ssl = 1, its own log exports and port', () => {
    const stack = synth(single('prod', { database: { ...prod.database, engine: 'postgres', engineVersion: '17.2' } })).stacks['web-prod'];
    const group = resource(stack, 'aws_db_parameter_group', 'database_parameter_group');
    expect(group.family).toBe('postgres17');
    expect(group.parameter).toContainEqual({ name: 'rds.force_ssl', value: '1', apply_method: 'immediate' });
    const db = resource(stack, 'aws_db_instance', 'database_instance');
    expect(db).toMatchObject({
      engine: 'postgres',
      engine_version: '17.2',
      port: 5433,
      enabled_cloudwatch_logs_exports: ['postgresql', 'upgrade'],
    });
    expect(db.performance_insights_enabled).toBe(true);
  });
});

describe('data protection follows the environment', () => {
  it('prod: deletion protection, a final snapshot, backups kept, prevent_destroy', () => {
    expect(prodDb).toMatchObject({
      deletion_protection: true,
      skip_final_snapshot: false,
      final_snapshot_identifier: 'web-prod-db-final',
      delete_automated_backups: false,
      lifecycle: { prevent_destroy: true },
    });
  });

  it('dev: none of it, so dev tears down cleanly', () => {
    expect(devDb).toMatchObject({ deletion_protection: false, skip_final_snapshot: true, delete_automated_backups: true });
    expect(devDb.final_snapshot_identifier).toBeUndefined();
    expect(devDb.lifecycle).toBeUndefined();
  });

  it('nothing in dev carries prevent_destroy', () => {
    for (const byName of Object.values(stacks['web-dev'].resource)) {
      for (const r of Object.values(byName)) expect(r.lifecycle?.prevent_destroy).toBeUndefined();
    }
    expect(Object.keys(resources(stacks['web-dev'], 'aws_db_instance'))).toEqual(['database_instance']);
  });
});
