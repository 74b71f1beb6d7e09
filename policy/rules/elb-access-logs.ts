import { defineRule, scanners, verdict } from '../rule';
import { blocks, isTrue } from '../tokens';

export const rule = defineRule({
  id: 'elb-access-logs',
  what: 'Load balancers write access logs to S3.',
  why: 'Access logs are the record of every request that reached the platform: needed for incident response and abuse reports.',
  scanners: scanners({ checkov: ['CKV_AWS_91'], cdkNag: ['AwsSolutions-ELB2'] }),
  resourceTypes: ['aws_lb', 'aws_alb'],
  check: (lb) =>
    verdict(
      blocks(lb.config.access_logs).some((b) => isTrue(b.enabled) && b.bucket !== undefined && b.bucket !== ''),
      'access_logs is absent, disabled or has no bucket',
    ),
});
