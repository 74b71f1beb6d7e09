/**
 * cdk-nag-shaped rule tests: for every rule, a non-compliant case and a compliant case built from real
 * provider constructs in a test stack, checked as the policy aspect checks them.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Fn, TerraformLocal, type TerraformStack } from 'cdktf';
import { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate';
import type { AutoscalingGroupConfig } from '@cdktf/provider-aws/lib/autoscaling-group';
import { AutoscalingNotification } from '@cdktf/provider-aws/lib/autoscaling-notification';
import { CloudfrontVpcOrigin } from '@cdktf/provider-aws/lib/cloudfront-vpc-origin';
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
import { Instance } from '@cdktf/provider-aws/lib/instance';
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
import { SecurityGroupRule } from '@cdktf/provider-aws/lib/security-group-rule';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { Wafv2WebAclAssociation } from '@cdktf/provider-aws/lib/wafv2-web-acl-association';
import { Wafv2WebAclLoggingConfiguration } from '@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration';
import { ALL_RULES, ruleById } from '../../policy/rules';
import { LAUNCH_PY, PLACEHOLDER_PY } from '../../boot/launcher';
import { renderUserData } from '../../boot/user-data';
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
const denyNoTls = (action: string, resource: string | string[]) => ({
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
    good: bucketWith(
      (s, b, arn) => new S3BucketPolicy(s, 'policy', { bucket: b, policy: policyDoc(denyNoTls('s3:*', [arn, `${arn}/*`])) }),
    ),
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

describe('cloudfront-origin-tls on a VPC origin', () => {
  const vpcOrigin = (s: TerraformStack, originProtocolPolicy: string, items: string[]) =>
    new CloudfrontVpcOrigin(s, 'api', {
      vpcOriginEndpointConfig: [
        {
          name: 'web-prod-api',
          arn: 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/web-prod-alb/0123456789abcdef',
          httpPort: 80,
          httpsPort: 443,
          originProtocolPolicy,
          originSslProtocols: [{ items, quantity: items.length }],
        },
      ],
    });
  it.each([
    ['match-viewer', ['TLSv1.2']],
    ['http-only', ['TLSv1.2']],
    ['https-only', ['TLSv1.1', 'TLSv1.2']],
  ])('flags %s with %j', (policy, items) => {
    const s = testStack();
    vpcOrigin(s, policy, items);
    expect(check('cloudfront-origin-tls', s, 'aws_cloudfront_vpc_origin.api').status).toBe('non-compliant');
  });
  it('accepts HTTPS only with TLS 1.2 only', () => {
    const s = testStack();
    vpcOrigin(s, 'https-only', ['TLSv1.2']);
    expect(check('cloudfront-origin-tls', s, 'aws_cloudfront_vpc_origin.api')).toEqual({ status: 'compliant' });
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

describe('evasions: each a way around a rule that the rule now sees', () => {
  const status = (id: string, address: string, build: Build) => {
    const s = testStack();
    build(s);
    return check(id, s, address).status;
  };

  /** A bucket whose policy holds `statements` (given the bucket's ARN reference). */
  const bucketPolicy =
    (...statements: ((arn: string) => object)[]): Build =>
    (s) => {
      const b = bucket(s);
      new S3BucketPolicy(s, 'policy', { bucket: b.id, policy: policyDoc(...statements.map((st) => st(b.arn))) });
    };

  it('s3-ssl-only: a TLS deny on the bucket alone leaves its objects reachable over HTTP', () => {
    expect(
      status(
        's3-ssl-only',
        'aws_s3_bucket.bucket',
        bucketPolicy((arn) => denyNoTls('s3:*', arn)),
      ),
    ).toBe('non-compliant');
  });

  it('s3-ssl-only: a TLS deny on the objects alone leaves the bucket reachable over HTTP', () => {
    expect(
      status(
        's3-ssl-only',
        'aws_s3_bucket.bucket',
        bucketPolicy((arn) => denyNoTls('s3:*', `${arn}/*`)),
      ),
    ).toBe('non-compliant');
  });

  it('s3-ssl-only: a TLS deny on a sub-path covers only part of the objects', () => {
    expect(
      status(
        's3-ssl-only',
        'aws_s3_bucket.bucket',
        bucketPolicy((arn) => denyNoTls('s3:*', [arn, `${arn}/private/*`])),
      ),
    ).toBe('non-compliant');
  });

  it('s3-ssl-only: the bucket and its objects may be covered by two statements, by name or by wildcard', () => {
    expect(
      status(
        's3-ssl-only',
        'aws_s3_bucket.bucket',
        bucketPolicy(
          (arn) => denyNoTls('s3:*', arn),
          (arn) => denyNoTls('s3:*', `${arn}/*`),
        ),
      ),
    ).toBe('compliant');
    expect(
      status(
        's3-ssl-only',
        'aws_s3_bucket.bucket',
        bucketPolicy(() => denyNoTls('s3:*', ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'])),
      ),
    ).toBe('compliant');
    expect(
      status(
        's3-ssl-only',
        'aws_s3_bucket.bucket',
        bucketPolicy(() => denyNoTls('*', 'arn:aws:s3:::*')),
      ),
    ).toBe('compliant');
  });

  it('sns-ssl-only: a deny written with NotAction denies everything but publishing', () => {
    expect(
      status('sns-ssl-only', 'aws_sns_topic.topic', (s) => {
        const t = topic(s);
        const { Action, ...deny } = denyNoTls('sns:Publish', t.arn);
        new SnsTopicPolicy(s, 'policy', { arn: t.arn, policy: policyDoc({ ...deny, NotAction: Action }) });
      }),
    ).toBe('non-compliant');
  });

  /** A key whose policy adds, to the account's administration, `statement` (an Allow on Resource "*"). */
  const keyAllowing =
    (statement: object): Build =>
    (s) => {
      new KmsKey(s, 'key', {
        enableKeyRotation: true,
        policy: policyDoc(
          { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'kms:*', Resource: '*' },
          { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: '*', ...statement },
        ),
      });
    };

  it('kms-key-policy: Principal "*" under a condition that restricts nothing about the caller', () => {
    expect(
      status('kms-key-policy', 'aws_kms_key.key', keyAllowing({ Principal: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } })),
    ).toBe('non-compliant');
  });

  it('kms-key-policy: {"AWS": "*"} through a service alone (kms:ViaService) lets every account use the key', () => {
    expect(
      status(
        'kms-key-policy',
        'aws_kms_key.key',
        keyAllowing({ Principal: { AWS: '*' }, Condition: { StringEquals: { 'kms:ViaService': 'sns.eu-west-1.amazonaws.com' } } }),
      ),
    ).toBe('non-compliant');
  });

  it('kms-key-policy: an account condition that any account meets (a wildcard, a negation, IfExists, ForAllValues)', () => {
    for (const Condition of [
      { StringLike: { 'kms:CallerAccount': '*' } },
      { StringNotEquals: { 'kms:CallerAccount': '222222222222' } },
      { StringEqualsIfExists: { 'aws:PrincipalAccount': '111111111111' } },
      { 'ForAllValues:StringEquals': { 'kms:CallerAccount': '111111111111' } },
    ])
      expect(status('kms-key-policy', 'aws_kms_key.key', keyAllowing({ Principal: '*', Condition }))).toBe('non-compliant');
  });

  it('kms-key-policy: NotPrincipal in an Allow lets in everyone it does not name', () => {
    expect(status('kms-key-policy', 'aws_kms_key.key', keyAllowing({ NotPrincipal: { AWS: 'arn:aws:iam::222222222222:root' } }))).toBe(
      'non-compliant',
    );
  });

  it('kms-key-policy: Principal "*" pinned to the account (kms:CallerAccount, aws:PrincipalAccount or aws:PrincipalArn) is accepted', () => {
    for (const Condition of [
      { StringEquals: { 'kms:CallerAccount': '111111111111', 'kms:ViaService': 'sns.eu-west-1.amazonaws.com' } },
      { StringEquals: { 'aws:PrincipalAccount': ['111111111111'] } },
      {
        ArnEquals: {
          'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling',
        },
      },
    ])
      expect(status('kms-key-policy', 'aws_kms_key.key', keyAllowing({ Principal: { AWS: '*' }, Condition }))).toBe('compliant');
  });

  /** A role that `principal` may assume with `action` under `condition` (GitHub's provider of the stack by default). */
  const federatedRole =
    (action: string | Record<string, string>, condition?: object, principal?: object): Build =>
    (s) => {
      const provider = new IamOpenidConnectProvider(s, 'github', { url: `https://${GITHUB}`, clientIdList: ['sts.amazonaws.com'] });
      const actionKey = typeof action === 'string' ? { Action: action } : action;
      role(
        s,
        'role',
        policyDoc({ Effect: 'Allow', Principal: principal ?? { Federated: provider.arn }, ...actionKey, Condition: condition }),
      );
    };
  const oidcStatus = (build: Build) => status('iam-oidc-trust-pinned', 'aws_iam_role.role', build);

  it('iam-oidc-trust-pinned: sts:AssumeRoleWithSAML is of the same family and pins its aud and sub too', () => {
    const saml = { Federated: 'arn:aws:iam::111111111111:saml-provider/corporate' };
    expect(oidcStatus(federatedRole('sts:AssumeRoleWithSAML', undefined, saml))).toBe('non-compliant');
    expect(
      oidcStatus(
        federatedRole(
          'sts:AssumeRoleWithSAML',
          { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml', 'SAML:sub': 'alice@example.com' } },
          saml,
        ),
      ),
    ).toBe('compliant');
  });

  it('iam-oidc-trust-pinned: the family written as a wildcard, in another case or by NotAction', () => {
    for (const action of ['sts:AssumeRoleWith*', 'sts:Assume*', 'STS:assumerolewithwebidentity'])
      expect(oidcStatus(federatedRole(action))).toBe('non-compliant');
    expect(oidcStatus(federatedRole({ NotAction: 'sts:AssumeRole' }))).toBe('non-compliant');
  });

  it('iam-oidc-trust-pinned: a sub of two repositories', () => {
    expect(
      oidcStatus(
        federatedRole('sts:AssumeRoleWithWebIdentity', {
          StringEquals: {
            [`${GITHUB}:aud`]: 'sts.amazonaws.com',
            [`${GITHUB}:sub`]: ['repo:acme/web:ref:refs/heads/main', 'repo:other/fork:ref:refs/heads/main'],
          },
        }),
      ),
    ).toBe('non-compliant');
  });

  it('iam-oidc-trust-pinned: a GitHub sub that names no repository (an owner-wide subject template)', () => {
    expect(
      oidcStatus(
        federatedRole('sts:AssumeRoleWithWebIdentity', {
          StringEquals: { [`${GITHUB}:aud`]: 'sts.amazonaws.com', [`${GITHUB}:sub`]: 'repository_owner:acme:environment:prod' },
        }),
      ),
    ).toBe('non-compliant');
  });

  it('iam-oidc-trust-pinned: a pinned sub beside a StringLike that widens nothing is still one repository', () => {
    expect(
      oidcStatus(
        federatedRole('sts:AssumeRoleWith*', {
          ...PINNED,
          StringLike: { [`${GITHUB}:sub`]: 'repo:acme/*' },
        }),
      ),
    ).toBe('compliant');
  });

  const identityStatus = (statement: object) =>
    status('iam-no-wildcard-resources', 'aws_iam_role_policy.policy', (s) => {
      roleWithPolicy(s, policyDoc({ Effect: 'Allow', ...statement }));
    });

  it('iam-no-wildcard-resources: an ARN whose resource part is only wildcards counts as "*"', () => {
    for (const [Action, Resource] of [
      ['s3:GetObject', 'arn:aws:s3:::*'],
      ['s3:GetObject', 'arn:aws:s3:::*/*'],
      ['kms:Decrypt', 'arn:aws:kms:*:*:key/*'],
      ['iam:PassRole', 'arn:aws:iam::111111111111:role/*'],
      ['ec2:TerminateInstances', 'arn:aws:ec2:eu-west-1:111111111111:*'],
      ['elasticloadbalancing:DeleteLoadBalancer', 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/*/*'],
      ['logs:PutLogEvents', 'arn:aws:*:*:*:*'],
      ['s3:GetObject', 'arn:aws:s3:::${var.bucket}/*'],
    ])
      expect([Resource, identityStatus({ Action, Resource })]).toEqual([Resource, 'non-compliant']);
  });

  it('iam-no-wildcard-resources: a tag condition that does not restrict (negated, Null, IfExists, ForAllValues, a wildcard value)', () => {
    for (const Condition of [
      { StringNotEquals: { 'aws:RequestTag/Environment': 'prod' } },
      { Null: { 'aws:RequestTag/Environment': 'false' } },
      { StringEqualsIfExists: { 'aws:RequestTag/Environment': 'dev' } },
      { 'ForAllValues:StringEquals': { 'aws:RequestTag/Environment': 'dev' } },
      { StringLike: { 'aws:RequestTag/Environment': '*' } },
      { 'ForAnyValue:StringLike': { 'aws:RequestTag/Environment': ['dev', '*'] } },
    ]) {
      expect(identityStatus({ Action: 'kms:CreateKey', Resource: '*', Condition })).toBe('non-compliant');
      expect(identityStatus({ Action: 'kms:ScheduleKeyDeletion', Resource: 'arn:aws:kms:eu-west-1:111111111111:key/*', Condition })).toBe(
        'non-compliant',
      );
    }
  });

  it('iam-no-wildcard-resources: NotResource grants every resource it does not name', () => {
    expect(identityStatus({ Action: 's3:GetObject', NotResource: 'arn:aws:s3:::secrets/*' })).toBe('non-compliant');
  });

  it('iam-no-wildcard-resources: NotAction beside "*" is not excused as an action that cannot be scoped', () => {
    expect(identityStatus({ NotAction: 'ec2:DescribeTags', Resource: '*' })).toBe('non-compliant');
  });

  it('iam-no-wildcard-resources: resources named by a prefix, a path or a tag condition, and the reasoned wildcards, pass', () => {
    for (const statement of [
      { Action: 's3:GetObject', Resource: ['arn:aws:s3:::web-prod-*/*', 'arn:aws:s3:::b/*'] },
      { Action: 'iam:CreateServiceLinkedRole', Resource: 'arn:aws:iam::*:role/aws-service-role/*' },
      {
        Action: 'kms:ScheduleKeyDeletion',
        Resource: 'arn:aws:kms:eu-west-1:111111111111:key/*',
        Condition: { StringEquals: { 'aws:ResourceTag/Environment': 'dev', 'aws:ResourceTag/Project': 'web' } },
      },
      {
        Action: 'kms:Decrypt',
        Resource: 'arn:aws:kms:eu-west-1:*:key/*',
        Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/state' } },
      },
      { Action: 'route53:GetChange', Resource: 'arn:aws:route53:::change/*' },
      { Action: 'wafv2:UpdateWebACL', Resource: 'arn:aws:wafv2:eu-west-1:*:regional/managedruleset/*/*' },
      { Action: 's3:GetObject', Resource: '${aws_s3_bucket.b.arn}/*' },
    ])
      expect([statement, identityStatus(statement)]).toEqual([statement, 'compliant']);
  });

  interface Peer {
    readonly cidr: string;
    readonly port?: number;
    readonly protocol?: string;
  }
  /** A security group with one rule resource per peer (`<direction>_0`, `<direction>_1`, …). */
  const groupWith =
    (direction: 'ingress' | 'egress', ...peers: Peer[]): Build =>
    (s) => {
      const g = new SecurityGroup(s, 'sg', { name: 'sg', description: 'app servers', vpcId: 'vpc-1' });
      const Rule = direction === 'ingress' ? VpcSecurityGroupIngressRule : VpcSecurityGroupEgressRule;
      peers.forEach(({ cidr, port = 443, protocol = 'tcp' }, i) => {
        new Rule(s, `${direction}_${i}`, {
          securityGroupId: g.id,
          ...(cidr.includes(':') ? { cidrIpv6: cidr } : { cidrIpv4: cidr }),
          ipProtocol: protocol,
          ...(protocol === '-1' ? {} : { fromPort: port, toPort: port }),
          description: `peer ${i}`,
        });
      });
    };
  const inRule = (i: number) => `aws_vpc_security_group_ingress_rule.ingress_${i}`;
  const outRule = (i: number) => `aws_vpc_security_group_egress_rule.egress_${i}`;
  const HALVES: Peer[] = [{ cidr: '0.0.0.0/1' }, { cidr: '128.0.0.0/1' }];

  it('security-group-no-public-ingress: 0.0.0.0/0 split into 0.0.0.0/1 and 128.0.0.0/1, two rules of one group', () => {
    for (const i of [0, 1])
      expect(status('security-group-no-public-ingress', inRule(i), groupWith('ingress', ...HALVES))).toBe('non-compliant');
  });

  it('security-group-no-public-ingress: ::/1 and 8000::/1, the IPv6 halves', () => {
    const build = groupWith('ingress', { cidr: '::/1' }, { cidr: '8000::/1' });
    for (const i of [0, 1]) expect(status('security-group-no-public-ingress', inRule(i), build)).toBe('non-compliant');
  });

  it('security-group-no-public-ingress: 0.0.0.0/0 and ::/0 spelled 0.0.0.0/00 and 0::0/0 (the provider accepts both)', () => {
    for (const cidr of ['0.0.0.0/00', '0::0/0', '0:0:0:0:0:0:0:0/000'])
      expect(status('security-group-no-public-ingress', inRule(0), groupWith('ingress', { cidr }))).toBe('non-compliant');
  });

  it("security-group-no-public-ingress: the halves in one legacy rule and in a group's inline blocks", () => {
    expect(
      status('security-group-no-public-ingress', 'aws_security_group_rule.legacy', (s) => {
        new SecurityGroupRule(s, 'legacy', {
          type: 'ingress',
          securityGroupId: 'sg-1',
          cidrBlocks: ['0.0.0.0/1', '128.0.0.0/1'],
          protocol: 'tcp',
          fromPort: 443,
          toPort: 443,
        });
      }),
    ).toBe('non-compliant');
    expect(
      status('security-group-no-public-ingress', 'aws_security_group.sg', (s) => {
        new SecurityGroup(s, 'sg', {
          name: 'sg',
          description: 'app servers',
          vpcId: 'vpc-1',
          ingress: HALVES.map(({ cidr }) => ({ cidrBlocks: [cidr], protocol: 'tcp', fromPort: 443, toPort: 443, description: cidr })),
        });
      }),
    ).toBe('non-compliant');
  });

  it('security-group-no-public-ingress: public blocks add up per group and port, private ranges do not count', () => {
    // Two /8s (17/8, 18/8) are more than one /8 of public addresses on the same port, not on two ports.
    expect(
      status('security-group-no-public-ingress', inRule(0), groupWith('ingress', { cidr: '17.0.0.0/8' }, { cidr: '18.0.0.0/8' })),
    ).toBe('non-compliant');
    expect(
      status('security-group-no-public-ingress', inRule(0), groupWith('ingress', { cidr: '17.0.0.0/8' }, { cidr: '18.0.0.0/8', port: 80 })),
    ).toBe('compliant');
    // The whole private space, an office /24 and a partner's IPv6 /48 are not the internet.
    expect(
      status(
        'security-group-no-public-ingress',
        inRule(0),
        groupWith('ingress', { cidr: '10.0.0.0/8' }, { cidr: '172.16.0.0/12' }, { cidr: '203.0.113.0/24' }, { cidr: '2001:db8:1::/48' }),
      ),
    ).toBe('compliant');
    // A private rule is not to blame for a public one beside it.
    expect(status('security-group-no-public-ingress', inRule(0), groupWith('ingress', { cidr: '10.0.0.0/8' }, { cidr: '0.0.0.0/0' }))).toBe(
      'compliant',
    );
  });

  it('security-group-no-public-egress: 0.0.0.0/0 split into 0.0.0.0/1 and 128.0.0.0/1', () => {
    for (const i of [0, 1])
      expect(status('security-group-no-public-egress', outRule(i), groupWith('egress', ...HALVES))).toBe('non-compliant');
  });

  it('security-group-no-public-admin-ports: SSH open to 0.0.0.0/1 and 128.0.0.0/1', () => {
    const build = groupWith('ingress', ...HALVES.map((h) => ({ ...h, port: 22 })));
    expect(status('security-group-no-public-admin-ports', inRule(0), build)).toBe('non-compliant');
  });

  it('security-group-egress-restricted: every protocol out to 0.0.0.0/1 and 128.0.0.0/1', () => {
    const build = groupWith('egress', ...HALVES.map((h) => ({ ...h, protocol: '-1' })));
    expect(status('security-group-egress-restricted', outRule(0), build)).toBe('non-compliant');
    // A port-specific rule to the other half does not make the all-protocol one open to everything.
    expect(
      status(
        'security-group-egress-restricted',
        outRule(0),
        groupWith('egress', { cidr: '17.0.0.0/8', protocol: '-1' }, { cidr: '18.0.0.0/8' }),
      ),
    ).toBe('compliant');
  });

  const b64 = (text: string | Buffer) => Buffer.from(text).toString('base64');
  /** The platform's boot script (boot/user-data.ts) in `mode` with `settings` as its settings JSON. */
  const bootScript = (settings: object, mode: 'placeholder' | 'container' = 'container') =>
    renderUserData({
      mode,
      settingsBase64: b64(JSON.stringify(settings)),
      platformBase64: '${base64encode(jsonencode(local.platform_settings))}',
      launcher: LAUNCH_PY,
      placeholder: PLACEHOLDER_PY,
    });
  const userDataStatus = (userData: (s: TerraformStack) => string) =>
    status('ec2-no-secrets-in-user-data', 'aws_launch_template.lt', (s) => {
      launchTemplate(s, { userData: userData(s) });
    });

  it('ec2-no-secrets-in-user-data: an access key in a base64 file the boot script writes', () => {
    const script = bootScript({ mode: 'container', environment: { AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE' } });
    expect(userDataStatus((s) => userDataFromLocal(s, script))).toBe('non-compliant');
  });

  it('ec2-no-secrets-in-user-data: a password as a JSON value ({"DB_PASSWORD": "…"})', () => {
    const script = `#!/bin/bash\necho '{"DB_HOST": "db.internal", "DB_PASSWORD": "hunter2hunter2"}' > /etc/app.json\n`;
    expect(userDataStatus((s) => userDataFromLocal(s, script))).toBe('non-compliant');
    expect(userDataStatus((s) => userDataFromLocal(s, bootScript({ environment: { DB_PASSWORD: 'hunter2hunter2' } })))).toBe(
      'non-compliant',
    );
  });

  it('ec2-no-secrets-in-user-data: gzipped user data (base64 of gzip, as EC2 and cloud-init accept it)', () => {
    expect(userDataStatus(() => b64(gzipSync('#!/bin/bash\nexport DB_PASSWORD=hunter2hunter2\n')))).toBe('non-compliant');
  });

  it('ec2-no-secrets-in-user-data: a cloud-init file written from gzip+base64 content', () => {
    const config = [
      '#cloud-config',
      'write_files:',
      '  - path: /etc/app.env',
      '    encoding: gz+b64',
      `    content: ${b64(gzipSync('API_TOKEN=tok_live_0123456789abcdef\n'))}`,
      '',
    ].join('\n');
    expect(userDataStatus(() => b64(config))).toBe('non-compliant');
  });

  it('ec2-no-secrets-in-user-data: a MIME multi-part document with a base64 part', () => {
    const part = b64(
      '#!/bin/bash\ncat > /root/.ssh/id_rsa <<EOF\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\nEOF\n',
    )
      .match(/.{1,76}/g)!
      .join('\n');
    const mime = [
      'Content-Type: multipart/mixed; boundary="==BOUNDARY=="',
      'MIME-Version: 1.0',
      '',
      '--==BOUNDARY==',
      'Content-Type: text/x-shellscript; charset="us-ascii"',
      'Content-Transfer-Encoding: base64',
      '',
      part,
      '--==BOUNDARY==--',
      '',
    ].join('\n');
    expect(userDataStatus(() => b64(mime))).toBe('non-compliant');
  });

  it('ec2-no-secrets-in-user-data: a password Terraform interpolates into the script at apply', () => {
    expect(userDataStatus((s) => userDataFromLocal(s, '#!/bin/bash\nexport DB_PASSWORD=${var.db_password}\n'))).toBe('non-compliant');
    // A shell expansion is read on the instance, from wherever the script fetched it.
    expect(userDataStatus((s) => userDataFromLocal(s, '#!/bin/bash\nexport DB_PASSWORD="$(read-secret db)"\n'))).toBe('compliant');
  });

  it("ec2-no-secrets-in-user-data: an instance's plain-text user data", () => {
    expect(
      status('ec2-no-secrets-in-user-data', 'aws_instance.vm', (s) => {
        new Instance(s, 'vm', { ami: 'ami-1', instanceType: 't3.micro', userData: '#!/bin/bash\nexport DB_PASSWORD=hunter2hunter2\n' });
      }),
    ).toBe('non-compliant');
  });

  it("ec2-no-secrets-in-user-data: the platform's boot script, with secret references and both programs, passes", () => {
    const settings = {
      mode: 'container',
      appPort: 8080,
      environment: { DB_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:rds!db-1', LOG_LEVEL: 'info' },
      image: { digest: `sha256:${'a'.repeat(64)}`, tag: 'v1.2.3' },
      secrets: { API_KEY: { secret: 'web-prod/api-key' }, DB_PASSWORD: { parameter: '/web-prod/db-password' } },
    };
    expect(userDataStatus((s) => userDataFromLocal(s, bootScript(settings)))).toBe('compliant');
    expect(userDataStatus((s) => userDataFromLocal(s, bootScript({ mode: 'placeholder' }, 'placeholder')))).toBe('compliant');
    expect(userDataStatus((s) => Fn.base64gzip(new TerraformLocal(s, 'script', bootScript(settings)).asString))).toBe('compliant');
  });

  it('ec2-imdsv2: an unset hop limit is not 1 (an AMI with ImdsSupport v2.0 makes it 2)', () => {
    expect(
      status('ec2-imdsv2', 'aws_launch_template.lt', (s) => {
        launchTemplate(s, { metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required' } });
      }),
    ).toBe('non-compliant');
  });

  it("ec2-imdsv2: the reason does not claim the hop limit keeps the app's host-network container off the metadata service", () => {
    // The release's container shares the host's network (boot/launcher.ts): no extra hop, so the hop limit
    // does not keep it off IMDS, and the reason must say what does.
    expect(LAUNCH_PY).toContain('"--network", "host"');
    expect(ruleById('ec2-imdsv2').why).not.toMatch(/keeps containers from reaching/);
    expect(ruleById('ec2-imdsv2').why).toMatch(/host's network/);
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
