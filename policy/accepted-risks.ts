/**
 * Settings that knowingly weaken an environment carry their accepted risk with them: one NAT gateway, a
 * single-AZ database, plain HTTP, no deletion protection, short log retention, few app servers, short backups,
 * a DB class without Performance Insights, a front-end at its CloudFront default name. Each such setting yields the suppression of the rule it breaks,
 * with a reason written for the environment that makes the choice and naming the setting, so a copy of dev
 * called staging says "staging" and prod (which makes none of these choices) gets none.
 *
 * What is not a setting stays a hand-written suppression with its own reason (`policySuppressions`), for
 * example turning the web firewall off.
 */
import { supportsPerformanceInsights } from '../config/catalog';
import type { EnvironmentConfig } from '../config/types';
import { MIN_BACKUP_DAYS } from './rules/rds-backup-retention';
import { MIN_LOG_DAYS } from './rules/logs-retention';

/** The part of a web stack a risk is accepted on (the stack itself, one module, or one front-end by name). */
export type RiskScope = 'stack' | 'network' | 'database' | 'appServers' | 'loadBalancer' | `frontend:${string}`;

export interface AcceptedRisk {
  readonly rule: string;
  readonly reason: string;
  readonly on: RiskScope;
  /** The setting that carries the risk, as the config spells it. */
  readonly setting: string;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The accepted risks of `env`'s settings (none for a fully protected, highly available environment). */
export function acceptedRisks(env: EnvironmentConfig): AcceptedRisk[] {
  const e = `Environment "${env.name}"`;
  const risks: AcceptedRisk[] = [];
  const accept = (rule: string, on: RiskScope, setting: string, reason: string) => risks.push({ rule, on, setting, reason });

  if (env.natGateways === 'single' && env.availabilityZones.length > 1) {
    accept(
      'ha-nat-per-zone',
      'network',
      'natGateways: "single"',
      `${e} shares one NAT gateway between its zones (natGateways: "single") to halve the fixed cost; losing that zone cuts the other zones' app servers off from AWS APIs and updates.`,
    );
  }
  if (env.compute.minSize < 2) {
    accept(
      'ha-min-instances',
      'appServers',
      `compute.minSize: ${env.compute.minSize}`,
      `${e} may run ${env.compute.minSize === 0 ? 'no app server at all' : 'a single app server'} (compute.minSize: ${env.compute.minSize}) to stay cheap, so a deploy or an instance failure interrupts it.`,
    );
  }
  if (!env.database.multiAz) {
    accept(
      'rds-multi-az',
      'database',
      'database.multiAz: false',
      `${e} runs a single-AZ database (database.multiAz: false) to halve its cost; an outage of that zone stops it until the zone recovers.`,
    );
  }
  if (!supportsPerformanceInsights(env.database.engine, env.database.instanceClass)) {
    accept(
      'rds-performance-insights',
      'database',
      `database.instanceClass: "${env.database.instanceClass}"`,
      `The ${env.database.instanceClass} class that ${e} chose (database.instanceClass) does not offer Performance Insights for ${env.database.engine}; a larger class turns it on.`,
    );
  }
  if (env.database.backupRetentionDays < MIN_BACKUP_DAYS) {
    const days = env.database.backupRetentionDays;
    accept(
      'rds-backup-retention',
      'database',
      `database.backupRetentionDays: ${days}`,
      `${e} keeps ${days === 0 ? 'no automated database backups' : `automated database backups for ${plural(days, 'day')}`} (database.backupRetentionDays: ${days}), so older states of its data cannot be restored.`,
    );
  }
  if (env.logRetentionDays < MIN_LOG_DAYS) {
    accept(
      'logs-retention',
      'stack',
      `logRetentionDays: ${env.logRetentionDays}`,
      `${e} keeps its logs for ${plural(env.logRetentionDays, 'day')} (logRetentionDays: ${env.logRetentionDays}) to stay cheap, too short for them to serve as audit evidence.`,
    );
  }
  const { rollout } = env.compute;
  if (rollout.minHealthyPercentage < 100) {
    accept(
      'asg-refresh-zero-downtime',
      'appServers',
      `compute.rollout.minHealthyPercentage: ${rollout.minHealthyPercentage}`,
      `${e} replaces its app servers with only ${rollout.minHealthyPercentage} % of them in service (compute.rollout.minHealthyPercentage: ${rollout.minHealthyPercentage}), trading capacity during a release for speed.`,
    );
  }
  if (env.compute.amiId === undefined && env.compute.amiResolution === 'launch') {
    accept(
      'asg-refresh-rollback',
      'appServers',
      'compute.amiResolution: "launch"',
      `${e} lets EC2 read its AMI at every launch (compute.amiResolution: "launch"), so a release cannot roll back and a scale-out may start a newer AMI than the rest of the fleet.`,
    );
  }
  if (env.https === undefined) {
    accept(
      'elb-listener-https',
      'loadBalancer',
      'https: absent',
      `${e} has no https section, so its load balancer serves plain HTTP and nothing sent to it is protected in transit.`,
    );
  }
  env.frontends.forEach((f, i) => {
    if (f.domainName !== undefined) return;
    const setting = `frontends[${i}].domainName: absent`;
    const at = `${e} serves front-end "${f.name}" at its CloudFront default name (frontends[${i}].domainName absent)`;
    accept(
      'cloudfront-custom-certificate',
      `frontend:${f.name}`,
      setting,
      `${at}, so users reach it at a *.cloudfront.net address and not at a name the organisation controls.`,
    );
    accept(
      'cloudfront-tls-policy',
      `frontend:${f.name}`,
      setting,
      `${at}, whose shared certificate lets browsers still negotiate TLS 1.0 and 1.1.`,
    );
  });
  if (!env.deletionProtection) {
    const unprotected = `${e} does not protect its data (deletionProtection: false)`;
    accept(
      'data-prevent-destroy',
      'stack',
      'deletionProtection: false',
      `${unprotected}, so one terraform destroy removes its database and log buckets.`,
    );
    accept(
      'rds-deletion-protection',
      'database',
      'deletionProtection: false',
      `${unprotected}, so AWS deletes its database on request without a further step.`,
    );
    accept(
      'rds-final-snapshot',
      'database',
      'deletionProtection: false',
      `${unprotected}, so deleting its database takes no final snapshot and drops its automated backups.`,
    );
    accept(
      'elb-deletion-protection',
      'loadBalancer',
      'deletionProtection: false',
      `${unprotected}, so its load balancer can be deleted without a manual step.`,
    );
  }
  return risks;
}
