import { defineRule, scanners, verdict } from '../rule';
import { blocks } from '../tokens';

export const rule = defineRule({
  id: 'acm-transparency-logging',
  what: 'ACM certificates are published to certificate transparency logs (the default is kept).',
  why: 'Browsers reject certificates missing from CT logs, and CT lets domain owners spot mis-issued certificates.',
  scanners: scanners({ checkov: ['CKV_AWS_234'] }),
  resourceTypes: ['aws_acm_certificate'],
  check: (c) =>
    verdict(
      !blocks(c.config.options).some((o) => o.certificate_transparency_logging_preference === 'DISABLED'),
      'certificate_transparency_logging_preference is DISABLED',
    ),
});
