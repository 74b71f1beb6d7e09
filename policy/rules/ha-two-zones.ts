import { defineRule, scanners, verdict } from '../rule';
import { listOf } from '../tokens';

/** Where each resource type keeps its subnets. */
const SUBNET_FIELDS: Readonly<Record<string, string>> = {
  aws_autoscaling_group: 'vpc_zone_identifier',
  aws_lb: 'subnets',
  aws_alb: 'subnets',
  aws_db_subnet_group: 'subnet_ids',
};

export const rule = defineRule({
  id: 'ha-two-zones',
  what: 'Auto scaling groups, load balancers and database subnet groups span at least two availability zones.',
  why: 'A zone can fail as a whole; a tier confined to one zone goes down with it.',
  scanners: scanners({}),
  resourceTypes: Object.keys(SUBNET_FIELDS),
  check: (r, stack) => {
    const subnets = listOf(r.config[SUBNET_FIELDS[r.type]]);
    const zones = subnets.map((s) => stack.zoneOfSubnet(s));
    const known = new Set(zones.filter((z): z is string => z !== undefined));
    return verdict(
      zones.every((z) => z !== undefined) && known.size >= 2,
      `subnets in ${known.size} provable zone(s)${zones.includes(undefined) ? ', some subnets are not subnets of this stack with a literal zone' : ''}`,
    );
  },
});
