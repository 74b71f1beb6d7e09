import { defineRule, NOT_APPLICABLE, scanners, verdict } from '../rule';
import { isTrue, refersTo } from '../tokens';

export const rule = defineRule({
  id: 'elb-waf',
  what: 'Internet-facing application load balancers are protected by a WAFv2 web ACL.',
  why: 'A web application firewall with AWS managed rules blocks common exploits and known bad inputs before they reach the app.',
  scanners: scanners({ checkov: ['CKV2_AWS_28'] }),
  resourceTypes: ['aws_lb', 'aws_alb'],
  check: (lb, stack) => {
    if (isTrue(lb.config.internal) || (lb.config.load_balancer_type ?? 'application') !== 'application') return NOT_APPLICABLE;
    const associations = stack
      .referrers('aws_wafv2_web_acl_association', 'resource_arn', lb)
      .filter((a) => refersTo(a.config.web_acl_arn, 'aws_wafv2_web_acl', 'arn'));
    return verdict(associations.length > 0, 'no aws_wafv2_web_acl_association ties a web ACL of this stack to the load balancer');
  },
});
