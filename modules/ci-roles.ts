import { Construct, type IConstruct } from 'constructs';
import type { IAspect } from 'cdktf';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import type { CiProvider } from '../config/types';
import { CI_DEPLOY_GRANTS, names, ssmParameterArn, stateStackNames, type CiDeployGrant } from '../naming';
import { suppress } from '../policy/suppress';
import { SSM_CORE_POLICY_ARN } from './app-servers';
import { policyDocument, type PolicyStatement } from './policy-statements';

/** What the roles trust, per CI host: the token issuer and the `sub` claims of each kind of run. */
export interface CiHost {
  /** Issuer URL of the host's OpenID Connect tokens. */
  readonly issuer: string;
  /** The `aud` claim the tokens carry for AWS. */
  readonly audience: string;
  /** `sub` of a run on `branch` (a push to it, a schedule on it). */
  readonly branchSubject: (repository: string, branch: string) => string;
  /** `sub` of a pull request's run. */
  readonly pullRequestSubject: (repository: string) => string;
  /** `sub` of a job that names the deployment environment `environment`. */
  readonly environmentSubject: (repository: string, environment: string) => string;
}

/**
 * GitHub Actions' tokens with the default subject template ("About security hardening with OpenID Connect",
 * docs.github.com): `repo:<owner>/<name>:ref:refs/heads/<branch>`, `…:pull_request`, `…:environment:<name>`.
 * A job that names an environment gets the environment subject, whatever its branch.
 */
export const CI_HOSTS: Readonly<Record<CiProvider, CiHost>> = {
  github: {
    issuer: 'https://token.actions.githubusercontent.com',
    audience: 'sts.amazonaws.com',
    branchSubject: (repository, branch) => `repo:${repository}:ref:refs/heads/${branch}`,
    pullRequestSubject: (repository) => `repo:${repository}:pull_request`,
    environmentSubject: (repository, environment) => `repo:${repository}:environment:${environment}`,
  },
};

/** Where an environment's Terraform state is, as the CI roles reach it. */
export interface CiStateAccess {
  /** Bucket of the state object. */
  readonly bucket: string;
  /** Object key of the state (`web/dev/web-dev.tfstate`); its lock file is `<key>.tflock`. */
  readonly key: string;
  /** ARN of the KMS key of the state objects. @default - see kmsAlias; neither: SSE-S3, no key permission */
  readonly kmsKeyArn?: string;
  /** Alias of that key (`alias/…`), when only the alias is known: the grant names the key by its alias. @default - none */
  readonly kmsAlias?: string;
  /** Region of the key named by `kmsAlias`. @default - none */
  readonly kmsRegion?: string;
  /** ARN of the DynamoDB lock table. @default - no lock table: the S3 lock file alone */
  readonly lockTableArn?: string;
  /** Role the backend assumes for the state: the CI roles then need only to assume it. @default - none */
  readonly roleArn?: string;
}

/** One environment the roles deploy and plan. */
export interface CiEnvironment {
  /** Environment name: the GitHub environment the deploy role trusts, and the `Environment` tag. */
  readonly name: string;
  /** Resource name prefix, `<project>-<env>`: the deploy role manages what is named `<prefix>-*`. */
  readonly prefix: string;
  /** Region of the environment. */
  readonly region: string;
  /** The public SSM parameter of the AMI, read when the deploy is planned. @default - none (a pinned AMI) */
  readonly amiParameter?: string;
  /** Route 53 hosted zone and domain of the certificate and the alias record. @default - none (no DNS) */
  readonly dns?: { readonly hostedZoneId: string; readonly domainName: string };
  /** Where its state is. @default - not in S3 (pg or HCP Terraform): no state permission */
  readonly state?: CiStateAccess;
}

export interface CiRolesProps {
  /** Project name: roles `<project>-ci-plan` and `<project>-ci-deploy`, tag `Project`. */
  readonly project: string;
  /** Account of the roles and of every environment. */
  readonly accountId: string;
  /** CI host whose tokens the roles trust. */
  readonly provider: CiProvider;
  /** `owner/name`: the only repository whose workflows may assume the roles. */
  readonly repository: string;
  /** Branch whose runs may assume the plan role (besides pull requests). */
  readonly mainBranch: string;
  /** Create the account's OpenID Connect provider for the host, or use the existing one. */
  readonly identityProvider: 'create' | 'existing';
  /** Longest session of either role, in seconds (3600–43200). */
  readonly maxSessionSeconds: number;
  /** The environments: the deploy role trusts one GitHub environment per entry, both roles reach their resources. */
  readonly environments: readonly CiEnvironment[];
}

const tagged = (project: string, env: string, key: 'aws:ResourceTag' | 'aws:RequestTag') => ({
  StringEquals: { [`${key}/Project`]: project, [`${key}/Environment`]: env },
});

/** ARN builders of one environment, every one scoped by the environment's name prefix. */
function arnsOf(accountId: string, env: CiEnvironment) {
  const { region, prefix } = env;
  const at = (service: string, resource: string, account = accountId) => `arn:aws:${service}:${region}:${account}:${resource}`;
  return {
    ec2: at('ec2', '*'),
    image: `arn:aws:ec2:${region}::image/*`,
    loadBalancers: [
      at('elasticloadbalancing', `loadbalancer/app/${prefix}-*/*`),
      at('elasticloadbalancing', `targetgroup/${prefix}-*/*`),
      at('elasticloadbalancing', `listener/app/${prefix}-*/*/*`),
      at('elasticloadbalancing', `listener-rule/app/${prefix}-*/*/*/*`),
    ],
    loadBalancer: at('elasticloadbalancing', `loadbalancer/app/${prefix}-*/*`),
    autoScalingGroup: at('autoscaling', `autoScalingGroup:*:autoScalingGroupName/${prefix}-*`),
    repository: at('ecr', `repository/${prefix}-*`),
    database: [at('rds', `db:${prefix}-*`), at('rds', `subgrp:${prefix}-*`), at('rds', `pg:${prefix}-*`)],
    databaseWrite: [
      at('rds', `db:${prefix}-*`),
      at('rds', `subgrp:${prefix}-*`),
      at('rds', `pg:${prefix}-*`),
      at('rds', `snapshot:${prefix}-*`),
    ],
    defaultOptionGroups: at('rds', 'og:default:*'),
    databaseSecret: at('secretsmanager', 'secret:rds!*'),
    buckets: `arn:aws:s3:::${prefix}-*`,
    keys: at('kms', 'key/*'),
    alias: at('kms', `alias/${prefix}-*`),
    roles: `arn:aws:iam::${accountId}:role/${prefix}-*`,
    instanceProfiles: `arn:aws:iam::${accountId}:instance-profile/${prefix}-*`,
    logGroups: [
      names.flowLogGroup(prefix),
      `${names.agentLogGroupPrefix(prefix)}*`,
      `/aws/rds/instance/${names.dbInstance(prefix)}/*`,
      names.wafLogGroup(prefix),
    ].flatMap((g) => [at('logs', `log-group:${g}`), at('logs', `log-group:${g}:*`)]),
    alarms: at('cloudwatch', `alarm:${prefix}-*`),
    topics: at('sns', `${prefix}-*`),
    webAcl: at('wafv2', `regional/webacl/${prefix}-*/*`),
    managedRuleGroups: `arn:aws:wafv2:${region}:*:regional/managedruleset/*/*`,
    certificates: at('acm', 'certificate/*'),
    // A public parameter (AWS's): no account in its ARN.
    amiParameter: env.amiParameter === undefined ? undefined : ssmParameterArn(region, '', env.amiParameter),
  };
}

/** The statements of one grant for one environment. */
type Grants = (env: CiEnvironment, arns: ReturnType<typeof arnsOf>) => PolicyStatement[];

/**
 * Read access to the platform's resources: what `terraform plan` reads to refresh every resource of the
 * stacks. Describe and List calls of EC2, Elastic Load Balancing and Auto Scaling cannot be scoped to a
 * resource (policy/iam-rules.ts lists them); every other read names the environment's resources.
 */
function readGrants(project: string): Grants {
  return (env, arn): PolicyStatement[] => [
    {
      Sid: 'ReadBuckets',
      Effect: 'Allow',
      Action: [
        's3:GetBucket*',
        's3:GetAccelerateConfiguration',
        's3:GetEncryptionConfiguration',
        's3:GetLifecycleConfiguration',
        's3:GetReplicationConfiguration',
        's3:GetAnalyticsConfiguration',
        's3:GetIntelligentTieringConfiguration',
        's3:GetInventoryConfiguration',
        's3:GetMetricsConfiguration',
      ],
      Resource: arn.buckets,
    },
    {
      Sid: 'ReadDatabases',
      Effect: 'Allow',
      Action: [
        'rds:DescribeDBInstances',
        'rds:DescribeDBSubnetGroups',
        'rds:DescribeDBParameterGroups',
        'rds:DescribeDBParameters',
        'rds:ListTagsForResource',
      ],
      Resource: arn.database,
    },
    {
      Sid: 'ReadKeys',
      Effect: 'Allow',
      Action: ['kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus', 'kms:ListResourceTags'],
      Resource: arn.keys,
      Condition: tagged(project, env.name, 'aws:ResourceTag'),
    },
    {
      Sid: 'ReadRoles',
      Effect: 'Allow',
      Action: [
        'iam:GetRole',
        'iam:GetRolePolicy',
        'iam:ListRolePolicies',
        'iam:ListAttachedRolePolicies',
        'iam:GetInstanceProfile',
        'iam:ListInstanceProfilesForRole',
      ],
      Resource: [arn.roles, arn.instanceProfiles],
    },
    { Sid: 'ReadLogGroups', Effect: 'Allow', Action: ['logs:ListTagsForResource', 'logs:ListTagsLogGroup'], Resource: arn.logGroups },
    { Sid: 'ReadAlarms', Effect: 'Allow', Action: ['cloudwatch:DescribeAlarms', 'cloudwatch:ListTagsForResource'], Resource: arn.alarms },
    {
      Sid: 'ReadTopics',
      Effect: 'Allow',
      Action: ['sns:GetTopicAttributes', 'sns:ListTagsForResource', 'sns:ListSubscriptionsByTopic', 'sns:GetSubscriptionAttributes'],
      Resource: arn.topics,
    },
    {
      Sid: 'ReadWebAcl',
      Effect: 'Allow',
      Action: ['wafv2:GetWebACL', 'wafv2:GetLoggingConfiguration', 'wafv2:ListTagsForResource', 'wafv2:GetWebACLForResource'],
      Resource: [arn.webAcl, arn.loadBalancer],
    },
    {
      Sid: 'ReadRepositories',
      Effect: 'Allow',
      Action: ['ecr:DescribeRepositories', 'ecr:GetLifecyclePolicy', 'ecr:GetRepositoryPolicy', 'ecr:ListTagsForResource'],
      Resource: arn.repository,
    },
    {
      Sid: 'ReadCertificates',
      Effect: 'Allow',
      Action: ['acm:DescribeCertificate', 'acm:ListTagsForCertificate'],
      Resource: arn.certificates,
      Condition: tagged(project, env.name, 'aws:ResourceTag'),
    },
    ...(env.dns
      ? [
          {
            Sid: 'ReadRecords',
            Effect: 'Allow' as const,
            Action: ['route53:GetHostedZone', 'route53:ListResourceRecordSets', 'route53:ListTagsForResource', 'route53:GetChange'],
            Resource: [`arn:aws:route53:::hostedzone/${env.dns.hostedZoneId}`, 'arn:aws:route53:::change/*'],
          },
        ]
      : []),
    ...(arn.amiParameter
      ? [
          {
            Sid: 'ReadAmiParameter',
            Effect: 'Allow' as const,
            Action: ['ssm:GetParameter', 'ssm:GetParameters'],
            Resource: arn.amiParameter,
          },
        ]
      : []),
  ];
}

/** Statements every read policy has once: the calls AWS cannot scope to a resource. */
const UNSCOPED_READS: PolicyStatement[] = [
  {
    Sid: 'DescribeNetworkComputeAndLoadBalancing',
    Effect: 'Allow',
    Action: ['ec2:Describe*', 'elasticloadbalancing:Describe*', 'autoscaling:Describe*', 'kms:ListAliases', 'logs:DescribeLogGroups'],
    Resource: '*',
  },
];

/**
 * The state: `deploy` reads and writes the state objects, `plan` only reads them; both take and release the
 * lock (the `.tflock` object, the DynamoDB item). Nothing else of the bucket.
 */
function stateGrants(role: 'plan' | 'deploy'): Grants {
  return (env) => {
    const state = env.state;
    if (!state) return [];
    if (state.roleArn !== undefined)
      return [{ Sid: 'AssumeTheStateRole', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: state.roleArn }];
    const bucket = `arn:aws:s3:::${state.bucket}`;
    const object = `${bucket}/${state.key}`;
    const statements: PolicyStatement[] = [
      { Sid: 'ListTheStateBucket', Effect: 'Allow', Action: 's3:ListBucket', Resource: bucket },
      {
        Sid: role === 'deploy' ? 'ReadAndWriteTheState' : 'ReadTheState',
        Effect: 'Allow',
        Action: role === 'deploy' ? ['s3:GetObject', 's3:PutObject'] : 's3:GetObject',
        Resource: object,
      },
      {
        Sid: 'HoldTheLockFile',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        Resource: `${object}.tflock`,
      },
    ];
    // Reading a state object needs Decrypt; writing (the lock file at least) needs GenerateDataKey.
    const keyActions = ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'];
    if (state.kmsKeyArn !== undefined)
      statements.push({ Sid: 'UseTheStateKey', Effect: 'Allow', Action: keyActions, Resource: state.kmsKeyArn });
    else if (state.kmsAlias !== undefined) {
      statements.push({
        Sid: 'UseTheStateKey',
        Effect: 'Allow',
        Action: keyActions,
        Resource: `arn:aws:kms:${state.kmsRegion}:*:key/*`,
        Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': state.kmsAlias } },
      });
    }
    if (state.lockTableArn !== undefined) {
      statements.push({
        Sid: 'HoldTheLockItem',
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
        Resource: state.lockTableArn,
      });
    }
    return statements;
  };
}

/**
 * EC2 — the network, security groups, the launch template, the instances the auto scaling group launches:
 * created only with the environment's `Project` and `Environment` tags in the request, changed and deleted
 * only when they carry them. EC2 names nothing by a prefix, so tags are the scope.
 */
function networkGrants(project: string): Grants {
  return (env, arn): PolicyStatement[] => [
    {
      Sid: 'CreateTaggedNetwork',
      Effect: 'Allow',
      Action: [
        'ec2:CreateVpc',
        'ec2:CreateSubnet',
        'ec2:CreateRouteTable',
        'ec2:CreateInternetGateway',
        'ec2:CreateNatGateway',
        'ec2:AllocateAddress',
        'ec2:CreateSecurityGroup',
        'ec2:AuthorizeSecurityGroupIngress',
        'ec2:AuthorizeSecurityGroupEgress',
        'ec2:CreateFlowLogs',
        'ec2:CreateVpcEndpoint',
        'ec2:CreateLaunchTemplate',
        'ec2:CreateTags',
      ],
      Resource: arn.ec2,
      Condition: tagged(project, env.name, 'aws:RequestTag'),
    },
    {
      Sid: 'ChangeTaggedNetwork',
      Effect: 'Allow',
      Action: [
        'ec2:ModifyVpcAttribute',
        'ec2:DeleteVpc',
        'ec2:ModifySubnetAttribute',
        'ec2:DeleteSubnet',
        'ec2:AttachInternetGateway',
        'ec2:DetachInternetGateway',
        'ec2:DeleteInternetGateway',
        'ec2:DeleteNatGateway',
        'ec2:ReleaseAddress',
        'ec2:DisassociateAddress',
        'ec2:CreateRoute',
        'ec2:ReplaceRoute',
        'ec2:DeleteRoute',
        'ec2:AssociateRouteTable',
        'ec2:DisassociateRouteTable',
        'ec2:ReplaceRouteTableAssociation',
        'ec2:DeleteRouteTable',
        'ec2:AuthorizeSecurityGroupIngress',
        'ec2:AuthorizeSecurityGroupEgress',
        'ec2:RevokeSecurityGroupIngress',
        'ec2:RevokeSecurityGroupEgress',
        'ec2:ModifySecurityGroupRules',
        'ec2:UpdateSecurityGroupRuleDescriptionsIngress',
        'ec2:UpdateSecurityGroupRuleDescriptionsEgress',
        'ec2:DeleteSecurityGroup',
        'ec2:DeleteFlowLogs',
        'ec2:ModifyVpcEndpoint',
        'ec2:DeleteVpcEndpoints',
        'ec2:CreateLaunchTemplateVersion',
        'ec2:ModifyLaunchTemplate',
        'ec2:DeleteLaunchTemplate',
        'ec2:DeleteLaunchTemplateVersions',
        'ec2:CreateTags',
        'ec2:DeleteTags',
      ],
      Resource: arn.ec2,
      Condition: tagged(project, env.name, 'aws:ResourceTag'),
    },
    {
      // Creating or updating an auto scaling group checks that the caller may launch its template.
      Sid: 'LaunchFromLaunchTemplates',
      Effect: 'Allow',
      Action: 'ec2:RunInstances',
      Resource: [arn.ec2, arn.image],
      Condition: { ArnLike: { 'ec2:LaunchTemplate': `arn:aws:ec2:${env.region}:*:launch-template/*` } },
    },
  ];
}

/** Load balancer, auto scaling group, container registry: named by the prefix. */
const computeGrants: Grants = (_env, arn): PolicyStatement[] => [
  {
    Sid: 'ManageLoadBalancing',
    Effect: 'Allow',
    Action: [
      'elasticloadbalancing:CreateLoadBalancer',
      'elasticloadbalancing:DeleteLoadBalancer',
      'elasticloadbalancing:ModifyLoadBalancerAttributes',
      'elasticloadbalancing:SetSecurityGroups',
      'elasticloadbalancing:SetSubnets',
      'elasticloadbalancing:SetWebAcl',
      'elasticloadbalancing:CreateTargetGroup',
      'elasticloadbalancing:DeleteTargetGroup',
      'elasticloadbalancing:ModifyTargetGroup',
      'elasticloadbalancing:ModifyTargetGroupAttributes',
      'elasticloadbalancing:CreateListener',
      'elasticloadbalancing:DeleteListener',
      'elasticloadbalancing:ModifyListener',
      'elasticloadbalancing:AddTags',
      'elasticloadbalancing:RemoveTags',
    ],
    Resource: arn.loadBalancers,
  },
  {
    Sid: 'ManageAutoScaling',
    Effect: 'Allow',
    Action: [
      'autoscaling:CreateAutoScalingGroup',
      'autoscaling:UpdateAutoScalingGroup',
      'autoscaling:DeleteAutoScalingGroup',
      'autoscaling:SetDesiredCapacity',
      'autoscaling:SuspendProcesses',
      'autoscaling:ResumeProcesses',
      'autoscaling:EnableMetricsCollection',
      'autoscaling:DisableMetricsCollection',
      'autoscaling:AttachLoadBalancerTargetGroups',
      'autoscaling:DetachLoadBalancerTargetGroups',
      'autoscaling:PutScalingPolicy',
      'autoscaling:DeletePolicy',
      'autoscaling:PutNotificationConfiguration',
      'autoscaling:DeleteNotificationConfiguration',
      'autoscaling:StartInstanceRefresh',
      'autoscaling:CancelInstanceRefresh',
      'autoscaling:RollbackInstanceRefresh',
      'autoscaling:CreateOrUpdateTags',
      'autoscaling:DeleteTags',
    ],
    Resource: arn.autoScalingGroup,
  },
  {
    Sid: 'ManageRepository',
    Effect: 'Allow',
    Action: [
      'ecr:CreateRepository',
      'ecr:DeleteRepository',
      'ecr:PutLifecyclePolicy',
      'ecr:DeleteLifecyclePolicy',
      'ecr:PutImageScanningConfiguration',
      'ecr:PutImageTagMutability',
      'ecr:TagResource',
      'ecr:UntagResource',
    ],
    Resource: arn.repository,
  },
];

/** The tag RDS puts on the secret of a database's master password: the database's ARN. */
const RDS_SECRET_TAG = 'aws:rds:primaryDBInstanceArn';

/** Database, buckets, KMS keys: named by the prefix where the service names things, tagged where it does not. */
function dataGrants(project: string): Grants {
  return (env, arn): PolicyStatement[] => [
    {
      Sid: 'ManageDatabase',
      Effect: 'Allow',
      Action: [
        'rds:CreateDBInstance',
        'rds:ModifyDBInstance',
        'rds:DeleteDBInstance',
        'rds:CreateDBSnapshot',
        'rds:CreateDBSubnetGroup',
        'rds:ModifyDBSubnetGroup',
        'rds:DeleteDBSubnetGroup',
        'rds:CreateDBParameterGroup',
        'rds:ModifyDBParameterGroup',
        'rds:DeleteDBParameterGroup',
        'rds:AddTagsToResource',
        'rds:RemoveTagsFromResource',
      ],
      Resource: arn.databaseWrite,
    },
    {
      // RDS authorizes a create or modify on every resource of the request; the database uses AWS's default
      // option group of its engine, which it does not change. The database itself must match the statement above.
      Sid: 'UseDefaultOptionGroups',
      Effect: 'Allow',
      Action: ['rds:CreateDBInstance', 'rds:ModifyDBInstance'],
      Resource: arn.defaultOptionGroups,
    },
    // RDS keeps the master password in a secret it names itself (rds!db-…), created and removed with the
    // caller's rights and tagged with the database it belongs to: the tag keeps each environment to its own.
    {
      Sid: 'LetRdsCreateTheMasterPassword',
      Effect: 'Allow',
      Action: ['secretsmanager:CreateSecret', 'secretsmanager:TagResource'],
      Resource: arn.databaseSecret,
      Condition: { StringLike: { [`aws:RequestTag/${RDS_SECRET_TAG}`]: arn.database[0] } },
    },
    {
      Sid: 'LetRdsKeepTheMasterPassword',
      Effect: 'Allow',
      Action: ['secretsmanager:RotateSecret', 'secretsmanager:DeleteSecret', 'secretsmanager:DescribeSecret'],
      Resource: arn.databaseSecret,
      Condition: { StringLike: { [`aws:ResourceTag/${RDS_SECRET_TAG}`]: arn.database[0] } },
    },
    {
      Sid: 'ManageBuckets',
      Effect: 'Allow',
      Action: [
        's3:CreateBucket',
        's3:DeleteBucket',
        's3:PutBucketPolicy',
        's3:DeleteBucketPolicy',
        's3:PutBucketPublicAccessBlock',
        's3:PutBucketOwnershipControls',
        's3:PutBucketVersioning',
        's3:PutEncryptionConfiguration',
        's3:PutLifecycleConfiguration',
        's3:PutBucketLogging',
        's3:PutBucketNotification',
        's3:PutBucketTagging',
        's3:PutBucketCORS',
      ],
      Resource: arn.buckets,
    },
    {
      Sid: 'CreateTaggedKeys',
      Effect: 'Allow',
      Action: ['kms:CreateKey', 'kms:TagResource'],
      Resource: '*',
      Condition: tagged(project, env.name, 'aws:RequestTag'),
    },
    {
      Sid: 'ManageTaggedKeys',
      Effect: 'Allow',
      Action: [
        'kms:PutKeyPolicy',
        'kms:EnableKeyRotation',
        'kms:UpdateKeyDescription',
        'kms:ScheduleKeyDeletion',
        'kms:TagResource',
        'kms:UntagResource',
        'kms:CreateGrant',
        'kms:Decrypt',
        'kms:GenerateDataKey',
        'kms:CreateAlias',
        'kms:UpdateAlias',
        'kms:DeleteAlias',
      ],
      Resource: arn.keys,
      Condition: tagged(project, env.name, 'aws:ResourceTag'),
    },
    { Sid: 'ManageAliases', Effect: 'Allow', Action: ['kms:CreateAlias', 'kms:UpdateAlias', 'kms:DeleteAlias'], Resource: arn.alias },
  ];
}

/**
 * What the roles of an environment's stack may ever do — the flow-log role, the database's monitoring role,
 * the app servers (CloudWatch agent, their secrets and parameters, the uploads bucket, the registry, and
 * Session Manager's `AmazonSSMManagedInstanceCore`) — as their permissions boundary. The deploy role creates
 * and changes roles only with this boundary, so what it writes into a role's policies can never exceed it.
 */
export const WORKLOAD_ACTIONS: readonly string[] = [
  'cloudwatch:PutMetricData',
  'ec2:DescribeTags',
  'ec2:DescribeVolumes',
  'ecr:GetAuthorizationToken',
  'ecr:BatchGetImage',
  'ecr:GetDownloadUrlForLayer',
  'ecr:BatchCheckLayerAvailability',
  'kms:Decrypt',
  'kms:GenerateDataKey',
  'logs:CreateLogGroup',
  'logs:CreateLogStream',
  'logs:PutLogEvents',
  'logs:DescribeLogGroups',
  'logs:DescribeLogStreams',
  'logs:GetLogEvents',
  'logs:PutRetentionPolicy',
  's3:GetObject',
  's3:PutObject',
  's3:DeleteObject',
  'secretsmanager:GetSecretValue',
  'secretsmanager:DescribeSecret',
  'ssm:GetParameter',
  // AmazonSSMManagedInstanceCore: the SSM agent's registration, documents, inventory and sessions.
  'ssm:DescribeAssociation',
  'ssm:GetDeployablePatchSnapshotForInstance',
  'ssm:GetDocument',
  'ssm:DescribeDocument',
  'ssm:GetManifest',
  'ssm:GetParameters',
  'ssm:ListAssociations',
  'ssm:ListInstanceAssociations',
  'ssm:PutInventory',
  'ssm:PutComplianceItems',
  'ssm:PutConfigurePackageResult',
  'ssm:UpdateAssociationStatus',
  'ssm:UpdateInstanceAssociationStatus',
  'ssm:UpdateInstanceInformation',
  'ssmmessages:CreateControlChannel',
  'ssmmessages:CreateDataChannel',
  'ssmmessages:OpenControlChannel',
  'ssmmessages:OpenDataChannel',
  'ec2messages:AcknowledgeMessage',
  'ec2messages:DeleteMessage',
  'ec2messages:FailMessage',
  'ec2messages:GetEndpoint',
  'ec2messages:GetMessages',
  'ec2messages:SendReply',
];

/** ARN of the permissions boundary of environment `env`'s roles. */
export const boundaryArn = (project: string, accountId: string, env: string): string =>
  `arn:aws:iam::${accountId}:policy/${stateStackNames.ciBoundaryPolicy(project, env)}`;

/**
 * Gives every IAM role of a stack the permissions boundary `arn` (an environment stack with CI roles: the
 * deploy role may create and change only roles that carry it).
 */
export class PermissionsBoundary implements IAspect {
  constructor(private readonly arn: string) {}

  visit(node: IConstruct): void {
    if (node instanceof IamRole) node.permissionsBoundary = this.arn;
  }
}

/**
 * Roles and instance profiles named by the prefix. A role is created, given a policy or a boundary only with
 * the environment's permissions boundary (and never loses it: no DeleteRolePermissionsBoundary); it may be
 * passed only to the services the stacks give roles to; the one AWS managed policy the stacks attach is the
 * only one the role may attach.
 */
function identityGrants(project: string, accountId: string): Grants {
  return (env, arn): PolicyStatement[] => {
    const bounded = { StringEquals: { 'iam:PermissionsBoundary': boundaryArn(project, accountId, env.name) } };
    return [
      {
        Sid: 'ManageBoundedRoles',
        Effect: 'Allow',
        Action: ['iam:CreateRole', 'iam:PutRolePermissionsBoundary', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy'],
        Resource: arn.roles,
        Condition: bounded,
      },
      {
        Sid: 'ManageRoles',
        Effect: 'Allow',
        Action: [
          'iam:DeleteRole',
          'iam:UpdateRole',
          'iam:UpdateRoleDescription',
          'iam:UpdateAssumeRolePolicy',
          'iam:TagRole',
          'iam:UntagRole',
          'iam:CreateInstanceProfile',
          'iam:DeleteInstanceProfile',
          'iam:AddRoleToInstanceProfile',
          'iam:RemoveRoleFromInstanceProfile',
          'iam:TagInstanceProfile',
          'iam:UntagInstanceProfile',
        ],
        Resource: [arn.roles, arn.instanceProfiles],
      },
      {
        Sid: 'AttachOnlySessionManager',
        Effect: 'Allow',
        Action: ['iam:AttachRolePolicy', 'iam:DetachRolePolicy'],
        Resource: arn.roles,
        Condition: { ArnEquals: { 'iam:PolicyARN': SSM_CORE_POLICY_ARN }, ...bounded },
      },
      {
        Sid: 'PassRolesToTheirServices',
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: arn.roles,
        Condition: {
          StringEquals: { 'iam:PassedToService': ['ec2.amazonaws.com', 'vpc-flow-logs.amazonaws.com', 'monitoring.rds.amazonaws.com'] },
        },
      },
    ];
  };
}

/** The service-linked roles the services create on first use (once per account). */
const SERVICE_LINKED: PolicyStatement = {
  Sid: 'CreateServiceLinkedRoles',
  Effect: 'Allow',
  Action: 'iam:CreateServiceLinkedRole',
  Resource: 'arn:aws:iam::*:role/aws-service-role/*',
  Condition: {
    StringEquals: {
      'iam:AWSServiceName': ['autoscaling.amazonaws.com', 'elasticloadbalancing.amazonaws.com', 'rds.amazonaws.com', 'wafv2.amazonaws.com'],
    },
  },
};

/** Logs, alarms, the alerts topic, WAF, the certificate and its DNS records. */
function operationsGrants(project: string): Grants {
  return (env, arn): PolicyStatement[] => [
    {
      Sid: 'ManageLogGroups',
      Effect: 'Allow',
      Action: [
        'logs:CreateLogGroup',
        'logs:DeleteLogGroup',
        'logs:PutRetentionPolicy',
        'logs:DeleteRetentionPolicy',
        'logs:AssociateKmsKey',
        'logs:DisassociateKmsKey',
        'logs:TagResource',
        'logs:UntagResource',
        'logs:TagLogGroup',
        'logs:UntagLogGroup',
      ],
      Resource: arn.logGroups,
    },
    {
      Sid: 'ManageAlarms',
      Effect: 'Allow',
      Action: ['cloudwatch:PutMetricAlarm', 'cloudwatch:DeleteAlarms', 'cloudwatch:TagResource', 'cloudwatch:UntagResource'],
      Resource: arn.alarms,
    },
    {
      Sid: 'ManageTopics',
      Effect: 'Allow',
      Action: [
        'sns:CreateTopic',
        'sns:DeleteTopic',
        'sns:SetTopicAttributes',
        'sns:Subscribe',
        'sns:Unsubscribe',
        'sns:TagResource',
        'sns:UntagResource',
      ],
      Resource: arn.topics,
    },
    {
      Sid: 'ManageWebAcl',
      Effect: 'Allow',
      Action: [
        'wafv2:CreateWebACL',
        'wafv2:UpdateWebACL',
        'wafv2:DeleteWebACL',
        'wafv2:AssociateWebACL',
        'wafv2:DisassociateWebACL',
        'wafv2:PutLoggingConfiguration',
        'wafv2:DeleteLoggingConfiguration',
        'wafv2:TagResource',
        'wafv2:UntagResource',
      ],
      Resource: [arn.webAcl, arn.loadBalancer],
    },
    // A web ACL that names AWS managed rule groups is authorized on them too; they are AWS's, used, never changed.
    { Sid: 'UseManagedRuleGroups', Effect: 'Allow', Action: ['wafv2:CreateWebACL', 'wafv2:UpdateWebACL'], Resource: arn.managedRuleGroups },
    {
      Sid: 'RequestTaggedCertificates',
      Effect: 'Allow',
      Action: ['acm:RequestCertificate', 'acm:AddTagsToCertificate'],
      Resource: '*',
      Condition: tagged(project, env.name, 'aws:RequestTag'),
    },
    {
      Sid: 'ManageTaggedCertificates',
      Effect: 'Allow',
      Action: ['acm:DeleteCertificate', 'acm:AddTagsToCertificate', 'acm:RemoveTagsFromCertificate'],
      Resource: arn.certificates,
      Condition: tagged(project, env.name, 'aws:ResourceTag'),
    },
    ...(env.dns
      ? [
          {
            Sid: 'ChangeOnlyTheDomainsRecords',
            Effect: 'Allow' as const,
            Action: 'route53:ChangeResourceRecordSets',
            Resource: `arn:aws:route53:::hostedzone/${env.dns.hostedZoneId}`,
            Condition: {
              'ForAllValues:StringLike': {
                'route53:ChangeResourceRecordSetsNormalizedRecordNames': [env.dns.domainName, `*.${env.dns.domainName}`],
              },
            },
          },
        ]
      : []),
  ];
}

/** Log delivery of WAF to CloudWatch Logs: account-level calls (policy/iam-rules.ts lists them). */
const LOG_DELIVERY: PolicyStatement = {
  Sid: 'DeliverWebAclLogs',
  Effect: 'Allow',
  Action: ['logs:CreateLogDelivery', 'logs:DeleteLogDelivery', 'logs:PutResourcePolicy', 'logs:DescribeResourcePolicies'],
  Resource: '*',
};

/** `Dev` for `dev`: a Sid suffix that keeps the statements of several environments apart. */
const sidSuffix = (env: string) => `${env[0].toUpperCase()}${env.slice(1)}`;

/**
 * The identities of a CI pipeline, made by the bootstrap stack: the host's OpenID Connect provider (or the
 * account's existing one) and the roles it may assume with a short-lived token, never a stored key.
 *
 * - `plan` (`<project>-ci-plan`): pull requests and runs on the main branch; reads the platform's resources,
 *   reads every environment's state and takes its lock. It cannot change anything else.
 * - `deploy`, one per environment (`<project>-ci-deploy-<env>`): only jobs that name the repository's GitHub
 *   environment of the same name (where its required reviewers and branch rules apply); what the stack
 *   creates, scoped by the environment's `<project>-<env>-` name prefix, or by its `Project` and
 *   `Environment` tags where a service names nothing; reads and writes that environment's state. A dev
 *   deploy cannot touch prod. Never AdministratorAccess.
 *
 * Every role trusts only the configured repository (`sub`) with AWS as the audience (`aud`), for at most
 * `maxSessionSeconds`. Its permissions are customer managed policies, one per concern (IAM caps one policy
 * at 6,144 characters; policy rule iam-policy-size).
 */
export class CiRoles extends Construct {
  /** ARN of the OpenID Connect provider the roles trust. */
  readonly providerArn: string;
  /** The read-only role of pull requests and of the main branch. */
  readonly plan: IamRole;
  /** The deploy role of each environment, by environment name. */
  readonly deploy: Readonly<Record<string, IamRole>>;

  constructor(scope: Construct, id: string, props: CiRolesProps) {
    super(scope, id);
    const { project, accountId, repository } = props;
    const host = CI_HOSTS[props.provider];
    const issuerHost = host.issuer.replace(/^https:\/\//, '');
    this.providerArn =
      props.identityProvider === 'create'
        ? new IamOpenidConnectProvider(this, 'identity_provider', { url: host.issuer, clientIdList: [host.audience] }).arn
        : `arn:aws:iam::${accountId}:oidc-provider/${issuerHost}`;

    const role = (roleId: string, name: string, description: string, subjects: readonly string[]) =>
      new IamRole(this, roleId, {
        name,
        description,
        maxSessionDuration: props.maxSessionSeconds,
        assumeRolePolicy: policyDocument([
          {
            Sid: 'TheRepositorysWorkflows',
            Effect: 'Allow',
            Principal: { Federated: this.providerArn },
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: { StringEquals: { [`${issuerHost}:aud`]: host.audience, [`${issuerHost}:sub`]: subjects } },
          },
        ]),
      });
    const policy = (
      policyId: string,
      name: string,
      description: string,
      statements: readonly PolicyStatement[],
      roles: readonly IamRole[],
    ) => {
      const managed = new IamPolicy(this, `policy_${policyId}`, { name, description, policy: policyDocument(statements) });
      for (const r of roles) new IamRolePolicyAttachment(this, `${r.node.id}_${policyId}`, { role: r.name, policyArn: managed.arn });
      return managed;
    };

    this.plan = role('plan', stateStackNames.ciPlanRole(project), `Read-only CI plans of ${project}: pull requests and the main branch`, [
      host.branchSubject(repository, props.mainBranch),
      host.pullRequestSubject(repository),
    ]);
    const deploy: Record<string, IamRole> = {};
    for (const env of props.environments) {
      deploy[env.name] = role(
        `deploy_${env.name}`,
        stateStackNames.ciDeployRole(project, env.name),
        `CI deploys of ${env.prefix}, from the GitHub environment ${env.name}`,
        [host.environmentSubject(repository, env.name)],
      );
    }
    this.deploy = deploy;
    const all = [this.plan, ...Object.values(deploy)];

    policy(
      'read',
      stateStackNames.ciReadPolicy(project),
      'CI: the reads no AWS call scopes to a resource (Describe and List)',
      UNSCOPED_READS,
      all,
    );
    const planState = props.environments.flatMap((env) =>
      stateGrants('plan')(env, arnsOf(accountId, env)).map((s) => ({ ...s, Sid: `${s.Sid}${sidSuffix(env.name)}` })),
    );
    if (planState.length > 0)
      policy(
        'plan_state',
        stateStackNames.ciPlanStatePolicy(project),
        'CI plans: read the state of every environment and hold its lock',
        planState,
        [this.plan],
      );
    for (const env of props.environments) {
      const arns = arnsOf(accountId, env);
      policy(
        `read_${env.name}`,
        stateStackNames.ciEnvironmentReadPolicy(project, env.name),
        `CI: read the resources of ${env.prefix} (what a plan refreshes)`,
        readGrants(project)(env, arns),
        [this.plan, deploy[env.name]],
      );
      const documents: Record<CiDeployGrant, PolicyStatement[]> = {
        state: stateGrants('deploy')(env, arns),
        network: networkGrants(project)(env, arns),
        compute: computeGrants(env, arns),
        data: dataGrants(project)(env, arns),
        identity: [SERVICE_LINKED, ...identityGrants(project, accountId)(env, arns)],
        operations: [LOG_DELIVERY, ...operationsGrants(project)(env, arns)],
      };
      const boundary = new IamPolicy(this, `boundary_${env.name}`, {
        name: stateStackNames.ciBoundaryPolicy(project, env.name),
        description: `Permissions boundary of the roles of ${env.prefix}: the most they may ever be granted`,
        policy: policyDocument([{ Sid: 'WhatTheEnvironmentsRolesDo', Effect: 'Allow', Action: WORKLOAD_ACTIONS, Resource: '*' }]),
      });
      suppress(
        boundary,
        'iam-no-wildcard-resources',
        "A permissions boundary grants nothing: it caps the actions of the environment's roles, whose own policies name their resources.",
      );
      for (const grant of CI_DEPLOY_GRANTS) {
        if (documents[grant].length === 0) continue;
        const managed = policy(
          `deploy_${env.name}_${grant}`,
          stateStackNames.ciDeployPolicy(project, env.name, grant),
          `CI deploys of ${env.prefix}: ${DEPLOY_PURPOSE[grant]}`,
          documents[grant],
          [deploy[env.name]],
        );
        if (grant === 'network') suppress(managed, 'iam-no-wildcard-resources', RUN_INSTANCES_REASON);
      }
    }
  }
}

/**
 * Why the network policy's `LaunchFromLaunchTemplates` statement (ec2:RunInstances) names every EC2 resource of
 * the environment's account and region and every AMI, which iam-no-wildcard-resources refuses without a tag
 * condition. Its other statements are scoped by tags and would pass on their own.
 */
const RUN_INSTANCES_REASON =
  "Creating or updating the auto scaling group makes EC2 check that this role may run instances from its launch template, and RunInstances is authorized on every resource a launch touches (subnet, security groups, network interface, volumes, the instance and its AMI, often another account's), which share no name or tag; the grant is limited to runs from a launch template instead.";

const DEPLOY_PURPOSE: Readonly<Record<CiDeployGrant, string>> = {
  state: 'read and write its state and hold its lock',
  network: 'EC2 resources tagged with the environment',
  compute: 'its load balancer, auto scaling group and registry',
  data: 'its database, buckets and keys',
  identity: 'its roles and instance profiles',
  operations: 'its logs, alarms, topic, WAF, certificate and DNS records',
};
