/**
 * Requests, evaluated on the synthesized stacks (support/request-evaluator.ts): through each front-end, from an
 * address it admits and one it refuses, straight at the load balancer from the internet and from inside the VPC,
 * for every environment of the shipped config and for variants of the edge settings. What must hold:
 *
 * - only the edge is public: behind the edge nothing reaches the load balancer but CloudFront's VPC origin;
 * - a front-end with an allow-list has its API to itself: its paths work through its own distribution from its
 *   allow-list only, and through no other front-end in any spelling or with any header a viewer can send;
 * - every web ACL that judges client addresses sees the client: users who share a CloudFront edge are counted
 *   apart, and an address on the IP reputation list is blocked.
 */
import { apiBehindEdge, apiPathOf, exclusivePrefixOf, stemOf } from '../config/edge';
import type { EnvironmentConfig, FrontendConfig, PlatformConfig } from '../config/types';
import { validateConfig } from '../config/validate';
import { FRONTEND_HEADER, webStackName } from '../naming';
import { single } from './support/config';
import { CLOUDFRONT_ORIGIN_ADDRESS, RequestEvaluator, type Outcome, type Request } from './support/request-evaluator';
import { shipped } from './support/stacks';
import { synth } from './support/synth';

/** The shipped config, and variants of prod's edge settings that the same guarantees must hold for. */
const VARIANTS: Record<string, () => PlatformConfig> = {
  shipped: () => shipped,
  'the admin app on its default API path': () => {
    const frontends = single('prod').environments[0].frontends!.map(({ apiPath: _apiPath, ...f }) => f);
    return validateConfig(single('prod', { frontends }));
  },
  'two front-ends with allow-lists, one with a path of its own outside edge.apiPath': () => {
    const base = single('prod').environments[0].frontends!;
    return validateConfig(
      single('prod', {
        frontends: [
          ...base.map((f) => (f.allowedIpRanges ? { ...f, apiPath: '/admin-api/*' } : f)),
          { name: 'ops', spa: false, allowedIpRanges: ['198.51.100.0/25', '192.0.2.128/25'] },
        ],
      }),
    );
  },
  'the API kept on a public load balancer (edge.api false)': () => {
    const frontends = single('prod').environments[0].frontends!.map(({ apiPath: _apiPath, ...f }) => f);
    return validateConfig(single('prod', { frontends, edge: { api: false } }));
  },
};

const cases = Object.entries(VARIANTS).flatMap(([variant, config]) => {
  const c = config();
  return c.environments.map((env) => ({ name: `${variant}: ${env.name}`, config: c, env, stack: webStackName(c.project, env.name) }));
});

const ipNumber = (ip: string) => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
const inRange = (ip: string, cidr: string) => {
  const [net, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  return Math.floor(ipNumber(ip) / size) === Math.floor(ipNumber(net) / size);
};
/** An address no allow-list of the environment admits (a member of the public). */
const outsider = (env: EnvironmentConfig) =>
  ['192.0.2.44', '198.51.100.200', '203.0.113.250', '100.64.7.7'].find((ip) =>
    env.frontends.every((f) => (f.allowedIpRanges ?? []).every((r) => !inRange(ip, r))),
  )!;
/** An address front-end `f` admits: the first host of its allow-list, or a member of the public. */
const admitted = (env: EnvironmentConfig, f: FrontendConfig) => {
  if (!f.allowedIpRanges) return outsider(env);
  const net = f.allowedIpRanges[0].split('/')[0].split('.').map(Number);
  net[3] += 1;
  return net.join('.');
};
/** Another front-end's admitted address, to show that being admitted elsewhere opens nothing here. */
const everyAddress = (env: EnvironmentConfig) => [outsider(env), ...env.frontends.map((f) => admitted(env, f))];

/** The spellings of a path under `pattern` that an application may route as that path. */
function spellings(pattern: string): string[] {
  const stem = stemOf(pattern);
  const prefix = exclusivePrefixOf(pattern);
  const cut = prefix.lastIndexOf('/');
  const parent = prefix.slice(0, cut + 1);
  const last = prefix.slice(cut + 1);
  const encoded = [...last].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('');
  return [
    `${stem}users`,
    prefix,
    `${prefix};jsessionid=0/users`,
    `${prefix.toUpperCase()}/users`,
    `${parent}${encoded}/users`,
    ...(cut > 0 ? [`${parent.slice(0, -1)}%2F${last}/users`, `${parent.slice(0, -1)}%2f${last}/users`] : []),
    `${parent}x/../${last}/users`,
    `${parent}./${last}/users`,
    `${parent}/${last}/users`,
    `${parent.replace(/\/$/, '\\')}${last}/users`,
    `${stem}users?page=2`,
  ];
}

const reaches = (o: Outcome) => o.at === 'app';

describe.each(cases.filter((c) => c.env.frontends.length > 0))('$name', ({ config, env, stack }) => {
  const fresh = () => new RequestEvaluator(synth(config).stacks[stack]);
  const behind = apiBehindEdge(env);
  const routes = env.frontends.map((f) => ({ f, path: apiPathOf(f, env.edge.apiPath) }));

  if (behind) {
    it.each(routes)('through $f.name, from an address it admits, its API path reaches the application', ({ f, path }) => {
      const outcome = fresh().evaluate({ via: f.name, clientIp: admitted(env, f), path: `${stemOf(path)}orders/42` });
      expect(outcome).toMatchObject({ at: 'app' });
      // The application learns which front-end the request came through, from CloudFront, and the client's address.
      expect(outcome.at === 'app' && outcome.headers[FRONTEND_HEADER.toLowerCase()]).toBe(f.name);
      // X-Forwarded-For: what the client claimed (nothing here), the viewer as CloudFront saw it, CloudFront as the load
      // balancer saw it — the client's address is the one before the last.
      expect(outcome.at === 'app' && outcome.headers['x-forwarded-for']).toBe(`${admitted(env, f)}, ${CLOUDFRONT_ORIGIN_ADDRESS}`);
    });

    it.each(routes.filter(({ f }) => f.allowedIpRanges))(
      'through $f.name, from an address outside its allow-list, nothing is served: API or files',
      ({ f, path }) => {
        const e = fresh();
        for (const p of [`${stemOf(path)}orders/42`, '/index.html', '/'])
          expect(e.evaluate({ via: f.name, clientIp: outsider(env), path: p })).toMatchObject({ at: 'edge-waf', status: 403 });
      },
    );

    it.each(routes.filter(({ f }) => f.allowedIpRanges))(
      "$f.name's API is reachable through no other front-end: any spelling, any address, any header a viewer sends",
      ({ f, path }) => {
        const e = fresh();
        const others = env.frontends.filter((o) => o.name !== f.name);
        expect(others.length).toBeGreaterThan(0);
        const tried: [string, string, string, Outcome][] = [];
        for (const other of others)
          for (const p of spellings(path))
            for (const clientIp of everyAddress(env))
              for (const headers of [{}, { [FRONTEND_HEADER]: f.name }, { [FRONTEND_HEADER.toUpperCase()]: f.name.toUpperCase() }])
                tried.push([other.name, p, clientIp, e.evaluate({ via: other.name, clientIp, path: p, headers })]);
        expect(tried.filter(([, , , o]) => reaches(o))).toEqual([]);
        // The path as the route names it is refused by both layers: the other front-end's web ACL, and on its own
        // (were that web ACL detached) the load balancer, which forwards it only with the owner's header.
        const alone = new RequestEvaluator(synth(config).stacks[stack], {}, { edgeWebAcls: true });
        for (const other of others)
          for (const p of [`${stemOf(path)}users`, exclusivePrefixOf(path), `${exclusivePrefixOf(path)}/`]) {
            expect(e.evaluate({ via: other.name, clientIp: outsider(env), path: p })).toMatchObject({ at: 'edge-waf', status: 403 });
            const atListener = alone.evaluate({
              via: other.name,
              clientIp: outsider(env),
              path: p,
              headers: { [FRONTEND_HEADER]: f.name },
            });
            // (A path the other front-end does not route to the API never reaches the load balancer at all.)
            expect(atListener.at === 'files' || (atListener.at === 'listener' && atListener.status === 403)).toBe(true);
          }
      },
    );

    it('nothing reaches the load balancer but the VPC origin: not from the internet, not from inside the VPC', () => {
      const e = fresh();
      const anyPath = env.frontends.map((f) => `${stemOf(apiPathOf(f, env.edge.apiPath))}users`);
      const vpcHost = env.vpcCidr.replace(/\.0\/\d+$/, '.77');
      for (const path of anyPath)
        for (const headers of [{}, ...env.frontends.map((f) => ({ [FRONTEND_HEADER]: f.name }))]) {
          for (const port of [443, 80]) {
            expect(e.evaluate({ via: 'direct', clientIp: outsider(env), path, headers, port })).toMatchObject({ at: 'unreachable' });
            // An app server (or anything else in the VPC): the load balancer's group admits CloudFront's prefix list alone.
            for (const sourceGroup of [undefined, 'app_servers_security_group'])
              expect(e.evaluate({ via: 'direct', clientIp: vpcHost, path, headers, port, sourceGroup })).toMatchObject({
                at: 'unreachable',
              });
          }
        }
    });

    it('a request through a front-end but outside every API route gets the files, not the application', () => {
      const e = fresh();
      for (const f of env.frontends)
        expect(e.evaluate({ via: f.name, clientIp: admitted(env, f), path: '/orders/42' })).toMatchObject({ at: 'files' });
    });
  } else {
    it('the load balancer is the public entry point: the API answers from anywhere, and the front-ends serve files only', () => {
      const e = fresh();
      expect(e.evaluate({ via: 'direct', clientIp: outsider(env), path: '/api/orders' })).toMatchObject({ at: 'app' });
      for (const f of env.frontends)
        expect(e.evaluate({ via: f.name, clientIp: admitted(env, f), path: `${stemOf(env.edge.apiPath)}orders` })).toMatchObject({
          at: 'files',
        });
    });
  }

  it("users who share a CloudFront edge address are counted apart: one user's excess is blocked, the others are served", () => {
    const e = fresh();
    const f = env.frontends.find((x) => !x.allowedIpRanges) ?? env.frontends[0];
    const path = behind ? `${stemOf(apiPathOf(f, env.edge.apiPath))}orders` : '/index.html';
    const limit = env.edge.requestsPerFiveMinutes;
    // Five users behind the same edge send up to the limit each: several times what one address may send.
    const users = [1, 2, 3, 4, 5, 6].map((i) => (f.allowedIpRanges ? admitted(env, f).replace(/\d+$/, String(i + 1)) : `198.51.100.${i}`));
    // Each sends an X-Forwarded-For of its own invention: the edge counts the address it sees, not that header.
    const blocked = users
      .slice(0, 5)
      .flatMap((clientIp) =>
        Array.from({ length: limit }, (_, n) =>
          e.evaluate({ via: f.name, clientIp, path, headers: { 'X-Forwarded-For': `10.${n % 250}.0.1` } }),
        ).filter((o) => o.at.endsWith('waf')),
      );
    expect(blocked).toEqual([]);
    // One more request from the first user is one too many, for that user alone.
    expect(e.evaluate({ via: f.name, clientIp: users[0], path })).toEqual({ at: 'edge-waf', status: 403, rule: 'rate-limit-per-ip' });
    expect(e.evaluate({ via: f.name, clientIp: users[5], path }).at).not.toMatch(/waf/);
  });

  it('an address on the IP reputation or anonymous IP list is blocked at the edge of every front-end; its neighbour is not', () => {
    for (const f of env.frontends) {
      const bad = admitted(env, f);
      for (const lists of [{ reputation: [bad] }, { anonymous: [bad] }]) {
        const e = new RequestEvaluator(synth(config).stacks[stack], lists);
        const path = behind ? `${stemOf(apiPathOf(f, env.edge.apiPath))}orders` : '/index.html';
        expect(e.evaluate({ via: f.name, clientIp: bad, path })).toMatchObject({ at: 'edge-waf', status: 403 });
        const neighbour = bad.replace(/\d+$/, (n) => String((Number(n) % 200) + 2));
        expect(e.evaluate({ via: f.name, clientIp: neighbour, path }).at).not.toMatch(/waf/);
      }
    }
  });

  if (behind)
    it("the load balancer's web ACL judges no client address: CloudFront's own address on every list blocks no one", () => {
      // Were a rule there to judge addresses, it would judge CloudFront's — and block every user behind that edge.
      const e = new RequestEvaluator(synth(config).stacks[stack], {
        reputation: [CLOUDFRONT_ORIGIN_ADDRESS],
        anonymous: [CLOUDFRONT_ORIGIN_ADDRESS],
      });
      for (const f of env.frontends) {
        const outcome = e.evaluate({ via: f.name, clientIp: admitted(env, f), path: `${stemOf(apiPathOf(f, env.edge.apiPath))}x` });
        expect(outcome).toMatchObject({ at: 'app' });
      }
    });

  it('an exploit in the request is stopped at the edge, whatever the address', () => {
    const e = fresh();
    for (const f of env.frontends) {
      const request: Request = { via: f.name, clientIp: admitted(env, f), path: '/index.html', exploit: true };
      expect(e.evaluate(request)).toMatchObject({ at: 'edge-waf', status: 403 });
    }
  });
});

describe('the evaluator refuses what it does not model', () => {
  it('an unknown statement, listener condition or origin shape throws instead of passing', () => {
    const stack = structuredClone(synth().stacks[webStackName(shipped.project, shipped.environments.find((e) => apiBehindEdge(e))!.name)]);
    const env = shipped.environments.find((e) => apiBehindEdge(e))!;
    const f = env.frontends[0];
    const aclName = /aws_wafv2_web_acl\.([\w-]+)\.arn/.exec(
      stack.resource.aws_cloudfront_distribution[`frontend_${f.name}_distribution`].web_acl_id,
    )![1];
    stack.resource.aws_wafv2_web_acl[aclName].rule.unshift({
      name: 'geo',
      priority: -1,
      action: { block: {} },
      statement: { geo_match_statement: { country_codes: ['FR'] } },
    });
    expect(() => new RequestEvaluator(stack).evaluate({ via: f.name, clientIp: '192.0.2.1', path: '/' })).toThrow(/geo_match_statement/);
  });
});
