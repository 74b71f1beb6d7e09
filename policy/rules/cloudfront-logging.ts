import { defineRule, scanners, verdict } from '../rule';
import { blocks, referenceOf } from '../tokens';

export const rule = defineRule({
  id: 'cloudfront-logging',
  what: 'CloudFront distributions write access logs: standard logging v2 (a log delivery of this stack) or legacy logging to a bucket.',
  why: 'Access logs are the record of who requested what at the edge, needed to investigate abuse and errors.',
  scanners: scanners({ checkov: ['CKV_AWS_86'], trivy: ['AVD-AWS-0010'], cdkNag: ['AwsSolutions-CFR3'] }),
  resourceTypes: ['aws_cloudfront_distribution'],
  check: (d, stack) => {
    const legacy = blocks(d.config.logging_config).some((l) => typeof l.bucket === 'string' && l.bucket !== '');
    const sources = stack
      .referrers('aws_cloudwatch_log_delivery_source', 'resource_arn', d)
      .filter((s) => s.config.log_type === 'ACCESS_LOGS');
    const delivered = sources.some((source) =>
      stack
        .ofType('aws_cloudwatch_log_delivery')
        .some(
          (delivery) =>
            referenceOf(delivery.config.delivery_source_name)?.address === source.address &&
            referenceOf(delivery.config.delivery_destination_arn) !== undefined,
        ),
    );
    return verdict(
      legacy || delivered,
      'neither logging_config nor an aws_cloudwatch_log_delivery of an ACCESS_LOGS delivery source of this distribution',
    );
  },
});
