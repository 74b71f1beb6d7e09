import { defineRule, scanners, verdict } from '../rule';
import { isTrue } from '../tokens';

export const rule = defineRule({
  id: 'rds-copy-tags-to-snapshot',
  what: 'Databases copy their tags to snapshots.',
  why: 'Untagged snapshots lose their owner and environment, so nobody knows whether they may be deleted or who pays.',
  scanners: scanners({ checkov: ['CKV2_AWS_60'] }),
  resourceTypes: ['aws_db_instance'],
  check: (db) => verdict(isTrue(db.config.copy_tags_to_snapshot), 'copy_tags_to_snapshot is not true'),
});
