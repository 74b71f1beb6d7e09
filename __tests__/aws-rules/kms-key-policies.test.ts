/**
 * KMS key policies: each key lets every service that uses it do so (CloudWatch Logs for the log groups it encrypts,
 * CloudWatch alarms and Auto Scaling for the alerts topic, CloudFront for the front-end buckets, Auto Scaling for
 * encrypted volumes), keeps its account in control, and lives in the region of what it encrypts. moto neither
 * evaluates key policies on these calls nor checks regions. Run over every stack of every config under test; each
 * rule also on a copy broken on purpose.
 */
import { context, refused, type PolicyRequest } from '../support/aws-rules/policy-evaluation';
import { bodyOf, problemsInEveryStack, problemsOfBroken, stacksWith, type Check } from '../support/aws-rules/rules';
import { accountOf, blocks, regionOf, resourcesOf, statements, target, type Resource } from '../support/aws-rules/terraform-json';
import type { StackJson } from '../support/synth';

const keys = (stack: StackJson) => resourcesOf(stack, 'aws_kms_key');
const policyOf = (key: Resource) => statements(key.body.policy, key.address);
/** The Auto Scaling service-linked role of the stack's account. */
const autoScalingRole = (stack: StackJson) =>
  `arn:aws:iam::${accountOf(stack)}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
/** Drops the statements whose Sid matches `sid` from every key policy of a copy. */
const dropStatements = (stack: StackJson, sid: RegExp) => {
  for (const key of keys(stack)) {
    const doc = JSON.parse(key.body.policy);
    doc.Statement = doc.Statement.filter((s: Record<string, any>) => !sid.test(String(s.Sid)));
    key.body.policy = JSON.stringify(doc);
  }
};

it('the stacks under test have keys', () => expect(stacksWith('aws_kms_key')).toBeGreaterThan(0));

// KMS API Reference, CreateKey, Policy ("The key policy must allow the calling principal to make a subsequent
// PutKeyPolicy request on the KMS key"; "Each statement in the key policy must contain one or more principals. The
// principals in the key policy must exist and be visible to KMS"; LimitExceededException past the length limit of 32
// KB), and KMS Developer Guide, "Default key policy" (the statement that lets the account's IAM policies manage the
// key): https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html,
// https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
describe('key policies keep the account in control, name a principal in every statement and no role that may not exist yet, within 32 KB (KMS API Reference, CreateKey; Default key policy)', () => {
  const check: Check = (stack) =>
    keys(stack).flatMap((key) => {
      const policy = policyOf(key);
      const root = `arn:aws:iam::${accountOf(stack)}:root`;
      const problems: string[] = [];
      const manages = refused(policy, [{ caller: { role: root }, action: 'kms:PutKeyPolicy', context: {} }]).length === 0;
      if (!manages || !policy.some((s) => s.principalsByType.AWS?.includes(root)))
        problems.push(`${key.address}: the account (${root}) cannot change the key policy: locked out`);
      policy.forEach((s, i) => {
        if (s.principals.length === 0 && !s.notPrincipal) problems.push(`${key.address}: statement ${i} names no principal`);
        for (const p of s.principalsByType.AWS ?? [])
          if (p.includes(':role/aws-service-role/'))
            problems.push(`${key.address}: statement ${i} names the service-linked role ${p}, which may not exist yet`);
      });
      if (String(key.body.policy).length > 32 * 1024)
        problems.push(`${key.address}: a key policy of ${String(key.body.policy).length} characters`);
      return problems;
    });
  it('holds in every stack', () => expect(problemsInEveryStack(check)).toEqual([]));
  it('fails without the account statement, and with the Auto Scaling role as principal', () => {
    const problems = problemsOfBroken(check, 'aws_kms_key', (s) => {
      const key = keys(s)[0];
      const doc = JSON.parse(key.body.policy);
      doc.Statement = doc.Statement.filter((st: Record<string, any>) => st.Sid !== 'AccountAdministersKeyThroughIam');
      doc.Statement.push({ Effect: 'Allow', Principal: { AWS: autoScalingRole(s) }, Action: 'kms:Decrypt', Resource: '*' });
      key.body.policy = JSON.stringify(doc);
    });
    expect(problems).toEqual([
      expect.stringContaining('cannot change the key policy: locked out'),
      expect.stringContaining('names the service-linked role'),
    ]);
  });
});

// KMS API Reference, ScheduleKeyDeletion, PendingWindowInDays ("it must be between 7 and 30, inclusive") and
// EnableKeyRotation, RotationPeriodInDays (90–2560), and KMS Developer Guide, "Rotate AWS KMS keys":
// https://docs.aws.amazon.com/kms/latest/APIReference/API_ScheduleKeyDeletion.html,
// https://docs.aws.amazon.com/kms/latest/APIReference/API_EnableKeyRotation.html
describe('keys rotate, on a period KMS takes, and wait 7–30 days before deletion (KMS API Reference, EnableKeyRotation, ScheduleKeyDeletion)', () => {
  const check: Check = (stack) =>
    keys(stack).flatMap((key) => {
      const b = key.body;
      const problems: string[] = [];
      if (b.enable_key_rotation !== true) problems.push(`${key.address}: rotation off`);
      const period = b.rotation_period_in_days;
      if (period !== undefined && !(Number(period) >= 90 && Number(period) <= 2560))
        problems.push(`${key.address}: rotation every ${period} days`);
      const window = Number(b.deletion_window_in_days ?? 30);
      if (!(window >= 7 && window <= 30)) problems.push(`${key.address}: deletion window ${window} days`);
      return problems;
    });
  it('holds in every stack', () => expect(problemsInEveryStack(check)).toEqual([]));
  it('fails for a 60-day rotation and a 3-day deletion window', () => {
    const problems = problemsOfBroken(check, 'aws_kms_key', (s) =>
      Object.assign(keys(s)[0].body, { rotation_period_in_days: 60, deletion_window_in_days: 3 }),
    );
    expect(problems).toEqual([expect.stringContaining('rotation every 60 days'), expect.stringContaining('deletion window 3 days')]);
  });
});

/** Every reference to a key of the stack in a resource's arguments (nested blocks included), with the key. */
function keysUsedBy(stack: StackJson, r: Resource): Resource[] {
  const found: Resource[] = [];
  const walk = (value: unknown) => {
    if (typeof value === 'string') {
      const key = target(stack, value, 'aws_kms_key');
      if (key) found.push(key);
    } else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') Object.entries(value).forEach(([k, v]) => k !== 'depends_on' && walk(v));
  };
  walk(r.body);
  return found;
}

// KMS Developer Guide, "Multi-Region keys in AWS KMS" (a KMS key is used in the Region it was created in, unless it
// is a multi-Region key with a replica there), and RDS User Guide, "AWS KMS key management" (an encrypted instance
// uses a key of its own Region):
// https://docs.aws.amazon.com/kms/latest/developerguide/multi-region-keys-overview.html,
// https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.Keys.html
describe('every resource encrypts with a key of its own region (KMS Developer Guide, Multi-Region keys; RDS User Guide, AWS KMS key management)', () => {
  const check: Check = (stack) =>
    Object.keys(stack.resource ?? {})
      .filter((type) => type !== 'aws_kms_key')
      .flatMap((type) => resourcesOf(stack, type))
      .flatMap((r) =>
        keysUsedBy(stack, r)
          .filter((key) => key.body.multi_region !== true && regionOf(stack, key.body) !== regionOf(stack, r.body))
          .map((key) => `${r.address} (${regionOf(stack, r.body)}): ${key.address} is in ${regionOf(stack, key.body)}`),
      );
  it('holds in every stack', () => expect(problemsInEveryStack(check)).toEqual([]));
  it('fails for a log group of the edge given the key of the stack region', () => {
    const problems = problemsOfBroken(check, 'aws_cloudfront_distribution', (s) => {
      const edgeGroup = resourcesOf(s, 'aws_cloudwatch_log_group').find((g) => g.body.provider) as Resource;
      const homeKey = keys(s).find((k) => !k.body.provider) as Resource;
      edgeGroup.body.kms_key_id = `\${${homeKey.address}.arn}`;
    });
    expect(problems).toEqual([expect.stringMatching(/aws_cloudwatch_log_group\.\S+ \(us-east-1\): aws_kms_key\.\S+ is in eu-west-1$/)]);
  });
});

// CloudWatch Logs User Guide, "Encrypt log data in CloudWatch Logs using AWS KMS" (the key policy lets
// logs.<region>.amazonaws.com use kms:Encrypt*, kms:Decrypt*, kms:ReEncrypt*, kms:GenerateDataKey* and kms:Describe*,
// under the encryption context kms:EncryptionContext:aws:logs:arn of the log group):
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
describe('each key lets CloudWatch Logs of its region encrypt every log group it is given (CloudWatch Logs User Guide, Encrypt log data ... using AWS KMS)', () => {
  const ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:DescribeKey'];
  const check: Check = (stack) =>
    resourcesOf(stack, 'aws_cloudwatch_log_group').flatMap((group) => {
      const key = target(stack, group.body.kms_key_id, 'aws_kms_key');
      if (!key) return [];
      const region = regionOf(stack, group.body);
      const arn = `arn:aws:logs:${region}:${accountOf(stack)}:log-group:${group.body.name}`;
      const requests: PolicyRequest[] = ACTIONS.map((action) => ({
        caller: { service: `logs.${region}.amazonaws.com` },
        action,
        context: context({ 'kms:EncryptionContext:aws:logs:arn': arn }),
      }));
      return refused(policyOf(key), requests).map((what) => `${group.address}: ${key.address} refuses ${what}`);
    });
  it('holds in every stack', () => {
    expect(
      problemsInEveryStack((s) =>
        resourcesOf(s, 'aws_cloudwatch_log_group')
          .filter((g) => g.body.kms_key_id)
          .map((g) => g.address),
      ).length,
    ).toBeGreaterThan(0);
    expect(problemsInEveryStack(check)).toEqual([]);
  });
  it('fails for a log group whose key names the logs service of another region', () => {
    const problems = problemsOfBroken(check, 'aws_cloudwatch_log_group', (s) => {
      for (const key of keys(s))
        key.body.policy = String(key.body.policy).replace(/logs\.([a-z0-9-]+)\.amazonaws\.com/g, 'logs.ap-south-2.amazonaws.com');
    });
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => /refuses kms:\w+ for logs\.[a-z0-9-]+\.amazonaws\.com$/.test(p))).toBe(true);
  });
});

// Amazon SNS Developer Guide, "Enable compatibility between event sources from AWS services and encrypted topics" (the
// key policy lets the service principal, cloudwatch.amazonaws.com for alarms, use kms:GenerateDataKey* and
// kms:Decrypt), and EC2 Auto Scaling User Guide, "Amazon SNS notification options for Amazon EC2 Auto Scaling" (an
// encrypted topic's key must let the Auto Scaling service-linked role use it):
// https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services,
// https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-sns-notifications.html
describe('the key of an encrypted topic lets CloudWatch alarms and Auto Scaling publish to it (SNS Developer Guide, compatibility with encrypted topics; EC2 Auto Scaling notifications)', () => {
  const check: Check = (stack) =>
    resourcesOf(stack, 'aws_sns_topic').flatMap((topic) => {
      const key = target(stack, topic.body.kms_master_key_id, 'aws_kms_key');
      if (!key) return [];
      const region = regionOf(stack, topic.body);
      const account = accountOf(stack);
      const publishes = (values: unknown) => blocks(values).some((v) => target(stack, v)?.address === topic.address);
      const alarms = resourcesOf(stack, 'aws_cloudwatch_metric_alarm').filter((a) =>
        ['alarm_actions', 'ok_actions', 'insufficient_data_actions'].some((f) => publishes(a.body[f])),
      );
      const notifications = resourcesOf(stack, 'aws_autoscaling_notification').filter((n) => publishes(n.body.topic_arn));
      const requests: PolicyRequest[] = [
        ...alarms.slice(0, 1).flatMap((a) =>
          ['kms:GenerateDataKey', 'kms:Decrypt'].map((action) => ({
            caller: { service: 'cloudwatch.amazonaws.com' },
            action,
            context: context({
              'aws:SourceAccount': account,
              'aws:SourceArn': `arn:aws:cloudwatch:${region}:${account}:alarm:${a.body.alarm_name}`,
            }),
          })),
        ),
        ...notifications.slice(0, 1).flatMap(() =>
          ['kms:GenerateDataKey', 'kms:Decrypt'].map((action) => ({
            caller: { role: autoScalingRole(stack) },
            action,
            context: context({
              'aws:PrincipalArn': autoScalingRole(stack),
              'aws:PrincipalAccount': account,
              'kms:CallerAccount': account,
              'kms:ViaService': `sns.${region}.amazonaws.com`,
            }),
          })),
        ),
      ];
      return refused(policyOf(key), requests).map((what) => `${topic.address}: ${key.address} refuses ${what}`);
    });
  it('holds in every stack', () => expect(problemsInEveryStack(check)).toEqual([]));
  it('fails without the statements for CloudWatch and Auto Scaling', () => {
    const problems = problemsOfBroken(check, 'aws_sns_topic', (s) => dropStatements(s, /CloudWatchAlarms|AutoScaling/));
    expect(problems).toEqual([
      expect.stringMatching(/refuses kms:GenerateDataKey for cloudwatch\.amazonaws\.com$/),
      expect.stringMatching(/refuses kms:Decrypt for cloudwatch\.amazonaws\.com$/),
      expect.stringMatching(
        /refuses kms:GenerateDataKey for arn:aws:iam::\d{12}:role\/aws-service-role\/autoscaling\.amazonaws\.com\/AWSServiceRoleForAutoScaling$/,
      ),
      expect.stringMatching(
        /refuses kms:Decrypt for arn:aws:iam::\d{12}:role\/aws-service-role\/autoscaling\.amazonaws\.com\/AWSServiceRoleForAutoScaling$/,
      ),
    ]);
  });
});

// CloudFront Developer Guide, "Restrict access to an Amazon S3 origin" (with SSE-KMS, the key policy lets
// cloudfront.amazonaws.com use kms:Decrypt for the distribution, AWS:SourceArn), and S3 User Guide, "Reducing the cost
// of SSE-KMS with Amazon S3 Bucket Keys" (with a bucket key, the encryption context is the bucket ARN):
// https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html,
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html
describe('the key of a bucket CloudFront reads lets CloudFront decrypt it for the distributions of the account (CloudFront Developer Guide, Restrict access to an Amazon S3 origin)', () => {
  const check: Check = (stack) =>
    resourcesOf(stack, 'aws_s3_bucket_server_side_encryption_configuration').flatMap((encryption) => {
      const bucket = target(stack, encryption.body.bucket, 'aws_s3_bucket');
      const rule = blocks(encryption.body.rule)[0] ?? {};
      const key = target(stack, blocks(rule.apply_server_side_encryption_by_default)[0]?.kms_master_key_id, 'aws_kms_key');
      if (!bucket || !key) return [];
      const readByCloudFront = resourcesOf(stack, 'aws_s3_bucket_policy').some(
        (p) =>
          target(stack, p.body.bucket)?.address === bucket.address &&
          statements(p.body.policy, p.address).some(
            (s) => s.effect === 'Allow' && s.principalsByType.Service?.includes('cloudfront.amazonaws.com'),
          ),
      );
      if (!readByCloudFront) return [];
      const name = String(bucket.body.bucket);
      const request: PolicyRequest = {
        caller: { service: 'cloudfront.amazonaws.com' },
        action: 'kms:Decrypt',
        context: context({
          'AWS:SourceArn': `arn:aws:cloudfront::${accountOf(stack)}:distribution/EDFDVBD6EXAMPLE`,
          'aws:SourceAccount': accountOf(stack),
          'kms:EncryptionContext:aws:s3:arn': rule.bucket_key_enabled === true ? `arn:aws:s3:::${name}` : `arn:aws:s3:::${name}/index.html`,
        }),
      };
      return refused(policyOf(key), [request]).map((what) => `${bucket.address}: ${key.address} refuses ${what}`);
    });
  it('holds in every stack', () => expect(problemsInEveryStack(check)).toEqual([]));
  it('fails for a front-end bucket the key does not list', () => {
    const problems = problemsOfBroken(check, 'aws_cloudfront_distribution', (s) => {
      for (const bucket of resourcesOf(s, 'aws_s3_bucket')) bucket.body.bucket = `${bucket.body.bucket}-renamed`;
    });
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => p.endsWith('refuses kms:Decrypt for cloudfront.amazonaws.com'))).toBe(true);
  });
});

// EC2 Auto Scaling User Guide, "Required AWS KMS key policy for use with encrypted volumes" (the service-linked role
// AWSServiceRoleForAutoScaling needs kms:Encrypt, kms:Decrypt, kms:ReEncrypt*, kms:GenerateDataKey*, kms:DescribeKey,
// and kms:CreateGrant with kms:GrantIsForAWSResource): https://docs.aws.amazon.com/autoscaling/ec2/userguide/key-policy-requirements-EBS-encryption.html
describe('a customer-managed key of launched volumes lets Auto Scaling use it (EC2 Auto Scaling User Guide, Required AWS KMS key policy for use with encrypted volumes)', () => {
  const ACTIONS = [
    'kms:Encrypt',
    'kms:Decrypt',
    'kms:ReEncryptFrom',
    'kms:ReEncryptTo',
    'kms:GenerateDataKeyWithoutPlaintext',
    'kms:DescribeKey',
    'kms:CreateGrant',
  ];
  const check: Check = (stack) =>
    resourcesOf(stack, 'aws_launch_template').flatMap((template) =>
      blocks(template.body.block_device_mappings).flatMap((mapping) => {
        const key = target(stack, blocks(mapping.ebs)[0]?.kms_key_id, 'aws_kms_key');
        if (!key) return [];
        const role = autoScalingRole(stack);
        const requests: PolicyRequest[] = ACTIONS.map((action) => ({
          caller: { role },
          action,
          context: context({
            'aws:PrincipalArn': role,
            'aws:PrincipalAccount': accountOf(stack),
            'kms:CallerAccount': accountOf(stack),
            'kms:ViaService': `ec2.${regionOf(stack, template.body)}.amazonaws.com`,
            'kms:GrantIsForAWSResource': 'true',
          }),
        }));
        return refused(policyOf(key), requests).map((what) => `${template.address} ${mapping.device_name}: ${key.address} refuses ${what}`);
      }),
    );
  it('holds in every stack (the volumes use the account default key today: nothing to grant)', () =>
    expect(problemsInEveryStack(check)).toEqual([]));
  it('fails once the root volume is encrypted with the stack key, whose policy lets Auto Scaling use it through SNS only', () => {
    const problems = problemsOfBroken(check, 'aws_launch_template', (s) => {
      const home = keys(s).find((k) => !k.body.provider) as Resource;
      bodyOf(s, 'aws_launch_template').block_device_mappings[0].ebs.kms_key_id = `\${${home.address}.arn}`;
    });
    expect(problems).toHaveLength(ACTIONS.length);
    expect(
      problems.every((p) =>
        /refuses kms:\w+ for arn:aws:iam::\d{12}:role\/aws-service-role\/autoscaling\.amazonaws\.com\/AWSServiceRoleForAutoScaling$/.test(
          p,
        ),
      ),
    ).toBe(true);
  });
});
