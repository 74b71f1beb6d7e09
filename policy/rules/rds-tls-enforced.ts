import { defineRule, scanners, verdict } from '../rule';
import { blocks } from '../tokens';

/** Parameter that makes each engine family refuse unencrypted connections. */
const TLS_PARAMETERS: readonly [RegExp, string][] = [
  [/^(mysql|mariadb)/, 'require_secure_transport'],
  [/^postgres/, 'rds.force_ssl'],
];

export const rule = defineRule({
  id: 'rds-tls-enforced',
  what: 'Databases use a parameter group of this stack that refuses unencrypted connections.',
  why: 'Without it a misconfigured client sends credentials and data in clear text across the network.',
  scanners: scanners({ checkov: ['CKV2_AWS_69'] }),
  resourceTypes: ['aws_db_instance'],
  check: (db, stack) => {
    const group = stack.target(db.config.parameter_group_name, 'aws_db_parameter_group');
    const family = String(group?.config.family ?? '');
    const name = TLS_PARAMETERS.find(([pattern]) => pattern.test(family))?.[1];
    const on = blocks(group?.config.parameter).some((p) => p.name === name && ['1', 'ON', 'on', 1, true].includes(p.value));
    return verdict(
      group !== undefined && on,
      group
        ? `parameter group does not set ${name ?? 'a TLS parameter'} = 1`
        : 'parameter_group_name is not a parameter group of this stack',
    );
  },
});
