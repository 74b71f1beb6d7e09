import { defineRule, scanners, verdict } from '../rule';
import { show } from '../tokens';

const CURRENT_CAS = ['rds-ca-rsa2048-g1', 'rds-ca-rsa4096-g1', 'rds-ca-ecc384-g1'];

export const rule = defineRule({
  id: 'rds-ca-certificate',
  what: 'Databases use a current RDS certificate authority (rds-ca-rsa2048-g1, rds-ca-rsa4096-g1 or rds-ca-ecc384-g1).',
  why: 'Clients verify the server against this CA; the retired rds-ca-2019 expired in 2024 and breaks TLS verification.',
  scanners: scanners({ checkov: ['CKV_AWS_211'] }),
  resourceTypes: ['aws_db_instance'],
  check: (db) => verdict(CURRENT_CAS.includes(db.config.ca_cert_identifier), `ca_cert_identifier is ${show(db.config.ca_cert_identifier)}`),
});
