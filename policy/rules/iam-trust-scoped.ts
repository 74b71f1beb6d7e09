import { defineRule, scanners, verdict } from '../rule';
import { statementsOf } from '../policy-document';
import { refersTo, referenceOf } from '../tokens';

export const rule = defineRule({
  id: 'iam-trust-scoped',
  what: 'Role trust policies name the services, accounts or identity providers that may assume the role; no wildcard principal.',
  why: 'A wildcard principal lets anyone, in any account, try to assume the role.',
  scanners: scanners({ checkov: ['CKV_AWS_60', 'CKV_AWS_61'] }),
  resourceTypes: ['aws_iam_role'],
  check: (role, stack) => {
    const statements = statementsOf(role.config.assume_role_policy);
    if (!statements) return verdict(false, 'the trust policy cannot be read at synth');
    // An OpenID Connect provider of this stack, named by reference, is a known principal.
    const known = (p: string) => refersTo(p, 'aws_iam_openid_connect_provider', 'arn') && stack.get(referenceOf(p)!.address) !== undefined;
    const open = statements.filter(
      (s) => s.effect === 'Allow' && (s.principals.length === 0 || s.principals.some((p) => p === '*' || (p.includes('${') && !known(p)))),
    );
    return verdict(open.length === 0, 'an Allow statement has a wildcard, unknown or missing principal');
  },
});
