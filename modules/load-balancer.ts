import { Construct } from 'constructs';
import { Annotations } from 'cdktf';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbListenerRule } from '@cdktf/provider-aws/lib/lb-listener-rule';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import type { HttpsConfig } from '../config/types';
import { suppress } from '../policy/suppress';
import { dnsValidatedCertificate } from './certificate';
import { LoadBalancerLogBucket, ServerAccessLogBucket } from './log-bucket';
import { Moved, resourceAddress } from './moved';
import { SecurityGroup, type Connectable } from './security-group';
import { stringTypedNumber } from './string-typed';
import { ORIGIN_HEADER, names } from '../naming';

/** Why the load balancer is internet-facing (the `elb-internal` suppression), as a public entry point. */
export const PUBLIC_ENTRY_REASON =
  'The load balancer is the one public entry point of the platform: users reach the application from anywhere on the internet.';
/** The same, behind the edge. */
export const BEHIND_THE_EDGE_REASON =
  'The load balancer is internet-facing only so that CloudFront can reach it: its security group admits CloudFront origin-facing servers alone and its listener forwards only requests carrying the secret origin header.';

/** The load balancer behind CloudFront: what it admits and what it requires of every request. */
export interface EdgeOrigin {
  /** The CloudFront origin-facing managed prefix list of the region: the only sources admitted (HTTPS). */
  readonly prefixListId: string;
  /** Value of the origin header CloudFront adds; the listener forwards only requests that carry it. */
  readonly originHeaderValue: string;
}

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
  /**
   * Behind CloudFront: only CloudFront's origin-facing addresses reach it, on 443 only, and only requests with
   * the secret origin header are forwarded (others get 403). Needs `https`. @default - a public entry point
   */
  readonly edge?: EdgeOrigin;
}

/**
 * Internet-facing Application Load Balancer in the public subnets — the platform's entry point, or, behind
 * CloudFront (`edge`), reachable from CloudFront's origin-facing servers alone.
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

    const { edge } = props;
    this.securityGroup = new SecurityGroup(this, 'security_group', {
      label: 'alb',
      vpcId: props.vpcId,
      name: names.securityGroup(prefix, 'alb'),
      // Kept as first deployed: a group's description cannot change without replacing the group, and the
      // load balancer holds it (moving behind the edge would then replace it). The rules below say what is open.
      description: `${prefix} load balancer: HTTP and HTTPS from the internet`,
    });
    // CloudFront reaches an origin over the internet, so the load balancer stays internet-facing; what it
    // admits is CloudFront's origin-facing servers alone (the list weighs 55 rules: one port only).
    if (edge) {
      this.securityGroup.allowFromPrefixList(
        443,
        'cloudfront_https',
        edge.prefixListId,
        'HTTPS from CloudFront origin-facing servers only',
      );
    } else {
      suppress(
        this.securityGroup.allowFromInternet(80, 'http', https ? 'HTTP from the internet, redirected to HTTPS' : 'HTTP from the internet'),
        'security-group-no-public-ingress',
        PUBLIC_ENTRY_REASON,
      );
      // 443 is open only where a listener answers on it.
      if (https)
        suppress(
          this.securityGroup.allowFromInternet(443, 'https', 'HTTPS from the internet'),
          'security-group-no-public-ingress',
          PUBLIC_ENTRY_REASON,
        );
    }

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
    suppress(this.alb, 'elb-internal', edge ? BEHIND_THE_EDGE_REASON : PUBLIC_ENTRY_REASON);

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
      const forward = { type: 'forward', targetGroupArn: this.targetGroup.arn };
      const secure = new LbListener(this, 'https_listener', {
        loadBalancerArn: this.alb.arn,
        port: 443,
        protocol: 'HTTPS',
        sslPolicy: props.sslPolicy ?? 'ELBSecurityPolicy-TLS13-1-2-2021-06',
        certificateArn,
        // Behind the edge a request without the origin header did not come through our distributions.
        defaultAction: [
          edge
            ? { type: 'fixed-response', fixedResponse: { contentType: 'text/plain', messageBody: 'Forbidden', statusCode: '403' } }
            : forward,
        ],
      });
      if (edge) {
        new LbListenerRule(this, 'from_cloudfront', {
          listenerArn: secure.arn,
          priority: 1,
          condition: [{ httpHeader: { httpHeaderName: ORIGIN_HEADER, values: [edge.originHeaderValue] } }],
          action: [forward],
        });
        // Nothing reaches port 80 behind the edge: CloudFront talks HTTPS to the origin.
        this.listeners = [secure];
      } else {
        const redirect = new LbListener(this, 'http_listener', {
          loadBalancerArn: this.alb.arn,
          port: 80,
          protocol: 'HTTP',
          defaultAction: [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } }],
        });
        this.listeners = [secure, redirect];
      }
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
    const { arn, records } = dnsValidatedCertificate(this, { domainName: https.domainName, zoneId });
    // Stacks deployed before kept the one record at the address without a key.
    new Moved(this, 'certificate_validation_record_moved', {
      from: resourceAddress(records),
      to: resourceAddress(records, https.domainName),
    });
    new Route53Record(this, 'alias_record', {
      zoneId,
      name: https.domainName,
      type: 'A',
      alias: { name: this.alb.dnsName, zoneId: this.alb.zoneId, evaluateTargetHealth: true },
    });
    return arn;
  }
}
