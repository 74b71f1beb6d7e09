import { defineRule, scanners, verdict } from '../rule';
import {
  createsWithRequestTags,
  IDENTITY_POLICY_TYPES,
  identityPolicies,
  isServiceArn,
  isUnscopable,
  namesNoResource,
  restrictedByTags,
  WILDCARD_RESOURCES,
} from '../iam-rules';
import { statementsOf, type Statement } from '../policy-document';

/** The resources of an Allow statement that name none (see `namesNoResource`), less the reasoned ones. */
const wildcards = (s: Statement): string[] =>
  s.resources.filter(
    (r) =>
      namesNoResource(r) &&
      !WILDCARD_RESOURCES.some(
        (w) =>
          w.resource.test(r) &&
          (w.actions === undefined || s.actions.every((a) => w.actions!.includes(a))) &&
          (w.when?.(s.condition) ?? true),
      ),
  );

/**
 * True when the statement may leave its resources unnamed: every action cannot be scoped; or every action
 * creates a resource and a condition requires its tags; or every wildcard is an ARN of one service, whose
 * resources a tag condition (or `kms:ResourceAliases`) scopes.
 */
function excused(s: Statement, wild: readonly string[]): boolean {
  if (s.notAction || s.notResource) return false;
  // An action that creates with tags and names no resource must still say which tags (kms:CreateKey).
  if (s.actions.every((a) => isUnscopable(a) && !createsWithRequestTags(a))) return true;
  if (s.actions.every(createsWithRequestTags) && restrictedByTags(s.condition, 'request')) return true;
  return wild.every(isServiceArn) && restrictedByTags(s.condition, 'any');
}

export const rule = defineRule({
  id: 'iam-no-wildcard-resources',
  what: 'Identity policies name their resources: no "*", NotResource or all-wildcard ARN but for unscopable actions, tag-scoped ARNs and creations with required request tags.',
  why: 'A grant on "*", or on every resource of a type ("arn:aws:s3:::*", "arn:aws:kms:*:*:key/*"), reaches every such resource of the account, including ones created later by others.',
  scanners: scanners({ checkov: ['CKV_AWS_355', 'CKV_AWS_290'], trivy: ['AVD-AWS-0057'], cdkNag: ['AwsSolutions-IAM5'] }),
  resourceTypes: [...IDENTITY_POLICY_TYPES, 'aws_iam_role'],
  check: (r) => {
    const docs = identityPolicies(r).map(statementsOf);
    if (docs.some((d) => d === undefined)) return verdict(false, 'a policy document cannot be read at synth');
    const bad = docs
      .flatMap((d) => d ?? [])
      .filter((s) => s.effect === 'Allow')
      .map((s) => ({ s, wild: s.notResource ? [] : wildcards(s) }))
      .filter(({ s, wild }) => (s.notResource || wild.length > 0) && !excused(s, wild));
    return verdict(
      bad.length === 0,
      bad
        .map(({ s, wild }) =>
          s.notResource
            ? `"NotResource" (every other resource) for ${s.actions.join(', ')}`
            : `"Resource": ${wild.map((w) => JSON.stringify(w)).join(', ')} for ${s.notAction ? 'every action but ' : ''}${s.actions.join(', ')}`,
        )
        .join('; '),
    );
  },
});
