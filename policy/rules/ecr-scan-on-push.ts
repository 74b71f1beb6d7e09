import { defineRule, scanners, verdict } from '../rule';
import { blocks, isTrue } from '../tokens';

export const rule = defineRule({
  id: 'ecr-scan-on-push',
  what: 'ECR repositories scan every pushed image for known vulnerabilities.',
  why: 'An image with a known vulnerable package should be seen before it is released, not after.',
  scanners: scanners({ checkov: ['CKV_AWS_163'], trivy: ['AVD-AWS-0030'] }),
  resourceTypes: ['aws_ecr_repository'],
  check: (repo) =>
    verdict(
      blocks(repo.config.image_scanning_configuration).some((c) => isTrue(c.scan_on_push)),
      'image_scanning_configuration.scan_on_push is not true',
    ),
});
