import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { Wafv2WebAcl } from '@cdktf/provider-aws/lib/wafv2-web-acl';
import { Wafv2WebAclAssociation } from '@cdktf/provider-aws/lib/wafv2-web-acl-association';
import { Wafv2WebAclLoggingConfiguration } from '@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration';
import { MANAGED_RULE_GROUPS } from '../config/catalog';
import { RATE_LIMIT_RULE, names } from '../naming';

export interface WebFirewallProps {
  /** Name prefix, e.g. `web-prod`. */
  readonly prefix: string;
  /** ARN of the application load balancer to protect. */
  readonly loadBalancerArn: string;
  /** Requests one client IP may send in 5 minutes before it is blocked. @default 2000 */
  readonly requestsPerFiveMinutes?: number;
  /** KMS key of the WAF log group. */
  readonly kmsKeyArn: string;
  /** Days to keep WAF logs. */
  readonly logRetentionDays: number;
}

export { MANAGED_RULE_GROUPS };

/**
 * AWS WAF in front of the load balancer: AWS managed rule groups (IP reputation, core rule set, known bad
 * inputs such as Log4j JNDI lookups), a per-IP rate limit, metrics and sampled requests for every rule, and
 * logs to an encrypted CloudWatch log group (the name must start with `aws-waf-logs-`).
 */
export class WebFirewall extends Construct {
  readonly webAcl: Wafv2WebAcl;

  constructor(scope: Construct, id: string, props: WebFirewallProps) {
    super(scope, id);
    const { prefix } = props;
    const visibility = (metricName: string) => ({ cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName });
    const managed = MANAGED_RULE_GROUPS.map((name, i) => ({
      name,
      priority: (i + 1) * 10,
      overrideAction: { none: {} },
      // The binding passes `statement` through as written, so it is in Terraform's own snake_case.
      statement: { managed_rule_group_statement: { name, vendor_name: 'AWS' } },
      visibilityConfig: visibility(names.wafMetric(prefix, name)),
    }));
    this.webAcl = new Wafv2WebAcl(this, 'web_acl', {
      name: names.webAcl(prefix),
      description: `${prefix}: managed rules and a per-IP rate limit in front of the load balancer`,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      rule: [
        ...managed,
        {
          name: RATE_LIMIT_RULE,
          priority: 100,
          action: { block: {} },
          statement: { rate_based_statement: { limit: props.requestsPerFiveMinutes ?? 2000, aggregate_key_type: 'IP' } },
          visibilityConfig: visibility(names.wafMetric(prefix, RATE_LIMIT_RULE)),
        },
      ],
      visibilityConfig: visibility(names.wafMetric(prefix, 'web')),
      tags: { Name: names.nameTag(prefix, 'web') },
    });
    new Wafv2WebAclAssociation(this, 'association', { resourceArn: props.loadBalancerArn, webAclArn: this.webAcl.arn });
    const logGroup = new CloudwatchLogGroup(this, 'log_group', {
      name: names.wafLogGroup(prefix),
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.kmsKeyArn,
    });
    new Wafv2WebAclLoggingConfiguration(this, 'logging', { resourceArn: this.webAcl.arn, logDestinationConfigs: [logGroup.arn] });
  }
}
