import { defineRule, scanners, verdict } from '../rule';
import { listOf, show } from '../tokens';

const AWS_MANAGED = /^arn:aws[a-z-]*:iam::aws:policy\//;

export const rule = defineRule({
  id: 'iam-no-managed-policies',
  what: 'Roles get permissions from our own scoped policies, not AWS managed policies.',
  why: 'AWS managed policies are broad, change without notice and cannot be scoped to our resources.',
  scanners: scanners({ cdkNag: ['AwsSolutions-IAM4'] }),
  resourceTypes: ['aws_iam_role_policy_attachment', 'aws_iam_policy_attachment', 'aws_iam_role'],
  check: (r) => {
    const arns = r.type === 'aws_iam_role' ? listOf(r.config.managed_policy_arns) : [r.config.policy_arn];
    const managed = arns.filter((a) => typeof a === 'string' && AWS_MANAGED.test(a));
    return verdict(managed.length === 0, `AWS managed policy ${managed.map(show).join(', ')}`);
  },
});
