import { defineRule, scanners, verdict } from '../rule';
import { IDENTITY_POLICY_TYPES, WILDCARD_ACTIONS, identityPolicies, isWildcardAction } from '../iam-rules';
import { statementsOf } from '../policy-document';

export const rule = defineRule({
  id: 'iam-no-wildcard-actions',
  what: 'Identity policies allow named actions only: no "*", no "service:*", no NotAction, no other wildcard outside the reasoned list of policy/iam-rules.ts.',
  why: 'A wildcard grants every present and future action of a service, including privilege escalation and data exfiltration paths.',
  scanners: scanners({
    checkov: ['CKV_AWS_62', 'CKV_AWS_63', 'CKV_AWS_286', 'CKV_AWS_287', 'CKV_AWS_288', 'CKV_AWS_289'],
    trivy: ['AVD-AWS-0057'],
    cdkNag: ['AwsSolutions-IAM5'],
  }),
  resourceTypes: [...IDENTITY_POLICY_TYPES, 'aws_iam_role'],
  check: (r) => {
    const docs = identityPolicies(r).map(statementsOf);
    if (docs.some((d) => d === undefined)) return verdict(false, 'a policy document cannot be read at synth');
    const allows = docs.flatMap((d) => d ?? []).filter((s) => s.effect === 'Allow');
    const notAction = allows.filter((s) => s.notAction);
    const wild = allows
      .flatMap((s) => (s.notAction ? [] : s.actions))
      .filter((a) => isWildcardAction(a) && !Object.hasOwn(WILDCARD_ACTIONS, a));
    return verdict(
      notAction.length === 0 && wild.length === 0,
      [
        notAction.length > 0 ? `NotAction in: ${notAction.flatMap((s) => s.actions).join(', ')}` : '',
        wild.length > 0 ? `wildcard action ${[...new Set(wild)].join(', ')}` : '',
      ]
        .filter((t) => t !== '')
        .join('; '),
    );
  },
});
