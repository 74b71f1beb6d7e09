import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { Wafv2IpSet } from '@cdktf/provider-aws/lib/wafv2-ip-set';
import { Wafv2WebAcl } from '@cdktf/provider-aws/lib/wafv2-web-acl';
import { Wafv2WebAclAssociation } from '@cdktf/provider-aws/lib/wafv2-web-acl-association';
import { Wafv2WebAclLoggingConfiguration } from '@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration';
import { EDGE_MANAGED_RULE_GROUPS, MANAGED_RULE_GROUPS, regionalRuleGroups } from '../config/catalog';
import { exclusivePrefixOf } from '../config/edge';
import { ALLOW_LIST_RULE, OTHER_FRONTENDS_API_RULE, RATE_LIMIT_RULE, names } from '../naming';

export interface WebFirewallProps {
  /** Name prefix, e.g. `web-prod`. */
  readonly prefix: string;
  /** ARN of the application load balancer to protect (REGIONAL scope). @default - none: the web ACL is given to a distribution (`webAcl.arn`) */
  readonly loadBalancerArn?: string;
  /**
   * The load balancer is behind CloudFront: the web ACL sees CloudFront's addresses, not the clients', so it keeps
   * only the rules that do not judge the client address (no per-IP rate limit, no IP reputation list: the edge
   * web ACLs have both, and see the client). @default false
   */
  readonly behindEdge?: boolean;
  /** Requests one client IP may send in 5 minutes before it is blocked. @default 2000 */
  readonly requestsPerFiveMinutes?: number;
  /** KMS key of the WAF log group (in the web ACL's region). */
  readonly kmsKeyArn: string;
  /** Days to keep WAF logs. */
  readonly logRetentionDays: number;
  /**
   * A web ACL at the edge (CLOUDFRONT scope, made in us-east-1 by `provider`) for the front-end `frontend`: the
   * managed groups of the edge, and when `allowedIpRanges` is given, every other address blocked first; the API
   * path patterns other front-ends have to themselves (`refusedApiPaths`) blocked in any spelling.
   * @default - REGIONAL, in front of the load balancer
   */
  readonly edge?: {
    readonly frontend: string;
    readonly provider: TerraformProvider;
    readonly allowedIpRanges?: readonly string[];
    /** API path patterns (`/api/admin/*`) this front-end must never pass on. @default - none */
    readonly refusedApiPaths?: readonly string[];
  };
}

export { MANAGED_RULE_GROUPS };

/**
 * Request headers that may carry a credential, which every WAF log keeps out (`redacted_fields`), with the query
 * string (tokens in links, `?api_key=`). The WAF API can redact only `UriPath`, `QueryString`, `SingleHeader`
 * and `Method` (WAFv2 API, `LoggingConfiguration.RedactedFields`): cookies are redacted as the `cookie` header,
 * which carries them all. Names in lower case, as the provider requires for `single_header`.
 */
export const REDACTED_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'x-api-key', 'x-amz-security-token'] as const;

/**
 * Text transformations applied before matching a path a front-end must not pass on, in this order (AWS WAF
 * Developer Guide, "Text transformations": all are applied, lowest priority first): percent-decoding (`%2F`,
 * `%61dmin`), path normalization after turning `\` into `/` (`//`, `/./`, `/x/../`), and lower case — so that
 * `/api/x/../ADMIN/%75sers` is seen as `/api/admin/users`, whatever the application behind will make of it.
 */
export const PATH_TRANSFORMATIONS = ['URL_DECODE', 'NORMALIZE_PATH_WIN', 'LOWERCASE'] as const;

/**
 * The WAF statement that matches every spelling of the paths exclusive patterns keep (`/api/admin/*`: every path
 * starting with `/api/admin`, see `exclusivePrefixOf`).
 */
export function pathStatement(patterns: readonly string[]): Record<string, unknown> {
  const textTransformation = PATH_TRANSFORMATIONS.map((type, priority) => ({ priority, type }));
  const statements = patterns.map((pattern) => ({
    byte_match_statement: {
      search_string: exclusivePrefixOf(pattern).toLowerCase(),
      positional_constraint: 'STARTS_WITH',
      field_to_match: { uri_path: {} },
      text_transformation: textTransformation,
    },
  }));
  return statements.length === 1 ? statements[0] : { or_statement: { statement: statements } };
}

/**
 * AWS WAF in front of the load balancer, or of a CloudFront distribution (`edge`): AWS managed rule groups (core
 * rule set, known bad inputs such as Log4j JNDI lookups; where the web ACL sees the client's address also IP
 * reputation, and at the edge anonymous IPs), a per-IP rate limit where it sees the client's address, optionally
 * an IP allow-list and the API paths of other front-ends refused, metrics and sampled requests for every rule,
 * and logs to an encrypted CloudWatch log group (the name must start with `aws-waf-logs-`) with the headers that
 * may carry credentials, and the query string, redacted.
 */
export class WebFirewall extends Construct {
  readonly webAcl: Wafv2WebAcl;
  readonly logging: Wafv2WebAclLoggingConfiguration;

  constructor(scope: Construct, id: string, props: WebFirewallProps) {
    super(scope, id);
    const { prefix, edge } = props;
    const provider = edge?.provider;
    const aclName = edge ? names.frontendWebAcl(prefix, edge.frontend) : names.webAcl(prefix);
    // Metric names: `<prefix>-<rule>` in front of the load balancer, `<web ACL>-<rule>` at the edge.
    const metric = (rule: string) => names.wafMetric(edge ? aclName : prefix, rule);
    const visibility = (metricName: string) => ({ cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName });
    // Behind CloudFront the load balancer's web ACL sees CloudFront's addresses (AWS WAF Developer Guide, "IP
    // reputation rule groups": the rules "use the source IP address from the web request origin ... the address of
    // the last proxy"), and X-Forwarded-For's first address — what a forwarded-IP rate rule counts — is whatever the
    // client wrote there. So the rules that judge the client address live at the edge only, where the web ACL sees
    // the viewer's own address; the load balancer keeps the rules that inspect the request itself.
    const seesClient = edge !== undefined || props.behindEdge !== true;
    const groups: readonly string[] = edge ? EDGE_MANAGED_RULE_GROUPS : regionalRuleGroups(!seesClient);
    const managed = groups.map((name) => ({
      name,
      // Priorities follow the group's place in the full list, so dropping one leaves the others' alone.
      priority: ((edge ? EDGE_MANAGED_RULE_GROUPS : MANAGED_RULE_GROUPS) as readonly string[]).indexOf(name) * 10 + 10,
      overrideAction: { none: {} },
      // The binding passes `statement` through as written, so it is in Terraform's own snake_case.
      statement: { managed_rule_group_statement: { name, vendor_name: 'AWS' } },
      visibilityConfig: visibility(metric(name)),
    }));
    const allowList = edge?.allowedIpRanges
      ? new Wafv2IpSet(this, 'allowed', {
          name: names.frontendIpSet(prefix, edge.frontend),
          description: `${prefix}: the only client addresses front-end ${edge.frontend} admits`,
          scope: 'CLOUDFRONT',
          ipAddressVersion: 'IPV4',
          addresses: [...edge.allowedIpRanges],
          provider,
        })
      : undefined;
    const allowListRule = allowList
      ? [
          {
            name: ALLOW_LIST_RULE,
            priority: 0,
            action: { block: {} },
            statement: { not_statement: { statement: { ip_set_reference_statement: { arn: allowList.arn } } } },
            visibilityConfig: visibility(metric(ALLOW_LIST_RULE)),
          },
        ]
      : [];
    // Another front-end's own API (the admin app's) never passes through this one, in any spelling: the load
    // balancer's listener rules match the path as sent, byte for byte, while the application behind may decode,
    // normalize or ignore case; this rule sees the path as the application will.
    const refused = edge?.refusedApiPaths ?? [];
    const refusedRule =
      refused.length > 0
        ? [
            {
              name: OTHER_FRONTENDS_API_RULE,
              priority: 1,
              action: { block: {} },
              statement: pathStatement(refused),
              visibilityConfig: visibility(metric(OTHER_FRONTENDS_API_RULE)),
            },
          ]
        : [];
    const rateRule = seesClient
      ? [
          {
            name: RATE_LIMIT_RULE,
            priority: 100,
            action: { block: {} },
            statement: { rate_based_statement: { limit: props.requestsPerFiveMinutes ?? 2000, aggregate_key_type: 'IP' } },
            visibilityConfig: visibility(metric(RATE_LIMIT_RULE)),
          },
        ]
      : [];
    this.webAcl = new Wafv2WebAcl(this, 'web_acl', {
      name: aclName,
      description: edge
        ? `${prefix}: managed rules and a per-IP rate limit in front of front-end ${edge.frontend}`
        : seesClient
          ? `${prefix}: managed rules and a per-IP rate limit in front of the load balancer`
          : `${prefix}: managed rules in front of the load balancer, behind the edge`,
      scope: edge ? 'CLOUDFRONT' : 'REGIONAL',
      defaultAction: { allow: {} },
      rule: [...allowListRule, ...refusedRule, ...managed, ...rateRule],
      visibilityConfig: visibility(metric('web')),
      tags: { Name: edge ? names.nameTag(prefix, edge.frontend) : names.nameTag(prefix, 'web') },
      provider,
    });
    if (props.loadBalancerArn)
      new Wafv2WebAclAssociation(this, 'association', { resourceArn: props.loadBalancerArn, webAclArn: this.webAcl.arn });
    const logGroup = new CloudwatchLogGroup(this, 'log_group', {
      name: edge ? names.frontendWafLogGroup(prefix, edge.frontend) : names.wafLogGroup(prefix),
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.kmsKeyArn,
      provider,
    });
    // WAF logs every request header by default (the log record's httpRequest.headers): keep credentials out.
    this.logging = new Wafv2WebAclLoggingConfiguration(this, 'logging', {
      resourceArn: this.webAcl.arn,
      logDestinationConfigs: [logGroup.arn],
      redactedFields: [...REDACTED_HEADERS.map((name) => ({ singleHeader: { name } })), { queryString: {} }],
      provider,
    });
  }
}
