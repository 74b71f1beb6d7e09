import { viewerCertificate } from '../cloudfront';
import { defineRule, scanners, verdict } from '../rule';
import { isTrue, show } from '../tokens';

/** Security policies that accept TLS 1.2 with modern ciphers only, or TLS 1.3 only. */
const MODERN = /^TLSv1\.(2_2021|2_2025|3_2025)$/;

export const rule = defineRule({
  id: 'cloudfront-tls-policy',
  what: 'CloudFront distributions accept TLS 1.2 (TLSv1.2_2021 policy) or newer from viewers, with a certificate of their own.',
  why: 'With the default *.cloudfront.net certificate or an older policy, CloudFront negotiates TLS 1.0 and 1.1 and weak ciphers.',
  scanners: scanners({ checkov: ['CKV_AWS_174'], trivy: ['AVD-AWS-0013'], cdkNag: ['AwsSolutions-CFR4'] }),
  resourceTypes: ['aws_cloudfront_distribution'],
  check: (d) => {
    const cert = viewerCertificate(d);
    return verdict(
      !isTrue(cert.cloudfront_default_certificate) &&
        typeof cert.minimum_protocol_version === 'string' &&
        MODERN.test(cert.minimum_protocol_version),
      `minimum_protocol_version is ${show(cert.minimum_protocol_version)}${isTrue(cert.cloudfront_default_certificate) ? ' with the default certificate' : ''}`,
    );
  },
});
