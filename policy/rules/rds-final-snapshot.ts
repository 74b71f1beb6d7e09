import { defineRule, scanners, verdict } from '../rule';
import { isFalse } from '../tokens';

export const rule = defineRule({
  id: 'rds-final-snapshot',
  what: 'Deleting a database takes a final snapshot and keeps its automated backups.',
  why: 'If the database is deleted after all, the final snapshot is the last copy of the data.',
  scanners: scanners({}),
  resourceTypes: ['aws_db_instance'],
  check: (db) =>
    verdict(
      isFalse(db.config.skip_final_snapshot) &&
        typeof db.config.final_snapshot_identifier === 'string' &&
        isFalse(db.config.delete_automated_backups),
      'skip_final_snapshot is not false, final_snapshot_identifier is missing, or delete_automated_backups is not false',
    ),
});
