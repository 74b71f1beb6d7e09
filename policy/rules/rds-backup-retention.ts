import { defineRule, scanners, verdict } from '../rule';
import { numberOf, show } from '../tokens';

/** Days of automated backups we require. */
export const MIN_BACKUP_DAYS = 7;

export const rule = defineRule({
  id: 'rds-backup-retention',
  what: `Databases keep automated backups for at least ${MIN_BACKUP_DAYS} days.`,
  why: 'Corruption or a bad migration is often found days later; point-in-time recovery only reaches back as far as the retention.',
  scanners: scanners({ checkov: ['CKV_AWS_133'], trivy: ['AVD-AWS-0077'], cdkNag: ['AwsSolutions-RDS13'] }),
  resourceTypes: ['aws_db_instance'],
  check: (db) => {
    const days = numberOf(db.config.backup_retention_period);
    return verdict(days !== undefined && days >= MIN_BACKUP_DAYS, `backup_retention_period is ${show(db.config.backup_retention_period)}`);
  },
});
