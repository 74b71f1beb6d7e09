/** Every rule of the policy, one per file in this folder (a unit test checks none is left out). */
import type { Rule } from '../rule';
import { rule as acmCreateBeforeDestroy } from './acm-create-before-destroy';
import { rule as acmTransparencyLogging } from './acm-transparency-logging';
import { rule as asgCooldown } from './asg-cooldown';
import { rule as asgElbHealthCheck } from './asg-elb-health-check';
import { rule as asgLaunchTemplate } from './asg-launch-template';
import { rule as asgNotifications } from './asg-notifications';
import { rule as asgPropagateTags } from './asg-propagate-tags';
import { rule as asgRefreshRollback } from './asg-refresh-rollback';
import { rule as asgRefreshZeroDowntime } from './asg-refresh-zero-downtime';
import { rule as cloudfrontCustomCertificate } from './cloudfront-custom-certificate';
import { rule as cloudfrontDefaultRootObject } from './cloudfront-default-root-object';
import { rule as cloudfrontLogging } from './cloudfront-logging';
import { rule as cloudfrontOriginAccessControl } from './cloudfront-origin-access-control';
import { rule as cloudfrontOriginTls } from './cloudfront-origin-tls';
import { rule as cloudfrontResponseHeaders } from './cloudfront-response-headers';
import { rule as cloudfrontTlsPolicy } from './cloudfront-tls-policy';
import { rule as cloudfrontViewerHttps } from './cloudfront-viewer-https';
import { rule as cloudfrontWaf } from './cloudfront-waf';
import { rule as dataPreventDestroy } from './data-prevent-destroy';
import { rule as ec2DetailedMonitoring } from './ec2-detailed-monitoring';
import { rule as ec2EbsEncrypted } from './ec2-ebs-encrypted';
import { rule as ec2EbsOptimized } from './ec2-ebs-optimized';
import { rule as ec2Imdsv2 } from './ec2-imdsv2';
import { rule as ec2NoPublicIp } from './ec2-no-public-ip';
import { rule as ec2NoSecretsInUserData } from './ec2-no-secrets-in-user-data';
import { rule as ecrImmutableTags } from './ecr-immutable-tags';
import { rule as ecrKmsEncrypted } from './ecr-kms-encrypted';
import { rule as ecrLifecyclePolicy } from './ecr-lifecycle-policy';
import { rule as ecrScanOnPush } from './ecr-scan-on-push';
import { rule as eipAttached } from './eip-attached';
import { rule as elbAccessLogs } from './elb-access-logs';
import { rule as elbDeletionProtection } from './elb-deletion-protection';
import { rule as elbDesyncMitigation } from './elb-desync-mitigation';
import { rule as elbDropInvalidHeaders } from './elb-drop-invalid-headers';
import { rule as elbInternal } from './elb-internal';
import { rule as elbListenerHttps } from './elb-listener-https';
import { rule as elbListenerTlsPolicy } from './elb-listener-tls-policy';
import { rule as elbTargetGroupHealthCheck } from './elb-target-group-health-check';
import { rule as elbTargetGroupHttps } from './elb-target-group-https';
import { rule as elbWaf } from './elb-waf';
import { rule as haAlarmNotifies } from './ha-alarm-notifies';
import { rule as haAlarmTopicSubscribed } from './ha-alarm-topic-subscribed';
import { rule as haAlarmsOnKeyMetrics } from './ha-alarms-on-key-metrics';
import { rule as haMinInstances } from './ha-min-instances';
import { rule as haNatPerZone } from './ha-nat-per-zone';
import { rule as haTwoZones } from './ha-two-zones';
import { rule as iamNoManagedPolicies } from './iam-no-managed-policies';
import { rule as iamNoWildcardActions } from './iam-no-wildcard-actions';
import { rule as iamNoWildcardResources } from './iam-no-wildcard-resources';
import { rule as iamOidcTrustPinned } from './iam-oidc-trust-pinned';
import { rule as iamPolicySize } from './iam-policy-size';
import { rule as iamTrustScoped } from './iam-trust-scoped';
import { rule as kmsKeyPolicy } from './kms-key-policy';
import { rule as kmsRotation } from './kms-rotation';
import { rule as logsEncrypted } from './logs-encrypted';
import { rule as logsRetention } from './logs-retention';
import { rule as rdsAutoMinorUpgrade } from './rds-auto-minor-upgrade';
import { rule as rdsBackupRetention } from './rds-backup-retention';
import { rule as rdsCaCertificate } from './rds-ca-certificate';
import { rule as rdsCopyTagsToSnapshot } from './rds-copy-tags-to-snapshot';
import { rule as rdsDeletionProtection } from './rds-deletion-protection';
import { rule as rdsEncrypted } from './rds-encrypted';
import { rule as rdsEnhancedMonitoring } from './rds-enhanced-monitoring';
import { rule as rdsFinalSnapshot } from './rds-final-snapshot';
import { rule as rdsIamAuth } from './rds-iam-auth';
import { rule as rdsLogExports } from './rds-log-exports';
import { rule as rdsManagedMasterPassword } from './rds-managed-master-password';
import { rule as rdsMultiAz } from './rds-multi-az';
import { rule as rdsNonDefaultPort } from './rds-non-default-port';
import { rule as rdsNotPublic } from './rds-not-public';
import { rule as rdsPerformanceInsights } from './rds-performance-insights';
import { rule as rdsQueryLogging } from './rds-query-logging';
import { rule as rdsTlsEnforced } from './rds-tls-enforced';
import { rule as route53RecordAttached } from './route53-record-attached';
import { rule as s3AccessLogging } from './s3-access-logging';
import { rule as s3AclsDisabled } from './s3-acls-disabled';
import { rule as s3CloudfrontSourceArn } from './s3-cloudfront-source-arn';
import { rule as s3Encrypted } from './s3-encrypted';
import { rule as s3EventNotifications } from './s3-event-notifications';
import { rule as s3KmsEncrypted } from './s3-kms-encrypted';
import { rule as s3Lifecycle } from './s3-lifecycle';
import { rule as s3PublicAccessBlock } from './s3-public-access-block';
import { rule as s3Replication } from './s3-replication';
import { rule as s3SslOnly } from './s3-ssl-only';
import { rule as s3Versioning } from './s3-versioning';
import { rule as securityGroupAttached } from './security-group-attached';
import { rule as securityGroupDescribed } from './security-group-described';
import { rule as securityGroupEgressRestricted } from './security-group-egress-restricted';
import { rule as securityGroupNoPublicAdminPorts } from './security-group-no-public-admin-ports';
import { rule as securityGroupNoPublicEgress } from './security-group-no-public-egress';
import { rule as securityGroupNoPublicIngress } from './security-group-no-public-ingress';
import { rule as snsEncrypted } from './sns-encrypted';
import { rule as snsSslOnly } from './sns-ssl-only';
import { rule as subnetNoPublicIp } from './subnet-no-public-ip';
import { rule as vpcDefaultSecurityGroupClosed } from './vpc-default-security-group-closed';
import { rule as vpcEndpointPolicyRestricted } from './vpc-endpoint-policy-restricted';
import { rule as vpcFlowLogs } from './vpc-flow-logs';
import { rule as wafLogging } from './waf-logging';
import { rule as wafManagedRules } from './waf-managed-rules';
import { rule as wafMetrics } from './waf-metrics';

export const ALL_RULES: readonly Rule[] = [
  acmCreateBeforeDestroy,
  acmTransparencyLogging,
  asgCooldown,
  asgElbHealthCheck,
  asgLaunchTemplate,
  asgNotifications,
  asgPropagateTags,
  asgRefreshRollback,
  asgRefreshZeroDowntime,
  cloudfrontCustomCertificate,
  cloudfrontDefaultRootObject,
  cloudfrontLogging,
  cloudfrontOriginAccessControl,
  cloudfrontOriginTls,
  cloudfrontResponseHeaders,
  cloudfrontTlsPolicy,
  cloudfrontViewerHttps,
  cloudfrontWaf,
  dataPreventDestroy,
  ec2DetailedMonitoring,
  ec2EbsEncrypted,
  ec2EbsOptimized,
  ec2Imdsv2,
  ec2NoPublicIp,
  ec2NoSecretsInUserData,
  ecrImmutableTags,
  ecrKmsEncrypted,
  ecrLifecyclePolicy,
  ecrScanOnPush,
  eipAttached,
  elbAccessLogs,
  elbDeletionProtection,
  elbDesyncMitigation,
  elbDropInvalidHeaders,
  elbInternal,
  elbListenerHttps,
  elbListenerTlsPolicy,
  elbTargetGroupHealthCheck,
  elbTargetGroupHttps,
  elbWaf,
  haAlarmNotifies,
  haAlarmTopicSubscribed,
  haAlarmsOnKeyMetrics,
  haMinInstances,
  haNatPerZone,
  haTwoZones,
  iamNoManagedPolicies,
  iamNoWildcardActions,
  iamNoWildcardResources,
  iamOidcTrustPinned,
  iamPolicySize,
  iamTrustScoped,
  kmsKeyPolicy,
  kmsRotation,
  logsEncrypted,
  logsRetention,
  rdsAutoMinorUpgrade,
  rdsBackupRetention,
  rdsCaCertificate,
  rdsCopyTagsToSnapshot,
  rdsDeletionProtection,
  rdsEncrypted,
  rdsEnhancedMonitoring,
  rdsFinalSnapshot,
  rdsIamAuth,
  rdsLogExports,
  rdsManagedMasterPassword,
  rdsMultiAz,
  rdsNonDefaultPort,
  rdsNotPublic,
  rdsPerformanceInsights,
  rdsQueryLogging,
  rdsTlsEnforced,
  route53RecordAttached,
  s3AccessLogging,
  s3AclsDisabled,
  s3CloudfrontSourceArn,
  s3Encrypted,
  s3EventNotifications,
  s3KmsEncrypted,
  s3Lifecycle,
  s3PublicAccessBlock,
  s3Replication,
  s3SslOnly,
  s3Versioning,
  securityGroupAttached,
  securityGroupDescribed,
  securityGroupEgressRestricted,
  securityGroupNoPublicAdminPorts,
  securityGroupNoPublicEgress,
  securityGroupNoPublicIngress,
  snsEncrypted,
  snsSslOnly,
  subnetNoPublicIp,
  vpcDefaultSecurityGroupClosed,
  vpcEndpointPolicyRestricted,
  vpcFlowLogs,
  wafLogging,
  wafManagedRules,
  wafMetrics,
];

export const RULE_IDS: readonly string[] = ALL_RULES.map((r) => r.id);

/** The rule with `id`; throws for an unknown id. */
export function ruleById(id: string): Rule {
  const rule = ALL_RULES.find((r) => r.id === id);
  if (!rule) throw new Error(`unknown policy rule ${JSON.stringify(id)}`);
  return rule;
}
