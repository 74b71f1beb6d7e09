/**
 * The uploads bucket (`uploads` in an environment), built on PrivateBucket: private and compliant with the
 * whole pack by default, logged into the stack's access-log bucket (whose policy admits it), and the app
 * servers may read, write and delete its objects — nothing more. Asserted on properties, not on lists of
 * resources, so the next feature does not rewrite these tests.
 */
import { findProblems } from '../config/validate';
import { names } from '../naming';
import { configWith } from './support/config';
import { resource, resources, synth, type StackJson } from './support/synth';

const withUploads = (edit: (uploads: Record<string, unknown>) => void = () => undefined, env: 'dev' | 'prod' = 'prod') =>
  configWith((e) => {
    e.uploads = {};
    edit(e.uploads);
  }, env);

const { stacks } = synth(withUploads((u) => void (u.corsOrigins = ['https://app.example.com'])));
const prod = stacks['web-prod'];
const BUCKET = '${aws_s3_bucket.uploads.id}';
const KEY = '${aws_kms_key.encryption_key.arn}';
const NAME = names.uploadsBucket('web-prod', '111111111111', 'eu-west-1');

/** The companion resource of `type` that refers to the uploads bucket. */
const companion = (stack: StackJson, type: string) => {
  const found = Object.values(resources(stack, type)).filter((r) => r.bucket === BUCKET);
  expect(found).toHaveLength(1);
  return found[0];
};

describe('the uploads bucket', () => {
  it('is named by the naming module and output', () => {
    expect(resource(prod, 'aws_s3_bucket', 'uploads').bucket).toBe(NAME);
    expect(prod.output.uploads_bucket.value).toBe('${aws_s3_bucket.uploads.bucket}');
  });

  it('is private: all four public-access blocks, ACLs disabled, TLS only', () => {
    expect(companion(prod, 'aws_s3_bucket_public_access_block')).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(companion(prod, 'aws_s3_bucket_ownership_controls').rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
    const policy = JSON.parse(companion(prod, 'aws_s3_bucket_policy').policy);
    expect(policy.Statement).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Principal: '*', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });

  it("encrypts with the stack's key and an S3 Bucket Key, and keeps versions", () => {
    expect(companion(prod, 'aws_s3_bucket_server_side_encryption_configuration').rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: KEY }, bucket_key_enabled: true },
    ]);
    expect(companion(prod, 'aws_s3_bucket_versioning').versioning_configuration).toEqual({ status: 'Enabled' });
  });

  it('never expires current files: only old versions, delete markers and unfinished uploads', () => {
    const [rule] = companion(prod, 'aws_s3_bucket_lifecycle_configuration').rule;
    expect(rule.expiration).toEqual([{ expired_object_delete_marker: true }]);
    expect(rule.noncurrent_version_expiration).toEqual([{ noncurrent_days: 30 }]);
    expect(rule.abort_incomplete_multipart_upload).toEqual([{ days_after_initiation: 7 }]);
  });

  it("logs its access into the stack's access-log bucket, whose policy admits it, after that policy exists", () => {
    const logging = companion(prod, 'aws_s3_bucket_logging');
    expect(logging.target_bucket).toBe('${aws_s3_bucket.load_balancer_s3_access_logs_bucket.id}');
    expect(logging.depends_on).toContain('aws_s3_bucket_policy.load_balancer_s3_access_logs_policy');
    const delivery = JSON.parse(resource(prod, 'aws_s3_bucket_policy', 'load_balancer_s3_access_logs_policy').policy).Statement.find(
      (s: any) => s.Sid === 'S3ServerAccessLogDelivery',
    );
    expect(delivery.Condition.ArnLike['aws:SourceArn']).toContain(`arn:aws:s3:::${NAME}`);
    // Every bucket of the stack that logs there is admitted.
    for (const l of Object.values(resources(prod, 'aws_s3_bucket_logging'))) {
      const source = Object.entries(resources(prod, 'aws_s3_bucket')).find(([name]) => l.bucket === `\${aws_s3_bucket.${name}.id}`)![1];
      expect(delivery.Condition.ArnLike['aws:SourceArn']).toContain(`arn:aws:s3:::${source.bucket}`);
    }
  });

  it('publishes object events to EventBridge', () => {
    expect(companion(prod, 'aws_s3_bucket_notification').eventbridge).toBe(true);
  });

  it('keeps the files with prevent_destroy where the environment protects data, empties and deletes them where not', () => {
    expect(resource(prod, 'aws_s3_bucket', 'uploads')).toMatchObject({ force_destroy: false, lifecycle: { prevent_destroy: true } });
    const dev = synth(withUploads(() => undefined, 'dev')).stacks['web-dev'];
    expect(resource(dev, 'aws_s3_bucket', 'uploads').force_destroy).toBe(true);
    expect(resource(dev, 'aws_s3_bucket', 'uploads').lifecycle).toBeUndefined();
  });

  it('answers browsers of the configured origins only (CORS for presigned URLs)', () => {
    expect(companion(prod, 'aws_s3_bucket_cors_configuration').cors_rule).toEqual([
      expect.objectContaining({ allowed_origins: ['https://app.example.com'], allowed_methods: ['GET', 'PUT', 'POST'] }),
    ]);
    expect(Object.values(resources(synth(withUploads()).stacks['web-prod'], 'aws_s3_bucket_cors_configuration'))).toEqual([]);
  });

  it('passes the whole policy pack with no suppression but replication (single region)', () => {
    const suppressed = (prod['//'].policy.suppressions as { rule: string; address: string }[]).filter(
      (s) => s.address === 'aws_s3_bucket.uploads',
    );
    expect(suppressed.map((s) => s.rule)).toEqual(['s3-replication']);
    expect((prod['//'].policy.warnings as { address: string }[]).filter((w) => w.address.includes('uploads'))).toEqual([]);
  });
});

describe('the app servers and the uploads bucket', () => {
  const policy = JSON.parse(resource(prod, 'aws_iam_role_policy', 'app_servers_role_use_uploads').policy);

  it('may read, write and delete its objects, and nothing else of it', () => {
    expect(policy.Statement).toContainEqual({
      Sid: 'ReadWriteDeleteUploads',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      Resource: '${aws_s3_bucket.uploads.arn}/*',
    });
    const actions = policy.Statement.flatMap((s: any) => [s.Action].flat());
    expect(actions.filter((a: string) => a.startsWith('s3:'))).toEqual(['s3:GetObject', 's3:PutObject', 's3:DeleteObject']);
  });

  it('use its key only through S3 in the region', () => {
    expect(policy.Statement).toContainEqual(
      expect.objectContaining({
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: KEY,
        Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } },
      }),
    );
  });

  it('find its name in the platform settings as UPLOADS_BUCKET', () => {
    expect(prod.locals!.app_servers_platform_settings.environment.UPLOADS_BUCKET).toBe('${aws_s3_bucket.uploads.bucket}');
  });

  it('get no such grant without an uploads section', () => {
    expect(Object.keys(resources(synth().stacks['web-prod'], 'aws_iam_role_policy'))).not.toContain('app_servers_role_use_uploads');
    expect(JSON.stringify(synth().stacks['web-prod'].locals)).not.toContain('UPLOADS_BUCKET');
  });
});

describe('uploads in the config', () => {
  it('refuses an origin that is not https', () => {
    expect(findProblems(withUploads((u) => void (u.corsOrigins = ['http://app.example.com'])))).toEqual([
      'environment "prod": uploads.corsOrigins[0]: got "http://app.example.com"; allowed: an https origin such as "https://app.example.com"',
    ]);
  });

  it('refuses an unknown field with the nearest one', () => {
    expect(findProblems(withUploads((u) => void (u.noncurrentDays = 10)))).toEqual([
      'environment "prod": uploads.noncurrentDays: got 10; allowed: no such field in uploads — did you mean "noncurrentVersionDays"? (fields: noncurrentVersionDays, corsOrigins)',
    ]);
  });
});
