/**
 * What the architecture diagram shows, read from one synthesized stack (cdk.tf.json) — never from the
 * constructs or the config, so the picture is what Terraform will build.
 */

/** A stack's Terraform JSON, as much of it as the diagram reads. */
export interface StackJson {
  readonly resource?: Readonly<Record<string, Readonly<Record<string, any>>>>;
  readonly provider?: { readonly aws?: readonly { readonly region?: string }[] };
}

export type Tier = 'public' | 'app' | 'data';
export const TIERS: readonly Tier[] = ['public', 'app', 'data'];

export interface SubnetBox {
  /** Terraform address, `aws_subnet.network_public_subnet_a`. */
  readonly address: string;
  readonly zone: string;
  readonly cidr: string;
}

export interface NatBox {
  readonly address: string;
  readonly zone: string;
}

/** A security-group hop: traffic from one part to another on a port. */
export interface Hop {
  readonly from: Part;
  readonly to: Part;
  readonly port: number;
}

/** The parts security groups belong to; `edge` is CloudFront, admitted through its origin-facing prefix list. */
export type Part = 'internet' | 'edge' | 'alb' | 'app' | 'db';

export interface DiagramModel {
  readonly stack: string;
  readonly region: string;
  readonly vpcCidr: string;
  /** Zones in the order of the subnets (the layout's column order). */
  readonly zones: readonly string[];
  readonly subnets: Readonly<Record<Tier, readonly SubnetBox[]>>;
  readonly nats: readonly NatBox[];
  /** App subnet zone → zone of the NAT gateway its default route uses. */
  readonly natRoutes: Readonly<Record<string, string>>;
  /** `internal`: in the app tier, reached through a CloudFront VPC origin only. */
  readonly loadBalancer?: {
    readonly address: string;
    readonly name: string;
    readonly listeners: readonly string[];
    readonly internal: boolean;
  };
  readonly autoScalingGroup?: {
    readonly address: string;
    readonly name: string;
    readonly instanceType: string;
    readonly min: number;
    readonly desired: number;
    readonly max: number;
  };
  readonly database?: {
    readonly address: string;
    readonly identifier: string;
    readonly engine: string;
    readonly version: string;
    readonly instanceClass: string;
    readonly multiAz: boolean;
  };
  readonly hops: readonly Hop[];
  readonly firewall?: { readonly address: string; readonly name: string; readonly rules: number; readonly rateLimit: boolean };
  readonly alerts?: { readonly address: string; readonly name: string; readonly alarms: number; readonly subscriptions: number };
  readonly dashboard?: { readonly address: string; readonly name: string };
  readonly keys: readonly string[];
  readonly buckets: readonly { readonly address: string; readonly name: string }[];
  readonly distributions: readonly { readonly address: string; readonly origins: readonly string[] }[];
}

type Body = Record<string, any>;

/** `${type.name.attr}` → `type.name`. */
function addressOf(value: unknown): string | undefined {
  const match = typeof value === 'string' ? /^\$\{([a-z0-9_]+\.[A-Za-z0-9_-]+)\.[a-z_]+(\[\d+\])?\}$/.exec(value) : null;
  return match?.[1];
}

const byAddress = <T extends { address: string }>(a: T, b: T) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0);

/** The diagram of stack `name` from its Terraform JSON. */
export function modelOf(name: string, stack: StackJson): DiagramModel {
  const resources = stack.resource ?? {};
  const all = (type: string): [string, Body][] =>
    Object.entries(resources[type] ?? {})
      .map(([id, body]) => [`${type}.${id}`, body] as [string, Body])
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const first = (type: string) => all(type)[0];

  // Tiers from what uses the subnets: an internet-facing load balancer's are public, the auto scaling group's
  // app, the database subnet group's data; any other subnet by its route to an internet gateway (public) or not.
  const lb = first('aws_lb');
  const asg = first('aws_autoscaling_group');
  const subnetGroups = all('aws_db_subnet_group');
  const tierOf = new Map<string, Tier>();
  if (lb?.[1].internal !== true) for (const ref of lb?.[1].subnets ?? []) tierOf.set(addressOf(ref) ?? '', 'public');
  for (const ref of asg?.[1].vpc_zone_identifier ?? []) tierOf.set(addressOf(ref) ?? '', 'app');
  for (const [, group] of subnetGroups) for (const ref of group.subnet_ids ?? []) tierOf.set(addressOf(ref) ?? '', 'data');
  const subnets: Record<Tier, SubnetBox[]> = { public: [], app: [], data: [] };
  const zones: string[] = [];
  for (const [address, body] of all('aws_subnet')) {
    const tier = tierOf.get(address) ?? (body.tags?.Tier === 'public' ? 'public' : body.tags?.Tier === 'isolated' ? 'data' : 'app');
    subnets[tier].push({ address, zone: body.availability_zone, cidr: body.cidr_block });
    if (!zones.includes(body.availability_zone)) zones.push(body.availability_zone);
  }
  zones.sort();
  for (const tier of TIERS) subnets[tier].sort((a, b) => zones.indexOf(a.zone) - zones.indexOf(b.zone) || byAddress(a, b));
  const zoneOfSubnet = (ref: unknown) =>
    resources.aws_subnet?.[(addressOf(ref) ?? '').split('.')[1]]?.availability_zone as string | undefined;

  const nats = all('aws_nat_gateway').map(([address, body]) => ({ address, zone: zoneOfSubnet(body.subnet_id) ?? '?' }));
  // Which NAT each app subnet's default route uses: association → route table → route → NAT.
  const natRoutes: Record<string, string> = {};
  const natZone = new Map(nats.map((n) => [n.address, n.zone]));
  for (const [, association] of all('aws_route_table_association')) {
    const zone = zoneOfSubnet(association.subnet_id);
    const table = addressOf(association.route_table_id);
    if (!zone || !table || tierOf.get(addressOf(association.subnet_id) ?? '') !== 'app') continue;
    for (const [, route] of all('aws_route')) {
      if (addressOf(route.route_table_id) !== table || route.destination_cidr_block !== '0.0.0.0/0') continue;
      const nat = natZone.get(addressOf(route.nat_gateway_id) ?? '');
      if (nat) natRoutes[zone] = nat;
    }
  }

  // Security groups → the part that uses them.
  const partOf = new Map<string, Part>();
  for (const ref of lb?.[1].security_groups ?? []) partOf.set(addressOf(ref) ?? '', 'alb');
  for (const [, template] of all('aws_launch_template')) {
    for (const ni of template.network_interfaces ?? []) for (const ref of ni.security_groups ?? []) partOf.set(addressOf(ref) ?? '', 'app');
    for (const ref of template.vpc_security_group_ids ?? []) partOf.set(addressOf(ref) ?? '', 'app');
  }
  for (const [, db] of all('aws_db_instance')) for (const ref of db.vpc_security_group_ids ?? []) partOf.set(addressOf(ref) ?? '', 'db');
  const hops: Hop[] = [];
  const addHop = (from: Part | undefined, to: Part | undefined, port: number) => {
    if (from && to && !hops.some((h) => h.from === from && h.to === to && h.port === port)) hops.push({ from, to, port });
  };
  const peer = (rule: Body): Part | undefined =>
    rule.cidr_ipv4 === '0.0.0.0/0' || rule.cidr_ipv6 === '::/0'
      ? 'internet'
      : rule.prefix_list_id
        ? 'edge'
        : partOf.get(addressOf(rule.referenced_security_group_id) ?? '');
  for (const [, rule] of all('aws_vpc_security_group_ingress_rule'))
    addHop(peer(rule), partOf.get(addressOf(rule.security_group_id) ?? ''), Number(rule.from_port));
  for (const [, rule] of all('aws_vpc_security_group_egress_rule'))
    addHop(partOf.get(addressOf(rule.security_group_id) ?? ''), peer(rule), Number(rule.from_port));
  const order: Part[] = ['internet', 'edge', 'alb', 'app', 'db'];
  hops.sort((a, b) => order.indexOf(a.from) - order.indexOf(b.from) || order.indexOf(a.to) - order.indexOf(b.to) || a.port - b.port);

  const listeners = all('aws_lb_listener')
    .map(([, l]) => `${l.protocol} ${l.port}${l.default_action?.[0]?.type === 'redirect' ? ' → HTTPS' : ''}`)
    .sort();
  const template = asg ? resources.aws_launch_template?.[(addressOf(asg[1].launch_template?.id) ?? '').split('.')[1]] : undefined;
  const db = first('aws_db_instance');
  // The load balancer's web ACL (REGIONAL); the edge's are the distributions'.
  const acl = all('aws_wafv2_web_acl').find(([, body]) => body.scope === 'REGIONAL');
  const topic = first('aws_sns_topic');
  const dashboard = first('aws_cloudwatch_dashboard');
  return {
    stack: name,
    region: stack.provider?.aws?.[0]?.region ?? '',
    vpcCidr: first('aws_vpc')?.[1].cidr_block ?? '',
    zones,
    subnets,
    nats,
    natRoutes,
    loadBalancer: lb && { address: lb[0], name: lb[1].name, listeners, internal: lb[1].internal === true },
    autoScalingGroup: asg && {
      address: asg[0],
      name: asg[1].name,
      instanceType: template?.instance_type ?? '?',
      min: Number(asg[1].min_size),
      desired: Number(asg[1].desired_capacity),
      max: Number(asg[1].max_size),
    },
    database: db && {
      address: db[0],
      identifier: db[1].identifier,
      engine: db[1].engine,
      version: db[1].engine_version,
      instanceClass: db[1].instance_class,
      multiAz: db[1].multi_az === true,
    },
    hops,
    firewall: acl && {
      address: acl[0],
      name: acl[1].name,
      rules: (acl[1].rule ?? []).length,
      rateLimit: (acl[1].rule ?? []).some((r: Body) => r.statement?.rate_based_statement !== undefined),
    },
    alerts: topic && {
      address: topic[0],
      name: topic[1].name,
      alarms: all('aws_cloudwatch_metric_alarm').length,
      subscriptions: all('aws_sns_topic_subscription').length,
    },
    dashboard: dashboard && { address: dashboard[0], name: dashboard[1].dashboard_name },
    keys: all('aws_kms_key').map(([address]) => address),
    buckets: all('aws_s3_bucket').map(([address, body]) => ({ address, name: body.bucket })),
    distributions: all('aws_cloudfront_distribution').map(([address, body]) => ({
      address,
      origins: [].concat(body.origin ?? []).map((o: Body) => String(o.origin_id ?? o.domain_name ?? '')),
    })),
  };
}
