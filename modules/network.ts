import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { parseCidr, planSubnets, type SubnetLayout } from '../config/cidr';
import type { NatStrategy } from '../config/types';
import { policyDocument } from './policy-statements';
import { INLINE_POLICIES, names } from '../naming';

export interface NetworkProps {
  /** Name prefix for Name tags and log groups, e.g. `web-prod`. */
  readonly prefix: string;
  /** VPC CIDR (validated: private, /16–/23). */
  readonly cidr: string;
  /** Availability zones, 2 or 3; subnet i of every tier lands in zone i. */
  readonly availabilityZones: readonly string[];
  /** NAT gateways for the app subnets. @default - 'perAz' */
  readonly natGateways?: NatStrategy;
  /** Days to keep flow logs. */
  readonly flowLogRetentionDays: number;
  /** KMS key that encrypts the flow log group. */
  readonly kmsKeyArn: string;
  /** Account of the VPC: the flow-log role trusts the service only on its behalf. */
  readonly accountId: string;
}

/** One subnet of a tier. */
export interface TierSubnet {
  readonly availabilityZone: string;
  readonly subnet: Subnet;
}

/**
 * VPC over 2–3 zones with three tiers carved automatically from its CIDR:
 * - public (ALB, NAT gateways): route to the internet gateway;
 * - app (instances): private, default route through a NAT gateway (per the strategy);
 * - data (RDS): isolated, a route table with no route out of the VPC.
 * No subnet gives instances public IPs; the default security group is taken over with no rules;
 * all traffic is recorded by VPC flow logs in an encrypted CloudWatch log group.
 */
export class Network extends Construct {
  readonly vpc: Vpc;
  readonly layout: SubnetLayout;
  readonly publicSubnets: readonly TierSubnet[];
  readonly appSubnets: readonly TierSubnet[];
  readonly dataSubnets: readonly TierSubnet[];
  readonly natGateways: readonly NatGateway[];
  /** The app tier's route tables, one per zone (the S3 gateway endpoint is added to them). */
  readonly appRouteTables: readonly RouteTable[];
  /** Zone of each NAT gateway, index for index. */
  readonly natGatewayZones: readonly string[];

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const { prefix, availabilityZones } = props;
    const strategy = props.natGateways ?? 'perAz';
    const vpcCidr = parseCidr(props.cidr);
    if (!vpcCidr) throw new Error(`Network ${prefix}: invalid CIDR ${JSON.stringify(props.cidr)}`);
    this.layout = planSubnets(vpcCidr, availabilityZones.length);

    this.vpc = new Vpc(this, 'vpc', {
      cidrBlock: props.cidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: names.nameTag(prefix) },
    });

    // Take over the default security group and leave it with no rules, so nothing can use it.
    new DefaultSecurityGroup(this, 'default_security_group', {
      vpcId: this.vpc.id,
      tags: { Name: names.nameTag(prefix, 'default-unused') },
    });

    const igw = new InternetGateway(this, 'internet_gateway', { vpcId: this.vpc.id, tags: { Name: names.nameTag(prefix) } });

    const makeTier = (tier: keyof SubnetLayout, label: string): TierSubnet[] =>
      availabilityZones.map((az, i) => ({
        availabilityZone: az,
        subnet: new Subnet(this, `${tier}_subnet_${zoneSuffix(az)}`, {
          vpcId: this.vpc.id,
          cidrBlock: this.layout[tier][i],
          availabilityZone: az,
          mapPublicIpOnLaunch: false,
          tags: { Name: names.nameTag(prefix, tier, zoneSuffix(az)), Tier: label },
        }),
      }));
    this.publicSubnets = makeTier('public', 'public');
    this.appSubnets = makeTier('app', 'private');
    this.dataSubnets = makeTier('data', 'isolated');

    // Public tier: one route table, default route to the internet gateway.
    const publicRoutes = new RouteTable(this, 'public_route_table', {
      vpcId: this.vpc.id,
      tags: { Name: names.nameTag(prefix, 'public') },
    });
    new Route(this, 'public_default_route', {
      routeTableId: publicRoutes.id,
      destinationCidrBlock: '0.0.0.0/0',
      gatewayId: igw.id,
    });
    this.associate(this.publicSubnets, 'public', () => publicRoutes);

    // NAT gateways in the public subnets: none, the first zone's only, or one per zone.
    const natZones = strategy === 'none' ? [] : strategy === 'single' ? this.publicSubnets.slice(0, 1) : this.publicSubnets;
    this.natGatewayZones = natZones.map((s) => s.availabilityZone);
    this.natGateways = natZones.map(({ availabilityZone, subnet }) => {
      const z = zoneSuffix(availabilityZone);
      const eip = new Eip(this, `nat_eip_${z}`, { domain: 'vpc', tags: { Name: names.nameTag(prefix, 'nat', z) }, dependsOn: [igw] });
      return new NatGateway(this, `nat_gateway_${z}`, {
        allocationId: eip.allocationId,
        subnetId: subnet.id,
        connectivityType: 'public',
        tags: { Name: names.nameTag(prefix, 'nat', z) },
        dependsOn: [igw],
      });
    });

    // App tier: a route table per zone, default route to that zone's NAT (or the single one).
    const appRouteTables: RouteTable[] = [];
    this.appRouteTables = appRouteTables;
    this.appSubnets.forEach(({ availabilityZone }, i) => {
      const z = zoneSuffix(availabilityZone);
      const table = new RouteTable(this, `app_route_table_${z}`, {
        vpcId: this.vpc.id,
        tags: { Name: names.nameTag(prefix, 'app', z) },
      });
      appRouteTables.push(table);
      const nat = this.natGateways[strategy === 'perAz' ? i : 0];
      if (nat) {
        new Route(this, `app_default_route_${z}`, {
          routeTableId: table.id,
          destinationCidrBlock: '0.0.0.0/0',
          natGatewayId: nat.id,
        });
      }
      this.associate([this.appSubnets[i]], 'app', () => table);
    });

    // Data tier: isolated — its route table holds only the implicit local route.
    const dataRoutes = new RouteTable(this, 'data_route_table', {
      vpcId: this.vpc.id,
      tags: { Name: names.nameTag(prefix, 'data') },
    });
    this.associate(this.dataSubnets, 'data', () => dataRoutes);

    this.addFlowLogs(props);
  }

  private associate(subnets: readonly TierSubnet[], tier: string, table: () => RouteTable): void {
    for (const { availabilityZone, subnet } of subnets) {
      new RouteTableAssociation(this, `${tier}_route_table_association_${zoneSuffix(availabilityZone)}`, {
        subnetId: subnet.id,
        routeTableId: table().id,
      });
    }
  }

  private addFlowLogs({ prefix, flowLogRetentionDays, kmsKeyArn, accountId }: NetworkProps): void {
    const logGroup = new CloudwatchLogGroup(this, 'flow_log_group', {
      name: names.flowLogGroup(prefix),
      retentionInDays: flowLogRetentionDays,
      kmsKeyId: kmsKeyArn,
    });
    const role = new IamRole(this, 'flow_log_role', {
      name: names.flowLogRole(prefix),
      description: `VPC flow logs of ${prefix} deliver to CloudWatch Logs`,
      assumeRolePolicy: policyDocument([
        {
          Effect: 'Allow',
          Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
        },
      ]),
    });
    new IamRolePolicy(this, 'flow_log_policy', {
      name: INLINE_POLICIES.flowLogs,
      role: role.id,
      // Only the streams of this one log group (DescribeLogGroups cannot be scoped further).
      policy: policyDocument([
        {
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          Resource: [logGroup.arn, `${logGroup.arn}:*`],
        },
        { Effect: 'Allow', Action: 'logs:DescribeLogGroups', Resource: '*' },
      ]),
    });
    new FlowLog(this, 'flow_log', {
      vpcId: this.vpc.id,
      trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logDestination: logGroup.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: 60,
      tags: { Name: names.nameTag(prefix, 'flow-log') },
    });
  }
}

/** `eu-west-1a` → `a`: readable, stable ids that do not shift when a zone is added. */
export function zoneSuffix(az: string): string {
  return az.slice(-1);
}
