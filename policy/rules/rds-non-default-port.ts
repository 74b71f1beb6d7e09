import { defineRule, scanners, verdict } from '../rule';
import { numberOf, show } from '../tokens';

/** Ports RDS engines listen on by default. */
const DEFAULT_PORTS = [3306, 5432, 1521, 1433, 50000];

export const rule = defineRule({
  id: 'rds-non-default-port',
  what: "Databases listen on a port other than their engine's default.",
  why: 'Non-targeted scans and worms probe default database ports; another port adds a cheap layer against them.',
  scanners: scanners({ cdkNag: ['AwsSolutions-RDS11'] }),
  resourceTypes: ['aws_db_instance'],
  check: (db) => {
    const port = numberOf(db.config.port);
    return verdict(port !== undefined && !DEFAULT_PORTS.includes(port), `port is ${show(db.config.port)}`);
  },
});
