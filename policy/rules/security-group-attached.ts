import { defineRule, scanners, verdict } from '../rule';
import { SG_RULE_TYPES } from '../security-group-rules';

export const rule = defineRule({
  id: 'security-group-attached',
  what: 'Every security group is used by a resource (load balancer, launch template, database, …).',
  why: 'An unused group is dead configuration that someone may later attach without review.',
  scanners: scanners({ checkov: ['CKV2_AWS_5'] }),
  resourceTypes: ['aws_security_group'],
  check: (sg, stack) => {
    const needle = `\${${sg.address}.id}`;
    const users = stack.resources.filter((r) => !SG_RULE_TYPES.includes(r.type) && stack.jsonOf(r).includes(needle));
    return verdict(users.length > 0, 'no resource other than security group rules refers to this group');
  },
});
