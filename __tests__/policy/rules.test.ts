/**
 * cdk-nag-shaped rule tests: for every rule, a non-compliant case and a compliant case built from real
 * provider constructs in a test stack, checked as the policy aspect checks them.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { TerraformLocal, type TerraformStack } from 'cdktf';
import { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate';
import type { AutoscalingGroupConfig } from '@cdktf/provider-aws/lib/autoscaling-group';
import { AutoscalingNotification } from '@cdktf/provider-aws/lib/autoscaling-notification';
import { CloudwatchLogDelivery } from '@cdktf/provider-aws/lib/cloudwatch-log-delivery';
import { CloudwatchLogDeliveryDestination } from '@cdktf/provider-aws/lib/cloudwatch-log-delivery-destination';
import { CloudwatchLogDeliverySource } from '@cdktf/provider-aws/lib/cloudwatch-log-delivery-source';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import { EcrRepository, type EcrRepositoryConfig } from '@cdktf/provider-aws/lib/ecr-repository';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { Route } from '@cdktf/provider-aws/lib/route';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketLoggingA as S3BucketLogging } from '@cdktf/provider-aws/lib/s3-bucket-logging';
import { S3BucketNotification } from '@cdktf/provider-aws/lib/s3-bucket-notification';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketReplicationConfigurationA as S3BucketReplicationConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-replication-configuration';
import { S3BucketServerSideEncryptionConfigurationA as S3BucketServerSideEncryptionConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA as S3BucketVersioning } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { Wafv2WebAclAssociation } from '@cdktf/provider-aws/lib/wafv2-web-acl-association';
import { Wafv2WebAclLoggingConfiguration } from '@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration';
import { ALL_RULES } from '../../policy/rules';
import {
  ASSUME_EC2,
  autoScalingGroup,
  bucket,
  database,
  distribution,
  launchTemplate,
  loadBalancer,
  logGroup,
  parameterGroup,
  role,
  targetGroup,
  userDataFromLocal,
  webAcl,
} from './builders';
import { check, key, network, testStack, topic } from './fixtures';

type Build = (s: TerraformStack) => void;
interface Case {
  /** Address of the resource the rule is checked on. */
  readonly address: string;
  readonly bad: Build;
  readonly good: Build;
}

const policyDoc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const denyNoTls = (action: string, resource: string) => ({
  Effect: 'Deny',
  Principal: '*',
  Action: action,
  Resource: resource,
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
});
const sg = (s: TerraformStack, description = 'app servers') => new SecurityGroup(s, 'sg', { name: 'sg', description, vpcId: 'vpc-1' });
const ingress = (s: TerraformStack, cidrIpv4: string, port: number, ipProtocol = 'tcp') =>
  new VpcSecurityGroupIngressRule(s, 'in', {
    securityGroupId: sg(s).id,
    cidrIpv4,
    ipProtocol,
    fromPort: port,
    toPort: port,
    description: 'in',
  });
const egress = (s: TerraformStack, cidrIpv4: string, ipProtocol = 'tcp') =>
  new VpcSecurityGroupEgressRule(s, 'out', {
    securityGroupId: sg(s).id,
    cidrIpv4,
    ipProtocol,
    fromPort: ipProtocol === '-1' ? undefined : 443,
    toPort: ipProtocol === '-1' ? undefined : 443,
    description: 'out',
  });
const listener = (s: TerraformStack, config: Partial<ConstructorParameters<typeof LbListener>[2]>) =>
  new LbListener(s, 'listener', {
    loadBalancerArn: 'arn:aws:elasticloadbalancing:eu-west-1:1:loadbalancer/app/x/1',
    port: 443,
    defaultAction: [{ type: 'forward', targetGroupArn: 'tg' }],
    ...config,
  });
const roleWithPolicy = (s: TerraformStack, policy: string) => new IamRolePolicy(s, 'policy', { role: role(s).id, policy });
const GITHUB = 'token.actions.githubusercontent.com';
/** A role that GitHub's tokens (an OpenID Connect provider of the stack) may assume under `condition`. */
const oidcRole = (s: TerraformStack, condition?: Record<string, Record<string, string | string[]>>) => {
  const provider = new IamOpenidConnectProvider(s, 'github', { url: `https://${GITHUB}`, clientIdList: ['sts.amazonaws.com'] });
  return role(
    s,
    'role',
    policyDoc({ Effect: 'Allow', Principal: { Federated: provider.arn }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: condition }),
  );
};
const PINNED = {
  StringEquals: {
    [`${GITHUB}:aud`]: 'sts.amazonaws.com',
    [`${GITHUB}:sub`]: ['repo:acme/web:ref:refs/heads/main', 'repo:acme/web:pull_request'],
  },
};
/** A managed policy of `count` statements, each naming one bucket's objects. */
const managedPolicy = (s: TerraformStack, count: number) =>
  new IamPolicy(s, 'policy', {
    name: 'p',
    policy: policyDoc(
      ...Array.from({ length: count }, (_, i) => ({ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::bucket-${i}/*` })),
    ),
  });
const alarm = (s: TerraformStack, metricName: string, dimensions: Record<string, string>, id = metricName) =>
  new CloudwatchMetricAlarm(s, id, {
    alarmName: id,
    namespace: 'x',
    metricName,
    dimensions,
    comparisonOperator: 'GreaterThanThreshold',
    evaluationPeriods: 1,
    period: 60,
    statistic: 'Sum',
    threshold: 1,
    alarmActions: [topic(s, `${id}_topic`).arn],
  });
/** A bucket with one companion resource built by `companion` (or none). */
const bucketWith =
  (companion?: (s: TerraformStack, bucketId: string, bucketArn: string) => void): Build =>
  (s) => {
    const b = bucket(s);
    companion?.(s, b.id, b.arn);
  };
/** A NAT gateway in zone `natZone` serving a route table associated with a subnet in `subnetZone`. */
const natRoute =
  (natZone: 'a' | 'b', subnetZone: 'a' | 'b'): Build =>
  (s) => {
    const { subnets } = network(s);
    const zone = (z: 'a' | 'b') => subnets[z === 'a' ? 0 : 1];
    const nat = new NatGateway(s, 'nat', { subnetId: zone(natZone).id, allocationId: 'eipalloc-1' });
    const table = new RouteTable(s, 'table', { vpcId: 'vpc-1' });
    new RouteTableAssociation(s, 'assoc', { routeTableId: table.id, subnetId: zone(subnetZone).id });
    new Route(s, 'route', { routeTableId: table.id, destinationCidrBlock: '0.0.0.0/0', natGatewayId: nat.id });
  };

/** `repo`: an ECR repository compliant with every ECR rule unless `overrides` says otherwise. */
const repository = (s: TerraformStack, overrides: Partial<EcrRepositoryConfig> = {}) =>
  new EcrRepository(s, 'repo', {
    name: 'app',
    imageTagMutability: 'IMMUTABLE',
    imageScanningConfiguration: { scanOnPush: true },
    encryptionConfiguration: [{ encryptionType: 'KMS', kmsKey: key(s).arn }],
    ...overrides,
  });
const s3Endpoint = (s: TerraformStack, policy?: string) =>
  new VpcEndpoint(s, 'endpoint', { vpcId: 'vpc-1', serviceName: 'com.amazonaws.eu-west-1.s3', vpcEndpointType: 'Gateway', policy });
/**
 * A group left to releases (no Terraform instance refresh, its version ignored after creation, unless `group`
 * says otherwise) whose rollout settings — the local a release sends — have `preferences`, on a template with
 * AMI `imageId` at its latest version.
 */
const released = (
  s: TerraformStack,
  preferences: Record<string, unknown>,
  imageId = 'ami-0123456789abcdef0',
  group: Partial<AutoscalingGroupConfig> = { lifecycle: { ignoreChanges: ['launch_template[0].version'] } },
) => {
  const asg = autoScalingGroup(s, group);
  const template = s.node.findChild('lt') as LaunchTemplate;
  template.imageId = imageId;
  asg.putLaunchTemplate({ id: template.id, version: template.latestVersion.toString() });
  new TerraformLocal(s, 'rollout', { auto_scaling_group: asg.name, launch_template_id: template.id, preferences });
};
const ROLLBACK = { auto_rollback: true, alarms: ['web-prod-target-5xx'] };

const CASES: Readonly<Record<string, Case>> = {
  'ecr-scan-on-push': {
    address: 'aws_ecr_repository.repo',
    bad: (s) => {
      repository(s, { imageScanningConfiguration: { scanOnPush: false } });
    },
    good: (s) => {
      repository(s);
    },
  },
  'ecr-immutable-tags': {
    address: 'aws_ecr_repository.repo',
    bad: (s) => {
      repository(s, { imageTagMutability: 'MUTABLE' });
    },
    good: (s) => {
      repository(s);
    },
  },
  'ecr-kms-encrypted': {
    address: 'aws_ecr_repository.repo',
    bad: (s) => {
      repository(s, { encryptionConfiguration: [{ encryptionType: 'AES256' }] });
    },
    good: (s) => {
      repository(s);
    },
  },
  'ecr-lifecycle-policy': {
    address: 'aws_ecr_repository.repo',
    bad: (s) => {
      repository(s);
    },
    good: (s) => {
      const repo = repository(s);
      new EcrLifecyclePolicy(s, 'lifecycle', {
        repository: repo.name,
        policy: JSON.stringify({
          rules: [
            {
              rulePriority: 1,
              selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 20 },
              action: { type: 'expire' },
            },
          ],
        }),
      });
    },
  },
  'vpc-endpoint-policy-restricted': {
    address: 'aws_vpc_endpoint.endpoint',
    bad: (s) => {
      s3Endpoint(s, policyDoc({ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' }));
    },
    good: (s) => {
      s3Endpoint(
        s,
        policyDoc({
          Effect: 'Allow',
          Principal: '*',
          Action: 's3:*',
          Resource: '*',
          Condition: { StringEquals: { 'aws:ResourceAccount': '111111111111' } },
        }),
      );
    },
  },
  'asg-refresh-zero-downtime': {
    address: 'aws_autoscaling_group.asg',
    bad: (s) => {
      released(s, { min_healthy_percentage: 90, max_healthy_percentage: 100 });
    },
    good: (s) => {
      released(s, { min_healthy_percentage: 100, max_healthy_percentage: 200 });
    },
  },
  'asg-refresh-rollback': {
    address: 'aws_autoscaling_group.asg',
    bad: (s) => {
      released(s, ROLLBACK, 'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64');
    },
    good: (s) => {
      released(s, ROLLBACK);
    },
  },
  'vpc-flow-logs': {
    address: 'aws_vpc.vpc',
    bad: (s) => {
      network(s);
    },
    good: (s) => {
      const { vpc } = network(s);
      new FlowLog(s, 'flow', { vpcId: vpc.id, trafficType: 'ALL', logDestination: logGroup(s).arn });
    },
  },
  'vpc-default-security-group-closed': {
    address: 'aws_vpc.vpc',
    bad: (s) => {
      const { vpc } = network(s);
      new DefaultSecurityGroup(s, 'default_sg', {
        vpcId: vpc.id,
        egress: [{ protocol: '-1', fromPort: 0, toPort: 0, cidrBlocks: ['0.0.0.0/0'] }],
      });
    },
    good: (s) => {
      const { vpc } = network(s);
      new DefaultSecurityGroup(s, 'default_sg', { vpcId: vpc.id });
    },
  },
  'subnet-no-public-ip': {
    address: 'aws_subnet.subnet_a',
    bad: (s) => {
      network(s).subnets[0].mapPublicIpOnLaunch = true;
    },
    good: (s) => {
      network(s);
    },
  },
  'eip-attached': {
    address: 'aws_eip.eip',
    bad: (s) => {
      new Eip(s, 'eip', { domain: 'vpc' });
    },
    good: (s) => {
      new NatGateway(s, 'nat', { subnetId: 'subnet-1', allocationId: new Eip(s, 'eip', { domain: 'vpc' }).allocationId });
    },
  },
  'security-group-described': {
    address: 'aws_vpc_security_group_ingress_rule.in',
    bad: (s) => {
      new VpcSecurityGroupIngressRule(s, 'in', {
        securityGroupId: sg(s).id,
        referencedSecurityGroupId: 'sg-2',
        ipProtocol: 'tcp',
        fromPort: 1,
        toPort: 1,
      });
    },
    good: (s) => {
      ingress(s, '10.0.0.0/16', 8080);
    },
  },
  'security-group-no-public-ingress': {
    address: 'aws_vpc_security_group_ingress_rule.in',
    bad: (s) => {
      ingress(s, '0.0.0.0/0', 443);
    },
    good: (s) => {
      ingress(s, '10.0.0.0/16', 443);
    },
  },
  'security-group-no-public-admin-ports': {
    address: 'aws_vpc_security_group_ingress_rule.in',
    bad: (s) => {
      ingress(s, '0.0.0.0/0', 22);
    },
    good: (s) => {
      ingress(s, '0.0.0.0/0', 443);
    },
  },
  'security-group-no-public-egress': {
    address: 'aws_vpc_security_group_egress_rule.out',
    bad: (s) => {
      egress(s, '0.0.0.0/0');
    },
    good: (s) => {
      egress(s, '10.0.0.0/16');
    },
  },
  'security-group-egress-restricted': {
    address: 'aws_vpc_security_group_egress_rule.out',
    bad: (s) => {
      egress(s, '0.0.0.0/0', '-1');
    },
    good: (s) => {
      egress(s, '0.0.0.0/0');
    },
  },
  'security-group-attached': {
    address: 'aws_security_group.sg',
    bad: (s) => {
      sg(s);
    },
    good: (s) => {
      launchTemplate(s, { vpcSecurityGroupIds: [sg(s).id] });
    },
  },
  'elb-access-logs': {
    address: 'aws_lb.lb',
    bad: (s) => {
      loadBalancer(s, { accessLogs: { bucket: 'logs', enabled: false } });
    },
    good: (s) => {
      loadBalancer(s);
    },
  },
  'elb-drop-invalid-headers': {
    address: 'aws_lb.lb',
    bad: (s) => {
      loadBalancer(s, { dropInvalidHeaderFields: false });
    },
    good: (s) => {
      loadBalancer(s);
    },
  },
  'elb-deletion-protection': {
    address: 'aws_lb.lb',
    bad: (s) => {
      loadBalancer(s, { enableDeletionProtection: false });
    },
    good: (s) => {
      loadBalancer(s);
    },
  },
  'elb-internal': {
    address: 'aws_lb.lb',
    bad: (s) => {
      loadBalancer(s, { internal: false });
    },
    good: (s) => {
      loadBalancer(s);
    },
  },
  'elb-desync-mitigation': {
    address: 'aws_lb.lb',
    bad: (s) => {
      loadBalancer(s, { desyncMitigationMode: 'monitor' });
    },
    good: (s) => {
      loadBalancer(s, { desyncMitigationMode: 'strictest' });
    },
  },
  'elb-waf': {
    address: 'aws_lb.lb',
    bad: (s) => {
      loadBalancer(s, { internal: false });
    },
    good: (s) => {
      const lb = loadBalancer(s, { internal: false });
      new Wafv2WebAclAssociation(s, 'assoc', { resourceArn: lb.arn, webAclArn: webAcl(s, []).arn });
    },
  },
  'elb-listener-https': {
    address: 'aws_lb_listener.listener',
    bad: (s) => {
      listener(s, { port: 80, protocol: 'HTTP' });
    },
    good: (s) => {
      listener(s, {
        port: 80,
        protocol: 'HTTP',
        defaultAction: [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } }],
      });
    },
  },
  'elb-listener-tls-policy': {
    address: 'aws_lb_listener.listener',
    bad: (s) => {
      listener(s, { protocol: 'HTTPS', sslPolicy: 'ELBSecurityPolicy-2016-08', certificateArn: 'c' });
    },
    good: (s) => {
      listener(s, { protocol: 'HTTPS', sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06', certificateArn: 'c' });
    },
  },
  'elb-target-group-health-check': {
    address: 'aws_lb_target_group.tg',
    bad: (s) => {
      targetGroup(s, { healthCheck: { enabled: false } });
    },
    good: (s) => {
      targetGroup(s);
    },
  },
  'elb-target-group-https': {
    address: 'aws_lb_target_group.tg',
    bad: (s) => {
      targetGroup(s, { protocol: 'HTTP' });
    },
    good: (s) => {
      targetGroup(s);
    },
  },
  'waf-managed-rules': {
    address: 'aws_wafv2_web_acl.acl',
    bad: (s) => {
      webAcl(s, ['AWSManagedRulesCommonRuleSet']);
    },
    good: (s) => {
      webAcl(s, ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet']);
    },
  },
  'waf-logging': {
    address: 'aws_wafv2_web_acl.acl',
    bad: (s) => {
      webAcl(s, []);
    },
    good: (s) => {
      new Wafv2WebAclLoggingConfiguration(s, 'logging', { resourceArn: webAcl(s, []).arn, logDestinationConfigs: [logGroup(s).arn] });
    },
  },
  'waf-metrics': {
    address: 'aws_wafv2_web_acl.acl',
    bad: (s) => {
      webAcl(s, [], { visibilityConfig: { cloudwatchMetricsEnabled: false, sampledRequestsEnabled: true, metricName: 'm' } });
    },
    good: (s) => {
      webAcl(s, ['AWSManagedRulesCommonRuleSet']);
    },
  },
  'ec2-imdsv2': {
    address: 'aws_launch_template.lt',
    bad: (s) => {
      launchTemplate(s, { metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'optional' } });
    },
    good: (s) => {
      launchTemplate(s);
    },
  },
  'ec2-ebs-encrypted': {
    address: 'aws_launch_template.lt',
    bad: (s) => {
      launchTemplate(s, { blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { volumeSize: 20 } }] });
    },
    good: (s) => {
      launchTemplate(s);
    },
  },
  'ec2-no-public-ip': {
    address: 'aws_launch_template.lt',
    bad: (s) => {
      launchTemplate(s, { networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: 'true' }] });
    },
    good: (s) => {
      launchTemplate(s);
    },
  },
  'ec2-detailed-monitoring': {
    address: 'aws_launch_template.lt',
    bad: (s) => {
      launchTemplate(s, { monitoring: { enabled: false } });
    },
    good: (s) => {
      launchTemplate(s);
    },
  },
  'ec2-ebs-optimized': {
    address: 'aws_launch_template.lt',
    bad: (s) => {
      launchTemplate(s, { ebsOptimized: 'false' });
    },
    good: (s) => {
      launchTemplate(s);
    },
  },
  'ec2-no-secrets-in-user-data': {
    address: 'aws_launch_template.lt',
    bad: (s) => {
      launchTemplate(s, { userData: userDataFromLocal(s, '#!/bin/bash\nexport DB_PASSWORD=hunter2hunter2\n') });
    },
    good: (s) => {
      launchTemplate(s, {
        userData: userDataFromLocal(s, '#!/bin/bash\nexport DB_SECRET_ARN=arn:aws:secretsmanager:eu-west-1:1:secret:x\n'),
      });
    },
  },
  'asg-elb-health-check': {
    address: 'aws_autoscaling_group.asg',
    bad: (s) => {
      autoScalingGroup(s, { healthCheckType: 'EC2' });
    },
    good: (s) => {
      autoScalingGroup(s);
    },
  },
  'asg-notifications': {
    address: 'aws_autoscaling_group.asg',
    bad: (s) => {
      new AutoscalingNotification(s, 'notify', {
        groupNames: [autoScalingGroup(s).name],
        notifications: ['autoscaling:EC2_INSTANCE_LAUNCH'],
        topicArn: topic(s).arn,
      });
    },
    good: (s) => {
      new AutoscalingNotification(s, 'notify', {
        groupNames: [autoScalingGroup(s).name],
        notifications: [
          'autoscaling:EC2_INSTANCE_LAUNCH',
          'autoscaling:EC2_INSTANCE_LAUNCH_ERROR',
          'autoscaling:EC2_INSTANCE_TERMINATE',
          'autoscaling:EC2_INSTANCE_TERMINATE_ERROR',
        ],
        topicArn: topic(s).arn,
      });
    },
  },
  'asg-launch-template': {
    address: 'aws_autoscaling_group.asg',
    bad: (s) => {
      autoScalingGroup(s, { launchTemplate: undefined, launchConfiguration: 'legacy' });
    },
    good: (s) => {
      autoScalingGroup(s);
    },
  },
  'asg-propagate-tags': {
    address: 'aws_autoscaling_group.asg',
    bad: (s) => {
      autoScalingGroup(s, { tag: [{ key: 'Name', value: 'app', propagateAtLaunch: false }] });
    },
    good: (s) => {
      autoScalingGroup(s);
    },
  },
  'asg-cooldown': {
    address: 'aws_autoscaling_group.asg',
    bad: (s) => {
      autoScalingGroup(s, { defaultCooldown: 0 });
    },
    good: (s) => {
      autoScalingGroup(s, { defaultCooldown: 300 });
    },
  },
  'rds-encrypted': {
    address: 'aws_db_instance.db',
    bad: (s) => {
      database(s, { kmsKeyId: 'arn:aws:kms:eu-west-1:1:key/other' });
    },
    good: (s) => {
      database(s);
    },
  },
  'rds-not-public': {
    address: 'aws_db_instance.db',
    bad: (s) => {
      database(s, { publiclyAccessible: true });
    },
    good: (s) => {
      database(s);
    },
  },
  'rds-iam-auth': {
    address: 'aws_db_instance.db',
    bad: (s) => {
      database(s, { iamDatabaseAuthenticationEnabled: false });
    },
    good: (s) => {
      database(s);
    },
  },
  'rds-deletion-protection': {
    address: 'aws_db_instance.db',
    bad: (s) => {
      database(s, { deletionProtection: false });
    },
    good: (s) => {
      database(s);
    },
  },
  'rds-backup-retention': {
    address: 'aws_db_instance.db',
    bad: (s) => {
      database(s, { backupRetentionPeriod: 1 });
    },
    good: (s) => {
      database(s, { backupRetentionPeriod: 7 });
    },
  },
  'rds-log-exports': {
    address: 'aws_db_instance.db',
    bad: (s) => {
      database(s, { enabledCloudwatchLogsExports: [] });
    },
    good: (s) => {
      database(s);
    },
  },
  'rds-enhanced-monitoring': {
    address: 'aws_db_instance.db',
    bad: (s) => {
      database(s, { monitoringInterval: 0 });
    },
    good: (s) => {
      database(s);
    },
  },
  'rds-performance-insights': {
    address: 'aws_db_instance.db',
    bad: (s) => {
      database(s, { performanceInsightsKmsKeyId: undefined });
    },
    good: (s) => {
      database(s);
    },
  },
  'rds-auto-minor-upgrade': {
    address: 'aws_db_instance.db',
    bad: (s) => {
      database(s, { autoMinorVersionUpgrade: false });
    },
    good: (s) => {
      database(s);
    },
  },
  'rds-copy-tags-to-snapshot': {
    address: 'aws_db_instance.db',
    bad: (s) => {
      database(s, { copyTagsToSnapshot: false });
    },
    good: (s) => {
      database(s);
    },
  },
  'rds-non-default-port': {
    address: 'aws_db_instance.db',
    bad: (s) => {
      database(s, { port: 3306 });
    },
    good: (s) => {
      database(s);
    },
  },
  'rds-tls-enforced': {
    address: 'aws_db_instance.db',
    bad: (s) => {
      database(s, { parameterGroupName: 'default.mysql8.4' });
    },
    good: (s) => {
      database(s);
    },
  },
  'rds-ca-certificate': {
    address: 'aws_db_instance.db',
    bad: (s) => {
      database(s, { caCertIdentifier: 'rds-ca-2019' });
    },
    good: (s) => {
      database(s);
    },
  },
  'rds-final-snapshot': {
    address: 'aws_db_instance.db',
    bad: (s) => {
      database(s, { skipFinalSnapshot: true, finalSnapshotIdentifier: undefined });
    },
    good: (s) => {
      database(s);
    },
  },
  'rds-managed-master-password': {
    address: 'aws_db_instance.db',
    bad: (s) => {
      database(s, { manageMasterUserPassword: undefined, masterUserSecretKmsKeyId: undefined, password: 'not-a-secret-anymore' });
    },
    good: (s) => {
      database(s);
    },
  },
  'rds-multi-az': {
    address: 'aws_db_instance.db',
    bad: (s) => {
      database(s, { multiAz: false });
    },
    good: (s) => {
      database(s);
    },
  },
  'rds-query-logging': {
    address: 'aws_db_parameter_group.params',
    bad: (s) => {
      parameterGroup(s, [{ name: 'require_secure_transport', value: '1' }]);
    },
    good: (s) => {
      parameterGroup(s);
    },
  },
  's3-public-access-block': {
    address: 'aws_s3_bucket.bucket',
    bad: bucketWith(
      (s, b) =>
        new S3BucketPublicAccessBlock(s, 'pab', {
          bucket: b,
          blockPublicAcls: true,
          blockPublicPolicy: true,
          ignorePublicAcls: true,
          restrictPublicBuckets: false,
        }),
    ),
    good: bucketWith(
      (s, b) =>
        new S3BucketPublicAccessBlock(s, 'pab', {
          bucket: b,
          blockPublicAcls: true,
          blockPublicPolicy: true,
          ignorePublicAcls: true,
          restrictPublicBuckets: true,
        }),
    ),
  },
  's3-encrypted': {
    address: 'aws_s3_bucket.bucket',
    bad: bucketWith(),
    good: bucketWith(
      (s, b) =>
        new S3BucketServerSideEncryptionConfiguration(s, 'sse', {
          bucket: b,
          rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
        }),
    ),
  },
  's3-kms-encrypted': {
    address: 'aws_s3_bucket.bucket',
    bad: bucketWith(
      (s, b) =>
        new S3BucketServerSideEncryptionConfiguration(s, 'sse', {
          bucket: b,
          rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
        }),
    ),
    good: bucketWith(
      (s, b) =>
        new S3BucketServerSideEncryptionConfiguration(s, 'sse', {
          bucket: b,
          rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: key(s).arn } }],
        }),
    ),
  },
  's3-versioning': {
    address: 'aws_s3_bucket.bucket',
    bad: bucketWith((s, b) => new S3BucketVersioning(s, 'versioning', { bucket: b, versioningConfiguration: { status: 'Suspended' } })),
    good: bucketWith((s, b) => new S3BucketVersioning(s, 'versioning', { bucket: b, versioningConfiguration: { status: 'Enabled' } })),
  },
  's3-access-logging': {
    address: 'aws_s3_bucket.bucket',
    bad: bucketWith((s, b) => new S3BucketLogging(s, 'logging', { bucket: b, targetBucket: b, targetPrefix: 'self/' })),
    good: bucketWith(
      (s, b) =>
        new S3BucketLogging(s, 'logging', {
          bucket: b,
          targetBucket: new S3Bucket(s, 'access_logs', { bucket: 'access-logs' }).id,
          targetPrefix: 'b/',
        }),
    ),
  },
  's3-ssl-only': {
    address: 'aws_s3_bucket.bucket',
    bad: bucketWith(
      (s, b, arn) =>
        new S3BucketPolicy(s, 'policy', {
          bucket: b,
          policy: policyDoc({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::1:root' }, Action: 's3:GetObject', Resource: `${arn}/*` }),
        }),
    ),
    good: bucketWith((s, b, arn) => new S3BucketPolicy(s, 'policy', { bucket: b, policy: policyDoc(denyNoTls('s3:*', `${arn}/*`)) })),
  },
  's3-lifecycle': {
    address: 'aws_s3_bucket.bucket',
    bad: bucketWith(
      (s, b) =>
        new S3BucketLifecycleConfiguration(s, 'lifecycle', {
          bucket: b,
          rule: [{ id: 'x', status: 'Enabled', filter: [{ prefix: '' }], expiration: [{ days: 30 }] }],
        }),
    ),
    good: bucketWith(
      (s, b) =>
        new S3BucketLifecycleConfiguration(s, 'lifecycle', {
          bucket: b,
          rule: [
            {
              id: 'x',
              status: 'Enabled',
              filter: [{ prefix: '' }],
              expiration: [{ days: 30 }],
              abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
            },
          ],
        }),
    ),
  },
  's3-event-notifications': {
    address: 'aws_s3_bucket.bucket',
    bad: bucketWith(),
    good: bucketWith((s, b) => new S3BucketNotification(s, 'events', { bucket: b, eventbridge: true })),
  },
  's3-replication': {
    address: 'aws_s3_bucket.bucket',
    bad: bucketWith(),
    good: bucketWith(
      (s, b) =>
        new S3BucketReplicationConfiguration(s, 'replication', {
          bucket: b,
          role: role(s).arn,
          rule: [{ status: 'Enabled', destination: { bucket: 'arn:aws:s3:::copy' } }],
        }),
    ),
  },
  's3-acls-disabled': {
    address: 'aws_s3_bucket.bucket',
    bad: bucketWith((s, b) => new S3BucketOwnershipControls(s, 'ownership', { bucket: b, rule: { objectOwnership: 'ObjectWriter' } })),
    good: bucketWith(
      (s, b) => new S3BucketOwnershipControls(s, 'ownership', { bucket: b, rule: { objectOwnership: 'BucketOwnerEnforced' } }),
    ),
  },
  'data-prevent-destroy': {
    address: 'aws_s3_bucket.bucket',
    bad: (s) => {
      bucket(s, { forceDestroy: true });
    },
    good: (s) => {
      bucket(s, { lifecycle: { preventDestroy: true } });
    },
  },
  'iam-no-wildcard-actions': {
    address: 'aws_iam_role_policy.policy',
    bad: (s) => {
      roleWithPolicy(s, policyDoc({ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::b/*' }));
    },
    good: (s) => {
      roleWithPolicy(s, policyDoc({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }));
    },
  },
  'iam-no-wildcard-resources': {
    address: 'aws_iam_role_policy.policy',
    bad: (s) => {
      roleWithPolicy(s, policyDoc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }));
    },
    good: (s) => {
      roleWithPolicy(s, policyDoc({ Effect: 'Allow', Action: 'cloudwatch:PutMetricData', Resource: '*' }));
    },
  },
  'iam-oidc-trust-pinned': {
    address: 'aws_iam_role.role',
    bad: (s) => {
      oidcRole(s, { StringLike: { [`${GITHUB}:sub`]: 'repo:acme/*' } });
    },
    good: (s) => {
      oidcRole(s, PINNED);
    },
  },
  'iam-policy-size': {
    address: 'aws_iam_policy.policy',
    bad: (s) => {
      managedPolicy(s, 100);
    },
    good: (s) => {
      managedPolicy(s, 10);
    },
  },
  'iam-no-managed-policies': {
    address: 'aws_iam_role_policy_attachment.attach',
    bad: (s) => {
      new IamRolePolicyAttachment(s, 'attach', { role: role(s).name, policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' });
    },
    good: (s) => {
      new IamRolePolicyAttachment(s, 'attach', { role: role(s).name, policyArn: 'arn:aws:iam::111111111111:policy/ours' });
    },
  },
  'iam-trust-scoped': {
    address: 'aws_iam_role.role',
    bad: (s) => {
      role(s, 'role', policyDoc({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }));
    },
    good: (s) => {
      role(s, 'role', ASSUME_EC2);
    },
  },
  'kms-rotation': {
    address: 'aws_kms_key.key',
    bad: (s) => {
      new KmsKey(s, 'key', {
        enableKeyRotation: false,
        policy: policyDoc({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::1:root' }, Action: 'kms:*', Resource: '*' }),
      });
    },
    good: (s) => {
      key(s);
    },
  },
  'kms-key-policy': {
    address: 'aws_kms_key.key',
    bad: (s) => {
      new KmsKey(s, 'key', {
        enableKeyRotation: true,
        policy: policyDoc({ Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' }),
      });
    },
    good: (s) => {
      new KmsKey(s, 'key', {
        enableKeyRotation: true,
        policy: policyDoc({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::1:root' }, Action: 'kms:*', Resource: '*' }),
      });
    },
  },
  'logs-encrypted': {
    address: 'aws_cloudwatch_log_group.logs',
    bad: (s) => {
      logGroup(s, { kmsKeyId: undefined });
    },
    good: (s) => {
      logGroup(s);
    },
  },
  'logs-retention': {
    address: 'aws_cloudwatch_log_group.logs',
    bad: (s) => {
      logGroup(s, { retentionInDays: undefined });
    },
    good: (s) => {
      logGroup(s);
    },
  },
  'sns-encrypted': {
    address: 'aws_sns_topic.topic',
    bad: (s) => {
      topic(s);
    },
    good: (s) => {
      new SnsTopic(s, 'topic', { kmsMasterKeyId: key(s).arn });
    },
  },
  'sns-ssl-only': {
    address: 'aws_sns_topic.topic',
    bad: (s) => {
      topic(s);
    },
    good: (s) => {
      const t = topic(s);
      new SnsTopicPolicy(s, 'policy', { arn: t.arn, policy: policyDoc(denyNoTls('sns:Publish', t.arn)) });
    },
  },
  'ha-two-zones': {
    address: 'aws_db_subnet_group.group',
    bad: (s) => {
      new DbSubnetGroup(s, 'group', { subnetIds: network(s, ['eu-west-1a']).subnets.map((x) => x.id) });
    },
    good: (s) => {
      new DbSubnetGroup(s, 'group', { subnetIds: network(s).subnets.map((x) => x.id) });
    },
  },
  'ha-nat-per-zone': {
    address: 'aws_route.route',
    bad: natRoute('a', 'b'),
    good: natRoute('b', 'b'),
  },
  'ha-min-instances': {
    address: 'aws_autoscaling_group.asg',
    bad: (s) => {
      autoScalingGroup(s, { minSize: 1 });
    },
    good: (s) => {
      autoScalingGroup(s);
    },
  },
  'ha-alarm-notifies': {
    address: 'aws_cloudwatch_metric_alarm.alarm',
    bad: (s) => {
      new CloudwatchMetricAlarm(s, 'alarm', {
        alarmName: 'a',
        comparisonOperator: 'GreaterThanThreshold',
        evaluationPeriods: 1,
        alarmActions: ['arn:aws:autoscaling:eu-west-1:1:scalingPolicy:x'],
      });
    },
    good: (s) => {
      new CloudwatchMetricAlarm(s, 'alarm', {
        alarmName: 'a',
        comparisonOperator: 'GreaterThanThreshold',
        evaluationPeriods: 1,
        alarmActions: [topic(s).arn],
      });
    },
  },
  'ha-alarms-on-key-metrics': {
    address: 'aws_db_instance.db',
    bad: (s) => {
      const db = database(s);
      alarm(s, 'CPUUtilization', { DBInstanceIdentifier: db.identifier });
    },
    good: (s) => {
      const db = database(s);
      alarm(s, 'CPUUtilization', { DBInstanceIdentifier: db.identifier });
      alarm(s, 'FreeStorageSpace', { DBInstanceIdentifier: db.identifier });
    },
  },
  'ha-alarm-topic-subscribed': {
    address: 'aws_sns_topic.topic',
    bad: (s) => {
      topic(s);
    },
    good: (s) => {
      new SnsTopicSubscription(s, 'email', { topicArn: topic(s).arn, protocol: 'email', endpoint: 'ops@example.com' });
    },
  },
  'cloudfront-waf': {
    address: 'aws_cloudfront_distribution.cdn',
    bad: (s) => {
      distribution(s, { webAclId: 'arn:aws:wafv2:us-east-1:111111111111:global/webacl/elsewhere/00000000-0000-0000-0000-000000000000' });
    },
    good: (s) => {
      distribution(s);
    },
  },
  'cloudfront-logging': {
    address: 'aws_cloudfront_distribution.cdn',
    bad: (s) => {
      distribution(s);
    },
    good: (s) => {
      const cdn = distribution(s);
      const source = new CloudwatchLogDeliverySource(s, 'source', { name: 'cdn', logType: 'ACCESS_LOGS', resourceArn: cdn.arn });
      const destination = new CloudwatchLogDeliveryDestination(s, 'destination', {
        name: 'cdn',
        deliveryDestinationConfiguration: [{ destinationResourceArn: logGroup(s).arn }],
      });
      new CloudwatchLogDelivery(s, 'delivery', { deliverySourceName: source.name, deliveryDestinationArn: destination.arn });
    },
  },
  'cloudfront-tls-policy': {
    address: 'aws_cloudfront_distribution.cdn',
    bad: (s) => {
      distribution(s, { viewerCertificate: { cloudfrontDefaultCertificate: true, minimumProtocolVersion: 'TLSv1' } });
    },
    good: (s) => {
      distribution(s);
    },
  },
  'cloudfront-custom-certificate': {
    address: 'aws_cloudfront_distribution.cdn',
    bad: (s) => {
      distribution(s, { viewerCertificate: { cloudfrontDefaultCertificate: true } });
    },
    good: (s) => {
      distribution(s);
    },
  },
  'cloudfront-response-headers': {
    address: 'aws_cloudfront_distribution.cdn',
    bad: (s) => {
      distribution(s, {
        orderedCacheBehavior: [
          {
            pathPattern: '/api/*',
            targetOriginId: 'api',
            viewerProtocolPolicy: 'https-only',
            allowedMethods: ['GET', 'HEAD'],
            cachedMethods: ['GET', 'HEAD'],
          },
        ],
      });
    },
    good: (s) => {
      distribution(s);
    },
  },
  'cloudfront-origin-access-control': {
    address: 'aws_cloudfront_distribution.cdn',
    bad: (s) => {
      distribution(s, {
        origin: [
          {
            originId: 'files',
            domainName: bucket(s).bucketRegionalDomainName,
            s3OriginConfig: { originAccessIdentity: 'origin-access-identity/cloudfront/E1' },
          },
        ],
      });
    },
    good: (s) => {
      distribution(s);
    },
  },
  'cloudfront-default-root-object': {
    address: 'aws_cloudfront_distribution.cdn',
    bad: (s) => {
      distribution(s, { defaultRootObject: undefined });
    },
    good: (s) => {
      distribution(s);
    },
  },
  'cloudfront-viewer-https': {
    address: 'aws_cloudfront_distribution.cdn',
    bad: (s) => {
      distribution(s, {
        defaultCacheBehavior: {
          targetOriginId: 'files',
          viewerProtocolPolicy: 'allow-all',
          allowedMethods: ['GET', 'HEAD'],
          cachedMethods: ['GET', 'HEAD'],
        },
      });
    },
    good: (s) => {
      distribution(s);
    },
  },
  'cloudfront-origin-tls': {
    address: 'aws_cloudfront_distribution.cdn',
    bad: (s) => {
      distribution(s, {
        origin: [
          {
            originId: 'api',
            domainName: 'app.example.com',
            customOriginConfig: {
              httpPort: 80,
              httpsPort: 443,
              originProtocolPolicy: 'match-viewer',
              originSslProtocols: ['TLSv1', 'TLSv1.2'],
            },
          },
        ],
      });
    },
    good: (s) => {
      distribution(s);
    },
  },
  's3-cloudfront-source-arn': {
    address: 'aws_s3_bucket_policy.policy',
    bad: bucketWith(
      (s, b, arn) =>
        new S3BucketPolicy(s, 'policy', {
          bucket: b,
          policy: policyDoc({
            Effect: 'Allow',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Action: 's3:GetObject',
            Resource: `${arn}/*`,
          }),
        }),
    ),
    good: bucketWith(
      (s, b, arn) =>
        new S3BucketPolicy(s, 'policy', {
          bucket: b,
          policy: policyDoc({
            Effect: 'Allow',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Action: 's3:GetObject',
            Resource: `${arn}/*`,
            Condition: { StringEquals: { 'AWS:SourceArn': distribution(s).arn } },
          }),
        }),
    ),
  },
  'acm-create-before-destroy': {
    address: 'aws_acm_certificate.cert',
    bad: (s) => {
      new AcmCertificate(s, 'cert', { domainName: 'app.example.com', validationMethod: 'DNS' });
    },
    good: (s) => {
      new AcmCertificate(s, 'cert', { domainName: 'app.example.com', validationMethod: 'DNS', lifecycle: { createBeforeDestroy: true } });
    },
  },
  'acm-transparency-logging': {
    address: 'aws_acm_certificate.cert',
    bad: (s) => {
      new AcmCertificate(s, 'cert', {
        domainName: 'app.example.com',
        validationMethod: 'DNS',
        options: { certificateTransparencyLoggingPreference: 'DISABLED' },
      });
    },
    good: (s) => {
      new AcmCertificate(s, 'cert', { domainName: 'app.example.com', validationMethod: 'DNS' });
    },
  },
  'route53-record-attached': {
    address: 'aws_route53_record.record',
    bad: (s) => {
      new Route53Record(s, 'record', { zoneId: 'Z1', name: 'app.example.com', type: 'A', ttl: 60, records: ['203.0.113.10'] });
    },
    good: (s) => {
      const lb = loadBalancer(s, { internal: false });
      new Route53Record(s, 'record', {
        zoneId: 'Z1',
        name: 'app.example.com',
        type: 'A',
        alias: { name: lb.dnsName, zoneId: lb.zoneId, evaluateTargetHealth: true },
      });
    },
  },
};

describe('every rule has a non-compliant and a compliant case', () => {
  it('covers each rule of policy/rules and nothing else', () => {
    expect(Object.keys(CASES).sort()).toEqual(ALL_RULES.map((r) => r.id).sort());
  });

  describe.each(ALL_RULES.map((r) => [r.id] as const))('%s', (id) => {
    const { address, bad, good } = CASES[id];
    it('flags the non-compliant construct, with a reason', () => {
      const s = testStack();
      bad(s);
      const result = check(id, s, address);
      expect(result.status).toBe('non-compliant');
      expect(result.status === 'non-compliant' && result.reason.length).toBeGreaterThan(0);
    });
    it('accepts the compliant construct', () => {
      const s = testStack();
      good(s);
      expect(check(id, s, address)).toEqual({ status: 'compliant' });
    });
  });
});

describe('data-prevent-destroy on a release registry', () => {
  it('flags a repository that Terraform may empty (force_delete) and accepts a protected one', () => {
    const bad = testStack();
    repository(bad, { forceDelete: true, lifecycle: { preventDestroy: true } });
    expect(check('data-prevent-destroy', bad, 'aws_ecr_repository.repo').status).toBe('non-compliant');
    const good = testStack();
    repository(good, { lifecycle: { preventDestroy: true } });
    expect(check('data-prevent-destroy', good, 'aws_ecr_repository.repo')).toEqual({ status: 'compliant' });
  });
});

describe('the IAM rules and their reasoned exceptions', () => {
  const result = (id: string, address: string, build: Build) => {
    const s = testStack();
    build(s);
    return check(id, s, address).status;
  };
  const policy = (statement: object) => (s: TerraformStack) => {
    roleWithPolicy(s, policyDoc(statement));
  };

  it('iam-no-wildcard-actions: a partial wildcard is refused unless the reasoned list has it', () => {
    expect(
      result(
        'iam-no-wildcard-actions',
        'aws_iam_role_policy.policy',
        policy({ Effect: 'Allow', Action: 's3:Get*', Resource: 'arn:aws:s3:::b/*' }),
      ),
    ).toBe('non-compliant');
    expect(
      result(
        'iam-no-wildcard-actions',
        'aws_iam_role_policy.policy',
        policy({ Effect: 'Allow', Action: 's3:GetBucket*', Resource: 'arn:aws:s3:::b' }),
      ),
    ).toBe('compliant');
    expect(
      result(
        'iam-no-wildcard-actions',
        'aws_iam_role_policy.policy',
        policy({ Effect: 'Allow', NotAction: 's3:GetObject', Resource: 'arn:aws:s3:::b' }),
      ),
    ).toBe('non-compliant');
  });

  it('iam-no-wildcard-resources: a create action takes "*" only with a request-tag condition', () => {
    const create = (Condition?: object) => policy({ Effect: 'Allow', Action: 'kms:CreateKey', Resource: '*', Condition });
    expect(result('iam-no-wildcard-resources', 'aws_iam_role_policy.policy', create())).toBe('non-compliant');
    expect(
      result('iam-no-wildcard-resources', 'aws_iam_role_policy.policy', create({ StringEquals: { 'aws:RequestTag/Environment': 'dev' } })),
    ).toBe('compliant');
    expect(
      result(
        'iam-no-wildcard-resources',
        'aws_iam_role_policy.policy',
        policy({ Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' }),
      ),
    ).toBe('compliant');
  });

  it('iam-trust-scoped: an OpenID Connect provider of the stack is a known principal, an unknown reference is not', () => {
    expect(
      result('iam-trust-scoped', 'aws_iam_role.role', (s) => {
        oidcRole(s, PINNED);
      }),
    ).toBe('compliant');
    expect(
      result('iam-trust-scoped', 'aws_iam_role.role', (s) => {
        role(
          s,
          'role',
          policyDoc({
            Effect: 'Allow',
            Principal: { Federated: '${var.provider_arn}' },
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: PINNED,
          }),
        );
      }),
    ).toBe('non-compliant');
  });

  it('iam-oidc-trust-pinned: both aud and sub, wildcard-free; not applicable to service roles', () => {
    expect(
      result('iam-oidc-trust-pinned', 'aws_iam_role.role', (s) => {
        oidcRole(s, { StringEquals: { [`${GITHUB}:sub`]: 'repo:acme/web:pull_request' } });
      }),
    ).toBe('non-compliant');
    expect(
      result('iam-oidc-trust-pinned', 'aws_iam_role.role', (s) => {
        oidcRole(s);
      }),
    ).toBe('non-compliant');
    expect(
      result('iam-oidc-trust-pinned', 'aws_iam_role.role', (s) => {
        role(s);
      }),
    ).toBe('not-applicable');
  });
});

describe('releases that roll back to the previous version (asg-refresh-rollback)', () => {
  const verdictOf = (build: Build) => {
    const s = testStack();
    build(s);
    return check('asg-refresh-rollback', s, 'aws_autoscaling_group.asg');
  };
  const ssm = 'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64';

  it.each<[string, Build, RegExp]>([
    [
      "Terraform's own instance_refresh (it saves the new version on the group first)",
      (s) =>
        released(s, ROLLBACK, undefined, {
          lifecycle: { ignoreChanges: ['launch_template[0].version'] },
          instanceRefresh: { strategy: 'Rolling', preferences: { autoRollback: true } },
        }),
      /instance_refresh is set.*#34189/,
    ],
    [
      'a version Terraform would set itself (not ignored)',
      (s) => released(s, ROLLBACK, undefined, {}),
      /ignore_changes lacks launch_template\[0\]\.version/,
    ],
    ['an AMI resolved at launch', (s) => released(s, ROLLBACK, ssm), /resolves its AMI at launch/],
    [
      'rollout settings without rollback',
      (s) => released(s, { auto_rollback: false, alarms: ['a'] }),
      /no rollout settings .* auto_rollback and alarms/,
    ],
    ['rollout settings without alarms', (s) => released(s, { auto_rollback: true, alarms: [] }), /no rollout settings/],
    [
      'no rollout settings at all',
      (s) => void autoScalingGroup(s, { lifecycle: { ignoreChanges: ['launch_template[0].version'] } }),
      /\$Latest|no rollout settings/,
    ],
  ])('refuses %s', (_, build, reason) => {
    const result = verdictOf(build);
    expect(result.status).toBe('non-compliant');
    expect(result.status === 'non-compliant' && result.reason).toMatch(reason);
  });

  it('accepts ignore_changes = all in place of the version path', () => {
    expect(verdictOf((s) => released(s, ROLLBACK, undefined, { lifecycle: { ignoreChanges: 'all' } })).status).toBe('compliant');
  });
});

describe('the rule files', () => {
  const dir = join(__dirname, '..', '..', 'policy', 'rules');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
    .map((f) => f.replace(/\.ts$/, ''));

  it('are all registered, one rule per file, named after the rule id', () => {
    expect(ALL_RULES.map((r) => r.id).sort()).toEqual(files.sort());
  });

  it.each(ALL_RULES.map((r) => [r.id, r] as const))('%s has a one-line what, a why and well-formed scanner ids', (_id, rule) => {
    expect(rule.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)+$/);
    expect(rule.what).toMatch(/^\S.{10,200}\.$/);
    expect(rule.what).not.toContain('\n');
    expect(rule.why.length).toBeGreaterThan(20);
    expect(rule.resourceTypes.length).toBeGreaterThan(0);
    for (const id of rule.scanners.checkov) expect(id).toMatch(/^CKV2?_AWS_\d+$/);
    for (const id of rule.scanners.trivy) expect(id).toMatch(/^AVD-AWS-\d{4}$/);
    for (const id of rule.scanners.cdkNag) expect(id).toMatch(/^AwsSolutions-[A-Z0-9]+$/);
  });
});
