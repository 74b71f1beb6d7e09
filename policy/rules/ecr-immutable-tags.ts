import { defineRule, scanners, verdict } from '../rule';
import { show } from '../tokens';

export const rule = defineRule({
  id: 'ecr-immutable-tags',
  what: 'ECR repositories refuse to move a tag once it names an image (immutable tags).',
  why: 'A release tag that can be pushed again no longer says what runs; rollbacks and audits need it fixed.',
  scanners: scanners({ checkov: ['CKV_AWS_51'], trivy: ['AVD-AWS-0031'] }),
  resourceTypes: ['aws_ecr_repository'],
  check: (repo) =>
    verdict(repo.config.image_tag_mutability === 'IMMUTABLE', `image_tag_mutability is ${show(repo.config.image_tag_mutability)}`),
});
