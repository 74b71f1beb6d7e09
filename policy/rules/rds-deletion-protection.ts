import { defineRule, scanners, verdict } from '../rule';
import { isTrue, show } from '../tokens';

export const rule = defineRule({
  id: 'rds-deletion-protection',
  what: 'Databases have deletion protection on.',
  why: 'A deleted database takes its data with it; AWS must refuse the delete until someone turns protection off on purpose.',
  scanners: scanners({ checkov: ['CKV_AWS_293'], trivy: ['AVD-AWS-0177'], cdkNag: ['AwsSolutions-RDS10'] }),
  resourceTypes: ['aws_db_instance'],
  check: (db) => verdict(isTrue(db.config.deletion_protection), `deletion_protection is ${show(db.config.deletion_protection)}`),
});
