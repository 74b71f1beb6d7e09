/** Security group rules in every shape Terraform writes them, reduced to what policy rules compare. */
import { blocks, listOf, numberOf } from './tokens';
import type { ResourceView } from './view';

export interface SgRule {
  /** CIDR sources (ingress) or destinations (egress); a value unknown at synth is kept as written. */
  readonly cidrs: readonly string[];
  /** `tcp`, `udp`, `icmp`, or `-1` for all. */
  readonly protocol: string;
  readonly fromPort?: number;
  readonly toPort?: number;
}

export const INTERNET = ['0.0.0.0/0', '::/0'];

/** True when the CIDR is the whole internet, or unknown at synth (which cannot be proven narrower). */
export function isOpenCidr(cidr: string): boolean {
  return INTERNET.includes(cidr) || cidr.includes('${');
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

/** True when the rule covers every protocol or `port`. */
export function coversPort(rule: SgRule, port: number): boolean {
  if (rule.protocol === '-1' || rule.protocol === 'all') return true;
  if (rule.fromPort === undefined || rule.toPort === undefined) return true;
  return rule.fromPort <= port && port <= rule.toPort;
}

export const SG_RULE_TYPES = [
  'aws_security_group',
  'aws_security_group_rule',
  'aws_vpc_security_group_ingress_rule',
  'aws_vpc_security_group_egress_rule',
];
