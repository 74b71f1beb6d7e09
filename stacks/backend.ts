/**
 * Where a stack keeps its Terraform state. Every stack's backend is written by `addBackend`, the one code
 * path for the web stacks, the bootstrap stack and the remote-state tests' probe stack.
 */
import { CloudBackend, LocalBackend, NamedCloudWorkspace, PgBackend, S3Backend, type TerraformStack } from 'cdktf';
import type { BackendConfig, StateConfig } from '../config/types';
import { pgSchemaName, stateObjectKey, stateStackNames } from '../naming';

export interface StackBackendProps {
  /** Project name (`web`): first segment of the s3 key. */
  readonly project: string;
  /** Stack name: the state file (local), the key's file name (s3), the schema (pg), the workspace (cloud). */
  readonly stackName: string;
  /** Middle segment of the s3 key: the environment name (`state` for the bootstrap stack). */
  readonly keyScope: string;
  /** Region of the stack; an s3 backend that names its own bucket but no region uses it. */
  readonly region: string;
  /** The validated backend choice. */
  readonly backend: BackendConfig;
  /** The state section, whose bucket, region, KMS key and lock table an s3 backend without `bucket` uses. @default - none */
  readonly state?: StateConfig;
  /** Account the stack deploys with (its credentials write the state). @default - the state section's */
  readonly accountId?: string;
}

/** What an s3 backend is written with, defaults resolved. */
export interface S3BackendSettings {
  readonly bucket: string;
  readonly key: string;
  readonly region: string;
  /** @default - none: state objects are SSE-S3 */
  readonly kmsKeyId?: string;
  /** @default - none: the S3 lock file alone */
  readonly dynamodbTable?: string;
  /** @default - none: the caller's credentials */
  readonly roleArn?: string;
}

/** Alias of the bootstrap stack's state key (`alias/<project>-tfstate`); KMS resolves it in the bucket's account. */
export const stateKeyAlias = stateStackNames.keyAlias;

/** The s3 settings of a stack: an s3 backend without `bucket` takes bucket, region, key and lock table from `state`. */
export function s3BackendSettings(props: StackBackendProps): S3BackendSettings {
  const { backend, state, project } = props;
  if (backend.kind !== 's3') throw new Error(`${props.stackName}: not an s3 backend (${backend.kind})`);
  const key = stateObjectKey(project, props.keyScope, props.stackName);
  if (backend.bucket === undefined) {
    if (!state) throw new Error(`${props.stackName}: an s3 backend without bucket needs the state section`);
    return {
      bucket: state.bucket,
      key,
      region: backend.region ?? state.region,
      // S3 resolves a key alias in the account of the caller ("Specifying server-side encryption with AWS KMS",
      // S3 user guide): from another account the alias would name a key of that account. Its objects take the
      // bucket's default encryption instead — the same key.
      kmsKeyId:
        backend.kmsKeyId ??
        (state.encryption === 'kms' && (props.accountId === undefined || props.accountId === state.accountId)
          ? stateKeyAlias(project)
          : undefined),
      dynamodbTable: backend.dynamodbTable ?? state.lockTable,
      roleArn: backend.roleArn,
    };
  }
  return {
    bucket: backend.bucket,
    key,
    region: backend.region ?? props.region,
    kmsKeyId: backend.kmsKeyId,
    dynamodbTable: backend.dynamodbTable,
    roleArn: backend.roleArn,
  };
}

export { pgSchemaName };

/**
 * The pg backend without `conn_str`: Terraform then reads the connection string from PG_CONN_STR, so the
 * secret is never written to the synthesized files.
 */
class PgBackendFromEnvironment extends PgBackend {
  constructor(scope: TerraformStack, schemaName: string) {
    super(scope, { connStr: '', schemaName });
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return withoutConnectionString(super.synthesizeAttributes());
  }

  protected override synthesizeHclAttributes(): Record<string, unknown> {
    return withoutConnectionString(super.synthesizeHclAttributes());
  }
}

function withoutConnectionString(attributes: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...attributes };
  delete copy.conn_str;
  return copy;
}

/**
 * Writes the backend of `stack`:
 * - s3: key `<project>/<keyScope>/<stack>.tfstate`, `encrypt`, S3-native locking (`use_lockfile`), and the
 *   optional KMS key, DynamoDB table and role to assume;
 * - local: `terraform.<stack>.tfstate` in the stack's directory;
 * - pg: schema `pgSchemaName(stack)`, connection string from PG_CONN_STR only;
 * - cloud: HCP Terraform, one workspace named after the stack.
 */
export function addBackend(stack: TerraformStack, props: StackBackendProps): void {
  const { backend, stackName } = props;
  switch (backend.kind) {
    case 'local':
      new LocalBackend(stack, { path: `terraform.${stackName}.tfstate` });
      return;
    case 'pg':
      new PgBackendFromEnvironment(stack, pgSchemaName(stackName));
      return;
    case 'cloud':
      new CloudBackend(stack, {
        organization: backend.organization,
        hostname: backend.hostname,
        workspaces: new NamedCloudWorkspace(stackName, backend.project),
      });
      return;
    case 's3': {
      const s3 = s3BackendSettings(props);
      new S3Backend(stack, {
        bucket: s3.bucket,
        key: s3.key,
        region: s3.region,
        encrypt: true,
        kmsKeyId: s3.kmsKeyId,
        dynamodbTable: s3.dynamodbTable,
        assumeRole: s3.roleArn === undefined ? undefined : { roleArn: s3.roleArn },
      });
      // Native S3 locking (Terraform ≥ 1.10); cdktf 0.21's S3Backend has no field for it.
      stack.addOverride('terraform.backend.s3.use_lockfile', true);
      return;
    }
  }
}
