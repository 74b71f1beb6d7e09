import { Construct } from 'constructs';
import { Annotations, TerraformIterator, Token } from 'cdktf';
import { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate';
import { AcmCertificateValidation } from '@cdktf/provider-aws/lib/acm-certificate-validation';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import type { HttpsConfig } from '../config/types';
import { suppress } from '../policy/suppress';
import { LoadBalancerLogBucket, ServerAccessLogBucket } from './log-bucket';
import { Moved, resourceAddress } from './moved';
import { SecurityGroup, type Connectable } from './security-group';
import { stringTypedNumber } from './string-typed';
import { names } from '../naming';

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
      name: names.securityGroup(prefix, 'alb'),
      description: `${prefix} load balancer: HTTP and HTTPS from the internet`,
    });
    const publicEntry =
      'The load balancer is the one public entry point of the platform: users reach the application from anywhere on the internet.';
    suppress(this.securityGroup.allowFromInternet(80, 'http', 'HTTP from the internet (redirected to HTTPS when HTTPS is on)'), 'security-group-no-public-ingress', publicEntry);
    suppress(this.securityGroup.allowFromInternet(443, 'https', 'HTTPS from the internet'), 'security-group-no-public-ingress', publicEntry);

    const logPrefix = 'alb';
    const logBucketName = names.albLogBucket(prefix, props.accountId, props.region);
    this.serverAccessLogs = new ServerAccessLogBucket(this, 's3_access_logs', {
      bucketName: names.serverAccessLogBucket(prefix, props.accountId, props.region),
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
      name: names.loadBalancer(prefix),
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
      tags: { Name: names.nameTag(prefix, 'alb') },
    });
    suppress(this.alb, 'elb-internal', publicEntry);

    this.targetGroup = new LbTargetGroup(this, 'target_group', {
      name: names.targetGroup(prefix),
      port: props.targetPort,
      protocol: 'HTTP',
      targetType: 'instance',
      vpcId: props.vpcId,
      deregistrationDelay: stringTypedNumber(30),
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
      tags: { Name: names.nameTag(prefix, 'app') },
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
    // One record per name ACM asks to see (`domain_validation_options`), keyed by domain name: the
    // provider knows the names at plan time, the record values once the certificate exists.
    const options = TerraformIterator.fromComplexList(cert.domainValidationOptions, 'domain_name');
    const record = new Route53Record(this, 'certificate_validation_record', {
      forEach: options,
      zoneId,
      name: options.getString('resource_record_name'),
      type: options.getString('resource_record_type'),
      records: [options.getString('resource_record_value')],
      ttl: 300,
      allowOverwrite: true,
    });
    // Stacks deployed before kept the one record at the address without a key.
    new Moved(this, 'certificate_validation_record_moved', { from: resourceAddress(record), to: resourceAddress(record, https.domainName) });
    const validation = new AcmCertificateValidation(this, 'certificate_validation', {
      certificateArn: cert.arn,
      validationRecordFqdns: Token.asList(TerraformIterator.fromResources(record).pluckProperty('fqdn')),
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
