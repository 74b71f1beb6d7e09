import { defineRule, scanners, verdict } from '../rule';
import { blocks, isTrue } from '../tokens';

export const rule = defineRule({
  id: 'acm-create-before-destroy',
  what: 'ACM certificates are replaced create-before-destroy.',
  why: 'Otherwise a certificate change deletes the one in use first, and HTTPS is down until the new one validates.',
  scanners: scanners({ checkov: ['CKV_AWS_233'] }),
  resourceTypes: ['aws_acm_certificate'],
  check: (c) =>
    verdict(
      blocks(c.config.lifecycle).some((l) => isTrue(l.create_before_destroy)),
      'lifecycle.create_before_destroy is not true',
    ),
});
