import { viewerCertificate } from '../cloudfront';
import { defineRule, scanners, verdict } from '../rule';
import { refersTo, show } from '../tokens';

export const rule = defineRule({
  id: 'cloudfront-custom-certificate',
  what: 'CloudFront distributions serve an ACM certificate of their own domain (SNI), not the default *.cloudfront.net one.',
  why: 'Users reach the service at a name the organisation controls, and the certificate policy (TLS versions) applies only to own certificates.',
  scanners: scanners({}),
  resourceTypes: ['aws_cloudfront_distribution'],
  check: (d) => {
    const arn = viewerCertificate(d).acm_certificate_arn;
    const own =
      refersTo(arn, 'aws_acm_certificate_validation', 'certificate_arn') ||
      refersTo(arn, 'aws_acm_certificate', 'arn') ||
      (typeof arn === 'string' && /^arn:aws:acm:us-east-1:\d{12}:certificate\//.test(arn));
    return verdict(
      own && viewerCertificate(d).ssl_support_method === 'sni-only',
      `acm_certificate_arn is ${show(arn)} (ssl_support_method ${show(viewerCertificate(d).ssl_support_method)})`,
    );
  },
});
