import { apiBehindEdge } from '../config/edge';
import { platform, prod, state } from '../config/environments';
import { validateConfig } from '../config/validate';
import { canonicalJson } from '../modules/policy-statements';
import { AWS_PROVIDER_VERSION } from '../stacks/web-stack';
import { single, withoutCi } from './support/config';
import { stackNames } from './support/stacks';
import { resource, resources, synth, type StackJson } from './support/synth';

const { stacks } = synth();
const prodStack = stacks['web-prod'];

/** Every resource address of a stack. */
function addresses(stack: StackJson): string[] {
  return Object.entries(stack.resource).flatMap(([type, byName]) => Object.keys(byName).map((n) => `${type}.${n}`));
}

describe('stacks', () => {
  it('are the bootstrap state stack and one per environment, named after it', () => {
    expect(Object.keys(stacks)).toEqual(stackNames());
  });

  it('write every JSON document (IAM, key, bucket and topic policies) compact, keys in jsonencode order', () => {
    // So the plain-Terraform export renders each as jsonencode({...}) of the very same string.
    const documents = Object.entries(stacks).flatMap(([stack, json]) =>
      Object.entries(json.resource).flatMap(([type, byName]) =>
        Object.entries(byName).flatMap(([name, config]) =>
          Object.entries(config as Record<string, unknown>)
            .filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1].startsWith('{'))
            .map(([key, text]) => ({ where: `${stack}: ${type}.${name}.${key}`, text })),
        ),
      ),
    );
    expect(documents.length).toBeGreaterThan(0);
    for (const { where, text } of documents) expect({ where, text: canonicalJson(JSON.parse(text)) }).toEqual({ where, text });
  });

  it('pin the AWS provider from the public registry and require Terraform ≥ 1.10', () => {
    expect(prodStack.terraform.required_providers).toEqual({ aws: { source: 'hashicorp/aws', version: AWS_PROVIDER_VERSION } });
    expect(AWS_PROVIDER_VERSION).toBe('5.100.0');
    expect(prodStack.terraform.required_version).toBe('>= 1.10.0');
  });

  it('configure the provider with region, the allowed account and default tags; with front-ends also for us-east-1 (alias us_east_1)', () => {
    const settings = {
      allowed_account_ids: [prod.accountId],
      default_tags: [{ tags: { Project: 'web', Environment: 'prod', ManagedBy: 'cdktf' } }],
    };
    expect(prodStack.provider.aws).toEqual([
      { region: 'eu-west-1', ...settings },
      ...((prod.frontends ?? []).length > 0 ? [{ alias: 'us_east_1', region: 'us-east-1', ...settings }] : []),
    ]);
    const without = synth(single('prod', { frontends: [] })).stacks['web-prod'];
    expect(without.provider.aws).toEqual([{ region: 'eu-west-1', ...settings }]);
  });

  it('merge extra tags from config under the reserved ones', () => {
    const stack = synth(single('prod', { tags: { CostCenter: 'cc-42', Team: 'platform' } })).stacks['web-prod'];
    expect(stack.provider.aws[0].default_tags).toEqual([
      { tags: { CostCenter: 'cc-42', Team: 'platform', Project: 'web', Environment: 'prod', ManagedBy: 'cdktf' } },
    ]);
  });

  it('keep state in S3, encrypted, with native locking and a key unique per stack', () => {
    expect(prodStack.terraform.backend).toEqual({
      s3: {
        bucket: 'web-platform-tfstate-111111111111-eu-west-1',
        key: 'web/prod/web-prod.tfstate',
        kms_key_id: 'alias/web-tfstate',
        region: 'eu-west-1',
        encrypt: true,
        use_lockfile: true,
      },
    });
    expect(stacks['web-dev'].terraform.backend.s3.key).toBe('web/dev/web-dev.tfstate');
  });

  it('add the DynamoDB lock table when configured, or use a local backend', () => {
    const locked = synth(
      single('prod', { backend: { kind: 's3', bucket: 'state-bucket', region: 'eu-central-1', dynamodbTable: 'tf-locks' } }),
    ).stacks['web-prod'];
    expect(locked.terraform.backend.s3).toMatchObject({
      bucket: 'state-bucket',
      region: 'eu-central-1',
      dynamodb_table: 'tf-locks',
      use_lockfile: true,
    });
    const local = synth({ ...single('dev', { backend: { kind: 'local' } }), state: withoutCi(state) }).stacks['web-dev'];
    expect(local.terraform.backend).toEqual({ local: { path: 'terraform.web-dev.tfstate' } });
  });

  it('never carry credentials or provider skip flags', () => {
    const text = JSON.stringify(stacks);
    for (const key of [
      'access_key',
      'secret_key',
      'skip_credentials_validation',
      'skip_requesting_account_id',
      'skip_metadata_api_check',
      'token',
    ]) {
      expect(text).not.toContain(`"${key}"`);
    }
  });

  it('output the URL, ALB DNS name, DB endpoint and secret, dashboard, VPC and subnet ids per tier, the active release and the front-ends', () => {
    const edge = (prod.frontends ?? []).length > 0 ? ['frontend_buckets', 'frontend_distribution_ids', 'frontend_urls'] : [];
    expect(Object.keys(prodStack.output).sort()).toEqual(
      [
        'alb_dns_name',
        'alerts_topic_arn',
        'app_subnet_ids',
        'dashboard_url',
        'data_subnet_ids',
        'db_endpoint',
        'db_secret_arn',
        ...edge,
        'image_repository_url',
        'public_subnet_ids',
        'release',
        'url',
        'vpc_id',
      ].sort(),
    );
    expect(prodStack.output.url.value).toBe('https://app.example.com');
    expect(stacks['web-dev'].output.url.value).toBe('http://${aws_lb.load_balancer_alb.dns_name}');
    expect(prodStack.output.db_secret_arn.value).toBe('${aws_db_instance.database_instance.master_user_secret[0].secret_arn}');
    expect(prodStack.output.data_subnet_ids.value).toEqual(['a', 'b', 'c'].map((z) => `\${aws_subnet.network_data_subnet_${z}.id}`));
  });

  it('encrypt with one rotating customer-managed key, usable by CloudWatch Logs of this account only', () => {
    const key = resource(prodStack, 'aws_kms_key', 'encryption_key');
    expect(key).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
    const logs = JSON.parse(key.policy).Statement[1];
    expect(logs.Principal).toEqual({ Service: 'logs.eu-west-1.amazonaws.com' });
    expect(logs.Condition).toEqual({
      ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:eu-west-1:${prod.accountId}:log-group:*` },
    });
  });
});

describe('the prod stack holds the whole architecture', () => {
  const count = (type: string) => Object.keys(resources(prodStack, type)).length;

  it('one VPC, 9 subnets over 3 zones in three tiers, an IGW, a NAT per zone', () => {
    expect(count('aws_vpc')).toBe(1);
    expect(count('aws_subnet')).toBe(9);
    const tiers = Object.values(resources(prodStack, 'aws_subnet')).map((s) => s.tags.Tier);
    expect(new Set(tiers)).toEqual(new Set(['public', 'private', 'isolated']));
    expect(new Set(Object.values(resources(prodStack, 'aws_subnet')).map((s) => s.availability_zone)).size).toBe(3);
    expect(count('aws_internet_gateway')).toBe(1);
    expect(count('aws_nat_gateway')).toBe(prod.availabilityZones.length);
  });

  it('three chained security groups, a Multi-AZ encrypted RDS, a launch template, an ASG, an ALB with listeners and a target group', () => {
    expect(count('aws_security_group')).toBe(3);
    expect(count('aws_db_instance')).toBe(1);
    expect(count('aws_launch_template')).toBe(1);
    expect(count('aws_autoscaling_group')).toBe(1);
    expect(count('aws_lb')).toBe(1);
    // Behind the edge HTTPS only (nothing reaches port 80); else HTTPS and the HTTP redirect.
    expect(count('aws_lb_listener')).toBe(apiBehindEdge(validateConfig(platform).environments.find((e) => e.name === prod.name)!) ? 1 : 2);
    expect(count('aws_lb_target_group')).toBe(1);
  });

  it('scaling policies with their alarms, and a remote backend', () => {
    expect(count('aws_autoscaling_policy')).toBe(2);
    expect(count('aws_cloudwatch_metric_alarm')).toBeGreaterThanOrEqual(2);
    expect(Object.keys(prodStack.terraform.backend)).toEqual(['s3']);
  });
});

describe('Terraform addresses', () => {
  it('are the readable construct path, with no hash suffix', () => {
    for (const stack of Object.values(stacks)) {
      for (const address of addresses(stack)) expect(address).toMatch(/^aws_[a-z0-9_]+\.[a-z][a-z0-9_]*$/);
    }
    expect(addresses(prodStack)).toEqual(
      expect.arrayContaining([
        'aws_vpc.network_vpc',
        'aws_db_instance.database_instance',
        'aws_lb.load_balancer_alb',
        'aws_autoscaling_group.app_servers_auto_scaling_group',
        'aws_security_group.database_security_group',
        'aws_vpc_security_group_ingress_rule.database_security_group_ingress_from_app',
      ]),
    );
  });

  it('of existing resources stay put when a zone is appended (no resource is renamed or re-created)', () => {
    const twoZones = synth(single('prod', { availabilityZones: ['eu-west-1a', 'eu-west-1b'] })).stacks['web-prod'];
    const before = addresses(twoZones);
    const after = new Set(addresses(prodStack));
    expect(before.filter((a) => !after.has(a))).toEqual([]);
    for (const z of ['a', 'b']) {
      expect(resource(twoZones, 'aws_subnet', `network_app_subnet_${z}`).cidr_block).toBe(
        resource(prodStack, 'aws_subnet', `network_app_subnet_${z}`).cidr_block,
      );
    }
  });
});
