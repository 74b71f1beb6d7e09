import { NOT_APPLICABLE, defineRule, scanners, verdict } from '../rule';

/** Characters AWS counts in a policy (whitespace is not counted), per kind of policy (IAM quotas). */
export const POLICY_SIZE_LIMITS: Readonly<Record<string, number>> = {
  aws_iam_policy: 6144,
  aws_iam_role_policy: 10240,
};

export const rule = defineRule({
  id: 'iam-policy-size',
  what: 'A customer managed policy fits in 6,144 characters and an inline role policy in 10,240, whitespace not counted.',
  why: 'IAM refuses a larger policy at apply time, after the rest of the stack has changed; a synth-time check names it before anything runs.',
  scanners: scanners({}),
  resourceTypes: Object.keys(POLICY_SIZE_LIMITS),
  check: (r) => {
    const policy = r.config.policy;
    if (typeof policy !== 'string') return NOT_APPLICABLE;
    const size = policy.replace(/\s/g, '').length;
    const limit = POLICY_SIZE_LIMITS[r.type];
    return verdict(size <= limit, `${size} characters (IAM allows ${limit}): split the policy`);
  },
});
