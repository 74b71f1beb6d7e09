import { Construct } from 'constructs';
import { Annotations } from 'cdktf';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbListenerRule, type LbListenerRuleAction } from '@cdktf/provider-aws/lib/lb-listener-rule';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import type { HttpsConfig } from '../config/types';
import { suppress } from '../policy/suppress';
import { dnsValidatedCertificate } from './certificate';
import { LoadBalancerLogBucket, ServerAccessLogBucket } from './log-bucket';
import { Moved, resourceAddress } from './moved';
import { SecurityGroup, type Connectable } from './security-group';
import { stringTypedNumber } from './string-typed';
import { exclusivePrefixOf, type ApiRoute } from '../config/edge';
import { FRONTEND_HEADER, names } from '../naming';

/** Listener rule priorities behind the edge, by band (plus the front-end's index in the config). */
const EXCLUSIVE_ROUTES = 10;
const REFUSED_ROUTES = 100;
const SHARED_ROUTES = 200;

/** Why the load balancer is internet-facing (the `elb-internal` suppression), as a public entry point. */
export const PUBLIC_ENTRY_REASON =
  'The load balancer is the one public entry point of the platform: users reach the application from anywhere on the internet.';

/** The load balancer behind CloudFront: who may reach it, and the API route of every front-end. */
export interface EdgeOrigin {
  /** The CloudFront origin-facing managed prefix list of the region: the only sources admitted (HTTPS). */
  readonly prefixListId: string;
  /** Each front-end's API path pattern, and whether it is exclusive to that front-end (config order). */
  readonly routes: readonly ApiRoute[];
}

export interface LoadBalancerProps {
  /** Name prefix, e.g. `web-prod` (load balancer names are at most 32 characters). */
  readonly prefix: string;
  readonly vpcId: string;
  /** Its subnets, one per zone: the public ones, or behind the edge the private app subnets. */
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
   * Behind CloudFront: internal (no public address), reached through a CloudFront VPC origin only, on 443 only;
   * a request is forwarded only along the API route of the front-end whose distribution sent it (403 otherwise).
   * Needs `https`. @default - a public entry point
   */
  readonly edge?: EdgeOrigin;
}

/**
 * Application Load Balancer: in the public subnets as the platform's entry point, or, behind CloudFront (`edge`),
 * internal in the private app subnets, reached through a CloudFront VPC origin alone.
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
    // Behind the edge CloudFront reaches the internal load balancer through its VPC origin. AWS documents two
    // sources for the group: the CloudFront origin-facing managed prefix list, which "can be done before VPC origin
    // created as well", or the service-managed group CloudFront-VPCOrigins-Service-SG, which exists only after
    // the first VPC origin (CloudFront Developer Guide, "Restrict access with VPC origins"). The prefix list works
    // on the first apply, with no lookup of a group AWS creates; the list weighs 55 rules: one port only. Being
    // internal, the load balancer has no public address, so no other CloudFront distribution can route to it.
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
      internal: edge !== undefined,
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
    if (!edge) suppress(this.alb, 'elb-internal', PUBLIC_ENTRY_REASON);

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
      const forbidden = {
        type: 'fixed-response',
        fixedResponse: { contentType: 'text/plain', messageBody: 'Forbidden', statusCode: '403' },
      };
      const secure = new LbListener(this, 'https_listener', {
        loadBalancerArn: this.alb.arn,
        port: 443,
        protocol: 'HTTPS',
        sslPolicy: props.sslPolicy ?? 'ELBSecurityPolicy-TLS13-1-2-2021-06',
        certificateArn,
        // Behind the edge a request that no front-end's route covers did not come the way the edge sends it.
        defaultAction: [edge ? forbidden : forward],
      });
      if (edge) {
        this.edgeRoutes(secure, edge.routes, forward, forbidden);
        // Nothing listens on port 80 behind the edge: CloudFront talks HTTPS to the origin.
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

  /**
   * The API routes behind the edge. Every distribution names its front-end in the `FRONTEND_HEADER` origin header
   * (CloudFront sets it and overwrites a viewer's header of that name: "If a header is present, CloudFront
   * overwrites the header value before forwarding the request to the origin", CloudFront Developer Guide, "Add
   * custom headers to origin requests"), and only our distributions reach the internal load balancer, so the
   * header says truthfully which front-end a request came through. In priority order:
   *
   * 1. a front-end's exclusive path (the admin app's `/api/admin/*`) through that front-end: forwarded;
   * 2. any path starting with its prefix (`/api/admin`, `/api/admin/…`) through any other front-end: 403 (the
   *    site's `/api/*` covers them at CloudFront);
   * 3. every other front-end's path through that front-end: forwarded;
   * 4. anything else: the listener's default, 403.
   *
   * A path condition is case-sensitive and compared with the path as sent ("The comparison is case sensitive ...
   * The path pattern is compared only to the path of the URL, not to its query string": ELB API reference,
   * PathPatternConditionConfig); the edge web ACLs refuse the other spellings (decoded, normalized, any case).
   * Priorities follow the front-ends' order in the config (append new front-ends: reordering moves priorities,
   * which the load balancer refuses while two rules would share one).
   */
  private edgeRoutes(
    listener: LbListener,
    routes: readonly ApiRoute[],
    forward: LbListenerRuleAction,
    forbidden: LbListenerRuleAction,
  ): void {
    // Refused elsewhere: every path starting with `/api/admin` (`exclusivePrefixOf`), `/api/admin` itself included.
    const refused = (pattern: string) => [`${exclusivePrefixOf(pattern)}*`];
    const header = (frontend: string) => ({ httpHeader: { httpHeaderName: FRONTEND_HEADER, values: [frontend] } });
    routes.forEach((route, i) => {
      const band = route.exclusive ? EXCLUSIVE_ROUTES : SHARED_ROUTES;
      new LbListenerRule(this, `api_${route.frontend}`, {
        listenerArn: listener.arn,
        priority: band + i,
        condition: [{ pathPattern: { values: [route.pathPattern] } }, header(route.frontend)],
        action: [forward],
      });
      if (route.exclusive)
        new LbListenerRule(this, `api_${route.frontend}_elsewhere`, {
          listenerArn: listener.arn,
          priority: REFUSED_ROUTES + i,
          condition: [{ pathPattern: { values: refused(route.pathPattern) } }],
          action: [forbidden],
        });
    });
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
    // Behind the edge the name resolves to the internal load balancer's private addresses, which nothing outside
    // the VPC can reach; CloudFront connects through the VPC origin and checks the certificate for this name.
    new Route53Record(this, 'alias_record', {
      zoneId,
      name: https.domainName,
      type: 'A',
      alias: { name: this.alb.dnsName, zoneId: this.alb.zoneId, evaluateTargetHealth: true },
    });
    return arn;
  }
}
