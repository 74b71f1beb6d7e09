import { defineRule, scanners, verdict } from '../rule';
import { statementsOf } from '../policy-document';

export const rule = defineRule({
  id: 'vpc-endpoint-policy-restricted',
  what: 'VPC endpoints have a policy whose every Allow is limited by a condition or to named resources.',
  why: 'An endpoint without a policy lets anything in the VPC reach any account through it, the easy way to move data out.',
  scanners: scanners({}),
  resourceTypes: ['aws_vpc_endpoint'],
  check: (endpoint) => {
    const statements = statementsOf(endpoint.config.policy);
    const open = (statements ?? []).filter(
      (s) => s.effect === 'Allow' && Object.keys(s.condition).length === 0 && s.resources.includes('*'),
    );
    return verdict(
      statements !== undefined && open.length === 0,
      statements === undefined ? 'no endpoint policy (full access)' : 'an Allow statement on every resource without a condition',
    );
  },
});
