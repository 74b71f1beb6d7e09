import { entries, type Pack } from '../pack';
import { ruleById } from '../rules';

/** Rule ids of this pack. */
export const DATA_PROTECTION_RULES = ['data-prevent-destroy', 'rds-deletion-protection', 'rds-final-snapshot', 'elb-deletion-protection'];

/** Nothing lost: what holds data cannot be destroyed by accident, and a deleted database leaves a snapshot. */
export const dataProtectionPack: Pack = {
  name: 'data-protection',
  description: 'prevent_destroy on stateful resources, deletion protection, final snapshots',
  entries: entries('error', DATA_PROTECTION_RULES.map(ruleById)),
};
