/**
 * The settings the policy pack made us add, asserted on the synthesized stacks, one per security-relevant
 * setting: WAF, alerting, alarms, scaling notifications, log bucket access logs, scoped IAM, database port.
 */
import { dev as devConfig, prod as prodConfig } from '../config/environments';
import { apiBehindEdge } from '../config/edge';
import { configWith } from './support/config';
import { environmentStacks } from './support/stacks';
import { resource, resources, synth } from './support/synth';

const { stacks } = synth();
const prod = stacks['web-prod'];
const dev = stacks['web-dev'];
const KEY = '${aws_kms_key.encryption_key.arn}';
const TOPIC = '${aws_sns_topic.alerts_topic.arn}';

describe.each(environmentStacks())('$stack: web firewall of the load balancer', ({ env, stack: name }) => {
  const acl = resource(synth().stacks[name], 'aws_wafv2_web_acl', 'web_firewall_web_acl');
  const behind = apiBehindEdge(env);

  it(
    behind
      ? 'behind the edge: runs the managed groups that inspect the request itself (those that judge the address would judge CloudFront’s), enforced'
      : 'runs the AWS managed rule groups, IP reputation included, enforced (no count override)',
    () => {
      const managed = acl.rule.filter((r: any) => r.statement.managed_rule_group_statement);
      expect(
        managed.map((r: any) => [
          r.statement.managed_rule_group_statement.name,
          r.statement.managed_rule_group_statement.vendor_name,
          r.override_action,
        ]),
      ).toEqual([
        ...(behind ? [] : [['AWSManagedRulesAmazonIpReputationList', 'AWS', { none: {} }]]),
        ['AWSManagedRulesCommonRuleSet', 'AWS', { none: {} }],
        ['AWSManagedRulesKnownBadInputsRuleSet', 'AWS', { none: {} }],
      ]);
    },
  );

  it(
    behind
      ? 'behind the edge: no per-IP rate limit (it would count CloudFront’s addresses; the edge web ACLs count the clients)'
      : 'blocks a client IP above the configured requests in 5 minutes (2000 by default)',
    () => {
      const rate = acl.rule.find((r: any) => r.name === 'rate-limit-per-ip');
      if (behind) {
        expect(acl.rule.filter((r: any) => r.statement.rate_based_statement)).toEqual([]);
        return;
      }
      expect(rate.action).toEqual({ block: {} });
      expect(rate.statement.rate_based_statement).toEqual({ aggregate_key_type: 'IP', limit: env.webFirewall.requestsPerFiveMinutes });
    },
  );
});

describe('web firewall', () => {
  const acl = resource(prod, 'aws_wafv2_web_acl', 'web_firewall_web_acl');

  it('takes the rate limit from config (a public load balancer)', () => {
    const { stacks: s } = synth(
      configWith((e) => {
        e.webFirewall = { enabled: true, requestsPerFiveMinutes: 500 };
      }, 'dev'),
    );
    const rate = resource(s['web-dev'], 'aws_wafv2_web_acl', 'web_firewall_web_acl').rule.find((r: any) => r.name === 'rate-limit-per-ip');
    expect(rate.statement.rate_based_statement.limit).toBe(500);
  });

  it('defaults to allow and is scoped to the regional load balancer', () => {
    expect(acl.scope).toBe('REGIONAL');
    expect(acl.default_action).toEqual({ allow: {} });
    expect(resource(prod, 'aws_wafv2_web_acl_association', 'web_firewall_association')).toMatchObject({
      resource_arn: '${aws_lb.load_balancer_alb.arn}',
      web_acl_arn: '${aws_wafv2_web_acl.web_firewall_web_acl.arn}',
    });
  });

  it('logs to an encrypted log group named aws-waf-logs-*', () => {
    expect(resource(prod, 'aws_cloudwatch_log_group', 'web_firewall_log_group')).toMatchObject({
      name: 'aws-waf-logs-web-prod',
      kms_key_id: KEY,
      retention_in_days: 365,
    });
    expect(resource(prod, 'aws_wafv2_web_acl_logging_configuration', 'web_firewall_logging').log_destination_configs).toEqual([
      '${aws_cloudwatch_log_group.web_firewall_log_group.arn}',
    ]);
  });

  it('is on in dev too', () => {
    // The load balancer's, and one at the edge per front-end.
    const edge = (devConfig.frontends ?? []).map((f) => `frontend_${f.name}_firewall_web_acl`);
    expect(Object.keys(resources(dev, 'aws_wafv2_web_acl')).sort()).toEqual(['web_firewall_web_acl', ...edge].sort());
  });
});

describe('alerting', () => {
  it('the topic is encrypted with the stack key', () => {
    expect(resource(prod, 'aws_sns_topic', 'alerts_topic').kms_master_key_id).toBe(KEY);
  });

  it('the topic refuses publishing without TLS and accepts CloudWatch of this account only', () => {
    const policy = JSON.parse(resource(prod, 'aws_sns_topic_policy', 'alerts_topic_policy').policy);
    expect(policy.Statement[0]).toEqual({
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 'sns:Publish',
      Resource: TOPIC,
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    const cloudwatch = policy.Statement.find((s: any) => s.Sid === 'CloudWatchAlarmsPublish');
    expect(cloudwatch.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': '111111111111' } });
  });

  it('prod e-mails the configured address; dev has no subscription', () => {
    expect(resource(prod, 'aws_sns_topic_subscription', 'alerts_email_subscription')).toMatchObject({
      protocol: 'email',
      endpoint: 'ops@example.com',
      topic_arn: TOPIC,
    });
    expect(resources(dev, 'aws_sns_topic_subscription')).toEqual({});
  });

  it('the key lets CloudWatch and the Auto Scaling service-linked role use it, through SNS only for the latter', () => {
    const policy = JSON.parse(resource(prod, 'aws_kms_key', 'encryption_key').policy);
    const asg = policy.Statement.find((s: any) => s.Sid === 'AutoScalingNotifiesEncryptedTopics');
    expect(asg.Condition.StringEquals).toEqual({ 'kms:CallerAccount': '111111111111', 'kms:ViaService': 'sns.eu-west-1.amazonaws.com' });
    expect(asg.Condition.ArnEquals['aws:PrincipalArn']).toBe(
      'arn:aws:iam::111111111111:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling',
    );
    expect(policy.Statement.find((s: any) => s.Sid === 'CloudWatchAlarmsPublishToEncryptedTopics').Principal).toEqual({
      Service: 'cloudwatch.amazonaws.com',
    });
  });

  it('every alarm notifies the topic', () => {
    for (const alarm of Object.values(resources(prod, 'aws_cloudwatch_metric_alarm'))) expect(alarm.alarm_actions).toContain(TOPIC);
  });

  it('pages on unhealthy hosts, 5xx, database CPU and free storage', () => {
    const alarms = resources(prod, 'aws_cloudwatch_metric_alarm');
    expect(alarms.alarms_unhealthy_hosts).toMatchObject({
      metric_name: 'UnHealthyHostCount',
      threshold: 1,
      comparison_operator: 'GreaterThanOrEqualToThreshold',
    });
    expect(alarms.alarms_unhealthy_hosts.dimensions.TargetGroup).toBe('${aws_lb_target_group.load_balancer_target_group.arn_suffix}');
    expect(alarms.alarms_load_balancer_5xx).toMatchObject({ metric_name: 'HTTPCode_ELB_5XX_Count', threshold: 10 });
    expect(alarms.alarms_target_5xx).toMatchObject({ metric_name: 'HTTPCode_Target_5XX_Count', threshold: 10 });
    expect(alarms.alarms_database_cpu).toMatchObject({
      metric_name: 'CPUUtilization',
      threshold: 80,
      dimensions: { DBInstanceIdentifier: '${aws_db_instance.database_instance.identifier}' },
    });
    // 10 % of prod's 50 GiB.
    expect(alarms.alarms_database_free_storage).toMatchObject({
      metric_name: 'FreeStorageSpace',
      threshold: 5368709120,
      comparison_operator: 'LessThanThreshold',
    });
  });

  it('the auto scaling group reports every launch, termination and failure', () => {
    expect(resource(prod, 'aws_autoscaling_notification', 'alerts_scaling_notifications')).toMatchObject({
      group_names: ['${aws_autoscaling_group.app_servers_auto_scaling_group.name}'],
      notifications: [
        'autoscaling:EC2_INSTANCE_LAUNCH',
        'autoscaling:EC2_INSTANCE_LAUNCH_ERROR',
        'autoscaling:EC2_INSTANCE_TERMINATE',
        'autoscaling:EC2_INSTANCE_TERMINATE_ERROR',
      ],
      topic_arn: TOPIC,
    });
  });
});

describe('log buckets', () => {
  it('the ALB log bucket sends its server access logs to a second bucket', () => {
    expect(resource(prod, 'aws_s3_bucket_logging', 'load_balancer_access_logs_access_logging')).toMatchObject({
      bucket: '${aws_s3_bucket.load_balancer_access_logs_bucket.id}',
      target_bucket: '${aws_s3_bucket.load_balancer_s3_access_logs_bucket.id}',
    });
  });

  it.each(Object.keys(stacks))('%s: every bucket logging waits for the policy that lets S3 write to its target', (name) => {
    const loggings = Object.values(resources(stacks[name], 'aws_s3_bucket_logging'));
    expect(loggings.length).toBeGreaterThan(0);
    for (const logging of loggings) {
      // S3 refuses PutBucketLogging (InvalidTargetBucketForLogging) until the target's policy grants it.
      const target = /^\$\{aws_s3_bucket\.([^.]+)\.id\}$/.exec(logging.target_bucket)![1];
      const [policy] = Object.entries(resources(stacks[name], 'aws_s3_bucket_policy')).filter(
        ([, p]) => p.bucket === `\${aws_s3_bucket.${target}.id}`,
      );
      expect(logging.depends_on).toEqual([`aws_s3_bucket_policy.${policy[0]}`]);
    }
  });

  it('only S3 logging for the ALB log bucket of this account may write the access logs', () => {
    const policy = JSON.parse(resource(prod, 'aws_s3_bucket_policy', 'load_balancer_s3_access_logs_policy').policy);
    expect(policy.Statement[1]).toMatchObject({
      Principal: { Service: 'logging.s3.amazonaws.com' },
      Action: 's3:PutObject',
      Condition: {
        // The ALB's log bucket and every PrivateBucket of the stack (the front-ends').
        ArnLike: {
          'aws:SourceArn': [
            'arn:aws:s3:::web-prod-alb-logs-111111111111-eu-west-1',
            ...(prodConfig.frontends ?? []).map((f) => `arn:aws:s3:::web-prod-${f.name}-frontend-111111111111-eu-west-1`),
          ],
        },
        StringEquals: { 'aws:SourceAccount': '111111111111' },
      },
    });
  });

  it.each(['load_balancer_access_logs', 'load_balancer_s3_access_logs'])(
    '%s: private, versioned, encrypted, TLS only, events to EventBridge',
    (name) => {
      expect(resource(prod, 'aws_s3_bucket_public_access_block', `${name}_public_access_block`)).toMatchObject({
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
      expect(resource(prod, 'aws_s3_bucket_versioning', `${name}_versioning`).versioning_configuration).toEqual({ status: 'Enabled' });
      expect(
        resource(prod, 'aws_s3_bucket_server_side_encryption_configuration', `${name}_encryption`).rule[0]
          .apply_server_side_encryption_by_default,
      ).toEqual({ sse_algorithm: 'AES256' });
      expect(JSON.parse(resource(prod, 'aws_s3_bucket_policy', `${name}_policy`).policy).Statement[0].Sid).toBe('DenyInsecureTransport');
      expect(resource(prod, 'aws_s3_bucket_notification', `${name}_notifications`).eventbridge).toBe(true);
    },
  );

  it('both are kept in prod and force-destroyed in dev', () => {
    for (const name of ['load_balancer_access_logs_bucket', 'load_balancer_s3_access_logs_bucket']) {
      expect(resource(prod, 'aws_s3_bucket', name)).toMatchObject({ force_destroy: false, lifecycle: { prevent_destroy: true } });
      expect(resource(dev, 'aws_s3_bucket', name).force_destroy).toBe(true);
      expect(resource(dev, 'aws_s3_bucket', name).lifecycle).toBeUndefined();
    }
  });
});

describe('IAM and database', () => {
  it('attaches no AWS managed policy but SSM core', () => {
    expect(Object.values(resources(prod, 'aws_iam_role_policy_attachment')).map((a) => a.policy_arn)).toEqual([
      'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
    ]);
  });

  it('the monitoring role writes only to this account and region’s RDSOSMetrics group', () => {
    const policy = JSON.parse(resource(prod, 'aws_iam_role_policy', 'database_monitoring_role_policy').policy);
    expect(policy.Statement.map((s: any) => s.Resource)).toEqual([
      'arn:aws:logs:eu-west-1:111111111111:log-group:RDSOSMetrics',
      'arn:aws:logs:eu-west-1:111111111111:log-group:RDSOSMetrics:log-stream:*',
    ]);
  });

  it('app servers publish agent metrics to the CWAgent namespace only', () => {
    const policy = JSON.parse(resource(prod, 'aws_iam_role_policy', 'app_servers_role_publish_metrics').policy);
    expect(policy.Statement[0]).toMatchObject({
      Action: 'cloudwatch:PutMetricData',
      Condition: { StringEquals: { 'cloudwatch:namespace': 'CWAgent' } },
    });
  });

  it('the database listens on a non-default port, open to the app servers only', () => {
    expect(resource(prod, 'aws_db_instance', 'database_instance').port).toBe(3307);
    expect(resource(prod, 'aws_vpc_security_group_ingress_rule', 'database_security_group_ingress_from_app')).toMatchObject({
      from_port: 3307,
      to_port: 3307,
    });
  });

  it('dev keeps a week of backups', () => {
    expect(resource(dev, 'aws_db_instance', 'database_instance').backup_retention_period).toBe(7);
  });
});
