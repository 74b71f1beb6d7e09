import { cacheBehaviours } from '../cloudfront';
import { defineRule, scanners, verdict } from '../rule';

export const rule = defineRule({
  id: 'cloudfront-viewer-https',
  what: 'Every cache behaviour of a distribution redirects viewers to HTTPS or accepts HTTPS only.',
  why: 'allow-all serves pages, cookies and API calls over plain HTTP, where anyone on the path can read and change them.',
  scanners: scanners({ checkov: ['CKV_AWS_34'], trivy: ['AVD-AWS-0012'] }),
  resourceTypes: ['aws_cloudfront_distribution'],
  check: (d) => {
    const open = cacheBehaviours(d).filter((b) => !['redirect-to-https', 'https-only'].includes(b.viewer_protocol_policy));
    return verdict(
      open.length === 0,
      `${open.map((b) => b.path_pattern ?? 'the default behaviour').join(', ')}: viewer_protocol_policy is not redirect-to-https or https-only`,
    );
  },
});
