/**
 * Compliant-by-default builders of real provider resources for the rule tests: each test builds the good
 * shape, or the good shape with one field made bad through `overrides`.
 */
import { Fn, TerraformLocal } from 'cdktf';
import type { Construct } from 'constructs';
import { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate';
import { AutoscalingGroup, type AutoscalingGroupConfig } from '@cdktf/provider-aws/lib/autoscaling-group';
import { CloudfrontDistribution, type CloudfrontDistributionConfig } from '@cdktf/provider-aws/lib/cloudfront-distribution';
import { CloudfrontOriginAccessControl } from '@cdktf/provider-aws/lib/cloudfront-origin-access-control';
import { CloudfrontResponseHeadersPolicy } from '@cdktf/provider-aws/lib/cloudfront-response-headers-policy';
import { CloudwatchLogGroup, type CloudwatchLogGroupConfig } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DbInstance, type DbInstanceConfig } from '@cdktf/provider-aws/lib/db-instance';
import { DbParameterGroup } from '@cdktf/provider-aws/lib/db-parameter-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { LaunchTemplate, type LaunchTemplateConfig } from '@cdktf/provider-aws/lib/launch-template';
import { Lb, type LbConfig } from '@cdktf/provider-aws/lib/lb';
import { LbTargetGroup, type LbTargetGroupConfig } from '@cdktf/provider-aws/lib/lb-target-group';
import { S3Bucket, type S3BucketConfig } from '@cdktf/provider-aws/lib/s3-bucket';
import { Wafv2WebAcl, type Wafv2WebAclConfig } from '@cdktf/provider-aws/lib/wafv2-web-acl';
import { key, network } from './fixtures';

export const ASSUME_EC2 = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

export function role(scope: Construct, id = 'role', assumeRolePolicy = ASSUME_EC2): IamRole {
  return new IamRole(scope, id, { name: id, assumeRolePolicy });
}

/** A MySQL parameter group that requires TLS and logs slow queries. */
export function parameterGroup(
  scope: Construct,
  parameters = [
    { name: 'require_secure_transport', value: '1' },
    { name: 'slow_query_log', value: '1' },
  ],
): DbParameterGroup {
  return new DbParameterGroup(scope, 'params', { family: 'mysql8.4', parameter: parameters });
}

/** `db`: a database every RDS rule accepts, with `overrides` applied. */
export function database(scope: Construct, overrides: Partial<DbInstanceConfig> = {}): DbInstance {
  const k = key(scope);
  return new DbInstance(scope, 'db', {
    engine: 'mysql',
    instanceClass: 'db.m7g.large',
    port: 3307,
    storageEncrypted: true,
    kmsKeyId: k.arn,
    publiclyAccessible: false,
    iamDatabaseAuthenticationEnabled: true,
    deletionProtection: true,
    backupRetentionPeriod: 14,
    enabledCloudwatchLogsExports: ['error'],
    monitoringInterval: 60,
    monitoringRoleArn: role(scope, 'monitoring').arn,
    performanceInsightsEnabled: true,
    performanceInsightsKmsKeyId: k.arn,
    autoMinorVersionUpgrade: true,
    copyTagsToSnapshot: true,
    parameterGroupName: parameterGroup(scope).name,
    caCertIdentifier: 'rds-ca-rsa2048-g1',
    skipFinalSnapshot: false,
    finalSnapshotIdentifier: 'db-final',
    deleteAutomatedBackups: false,
    manageMasterUserPassword: true,
    masterUserSecretKmsKeyId: k.arn,
    multiAz: true,
    lifecycle: { preventDestroy: true },
    ...overrides,
  });
}

/** `lb`: an internal application load balancer with logs, header dropping, deletion protection. */
export function loadBalancer(scope: Construct, overrides: Partial<LbConfig> = {}): Lb {
  const { subnets } = network(scope);
  return new Lb(scope, 'lb', {
    loadBalancerType: 'application',
    internal: true,
    subnets: subnets.map((s) => s.id),
    dropInvalidHeaderFields: true,
    enableDeletionProtection: true,
    accessLogs: { bucket: 'logs', enabled: true },
    ...overrides,
  });
}

export function targetGroup(scope: Construct, overrides: Partial<LbTargetGroupConfig> = {}): LbTargetGroup {
  return new LbTargetGroup(scope, 'tg', {
    port: 8443,
    protocol: 'HTTPS',
    vpcId: 'vpc-1',
    healthCheck: { enabled: true, path: '/health' },
    ...overrides,
  });
}

/** `lt`: a launch template with IMDSv2, encrypted EBS, no public IP, monitoring, EBS-optimized. */
export function launchTemplate(scope: Construct, overrides: Partial<LaunchTemplateConfig> = {}): LaunchTemplate {
  return new LaunchTemplate(scope, 'lt', {
    metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1 },
    blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { encrypted: 'true', volumeSize: 20 } }],
    networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: 'false' }],
    monitoring: { enabled: true },
    ebsOptimized: 'true',
    ...overrides,
  });
}

/** User data rendered from a local, as AppServers does. */
export function userDataFromLocal(scope: Construct, script: string): string {
  return Fn.base64encode(new TerraformLocal(scope, 'user_data', script).asString);
}

/** `asg`: a group over two zones behind a target group, ELB checks, launch template, tags, min 2. */
export function autoScalingGroup(scope: Construct, overrides: Partial<AutoscalingGroupConfig> = {}): AutoscalingGroup {
  const { subnets } = network(scope);
  const lt = launchTemplate(scope);
  return new AutoscalingGroup(scope, 'asg', {
    minSize: 2,
    maxSize: 4,
    vpcZoneIdentifier: subnets.map((s) => s.id),
    targetGroupArns: [targetGroup(scope).arn],
    healthCheckType: 'ELB',
    launchTemplate: { id: lt.id, version: '$Latest' },
    tag: [{ key: 'Name', value: 'app', propagateAtLaunch: true }],
    ...overrides,
  });
}

export function logGroup(scope: Construct, overrides: Partial<CloudwatchLogGroupConfig> = {}): CloudwatchLogGroup {
  return new CloudwatchLogGroup(scope, 'logs', { retentionInDays: 365, kmsKeyId: key(scope).arn, ...overrides });
}

export function bucket(scope: Construct, overrides: Partial<S3BucketConfig> = {}): S3Bucket {
  return new S3Bucket(scope, 'bucket', { bucket: 'b', ...overrides });
}

const visibility = { cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: 'm' };

/** `acl`: a web ACL enforcing the given AWS managed rule groups. */
export function webAcl(scope: Construct, groups: readonly string[], overrides: Partial<Wafv2WebAclConfig> = {}): Wafv2WebAcl {
  return new Wafv2WebAcl(scope, 'acl', {
    scope: 'REGIONAL',
    defaultAction: { allow: {} },
    visibilityConfig: visibility,
    rule: groups.map((name, i) => ({
      name,
      priority: i,
      overrideAction: { none: {} },
      statement: { managed_rule_group_statement: { name, vendor_name: 'AWS' } },
      visibilityConfig: visibility,
    })),
    ...overrides,
  });
}

/** A response headers policy with every security header the pack asks for (`headers`). */
export function responseHeaders(scope: Construct, id = 'headers'): CloudfrontResponseHeadersPolicy {
  return new CloudfrontResponseHeadersPolicy(scope, id, {
    name: id,
    securityHeadersConfig: {
      strictTransportSecurity: { accessControlMaxAgeSec: 63_072_000, includeSubdomains: true, override: true },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: 'DENY', override: true },
      referrerPolicy: { referrerPolicy: 'strict-origin-when-cross-origin', override: true },
      contentSecurityPolicy: { contentSecurityPolicy: "default-src 'self'", override: true },
    },
  });
}

/**
 * `cdn`: a distribution every CloudFront rule accepts — an S3 bucket origin through a signing OAC, a TLS 1.2
 * only HTTPS API origin, HTTPS for viewers, security headers, its own certificate, a CLOUDFRONT web ACL,
 * index.html — with `overrides` applied.
 */
export function distribution(scope: Construct, overrides: Partial<CloudfrontDistributionConfig> = {}): CloudfrontDistribution {
  const origin = new S3Bucket(scope, 'origin_bucket', { bucket: 'site' });
  const oac = new CloudfrontOriginAccessControl(scope, 'oac', {
    name: 'oac',
    originAccessControlOriginType: 's3',
    signingBehavior: 'always',
    signingProtocol: 'sigv4',
  });
  const headers = responseHeaders(scope);
  const behaviour = {
    targetOriginId: 'files',
    viewerProtocolPolicy: 'redirect-to-https',
    allowedMethods: ['GET', 'HEAD'],
    cachedMethods: ['GET', 'HEAD'],
    cachePolicyId: 'p',
    responseHeadersPolicyId: headers.id,
  };
  const cert = new AcmCertificate(scope, 'cert', {
    domainName: 'www.example.com',
    validationMethod: 'DNS',
    lifecycle: { createBeforeDestroy: true },
  });
  return new CloudfrontDistribution(scope, 'cdn', {
    enabled: true,
    defaultRootObject: 'index.html',
    webAclId: webAcl(scope, [], { scope: 'CLOUDFRONT' }).arn,
    origin: [
      { originId: 'files', domainName: origin.bucketRegionalDomainName, originAccessControlId: oac.id },
      {
        originId: 'api',
        domainName: 'app.example.com',
        customOriginConfig: { httpPort: 80, httpsPort: 443, originProtocolPolicy: 'https-only', originSslProtocols: ['TLSv1.2'] },
      },
    ],
    defaultCacheBehavior: behaviour,
    orderedCacheBehavior: [{ ...behaviour, pathPattern: '/api/*', targetOriginId: 'api', viewerProtocolPolicy: 'https-only' }],
    restrictions: { geoRestriction: { restrictionType: 'none' } },
    viewerCertificate: { acmCertificateArn: cert.arn, sslSupportMethod: 'sni-only', minimumProtocolVersion: 'TLSv1.2_2021' },
    ...overrides,
  });
}
