import { defineRule, scanners, verdict } from '../rule';
import { isFalse } from '../tokens';

export const rule = defineRule({
  id: 'rds-auto-minor-upgrade',
  what: 'Databases take minor engine upgrades automatically in the maintenance window.',
  why: 'Minor versions carry security fixes; applying them by hand means applying them late.',
  scanners: scanners({ checkov: ['CKV_AWS_226'] }),
  resourceTypes: ['aws_db_instance'],
  check: (db) => verdict(!isFalse(db.config.auto_minor_version_upgrade), 'auto_minor_version_upgrade is false'),
});
