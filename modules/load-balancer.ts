import { Construct } from 'constructs';
import { Annotations, Fn } from 'cdktf';
import { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate';
import { AcmCertificateValidation } from '@cdktf/provider-aws/lib/acm-certificate-validation';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import type { HttpsConfig } from '../config/types';
import { suppress } from '../policy/suppress';
import { LoadBalancerLogBucket, ServerAccessLogBucket } from './log-bucket';
import { SecurityGroup, type Connectable } from './security-group';

export interface LoadBalancerProps {
  /** Name prefix, e.g. `web-prod` (load balancer names are at most 32 characters). */
  readonly prefix: string;
  readonly vpcId: string;
  /** Public subnets, one per zone. */
  readonly subnetIds: readonly string[];
  /** Port and health check path of the targets. */
  readonly targetPort: number;
  readonly healthCheckPath: string;
  /** HTTPS settings. @default - none: plain HTTP forward, with a synth-time warning */
  readonly https?: HttpsConfig;
  /** TLS policy of the HTTPS listener. @default 'ELBSecurityPolicy-TLS13-1-2-2021-06' */
  readonly sslPolicy?: string;
  /** Deletion protection on the load balancer; also keeps its log bucket (`prevent_destroy`). */
  readonly deletionProtection: boolean;
  readonly accountId: string;
  readonly region: string;
  /** Days to keep access logs. */
  readonly logRetentionDays: number;
}

/**
 * Internet-facing Application Load Balancer in the public subnets — the only thing the platform exposes.
 * Invalid header fields dropped, access logs to a private bucket, a target group with a health check, and
 * either HTTPS (TLS 1.3 policy, ACM certificate, HTTP→HTTPS redirect) or, without HTTPS settings, HTTP.
 */
export class LoadBalancer extends Construct implements Connectable {
  readonly alb: Lb;
  readonly targetGroup: LbTargetGroup;
  readonly securityGroup: SecurityGroup;
  readonly listeners: readonly LbListener[];
  readonly logBucket: LoadBalancerLogBucket;
  /** Receives the S3 server access logs of the access log bucket. */
  readonly serverAccessLogs: ServerAccessLogBucket;
  /** What users type: `https://<domain>` or `http://<alb dns name>`. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: LoadBalancerProps) {
    super(scope, id);
    const { prefix, https } = props;

    this.securityGroup = new SecurityGroup(this, 'security_group', {
      label: 'alb',
      vpcId: props.vpcId,
      name: `${prefix}-alb`,
      // Kept as first deployed: a group's description cannot change without replacing the group, and the
      // load balancer holds it. The rules below say what is open.
      description: `${prefix} load balancer: HTTP and HTTPS from the internet`,
    });
    const publicEntry =
      'The load balancer is the one public entry point of the platform: users reach the application from anywhere on the internet.';
    suppress(
      this.securityGroup.allowFromInternet(80, 'http', https ? 'HTTP from the internet, redirected to HTTPS' : 'HTTP from the internet'),
      'security-group-no-public-ingress',
      publicEntry,
    );
    // 443 is open only where a listener answers on it.
    if (https) suppress(this.securityGroup.allowFromInternet(443, 'https', 'HTTPS from the internet'), 'security-group-no-public-ingress', publicEntry);

    const logPrefix = 'alb';
    const logBucketName = `${prefix}-alb-logs-${props.accountId}-${props.region}`;
    this.serverAccessLogs = new ServerAccessLogBucket(this, 's3_access_logs', {
      bucketName: `${prefix}-s3-access-logs-${props.accountId}-${props.region}`,
      accountId: props.accountId,
      sourceBucketNames: [logBucketName],
      retentionDays: props.logRetentionDays,
      protect: props.deletionProtection,
    });
    this.logBucket = new LoadBalancerLogBucket(this, 'access_logs', {
      bucketName: logBucketName,
      logPrefix,
      accountId: props.accountId,
      region: props.region,
      retentionDays: props.logRetentionDays,
      protect: props.deletionProtection,
      serverAccessLogs: this.serverAccessLogs,
    });

    this.alb = new Lb(this, 'alb', {
      name: `${prefix}-alb`,
      loadBalancerType: 'application',
      internal: false,
      securityGroups: [this.securityGroup.id],
      subnets: [...props.subnetIds],
      dropInvalidHeaderFields: true,
      desyncMitigationMode: 'defensive',
      enableDeletionProtection: props.deletionProtection,
      idleTimeout: 60,
      accessLogs: { bucket: this.logBucket.bucket.id, prefix: logPrefix, enabled: true },
      dependsOn: [this.logBucket.policy],
      tags: { Name: `${prefix}-alb` },
    });
    suppress(this.alb, 'elb-internal', publicEntry);

    this.targetGroup = new LbTargetGroup(this, 'target_group', {
      name: `${prefix}-app`,
      port: props.targetPort,
      protocol: 'HTTP',
      targetType: 'instance',
      vpcId: props.vpcId,
      deregistrationDelay: '30',
      healthCheck: {
        enabled: true,
        path: props.healthCheckPath,
        port: 'traffic-port',
        protocol: 'HTTP',
        matcher: '200',
        interval: 15,
        timeout: 5,
        healthyThreshold: 2,
        unhealthyThreshold: 3,
      },
      tags: { Name: `${prefix}-app` },
    });
    suppress(
      this.targetGroup,
      'elb-target-group-https',
      'TLS ends at the load balancer; the hop to the targets stays in the private app subnets, where only the load balancer security group may reach the app port.',
    );

    if (https) {
      const certificateArn = this.certificate(https);
      const secure = new LbListener(this, 'https_listener', {
        loadBalancerArn: this.alb.arn,
        port: 443,
        protocol: 'HTTPS',
        sslPolicy: props.sslPolicy ?? 'ELBSecurityPolicy-TLS13-1-2-2021-06',
        certificateArn,
        defaultAction: [{ type: 'forward', targetGroupArn: this.targetGroup.arn }],
      });
      const redirect = new LbListener(this, 'http_listener', {
        loadBalancerArn: this.alb.arn,
        port: 80,
        protocol: 'HTTP',
        defaultAction: [
          { type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } },
        ],
      });
      this.listeners = [secure, redirect];
      this.url = `https://${https.domainName}`;
    } else {
      Annotations.of(this).addWarning(
        `${prefix}: no HTTPS settings — the load balancer serves plain HTTP. Set "https" in the environment config for production traffic.`,
      );
      this.listeners = [
        new LbListener(this, 'http_listener', {
          loadBalancerArn: this.alb.arn,
          port: 80,
          protocol: 'HTTP',
          defaultAction: [{ type: 'forward', targetGroupArn: this.targetGroup.arn }],
        }),
      ];
      this.url = `http://${this.alb.dnsName}`;
    }
  }

  /** An existing certificate, or a new one validated by DNS in the hosted zone plus an alias record. */
  private certificate(https: HttpsConfig): string {
    if (https.certificateArn) return https.certificateArn;
    const zoneId = https.hostedZoneId as string;
    const cert = new AcmCertificate(this, 'certificate', {
      domainName: https.domainName,
      validationMethod: 'DNS',
      keyAlgorithm: 'EC_prime256v1',
      lifecycle: { createBeforeDestroy: true },
      tags: { Name: https.domainName },
    });
    // One domain name, so exactly one validation record.
    const option = Fn.element(Fn.tolist(cert.domainValidationOptions), 0);
    const record = new Route53Record(this, 'certificate_validation_record', {
      zoneId,
      name: Fn.lookup(option, 'resource_record_name'),
      type: Fn.lookup(option, 'resource_record_type'),
      records: [Fn.lookup(option, 'resource_record_value')],
      ttl: 300,
      allowOverwrite: true,
    });
    const validation = new AcmCertificateValidation(this, 'certificate_validation', {
      certificateArn: cert.arn,
      validationRecordFqdns: [record.fqdn],
    });
    new Route53Record(this, 'alias_record', {
      zoneId,
      name: https.domainName,
      type: 'A',
      alias: { name: this.alb.dnsName, zoneId: this.alb.zoneId, evaluateTargetHealth: true },
    });
    return validation.certificateArn;
  }
}
