import { parseCidr, overlaps, contains, planSubnets } from '../config/cidr';
import { dev, prod } from '../config/environments';
import { single } from './support/config';
import { resource, resources, synth } from './support/synth';

const { stacks } = synth();
const prodStack = stacks['web-prod'];
const devStack = stacks['web-dev'];

describe('subnet layout', () => {
  it('carves three non-overlapping tiers per zone inside the VPC', () => {
    for (const env of [dev, prod]) {
      const vpc = parseCidr(env.vpcCidr)!;
      const layout = planSubnets(vpc, env.availabilityZones.length);
      const all = [...layout.public, ...layout.app, ...layout.data].map((c) => parseCidr(c)!);
      expect(all).toHaveLength(3 * env.availabilityZones.length);
      all.forEach((a, i) => {
        expect(contains(vpc, a)).toBe(true);
        all.slice(i + 1).forEach((b) => expect(overlaps(a, b)).toBe(false));
      });
    }
  });

  it('gives a /16 VPC /18 app subnets and /21 public and data subnets', () => {
    expect(planSubnets(parseCidr('10.0.0.0/16')!, 3)).toEqual({
      app: ['10.0.0.0/18', '10.0.64.0/18', '10.0.128.0/18'],
      public: ['10.0.192.0/21', '10.0.200.0/21', '10.0.208.0/21'],
      data: ['10.0.224.0/21', '10.0.232.0/21', '10.0.240.0/21'],
    });
  });

  it('puts subnet i of every tier in zone i, with the planned CIDR', () => {
    const layout = planSubnets(parseCidr(prod.vpcCidr)!, 3);
    prod.availabilityZones.forEach((az, i) => {
      const z = az.slice(-1);
      for (const tier of ['public', 'app', 'data'] as const) {
        const subnet = resource(prodStack, 'aws_subnet', `network_${tier}_subnet_${z}`);
        expect(subnet.availability_zone).toBe(az);
        expect(subnet.cidr_block).toBe(layout[tier][i]);
      }
    });
  });
});

describe('VPC', () => {
  it('enables DNS support and hostnames', () => {
    const vpc = resource(prodStack, 'aws_vpc', 'network_vpc');
    expect(vpc.enable_dns_support).toBe(true);
    expect(vpc.enable_dns_hostnames).toBe(true);
    expect(vpc.cidr_block).toBe(prod.vpcCidr);
  });

  it('maps no public IP on launch in any subnet', () => {
    for (const stack of [prodStack, devStack]) {
      const subnets = Object.values(resources(stack, 'aws_subnet'));
      expect(subnets.length).toBeGreaterThanOrEqual(6);
      for (const s of subnets) expect(s.map_public_ip_on_launch).toBe(false);
    }
  });

  it('takes over the default security group with no rules', () => {
    const sg = resource(prodStack, 'aws_default_security_group', 'network_default_security_group');
    expect(sg.vpc_id).toBe('${aws_vpc.network_vpc.id}');
    expect(sg.ingress).toBeUndefined();
    expect(sg.egress).toBeUndefined();
  });
});

describe('routing per tier', () => {
  it('routes the public tier to the internet gateway', () => {
    const route = resource(prodStack, 'aws_route', 'network_public_default_route');
    expect(route).toMatchObject({
      destination_cidr_block: '0.0.0.0/0',
      gateway_id: '${aws_internet_gateway.network_internet_gateway.id}',
    });
    for (const z of ['a', 'b', 'c']) {
      expect(resource(prodStack, 'aws_route_table_association', `network_public_route_table_association_${z}`).route_table_id).toBe(
        '${aws_route_table.network_public_route_table.id}',
      );
    }
  });

  it('perAz: each app subnet routes through the NAT gateway of its own zone', () => {
    expect(Object.keys(resources(prodStack, 'aws_nat_gateway'))).toHaveLength(3);
    for (const z of ['a', 'b', 'c']) {
      expect(resource(prodStack, 'aws_route', `network_app_default_route_${z}`)).toMatchObject({
        route_table_id: `\${aws_route_table.network_app_route_table_${z}.id}`,
        destination_cidr_block: '0.0.0.0/0',
        nat_gateway_id: `\${aws_nat_gateway.network_nat_gateway_${z}.id}`,
      });
      const nat = resource(prodStack, 'aws_nat_gateway', `network_nat_gateway_${z}`);
      expect(nat.subnet_id).toBe(`\${aws_subnet.network_public_subnet_${z}.id}`);
      expect(nat.allocation_id).toBe(`\${aws_eip.network_nat_eip_${z}.allocation_id}`);
    }
  });

  it('single: every app subnet routes through the one NAT gateway', () => {
    expect(Object.keys(resources(devStack, 'aws_nat_gateway'))).toEqual(['network_nat_gateway_a']);
    for (const z of ['a', 'b']) {
      expect(resource(devStack, 'aws_route', `network_app_default_route_${z}`).nat_gateway_id).toBe(
        '${aws_nat_gateway.network_nat_gateway_a.id}',
      );
    }
  });

  it('none: no NAT gateway, no EIP and no default route for the app subnets', () => {
    const stack = synth(single('dev', { natGateways: 'none' })).stacks['web-dev'];
    expect(resources(stack, 'aws_nat_gateway')).toEqual({});
    expect(resources(stack, 'aws_eip')).toEqual({});
    expect(Object.keys(resources(stack, 'aws_route'))).toEqual(['network_public_default_route']);
  });

  it('isolates the data tier: its route table has no route at all', () => {
    const routes = Object.values(resources(prodStack, 'aws_route'));
    expect(routes.some((r) => String(r.route_table_id).includes('network_data_route_table'))).toBe(false);
    const table = resource(prodStack, 'aws_route_table', 'network_data_route_table');
    expect(table.route).toBeUndefined();
    for (const z of ['a', 'b', 'c']) {
      expect(resource(prodStack, 'aws_route_table_association', `network_data_route_table_association_${z}`)).toMatchObject({
        route_table_id: '${aws_route_table.network_data_route_table.id}',
        subnet_id: `\${aws_subnet.network_data_subnet_${z}.id}`,
      });
    }
  });
});

describe('flow logs', () => {
  it('records all traffic into an encrypted log group with retention', () => {
    expect(resource(prodStack, 'aws_flow_log', 'network_flow_log')).toMatchObject({
      vpc_id: '${aws_vpc.network_vpc.id}',
      traffic_type: 'ALL',
      log_destination_type: 'cloud-watch-logs',
      log_destination: '${aws_cloudwatch_log_group.network_flow_log_group.arn}',
      iam_role_arn: '${aws_iam_role.network_flow_log_role.arn}',
    });
    expect(resource(prodStack, 'aws_cloudwatch_log_group', 'network_flow_log_group')).toMatchObject({
      retention_in_days: prod.logRetentionDays,
      kms_key_id: '${aws_kms_key.encryption_key.arn}',
    });
  });

  it('delivers through a least-privilege role trusted by the flow-logs service of this account only', () => {
    const role = resource(prodStack, 'aws_iam_role', 'network_flow_log_role');
    expect(JSON.parse(role.assume_role_policy).Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': prod.accountId } },
      },
    ]);
    const policy = JSON.parse(resource(prodStack, 'aws_iam_role_policy', 'network_flow_log_policy').policy);
    expect(policy.Statement[0]).toEqual({
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
      Resource: ['${aws_cloudwatch_log_group.network_flow_log_group.arn}', '${aws_cloudwatch_log_group.network_flow_log_group.arn}:*'],
    });
    // The only wildcard is the action that cannot be scoped.
    expect(policy.Statement[1]).toEqual({ Effect: 'Allow', Action: 'logs:DescribeLogGroups', Resource: '*' });
  });
});
