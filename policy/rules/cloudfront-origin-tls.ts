import { origins } from '../cloudfront';
import { defineRule, NOT_APPLICABLE, scanners, verdict } from '../rule';
import { blocks, listOf } from '../tokens';

/** HTTPS only, with TLS 1.2 only (the newest protocol CloudFront offers towards an origin). */
const strict = (c: Record<string, any>) =>
  c.origin_protocol_policy === 'https-only' &&
  listOf(c.origin_ssl_protocols).length > 0 &&
  listOf(c.origin_ssl_protocols).every((p) => p === 'TLSv1.2');

export const rule = defineRule({
  id: 'cloudfront-origin-tls',
  what: 'Custom origins and VPC origins of CloudFront are reached over HTTPS only, with TLS 1.2 only.',
  why: 'The hop from the edge to the origin carries the API traffic and its cookies and tokens: over HTTP or old TLS they could be read or altered on the way.',
  scanners: scanners({ cdkNag: ['AwsSolutions-CFR5'] }),
  resourceTypes: ['aws_cloudfront_distribution', 'aws_cloudfront_vpc_origin'],
  check: (r) => {
    if (r.type === 'aws_cloudfront_vpc_origin') {
      // A VPC origin holds its protocol itself: `origin_ssl_protocols { items, quantity }`.
      const configs = blocks(r.config.vpc_origin_endpoint_config).map((c) => ({
        ...c,
        origin_ssl_protocols: blocks(c.origin_ssl_protocols).flatMap((p) => listOf(p.items)),
      }));
      return verdict(configs.length > 0 && configs.every(strict), 'the VPC origin is not https-only with origin_ssl_protocols ["TLSv1.2"]');
    }
    const custom = origins(r).flatMap((o) => blocks(o.custom_origin_config));
    if (custom.length === 0) return NOT_APPLICABLE;
    return verdict(custom.every(strict), 'a custom origin is not https-only with origin_ssl_protocols ["TLSv1.2"]');
  },
});
