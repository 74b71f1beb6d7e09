import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { Wafv2IpSet } from '@cdktf/provider-aws/lib/wafv2-ip-set';
import { Wafv2WebAcl } from '@cdktf/provider-aws/lib/wafv2-web-acl';
import { Wafv2WebAclAssociation } from '@cdktf/provider-aws/lib/wafv2-web-acl-association';
import { Wafv2WebAclLoggingConfiguration } from '@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration';
import { EDGE_MANAGED_RULE_GROUPS, MANAGED_RULE_GROUPS } from '../config/catalog';
import { ALLOW_LIST_RULE, RATE_LIMIT_RULE, names } from '../naming';

export interface WebFirewallProps {
  /** Name prefix, e.g. `web-prod`. */
  readonly prefix: string;
  /** ARN of the application load balancer to protect (REGIONAL scope). @default - none: the web ACL is given to a distribution (`webAcl.arn`) */
  readonly loadBalancerArn?: string;
  /** Requests one client IP may send in 5 minutes before it is blocked. @default 2000 */
  readonly requestsPerFiveMinutes?: number;
  /** KMS key of the WAF log group (in the web ACL's region). */
  readonly kmsKeyArn: string;
  /** Days to keep WAF logs. */
  readonly logRetentionDays: number;
  /**
   * A web ACL at the edge (CLOUDFRONT scope, made in us-east-1 by `provider`) for the front-end `frontend`: the
   * managed groups of the edge, and when `allowedIpRanges` is given, every other address blocked first.
   * @default - REGIONAL, in front of the load balancer
   */
  readonly edge?: { readonly frontend: string; readonly provider: TerraformProvider; readonly allowedIpRanges?: readonly string[] };
}

export { MANAGED_RULE_GROUPS };

/**
 * AWS WAF in front of the load balancer, or of a CloudFront distribution (`edge`): AWS managed rule groups (IP
 * reputation, core rule set, known bad inputs such as Log4j JNDI lookups; at the edge also anonymous IPs), a
 * per-IP rate limit, optionally an IP allow-list, metrics and sampled requests for every rule, and logs to an
 * encrypted CloudWatch log group (the name must start with `aws-waf-logs-`).
 */
export class WebFirewall extends Construct {
  readonly webAcl: Wafv2WebAcl;

  constructor(scope: Construct, id: string, props: WebFirewallProps) {
    super(scope, id);
    const { prefix, edge } = props;
    const provider = edge?.provider;
    const aclName = edge ? names.frontendWebAcl(prefix, edge.frontend) : names.webAcl(prefix);
    // Metric names: `<prefix>-<rule>` in front of the load balancer, `<web ACL>-<rule>` at the edge.
    const metric = (rule: string) => names.wafMetric(edge ? aclName : prefix, rule);
    const visibility = (metricName: string) => ({ cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName });
    const groups: readonly string[] = edge ? EDGE_MANAGED_RULE_GROUPS : MANAGED_RULE_GROUPS;
    const managed = groups.map((name, i) => ({
      name,
      priority: (i + 1) * 10,
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
    this.webAcl = new Wafv2WebAcl(this, 'web_acl', {
      name: aclName,
      description: edge
        ? `${prefix}: managed rules and a per-IP rate limit in front of front-end ${edge.frontend}`
        : `${prefix}: managed rules and a per-IP rate limit in front of the load balancer`,
      scope: edge ? 'CLOUDFRONT' : 'REGIONAL',
      defaultAction: { allow: {} },
      rule: [
        ...allowListRule,
        ...managed,
        {
          name: RATE_LIMIT_RULE,
          priority: 100,
          action: { block: {} },
          statement: { rate_based_statement: { limit: props.requestsPerFiveMinutes ?? 2000, aggregate_key_type: 'IP' } },
          visibilityConfig: visibility(metric(RATE_LIMIT_RULE)),
        },
      ],
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
    new Wafv2WebAclLoggingConfiguration(this, 'logging', { resourceArn: this.webAcl.arn, logDestinationConfigs: [logGroup.arn], provider });
  }
}
