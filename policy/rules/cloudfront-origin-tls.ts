import { origins } from '../cloudfront';
import { defineRule, NOT_APPLICABLE, scanners, verdict } from '../rule';
import { blocks, listOf } from '../tokens';

export const rule = defineRule({
  id: 'cloudfront-origin-tls',
  what: 'Custom origins of a distribution are reached over HTTPS only, with TLS 1.2 only.',
  why: 'The hop from the edge to the origin crosses the internet: over HTTP or old TLS the API traffic, cookies and the origin secret could be read.',
  scanners: scanners({ cdkNag: ['AwsSolutions-CFR5'] }),
  resourceTypes: ['aws_cloudfront_distribution'],
  check: (d) => {
    const custom = origins(d).flatMap((o) => blocks(o.custom_origin_config));
    if (custom.length === 0) return NOT_APPLICABLE;
    const ok = custom.every(
      (c) =>
        c.origin_protocol_policy === 'https-only' &&
        listOf(c.origin_ssl_protocols).every((p) => p === 'TLSv1.2') &&
        listOf(c.origin_ssl_protocols).length > 0,
    );
    return verdict(ok, 'a custom origin is not https-only with origin_ssl_protocols ["TLSv1.2"]');
  },
});
