/**
 * Configs that between them make every kind of resource the modules can make: the shipped config, and its
 * environments with every optional part switched on (container releases with secrets and parameters, an
 * uploads bucket, interface endpoints, no NAT gateway, target tracking, a lock table). Tests that must cover
 * every resource type (the CI roles' catalog, the emulated permissions proof) iterate over these.
 */
import { platform } from '../../config/environments';
import type { PlatformInput } from '../../config/types';
import { withContainerReleases } from './config';

/** Every environment with all its optional parts. */
export const FULLY_FEATURED: PlatformInput = withContainerReleases({
  ...platform,
  state: { ...platform.state!, lockTable: `${platform.project}-tflock` },
  environments: platform.environments.map((e, i) => ({
    ...e,
    uploads: {},
    interfaceEndpoints: true,
    // One environment without NAT gateways (its app tier reaches AWS through the endpoints alone).
    ...(i === 0 ? { natGateways: 'none' as const } : {}),
    compute: { ...e.compute, scaling: i === 0 ? ('targetTracking' as const) : e.compute.scaling },
  })),
});

/** The configs whose stacks hold every resource type: the shipped one and the fully featured one. */
export const VARIANTS: readonly (readonly [string, PlatformInput])[] = [
  ['the shipped config', platform],
  ['every optional part', FULLY_FEATURED],
];

/** An account of its own for every environment but the first: the state account holds the first and the state. */
export const ONE_ACCOUNT_PER_ENVIRONMENT: PlatformInput = {
  ...platform,
  environments: platform.environments.map((e, i) =>
    i === 0 ? e : { ...e, accountId: `${222222222222 + 111111111111 * (i - 1)}`.slice(0, 12) },
  ),
};
