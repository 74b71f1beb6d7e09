import { Construct } from 'constructs';
import { Fn, TerraformLocal } from 'cdktf';
import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { suppress } from '../policy/suppress';
import { SecurityGroup, type Connectable } from './security-group';
import { renderUserData } from './user-data';
import { policyDocument } from './policy-statements';
import { stringTypedBool, stringTypedNumber } from './string-typed';
import { INLINE_POLICIES, names } from '../naming';

export interface AppServersProps {
  /** Name prefix, e.g. `web-prod`. */
  readonly prefix: string;
  readonly vpcId: string;
  /** Private app subnets (one per zone) the group spreads over. */
  readonly subnetIds: readonly string[];
  readonly instanceType: string;
  /** Public SSM parameter naming the AMI; EC2 resolves it at each launch (`resolve:ssm:`). */
  readonly amiSsmParameter: string;
  readonly appPort: number;
  readonly healthCheckPath: string;
  readonly minSize: number;
  readonly desiredCapacity: number;
  readonly maxSize: number;
  /** Target groups the instances register with. */
  readonly targetGroupArns: readonly string[];
  /** The database secret the application may read (and nothing else in Secrets Manager). */
  readonly databaseSecretArn: string;
  /** Key that encrypts that secret (decrypt allowed only through Secrets Manager). */
  readonly kmsKeyArn: string;
  readonly region: string;
  /** Account of the instances: the agent may write only to this account's `/<prefix>/` log groups. */
  readonly accountId: string;
  /**
   * The uploads bucket: the instance role may read, write and delete its objects (and nothing else of it),
   * using the key that encrypts them through S3 only. @default - none
   */
  readonly uploadsBucketArn?: string;
  /** Settings handed to the application in /etc/webapp/env. @default - none */
  readonly appEnvironment?: Readonly<Record<string, string>>;
  /** Tags on instances and volumes (provider default tags do not reach them through an ASG). */
  readonly instanceTags: Readonly<Record<string, string>>;
  /** Root volume size in GiB. @default 20 */
  readonly rootVolumeGiB?: number;
  /** Seconds a new instance gets before health checks count. @default 300 */
  readonly healthCheckGracePeriod?: number;
}

const ASSUME_EC2 = policyDocument([{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }]);

/**
 * The application servers: instance role and profile, a launch template (AMI from SSM, IMDSv2 only with
 * hop limit 1, encrypted gp3 root volume, no public IP, user-data that boots a healthy app) and an auto
 * scaling group over the private app subnets with ELB health checks and rolling instance refresh.
 */
export class AppServers extends Construct implements Connectable {
  readonly role: IamRole;
  readonly launchTemplate: LaunchTemplate;
  readonly autoScalingGroup: AutoscalingGroup;
  readonly securityGroup: SecurityGroup;
  readonly appPort: number;

  constructor(scope: Construct, id: string, props: AppServersProps) {
    super(scope, id);
    const { prefix } = props;
    this.appPort = props.appPort;

    this.securityGroup = new SecurityGroup(this, 'security_group', {
      label: 'app',
      vpcId: props.vpcId,
      name: names.securityGroup(prefix, 'app'),
      description: `${prefix} app servers: app port ${props.appPort} from the load balancer only`,
    });
    // Package repositories, SSM, CloudWatch and Secrets Manager endpoints are HTTPS.
    const https = this.securityGroup.allowToInternet(443, 'https', 'HTTPS to AWS APIs and package repositories');
    suppress(
      https,
      'security-group-no-public-egress',
      'App servers reach AWS APIs and the OS package repositories over HTTPS through the NAT gateways, and those endpoints have no fixed address ranges.',
    );

    this.role = new IamRole(this, 'role', {
      name: names.appServers(prefix),
      description: `Instance role of the ${prefix} app servers`,
      assumeRolePolicy: ASSUME_EC2,
    });
    const ssmCore = new IamRolePolicyAttachment(this, 'role_ssm_core', {
      role: this.role.name,
      policyArn: 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
    });
    suppress(
      ssmCore,
      'iam-no-managed-policies',
      'Operators reach instances only through Session Manager (no SSH, no bastion), and AWS maintains this policy as the SSM agent changes; a copy of ours would drift.',
    );
    new IamRolePolicy(this, 'role_publish_metrics', {
      name: INLINE_POLICIES.metrics,
      role: this.role.id,
      policy: policyDocument([
        {
          Sid: 'PublishAgentMetrics',
          Effect: 'Allow',
          Action: 'cloudwatch:PutMetricData',
          Resource: '*',
          Condition: { StringEquals: { 'cloudwatch:namespace': 'CWAgent' } },
        },
        { Sid: 'DescribeOwnInstance', Effect: 'Allow', Action: ['ec2:DescribeTags', 'ec2:DescribeVolumes'], Resource: '*' },
        {
          Sid: 'ShipAgentLogsToThisStacksLogGroups',
          Effect: 'Allow',
          Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams', 'logs:PutRetentionPolicy'],
          Resource: `arn:aws:logs:${props.region}:${props.accountId}:log-group:${names.agentLogGroupPrefix(prefix)}*`,
        },
        {
          Sid: 'ReadAgentConfiguration',
          Effect: 'Allow',
          Action: 'ssm:GetParameter',
          Resource: `arn:aws:ssm:${props.region}:${props.accountId}:parameter/AmazonCloudWatch-${prefix}*`,
        },
      ]),
    });
    new IamRolePolicy(this, 'role_read_database_secret', {
      name: INLINE_POLICIES.databaseSecret,
      role: this.role.id,
      policy: policyDocument([
        {
          Sid: 'ReadTheDatabaseSecret',
          Effect: 'Allow',
          Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
          Resource: props.databaseSecretArn,
        },
        {
          Sid: 'DecryptItThroughSecretsManager',
          Effect: 'Allow',
          Action: 'kms:Decrypt',
          Resource: props.kmsKeyArn,
          Condition: { StringEquals: { 'kms:ViaService': `secretsmanager.${props.region}.amazonaws.com` } },
        },
      ]),
    });
    if (props.uploadsBucketArn) {
      new IamRolePolicy(this, 'role_use_uploads', {
        name: INLINE_POLICIES.uploads,
        role: this.role.id,
        policy: policyDocument([
          { Sid: 'ReadWriteDeleteUploads', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: `${props.uploadsBucketArn}/*` },
          {
            Sid: 'UseTheUploadsKeyThroughS3',
            Effect: 'Allow',
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
            Resource: props.kmsKeyArn,
            Condition: { StringEquals: { 'kms:ViaService': `s3.${props.region}.amazonaws.com` } },
          },
        ]),
      });
    }
    const profile = new IamInstanceProfile(this, 'instance_profile', { name: names.appServers(prefix), role: this.role.name });

    // A local keeps the script a readable template; Terraform fills in the database address and secret.
    const userData = new TerraformLocal(this, 'user_data', renderUserData({
      appPort: props.appPort,
      healthCheckPath: props.healthCheckPath,
      environment: { AWS_REGION: props.region, ...(props.appEnvironment ?? {}) },
    }));
    const tags = { ...props.instanceTags, Name: names.nameTag(prefix, 'app') };
    this.launchTemplate = new LaunchTemplate(this, 'launch_template', {
      name: names.appServers(prefix),
      description: `${prefix} app servers`,
      imageId: `resolve:ssm:${props.amiSsmParameter}`,
      instanceType: props.instanceType,
      iamInstanceProfile: { arn: profile.arn },
      metadataOptions: {
        httpEndpoint: 'enabled',
        httpTokens: 'required',
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: 'enabled',
      },
      blockDeviceMappings: [
        {
          deviceName: '/dev/xvda',
          ebs: {
            volumeSize: props.rootVolumeGiB ?? 20,
            volumeType: 'gp3',
            encrypted: stringTypedBool(true),
            deleteOnTermination: stringTypedBool(true),
          },
        },
      ],
      networkInterfaces: [
        {
          deviceIndex: 0,
          associatePublicIpAddress: stringTypedBool(false),
          securityGroups: [this.securityGroup.id],
          deleteOnTermination: stringTypedBool(true),
        },
      ],
      monitoring: { enabled: true },
      ebsOptimized: stringTypedBool(true),
      userData: Fn.base64encode(userData.asString),
      updateDefaultVersion: true,
      tagSpecifications: ['instance', 'volume', 'network-interface'].map((resourceType) => ({ resourceType, tags })),
      tags: { Name: names.nameTag(prefix, 'app') },
    });

    this.autoScalingGroup = new AutoscalingGroup(this, 'auto_scaling_group', {
      name: names.appServers(prefix),
      vpcZoneIdentifier: [...props.subnetIds],
      minSize: props.minSize,
      desiredCapacity: props.desiredCapacity,
      maxSize: props.maxSize,
      launchTemplate: { id: this.launchTemplate.id, version: this.launchTemplate.latestVersion.toString() },
      targetGroupArns: [...props.targetGroupArns],
      healthCheckType: 'ELB',
      healthCheckGracePeriod: props.healthCheckGracePeriod ?? 300,
      defaultInstanceWarmup: 120,
      waitForCapacityTimeout: '15m',
      enabledMetrics: [
        'GroupDesiredCapacity',
        'GroupInServiceInstances',
        'GroupMaxSize',
        'GroupMinSize',
        'GroupPendingInstances',
        'GroupTerminatingInstances',
        'GroupTotalInstances',
      ],
      instanceRefresh: {
        strategy: 'Rolling',
        preferences: { minHealthyPercentage: 90, instanceWarmup: stringTypedNumber(120), autoRollback: true },
      },
      tag: Object.entries(tags).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
      // Scaling policies own the desired capacity once the group exists.
      lifecycle: { ignoreChanges: ['desired_capacity'] },
    });
  }

  /** Lets `peer` reach the application port (and only that port). */
  allowFrom(peer: Connectable): void {
    this.securityGroup.allowFrom(peer.securityGroup, this.appPort, `${peer.securityGroup.label} to app port ${this.appPort}`);
  }
}
