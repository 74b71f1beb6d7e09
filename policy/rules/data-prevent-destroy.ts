import { defineRule, scanners, verdict } from '../rule';
import { blocks, isTrue } from '../tokens';

/** Resource types that hold data which is lost when the resource is destroyed. */
export const STATEFUL_TYPES = [
  'aws_db_instance',
  'aws_rds_cluster',
  'aws_s3_bucket',
  'aws_dynamodb_table',
  'aws_efs_file_system',
  'aws_ecr_repository',
];

export const rule = defineRule({
  id: 'data-prevent-destroy',
  what: 'Resources that hold data have lifecycle.prevent_destroy, and buckets and registries are not force-emptied (`force_destroy`, `force_delete`).',
  why: 'Terraform then refuses any plan that would destroy them, whatever a rename or a `terraform destroy` asks for.',
  scanners: scanners({}),
  resourceTypes: STATEFUL_TYPES,
  check: (r) =>
    verdict(
      blocks(r.config.lifecycle).some((l) => isTrue(l.prevent_destroy)) &&
        !isTrue(r.config.force_destroy) &&
        !isTrue(r.config.force_delete),
      'lifecycle.prevent_destroy is not true, or force_destroy / force_delete is true',
    ),
});
