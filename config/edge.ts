/** What the edge settings of an environment amount to, for the stacks, the validation and the tests alike. */

/** The fields the decision reads (a validated environment has them all). */
export interface EdgeSettings {
  readonly frontends: readonly unknown[];
  readonly https?: unknown;
  readonly edge: { readonly api?: boolean };
}

/**
 * True when the API is served through the front-ends' distributions and the load balancer is reachable from
 * CloudFront alone: the environment has front-ends and HTTPS (CloudFront reaches the load balancer over HTTPS
 * and checks its certificate for `https.domainName`), unless `edge.api` is false. Then the load balancer is
 * internal, in the app subnets, and a CloudFront VPC origin is the only way in.
 */
export function apiBehindEdge(env: EdgeSettings): boolean {
  return env.frontends.length > 0 && env.https !== undefined && env.edge.api !== false;
}

/** A front-end as the API routing sees it. */
export interface ApiFrontend {
  readonly name: string;
  readonly apiPath?: string;
  readonly allowedIpRanges?: readonly string[];
}

/** What a path pattern `<stem>*` matches: every path that starts with its stem. */
export const stemOf = (pattern: string): string => (pattern.endsWith('*') ? pattern.slice(0, -1) : pattern);

/**
 * What a front-end's exclusive path pattern keeps from the others: every path that starts with the stem without its
 * last `/` (`/api/admin/*` → `/api/admin`), so `/api/admin` itself and `/api/admin;jsessionid=…/users` (which
 * servlet containers route as `/api/admin/users`) are refused too — and with them `/api/administrators`, which no
 * other front-end may therefore route (validation says so).
 */
export const exclusivePrefixOf = (pattern: string): string => {
  const stem = stemOf(pattern);
  return stem.length > 1 && stem.endsWith('/') ? stem.slice(0, -1) : stem;
};

/**
 * The path pattern a front-end routes to the API: its own `apiPath`, else for a front-end with an allow-list
 * (an admin back-office) a path of its own under the environment's (`/api/*` → `/api/admin/*`), so that its
 * API is exclusive to it by default, else the environment's `edge.apiPath`.
 */
export function apiPathOf(frontend: ApiFrontend, edgeApiPath: string): string {
  if (frontend.apiPath !== undefined) return frontend.apiPath;
  if (frontend.allowedIpRanges === undefined) return edgeApiPath;
  const stem = stemOf(edgeApiPath);
  return `${stem.endsWith('/') ? stem : `${stem}/`}${frontend.name}/*`;
}

/** True when the front-end admits some client addresses only: its API paths are then exclusive to it. */
export const isRestricted = (frontend: ApiFrontend): boolean => frontend.allowedIpRanges !== undefined;

/** One front-end's API route: the path pattern, and whether that path is exclusive to it. */
export interface ApiRoute {
  readonly frontend: string;
  readonly pathPattern: string;
  readonly exclusive: boolean;
}

/** The API route of every front-end, in the config's order. */
export function apiRoutes(frontends: readonly ApiFrontend[], edgeApiPath: string): ApiRoute[] {
  return frontends.map((f) => ({ frontend: f.name, pathPattern: apiPathOf(f, edgeApiPath), exclusive: isRestricted(f) }));
}

/**
 * The exclusive routes whose paths another front-end must not reach: for `frontend`, every other front-end's
 * exclusive path (its own are its to serve).
 */
export function pathsExclusiveToOthers(routes: readonly ApiRoute[], frontend: string): ApiRoute[] {
  return routes.filter((r) => r.exclusive && r.frontend !== frontend);
}
