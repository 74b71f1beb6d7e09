import { CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS } from '../config/catalog';
import { apiBehindEdge } from '../config/edge';
import { dev, prod } from '../config/environments';
import { single } from './support/config';
import { environmentStacks } from './support/stacks';
import { resource, resources, synth, type StackJson } from './support/synth';

const stack = synth().stacks['web-prod'];
const prodEnv = environmentStacks().find((e) => e.env.name === prod.name)!.env;
const ref = (group: string) => `\${aws_security_group.${group}_security_group.id}`;
const ALB = ref('load_balancer');
const APP = ref('app_servers');
const DB = ref('database');

/** What may reach the load balancer: CloudFront's prefix list on 443 behind the edge, else the internet on 80 and 443. */
function albIngress(env: typeof prodEnv) {
  return apiBehindEdge(env)
    ? [{ direction: 'ingress', group: ALB, peer: CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS[env.region], ports: [443, 443], protocol: 'tcp' }]
    : [80, 443].map((port) => ({ direction: 'ingress', group: ALB, peer: '0.0.0.0/0', ports: [port, port], protocol: 'tcp' }));
}

/** Every per-rule resource of a stack, in a comparable shape. */
function rules(s: StackJson) {
  const shape = (direction: string) => (r: Record<string, any>) => ({
    direction,
    group: r.security_group_id,
    peer: r.referenced_security_group_id ?? r.cidr_ipv4 ?? r.prefix_list_id,
    ports: [r.from_port, r.to_port],
    protocol: r.ip_protocol,
  });
  return [
    ...Object.values(resources(s, 'aws_vpc_security_group_ingress_rule')).map(shape('ingress')),
    ...Object.values(resources(s, 'aws_vpc_security_group_egress_rule')).map(shape('egress')),
  ];
}

describe('security groups chained ALB → app → DB', () => {
  it('holds exactly the rules of the chain, nothing wider', () => {
    const port = prod.compute.appPort;
    expect(rules(stack)).toEqual(
      expect.arrayContaining([
        ...albIngress(prodEnv),
        { direction: 'egress', group: ALB, peer: APP, ports: [port, port], protocol: 'tcp' },
        { direction: 'ingress', group: APP, peer: ALB, ports: [port, port], protocol: 'tcp' },
        { direction: 'egress', group: APP, peer: DB, ports: [3307, 3307], protocol: 'tcp' },
        { direction: 'egress', group: APP, peer: '0.0.0.0/0', ports: [443, 443], protocol: 'tcp' },
        { direction: 'ingress', group: DB, peer: APP, ports: [3307, 3307], protocol: 'tcp' },
      ]),
    );
    expect(rules(stack)).toHaveLength(5 + albIngress(prodEnv).length);
  });

  it.each(environmentStacks())(
    '$stack: opens nothing to the internet but the load balancer port 80, 443 with HTTPS, and behind the edge nothing at all',
    ({ env, stack: name }) => {
      const open = rules(synth().stacks[name]).filter((r) => r.direction === 'ingress' && r.peer === '0.0.0.0/0');
      expect(open.map((r) => [r.group, r.ports[0]])).toEqual(apiBehindEdge(env) ? [] : [[ALB, 80], ...(env.https ? [[ALB, 443]] : [])]);
    },
  );

  it.each(environmentStacks().filter(({ env }) => apiBehindEdge(env)))(
    '$stack: behind the edge, the load balancer admits CloudFront origin-facing servers on 443 only',
    ({ env, stack: name }) => {
      const alb = rules(synth().stacks[name]).filter((r) => r.direction === 'ingress' && r.group === ALB);
      expect(alb).toEqual(albIngress(env));
    },
  );

  it('opens 443 only where an HTTPS listener answers: without HTTPS settings, port 80 alone', () => {
    const http = synth(single('dev')).stacks['web-dev'];
    expect(dev.https).toBeUndefined();
    const open = rules(http).filter((r) => r.direction === 'ingress' && r.peer === '0.0.0.0/0');
    expect(open.map((r) => [r.group, r.ports[0]])).toEqual([[ALB, 80]]);
    expect(Object.keys(resources(http, 'aws_lb_listener'))).toEqual(['load_balancer_http_listener']);
    expect(resource(http, 'aws_vpc_security_group_ingress_rule', 'load_balancer_security_group_ingress_internet_http').description).toBe(
      'HTTP from the internet',
    );
  });

  it('gives the database no egress at all', () => {
    expect(rules(stack).filter((r) => r.group === DB && r.direction === 'egress')).toEqual([]);
  });

  it('never uses inline rules (which would restore allow-all egress semantics)', () => {
    for (const group of Object.values(resources(stack, 'aws_security_group'))) {
      expect(group.ingress).toBeUndefined();
      expect(group.egress).toBeUndefined();
      expect(group.revoke_rules_on_delete).toBe(true);
    }
  });

  it('describes every group and every rule', () => {
    for (const type of ['aws_security_group', 'aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule']) {
      const all = Object.values(resources(stack, type));
      expect(all.length).toBeGreaterThan(0);
      for (const r of all) expect(r.description).toMatch(/\w{3,}.*\w{3,}/);
    }
  });

  it('follows the database port of the engine', () => {
    const pg = synth(single('prod', { database: { ...prod.database, engine: 'postgres', engineVersion: '17' } })).stacks['web-prod'];
    expect(resource(pg, 'aws_vpc_security_group_ingress_rule', 'database_security_group_ingress_from_app')).toMatchObject({
      from_port: 5433,
      to_port: 5433,
      referenced_security_group_id: APP,
    });
  });
});
