import { Construct } from 'constructs';
import { Lazy, type TerraformProvider } from 'cdktf';
import { CloudfrontDistribution, type CloudfrontDistributionOrderedCacheBehavior } from '@cdktf/provider-aws/lib/cloudfront-distribution';
import { CloudfrontFunction } from '@cdktf/provider-aws/lib/cloudfront-function';
import { CloudfrontOriginAccessControl } from '@cdktf/provider-aws/lib/cloudfront-origin-access-control';
import { CloudfrontResponseHeadersPolicy } from '@cdktf/provider-aws/lib/cloudfront-response-headers-policy';
import { CloudwatchLogDelivery } from '@cdktf/provider-aws/lib/cloudwatch-log-delivery';
import { CloudwatchLogDeliveryDestination } from '@cdktf/provider-aws/lib/cloudwatch-log-delivery-destination';
import { CloudwatchLogDeliverySource } from '@cdktf/provider-aws/lib/cloudwatch-log-delivery-source';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { CLOUDFRONT_MANAGED_POLICIES } from '../config/catalog';
import { BASELINE_CSP } from '../config/schema';
import type { FrontendConfig } from '../config/types';
import { FRONTEND_HEADER, names } from '../naming';
import { dnsValidatedCertificate } from './certificate';
import type { ServerAccessLogBucket } from './log-bucket';
import { PrivateBucket } from './private-bucket';
import { terraformLiteral } from './terraform-literal';
import { WebFirewall } from './web-firewall';

/** The API origin of a front-end's distribution: the internal load balancer, through the environment's VPC origin. */
export interface FrontendApi {
  /** Name CloudFront checks the load balancer's certificate for (`https.domainName`). */
  readonly domainName: string;
  /** Path pattern routed to the API, e.g. `/api/*` (the front-end's own). */
  readonly pathPattern: string;
  /** The VPC origin of the internal load balancer. */
  readonly vpcOriginId: string;
  /** API path patterns other front-ends have to themselves: this front-end's web ACL refuses them. @default - none */
  readonly refusedPaths?: readonly string[];
}

export interface FrontendProps {
  /** Name prefix, e.g. `web-prod`. */
  readonly prefix: string;
  readonly accountId: string;
  readonly region: string;
  /** The front-end as configured. */
  readonly frontend: FrontendConfig;
  /** Route 53 zone of `frontend.domainName` (its own or the environment's). @default - none (no domain) */
  readonly zoneId?: string;
  /** Edge locations that serve it (`PriceClass_100`, `_200`, `_All`). */
  readonly priceClass: string;
  /** The stack's key: the bucket is SSE-KMS with it (the key lets CloudFront decrypt the front-end buckets). */
  readonly kmsKeyArn: string;
  /** The stack's server access log bucket. */
  readonly accessLogs: ServerAccessLogBucket;
  /** Keep the bucket when the stack is destroyed. */
  readonly protect: boolean;
  /** The us-east-1 provider: the certificate, the web ACL and the logs of the edge live there. */
  readonly usEast1: TerraformProvider;
  /** Key of the log groups in us-east-1. */
  readonly edgeKeyArn: string;
  readonly logRetentionDays: number;
  /** Requests one client IP may send in 5 minutes. */
  readonly requestsPerFiveMinutes: number;
  /** Route `api.pathPattern` to the load balancer. @default - static files only */
  readonly api?: FrontendApi;
}

/**
 * Rewrites a route of a single-page app (a path whose last segment has no file extension) to `/index.html`,
 * on viewer request, for the static behaviours only: used instead of error responses when the distribution also
 * serves the API or an allow-list (error responses would turn the API's 403/404, and WAF's 403, into the app).
 */
export const SPA_ROUTING_CODE = `function handler(event) {
  var request = event.request;
  var last = request.uri.substring(request.uri.lastIndexOf('/') + 1);
  if (last.indexOf('.') === -1) request.uri = '/index.html';
  return request;
}
`;

/**
 * A static web app at the edge: a private bucket (the pack-compliant `PrivateBucket`; no website hosting,
 * nothing public) readable only by this distribution through origin access control; a CloudFront distribution
 * (HTTP/2 and HTTP/3, IPv6, TLS 1.2 2021 at least with a certificate of its own, the configured price class,
 * `index.html` as default root object) with managed cache policies — CachingOptimized for the files, which
 * keeps hashed assets as long as their `immutable` Cache-Control says, CachingDisabled for `/index.html` —
 * and a response headers policy (HSTS, nosniff, DENY framing, referrer policy, CSP); the SPA fallback; a
 * web ACL of its own at the edge; optionally the API behind `api.pathPattern`; access logs through CloudWatch
 * Logs delivery (standard logging v2) to an encrypted log group in us-east-1; and, with a domain, an ACM
 * certificate from us-east-1 validated by DNS and alias A/AAAA records.
 */
export class Frontend extends Construct {
  readonly bucket: PrivateBucket;
  readonly distribution: CloudfrontDistribution;
  /** What users type: `https://<domain>` or `https://<id>.cloudfront.net`. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: FrontendProps) {
    super(scope, id);
    const { prefix, frontend, usEast1, api } = props;
    const distributionArn = Lazy.stringValue({ produce: () => this.distribution.arn });
    const readByThisDistribution = { StringEquals: { 'AWS:SourceArn': distributionArn } };
    this.bucket = new PrivateBucket(this, 'bucket', {
      bucketName: names.frontendBucket(prefix, frontend.name, props.accountId, props.region),
      kmsKeyArn: props.kmsKeyArn,
      accessLogs: props.accessLogs,
      protect: props.protect,
      // Only this distribution reads, through origin access control. ListBucket makes a missing file a 404.
      policyStatements: (arn) => [
        {
          Sid: 'CloudFrontReadsThroughOriginAccessControl',
          Effect: 'Allow',
          Principal: { Service: 'cloudfront.amazonaws.com' },
          Action: 's3:GetObject',
          Resource: `${arn}/*`,
          Condition: readByThisDistribution,
        },
        {
          Sid: 'CloudFrontListsThroughOriginAccessControl',
          Effect: 'Allow',
          Principal: { Service: 'cloudfront.amazonaws.com' },
          Action: 's3:ListBucket',
          Resource: arn,
          Condition: readByThisDistribution,
        },
      ],
    });
    const accessControl = new CloudfrontOriginAccessControl(this, 'origin_access_control', {
      name: names.originAccessControl(prefix, frontend.name),
      description: `${prefix}: CloudFront reads the ${frontend.name} bucket, signing every request`,
      originAccessControlOriginType: 's3',
      signingBehavior: 'always',
      signingProtocol: 'sigv4',
    });
    const headers = new CloudfrontResponseHeadersPolicy(this, 'response_headers', {
      name: names.responseHeadersPolicy(prefix, frontend.name),
      comment: `${prefix}: security headers of front-end ${frontend.name}`,
      securityHeadersConfig: {
        strictTransportSecurity: { accessControlMaxAgeSec: 63_072_000, includeSubdomains: true, preload: false, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: 'DENY', override: true },
        referrerPolicy: { referrerPolicy: 'strict-origin-when-cross-origin', override: true },
        // Validation refuses "${" and "%{" in a CSP; code that builds this construct itself gets them escaped.
        contentSecurityPolicy: { contentSecurityPolicy: terraformLiteral(frontend.contentSecurityPolicy ?? BASELINE_CSP), override: true },
      },
    });
    // The SPA fallback: error responses, unless they would also answer for the API or for a blocked client.
    const routeByFunction = frontend.spa && (api !== undefined || frontend.allowedIpRanges !== undefined);
    const routing = routeByFunction
      ? new CloudfrontFunction(this, 'spa_routes', {
          name: names.spaRoutingFunction(prefix, frontend.name),
          comment: `${prefix}: routes of front-end ${frontend.name} answered with /index.html`,
          runtime: 'cloudfront-js-2.0',
          publish: true,
          code: SPA_ROUTING_CODE,
        })
      : undefined;
    const certificate = frontend.domainName
      ? dnsValidatedCertificate(this, { domainName: frontend.domainName, zoneId: props.zoneId as string, provider: usEast1 })
      : undefined;
    const firewall = new WebFirewall(this, 'firewall', {
      prefix,
      kmsKeyArn: props.edgeKeyArn,
      logRetentionDays: props.logRetentionDays,
      requestsPerFiveMinutes: props.requestsPerFiveMinutes,
      edge: { frontend: frontend.name, provider: usEast1, allowedIpRanges: frontend.allowedIpRanges, refusedApiPaths: api?.refusedPaths },
    });

    const files = 'files';
    const apiOrigin = 'api';
    const staticBehaviour = {
      targetOriginId: files,
      viewerProtocolPolicy: 'redirect-to-https',
      allowedMethods: ['GET', 'HEAD', 'OPTIONS'],
      cachedMethods: ['GET', 'HEAD'],
      compress: true,
      responseHeadersPolicyId: headers.id,
    };
    const ordered: CloudfrontDistributionOrderedCacheBehavior[] = [
      // The entry page is never cached, so a publish shows at once; hashed files are cached as they say.
      { ...staticBehaviour, pathPattern: '/index.html', cachePolicyId: CLOUDFRONT_MANAGED_POLICIES.cachingDisabled },
    ];
    if (api) {
      ordered.push({
        pathPattern: api.pathPattern,
        targetOriginId: apiOrigin,
        viewerProtocolPolicy: 'https-only',
        allowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'POST', 'PATCH', 'DELETE'],
        cachedMethods: ['GET', 'HEAD'],
        compress: true,
        cachePolicyId: CLOUDFRONT_MANAGED_POLICIES.cachingDisabled,
        originRequestPolicyId: CLOUDFRONT_MANAGED_POLICIES.allViewerExceptHostHeader,
        responseHeadersPolicyId: headers.id,
      });
    }
    this.distribution = new CloudfrontDistribution(this, 'distribution', {
      comment: names.distributionComment(prefix, frontend.name),
      enabled: true,
      isIpv6Enabled: true,
      httpVersion: 'http2and3',
      priceClass: props.priceClass,
      defaultRootObject: 'index.html',
      aliases: frontend.domainName ? [frontend.domainName] : undefined,
      webAclId: firewall.webAcl.arn,
      origin: [
        { originId: files, domainName: this.bucket.bucket.bucketRegionalDomainName, originAccessControlId: accessControl.id },
        ...(api
          ? [
              {
                originId: apiOrigin,
                // The name the load balancer's certificate covers: CloudFront checks the certificate against it.
                domainName: api.domainName,
                // The VPC origin holds the protocol (HTTPS only, TLS 1.2); these are the distribution's own.
                vpcOriginConfig: { vpcOriginId: api.vpcOriginId, originReadTimeout: 60, originKeepaliveTimeout: 5 },
                // Which front-end a request came through (not a secret; see LoadBalancer's routes).
                customHeader: [{ name: FRONTEND_HEADER, value: frontend.name }],
              },
            ]
          : []),
      ],
      defaultCacheBehavior: {
        ...staticBehaviour,
        cachePolicyId: CLOUDFRONT_MANAGED_POLICIES.cachingOptimized,
        functionAssociation: routing ? [{ eventType: 'viewer-request', functionArn: routing.arn }] : undefined,
      },
      orderedCacheBehavior: ordered,
      customErrorResponse:
        frontend.spa && !routing
          ? [403, 404].map((errorCode) => ({ errorCode, responseCode: 200, responsePagePath: '/index.html', errorCachingMinTtl: 0 }))
          : undefined,
      restrictions: { geoRestriction: { restrictionType: 'none' } },
      viewerCertificate: certificate
        ? { acmCertificateArn: certificate.arn, sslSupportMethod: 'sni-only', minimumProtocolVersion: 'TLSv1.2_2021' }
        : // The *.cloudfront.net certificate: CloudFront then accepts TLS 1.0 and up (an accepted risk of the setting).
          { cloudfrontDefaultCertificate: true, minimumProtocolVersion: 'TLSv1' },
      tags: { Name: names.nameTag(prefix, frontend.name) },
    });
    if (frontend.domainName) {
      for (const type of ['A', 'AAAA']) {
        new Route53Record(this, `alias_record_${type.toLowerCase()}`, {
          zoneId: props.zoneId as string,
          name: frontend.domainName,
          type,
          alias: { name: this.distribution.domainName, zoneId: this.distribution.hostedZoneId, evaluateTargetHealth: false },
        });
      }
    }
    this.url = `https://${frontend.domainName ?? this.distribution.domainName}`;

    // Access logs: standard logging v2 (CloudWatch Logs delivery), not the legacy S3 logging, which needs ACLs
    // on its bucket; the pack disables ACLs everywhere. The source and its destination live in us-east-1.
    const logGroup = new CloudwatchLogGroup(this, 'access_log_group', {
      name: names.frontendAccessLogGroup(prefix, frontend.name),
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.edgeKeyArn,
      provider: usEast1,
    });
    const source = new CloudwatchLogDeliverySource(this, 'access_log_source', {
      name: names.frontendLogDelivery(prefix, frontend.name),
      logType: 'ACCESS_LOGS',
      resourceArn: this.distribution.arn,
      provider: usEast1,
    });
    const destination = new CloudwatchLogDeliveryDestination(this, 'access_log_destination', {
      name: names.frontendLogDelivery(prefix, frontend.name),
      outputFormat: 'json',
      deliveryDestinationConfiguration: [{ destinationResourceArn: logGroup.arn }],
      provider: usEast1,
    });
    new CloudwatchLogDelivery(this, 'access_log_delivery', {
      deliverySourceName: source.name,
      deliveryDestinationArn: destination.arn,
      provider: usEast1,
    });
  }

  get distributionId(): string {
    return this.distribution.id;
  }
}
