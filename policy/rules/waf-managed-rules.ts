import { defineRule, scanners, verdict } from '../rule';
import { blocks } from '../tokens';

/** AWS managed rule groups every web ACL must run (not merely count). */
export const REQUIRED_RULE_GROUPS = ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet'];

export const rule = defineRule({
  id: 'waf-managed-rules',
  what: 'Web ACLs enforce the AWS managed core rule set and known-bad-inputs rule set (which covers Log4Shell).',
  why: 'Managed rule groups block the OWASP top risks and exploit payloads such as Log4j JNDI lookups, maintained by AWS.',
  scanners: scanners({ checkov: ['CKV_AWS_192'] }),
  resourceTypes: ['aws_wafv2_web_acl'],
  check: (acl) => {
    const enforced = blocks(acl.config.rule)
      .filter((r) => blocks(r.override_action).some((o) => blocks(o.none).length > 0 || o.none !== undefined))
      .flatMap((r) => blocks(r.statement).flatMap((s) => blocks(s.managed_rule_group_statement)))
      .filter((m) => m.vendor_name === 'AWS' && blocks(m.rule_action_override).length === 0)
      .map((m) => m.name);
    const missing = REQUIRED_RULE_GROUPS.filter((g) => !enforced.includes(g));
    return verdict(missing.length === 0, `not enforced (absent, count-only or with overrides): ${missing.join(', ')}`);
  },
});
