import { defineRule, NOT_APPLICABLE, scanners, verdict } from '../rule';
import { isTrue, show } from '../tokens';

export const rule = defineRule({
  id: 'elb-drop-invalid-headers',
  what: 'Application load balancers drop HTTP headers with invalid names.',
  why: 'Malformed headers are a request-smuggling vector against the targets behind the load balancer.',
  scanners: scanners({ checkov: ['CKV_AWS_131'], trivy: ['AVD-AWS-0052'] }),
  resourceTypes: ['aws_lb', 'aws_alb'],
  check: (lb) =>
    (lb.config.load_balancer_type ?? 'application') !== 'application'
      ? NOT_APPLICABLE
      : verdict(
          isTrue(lb.config.drop_invalid_header_fields),
          `drop_invalid_header_fields is ${show(lb.config.drop_invalid_header_fields)}`,
        ),
});
