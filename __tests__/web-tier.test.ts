import { apiBehindEdge, apiPathOf, exclusivePrefixOf } from '../config/edge';
import { dev, prod } from '../config/environments';
import { DEFAULT_AMI_PARAMETER } from '../config/schema';
import { FRONTEND_HEADER } from '../naming';
import { single } from './support/config';
import { shipped } from './support/stacks';
import { resource, resources, synth } from './support/synth';

const { stacks, warnings } = synth();
const prodEnv = shipped.environments.find((e) => e.name === prod.name)!;
/** Prod's front-ends without API paths of their own (for configs that keep the API off the edge). */
const prodWithoutApiPaths = () => (prod.frontends ?? []).map(({ apiPath: _apiPath, ...f }) => f);
const prodRollout = shipped.environments.find((e) => e.name === prod.name)!.compute.rollout;
const prodStack = stacks['web-prod'];
const devStack = stacks['web-dev'];
const lt = resource(prodStack, 'aws_launch_template', 'app_servers_launch_template');
const asg = resource(prodStack, 'aws_autoscaling_group', 'app_servers_auto_scaling_group');

describe('launch template', () => {
  it('names the AMI the public SSM parameter holds when the deploy is planned (never resolved at launch)', () => {
    expect(lt.image_id).toBe('${data.aws_ssm_parameter.app_servers_ami.insecure_value}');
    expect(prodStack.data!.aws_ssm_parameter.app_servers_ami.name).toBe(prod.compute.amiSsmParameter ?? DEFAULT_AMI_PARAMETER);
  });

  it('requires IMDSv2 with a hop limit of 1', () => {
    expect(lt.metadata_options).toMatchObject({ http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 1 });
  });

  it('encrypts a gp3 root volume', () => {
    expect(lt.block_device_mappings).toEqual([
      { device_name: '/dev/xvda', ebs: { volume_size: 20, volume_type: 'gp3', encrypted: true, delete_on_termination: true } },
    ]);
  });

  it('gives no public IP and attaches only the app group', () => {
    expect(lt.network_interfaces).toEqual([
      {
        device_index: 0,
        associate_public_ip_address: false,
        security_groups: ['${aws_security_group.app_servers_security_group.id}'],
        delete_on_termination: true,
      },
    ]);
    expect(lt.vpc_security_group_ids).toBeUndefined();
  });

  it('runs with the instance profile and the configured instance type', () => {
    expect(lt.iam_instance_profile).toEqual({ arn: '${aws_iam_instance_profile.app_servers_instance_profile.arn}' });
    expect(lt.instance_type).toBe(prod.compute.instanceType);
    expect(resource(devStack, 'aws_launch_template', 'app_servers_launch_template').instance_type).toBe(dev.compute.instanceType);
  });

  it('boots from the config settings as a base64 literal and the apply-time values as the only Terraform expression', () => {
    expect(lt.user_data).toBe('${base64encode(local.app_servers_user_data)}');
    const script: string = prodStack.locals!.app_servers_user_data;
    expect(script.startsWith('#!/bin/bash\n')).toBe(true);
    expect(script).toContain('\nset -euo pipefail\n');
    expect(script.match(/\$\{|%\{/g) ?? []).toHaveLength(1);
    const settings = /^write \/etc\/webapp\/settings\.json 0640 '([A-Za-z0-9+/=]+)'$/m.exec(script);
    expect(JSON.parse(Buffer.from(settings![1], 'base64').toString('utf8'))).toMatchObject({
      mode: 'placeholder',
      appPort: prod.compute.appPort,
      healthCheckPath: prod.compute.healthCheckPath ?? '/health',
      environment: { DB_ENGINE: prod.database.engine ?? 'mysql', DB_NAME: prod.database.databaseName ?? 'app' },
    });
    expect(script).toContain("write /etc/webapp/platform.json 0640 '${base64encode(jsonencode(local.app_servers_platform_settings))}'");
    expect(prodStack.locals!.app_servers_platform_settings).toEqual({
      environment: {
        DB_HOST: '${aws_db_instance.database_instance.address}',
        DB_SECRET_ARN: '${aws_db_instance.database_instance.master_user_secret[0].secret_arn}',
      },
    });
    expect(script).toContain('systemctl enable --now webapp.service');
  });
});

describe('instance role', () => {
  it('is assumable by EC2 and carries SSM core and scoped CloudWatch agent permissions', () => {
    const role = resource(prodStack, 'aws_iam_role', 'app_servers_role');
    expect(JSON.parse(role.assume_role_policy).Statement).toEqual([
      { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ]);
    const attached = Object.values(resources(prodStack, 'aws_iam_role_policy_attachment'))
      .filter((a) => a.role === '${aws_iam_role.app_servers_role.name}')
      .map((a) => a.policy_arn);
    expect(attached).toEqual(['arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore']);
    // The CloudWatch agent: its metrics namespace, and logs only in this stack's own log groups.
    const agent = JSON.parse(resource(prodStack, 'aws_iam_role_policy', 'app_servers_role_publish_metrics').policy).Statement;
    expect(agent).toContainEqual({
      Sid: 'PublishAgentMetrics',
      Effect: 'Allow',
      Action: 'cloudwatch:PutMetricData',
      Resource: '*',
      Condition: { StringEquals: { 'cloudwatch:namespace': 'CWAgent' } },
    });
    expect(agent.find((s: any) => s.Sid === 'ShipAgentLogsToThisStacksLogGroups').Resource).toBe(
      `arn:aws:logs:eu-west-1:${prod.accountId}:log-group:/web-prod/*`,
    );
  });

  it('reads exactly the database secret, decrypting only through Secrets Manager', () => {
    const policy = JSON.parse(resource(prodStack, 'aws_iam_role_policy', 'app_servers_role_read_database_secret').policy);
    expect(policy.Statement).toEqual([
      {
        Sid: 'ReadTheDatabaseSecret',
        Effect: 'Allow',
        Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        Resource: '${aws_db_instance.database_instance.master_user_secret[0].secret_arn}',
      },
      {
        Sid: 'DecryptItThroughSecretsManager',
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: '${aws_kms_key.encryption_key.arn}',
        Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' } },
      },
    ]);
  });
});

describe('auto scaling group', () => {
  it('spreads over the private app subnets of every zone', () => {
    expect(asg.vpc_zone_identifier).toEqual(['a', 'b', 'c'].map((z) => `\${aws_subnet.network_app_subnet_${z}.id}`));
  });

  it('has the configured capacity: prod ≥ 2 instances over ≥ 2 zones', () => {
    expect(asg).toMatchObject({
      min_size: prod.compute.minSize,
      desired_capacity: prod.compute.desiredCapacity,
      max_size: prod.compute.maxSize,
    });
    expect(asg.min_size).toBeGreaterThanOrEqual(2);
    expect(asg.vpc_zone_identifier.length).toBeGreaterThanOrEqual(2);
  });

  it('uses ELB health checks with a grace period and registers with the target group', () => {
    expect(asg).toMatchObject({
      health_check_type: 'ELB',
      health_check_grace_period: 300,
      target_group_arns: ['${aws_lb_target_group.load_balancer_target_group.arn}'],
    });
  });

  it('starts on the launch template version by number and leaves later versions to releases (no Terraform refresh)', () => {
    expect(asg.launch_template).toEqual({
      id: '${aws_launch_template.app_servers_launch_template.id}',
      version: '${aws_launch_template.app_servers_launch_template.latest_version}',
    });
    expect(asg.instance_refresh).toBeUndefined();
    expect(prodStack.locals!.app_servers_rollout.preferences).toMatchObject({
      min_healthy_percentage: prodRollout.minHealthyPercentage,
      max_healthy_percentage: prodRollout.maxHealthyPercentage,
    });
  });

  it('propagates tags to instances and leaves desired capacity to the scaling policies', () => {
    const tags = Object.fromEntries(asg.tag.map((t: any) => [t.key, t.value]));
    expect(tags).toEqual({ Project: 'web', Environment: 'prod', ManagedBy: 'cdktf', Name: 'web-prod-app' });
    expect(asg.tag.every((t: any) => t.propagate_at_launch === true)).toBe(true);
    expect(asg.lifecycle).toEqual({ ignore_changes: ['desired_capacity', 'launch_template[0].version'] });
  });
});

describe('application load balancer', () => {
  const alb = resource(prodStack, 'aws_lb', 'load_balancer_alb');

  it('behind the edge (prod): internal, in the private app subnets with its targets, behind its group', () => {
    expect(apiBehindEdge(prodEnv)).toBe(true);
    expect(alb).toMatchObject({
      internal: true,
      load_balancer_type: 'application',
      subnets: ['a', 'b', 'c'].map((z) => `\${aws_subnet.network_app_subnet_${z}.id}`),
      security_groups: ['${aws_security_group.load_balancer_security_group.id}'],
    });
  });

  it('without the edge (dev, and prod with edge.api false): internet-facing in the public subnets', () => {
    for (const stack of [devStack, synth(single('prod', { edge: { api: false }, frontends: prodWithoutApiPaths() })).stacks['web-prod']])
      expect(resource(stack, 'aws_lb', 'load_balancer_alb')).toMatchObject({
        internal: false,
        subnets: expect.arrayContaining(['${aws_subnet.network_public_subnet_a.id}']),
      });
  });

  it('drops invalid header fields', () => {
    expect(alb.drop_invalid_header_fields).toBe(true);
  });

  it('has deletion protection per environment', () => {
    expect(alb.enable_deletion_protection).toBe(true);
    expect(resource(devStack, 'aws_lb', 'load_balancer_alb').enable_deletion_protection).toBe(false);
  });

  it('writes access logs to its bucket, after the bucket policy exists', () => {
    expect(alb.access_logs).toEqual({ bucket: '${aws_s3_bucket.load_balancer_access_logs_bucket.id}', prefix: 'alb', enabled: true });
    expect(alb.depends_on).toEqual(['aws_s3_bucket_policy.load_balancer_access_logs_policy']);
  });

  it('health-checks the targets on the app port and health path', () => {
    expect(resource(prodStack, 'aws_lb_target_group', 'load_balancer_target_group')).toMatchObject({
      port: prod.compute.appPort,
      protocol: 'HTTP',
      target_type: 'instance',
      health_check: { enabled: true, path: prod.compute.healthCheckPath, matcher: '200', port: 'traffic-port' },
    });
  });
});

describe('access log bucket', () => {
  const id = '${aws_s3_bucket.load_balancer_access_logs_bucket.id}';

  it('is private: all four public access blocks and ACLs disabled', () => {
    expect(resource(prodStack, 'aws_s3_bucket_public_access_block', 'load_balancer_access_logs_public_access_block')).toMatchObject({
      bucket: id,
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(resource(prodStack, 'aws_s3_bucket_ownership_controls', 'load_balancer_access_logs_ownership').rule).toEqual({
      object_ownership: 'BucketOwnerEnforced',
    });
  });

  it('is encrypted and versioned', () => {
    expect(resource(prodStack, 'aws_s3_bucket_server_side_encryption_configuration', 'load_balancer_access_logs_encryption').rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' }, bucket_key_enabled: false },
    ]);
    expect(resource(prodStack, 'aws_s3_bucket_versioning', 'load_balancer_access_logs_versioning').versioning_configuration).toEqual({
      status: 'Enabled',
    });
  });

  it('lets only the region’s log delivery write, only under its prefix, and denies plain HTTP', () => {
    const policy = JSON.parse(resource(prodStack, 'aws_s3_bucket_policy', 'load_balancer_access_logs_policy').policy);
    expect(policy.Statement).toEqual([
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: ['${aws_s3_bucket.load_balancer_access_logs_bucket.arn}', '${aws_s3_bucket.load_balancer_access_logs_bucket.arn}/*'],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
      {
        Sid: 'LoadBalancerLogDelivery',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::156460612806:root' },
        Action: 's3:PutObject',
        Resource: `\${aws_s3_bucket.load_balancer_access_logs_bucket.arn}/alb/AWSLogs/${prod.accountId}/*`,
      },
    ]);
  });

  it('uses the log delivery service principal in regions opened since 2022', () => {
    const env = single('dev', { region: 'eu-south-2', availabilityZones: ['eu-south-2a', 'eu-south-2b'] });
    const stack = synth(env).stacks['web-dev'];
    const policy = JSON.parse(resource(stack, 'aws_s3_bucket_policy', 'load_balancer_access_logs_policy').policy);
    expect(policy.Statement[1].Principal).toEqual({ Service: 'logdelivery.elasticloadbalancing.amazonaws.com' });
  });

  it('is kept (prevent_destroy, no force_destroy) when data is protected, removable in dev', () => {
    expect(resource(prodStack, 'aws_s3_bucket', 'load_balancer_access_logs_bucket')).toMatchObject({
      force_destroy: false,
      lifecycle: { prevent_destroy: true },
    });
    const devBucket = resource(devStack, 'aws_s3_bucket', 'load_balancer_access_logs_bucket');
    expect(devBucket.force_destroy).toBe(true);
    expect(devBucket.lifecycle).toBeUndefined();
  });

  it('expires logs and noncurrent versions and aborts stale uploads', () => {
    expect(resource(prodStack, 'aws_s3_bucket_lifecycle_configuration', 'load_balancer_access_logs_lifecycle').rule[0]).toMatchObject({
      status: 'Enabled',
      expiration: [{ days: prod.logRetentionDays }],
      noncurrent_version_expiration: [{ noncurrent_days: 30 }],
      abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
    });
  });
});

describe('listeners', () => {
  it('prod behind the edge: HTTPS only; each front-end’s API route forwarded only with its own front-end header, an exclusive route refused to the others, anything else 403', () => {
    expect(resource(prodStack, 'aws_lb_listener', 'load_balancer_https_listener')).toMatchObject({
      port: 443,
      protocol: 'HTTPS',
      ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      default_action: [{ type: 'fixed-response', fixed_response: { status_code: '403', content_type: 'text/plain' } }],
    });
    const listener = '${aws_lb_listener.load_balancer_https_listener.arn}';
    const forward = [{ type: 'forward', target_group_arn: '${aws_lb_target_group.load_balancer_target_group.arn}' }];
    const rules = resources(prodStack, 'aws_lb_listener_rule');
    const expected: Record<string, unknown> = {};
    prodEnv.frontends.forEach((f, i) => {
      const path = apiPathOf(f, prodEnv.edge.apiPath);
      expected[`load_balancer_api_${f.name}`] = {
        listener_arn: listener,
        priority: (f.allowedIpRanges ? 10 : 200) + i,
        condition: [{ path_pattern: { values: [path] } }, { http_header: { http_header_name: FRONTEND_HEADER, values: [f.name] } }],
        action: forward,
      };
      if (f.allowedIpRanges)
        expected[`load_balancer_api_${f.name}_elsewhere`] = {
          listener_arn: listener,
          priority: 100 + i,
          condition: [{ path_pattern: { values: [`${exclusivePrefixOf(path)}*`] } }],
          action: [
            { type: 'fixed-response', fixed_response: { content_type: 'text/plain', message_body: 'Forbidden', status_code: '403' } },
          ],
        };
    });
    expect(Object.fromEntries(Object.entries(rules).map(([k, { ['//']: _meta, ...v }]) => [k, v]))).toEqual(expected);
    expect(Object.keys(resources(prodStack, 'aws_lb_listener'))).toEqual(['load_balancer_https_listener']);
  });

  it('prod without the API behind the edge: HTTPS with a TLS 1.3 policy and a DNS-validated certificate, HTTP redirected', () => {
    const prodStack = synth(single('prod', { edge: { api: false }, frontends: prodWithoutApiPaths() })).stacks['web-prod'];
    expect(resources(prodStack, 'aws_lb_listener_rule')).toEqual({});
    expect(resource(prodStack, 'aws_lb_listener', 'load_balancer_https_listener')).toMatchObject({
      port: 443,
      protocol: 'HTTPS',
      ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      certificate_arn: '${aws_acm_certificate_validation.load_balancer_certificate_validation.certificate_arn}',
      default_action: [{ type: 'forward', target_group_arn: '${aws_lb_target_group.load_balancer_target_group.arn}' }],
    });
    expect(resource(prodStack, 'aws_lb_listener', 'load_balancer_http_listener')).toMatchObject({
      port: 80,
      protocol: 'HTTP',
      default_action: [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', status_code: 'HTTP_301' } }],
    });
    expect(resource(prodStack, 'aws_acm_certificate', 'load_balancer_certificate')).toMatchObject({
      domain_name: 'app.example.com',
      validation_method: 'DNS',
      lifecycle: { create_before_destroy: true },
    });
    expect(resource(prodStack, 'aws_route53_record', 'load_balancer_certificate_validation_record').zone_id).toBe(prod.https!.hostedZoneId);
    expect(resource(prodStack, 'aws_route53_record', 'load_balancer_alias_record')).toMatchObject({
      name: 'app.example.com',
      type: 'A',
      alias: { name: '${aws_lb.load_balancer_alb.dns_name}', zone_id: '${aws_lb.load_balancer_alb.zone_id}', evaluate_target_health: true },
    });
    expect(warnings['web-prod']).toEqual([]);
  });

  it('prod: one validation record per name ACM asks to see, keyed by domain; the unkeyed record of earlier deploys moves to its key', () => {
    const record = resource(prodStack, 'aws_route53_record', 'load_balancer_certificate_validation_record');
    expect(record).toMatchObject({
      for_each:
        '${{ for key, val in tolist(aws_acm_certificate.load_balancer_certificate.domain_validation_options): val.domain_name => val }}',
      name: '${each.value.resource_record_name}',
      type: '${each.value.resource_record_type}',
      records: ['${each.value.resource_record_value}'],
    });
    expect(resource(prodStack, 'aws_acm_certificate_validation', 'load_balancer_certificate_validation').validation_record_fqdns).toBe(
      '${[ for key, val in aws_route53_record.load_balancer_certificate_validation_record: val.fqdn]}',
    );
    expect(prodStack.moved).toEqual([
      {
        from: 'aws_route53_record.load_balancer_certificate_validation_record',
        to: `aws_route53_record.load_balancer_certificate_validation_record[${JSON.stringify(prod.https!.domainName)}]`,
      },
    ]);
  });

  it('with an existing certificate ARN: no certificate or DNS records are created', () => {
    const arn = 'arn:aws:acm:eu-west-1:111111111111:certificate/0a1b2c3d-0000-4000-8000-00000000abcd';
    const stack = synth(single('prod', { https: { domainName: 'app.example.com', certificateArn: arn }, frontends: [] })).stacks[
      'web-prod'
    ];
    expect(resource(stack, 'aws_lb_listener', 'load_balancer_https_listener').certificate_arn).toBe(arn);
    expect(resources(stack, 'aws_acm_certificate')).toEqual({});
    expect(resources(stack, 'aws_route53_record')).toEqual({});
    expect(stack.moved).toBeUndefined();
  });

  it('dev without HTTPS: plain HTTP forward, with a synth-time warning', () => {
    expect(Object.keys(resources(devStack, 'aws_lb_listener'))).toEqual(['load_balancer_http_listener']);
    expect(resource(devStack, 'aws_lb_listener', 'load_balancer_http_listener')).toMatchObject({
      protocol: 'HTTP',
      default_action: [{ type: 'forward', target_group_arn: '${aws_lb_target_group.load_balancer_target_group.arn}' }],
    });
    expect(warnings['web-dev']).toContain(
      'web-dev: no HTTPS settings — the load balancer serves plain HTTP. Set "https" in the environment config for production traffic.',
    );
  });
});
