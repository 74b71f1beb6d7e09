/** CloudFront distributions as rules read them: every cache behaviour, every origin. */
import { blocks } from './tokens';
import type { ResourceView } from './view';

/** The default cache behaviour and the ordered ones of a distribution. */
export function cacheBehaviours(distribution: ResourceView): Record<string, any>[] {
  return [...blocks(distribution.config.default_cache_behavior), ...blocks(distribution.config.ordered_cache_behavior)];
}

/** The origins of a distribution. */
export function origins(distribution: ResourceView): Record<string, any>[] {
  return blocks(distribution.config.origin);
}

/** The viewer certificate block of a distribution (empty when absent). */
export function viewerCertificate(distribution: ResourceView): Record<string, any> {
  return blocks(distribution.config.viewer_certificate)[0] ?? {};
}
