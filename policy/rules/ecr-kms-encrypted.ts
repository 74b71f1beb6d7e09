import { defineRule, scanners, verdict } from '../rule';
import { blocks, refersTo } from '../tokens';

export const rule = defineRule({
  id: 'ecr-kms-encrypted',
  what: 'ECR repositories encrypt images with a customer-managed KMS key of this stack.',
  why: 'Images hold the application and often its configuration; a key of our own puts their use under our key policy and CloudTrail.',
  scanners: scanners({ checkov: ['CKV_AWS_136'], trivy: ['AVD-AWS-0033'] }),
  resourceTypes: ['aws_ecr_repository'],
  check: (repo) =>
    verdict(
      blocks(repo.config.encryption_configuration).some((e) => e.encryption_type === 'KMS' && refersTo(e.kms_key, 'aws_kms_key', 'arn')),
      'encryption_configuration is not KMS with an aws_kms_key of this stack',
    ),
});
