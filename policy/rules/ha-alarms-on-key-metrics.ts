import { defineRule, scanners, verdict } from '../rule';
import { referenceOf } from '../tokens';
import type { ResourceView, StackView } from '../view';

/** Per resource type: dimension, the attribute it holds, and the metrics (any one of each group) that must be alarmed. */
const WATCHED: Readonly<Record<string, { dimension: string; attribute: string; metrics: readonly (readonly string[])[] }>> = {
  aws_lb: { dimension: 'LoadBalancer', attribute: 'arn_suffix', metrics: [['HTTPCode_ELB_5XX_Count', 'HTTPCode_Target_5XX_Count']] },
  aws_lb_target_group: { dimension: 'TargetGroup', attribute: 'arn_suffix', metrics: [['UnHealthyHostCount', 'HealthyHostCount']] },
  aws_db_instance: { dimension: 'DBInstanceIdentifier', attribute: 'identifier', metrics: [['CPUUtilization'], ['FreeStorageSpace']] },
};

function alarmedMetrics(r: ResourceView, stack: StackView, dimension: string, attribute: string): string[] {
  return stack
    .ofType('aws_cloudwatch_metric_alarm')
    .filter((a) => {
      const v = (a.config.dimensions ?? {})[dimension];
      const ref = referenceOf(v);
      return (ref?.address === r.address && ref.attribute === attribute) || (v !== undefined && v === r.config[attribute]);
    })
    .map((a) => String(a.config.metric_name));
}

export const rule = defineRule({
  id: 'ha-alarms-on-key-metrics',
  what: 'Load balancers alarm on 5xx errors, target groups on unhealthy hosts, databases on CPU and free storage.',
  why: 'These are the signals that users are failing or about to fail; each needs an alarm before it needs a post-mortem.',
  scanners: scanners({}),
  resourceTypes: Object.keys(WATCHED),
  check: (r, stack) => {
    const { dimension, attribute, metrics } = WATCHED[r.type];
    const alarmed = alarmedMetrics(r, stack, dimension, attribute);
    const missing = metrics.filter((group) => !group.some((m) => alarmed.includes(m)));
    return verdict(missing.length === 0, `no alarm on ${missing.map((g) => g.join(' or ')).join(', ')} with dimension ${dimension}`);
  },
});
