import { defineRule, scanners, verdict } from '../rule';
import { isTrue } from '../tokens';

export const rule = defineRule({
  id: 'rds-multi-az',
  what: 'Databases run Multi-AZ with a synchronous standby in another zone.',
  why: 'A single-AZ database is down for the whole zone outage or host failure; Multi-AZ fails over in a minute or two.',
  scanners: scanners({ checkov: ['CKV_AWS_157'], cdkNag: ['AwsSolutions-RDS3'] }),
  resourceTypes: ['aws_db_instance'],
  check: (db) => verdict(isTrue(db.config.multi_az), 'multi_az is not true'),
});
