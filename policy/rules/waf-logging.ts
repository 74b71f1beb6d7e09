import { defineRule, scanners, verdict } from '../rule';

export const rule = defineRule({
  id: 'waf-logging',
  what: 'Web ACLs log the requests they inspect.',
  why: 'WAF logs show what was blocked and why: needed to tune rules and to investigate attacks.',
  scanners: scanners({ checkov: ['CKV2_AWS_31'] }),
  resourceTypes: ['aws_wafv2_web_acl'],
  check: (acl, stack) =>
    verdict(
      stack
        .referrers('aws_wafv2_web_acl_logging_configuration', 'resource_arn', acl)
        .some((l) => l.config.log_destination_configs !== undefined),
      'no aws_wafv2_web_acl_logging_configuration refers to this web ACL',
    ),
});
