/**
 * Security group rules in every shape Terraform writes them, reduced to what policy rules compare, and read
 * per group: a rule is open to the internet when its CIDRs, with those of the group's other rules that let
 * the same protocol and port through, cover the internet (policy/address-space.ts). Splitting `0.0.0.0/0`
 * into `0.0.0.0/1` and `128.0.0.0/1`, in one rule or two, opens the group just the same.
 */
import { coversInternet, isUnknownCidr, reachesPublic } from './address-space';
import { blocks, listOf, numberOf } from './tokens';
import type { ResourceView, StackView } from './view';

export interface SgRule {
  /** CIDR sources (ingress) or destinations (egress); a value unknown at synth is kept as written. */
  readonly cidrs: readonly string[];
  /** `tcp`, `udp`, `icmp`, or `-1` for all. */
  readonly protocol: string;
  readonly fromPort?: number;
  readonly toPort?: number;
}

/** The `direction` rules a resource defines: standalone rule resources or inline blocks of a group. */
export function sgRules(r: ResourceView, direction: 'ingress' | 'egress'): SgRule[] {
  const c = r.config;
  const ports = (b: Record<string, any>) => ({ fromPort: numberOf(b.from_port), toPort: numberOf(b.to_port) });
  if (r.type === `aws_vpc_security_group_${direction}_rule`) {
    return [
      { cidrs: [c.cidr_ipv4, c.cidr_ipv6].filter((v): v is string => typeof v === 'string'), protocol: String(c.ip_protocol), ...ports(c) },
    ];
  }
  if (r.type === 'aws_security_group_rule') {
    if (c.type !== direction) return [];
    return [{ cidrs: [...listOf(c.cidr_blocks), ...listOf(c.ipv6_cidr_blocks)].map(String), protocol: String(c.protocol), ...ports(c) }];
  }
  if (r.type === 'aws_security_group') {
    return blocks(c[direction]).map((b) => ({
      cidrs: [...listOf(b.cidr_blocks), ...listOf(b.ipv6_cidr_blocks)].map(String),
      protocol: String(b.protocol),
      ...ports(b),
    }));
  }
  return [];
}

/** True when the rule lets every protocol through (`-1`, `all`). */
export const allProtocols = (rule: SgRule): boolean => rule.protocol === '-1' || rule.protocol.toLowerCase() === 'all';

/** True when the rule covers every protocol or `port`. */
export function coversPort(rule: SgRule, port: number): boolean {
  if (allProtocols(rule)) return true;
  if (rule.fromPort === undefined || rule.toPort === undefined) return true;
  return rule.fromPort <= port && port <= rule.toPort;
}

/** The protocol by name: `6` is `tcp`, `17` `udp`, `1` `icmp`, `58` `icmpv6`. */
function protocolName(rule: SgRule): string {
  const p = rule.protocol.toLowerCase();
  return allProtocols(rule) ? '-1' : (({ '6': 'tcp', '17': 'udp', '1': 'icmp', '58': 'icmpv6' } as Record<string, string>)[p] ?? p);
}

/** The port range of a TCP or UDP rule; undefined when the rule is not one or spans every port. */
function portRange(rule: SgRule): [number, number] | undefined {
  if (!['tcp', 'udp'].includes(protocolName(rule)) || rule.fromPort === undefined || rule.toPort === undefined) return undefined;
  return rule.fromPort < 0 ? undefined : [rule.fromPort, rule.toPort];
}

/** The security group `r` adds rules to: a rule's `security_group_id` as written, a group's own id reference. */
function groupOf(r: ResourceView): string | undefined {
  if (r.type === 'aws_security_group') return `\${${r.address}.id}`;
  const id = r.config.security_group_id;
  return typeof id === 'string' ? id : undefined;
}

/** Every `direction` rule of the group `r` belongs to: the group's inline blocks and every rule resource of it. */
export function groupRules(r: ResourceView, stack: StackView, direction: 'ingress' | 'egress'): SgRule[] {
  const group = groupOf(r);
  if (group === undefined) return sgRules(r, direction);
  return stack.resources.filter((x) => SG_RULE_TYPES.includes(x.type) && groupOf(x) === group).flatMap((x) => sgRules(x, direction));
}

/**
 * True when `rule` opens its group to the internet: its CIDRs reach a public address, and together with the
 * CIDRs of the `group`'s rules (`rule` among them) that let the same traffic through — one protocol (or all), one port (`port`
 * when given, else each port where the rules begin or end) — they cover the internet (`coversInternet`). A
 * CIDR known only at apply time cannot be proven narrower: open.
 */
export function opensToInternet(rule: SgRule, group: readonly SgRule[], port?: number): boolean {
  if (rule.cidrs.some(isUnknownCidr)) return true;
  if (!rule.cidrs.some(reachesPublic)) return false;
  if (port !== undefined && !coversPort(rule, port)) return false;
  const own = protocolName(rule);
  const protocols = own === '-1' ? ['-1', ...new Set(group.map(protocolName).filter((p) => p !== '-1'))] : [own];
  return protocols.some((protocol) => {
    const peers = group.filter((g) => allProtocols(g) || protocolName(g) === protocol);
    const range = protocol === '-1' ? undefined : portRange(rule);
    const ports =
      port !== undefined
        ? [port]
        : range === undefined
          ? [undefined, ...peers.flatMap((g) => portRange(g) ?? [])]
          : [range[0], ...peers.flatMap((g) => portRange(g) ?? []).filter((p) => range[0] <= p && p <= range[1])];
    return [...new Set(ports)].some((p) =>
      coversInternet([
        ...rule.cidrs,
        ...peers.filter((g) => (p === undefined ? portRange(g) === undefined : coversPort(g, p))).flatMap((g) => g.cidrs),
      ]),
    );
  });
}

export const SG_RULE_TYPES = [
  'aws_security_group',
  'aws_security_group_rule',
  'aws_vpc_security_group_ingress_rule',
  'aws_vpc_security_group_egress_rule',
];
