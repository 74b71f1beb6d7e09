/**
 * What the AWS provider (hashicorp/aws 5.100.0) calls for each resource type the stacks hold, as IAM actions:
 * `read` is what a plan needs to refresh the resource, `write` what creating, changing (tags included) and
 * destroying it needs on top. The CI roles' policies are derived from this table and the resource types a
 * stack contains (grants.ts), so a new module is covered by adding its types here — and a stack holding a type
 * that is not here fails the synth (`accessOf`), never a deploy.
 *
 * Where the entries come from: every call Terraform makes in the emulated deploy (npm test applies, plans and
 * destroys every stack against moto) is recorded and checked against the roles derived from this table by an
 * IAM policy simulator (__tests__/ci-permissions.emulated.test.ts); a call whose action is missing here fails
 * that test. What moto cannot exercise (its gaps, and updates the run never makes) comes from the provider's
 * source for the type (internal/service/<service>/<type>.go, version 5.100.0) and from the "Actions defined by"
 * pages of AWS's Service Authorization Reference; those entries say so in a comment.
 *
 * Actions are IAM actions, not API operations: S3's HeadBucket is s3:ListBucket, GetBucketEncryption is
 * s3:GetEncryptionConfiguration, and so on (the Service Authorization Reference's "Actions" table).
 */

/** IAM actions one resource type needs. */
export interface TypeAccess {
  /** What a plan refreshes the resource with (also needed by every write, which reads back). */
  readonly read: readonly string[];
  /** What creating, updating, tagging and destroying it needs beyond `read`. */
  readonly write: readonly string[];
}

const ec2Tags = ['ec2:CreateTags', 'ec2:DeleteTags'];
const s3BucketPart = (get: string, put: string): TypeAccess => ({ read: ['s3:ListBucket', get], write: [put] });

/** Managed resources, by Terraform type. */
export const RESOURCE_ACCESS: Readonly<Record<string, TypeAccess>> = {
  // ---- network (EC2): scoped by tags, since EC2 names nothing ----
  aws_vpc: {
    // The provider reads the default network ACL, route table and security group a VPC comes with.
    read: [
      'ec2:DescribeVpcs',
      'ec2:DescribeVpcAttribute',
      'ec2:DescribeNetworkAcls',
      'ec2:DescribeRouteTables',
      'ec2:DescribeSecurityGroups',
    ],
    write: ['ec2:CreateVpc', 'ec2:DeleteVpc', 'ec2:ModifyVpcAttribute', ...ec2Tags],
  },
  aws_subnet: {
    // DescribeNetworkInterfaces: a delete waits for the interfaces left in the subnet to go.
    read: ['ec2:DescribeSubnets', 'ec2:DescribeNetworkInterfaces'],
    write: ['ec2:CreateSubnet', 'ec2:DeleteSubnet', 'ec2:ModifySubnetAttribute', ...ec2Tags],
  },
  aws_internet_gateway: {
    read: ['ec2:DescribeInternetGateways'],
    write: ['ec2:CreateInternetGateway', 'ec2:AttachInternetGateway', 'ec2:DetachInternetGateway', 'ec2:DeleteInternetGateway', ...ec2Tags],
  },
  aws_eip: {
    read: ['ec2:DescribeAddresses', 'ec2:DescribeAddressesAttribute'],
    write: ['ec2:AllocateAddress', 'ec2:ReleaseAddress', 'ec2:DisassociateAddress', ...ec2Tags],
  },
  aws_nat_gateway: { read: ['ec2:DescribeNatGateways'], write: ['ec2:CreateNatGateway', 'ec2:DeleteNatGateway', ...ec2Tags] },
  aws_route_table: { read: ['ec2:DescribeRouteTables'], write: ['ec2:CreateRouteTable', 'ec2:DeleteRouteTable', ...ec2Tags] },
  aws_route: { read: ['ec2:DescribeRouteTables'], write: ['ec2:CreateRoute', 'ec2:ReplaceRoute', 'ec2:DeleteRoute'] },
  aws_route_table_association: {
    read: ['ec2:DescribeRouteTables'],
    write: ['ec2:AssociateRouteTable', 'ec2:DisassociateRouteTable', 'ec2:ReplaceRouteTableAssociation'],
  },
  aws_security_group: {
    // A new group's default egress rule is revoked (the stacks describe every rule themselves).
    read: ['ec2:DescribeSecurityGroups', 'ec2:DescribeSecurityGroupRules', 'ec2:DescribeNetworkInterfaces'],
    write: [
      'ec2:CreateSecurityGroup',
      'ec2:DeleteSecurityGroup',
      'ec2:RevokeSecurityGroupEgress',
      'ec2:RevokeSecurityGroupIngress',
      ...ec2Tags,
    ],
  },
  aws_default_security_group: {
    read: ['ec2:DescribeSecurityGroups', 'ec2:DescribeSecurityGroupRules'],
    write: ['ec2:RevokeSecurityGroupEgress', 'ec2:RevokeSecurityGroupIngress', ...ec2Tags],
  },
  aws_vpc_security_group_ingress_rule: {
    read: ['ec2:DescribeSecurityGroupRules'],
    // Provider source: securitygroup_ingress_rule.go updates in place with ModifySecurityGroupRules.
    write: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress', 'ec2:ModifySecurityGroupRules', ...ec2Tags],
  },
  aws_vpc_security_group_egress_rule: {
    read: ['ec2:DescribeSecurityGroupRules'],
    write: ['ec2:AuthorizeSecurityGroupEgress', 'ec2:RevokeSecurityGroupEgress', 'ec2:ModifySecurityGroupRules', ...ec2Tags],
  },
  aws_flow_log: { read: ['ec2:DescribeFlowLogs'], write: ['ec2:CreateFlowLogs', 'ec2:DeleteFlowLogs', ...ec2Tags] },
  aws_vpc_endpoint: {
    read: ['ec2:DescribeVpcEndpoints', 'ec2:DescribePrefixLists'],
    write: ['ec2:CreateVpcEndpoint', 'ec2:ModifyVpcEndpoint', 'ec2:DeleteVpcEndpoints', ...ec2Tags],
  },
  aws_launch_template: {
    read: ['ec2:DescribeLaunchTemplates', 'ec2:DescribeLaunchTemplateVersions'],
    // Every change is a new version; the default version follows it (provider source: launch_template.go).
    write: [
      'ec2:CreateLaunchTemplate',
      'ec2:CreateLaunchTemplateVersion',
      'ec2:ModifyLaunchTemplate',
      'ec2:DeleteLaunchTemplate',
      'ec2:DeleteLaunchTemplateVersions',
      ...ec2Tags,
    ],
  },

  // ---- load balancing, compute, registry ----
  aws_lb: {
    read: [
      'elasticloadbalancing:DescribeLoadBalancers',
      'elasticloadbalancing:DescribeLoadBalancerAttributes',
      'elasticloadbalancing:DescribeTags',
      'elasticloadbalancing:DescribeCapacityReservation',
      // A delete waits for the load balancer's network interfaces to go.
      'ec2:DescribeNetworkInterfaces',
    ],
    write: [
      'elasticloadbalancing:CreateLoadBalancer',
      'elasticloadbalancing:DeleteLoadBalancer',
      'elasticloadbalancing:ModifyLoadBalancerAttributes',
      'elasticloadbalancing:SetSecurityGroups',
      'elasticloadbalancing:SetSubnets',
      'elasticloadbalancing:AddTags',
      'elasticloadbalancing:RemoveTags',
    ],
  },
  aws_lb_target_group: {
    read: [
      'elasticloadbalancing:DescribeTargetGroups',
      'elasticloadbalancing:DescribeTargetGroupAttributes',
      'elasticloadbalancing:DescribeTags',
    ],
    write: [
      'elasticloadbalancing:CreateTargetGroup',
      'elasticloadbalancing:ModifyTargetGroup',
      'elasticloadbalancing:ModifyTargetGroupAttributes',
      'elasticloadbalancing:DeleteTargetGroup',
      'elasticloadbalancing:AddTags',
      'elasticloadbalancing:RemoveTags',
    ],
  },
  aws_lb_listener: {
    read: [
      'elasticloadbalancing:DescribeListeners',
      'elasticloadbalancing:DescribeListenerAttributes',
      'elasticloadbalancing:DescribeTags',
    ],
    write: [
      'elasticloadbalancing:CreateListener',
      'elasticloadbalancing:ModifyListener',
      'elasticloadbalancing:ModifyListenerAttributes',
      'elasticloadbalancing:DeleteListener',
      'elasticloadbalancing:AddTags',
      'elasticloadbalancing:RemoveTags',
    ],
  },
  aws_lb_listener_rule: {
    read: ['elasticloadbalancing:DescribeRules', 'elasticloadbalancing:DescribeTags'],
    write: [
      'elasticloadbalancing:CreateRule',
      'elasticloadbalancing:ModifyRule',
      'elasticloadbalancing:SetRulePriorities',
      'elasticloadbalancing:DeleteRule',
      'elasticloadbalancing:AddTags',
      'elasticloadbalancing:RemoveTags',
    ],
  },
  aws_autoscaling_group: {
    read: [
      'autoscaling:DescribeAutoScalingGroups',
      'autoscaling:DescribeScalingActivities',
      'autoscaling:DescribeInstanceRefreshes',
      'autoscaling:DescribeLoadBalancerTargetGroups',
      'autoscaling:DescribeTrafficSources',
      'autoscaling:DescribeWarmPool',
      'autoscaling:DescribeLifecycleHooks',
      // Waits for the group's instances to be healthy in its target groups.
      'elasticloadbalancing:DescribeTargetHealth',
    ],
    write: [
      'autoscaling:CreateAutoScalingGroup',
      'autoscaling:UpdateAutoScalingGroup',
      'autoscaling:DeleteAutoScalingGroup',
      'autoscaling:SetDesiredCapacity',
      'autoscaling:EnableMetricsCollection',
      'autoscaling:DisableMetricsCollection',
      'autoscaling:SuspendProcesses',
      'autoscaling:ResumeProcesses',
      'autoscaling:AttachTrafficSources',
      'autoscaling:DetachTrafficSources',
      'autoscaling:AttachLoadBalancerTargetGroups',
      'autoscaling:DetachLoadBalancerTargetGroups',
      // A release (npm run release) starts, watches and can cancel or roll back the instance refresh.
      'autoscaling:StartInstanceRefresh',
      'autoscaling:CancelInstanceRefresh',
      'autoscaling:RollbackInstanceRefresh',
      'autoscaling:CreateOrUpdateTags',
      'autoscaling:DeleteTags',
    ],
  },
  aws_autoscaling_policy: { read: ['autoscaling:DescribePolicies'], write: ['autoscaling:PutScalingPolicy', 'autoscaling:DeletePolicy'] },
  aws_autoscaling_notification: {
    // moto does not implement these (gap asg-notifications-not-implemented); provider source: notification.go.
    read: ['autoscaling:DescribeNotificationConfigurations'],
    write: ['autoscaling:PutNotificationConfiguration', 'autoscaling:DeleteNotificationConfiguration'],
  },
  aws_ecr_repository: {
    read: ['ecr:DescribeRepositories', 'ecr:ListTagsForResource'],
    write: [
      'ecr:CreateRepository',
      'ecr:DeleteRepository',
      'ecr:PutImageScanningConfiguration',
      'ecr:PutImageTagMutability',
      'ecr:TagResource',
      'ecr:UntagResource',
    ],
  },
  aws_ecr_lifecycle_policy: { read: ['ecr:GetLifecyclePolicy'], write: ['ecr:PutLifecyclePolicy', 'ecr:DeleteLifecyclePolicy'] },

  // ---- data ----
  aws_db_instance: {
    read: ['rds:DescribeDBInstances', 'rds:ListTagsForResource'],
    // A delete with a final snapshot is also rds:CreateDBSnapshot on the snapshot.
    write: [
      'rds:CreateDBInstance',
      'rds:ModifyDBInstance',
      'rds:RebootDBInstance',
      'rds:DeleteDBInstance',
      'rds:CreateDBSnapshot',
      'rds:AddTagsToResource',
      'rds:RemoveTagsFromResource',
    ],
  },
  aws_db_parameter_group: {
    read: ['rds:DescribeDBParameterGroups', 'rds:DescribeDBParameters', 'rds:ListTagsForResource'],
    write: [
      'rds:CreateDBParameterGroup',
      'rds:ModifyDBParameterGroup',
      'rds:ResetDBParameterGroup',
      'rds:DeleteDBParameterGroup',
      'rds:AddTagsToResource',
      'rds:RemoveTagsFromResource',
    ],
  },
  aws_db_subnet_group: {
    read: ['rds:DescribeDBSubnetGroups', 'rds:ListTagsForResource'],
    write: [
      'rds:CreateDBSubnetGroup',
      'rds:ModifyDBSubnetGroup',
      'rds:DeleteDBSubnetGroup',
      'rds:AddTagsToResource',
      'rds:RemoveTagsFromResource',
    ],
  },
  aws_kms_key: {
    read: ['kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus', 'kms:ListResourceTags'],
    write: [
      'kms:CreateKey',
      'kms:PutKeyPolicy',
      'kms:EnableKeyRotation',
      'kms:DisableKeyRotation',
      'kms:UpdateKeyDescription',
      'kms:ScheduleKeyDeletion',
      'kms:TagResource',
      'kms:UntagResource',
    ],
  },
  aws_kms_alias: { read: ['kms:ListAliases'], write: ['kms:CreateAlias', 'kms:UpdateAlias', 'kms:DeleteAlias'] },
  aws_s3_bucket: {
    // The provider reads every sub-resource of a bucket when it refreshes it (bucket.go, resourceBucketRead).
    read: [
      's3:ListBucket',
      's3:GetAccelerateConfiguration',
      's3:GetBucketAcl',
      's3:GetBucketCORS',
      's3:GetEncryptionConfiguration',
      's3:GetLifecycleConfiguration',
      's3:GetBucketLogging',
      's3:GetBucketPolicy',
      's3:GetReplicationConfiguration',
      's3:GetBucketRequestPayment',
      's3:GetBucketTagging',
      's3:GetBucketVersioning',
      's3:GetBucketWebsite',
      's3:GetBucketObjectLockConfiguration',
    ],
    write: ['s3:CreateBucket', 's3:DeleteBucket', 's3:PutBucketTagging'],
  },
  aws_s3_bucket_lifecycle_configuration: s3BucketPart('s3:GetLifecycleConfiguration', 's3:PutLifecycleConfiguration'),
  aws_s3_bucket_logging: s3BucketPart('s3:GetBucketLogging', 's3:PutBucketLogging'),
  aws_s3_bucket_notification: s3BucketPart('s3:GetBucketNotification', 's3:PutBucketNotification'),
  aws_s3_bucket_ownership_controls: s3BucketPart('s3:GetBucketOwnershipControls', 's3:PutBucketOwnershipControls'),
  aws_s3_bucket_policy: { read: ['s3:ListBucket', 's3:GetBucketPolicy'], write: ['s3:PutBucketPolicy', 's3:DeleteBucketPolicy'] },
  aws_s3_bucket_public_access_block: s3BucketPart('s3:GetBucketPublicAccessBlock', 's3:PutBucketPublicAccessBlock'),
  aws_s3_bucket_server_side_encryption_configuration: s3BucketPart('s3:GetEncryptionConfiguration', 's3:PutEncryptionConfiguration'),
  aws_s3_bucket_versioning: s3BucketPart('s3:GetBucketVersioning', 's3:PutBucketVersioning'),
  aws_s3_bucket_cors_configuration: s3BucketPart('s3:GetBucketCORS', 's3:PutBucketCORS'),
  aws_secretsmanager_secret: {
    read: ['secretsmanager:DescribeSecret', 'secretsmanager:GetResourcePolicy'],
    write: [
      'secretsmanager:CreateSecret',
      'secretsmanager:UpdateSecret',
      'secretsmanager:DeleteSecret',
      'secretsmanager:TagResource',
      'secretsmanager:UntagResource',
    ],
  },
  aws_secretsmanager_secret_version: {
    // Refreshing a version reads its value: a plan of a stack that manages a secret's value reads the secret.
    read: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
    write: ['secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecretVersionStage'],
  },
  aws_secretsmanager_secret_rotation: {
    read: ['secretsmanager:DescribeSecret'],
    write: ['secretsmanager:RotateSecret', 'secretsmanager:CancelRotateSecret'],
  },

  // ---- identity ----
  aws_iam_role: {
    read: ['iam:GetRole', 'iam:ListRolePolicies', 'iam:ListAttachedRolePolicies', 'iam:ListInstanceProfilesForRole'],
    // Never iam:DeleteRolePermissionsBoundary: a role of an environment keeps its boundary.
    write: [
      'iam:CreateRole',
      'iam:DeleteRole',
      'iam:UpdateRole',
      'iam:UpdateRoleDescription',
      'iam:UpdateAssumeRolePolicy',
      'iam:PutRolePermissionsBoundary',
      'iam:TagRole',
      'iam:UntagRole',
    ],
  },
  aws_iam_role_policy: { read: ['iam:GetRolePolicy'], write: ['iam:PutRolePolicy', 'iam:DeleteRolePolicy'] },
  aws_iam_role_policy_attachment: { read: ['iam:ListAttachedRolePolicies'], write: ['iam:AttachRolePolicy', 'iam:DetachRolePolicy'] },
  aws_iam_instance_profile: {
    read: ['iam:GetInstanceProfile', 'iam:GetRole'],
    write: [
      'iam:CreateInstanceProfile',
      'iam:DeleteInstanceProfile',
      'iam:AddRoleToInstanceProfile',
      'iam:RemoveRoleFromInstanceProfile',
      'iam:TagInstanceProfile',
      'iam:UntagInstanceProfile',
    ],
  },

  // ---- operations: logs, alarms, dashboard, topic, firewall ----
  aws_cloudwatch_log_group: {
    read: ['logs:DescribeLogGroups', 'logs:ListTagsForResource', 'logs:ListTagsLogGroup'],
    write: [
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
  },
  aws_cloudwatch_metric_alarm: {
    read: ['cloudwatch:DescribeAlarms', 'cloudwatch:ListTagsForResource'],
    write: ['cloudwatch:PutMetricAlarm', 'cloudwatch:DeleteAlarms', 'cloudwatch:TagResource', 'cloudwatch:UntagResource'],
  },
  aws_cloudwatch_dashboard: { read: ['cloudwatch:GetDashboard'], write: ['cloudwatch:PutDashboard', 'cloudwatch:DeleteDashboards'] },
  aws_sns_topic: {
    read: ['sns:GetTopicAttributes', 'sns:ListTagsForResource'],
    write: ['sns:CreateTopic', 'sns:DeleteTopic', 'sns:SetTopicAttributes', 'sns:TagResource', 'sns:UntagResource'],
  },
  aws_sns_topic_policy: { read: ['sns:GetTopicAttributes'], write: ['sns:SetTopicAttributes'] },
  aws_sns_topic_subscription: {
    read: ['sns:GetSubscriptionAttributes'],
    write: ['sns:Subscribe', 'sns:Unsubscribe', 'sns:SetSubscriptionAttributes'],
  },
  aws_wafv2_web_acl: {
    read: ['wafv2:GetWebACL', 'wafv2:ListTagsForResource'],
    write: ['wafv2:CreateWebACL', 'wafv2:UpdateWebACL', 'wafv2:DeleteWebACL', 'wafv2:TagResource', 'wafv2:UntagResource'],
  },
  aws_wafv2_ip_set: {
    read: ['wafv2:GetIPSet', 'wafv2:ListTagsForResource'],
    write: ['wafv2:CreateIPSet', 'wafv2:UpdateIPSet', 'wafv2:DeleteIPSet', 'wafv2:TagResource', 'wafv2:UntagResource'],
  },
  aws_wafv2_web_acl_association: {
    read: ['wafv2:GetWebACLForResource'],
    // AWS WAF developer guide, "Permissions to associate a web ACL": the caller also needs the protected
    // resource's own action (elasticloadbalancing:SetWebAcl for a load balancer).
    write: ['wafv2:AssociateWebACL', 'wafv2:DisassociateWebACL', 'elasticloadbalancing:SetWebAcl'],
  },
  aws_wafv2_web_acl_logging_configuration: {
    read: ['wafv2:GetLoggingConfiguration'],
    // AWS WAF developer guide, "Sending web ACL traffic logs to an Amazon CloudWatch Logs log group": the
    // caller also needs logs:CreateLogDelivery, logs:PutResourcePolicy, logs:DescribeResourcePolicies and
    // logs:DescribeLogGroups (the log group's resource policy that lets WAF's delivery write).
    write: [
      'wafv2:PutLoggingConfiguration',
      'wafv2:DeleteLoggingConfiguration',
      'logs:CreateLogDelivery',
      'logs:DeleteLogDelivery',
      'logs:PutResourcePolicy',
      'logs:DescribeResourcePolicies',
      'logs:DescribeLogGroups',
    ],
  },

  // ---- the edge: certificates, DNS, CloudFront and its access logs ----
  aws_acm_certificate: {
    read: ['acm:DescribeCertificate', 'acm:ListTagsForCertificate'],
    write: [
      'acm:RequestCertificate',
      'acm:DeleteCertificate',
      'acm:UpdateCertificateOptions',
      'acm:AddTagsToCertificate',
      'acm:RemoveTagsFromCertificate',
    ],
  },
  aws_acm_certificate_validation: { read: ['acm:DescribeCertificate'], write: [] },
  aws_route53_record: {
    read: ['route53:GetHostedZone', 'route53:ListResourceRecordSets', 'route53:GetChange'],
    write: ['route53:ChangeResourceRecordSets'],
  },
  aws_cloudfront_distribution: {
    // moto cannot create distributions with this stack's settings (emulator-gaps.ts); provider source:
    // cloudfront/distribution.go (CreateDistributionWithTags, UpdateDistribution, GetDistribution, waiters).
    read: ['cloudfront:GetDistribution', 'cloudfront:GetDistributionConfig', 'cloudfront:ListTagsForResource'],
    write: [
      'cloudfront:CreateDistribution',
      'cloudfront:UpdateDistribution',
      'cloudfront:DeleteDistribution',
      'cloudfront:TagResource',
      'cloudfront:UntagResource',
    ],
  },
  aws_cloudfront_function: {
    read: ['cloudfront:DescribeFunction', 'cloudfront:GetFunction'],
    write: ['cloudfront:CreateFunction', 'cloudfront:UpdateFunction', 'cloudfront:PublishFunction', 'cloudfront:DeleteFunction'],
  },
  aws_cloudfront_origin_access_control: {
    read: ['cloudfront:GetOriginAccessControl'],
    write: ['cloudfront:CreateOriginAccessControl', 'cloudfront:UpdateOriginAccessControl', 'cloudfront:DeleteOriginAccessControl'],
  },
  aws_cloudfront_response_headers_policy: {
    read: ['cloudfront:GetResponseHeadersPolicy'],
    write: ['cloudfront:CreateResponseHeadersPolicy', 'cloudfront:UpdateResponseHeadersPolicy', 'cloudfront:DeleteResponseHeadersPolicy'],
  },
  aws_cloudfront_vpc_origin: {
    // moto has no VPC origins (emulator-gaps.ts); provider source: cloudfront/vpc_origin.go.
    read: ['cloudfront:GetVpcOrigin', 'cloudfront:ListTagsForResource'],
    write: [
      'cloudfront:CreateVpcOrigin',
      'cloudfront:UpdateVpcOrigin',
      'cloudfront:DeleteVpcOrigin',
      'cloudfront:TagResource',
      'cloudfront:UntagResource',
    ],
  },
  aws_cloudwatch_log_delivery_source: {
    // CloudWatch Logs user guide, "Logging that requires additional permissions [V2]": a CloudFront source
    // also needs cloudfront:AllowVendedLogDeliveryForResource on the distribution.
    read: ['logs:GetDeliverySource', 'logs:ListTagsForResource'],
    write: [
      'logs:PutDeliverySource',
      'logs:DeleteDeliverySource',
      'logs:TagResource',
      'logs:UntagResource',
      'cloudfront:AllowVendedLogDeliveryForResource',
    ],
  },
  aws_cloudwatch_log_delivery_destination: {
    read: ['logs:GetDeliveryDestination', 'logs:ListTagsForResource'],
    write: ['logs:PutDeliveryDestination', 'logs:DeleteDeliveryDestination', 'logs:TagResource', 'logs:UntagResource'],
  },
  aws_cloudwatch_log_delivery: {
    // Same guide, "Logs sent to CloudWatch Logs": the caller also writes the log group's resource policy.
    read: ['logs:GetDelivery', 'logs:ListTagsForResource'],
    write: [
      'logs:CreateDelivery',
      'logs:UpdateDeliveryConfiguration',
      'logs:DeleteDelivery',
      'logs:TagResource',
      'logs:UntagResource',
      'logs:PutResourcePolicy',
      'logs:DescribeResourcePolicies',
      'logs:DescribeLogGroups',
    ],
  },
};

/**
 * Reads the provider makes as a list (no name in the request), which AWS therefore authorizes on every resource
 * of the type in the account: granted on that type's wildcard, read only, with the provider source that makes
 * the call so.
 */
export const LISTED_READS: Readonly<Record<string, string>> = {
  // internal/service/rds/instance.go findDBInstanceByID: by identifier, and by the `dbi-resource-id` filter
  // (DescribeDBInstances without DBInstanceIdentifier), which RDS authorizes on db:* of the account.
  'rds:DescribeDBInstances':
    'The provider reads a database by its resource id (a filtered DescribeDBInstances), which RDS authorizes on every instance of the account; it reads their settings, never their data.',
};

/** Data sources, by Terraform type: read by every plan. */
export const DATA_SOURCE_ACCESS: Readonly<Record<string, readonly string[]>> = {
  aws_ssm_parameter: ['ssm:GetParameter'],
};

/** What `type` needs; a type missing from the table is an error that says where to add it. */
export function accessOf(type: string, kind: 'resource' | 'data' = 'resource'): TypeAccess {
  if (kind === 'data') {
    const read = DATA_SOURCE_ACCESS[type];
    if (read === undefined) throw new Error(unknownType(type, 'DATA_SOURCE_ACCESS'));
    return { read, write: [] };
  }
  const access = RESOURCE_ACCESS[type];
  if (access === undefined) throw new Error(unknownType(type, 'RESOURCE_ACCESS'));
  return access;
}

const unknownType = (type: string, table: string) =>
  `the CI roles cannot be derived: ${type} is not in ${table} (modules/ci-roles/catalog.ts). Add the IAM actions the AWS provider needs to read and to write it — the emulated deploy then proves them against every call Terraform makes.`;

/**
 * Checks AWS makes on the caller that are no API call of Terraform's: each is granted with the resource type
 * that implies it (implied.ts), and the emulated deploy simulates it beside the recorded calls.
 */
export const IMPLIED_ACTIONS: readonly string[] = [
  'iam:PassRole',
  'iam:CreateServiceLinkedRole',
  'ec2:RunInstances',
  'kms:CreateGrant',
  'kms:DescribeKey',
  'kms:Decrypt',
  'kms:GenerateDataKey',
  'kms:RetireGrant',
  'secretsmanager:CreateSecret',
  'secretsmanager:TagResource',
  'secretsmanager:DescribeSecret',
  'secretsmanager:RotateSecret',
  'secretsmanager:DeleteSecret',
  'secretsmanager:PutSecretValue',
  'secretsmanager:UpdateSecret',
];

/** What the s3 backend does with the state (S3 user guide: the actions of GetObject, PutObject, …). */
export const STATE_ACTIONS: readonly string[] = [
  's3:ListBucket',
  's3:GetObject',
  's3:PutObject',
  's3:DeleteObject',
  'kms:Decrypt',
  'kms:GenerateDataKey',
  'kms:DescribeKey',
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:DeleteItem',
  'dynamodb:DescribeTable',
  'sts:AssumeRole',
];

/**
 * Every action an environment's own roles (app servers, flow logs, database monitoring) may be granted: the
 * permissions boundary of the environment is derived from the actions its roles' policies actually name,
 * each of which must be listed here (boundary.ts refuses any other), scoped to the environment.
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
  's3:ListBucket',
  'secretsmanager:GetSecretValue',
  'secretsmanager:DescribeSecret',
  'ssm:GetParameter',
  'rds-db:connect',
  ...[
    // AmazonSSMManagedInstanceCore (AWS managed policy, version v2): the SSM agent's registration, documents,
    // inventory and sessions.
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
  ],
];

/** The AWS managed policies the stacks attach, with the actions each grants (the boundary must allow them). */
export const MANAGED_POLICY_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore': WORKLOAD_ACTIONS.filter((a) => /^(ssm|ssmmessages|ec2messages):/.test(a)),
};

/** Every action the derivation may grant: what iam/service-authorization.ts must describe. */
export function referencedActions(): string[] {
  const all = new Set<string>([...IMPLIED_ACTIONS, ...STATE_ACTIONS, ...WORKLOAD_ACTIONS]);
  for (const access of Object.values(RESOURCE_ACCESS)) for (const a of [...access.read, ...access.write]) all.add(a);
  for (const read of Object.values(DATA_SOURCE_ACCESS)) for (const a of read) all.add(a);
  return [...all].sort();
}
