import { cacheBehaviours } from '../cloudfront';
import { defineRule, scanners, verdict } from '../rule';
import { blocks } from '../tokens';

/** Security headers the policy must set. */
const HEADERS = ['strict_transport_security', 'content_type_options', 'frame_options', 'referrer_policy', 'content_security_policy'];

export const rule = defineRule({
  id: 'cloudfront-response-headers',
  what: 'Every cache behaviour of a distribution attaches a response headers policy of this stack setting HSTS, nosniff, frame options, referrer policy and a CSP.',
  why: 'Static apps on S3 send no security headers of their own; without them browsers allow downgrade, MIME sniffing, framing and injected scripts.',
  scanners: scanners({ checkov: ['CKV2_AWS_32'] }),
  resourceTypes: ['aws_cloudfront_distribution'],
  check: (d, stack) => {
    const missing = cacheBehaviours(d).filter((b) => {
      const policy = stack.target(b.response_headers_policy_id, 'aws_cloudfront_response_headers_policy');
      const security = blocks(policy?.config.security_headers_config)[0] ?? {};
      return !HEADERS.every((h) => blocks(security[h]).length > 0);
    });
    return verdict(
      missing.length === 0,
      `${missing.map((b) => b.path_pattern ?? 'the default behaviour').join(', ')}: no response headers policy of this stack with ${HEADERS.join(', ')}`,
    );
  },
});
