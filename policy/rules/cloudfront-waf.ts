import { defineRule, scanners, verdict } from '../rule';
import { show } from '../tokens';

export const rule = defineRule({
  id: 'cloudfront-waf',
  what: 'CloudFront distributions are protected by a CLOUDFRONT-scope WAFv2 web ACL of this stack.',
  why: 'The edge is where attacks arrive first: managed rules and rate limits there stop them before they cost origin capacity.',
  scanners: scanners({ checkov: ['CKV_AWS_68'], trivy: ['AVD-AWS-0011'], cdkNag: ['AwsSolutions-CFR2'] }),
  resourceTypes: ['aws_cloudfront_distribution'],
  check: (d, stack) => {
    const acl = stack.target(d.config.web_acl_id, 'aws_wafv2_web_acl');
    return verdict(
      acl !== undefined && acl.config.scope === 'CLOUDFRONT',
      `web_acl_id ${show(d.config.web_acl_id)} is not the arn of a CLOUDFRONT-scope aws_wafv2_web_acl of this stack`,
    );
  },
});
