/**
 * RDS and Aurora: what the RDS API refuses (or accepts and then ignores) that moto stores without a word. Run
 * over every stack of every config under test (support/aws-rules/synthesized.ts); each rule is also run on a
 * copy broken on purpose, to show that it can fail.
 */
import { bodyOf, problemsInEveryStack, problemsOfBroken, stacksWith, type Check } from '../support/aws-rules/rules';
import { blocks, resourcesOf, statements, target, type Resource } from '../support/aws-rules/terraform-json';
import type { StackJson } from '../support/synth';

/** DB instances and clusters (Aurora, Multi-AZ DB clusters): what they share is checked on both. */
const DATABASE_TYPES = ['aws_db_instance', 'aws_rds_cluster'] as const;
const databases = (stack: StackJson): Resource[] => DATABASE_TYPES.flatMap((type) => resourcesOf(stack, type));

/** A literal, or the literal attribute a plain reference reads (an instance's engine from its cluster). */
function literal(stack: StackJson, value: unknown): unknown {
  const ref = target(stack, value);
  if (!ref) return value;
  const attribute = String(value)
    .replace(/^\$\{[^.]+\.[^.]+\./, '')
    .replace(/\}$/, '');
  return ref.body[attribute];
}

const engineOf = (stack: StackJson, db: Resource) => String(literal(stack, db.body.engine));
const versionOf = (stack: StackJson, db: Resource) => String(literal(stack, db.body.engine_version));

/**
 * The parameter group family of an engine version: `mysql8.4`, `postgres17`, `aurora-mysql8.0` (Aurora MySQL 3 is
 * `8.0.mysql_aurora.3.x`), `aurora-postgresql16`, `mariadb10.11`.
 */
function familyOf(engine: string, version: string): string | undefined {
  const majorMinor = /^(\d+\.\d+)/.exec(version)?.[1];
  const major = /^(\d+)/.exec(version)?.[1];
  switch (engine) {
    case 'mysql':
    case 'mariadb':
    case 'aurora-mysql':
      return majorMinor && `${engine}${majorMinor}`;
    case 'postgres':
    case 'aurora-postgresql':
      // PostgreSQL 10 and later: the major alone (9.6 was `postgres9.6`).
      return major && (Number(major) >= 10 ? `${engine}${major}` : majorMinor && `${engine}${majorMinor}`);
    default:
      return undefined;
  }
}

// RDS API Reference, CreateDBParameterGroup (DBParameterGroupFamily: "can be applied only to a DB instance running
// a database engine and engine version compatible with that DB parameter group family"), and RDS User Guide,
// "Parameters for MySQL" (mysql8.4, mysql8.0): https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBParameterGroup.html,
// https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Appendix.MySQL.Parameters.html
describe('the parameter group family is the engine and major version of the database that uses it (RDS API Reference, CreateDBParameterGroup)', () => {
  const GROUP_FIELDS: Record<string, readonly [string, string][]> = {
    aws_db_instance: [['parameter_group_name', 'aws_db_parameter_group']],
    aws_rds_cluster: [['db_cluster_parameter_group_name', 'aws_rds_cluster_parameter_group']],
    aws_rds_cluster_instance: [['db_parameter_group_name', 'aws_db_parameter_group']],
  };
  const check: Check = (stack) =>
    Object.entries(GROUP_FIELDS).flatMap(([type, fields]) =>
      resourcesOf(stack, type).flatMap((db) =>
        fields.flatMap(([field, groupType]) => {
          const group = target(stack, db.body[field], groupType);
          if (!group) return [];
          const wanted = familyOf(engineOf(stack, db), versionOf(stack, db));
          return group.body.family === wanted
            ? []
            : [
                `${db.address}: ${engineOf(stack, db)} ${versionOf(stack, db)} needs family ${wanted}, ${group.address} is ${group.body.family}`,
              ];
        }),
      ),
    );
  it('holds in every stack', () => {
    expect(stacksWith('aws_db_parameter_group') + stacksWith('aws_rds_cluster_parameter_group')).toBeGreaterThan(0);
    expect(problemsInEveryStack(check)).toEqual([]);
  });
  it('fails when the engine moves to another major version without its group', () => {
    const problems = problemsOfBroken(check, 'aws_db_instance', (s) => {
      const db = bodyOf(s, 'aws_db_instance');
      db.engine_version = db.engine === 'mysql' ? '8.0' : '16';
    });
    expect(problems).toEqual([expect.stringMatching(/needs family (mysql8\.0|postgres16), aws_db_parameter_group\.\S+ is/)]);
  });
});

// RDS API Reference, CreateDBParameterGroup, DBParameterGroupName ("1 to 255 letters, numbers, or hyphens. First
// character must be a letter. Can't end with a hyphen or contain two consecutive hyphens"):
// https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBParameterGroup.html
describe('parameter group names are 1–255 letters, digits or hyphens (RDS API Reference, CreateDBParameterGroup)', () => {
  const NAME = /^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,254}(?<!-)$/;
  const check: Check = (stack) =>
    ['aws_db_parameter_group', 'aws_rds_cluster_parameter_group'].flatMap((type) =>
      resourcesOf(stack, type)
        .filter((g) => !NAME.test(String(g.body.name)))
        .map((g) => `${g.address}: name ${JSON.stringify(g.body.name)}`),
    );
  it('holds in every stack', () => expect(problemsInEveryStack(check)).toEqual([]));
  it('fails for a name with a period (a family written into it as is)', () => {
    const problems = problemsOfBroken(check, 'aws_db_parameter_group', (s) => {
      const group = bodyOf(s, 'aws_db_parameter_group');
      group.name = `x-${group.family}`;
    });
    expect(problems).toEqual([expect.stringMatching(/name "x-(mysql|postgres)\d+(\.\d+)?"/)]);
  });
});

// RDS API Reference, CreateDBInstance and CreateDBCluster, EnableCloudwatchLogsExports ("The following values are
// valid for each DB engine"): https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html,
// https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html
describe('exported log types are those the engine has (RDS API Reference, CreateDBInstance / CreateDBCluster)', () => {
  const LOG_TYPES: Record<string, readonly string[]> = {
    mysql: ['audit', 'error', 'general', 'slowquery', 'iam-db-auth-error'],
    mariadb: ['audit', 'error', 'general', 'slowquery', 'iam-db-auth-error'],
    postgres: ['postgresql', 'upgrade', 'iam-db-auth-error'],
    'aurora-mysql': ['audit', 'error', 'general', 'instance', 'slowquery', 'iam-db-auth-error'],
    'aurora-postgresql': ['instance', 'postgresql', 'iam-db-auth-error'],
  };
  const check: Check = (stack) =>
    databases(stack).flatMap((db) => {
      const engine = engineOf(stack, db);
      const allowed = LOG_TYPES[engine];
      if (!allowed) return [`${db.address}: engine ${engine} is not one this rule knows`];
      return blocks(db.body.enabled_cloudwatch_logs_exports)
        .map(String)
        .filter((log) => !allowed.includes(log))
        .map((log) => `${db.address}: ${engine} has no "${log}" log (it has ${allowed.join(', ')})`);
    });
  it('holds in every stack', () => expect(problemsInEveryStack(check)).toEqual([]));
  it('fails for a PostgreSQL log type on MySQL', () => {
    const problems = problemsOfBroken(check, 'aws_db_instance', (s) => {
      const db = bodyOf(s, 'aws_db_instance');
      db.enabled_cloudwatch_logs_exports = [db.engine === 'mysql' ? 'postgresql' : 'slowquery'];
    });
    expect(problems).toEqual([expect.stringMatching(/has no "(postgresql|slowquery)" log/)]);
  });
});

/**
 * Classes without Performance Insights (Database Insights), by engine: "isn't supported for the following instance
 * classes" (RDS for MySQL and MariaDB; Aurora MySQL).
 */
const NO_PERFORMANCE_INSIGHTS: Record<string, RegExp> = {
  mysql: /^db\.(t2|t3|t4g)\.(micro|small)$/,
  mariadb: /^db\.(t2|t3|t4g)\.(micro|small)$/,
  'aurora-mysql': /^db\.(t2\.|t3\.|t4g\.(micro|small)$)/,
};

/** Retention periods RDS accepts: 7, a number of months (1–23) × 31, or 731. */
const PI_RETENTION = new Set([7, 731, ...Array.from({ length: 23 }, (_, i) => (i + 1) * 31)]);

// RDS User Guide, "Amazon RDS DB engine, Region, and instance class support for Database Insights" (not on
// db.t2/db.t3/db.t4g micro and small for RDS for MySQL and MariaDB), and RDS API Reference, CreateDBInstance,
// PerformanceInsightsRetentionPeriod ("7, month * 31 ... 731 ... If you specify a retention period that isn't valid,
// such as 94, Amazon RDS issues an error"): https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_DatabaseInsights.Engines.html,
// https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html
describe('Performance Insights only on classes that have it, with a retention RDS accepts (RDS User Guide, Database Insights support; CreateDBInstance)', () => {
  const check: Check = (stack) =>
    ['aws_db_instance', 'aws_rds_cluster_instance', 'aws_rds_cluster'].flatMap((type) =>
      resourcesOf(stack, type).flatMap((db) => {
        if (db.body.performance_insights_enabled !== true) return [];
        const engine = engineOf(stack, db);
        const instanceClass = String(db.body.instance_class ?? db.body.db_cluster_instance_class ?? '');
        const retention = Number(db.body.performance_insights_retention_period ?? 7);
        return [
          ...(NO_PERFORMANCE_INSIGHTS[engine]?.test(instanceClass)
            ? [`${db.address}: ${engine} on ${instanceClass} has no Performance Insights`]
            : []),
          ...(PI_RETENTION.has(retention)
            ? []
            : [`${db.address}: Performance Insights retention ${retention} days (7, 31–713 in months of 31, or 731)`]),
        ];
      }),
    );
  it('holds in every stack', () => expect(problemsInEveryStack(check)).toEqual([]));
  it('fails on a db.t4g.micro MySQL instance, and for 94 days', () => {
    const problems = problemsOfBroken(check, 'aws_db_instance', (s) => {
      const db = bodyOf(s, 'aws_db_instance');
      Object.assign(db, { engine: 'mysql', engine_version: '8.4', instance_class: 'db.t4g.micro' });
      Object.assign(db, { performance_insights_enabled: true, performance_insights_retention_period: 94 });
    });
    expect(problems).toEqual([
      expect.stringContaining('mysql on db.t4g.micro has no Performance Insights'),
      expect.stringContaining('retention 94 days'),
    ]);
  });
});

/** Minutes from Monday 00:00 of a `ddd:hh24:mi` or (with `day`) a daily `hh24:mi`. */
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const WEEK = 7 * 24 * 60;

/** The minutes of the week a window covers, or a problem with its format or length. */
function windowMinutes(window: string, weekly: boolean): Set<number> | string {
  const part = weekly ? '(mon|tue|wed|thu|fri|sat|sun):([01]\\d|2[0-3]):([0-5]\\d)' : '([01]\\d|2[0-3]):([0-5]\\d)';
  const match = new RegExp(`^${part}-${part}$`).exec(window);
  if (!match) return `"${window}" is not ${weekly ? 'ddd:hh24:mi-ddd:hh24:mi' : 'hh24:mi-hh24:mi'}`;
  const values = match.slice(1);
  const minute = (i: number) =>
    weekly
      ? DAYS.indexOf(values[i]) * 1440 + Number(values[i + 1]) * 60 + Number(values[i + 2])
      : Number(values[i]) * 60 + Number(values[i + 1]);
  const start = minute(0);
  const end = minute(weekly ? 3 : 2);
  const span = weekly ? WEEK : 1440;
  const length = (end - start + span) % span;
  if (length < 30) return `"${window}" is shorter than 30 minutes`;
  const covered = new Set<number>();
  for (const offset of weekly ? [0] : DAYS.map((_, d) => d * 1440))
    for (let m = 0; m < length; m++) covered.add((offset + start + m) % WEEK);
  return covered;
}

// RDS API Reference, CreateDBInstance, PreferredBackupWindow and PreferredMaintenanceWindow ("hh24:mi-hh24:mi" and
// "ddd:hh24:mi-ddd:hh24:mi" in UTC, "Must not conflict with the preferred maintenance window. Must be at least 30
// minutes"): https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html
describe('backup and maintenance windows are well formed, 30 minutes or longer, and do not overlap (RDS API Reference, CreateDBInstance)', () => {
  const check: Check = (stack) =>
    databases(stack).flatMap((db) => {
      const backup = db.body.backup_window ?? db.body.preferred_backup_window;
      const maintenance = db.body.maintenance_window ?? db.body.preferred_maintenance_window;
      const b = backup === undefined ? undefined : windowMinutes(String(backup), false);
      const m = maintenance === undefined ? undefined : windowMinutes(String(maintenance).toLowerCase(), true);
      const problems = [b, m].filter((w): w is string => typeof w === 'string').map((w) => `${db.address}: ${w}`);
      if (b instanceof Set && m instanceof Set && [...b].some((minute) => m.has(minute)))
        problems.push(`${db.address}: backup window ${backup} overlaps maintenance window ${maintenance}`);
      return problems;
    });
  it('holds in every stack', () => expect(problemsInEveryStack(check)).toEqual([]));
  it('fails for a maintenance window inside the backup window, and for one of 20 minutes', () => {
    expect(
      problemsOfBroken(check, 'aws_db_instance', (s) => (bodyOf(s, 'aws_db_instance').maintenance_window = 'sun:02:30-sun:03:30')),
    ).toEqual([expect.stringMatching(/backup window 02:00-03:00 overlaps maintenance window sun:02:30-sun:03:30/)]);
    expect(
      problemsOfBroken(check, 'aws_db_instance', (s) => (bodyOf(s, 'aws_db_instance').maintenance_window = 'sun:05:00-sun:05:20')),
    ).toEqual([expect.stringContaining('shorter than 30 minutes')]);
  });
});

// RDS API Reference, CreateDBInstance, MonitoringInterval ("Valid Values: 0 | 1 | 5 | 10 | 15 | 30 | 60") and
// MonitoringRoleArn ("If MonitoringInterval is set to a value other than 0, then you must supply a
// MonitoringRoleArn"), and RDS User Guide, "Setting up and enabling Enhanced Monitoring" (the role trusts
// monitoring.rds.amazonaws.com): https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html,
// https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Monitoring.OS.Enabling.html
describe('enhanced monitoring: an interval RDS offers, with a role RDS can assume exactly when it is on (RDS API Reference, CreateDBInstance; Enhanced Monitoring setup)', () => {
  const INTERVALS = [0, 1, 5, 10, 15, 30, 60];
  const check: Check = (stack) =>
    ['aws_db_instance', 'aws_rds_cluster_instance', 'aws_rds_cluster'].flatMap((type) =>
      resourcesOf(stack, type).flatMap((db) => {
        const interval = Number(db.body.monitoring_interval ?? 0);
        const problems: string[] = [];
        if (!INTERVALS.includes(interval)) problems.push(`${db.address}: monitoring interval ${interval} s`);
        if (interval > 0 && db.body.monitoring_role_arn === undefined)
          problems.push(`${db.address}: monitoring every ${interval} s without a role`);
        if (interval === 0 && db.body.monitoring_role_arn !== undefined)
          problems.push(`${db.address}: a monitoring role with monitoring off`);
        const role = target(stack, db.body.monitoring_role_arn, 'aws_iam_role');
        if (role) {
          const trusted = statements(role.body.assume_role_policy, role.address).some(
            (s) =>
              s.effect === 'Allow' &&
              s.principalsByType.Service?.includes('monitoring.rds.amazonaws.com') &&
              s.actions.includes('sts:AssumeRole'),
          );
          if (!trusted) problems.push(`${db.address}: ${role.address} does not let monitoring.rds.amazonaws.com assume it`);
        }
        return problems;
      }),
    );
  it('holds in every stack', () => expect(problemsInEveryStack(check)).toEqual([]));
  it('fails for a 2-second interval, and for a role that trusts EC2', () => {
    const problems = problemsOfBroken(check, 'aws_db_instance', (s) => {
      bodyOf(s, 'aws_db_instance').monitoring_interval = 2;
      const role = target(s, bodyOf(s, 'aws_db_instance').monitoring_role_arn, 'aws_iam_role') as Resource;
      role.body.assume_role_policy = role.body.assume_role_policy.replace('monitoring.rds.amazonaws.com', 'ec2.amazonaws.com');
    });
    expect(problems).toEqual([
      expect.stringContaining('monitoring interval 2 s'),
      expect.stringMatching(/aws_iam_role\.\S+ does not let monitoring\.rds\.amazonaws\.com assume it/),
    ]);
  });
});

// RDS API Reference, CreateDBInstance, AllocatedStorage (gp2/gp3 "Must be an integer from 20 to 65536", io1/io2
// from 100), and RDS User Guide, "Managing capacity automatically with Amazon RDS storage autoscaling" (the maximum
// storage threshold must be at least 10% above the allocated storage, or "Invalid max storage size"):
// https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html,
// https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PIOPS.Autoscaling.html
describe('storage: a size the storage type allows, and an autoscaling cap at least 10% above it (RDS API Reference, CreateDBInstance; storage autoscaling)', () => {
  const SIZES: Record<string, readonly [number, number]> = {
    gp2: [20, 65536],
    gp3: [20, 65536],
    io1: [100, 65536],
    io2: [100, 65536],
    standard: [5, 3072],
  };
  const check: Check = (stack) =>
    resourcesOf(stack, 'aws_db_instance').flatMap((db) => {
      if (db.body.allocated_storage === undefined) return []; // a replica or a restore takes its source's
      const allocated = Number(db.body.allocated_storage);
      const type = String(db.body.storage_type ?? 'gp2');
      const [min, max] = SIZES[type] ?? [NaN, NaN];
      const problems: string[] = [];
      if (!(allocated >= min && allocated <= max)) problems.push(`${db.address}: ${allocated} GiB of ${type} (allowed ${min}–${max})`);
      const cap = Number(db.body.max_allocated_storage ?? 0);
      if (cap > 0 && cap < allocated * 1.1)
        problems.push(`${db.address}: autoscaling cap ${cap} GiB is less than 10% above ${allocated} GiB`);
      return problems;
    });
  it('holds in every stack', () => expect(problemsInEveryStack(check)).toEqual([]));
  it('fails for 10 GiB of gp3, and for a cap of 21 GiB above 20', () => {
    expect(
      problemsOfBroken(check, 'aws_db_instance', (s) => Object.assign(bodyOf(s, 'aws_db_instance'), { allocated_storage: 10 })),
    ).toEqual([expect.stringContaining('10 GiB of gp3 (allowed 20–65536)')]);
    expect(
      problemsOfBroken(check, 'aws_db_instance', (s) =>
        Object.assign(bodyOf(s, 'aws_db_instance'), { allocated_storage: 20, max_allocated_storage: 21 }),
      ),
    ).toEqual([expect.stringContaining('autoscaling cap 21 GiB is less than 10% above 20 GiB')]);
  });
});

// RDS User Guide, "Using SSL/TLS to encrypt a connection to a DB instance or cluster", Certificate authorities
// (rds-ca-rsa2048-g1, rds-ca-rsa4096-g1, rds-ca-ecc384-g1; rds-ca-2019 expired in August 2024):
// https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL.html
describe('the server certificate is signed by a CA RDS offers (RDS User Guide, Using SSL/TLS ... Certificate authorities)', () => {
  const AUTHORITIES = ['rds-ca-rsa2048-g1', 'rds-ca-rsa4096-g1', 'rds-ca-ecc384-g1'];
  const check: Check = (stack) =>
    ['aws_db_instance', 'aws_rds_cluster_instance', 'aws_rds_cluster'].flatMap((type) =>
      resourcesOf(stack, type)
        .filter((db) => db.body.ca_cert_identifier !== undefined && !AUTHORITIES.includes(String(db.body.ca_cert_identifier)))
        .map((db) => `${db.address}: CA ${db.body.ca_cert_identifier}`),
    );
  it('holds in every stack', () => expect(problemsInEveryStack(check)).toEqual([]));
  it('fails for the expired rds-ca-2019', () => {
    expect(problemsOfBroken(check, 'aws_db_instance', (s) => (bodyOf(s, 'aws_db_instance').ca_cert_identifier = 'rds-ca-2019'))).toEqual([
      expect.stringContaining('CA rds-ca-2019'),
    ]);
  });
});

// RDS API Reference, CreateDBInstance, ManageMasterUserPassword ("Can't manage the master user password with AWS
// Secrets Manager if MasterUserPassword is specified") and MasterUsername ("1 to 16 letters, numbers, or
// underscores. First character must be a letter"), DBName per engine, DBInstanceIdentifier ("1 to 63 letters,
// numbers, or hyphens. First character must be a letter. Can't end with a hyphen or contain two consecutive
// hyphens"): https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html
describe('credentials and names: a managed password or a password, never both, and names RDS accepts (RDS API Reference, CreateDBInstance)', () => {
  const IDENTIFIER = /^[a-zA-Z](?!.*--)[a-zA-Z0-9-]{0,62}(?<!-)$/;
  const USERNAME = /^[A-Za-z][A-Za-z0-9_]{0,15}$/;
  const DB_NAME: Record<string, RegExp> = {
    mysql: /^[A-Za-z][A-Za-z0-9_]{0,63}$/,
    mariadb: /^[A-Za-z][A-Za-z0-9_]{0,63}$/,
    postgres: /^[A-Za-z][A-Za-z0-9_]{0,62}$/,
  };
  const check: Check = (stack) =>
    resourcesOf(stack, 'aws_db_instance').flatMap((db) => {
      const b = db.body;
      const problems: string[] = [];
      if (b.manage_master_user_password === true && b.password !== undefined)
        problems.push(`${db.address}: a managed master password and a password`);
      if (
        b.manage_master_user_password !== true &&
        b.password === undefined &&
        b.snapshot_identifier === undefined &&
        b.replicate_source_db === undefined
      )
        problems.push(`${db.address}: no master password at all`);
      if (!IDENTIFIER.test(String(b.identifier))) problems.push(`${db.address}: identifier ${JSON.stringify(b.identifier)}`);
      if (b.username !== undefined && !USERNAME.test(String(b.username)))
        problems.push(`${db.address}: master username ${JSON.stringify(b.username)}`);
      const name = DB_NAME[String(b.engine)];
      if (b.db_name !== undefined && name && !name.test(String(b.db_name)))
        problems.push(`${db.address}: database name ${JSON.stringify(b.db_name)}`);
      return problems;
    });
  it('holds in every stack', () => expect(problemsInEveryStack(check)).toEqual([]));
  it('fails with a password next to the managed one, and with a 17-character username', () => {
    const problems = problemsOfBroken(check, 'aws_db_instance', (s) =>
      Object.assign(bodyOf(s, 'aws_db_instance'), { password: 'x'.repeat(16), username: 'a'.repeat(17) }),
    );
    expect(problems).toEqual([
      expect.stringContaining('a managed master password and a password'),
      expect.stringContaining(`master username "${'a'.repeat(17)}"`),
    ]);
  });
});

// RDS API Reference, DeleteDBInstance, SkipFinalSnapshot ("If you don't enable this parameter, you must specify the
// FinalDBSnapshotIdentifier parameter") and FinalDBSnapshotIdentifier ("1 to 255 letters or numbers. First character
// must be a letter. Can't end with a hyphen or contain two consecutive hyphens"); the same for DeleteDBCluster:
// https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBInstance.html
describe('a database that keeps a final snapshot names one RDS accepts (RDS API Reference, DeleteDBInstance)', () => {
  const SNAPSHOT = /^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,254}(?<!-)$/;
  const check: Check = (stack) =>
    databases(stack).flatMap((db) => {
      if (db.body.skip_final_snapshot === true) return [];
      const id = db.body.final_snapshot_identifier;
      if (id === undefined) return [`${db.address}: keeps a final snapshot without naming it (the delete fails)`];
      return SNAPSHOT.test(String(id)) ? [] : [`${db.address}: final snapshot identifier ${JSON.stringify(id)}`];
    });
  it('holds in every stack', () => expect(problemsInEveryStack(check)).toEqual([]));
  it('fails for a snapshot name with two hyphens in a row, and for none', () => {
    const withName = (id: string | undefined) =>
      problemsOfBroken(check, 'aws_db_instance', (s) =>
        Object.assign(bodyOf(s, 'aws_db_instance'), { skip_final_snapshot: false, final_snapshot_identifier: id }),
      );
    expect(withName('web--final')).toEqual([expect.stringContaining('final snapshot identifier "web--final"')]);
    expect(withName(undefined)).toEqual([expect.stringContaining('without naming it')]);
  });
});

// RDS User Guide, "Supported Regions and DB engines for IAM database authentication in Amazon RDS" ("IAM database
// authentication isn't available with the following engines: RDS for Db2, RDS for Oracle, RDS for SQL Server"):
// https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.RDS_Fea_Regions_DB-eng.Feature.IamDatabaseAuthentication.html
describe('IAM database authentication only on engines that have it (RDS User Guide, Supported Regions and DB engines for IAM database authentication)', () => {
  const ENGINES = ['mysql', 'mariadb', 'postgres', 'aurora-mysql', 'aurora-postgresql'];
  const check: Check = (stack) =>
    databases(stack)
      .filter((db) => db.body.iam_database_authentication_enabled === true && !ENGINES.includes(engineOf(stack, db)))
      .map((db) => `${db.address}: IAM authentication on ${engineOf(stack, db)}`);
  it('holds in every stack', () => expect(problemsInEveryStack(check)).toEqual([]));
  it('fails on Oracle', () => {
    expect(problemsOfBroken(check, 'aws_db_instance', (s) => (bodyOf(s, 'aws_db_instance').engine = 'oracle-ee'))).toEqual([
      expect.stringContaining('IAM authentication on oracle-ee'),
    ]);
  });
});

// RDS API Reference, CreateDBInstance, Port ("Valid Values: 1150-65535") and BackupRetentionPeriod ("Must be a value
// from 0 to 35"): https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html
describe('port 1150–65535 and backups kept 0–35 days (RDS API Reference, CreateDBInstance)', () => {
  const check: Check = (stack) =>
    databases(stack).flatMap((db) => {
      const problems: string[] = [];
      const port = db.body.port === undefined ? undefined : Number(db.body.port);
      if (port !== undefined && !(port >= 1150 && port <= 65535)) problems.push(`${db.address}: port ${port}`);
      const days = db.body.backup_retention_period === undefined ? undefined : Number(db.body.backup_retention_period);
      if (days !== undefined && !(days >= 0 && days <= 35)) problems.push(`${db.address}: backups kept ${days} days`);
      return problems;
    });
  it('holds in every stack', () => expect(problemsInEveryStack(check)).toEqual([]));
  it('fails on port 1024 and 36 days of backups', () => {
    expect(
      problemsOfBroken(check, 'aws_db_instance', (s) =>
        Object.assign(bodyOf(s, 'aws_db_instance'), { port: 1024, backup_retention_period: 36 }),
      ),
    ).toEqual([expect.stringContaining('port 1024'), expect.stringContaining('backups kept 36 days')]);
  });
});

// Secrets Manager User Guide, "Managed rotation for AWS Secrets Manager secrets" (managed rotation, without a Lambda
// function, is for secrets a service manages — here the master secret RDS made) and Secrets Manager API Reference,
// RotationRulesType, AutomaticallyAfterDays (1–1000):
// https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_managed.html,
// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_RotationRulesType.html
describe('a rotation without a Lambda function is on a secret RDS manages, every 1–1000 days (Secrets Manager User Guide, Managed rotation; RotationRulesType)', () => {
  const check: Check = (stack) =>
    resourcesOf(stack, 'aws_secretsmanager_secret_rotation').flatMap((rotation) => {
      const problems: string[] = [];
      const managedBy = target(stack, rotation.body.secret_id);
      const managed =
        managedBy !== undefined &&
        ['aws_db_instance', 'aws_rds_cluster'].includes(managedBy.type) &&
        /master_user_secret/.test(String(rotation.body.secret_id));
      if (rotation.body.rotation_lambda_arn === undefined && !managed)
        problems.push(`${rotation.address}: no rotation function for a secret no service manages`);
      const days = blocks(rotation.body.rotation_rules)[0]?.automatically_after_days;
      if (days !== undefined && !(Number(days) >= 1 && Number(days) <= 1000))
        problems.push(`${rotation.address}: rotation every ${days} days`);
      return problems;
    });
  it('holds in every stack', () => {
    expect(stacksWith('aws_secretsmanager_secret_rotation')).toBeGreaterThan(0);
    expect(problemsInEveryStack(check)).toEqual([]);
  });
  it('fails for a secret of its own without a function, rotated every 1001 days', () => {
    const problems = problemsOfBroken(check, 'aws_secretsmanager_secret_rotation', (s) =>
      Object.assign(bodyOf(s, 'aws_secretsmanager_secret_rotation'), {
        secret_id: '${aws_secretsmanager_secret.mine.arn}',
        rotation_rules: { automatically_after_days: 1001 },
      }),
    );
    expect(problems).toEqual([expect.stringContaining('no rotation function'), expect.stringContaining('every 1001 days')]);
  });
});

// What the rules above resolve must resolve: a database whose parameter group were no resource of the stack would
// leave the family rule nothing to compare.
it('every database of the stacks under test names a parameter group of its stack', () => {
  expect(stacksWith('aws_db_instance') + stacksWith('aws_rds_cluster')).toBeGreaterThan(0);
  const unresolved = problemsInEveryStack((stack) =>
    resourcesOf(stack, 'aws_db_instance')
      .filter((db) => target(stack, db.body.parameter_group_name, 'aws_db_parameter_group') === undefined)
      .map((db) => `${db.address}: parameter group ${db.body.parameter_group_name} is not a resource of the stack`),
  );
  expect(unresolved).toEqual([]);
});
