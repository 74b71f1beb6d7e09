import { defineRule, scanners, verdict } from '../rule';
import { show } from '../tokens';

export const rule = defineRule({
  id: 'cloudfront-default-root-object',
  what: 'CloudFront distributions name a default root object (index.html).',
  why: 'Without it a request for / goes to the origin as is, which can list or expose what the origin holds instead of the app.',
  scanners: scanners({ checkov: ['CKV_AWS_305'] }),
  resourceTypes: ['aws_cloudfront_distribution'],
  check: (d) =>
    verdict(
      typeof d.config.default_root_object === 'string' && d.config.default_root_object !== '',
      `default_root_object is ${show(d.config.default_root_object)}`,
    ),
});
