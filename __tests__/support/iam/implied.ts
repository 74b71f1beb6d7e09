/**
 * Authorization checks AWS makes that never appear as a Terraform call: the service receiving the call
 * checks another action against the caller (iam:PassRole for a role it is handed, ec2:RunInstances for the
 * launch template an Auto Scaling group will use, iam:CreateServiceLinkedRole the first time a service is
 * used), or calls another service with the caller's credentials (a forward access session: the KMS calls
 * RDS, S3, Secrets Manager and ECR make, judged with kms:ViaService and aws:ViaAWSService). moto makes none
 * of these checks, so the simulation adds them. Each rule cites the AWS page that documents it.
 *
 * Not added, on purpose:
 * - ec2:CreateLaunchTemplate does not check iam:PassRole for the template's instance profile: the check
 *   happens when something launches from it (here Auto Scaling, below).
 * - Instances an Auto Scaling group launches, and the EBS and KMS work behind them, run as the group's
 *   service-linked role, not the caller: a customer managed key must grant AWSServiceRoleForAutoScaling
 *   (https://docs.aws.amazon.com/autoscaling/ec2/userguide/key-policy-requirements-EBS-encryption.html).
 * - AWS managed keys (aws/rds, aws/s3, aws/secretsmanager) grant use through the service in their key
 *   policy; the caller's IAM policy is not consulted.
 * - A log group's KMS key is used by the logs service principal (the key policy must allow it), not the caller.
 */
import { kmsKeyRef, NEW_ID, type ActionRule, type CallView, type ResourceRef, type SimContext } from './call-view';
import type { LaunchTemplateFacts } from './facts';

/** The role ARN for a role name or ARN (its path from the facts when known). */
function roleArn(c: CallView, role: string): string {
  if (role.startsWith('arn:')) return role;
  return c.facts.iamArn('role', role) ?? `arn:aws:iam::${c.account}:role/${role}`;
}

/**
 * iam:PassRole on each role `roles` returns, with iam:PassedToService (IAM User Guide, "Grant a user
 * permissions to pass a role to an AWS service": https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html).
 */
function passRole(service: string, roles: (c: CallView) => readonly string[], note: string): ActionRule {
  return {
    action: 'iam:PassRole',
    when: (c) => roles(c).length > 0,
    resources: (c) => roles(c).map((r) => ({ type: 'role', arn: roleArn(c, r) })),
    context: () => ({ 'iam:PassedToService': service }),
    note,
  };
}

/**
 * iam:CreateServiceLinkedRole for `service`'s role: AWS creates it with the caller's credentials the first
 * time the caller uses the service in the account, so a CI role deploying to a fresh account needs it.
 */
function serviceLinkedRole(service: string, roleName: string, doc: string): ActionRule {
  return {
    action: 'iam:CreateServiceLinkedRole',
    resources: (c) => [{ type: 'role', arn: `arn:aws:iam::${c.account}:role/aws-service-role/${service}/${roleName}` }],
    context: () => ({ 'iam:AWSServiceName': service }),
    note: `${service} creates its service-linked role ${roleName} with the caller's credentials on first use (${doc})`,
  };
}

/**
 * KMS actions a service performs with the caller's credentials on `key` (a forward access session), with
 * kms:ViaService and aws:ViaAWSService. The encryption context AWS also sees (`kms:EncryptionContext:aws:s3:arn`,
 * `…:SecretARN`) is left out: iam-simulate 0.1.173 does not match `kms:EncryptionContext:${key}` and would
 * only list it as ignored.
 */
function kmsVia(via: string, actions: readonly string[], key: (c: CallView) => string | undefined, note: string): ActionRule[] {
  return actions.map((action) => ({
    action,
    via,
    when: (c) => customerManaged(key(c)),
    resources: (c) => [kmsKeyRef(c, key(c)!)],
    context: (): SimContext => (action === 'kms:CreateGrant' ? { 'kms:GrantIsForAWSResource': 'true' } : {}),
    note,
  }));
}

/** A key the caller's permissions decide: named, and not an AWS managed key (`alias/aws/…`). */
function customerManaged(key: string | undefined): boolean {
  return key !== undefined && key !== '' && !/(^|:)alias\/aws\//.test(key);
}

// Auto Scaling: the launch checks of a group that launches from a launch template ------------------------

const ASG_LAUNCH_DOC =
  'Auto Scaling checks ec2:RunInstances and iam:PassRole against the caller when a group is created or updated with a launch template ' +
  '(https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-launch-template-permissions.html)';

/** The launch template a CreateAutoScalingGroup / UpdateAutoScalingGroup names, if any. */
function groupTemplate(c: CallView): LaunchTemplateFacts | undefined {
  const id =
    c.param('LaunchTemplate.LaunchTemplateId') ??
    c.param('LaunchTemplate.LaunchTemplateName') ??
    c.param('MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification.LaunchTemplateId') ??
    c.param('MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification.LaunchTemplateName');
  if (id === undefined) return undefined;
  const template = c.facts.launchTemplate(id);
  if (template === undefined) {
    throw new Error(
      `${c.call.operation} with launch template ${id}: the template is not in the facts (give the state, or the calls that created it)`,
    );
  }
  return template;
}

/** The subnets a group launches into (VPCZoneIdentifier), or the template's. */
function groupSubnets(c: CallView): string[] {
  return (c.param('VPCZoneIdentifier') ?? '').split(',').filter(Boolean);
}

/** The resources one launch from the template authorizes ec2:RunInstances on (EC2 authorizes RunInstances once per resource). */
function runInstancesResources(c: CallView, t: LaunchTemplateFacts): ResourceRef[] {
  const tags = (type: string) => t.tagSpecifications.get(type);
  return [
    c.created('ec2', 'instance', NEW_ID, { requestTags: tags('instance') }),
    c.created('ec2', 'volume', NEW_ID, { requestTags: tags('volume') }),
    c.created('ec2', 'network-interface', NEW_ID, { requestTags: tags('network-interface') }),
    ...t.securityGroupIds.map((id) => c.ref('ec2', 'security-group', id)),
    ...groupSubnets(c).map((id) => c.ref('ec2', 'subnet', id)),
    ...(t.imageId ? [{ type: 'image', arn: c.arn('ec2', 'image', { ImageId: t.imageId }) }] : []),
    c.ref('ec2', 'launch-template', t.id),
    ...(t.keyName ? [c.ref('ec2', 'key-pair', t.keyName)] : []),
  ];
}

const asgLaunchChecks: readonly ActionRule[] = [
  {
    action: 'ec2:RunInstances',
    when: (c) => groupTemplate(c) !== undefined,
    resources: (c) => runInstancesResources(c, groupTemplate(c)!),
    context: (c) => ({ 'ec2:LaunchTemplate': c.ref('ec2', 'launch-template', groupTemplate(c)!.id).arn }),
    note: ASG_LAUNCH_DOC,
  },
  {
    action: 'ec2:CreateTags',
    when: (c) => (groupTemplate(c)?.tagSpecifications.size ?? 0) > 0,
    resources: (c) => {
      const t = groupTemplate(c)!;
      return ['instance', 'volume', 'network-interface']
        .filter((type) => t.tagSpecifications.has(type))
        .map((type) => c.created('ec2', type, NEW_ID, { requestTags: t.tagSpecifications.get(type) }));
    },
    context: () => ({ 'ec2:CreateAction': 'RunInstances' }),
    note: `the template tags what it launches: ec2:CreateTags with ec2:CreateAction=RunInstances; ${ASG_LAUNCH_DOC}`,
  },
  passRole(
    'ec2.amazonaws.com',
    (c) => {
      const profile = groupTemplate(c)?.instanceProfile;
      if (profile === undefined) return [];
      const roles = c.facts.rolesOfInstanceProfile(profile);
      if (roles.length === 0)
        throw new Error(`${c.call.operation}: instance profile ${profile} of the launch template has no role in the facts`);
      return roles;
    },
    `the launch template's instance profile role is passed to EC2; ${ASG_LAUNCH_DOC}`,
  ),
];

// The table ------------------------------------------------------------------------------------------------

const RDS_KMS_DOC =
  'RDS uses a customer managed key on behalf of the user creating the resource, who needs kms:CreateGrant and kms:DescribeKey on it ' +
  '(https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.Keys.html#Overview.Encryption.Keys.Authorizing)';
const RDS_SECRET_DOC =
  'RDS creates the master user secret in Secrets Manager with the credentials of the caller ' +
  '(https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html#rds-secrets-manager-permissions)';
const SECRET_KMS_DOC =
  'Secrets Manager encrypts and decrypts a secret with a customer managed key as the caller: kms:GenerateDataKey and kms:Decrypt ' +
  '(https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html, security-encryption.html)';
const S3_KMS_DOC =
  'S3 calls KMS as the caller for SSE-KMS: kms:GenerateDataKey to write, kms:Decrypt to read (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html)';
const ECR_KMS_DOC =
  'ECR creates grants on a customer managed key as the caller: kms:CreateGrant, kms:RetireGrant, kms:DescribeKey (https://docs.aws.amazon.com/AmazonECR/latest/userguide/encryption-at-rest.html)';
const WAF_ASSOCIATE_DOC =
  'AssociateWebACL and DisassociateWebACL need the permission of the protected resource type: elasticloadbalancing:SetWebAcl for a load balancer ' +
  '(https://docs.aws.amazon.com/waf/latest/developerguide/security_iam_service-with-iam.html#security_iam_action-AssociateWebACL)';
const WAF_LOGS_DOC =
  'logging to CloudWatch Logs is a vended log delivery set up with the credentials of the caller: logs:CreateLogDelivery, and to write the log group ' +
  'resource policy logs:PutResourcePolicy, logs:DescribeResourcePolicies, logs:DescribeLogGroups (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-CWL.html)';

/** A CreateSecret or PutSecretValue that stores a value (SecretString or SecretBinary). */
const storesValue = (c: CallView): boolean => c.json.SecretString !== undefined || c.json.SecretBinary !== undefined;

/** The KMS key of the secret a call names (facts), or the one CreateSecret sets. */
const secretKey = (c: CallView): string | undefined =>
  c.param('KmsKeyId') ?? (c.param('SecretId') ? c.facts.secretKmsKey(c.param('SecretId')!) : undefined);

/** The SSE-KMS key of an S3 object write: the request's header, else the bucket's default encryption. */
const putObjectKey = (c: CallView): string | undefined => {
  if (c.header('x_amz_server_side_encryption') === 'aws:kms')
    return c.header('x_amz_server_side_encryption_aws_kms_key_id') ?? 'alias/aws/s3';
  if (c.header('x_amz_server_side_encryption') !== undefined) return undefined;
  return c.facts.bucketEncryption(c.bucket())?.kmsKey;
};

/** The SSE-KMS key of an object read: the key it was written with (recorded), else the bucket's default. */
const getObjectKey = (c: CallView): string | undefined =>
  c.facts.objectKmsKey(c.bucket(), c.objectKey()) ?? c.facts.bucketEncryption(c.bucket())?.kmsKey;

/** The ECR repository's KMS key, when it uses one of the account's. */
const repositoryKey = (c: CallView): string | undefined =>
  c.json.encryptionConfiguration?.encryptionType === 'KMS' ? c.json.encryptionConfiguration?.kmsKey : undefined;

const table: Record<string, readonly ActionRule[]> = {
  'IAM:AddRoleToInstanceProfile': [
    passRole(
      'ec2.amazonaws.com',
      (c) => [c.need('RoleName')],
      'AddRoleToInstanceProfile is authorized as iam:AddRoleToInstanceProfile and iam:PassRole with iam:PassedToService=ec2.amazonaws.com (SAR, IAM API operations table)',
    ),
  ],
  'EC2:CreateFlowLogs': [
    passRole(
      'vpc-flow-logs.amazonaws.com',
      (c) => (c.param('DeliverLogsPermissionArn') ? [c.param('DeliverLogsPermissionArn')!] : []),
      'the flow log delivery role is passed to VPC Flow Logs (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html, "Permissions for IAM principals that publish flow logs")',
    ),
  ],
  'Auto Scaling:CreateAutoScalingGroup': [
    ...asgLaunchChecks,
    serviceLinkedRole(
      'autoscaling.amazonaws.com',
      'AWSServiceRoleForAutoScaling',
      'https://docs.aws.amazon.com/autoscaling/ec2/userguide/autoscaling-service-linked-role.html',
    ),
  ],
  'Auto Scaling:UpdateAutoScalingGroup': asgLaunchChecks,
  'Elastic Load Balancing v2:CreateLoadBalancer': [
    serviceLinkedRole(
      'elasticloadbalancing.amazonaws.com',
      'AWSServiceRoleForElasticLoadBalancing',
      'https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/elb-service-linked-roles.html',
    ),
  ],
  'Elastic Load Balancing v2:CreateTargetGroup': [
    serviceLinkedRole(
      'elasticloadbalancing.amazonaws.com',
      'AWSServiceRoleForElasticLoadBalancing',
      'https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/elb-service-linked-roles.html',
    ),
  ],
  'RDS:CreateDBInstance': [
    serviceLinkedRole(
      'rds.amazonaws.com',
      'AWSServiceRoleForRDS',
      'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAM.ServiceLinkedRoles.html',
    ),
    ...kmsVia(
      'rds',
      ['kms:CreateGrant', 'kms:DescribeKey'],
      (c) => (c.param('StorageEncrypted') === 'true' ? c.param('KmsKeyId') : undefined),
      RDS_KMS_DOC,
    ),
    ...(['secretsmanager:CreateSecret', 'secretsmanager:TagResource'] as const).map((action): ActionRule => ({
      action,
      via: 'rds',
      when: (c) => c.param('ManageMasterUserPassword') === 'true',
      resources: (c) => [{ type: 'Secret', arn: c.arn('secretsmanager', 'Secret', { SecretId: `rds!db-${NEW_ID}` }), created: true }],
      note: RDS_SECRET_DOC,
    })),
    ...kmsVia(
      'secretsmanager',
      ['kms:GenerateDataKey', 'kms:Decrypt', 'kms:DescribeKey'],
      (c) => (c.param('ManageMasterUserPassword') === 'true' ? c.param('MasterUserSecretKmsKeyId') : undefined),
      `${RDS_SECRET_DOC}; Secrets Manager encrypts it with MasterUserSecretKmsKeyId as the caller`,
    ),
    passRole(
      'monitoring.rds.amazonaws.com',
      (c) => (c.param('MonitoringRoleArn') ? [c.param('MonitoringRoleArn')!] : []),
      'the Enhanced Monitoring role is passed to RDS (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Monitoring.OS.Enabling.html)',
    ),
  ],
  'RDS:ModifyDBInstance': [
    passRole(
      'monitoring.rds.amazonaws.com',
      (c) => (c.param('MonitoringRoleArn') ? [c.param('MonitoringRoleArn')!] : []),
      'the Enhanced Monitoring role is passed to RDS (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Monitoring.OS.Enabling.html)',
    ),
    ...kmsVia(
      'secretsmanager',
      ['kms:GenerateDataKey', 'kms:Decrypt', 'kms:DescribeKey'],
      (c) => (c.param('ManageMasterUserPassword') === 'true' ? c.param('MasterUserSecretKmsKeyId') : undefined),
      RDS_SECRET_DOC,
    ),
  ],
  'Secrets Manager:CreateSecret': kmsVia(
    'secretsmanager',
    ['kms:GenerateDataKey', 'kms:Decrypt'],
    (c) => (storesValue(c) ? c.param('KmsKeyId') : undefined),
    SECRET_KMS_DOC,
  ),
  'Secrets Manager:PutSecretValue': kmsVia(
    'secretsmanager',
    ['kms:GenerateDataKey', 'kms:Decrypt'],
    (c) => (storesValue(c) ? secretKey(c) : undefined),
    SECRET_KMS_DOC,
  ),
  'Secrets Manager:GetSecretValue': kmsVia('secretsmanager', ['kms:Decrypt'], secretKey, SECRET_KMS_DOC),
  'S3:PutObject': kmsVia('s3', ['kms:GenerateDataKey'], putObjectKey, S3_KMS_DOC),
  'S3:GetObject': kmsVia('s3', ['kms:Decrypt'], getObjectKey, S3_KMS_DOC),
  'ECR:CreateRepository': kmsVia('ecr', ['kms:CreateGrant', 'kms:RetireGrant', 'kms:DescribeKey'], repositoryKey, ECR_KMS_DOC),
  'WAFV2:AssociateWebACL': [
    {
      action: 'elasticloadbalancing:SetWebAcl',
      when: (c) => c.need('ResourceArn').includes(':elasticloadbalancing:'),
      note: WAF_ASSOCIATE_DOC,
    },
  ],
  'WAFV2:DisassociateWebACL': [
    {
      action: 'elasticloadbalancing:SetWebAcl',
      when: (c) => c.need('ResourceArn').includes(':elasticloadbalancing:'),
      note: WAF_ASSOCIATE_DOC,
    },
  ],
  'WAFV2:PutLoggingConfiguration': [
    'logs:CreateLogDelivery',
    'logs:PutResourcePolicy',
    'logs:DescribeResourcePolicies',
    'logs:DescribeLogGroups',
  ].map((action) => ({
    action,
    when: (c: CallView) => ((c.json.LoggingConfiguration?.LogDestinationConfigs ?? []) as string[]).some((d) => d.includes(':logs:')),
    note: WAF_LOGS_DOC,
  })),
  'WAFV2:DeleteLoggingConfiguration': [
    {
      action: 'logs:DeleteLogDelivery',
      note: 'removing a vended log delivery is done with the credentials of the caller (logs:DeleteLogDelivery; by symmetry with the setup permissions, not found stated for WAF)',
    },
  ],
};

/** The implied checks of an operation (`rpc.service:rpc.method`), empty when there are none. */
export function impliedRules(service: string, operation: string): readonly ActionRule[] {
  return table[`${service}:${operation}`] ?? [];
}

/** Every operation with implied checks (for the report). */
export const IMPLIED_OPERATIONS: readonly string[] = Object.keys(table);
