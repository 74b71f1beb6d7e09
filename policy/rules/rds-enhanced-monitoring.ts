import { defineRule, scanners, verdict } from '../rule';
import { numberOf, refersTo } from '../tokens';

export const rule = defineRule({
  id: 'rds-enhanced-monitoring',
  what: 'Databases have enhanced monitoring with a role of this stack.',
  why: 'OS-level metrics (memory, swap, processes) explain slowdowns that the hypervisor metrics cannot.',
  scanners: scanners({ checkov: ['CKV_AWS_118'] }),
  resourceTypes: ['aws_db_instance'],
  check: (db) =>
    verdict(
      (numberOf(db.config.monitoring_interval) ?? 0) > 0 && refersTo(db.config.monitoring_role_arn, 'aws_iam_role', 'arn'),
      'monitoring_interval is 0 or unknown, or monitoring_role_arn is not a role of this stack',
    ),
});
