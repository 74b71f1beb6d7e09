import { defineRule, scanners, verdict } from '../rule';
import { listOf } from '../tokens';

export const rule = defineRule({
  id: 'rds-log-exports',
  what: 'Databases export their logs to CloudWatch Logs.',
  why: 'Error and slow-query logs are needed to investigate incidents and must outlive the instance.',
  scanners: scanners({ checkov: ['CKV_AWS_129'] }),
  resourceTypes: ['aws_db_instance'],
  check: (db) => verdict(listOf(db.config.enabled_cloudwatch_logs_exports).length > 0, 'enabled_cloudwatch_logs_exports is empty'),
});
