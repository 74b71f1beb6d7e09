import { defineRule, scanners, verdict } from '../rule';
import { statementsOf } from '../policy-document';

export const rule = defineRule({
  id: 'iam-trust-scoped',
  what: 'Role trust policies name the services or accounts that may assume the role; no wildcard principal.',
  why: 'A wildcard principal lets anyone, in any account, try to assume the role.',
  scanners: scanners({ checkov: ['CKV_AWS_60', 'CKV_AWS_61'] }),
  resourceTypes: ['aws_iam_role'],
  check: (role) => {
    const statements = statementsOf(role.config.assume_role_policy);
    if (!statements) return verdict(false, 'the trust policy cannot be read at synth');
    const open = statements.filter((s) => s.effect === 'Allow' && (s.principals.length === 0 || s.principals.some((p) => p === '*' || p.includes('${'))));
    return verdict(open.length === 0, 'an Allow statement has a wildcard, unknown or missing principal');
  },
});
