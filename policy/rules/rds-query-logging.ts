import { defineRule, NOT_APPLICABLE, scanners, verdict } from '../rule';
import { blocks } from '../tokens';

export const rule = defineRule({
  id: 'rds-query-logging',
  what: 'Database parameter groups log slow queries (MySQL slow_query_log, PostgreSQL log_min_duration_statement).',
  why: 'Slow-query logs find the statements behind load spikes and show unusual access patterns.',
  scanners: scanners({}),
  resourceTypes: ['aws_db_parameter_group'],
  check: (group) => {
    const params = Object.fromEntries(blocks(group.config.parameter).map((p) => [p.name, String(p.value)]));
    const family = String(group.config.family);
    if (/^(mysql|mariadb)/.test(family)) return verdict(params.slow_query_log === '1', 'slow_query_log is not 1');
    if (/^postgres/.test(family)) {
      const ms = Number(params.log_min_duration_statement);
      return verdict(Number.isFinite(ms) && ms >= 0, 'log_min_duration_statement is not set to a threshold');
    }
    return NOT_APPLICABLE;
  },
});
