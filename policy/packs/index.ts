import type { Pack } from '../pack';
import { dataProtectionPack } from './data-protection';
import { highAvailabilityPack } from './high-availability';
import { securityPack } from './security';

export { dataProtectionPack, highAvailabilityPack, securityPack };

/** The packs every environment stack runs. Weaker environments suppress rules, with reasons, in config. */
export const DEFAULT_PACKS: readonly Pack[] = [securityPack, highAvailabilityPack, dataProtectionPack];
