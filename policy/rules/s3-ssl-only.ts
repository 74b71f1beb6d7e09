import { defineRule, scanners, verdict } from '../rule';
import { insecureTransportDenials, matchesPattern } from '../policy-document';
import type { ResourceView } from '../view';

/** The ways a policy can spell `bucket`'s ARN: its `arn` attribute, or built from its name. */
function arnsOf(bucket: ResourceView): string[] {
  const name = bucket.config.bucket;
  return [
    `\${${bucket.address}.arn}`,
    `arn:aws:s3:::\${${bucket.address}.id}`,
    `arn:aws:s3:::\${${bucket.address}.bucket}`,
    ...(typeof name === 'string' && !name.includes('${') ? [`arn:aws:s3:::${name}`] : []),
  ];
}

/** True when one of `patterns` matches the bucket (`arns`). */
const coversBucket = (patterns: readonly string[], arns: readonly string[]) =>
  patterns.some((p) => arns.some((arn) => p === arn || matchesPattern(p, arn)));

/**
 * True when one of `patterns` matches every object of the bucket: `<arn>/*` itself, or a pattern that ends
 * with `*` and matches it (`*`, `arn:aws:s3:::*`, `arn:aws:s3:::b*`), so whatever the key.
 */
const coversObjects = (patterns: readonly string[], arns: readonly string[]) =>
  patterns.some((p) => arns.some((arn) => p === `${arn}/*` || (p.endsWith('*') && matchesPattern(p, `${arn}/*`))));

export const rule = defineRule({
  id: 's3-ssl-only',
  what: "Every bucket's policy denies s3:* to every principal without TLS, on the bucket and on all its objects (<bucket ARN>/*).",
  why: 'Without the deny, a client can read or write objects over plain HTTP; a deny that names the bucket alone leaves every object reachable that way.',
  scanners: scanners({ cdkNag: ['AwsSolutions-S10'] }),
  resourceTypes: ['aws_s3_bucket'],
  check: (bucket, stack) => {
    const patterns = stack
      .referrers('aws_s3_bucket_policy', 'bucket', bucket)
      .flatMap((p) => insecureTransportDenials(p.config.policy, ['*', 's3:*']))
      .flatMap((s) => s.resources);
    const arns = arnsOf(bucket);
    const missing = [coversBucket(patterns, arns) ? '' : 'the bucket', coversObjects(patterns, arns) ? '' : 'its objects'].filter(
      (m) => m !== '',
    );
    return verdict(
      missing.length === 0,
      patterns.length === 0
        ? 'no aws_s3_bucket_policy of this bucket denies s3:* when aws:SecureTransport is false'
        : `the deny of s3:* without TLS does not cover ${missing.join(' nor ')}`,
    );
  },
});
