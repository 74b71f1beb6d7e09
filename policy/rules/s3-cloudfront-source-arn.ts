import { statementsOf } from '../policy-document';
import { defineRule, NOT_APPLICABLE, scanners, verdict } from '../rule';
import { listOf, refersTo } from '../tokens';

/** Condition operators that pin a value exactly. */
const EXACT = ['StringEquals', 'ArnEquals'];

export const rule = defineRule({
  id: 's3-cloudfront-source-arn',
  what: 'Bucket policy statements that let CloudFront in are limited to the ARN of a distribution of this stack (AWS:SourceArn).',
  why: 'Without the condition any CloudFront distribution of any account could read the bucket through its own origin access control.',
  scanners: scanners({}),
  resourceTypes: ['aws_s3_bucket_policy'],
  check: (p) => {
    const statements = (statementsOf(p.config.policy) ?? []).filter(
      (s) => s.effect === 'Allow' && s.principals.includes('cloudfront.amazonaws.com'),
    );
    if (statements.length === 0) return NOT_APPLICABLE;
    const scoped = statements.every((s) =>
      EXACT.some((op) => {
        const arns = listOf(s.condition[op]?.['AWS:SourceArn']);
        return arns.length > 0 && arns.every((arn) => refersTo(arn, 'aws_cloudfront_distribution', 'arn'));
      }),
    );
    return verdict(
      scoped,
      'a statement for cloudfront.amazonaws.com is not limited by StringEquals AWS:SourceArn to a distribution of this stack',
    );
  },
});
