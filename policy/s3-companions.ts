/** Bucket settings that live in companion resources (aws_s3_bucket_*) referring to the bucket. */
import { blocks } from './tokens';
import type { ResourceView, StackView } from './view';

/** The `apply_server_side_encryption_by_default` blocks that apply to `bucket`. */
export function sseRules(bucket: ResourceView, stack: StackView): Record<string, any>[] {
  return stack
    .referrers('aws_s3_bucket_server_side_encryption_configuration', 'bucket', bucket)
    .flatMap((c) => blocks(c.config.rule))
    .flatMap((r) => blocks(r.apply_server_side_encryption_by_default));
}
