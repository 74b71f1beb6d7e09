import { defineRule, scanners, verdict } from '../rule';

export const rule = defineRule({
  id: 'ecr-lifecycle-policy',
  what: 'ECR repositories have a lifecycle policy that expires old images.',
  why: 'Without one, every pushed image is kept and paid for forever, and old vulnerable images stay pullable.',
  scanners: scanners({}),
  resourceTypes: ['aws_ecr_repository'],
  check: (repo, stack) =>
    verdict(
      stack.referrers('aws_ecr_lifecycle_policy', 'repository', repo).length > 0,
      'no aws_ecr_lifecycle_policy refers to this repository',
    ),
});
