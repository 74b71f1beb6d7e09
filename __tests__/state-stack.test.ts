import { platform, state } from '../config/environments';
import type { PlatformInput, StateInput } from '../config/types';
import { environmentStacks, stackNames } from './support/stacks';
import { resource, synth, type StackJson } from './support/synth';

const withState = (edit: Partial<StateInput>): PlatformInput => ({ ...platform, state: { ...state, ...edit } });

/** The stack without cdktf's metadata (paths, versions), for a snapshot that changes only with the config. */
function normalized(stack: StackJson): unknown {
  return JSON.parse(JSON.stringify(stack), (key, value) => (key === '//' ? undefined : value));
}

describe('the bootstrap stack (web-state)', () => {
  const stack = synth().stacks['web-state'];
  const bucketPolicy = JSON.parse(resource(stack, 'aws_s3_bucket_policy', 'state_bucket_policy').policy);

  it('is built by main.ts from the state section, next to the environments', () => {
    expect(Object.keys(synth().stacks)).toEqual(stackNames());
  });

  it('keeps its own state in its bucket (npm run bootstrap puts it there), or locally when the config says so', () => {
    expect(stack.terraform.backend).toEqual(synth(withState({ backend: 's3' })).stacks['web-state'].terraform.backend);
    expect(synth(withState({ backend: 'local' })).stacks['web-state'].terraform.backend).toEqual({
      local: { path: 'terraform.web-state.tfstate' },
    });
  });

  it('pins the provider to the state account and region', () => {
    expect(stack.provider.aws[0]).toMatchObject({ region: 'eu-west-1', allowed_account_ids: ['111111111111'] });
    expect(stack.terraform.required_providers.aws).toEqual({ source: 'hashicorp/aws', version: '5.100.0' });
  });

  it('bucket: the configured name, never emptied by Terraform, prevent_destroy', () => {
    const bucket = resource(stack, 'aws_s3_bucket', 'state_bucket');
    expect(bucket.bucket).toBe(state.bucket);
    expect(bucket.force_destroy).toBe(false);
    expect(bucket.lifecycle).toEqual({ prevent_destroy: true });
  });

  it('versioning is enabled', () => {
    expect(resource(stack, 'aws_s3_bucket_versioning', 'state_bucket_versioning').versioning_configuration).toEqual({ status: 'Enabled' });
  });

  it('default encryption: SSE-KMS with its own rotating key and a bucket key', () => {
    const sse = resource(stack, 'aws_s3_bucket_server_side_encryption_configuration', 'state_bucket_encryption');
    expect(sse.rule).toEqual([
      {
        apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: '${aws_kms_key.state_bucket_key.arn}' },
        bucket_key_enabled: true,
      },
    ]);
    const key = resource(stack, 'aws_kms_key', 'state_bucket_key');
    expect(key.enable_key_rotation).toBe(true);
    expect(key.lifecycle).toEqual({ prevent_destroy: true });
    expect(resource(stack, 'aws_kms_alias', 'state_bucket_key_alias')).toMatchObject({
      name: 'alias/web-tfstate',
      target_key_id: '${aws_kms_key.state_bucket_key.key_id}',
    });
  });

  it('default encryption SSE-S3 on request, with no key at all', () => {
    const sse3 = synth(withState({ encryption: 's3' })).stacks['web-state'];
    expect(resource(sse3, 'aws_s3_bucket_server_side_encryption_configuration', 'state_bucket_encryption').rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' }, bucket_key_enabled: false },
    ]);
    expect(sse3.resource.aws_kms_key).toBeUndefined();
    expect(sse3.output.kms_key_arn).toBeUndefined();
  });

  it('all four public-access blocks', () => {
    expect(resource(stack, 'aws_s3_bucket_public_access_block', 'state_bucket_public_access_block')).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
  });

  it('ACLs disabled: BucketOwnerEnforced', () => {
    expect(resource(stack, 'aws_s3_bucket_ownership_controls', 'state_bucket_ownership').rule).toEqual({
      object_ownership: 'BucketOwnerEnforced',
    });
  });

  it('bucket policy denies every request not over TLS, and TLS older than 1.2', () => {
    const arns = ['${aws_s3_bucket.state_bucket.arn}', '${aws_s3_bucket.state_bucket.arn}/*'];
    // Then the guards of each environment's objects (ci-isolation.test.ts decides what they allow).
    expect(bucketPolicy.Statement.slice(0, 2)).toEqual([
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: arns,
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
      {
        Sid: 'DenyTlsOlderThan12',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: arns,
        Condition: { NumericLessThan: { 's3:TlsVersion': '1.2' } },
      },
    ]);
    expect(bucketPolicy.Statement.filter((s: { Effect: string }) => s.Effect === 'Allow')).toEqual([]);
    expect(bucketPolicy.Statement.slice(2).map((s: { Sid: string }) => s.Sid)).toEqual(
      platform.environments.flatMap((e) => {
        const sid = `${e.name[0].toUpperCase()}${e.name.slice(1)}`;
        return [`StateOf${sid}OnlyToItsRoles`, `StateOf${sid}ReadOnlyToItsPlanRole`];
      }),
    );
  });

  it('lifecycle: noncurrent versions expire after the configured days, aborted uploads after 7', () => {
    const rules = resource(stack, 'aws_s3_bucket_lifecycle_configuration', 'state_bucket_lifecycle').rule;
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({
      status: 'Enabled',
      filter: [{ prefix: '' }],
      noncurrent_version_expiration: [{ noncurrent_days: 90 }],
      abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
    });
    // Current versions (the live state) never expire.
    expect(rules[0].expiration).toEqual([{ expired_object_delete_marker: true }]);
  });

  it('no lock table unless the state section names one', () => {
    expect(stack.resource.aws_dynamodb_table).toBeUndefined();
  });

  it('lock table: on demand, point-in-time recovery, encrypted with the state key, protected', () => {
    const withTable = synth(withState({ lockTable: 'web-tfstate-locks' })).stacks['web-state'];
    expect(resource(withTable, 'aws_dynamodb_table', 'lock_table')).toMatchObject({
      name: 'web-tfstate-locks',
      billing_mode: 'PAY_PER_REQUEST',
      hash_key: 'LockID',
      attribute: [{ name: 'LockID', type: 'S' }],
      point_in_time_recovery: { enabled: true },
      server_side_encryption: { enabled: true, kms_key_arn: '${aws_kms_key.state_bucket_key.arn}' },
      deletion_protection_enabled: true,
      lifecycle: { prevent_destroy: true },
    });
    expect(withTable.output.lock_table_name.value).toBe('${aws_dynamodb_table.lock_table.name}');
  });

  it('moved into its bucket: an s3 backend under web/state/, with the state key and lock file', () => {
    const moved = synth(withState({ backend: 's3' })).stacks['web-state'];
    expect(moved.terraform.backend).toEqual({
      s3: {
        bucket: state.bucket,
        key: 'web/state/web-state.tfstate',
        region: 'eu-west-1',
        encrypt: true,
        kms_key_id: 'alias/web-tfstate',
        use_lockfile: true,
      },
    });
  });

  it('no state section: no bootstrap stack', () => {
    const { state: _state, ...withoutState } = platform;
    const config = { ...withoutState, environments: platform.environments.map((e) => ({ ...e, backend: { kind: 'local' as const } })) };
    expect(Object.keys(synth(config).stacks)).toEqual(environmentStacks().map((s) => s.stack));
  });

  it('matches its snapshot', () => {
    expect(normalized(stack)).toMatchSnapshot();
  });
});
