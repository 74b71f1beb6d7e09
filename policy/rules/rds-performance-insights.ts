import { defineRule, scanners, verdict } from '../rule';
import { isTrue, refersTo } from '../tokens';

export const rule = defineRule({
  id: 'rds-performance-insights',
  what: "Databases have Performance Insights on, encrypted with the stack's KMS key.",
  why: 'Performance Insights shows which queries load the database; its data includes SQL text and must be encrypted with our key.',
  scanners: scanners({ checkov: ['CKV_AWS_353', 'CKV_AWS_354'], trivy: ['AVD-AWS-0133', 'AVD-AWS-0078'] }),
  resourceTypes: ['aws_db_instance'],
  check: (db) =>
    verdict(
      isTrue(db.config.performance_insights_enabled) && refersTo(db.config.performance_insights_kms_key_id, 'aws_kms_key', 'arn'),
      'performance_insights_enabled is not true or its key is not an aws_kms_key of this stack',
    ),
});
