/**
 * Which attribute of which resource type holds a name AWS restricts, and its rule (naming/rules.ts): what the
 * naming tests check in the synthesized JSON. A resource type with a name-like attribute that is neither
 * here nor in NOT_GENERATED fails those tests, so a new construct cannot bring an unchecked name.
 */
import * as rule from '../../naming/rules';
import type { NameRule } from '../../naming/rules';

/** Security group descriptions: EC2's character set, at most 255 (CreateSecurityGroup `GroupDescription`). */
export const SECURITY_GROUP_DESCRIPTION: NameRule = {
  ...rule.SECURITY_GROUP,
  label: 'security group description',
  conditions: [],
  unique: 'parent',
};

export const NAME_ATTRIBUTES: Readonly<Record<string, Readonly<Record<string, NameRule>>>> = {
  aws_s3_bucket: { bucket: rule.S3_BUCKET },
  aws_lb: { name: rule.LOAD_BALANCER },
  aws_lb_target_group: { name: rule.TARGET_GROUP },
  aws_iam_role: { name: rule.IAM_ROLE },
  aws_iam_instance_profile: { name: rule.IAM_INSTANCE_PROFILE },
  aws_iam_role_policy: { name: rule.IAM_INLINE_POLICY },
  aws_iam_policy: { name: rule.IAM_POLICY },
  aws_security_group: { name: rule.SECURITY_GROUP, description: SECURITY_GROUP_DESCRIPTION },
  aws_launch_template: { name: rule.LAUNCH_TEMPLATE },
  aws_autoscaling_group: { name: rule.AUTO_SCALING_GROUP },
  aws_autoscaling_policy: { name: rule.SCALING_POLICY },
  aws_cloudwatch_metric_alarm: { alarm_name: rule.ALARM },
  aws_cloudwatch_dashboard: { dashboard_name: rule.DASHBOARD },
  aws_db_instance: { identifier: rule.DB_INSTANCE, final_snapshot_identifier: rule.DB_SNAPSHOT },
  aws_db_parameter_group: { name: rule.DB_PARAMETER_GROUP },
  aws_db_subnet_group: { name: rule.DB_SUBNET_GROUP },
  aws_cloudwatch_log_group: { name: rule.LOG_GROUP },
  aws_kms_alias: { name: rule.KMS_ALIAS },
  aws_wafv2_web_acl: { name: rule.WAF_WEB_ACL },
  aws_sns_topic: { name: rule.SNS_TOPIC, display_name: rule.SNS_DISPLAY_NAME },
  aws_dynamodb_table: { name: rule.DYNAMODB_TABLE },
  aws_ecr_repository: { name: rule.ECR_REPOSITORY },
  aws_cloudfront_origin_access_control: { name: rule.CLOUDFRONT_ORIGIN_ACCESS_CONTROL },
  aws_cloudfront_response_headers_policy: { name: rule.CLOUDFRONT_RESPONSE_HEADERS_POLICY },
  aws_cloudfront_function: { name: rule.CLOUDFRONT_FUNCTION },
  aws_cloudfront_distribution: { comment: rule.CLOUDFRONT_COMMENT },
  aws_wafv2_ip_set: { name: rule.WAF_IP_SET_CLOUDFRONT },
  aws_cloudwatch_log_delivery_source: { name: rule.LOG_DELIVERY_SOURCE },
  aws_cloudwatch_log_delivery_destination: { name: rule.LOG_DELIVERY_DESTINATION },
  aws_secretsmanager_secret: { name: rule.SECRETS_MANAGER_SECRET },
};

/** Name-like attributes that are not generated names (they come from the config, validated as what they are). */
export const NOT_GENERATED: Readonly<Record<string, readonly string[]>> = {
  // https.domainName: a DNS name, validated as one.
  aws_acm_certificate: ['domain_name'],
  aws_route53_record: ['name'],
};

/** Attribute names that hold a name in the AWS provider's resources. */
export const NAME_LIKE =
  /^(name|name_prefix|bucket|bucket_prefix|identifier|identifier_prefix|alarm_name|dashboard_name|display_name|final_snapshot_identifier|table_name|domain_name|function_name|topic_name|queue_name|repository_name)$/;

/** A literal value (not a reference Terraform fills in). */
export const isLiteral = (value: unknown): value is string => typeof value === 'string' && !value.includes('${');
