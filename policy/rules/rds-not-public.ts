import { defineRule, scanners, verdict } from '../rule';
import { isFalse, show } from '../tokens';

export const rule = defineRule({
  id: 'rds-not-public',
  what: 'Databases are not publicly accessible.',
  why: 'A public endpoint exposes the database to password guessing and exploits from the whole internet.',
  scanners: scanners({ checkov: ['CKV_AWS_17'], trivy: ['AVD-AWS-0180'] }),
  resourceTypes: ['aws_db_instance'],
  check: (db) => {
    const v = db.config.publicly_accessible;
    return verdict(v === undefined || isFalse(v), `publicly_accessible is ${show(v)}`);
  },
});
