import type { Pack } from '../pack';
import { ALL_RULES } from '../rules';
import { DATA_PROTECTION_RULES } from './data-protection';
import { HIGH_AVAILABILITY_RULES } from './high-availability';

/** Advisory rules: printed, never fatal. */
const WARNINGS = ['s3-event-notifications'];

/**
 * The scanners' view (checkov, trivy/tfsec, cdk-nag AwsSolutions) of every resource type we generate:
 * every rule not in the high-availability or data-protection packs.
 */
export const securityPack: Pack = {
  name: 'security',
  description: 'checkov, trivy/tfsec and cdk-nag AwsSolutions checks for every resource type the platform generates',
  entries: ALL_RULES.filter((r) => !HIGH_AVAILABILITY_RULES.includes(r.id) && !DATA_PROTECTION_RULES.includes(r.id)).map((rule) => ({
    rule,
    severity: WARNINGS.includes(rule.id) ? 'warning' : 'error',
  })),
};
