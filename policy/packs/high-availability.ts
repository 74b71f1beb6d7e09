import type { Pack } from '../pack';
import { ruleById } from '../rules';

/** Rule ids of this pack. */
export const HIGH_AVAILABILITY_RULES = [
  'ha-two-zones',
  'ha-nat-per-zone',
  'ha-min-instances',
  'rds-multi-az',
  'ha-alarm-notifies',
  'ha-alarms-on-key-metrics',
  'ha-alarm-topic-subscribed',
  'asg-refresh-zero-downtime',
  'asg-refresh-rollback',
];

/** Subscriptions may be managed outside the stack (a paging tool), so an unsubscribed topic only warns. */
const WARNINGS = ['ha-alarm-topic-subscribed'];

/** Survive the loss of a zone or an instance, and tell someone when things degrade. */
export const highAvailabilityPack: Pack = {
  name: 'high-availability',
  description:
    'two zones or more, NAT per zone, Multi-AZ database, two instances or more, alarms that notify someone, releases that keep capacity and roll back',
  entries: HIGH_AVAILABILITY_RULES.map((id) => ({ rule: ruleById(id), severity: WARNINGS.includes(id) ? 'warning' : 'error' })),
};
