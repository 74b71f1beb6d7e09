import { defineRule, scanners, verdict } from '../rule';
import { isFalse } from '../tokens';
import { statementsOf } from '../policy-document';

export const rule = defineRule({
  id: 'kms-key-policy',
  what: 'KMS keys are enabled and have an explicit key policy with no unconditioned wildcard principal.',
  why: 'The key policy is the root of access to everything the key encrypts; a public principal would open it to every account.',
  scanners: scanners({ checkov: ['CKV_AWS_33', 'CKV_AWS_227', 'CKV2_AWS_64'] }),
  resourceTypes: ['aws_kms_key'],
  check: (key) => {
    const statements = statementsOf(key.config.policy);
    if (!statements) return verdict(false, 'no key policy, or one that cannot be read at synth');
    const open = statements.some((s) => s.effect === 'Allow' && s.principals.includes('*') && Object.keys(s.condition).length === 0);
    return verdict(
      !open && !isFalse(key.config.is_enabled),
      open ? 'an Allow statement has principal "*" without conditions' : 'is_enabled is false',
    );
  },
});
