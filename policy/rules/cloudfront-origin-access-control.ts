import { origins } from '../cloudfront';
import { defineRule, NOT_APPLICABLE, scanners, verdict } from '../rule';
import { blocks, refersTo } from '../tokens';

export const rule = defineRule({
  id: 'cloudfront-origin-access-control',
  what: 'S3 origins of a distribution are read through an origin access control of this stack that signs every request (not a legacy origin access identity).',
  why: 'With OAC the bucket stays private and answers only CloudFront signed requests; OAI is legacy and cannot read SSE-KMS objects.',
  scanners: scanners({ checkov: ['CKV2_AWS_46'], cdkNag: ['AwsSolutions-CFR7'] }),
  resourceTypes: ['aws_cloudfront_distribution'],
  check: (d, stack) => {
    const s3 = origins(d).filter((o) => refersTo(o.domain_name, 'aws_s3_bucket') || blocks(o.s3_origin_config).length > 0);
    if (s3.length === 0) return NOT_APPLICABLE;
    const ok = s3.every((o) => {
      const oac = stack.target(o.origin_access_control_id, 'aws_cloudfront_origin_access_control');
      return (
        blocks(o.s3_origin_config).length === 0 &&
        oac?.config.origin_access_control_origin_type === 's3' &&
        oac.config.signing_behavior === 'always'
      );
    });
    return verdict(ok, 'an S3 origin has no origin access control of this stack signing always, or uses an origin access identity');
  },
});
