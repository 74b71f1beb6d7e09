/** What the edge settings of an environment amount to, for the stacks, the validation and the tests alike. */

/** The fields the decision reads (a validated environment has them all). */
export interface EdgeSettings {
  readonly frontends: readonly unknown[];
  readonly https?: unknown;
  readonly edge: { readonly api?: boolean };
}

/**
 * True when the API is served through the front-ends' distributions and the load balancer admits CloudFront
 * only: the environment has front-ends and HTTPS (CloudFront reaches the load balancer over HTTPS at its
 * domain), unless `edge.api` is false.
 */
export function apiBehindEdge(env: EdgeSettings): boolean {
  return env.frontends.length > 0 && env.https !== undefined && env.edge.api !== false;
}
