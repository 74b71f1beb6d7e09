import { defineRule, scanners, verdict } from '../rule';
import { blocks, isTrue } from '../tokens';

export const rule = defineRule({
  id: 'waf-metrics',
  what: 'Web ACLs and each of their rules publish CloudWatch metrics and keep sampled requests.',
  why: 'Without metrics nobody notices a rule that blocks legitimate users or an attack in progress.',
  scanners: scanners({}),
  resourceTypes: ['aws_wafv2_web_acl'],
  check: (acl) => {
    const configs = [acl.config, ...blocks(acl.config.rule)].map((x) => blocks(x.visibility_config)[0]);
    return verdict(
      configs.every((v) => v !== undefined && isTrue(v.cloudwatch_metrics_enabled) && isTrue(v.sampled_requests_enabled)),
      'a visibility_config is missing or has metrics or sampled requests off',
    );
  },
});
