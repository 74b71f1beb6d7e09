import { defineRule, NOT_APPLICABLE, scanners, verdict } from '../rule';
import { isTrue } from '../tokens';

export const rule = defineRule({
  id: 'kms-rotation',
  what: 'Symmetric KMS keys rotate their key material yearly.',
  why: 'Rotation limits how much data one key version protects and is required by most compliance frameworks.',
  scanners: scanners({ checkov: ['CKV_AWS_7'], trivy: ['AVD-AWS-0065'], cdkNag: ['AwsSolutions-KMS5'] }),
  resourceTypes: ['aws_kms_key'],
  check: (key) =>
    (key.config.customer_master_key_spec ?? 'SYMMETRIC_DEFAULT') !== 'SYMMETRIC_DEFAULT'
      ? NOT_APPLICABLE
      : verdict(isTrue(key.config.enable_key_rotation), 'enable_key_rotation is not true'),
});
