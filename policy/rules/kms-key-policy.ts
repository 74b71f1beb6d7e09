import { defineRule, scanners, verdict } from '../rule';
import { isFalse } from '../tokens';
import { requiredValues, statementsOf, type Statement } from '../policy-document';

/** Condition keys that name the calling account (lower case), and an account id. */
const ACCOUNT_KEYS = new Set(['kms:calleraccount', 'aws:principalaccount']);
const ACCOUNT_ID = /^\d{12}$/;
/** A principal ARN of one named account (`arn:aws:iam::111111111111:role/x`; a wildcard may follow the account). */
const ARN_IN_ACCOUNT = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{12}:/;

/**
 * True when `condition` lets only principals of named accounts through: `kms:CallerAccount` or
 * `aws:PrincipalAccount` equal to account ids (StringEquals, no wildcard), or `aws:PrincipalArn` equal to or
 * like ARNs of named accounts. A condition on anything else — the service a request came through
 * (`kms:ViaService`), TLS, a tag — restricts how, not who: every account could still use the key.
 */
export function pinsAccount(condition: Statement['condition']): boolean {
  const concrete = (values: readonly unknown[], shape: RegExp) =>
    values.length > 0 && values.every((v) => typeof v === 'string' && shape.test(v));
  return (
    requiredValues(condition, (k) => ACCOUNT_KEYS.has(k)).some(
      (e) => e.operator.startsWith('StringEquals') && concrete(e.values, ACCOUNT_ID),
    ) || requiredValues(condition, (k) => k === 'aws:principalarn').some((e) => concrete(e.values, ARN_IN_ACCOUNT))
  );
}

export const rule = defineRule({
  id: 'kms-key-policy',
  what: 'KMS keys are enabled and have an explicit key policy; an Allow to every principal ("*", NotPrincipal) holds only for principals of named accounts.',
  why: 'The key policy is the root of access to everything the key encrypts; a public principal under any weaker condition (a service, TLS, a tag) opens it to every account.',
  scanners: scanners({ checkov: ['CKV_AWS_33', 'CKV_AWS_227', 'CKV2_AWS_64'] }),
  resourceTypes: ['aws_kms_key'],
  check: (key) => {
    const statements = statementsOf(key.config.policy);
    if (!statements) return verdict(false, 'no key policy, or one that cannot be read at synth');
    const open = statements.filter(
      (s) => s.effect === 'Allow' && (s.notPrincipal || s.principals.includes('*')) && !pinsAccount(s.condition),
    );
    return verdict(
      open.length === 0 && !isFalse(key.config.is_enabled),
      open.length > 0
        ? 'an Allow statement lets every principal in without a condition that names their account (kms:CallerAccount, aws:PrincipalAccount or aws:PrincipalArn)'
        : 'is_enabled is false',
    );
  },
});
