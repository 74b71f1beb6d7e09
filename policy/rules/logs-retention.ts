import { defineRule, scanners, verdict } from '../rule';
import { numberOf, show } from '../tokens';

/** Days logs must be kept. */
export const MIN_LOG_DAYS = 365;

export const rule = defineRule({
  id: 'logs-retention',
  what: `CloudWatch log groups keep logs for at least ${MIN_LOG_DAYS} days (and say so: no unlimited default).`,
  why: 'Intrusions are often found months later; the logs must still be there, and a set retention keeps costs known.',
  scanners: scanners({ checkov: ['CKV_AWS_66', 'CKV_AWS_338'] }),
  resourceTypes: ['aws_cloudwatch_log_group'],
  check: (g) => {
    const days = numberOf(g.config.retention_in_days);
    return verdict(days !== undefined && days >= MIN_LOG_DAYS, `retention_in_days is ${show(g.config.retention_in_days)}`);
  },
});
