import { Construct } from 'constructs';
import { Fn, TerraformLocal, Token } from 'cdktf';
import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { suppress } from '../policy/suppress';
import { SecurityGroup, type Connectable } from './security-group';
import { renderUserData } from '../boot/user-data';
import { DB_CREDENTIALS_FILE, DB_CREDENTIALS_REFRESH_SECONDS, LAUNCH_PY, PLACEHOLDER_PY } from '../boot/launcher';
import type { ApplicationConfig, RolloutConfig } from '../config/types';
import { policyDocument } from './policy-statements';
import { stringTypedBool } from './string-typed';
import { INLINE_POLICIES, names, releaseParameterName, ssmParameterArn } from '../naming';
import { ECR_REPOSITORY_URL } from '../naming/rules';
import { LAUNCH_TEMPLATE_VERSION_PATH, type RolloutSettings } from '../commands/release';

export interface AppServersProps {
  /** Name prefix, e.g. `web-prod`. */
  readonly prefix: string;
  readonly vpcId: string;
  /** Private app subnets (one per zone) the group spreads over. */
  readonly subnetIds: readonly string[];
  readonly instanceType: string;
  /**
   * The image of the instances: a pinned AMI id, or a public SSM parameter read when the deploy is planned
   * (`plan`: the launch template names the AMI it found) or by EC2 at each launch (`launch`: `resolve:ssm:`, no
   * rollback possible).
   */
  readonly ami: { readonly id: string } | { readonly ssmParameter: string; readonly resolution: 'plan' | 'launch' };
  /** What runs on the instances: the placeholder or a container image of a release. */
  readonly application: ApplicationConfig;
  /** The ECR repository of the environment, when the release's image is in it. @default - none */
  readonly registry?: { readonly repositoryUrl: string; readonly repositoryArn: string };
  /** Secrets and parameters the application may read live under `<secretPrefix>/` (Secrets Manager) and `/<secretPrefix>/` (SSM). */
  readonly secretPrefix: string;
  /** How a release (a new launch template version) replaces the instances. */
  readonly rollout: RolloutConfig;
  /** Alarms whose ALARM state stops a release and rolls it back (the 5xx and unhealthy-host alarms). */
  readonly rollbackAlarmNames: readonly string[];
  /** Days to keep the application's logs (container mode: the awslogs driver writes `/<prefix>/app`). */
  readonly logRetentionDays: number;
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
  /** Environment handed to the application (values may be Terraform tokens). @default - none */
  readonly appEnvironment?: Readonly<Record<string, string>>;
  /** Tags on instances and volumes (provider default tags do not reach them through an ASG). */
  readonly instanceTags: Readonly<Record<string, string>>;
  /** Root volume size in GiB. @default 20 */
  readonly rootVolumeGiB?: number;
  /** Seconds a new instance gets before health checks count. @default 300 */
  readonly healthCheckGracePeriod?: number;
}

/** The AWS managed policy of Session Manager, attached to the instance role (the CI deploy role may attach exactly it). */
export const SSM_CORE_POLICY_ARN = 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore';

/** Seconds a new instance warms up before its metrics count (the group's default, and a release's). */
const INSTANCE_WARMUP_SECONDS = 120;

const ASSUME_EC2 = policyDocument([{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }]);

/**
 * The application servers: instance role and profile, a launch template (a concrete AMI, IMDSv2 only with
 * hop limit 1, encrypted gp3 root volume, no public IP, a boot script that starts the placeholder or the
 * release's container image) and an auto scaling group over the private app subnets with ELB health checks.
 *
 * Releases: every change makes a new numbered launch template version, but Terraform leaves the group's
 * version alone after creation (`ignore_changes`) and starts no instance refresh. `npm run release`
 * (commands/release.ts, release/index.ts) starts one with the new version as its *desired configuration*
 * while the group still holds the previous version, so an automatic rollback returns to the previous
 * version: AWS rolls back to "the configuration that you last saved on the Auto Scaling group before
 * starting the instance refresh" (EC2 Auto Scaling User Guide, "Undo changes with a manual or auto
 * rollback", https://docs.aws.amazon.com/autoscaling/ec2/userguide/instance-refresh-rollback.html), and only
 * a successful refresh saves the desired configuration on the group (API reference, StartInstanceRefresh,
 * DesiredConfiguration). Terraform's own `instance_refresh` updates the group first and then starts the
 * refresh, so its rollback target is the new version (hashicorp/terraform-provider-aws#34189). The refresh
 * settings (launch before terminate by default, checkpoints, skip matching, rollback on the 5xx and
 * unhealthy-host alarms; no rollback for a template whose AMI is `resolve:ssm:`) are the `rollout` local,
 * which the stack's `release` output hands to the release.
 */
export class AppServers extends Construct implements Connectable {
  readonly role: IamRole;
  readonly launchTemplate: LaunchTemplate;
  readonly autoScalingGroup: AutoscalingGroup;
  readonly securityGroup: SecurityGroup;
  readonly appPort: number;
  /** The launch template's image: an AMI id (or, with launch-time resolution, `resolve:ssm:<parameter>`). */
  readonly imageId: string;
  /** The application's log group (container mode). */
  readonly logGroup?: CloudwatchLogGroup;
  /** What a release sends to StartInstanceRefresh (a local; the stack outputs it as `release.rollout`). */
  readonly rollout: TerraformLocal;

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
      policyArn: SSM_CORE_POLICY_ARN,
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
          Action: [
            'logs:CreateLogGroup',
            'logs:CreateLogStream',
            'logs:PutLogEvents',
            'logs:DescribeLogStreams',
            'logs:PutRetentionPolicy',
          ],
          Resource: `arn:aws:logs:${props.region}:${props.accountId}:log-group:${names.agentLogGroupPrefix(prefix)}*`,
        },
        {
          Sid: 'ReadAgentConfiguration',
          Effect: 'Allow',
          Action: 'ssm:GetParameter',
          Resource: ssmParameterArn(props.region, props.accountId, `AmazonCloudWatch-${prefix}*`),
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
          {
            Sid: 'ReadWriteDeleteUploads',
            Effect: 'Allow',
            Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
            Resource: `${props.uploadsBucketArn}/*`,
          },
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
    const app = props.application;
    const secretRefs = app.kind === 'container' ? Object.entries(app.secrets ?? {}) : [];
    const secretArns = secretRefs.flatMap(([, ref]) =>
      'secret' in ref
        ? [`arn:aws:secretsmanager:${props.region}:${props.accountId}:secret:${props.secretPrefix}/${ref.secret}-??????`]
        : [],
    );
    const parameterArns = secretRefs.flatMap(([, ref]) =>
      'parameter' in ref ? [ssmParameterArn(props.region, props.accountId, releaseParameterName(props.secretPrefix, ref.parameter))] : [],
    );
    if (secretArns.length + parameterArns.length > 0) {
      new IamRolePolicy(this, 'role_read_release_secrets', {
        name: INLINE_POLICIES.releaseSecrets,
        role: this.role.id,
        policy: policyDocument([
          ...(secretArns.length > 0
            ? [{ Sid: 'ReadTheReleasesSecrets', Effect: 'Allow' as const, Action: 'secretsmanager:GetSecretValue', Resource: secretArns }]
            : []),
          ...(parameterArns.length > 0
            ? [{ Sid: 'ReadTheReleasesParameters', Effect: 'Allow' as const, Action: 'ssm:GetParameter', Resource: parameterArns }]
            : []),
          {
            Sid: 'DecryptThemWithTheStackKey',
            Effect: 'Allow',
            Action: 'kms:Decrypt',
            Resource: props.kmsKeyArn,
            Condition: {
              StringEquals: { 'kms:ViaService': [`secretsmanager.${props.region}.amazonaws.com`, `ssm.${props.region}.amazonaws.com`] },
            },
          },
        ]),
      });
    }

    const ecr = app.kind === 'container' && app.image.repository === undefined ? props.registry : undefined;
    if (app.kind === 'container') {
      if (app.image.repository === undefined && ecr === undefined)
        throw new Error(`AppServers ${prefix}: a container release needs image.repository or the environment's ECR repository`);
      // The pull needs the role's permission on an ECR repository: the environment's, or one the config names
      // (another account's also needs its repository policy to allow this role).
      const named = ECR_REPOSITORY_URL.exec(app.image.repository ?? '');
      const repositoryArn = ecr?.repositoryArn ?? (named ? `arn:aws:ecr:${named[2]}:${named[1]}:repository/${named[3]}` : undefined);
      if (repositoryArn) {
        const pull = new IamRolePolicy(this, 'role_pull_release_image', {
          name: INLINE_POLICIES.pullImage,
          role: this.role.id,
          policy: policyDocument([
            // GetAuthorizationToken has no resource to scope to (ECR API reference).
            { Sid: 'SignInToTheRegistry', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
            {
              Sid: 'PullFromTheRepository',
              Effect: 'Allow',
              Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
              Resource: repositoryArn,
            },
          ]),
        });
        suppress(
          pull,
          'iam-no-wildcard-resources',
          'ECR issues its sign-in token (GetAuthorizationToken) for the whole registry and accepts no resource but "*"; the pull itself is scoped to the one repository.',
        );
      }
    }
    this.logGroup =
      app.kind === 'container'
        ? new CloudwatchLogGroup(this, 'log_group', {
            name: names.appLogGroup(prefix),
            retentionInDays: props.logRetentionDays,
            kmsKeyId: props.kmsKeyArn,
          })
        : undefined;

    const profile = new IamInstanceProfile(this, 'instance_profile', { name: names.appServers(prefix), role: this.role.name });

    // What the application's start reads, in two files. settings.json holds every value of the config,
    // encoded here: cdktf does not escape quotes, backslashes or %{ in strings nested in a Terraform
    // expression, so no config text may ever pass through one. platform.json holds only what is known at
    // apply time (database address, secret ARN, the registry's URL): Terraform references, which Terraform
    // itself encodes (base64 of jsonencode).
    const literalEnvironment: Record<string, string> = {};
    const referenceEnvironment: Record<string, string> = {};
    for (const [name, value] of Object.entries(props.appEnvironment ?? {}))
      (Token.isUnresolved(value) ? referenceEnvironment : literalEnvironment)[name] = value;
    const settings = {
      mode: app.kind,
      appPort: props.appPort,
      healthCheckPath: props.healthCheckPath,
      region: props.region,
      environment: { ...literalEnvironment, ...(app.kind === 'container' ? (app.environment ?? {}) : {}) },
      ...(app.kind === 'container'
        ? {
            image: { ...(app.image.repository ? { repository: app.image.repository } : {}), digest: app.image.digest, tag: app.image.tag },
            ...(app.command ? { command: [...app.command] } : {}),
            logGroup: names.appLogGroup(prefix),
            // The database password rotates: the application reads it from this file, which launch.py keeps current.
            databaseCredentials: { file: DB_CREDENTIALS_FILE, refreshSeconds: DB_CREDENTIALS_REFRESH_SECONDS },
            secrets: Object.fromEntries(
              secretRefs.map(([name, ref]) => [
                name,
                'secret' in ref
                  ? { secret: `${props.secretPrefix}/${ref.secret}` }
                  : { parameter: releaseParameterName(props.secretPrefix, ref.parameter) },
              ]),
            ),
          }
        : {}),
    };
    const platform = {
      environment: referenceEnvironment,
      ...(app.kind === 'container' ? { databaseSecretArn: props.databaseSecretArn } : {}),
      ...(ecr ? { imageRepository: ecr.repositoryUrl } : {}),
    };
    const userData = new TerraformLocal(
      this,
      'user_data',
      renderUserData({
        mode: app.kind,
        settingsBase64: Buffer.from(JSON.stringify(settings), 'utf8').toString('base64'),
        platformBase64: Fn.base64encode(Fn.jsonencode(new TerraformLocal(this, 'platform_settings', platform).asAnyMap)),
        launcher: LAUNCH_PY,
        placeholder: PLACEHOLDER_PY,
      }),
    );
    const tags = { ...props.instanceTags, Name: names.nameTag(prefix, 'app') };

    const { ami } = props;
    let imageId: string;
    if ('id' in ami) imageId = ami.id;
    else if (ami.resolution === 'launch') imageId = `resolve:ssm:${ami.ssmParameter}`;
    else imageId = new DataAwsSsmParameter(this, 'ami', { name: ami.ssmParameter }).insecureValue;
    this.imageId = imageId;
    /** EC2 rolls back only to a launch template version that names its AMI (not resolve:ssm:). */
    const rollbackPossible = !('resolution' in ami && ami.resolution === 'launch');

    this.launchTemplate = new LaunchTemplate(this, 'launch_template', {
      name: names.appServers(prefix),
      description: `${prefix} app servers`,
      imageId,
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
      defaultInstanceWarmup: INSTANCE_WARMUP_SECONDS,
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
      tag: Object.entries(tags).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
      // Scaling policies own the desired capacity once the group exists. The launch template version is set
      // here at creation only: afterwards a release (`npm run release`) moves it, through an instance refresh
      // whose desired configuration is the new version (see RolloutSettings).
      lifecycle: { ignoreChanges: ['desired_capacity', LAUNCH_TEMPLATE_VERSION_PATH] },
    });

    // What a release sends to StartInstanceRefresh, kept in the stack (and its `release` output) so that what
    // runs is what was deployed and the policy pack can check it.
    const rollout: RolloutSettings = {
      auto_scaling_group: this.autoScalingGroup.name,
      launch_template_id: this.launchTemplate.id,
      launch_template_version: Token.asString(this.launchTemplate.latestVersion),
      image_id: imageId,
      strategy: 'Rolling',
      preferences: {
        min_healthy_percentage: props.rollout.minHealthyPercentage,
        max_healthy_percentage: props.rollout.maxHealthyPercentage,
        instance_warmup: INSTANCE_WARMUP_SECONDS,
        checkpoint_percentages: [...props.rollout.checkpointPercentages],
        checkpoint_delay: props.rollout.checkpointDelaySeconds,
        skip_matching: true,
        auto_rollback: rollbackPossible,
        alarms: [...props.rollbackAlarmNames],
        scale_in_protected_instances: 'Refresh',
        standby_instances: 'Ignore',
      },
    };
    this.rollout = new TerraformLocal(this, 'rollout', rollout);
  }

  /** Lets `peer` reach the application port (and only that port). */
  allowFrom(peer: Connectable): void {
    this.securityGroup.allowFrom(peer.securityGroup, this.appPort, `${peer.securityGroup.label} to app port ${this.appPort}`);
  }
}
