import { defineRule, scanners, verdict } from '../rule';
import { IDENTITY_POLICY_TYPES, identityPolicies } from '../iam-rules';
import { statementsOf } from '../policy-document';

export const rule = defineRule({
  id: 'iam-no-wildcard-actions',
  what: 'Identity policies allow named actions only: no "*", no "service:*", no NotAction.',
  why: 'A wildcard grants every present and future action of a service, including privilege escalation and data exfiltration paths.',
  scanners: scanners({ checkov: ['CKV_AWS_62', 'CKV_AWS_63', 'CKV_AWS_286', 'CKV_AWS_287', 'CKV_AWS_288', 'CKV_AWS_289'], trivy: ['AVD-AWS-0057'], cdkNag: ['AwsSolutions-IAM5'] }),
  resourceTypes: [...IDENTITY_POLICY_TYPES, 'aws_iam_role'],
  check: (r) => {
    const docs = identityPolicies(r).map(statementsOf);
    if (docs.some((d) => d === undefined)) return verdict(false, 'a policy document cannot be read at synth');
    const bad = docs.flatMap((d) => d ?? []).filter((s) => s.effect === 'Allow' && (s.notAction || s.actions.some((a) => a === '*' || a.endsWith(':*'))));
    return verdict(bad.length === 0, `wildcard or NotAction in: ${bad.flatMap((s) => s.actions).join(', ')}`);
  },
});
