import { defineRule, scanners, verdict } from '../rule';
import { CREATE_WITH_REQUEST_TAGS, IDENTITY_POLICY_TYPES, identityPolicies, requiresRequestTags, UNSCOPABLE_ACTIONS } from '../iam-rules';
import { statementsOf } from '../policy-document';

export const rule = defineRule({
  id: 'iam-no-wildcard-resources',
  what: 'Identity policies name their resources; "Resource": "*" only for actions that cannot be scoped, or that create a resource with required request tags.',
  why: 'A grant on "*" reaches every resource of the account, including ones created later by others.',
  scanners: scanners({ checkov: ['CKV_AWS_355', 'CKV_AWS_290'], trivy: ['AVD-AWS-0057'], cdkNag: ['AwsSolutions-IAM5'] }),
  resourceTypes: [...IDENTITY_POLICY_TYPES, 'aws_iam_role'],
  check: (r) => {
    const docs = identityPolicies(r).map(statementsOf);
    if (docs.some((d) => d === undefined)) return verdict(false, 'a policy document cannot be read at synth');
    const bad = docs
      .flatMap((d) => d ?? [])
      .filter((s) => s.effect === 'Allow' && s.resources.includes('*'))
      .filter((s) => !s.actions.every((a) => UNSCOPABLE_ACTIONS.has(a)))
      .filter((s) => !(s.actions.every((a) => CREATE_WITH_REQUEST_TAGS.has(a)) && requiresRequestTags(s.condition)));
    return verdict(bad.length === 0, `"Resource": "*" for ${bad.flatMap((s) => s.actions).join(', ')}`);
  },
});
