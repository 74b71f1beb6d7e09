/**
 * Log delivery into S3: the load balancer's access logs and S3 server access logs, which AWS writes only where the
 * bucket policy, the encryption and the object ownership let it (moto writes no logs, and crashes on some of these
 * policies: support/emulator-gaps.ts). Run over every stack of every config under test; each rule also on a copy broken
 * on purpose.
 */
import { ELB_LOG_ACCOUNTS } from '../../config/catalog';
import { context, refused } from '../support/aws-rules/policy-evaluation';
import { bodyOf, problemsInEveryStack, problemsOfBroken, stacksWith, type Check } from '../support/aws-rules/rules';
import {
  accountOf,
  blocks,
  regionOf,
  resourcesOf,
  statements,
  target,
  withBucketArns,
  type Resource,
} from '../support/aws-rules/terraform-json';
import type { StackJson } from '../support/synth';

/** The policy of a bucket (statements with the stack's bucket ARNs written out), or undefined. */
function bucketPolicy(stack: StackJson, bucket: Resource) {
  const policy = resourcesOf(stack, 'aws_s3_bucket_policy').find((p) => target(stack, p.body.bucket)?.address === bucket.address);
  return policy && statements(withBucketArns(stack, String(policy.body.policy)), policy.address);
}

/** The default encryption of a bucket (`AES256`, `aws:kms`, `aws:kms:dsse`), or undefined when the stack sets none. */
function encryptionOf(stack: StackJson, bucket: Resource): string | undefined {
  const config = resourcesOf(stack, 'aws_s3_bucket_server_side_encryption_configuration').find(
    (c) => target(stack, c.body.bucket)?.address === bucket.address,
  );
  return config && blocks(blocks(config.body.rule)[0]?.apply_server_side_encryption_by_default)[0]?.sse_algorithm;
}

/** The object ownership of a bucket, or undefined when the stack sets none. */
function ownershipOf(stack: StackJson, bucket: Resource): string | undefined {
  const controls = resourcesOf(stack, 'aws_s3_bucket_ownership_controls').find(
    (c) => target(stack, c.body.bucket)?.address === bucket.address,
  );
  return controls && blocks(controls.body.rule)[0]?.object_ownership;
}

it('the stacks under test have load balancer access logs and server access logs to check', () => {
  expect(stacksWith('aws_lb')).toBeGreaterThan(0);
  expect(stacksWith('aws_s3_bucket_logging')).toBeGreaterThan(0);
  // In regions opened before August 2022 and after it (the two principals the rule below tells apart).
  const regions = new Set(
    problemsInEveryStack((s) => resourcesOf(s, 'aws_lb').map((lb) => regionOf(s, lb.body))).map((p) => p.replace(/^.*: /, '')),
  );
  expect([...regions].some((r) => r in ELB_LOG_ACCOUNTS)).toBe(true);
  expect([...regions].some((r) => !(r in ELB_LOG_ACCOUNTS))).toBe(true);
});

it('the ELB log accounts the rule below trusts are those of the ELB User Guide', () => {
  // Elastic Load Balancing User Guide, "Enable access logs for your Application Load Balancer" (examples of the legacy
  // table): https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
  expect(ELB_LOG_ACCOUNTS).toMatchObject({
    'us-east-1': '127311923021',
    'us-west-2': '797873946194',
    'eu-west-1': '156460612806',
    'eu-central-1': '054676820928',
    'ap-northeast-1': '582318560864',
  });
});

// Elastic Load Balancing User Guide, "Enable access logs for your Application Load Balancer" (the bucket "must be
// located in the same Region as the load balancer"; "The only server-side encryption option that's supported is Amazon
// S3-managed keys (SSE-S3)"; the prefix must not include "AWSLogs"; the policy lets
// logdelivery.elasticloadbalancing.amazonaws.com, or in Regions available before August 2022 the Region's ELB account,
// put objects under <prefix>/AWSLogs/<account>/): https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
describe("load balancer access logs go to an SSE-S3 bucket of its region whose policy lets the region's log delivery write under the prefix (ELB User Guide, Enable access logs)", () => {
  const check: Check = (stack) =>
    resourcesOf(stack, 'aws_lb').flatMap((lb) => {
      const logs = blocks(lb.body.access_logs)[0];
      if (!logs || logs.enabled !== true) return [];
      const bucket = target(stack, logs.bucket, 'aws_s3_bucket');
      if (!bucket) return [`${lb.address}: access logs to ${logs.bucket}, not a bucket of the stack`];
      const region = regionOf(stack, lb.body);
      const account = accountOf(stack);
      const prefix = String(logs.prefix ?? '');
      const problems: string[] = [];
      if (regionOf(stack, bucket.body) !== region)
        problems.push(`${lb.address}: ${bucket.address} is in ${regionOf(stack, bucket.body)}, the load balancer in ${region}`);
      if (encryptionOf(stack, bucket) !== 'AES256')
        problems.push(
          `${lb.address}: ${bucket.address} is encrypted with ${encryptionOf(stack, bucket) ?? 'nothing the stack sets'}, not SSE-S3`,
        );
      if (prefix.includes('AWSLogs') || prefix.startsWith('/') || prefix.endsWith('/')) problems.push(`${lb.address}: prefix "${prefix}"`);
      const key = `${prefix ? `${prefix}/` : ''}AWSLogs/${account}/elasticloadbalancing/${region}/2026/01/01/log.gz`;
      const legacy = ELB_LOG_ACCOUNTS[region];
      const writers = [
        { service: 'logdelivery.elasticloadbalancing.amazonaws.com' },
        ...(legacy ? [{ role: `arn:aws:iam::${legacy}:root` }] : []),
      ];
      const policy = bucketPolicy(stack, bucket) ?? [];
      const allowed = writers.some(
        (caller) =>
          refused(policy, [
            {
              caller,
              action: 's3:PutObject',
              resource: `arn:aws:s3:::${bucket.body.bucket}/${key}`,
              context: context({ 'aws:SecureTransport': 'true' }),
            },
          ]).length === 0,
      );
      if (!allowed)
        problems.push(
          `${lb.address}: ${bucket.address} lets neither ${writers.map((w) => ('service' in w ? w.service : w.role)).join(' nor ')} put ${key}`,
        );
      // A writer the region does not have is a grant to an account nobody here knows.
      for (const s of policy)
        for (const p of s.principalsByType.AWS ?? [])
          if (
            s.effect === 'Allow' &&
            /^arn:aws:iam::\d{12}:root$/.test(p) &&
            p !== `arn:aws:iam::${account}:root` &&
            p !== `arn:aws:iam::${legacy}:root`
          )
            problems.push(`${lb.address}: ${bucket.address} lets ${p} write, which is not ELB in ${region}`);
      return problems;
    });
  it('holds in every stack', () => expect(problemsInEveryStack(check)).toEqual([]));
  it('fails when the stack moves to a region opened after August 2022, and for a KMS-encrypted bucket', () => {
    const moved = problemsOfBroken(check, 'aws_lb', (s) => {
      (s.provider.aws as Record<string, any>[]).filter((p) => !p.alias).forEach((p) => (p.region = 'eu-central-2'));
    });
    expect(moved).toEqual([
      expect.stringMatching(
        /lets neither logdelivery\.elasticloadbalancing\.amazonaws\.com put alb\/AWSLogs\/\d{12}\/elasticloadbalancing\/eu-central-2\//,
      ),
      expect.stringMatching(/lets arn:aws:iam::156460612806:root write, which is not ELB in eu-central-2$/),
    ]);
    const kms = problemsOfBroken(check, 'aws_lb', (s) => {
      const lb = bodyOf(s, 'aws_lb');
      const config = resourcesOf(s, 'aws_s3_bucket_server_side_encryption_configuration').find(
        (c) => c.body.bucket === lb.access_logs.bucket,
      ) as Resource;
      config.body.rule[0].apply_server_side_encryption_by_default = { sse_algorithm: 'aws:kms' };
    });
    expect(kms).toEqual([expect.stringContaining('is encrypted with aws:kms, not SSE-S3')]);
  });
});

// Amazon S3 User Guide, "Enabling Amazon S3 server access logging" and "Permissions for log delivery" (the destination
// bucket in the same Region and account, without SSE-KMS default encryption; a bucket policy that lets
// logging.s3.amazonaws.com put objects, limited by aws:SourceArn and aws:SourceAccount; with the bucket owner
// enforced setting, no grants), and S3 API Reference, PutBucketLogging: https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html,
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLogging.html
describe('server access logs go to an SSE-S3 bucket of the same region whose policy lets S3 logging write for that source (S3 User Guide, Enabling server access logging)', () => {
  const check: Check = (stack) =>
    resourcesOf(stack, 'aws_s3_bucket_logging').flatMap((logging) => {
      const source = target(stack, logging.body.bucket, 'aws_s3_bucket');
      const destination = target(stack, logging.body.target_bucket, 'aws_s3_bucket');
      if (!source || !destination) return [`${logging.address}: a bucket that is not one of the stack`];
      const problems: string[] = [];
      if (regionOf(stack, source.body) !== regionOf(stack, destination.body))
        problems.push(`${logging.address}: ${destination.address} is in another region than ${source.address}`);
      const encryption = encryptionOf(stack, destination);
      if (encryption !== undefined && encryption !== 'AES256')
        problems.push(`${logging.address}: ${destination.address} is encrypted with ${encryption}`);
      if (ownershipOf(stack, destination) === 'BucketOwnerEnforced' && blocks(logging.body.target_grant).length > 0)
        problems.push(`${logging.address}: grants on a bucket with ACLs disabled`);
      const key = `${logging.body.target_prefix ?? ''}2026-01-01-00-00-00-0123456789ABCDEF`;
      const request = {
        caller: { service: 'logging.s3.amazonaws.com' },
        action: 's3:PutObject',
        resource: `arn:aws:s3:::${destination.body.bucket}/${key}`,
        context: context({
          'aws:SourceArn': `arn:aws:s3:::${source.body.bucket}`,
          'aws:SourceAccount': accountOf(stack),
          'aws:SecureTransport': 'true',
        }),
      };
      if (refused(bucketPolicy(stack, destination) ?? [], [request]).length > 0)
        problems.push(`${logging.address}: ${destination.address} does not let S3 logging write ${key} for ${source.body.bucket}`);
      return problems;
    });
  it('holds in every stack', () => expect(problemsInEveryStack(check)).toEqual([]));
  it('fails for a source bucket the destination does not admit, and a KMS-encrypted destination', () => {
    const problems = problemsOfBroken(check, 'aws_s3_bucket_logging', (s) => {
      const logging = bodyOf(s, 'aws_s3_bucket_logging');
      (target(s, logging.bucket, 'aws_s3_bucket') as Resource).body.bucket = 'someone-elses-bucket';
      const config = resourcesOf(s, 'aws_s3_bucket_server_side_encryption_configuration').find(
        (c) => c.body.bucket === logging.target_bucket,
      ) as Resource;
      config.body.rule[0].apply_server_side_encryption_by_default = { sse_algorithm: 'aws:kms' };
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('is encrypted with aws:kms'),
        expect.stringContaining('does not let S3 logging write'),
      ]),
    );
    expect(problems.filter((p) => p.includes('for someone-elses-bucket'))).toHaveLength(1);
  });
});

// Amazon S3 User Guide, "Controlling ownership of objects and disabling ACLs for your bucket" (with BucketOwnerEnforced,
// "ACLs are disabled" and requests that set them fail), and CloudFront Developer Guide, "Configure standard logging
// (legacy)" (the log bucket must have ACLs enabled): https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html,
// https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logging-legacy-s3.html
describe('buckets have ACLs disabled (BucketOwnerEnforced) and nothing relies on an ACL to deliver to them (S3 User Guide, Controlling ownership of objects)', () => {
  const check: Check = (stack) =>
    resourcesOf(stack, 'aws_s3_bucket').flatMap((bucket) => {
      const problems: string[] = [];
      if (ownershipOf(stack, bucket) !== 'BucketOwnerEnforced')
        problems.push(`${bucket.address}: object ownership ${ownershipOf(stack, bucket) ?? 'not set by the stack'}`);
      if (bucket.body.acl !== undefined) problems.push(`${bucket.address}: acl ${bucket.body.acl}`);
      for (const acl of resourcesOf(stack, 'aws_s3_bucket_acl').filter((a) => target(stack, a.body.bucket)?.address === bucket.address))
        problems.push(`${acl.address}: an ACL on ${bucket.address}`);
      for (const d of resourcesOf(stack, 'aws_cloudfront_distribution'))
        for (const l of blocks(d.body.logging_config))
          if (target(stack, l.bucket)?.address === bucket.address)
            problems.push(`${d.address}: legacy logging into ${bucket.address}, which needs ACLs`);
      return problems;
    });
  it('holds in every stack', () => expect(problemsInEveryStack(check)).toEqual([]));
  it('fails for legacy CloudFront logging into the log bucket, and an ACL', () => {
    const problems = problemsOfBroken(check, 'aws_cloudfront_distribution', (s) => {
      const logs = resourcesOf(s, 'aws_s3_bucket')[0];
      bodyOf(s, 'aws_cloudfront_distribution').logging_config = { bucket: `\${${logs.address}.bucket_domain_name}` };
      s.resource.aws_s3_bucket_acl = { extra: { bucket: `\${${logs.address}.id}`, acl: 'log-delivery-write' } };
    });
    expect(problems).toEqual([
      expect.stringContaining('aws_s3_bucket_acl.extra: an ACL on'),
      expect.stringContaining('legacy logging into'),
    ]);
  });
});
