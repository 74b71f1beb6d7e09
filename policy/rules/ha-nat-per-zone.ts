import { defineRule, NOT_APPLICABLE, scanners, verdict } from '../rule';

export const rule = defineRule({
  id: 'ha-nat-per-zone',
  what: 'Private subnets reach the internet through a NAT gateway in their own zone.',
  why: "With a shared NAT gateway, the loss of its zone cuts every other zone's instances off from updates and AWS APIs.",
  scanners: scanners({}),
  resourceTypes: ['aws_route'],
  check: (route, stack) => {
    if (route.config.nat_gateway_id === undefined) return NOT_APPLICABLE;
    const nat = stack.target(route.config.nat_gateway_id, 'aws_nat_gateway');
    const natZone = nat ? stack.zoneOfSubnet(nat.config.subnet_id) : undefined;
    const table = stack.target(route.config.route_table_id, 'aws_route_table');
    const zones = table
      ? stack.referrers('aws_route_table_association', 'route_table_id', table).map((a) => stack.zoneOfSubnet(a.config.subnet_id))
      : [];
    return verdict(
      natZone !== undefined && zones.length > 0 && zones.every((z) => z === natZone),
      `NAT gateway zone ${natZone ?? 'unknown'} serves subnets in ${zones.map((z) => z ?? 'unknown').join(', ') || 'no provable zone'}`,
    );
  },
});
