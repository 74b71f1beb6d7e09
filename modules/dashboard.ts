import { Construct } from 'constructs';
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { canonicalJson } from './policy-statements';
import { names } from '../naming';

/** A NAT gateway of the stack and the zone it serves. */
export interface DashboardNatGateway {
  /** Zone letter or name, for the legend (`a`). */
  readonly zone: string;
  /** `id` of the NAT gateway (the `NatGatewayId` dimension). */
  readonly id: string;
}

export interface ServiceDashboardProps {
  /** Name prefix, e.g. `web-prod`; the dashboard is `names.dashboard(prefix)`. */
  readonly prefix: string;
  /** Region of every metric (the console opens the dashboard there). */
  readonly region: string;
  /** `arn_suffix` of the load balancer (the `LoadBalancer` dimension). */
  readonly loadBalancerArnSuffix: string;
  /** `arn_suffix` of the target group of the app servers (the `TargetGroup` dimension). */
  readonly targetGroupArnSuffix: string;
  /** Zones the target group spans: one healthy-host line per zone. */
  readonly availabilityZones: readonly string[];
  /** Name of the auto scaling group (the `AutoScalingGroupName` dimension). */
  readonly autoScalingGroupName: string;
  /** Identifier of the database instance (the `DBInstanceIdentifier` dimension). */
  readonly dbInstanceIdentifier: string;
  /** NAT gateways, one line each. @default - none: no NAT widgets */
  readonly natGateways?: readonly DashboardNatGateway[];
  /** Name of the web ACL in front of the load balancer. @default - none: no firewall widget */
  readonly webAclName?: string;
}

/** One metric line: namespace, metric name, dimension name/value pairs, and its rendering options. */
type MetricLine = (string | Record<string, string>)[];

/** A metric widget in CloudWatch's dashboard body format (CloudWatch API Reference, "Dashboard Body Structure and Syntax"). */
interface MetricWidget {
  readonly title: string;
  readonly metrics: readonly MetricLine[];
  /** Statistic of lines that name none. */
  readonly stat: string;
  /** Seconds per data point. */
  readonly period: number;
  /** Unit of the left axis, for readers. @default - none */
  readonly unit?: string;
}

const WIDTH = 12;
const HEIGHT = 6;

/**
 * The environment's CloudWatch dashboard: what on-call opens first. Load balancer requests, 4xx/5xx (from
 * the load balancer and from the app), target response time p50/p95/p99, healthy hosts per zone, app servers
 * in service and desired, their CPU, database CPU, connections, free storage and read/write latency, NAT
 * gateway bytes and errors, and the firewall's allowed and blocked requests when there is one. Every metric
 * names a resource of this stack by reference, so the dashboard follows the stack.
 */
export class ServiceDashboard extends Construct {
  readonly dashboard: CloudwatchDashboard;
  readonly name: string;
  /** The dashboard in the CloudWatch console. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: ServiceDashboardProps) {
    super(scope, id);
    const { region } = props;
    const lb = ['LoadBalancer', props.loadBalancerArnSuffix];
    const asg = ['AutoScalingGroupName', props.autoScalingGroupName];
    const db = ['DBInstanceIdentifier', props.dbInstanceIdentifier];
    const elb = (metric: string, label: string): MetricLine => ['AWS/ApplicationELB', metric, ...lb, { label }];
    const rds = (metric: string, label: string): MetricLine => ['AWS/RDS', metric, ...db, { label }];
    const nats = props.natGateways ?? [];
    const natLines = (metric: string, label: string): MetricLine[] =>
      nats.map((n) => ['AWS/NATGateway', metric, 'NatGatewayId', n.id, { label: `${label} (${n.zone})` }]);

    const widgets: MetricWidget[] = [
      { title: 'Load balancer requests', stat: 'Sum', period: 60, metrics: [elb('RequestCount', 'requests')] },
      {
        title: '4xx and 5xx responses',
        stat: 'Sum',
        period: 60,
        metrics: [
          elb('HTTPCode_ELB_4XX_Count', 'load balancer 4xx'),
          elb('HTTPCode_ELB_5XX_Count', 'load balancer 5xx'),
          elb('HTTPCode_Target_4XX_Count', 'app 4xx'),
          elb('HTTPCode_Target_5XX_Count', 'app 5xx'),
        ],
      },
      {
        title: 'Target response time',
        stat: 'p50',
        period: 60,
        unit: 'Seconds',
        metrics: ['p50', 'p95', 'p99'].map((p) => ['AWS/ApplicationELB', 'TargetResponseTime', ...lb, { label: p, stat: p }]),
      },
      {
        title: 'Healthy hosts per zone',
        stat: 'Minimum',
        period: 60,
        metrics: props.availabilityZones.map((az) => [
          'AWS/ApplicationELB',
          'HealthyHostCount',
          'TargetGroup',
          props.targetGroupArnSuffix,
          ...lb,
          'AvailabilityZone',
          az,
          { label: az },
        ]),
      },
      {
        title: 'App servers in service and desired',
        stat: 'Average',
        period: 60,
        metrics: [
          ['AWS/AutoScaling', 'GroupInServiceInstances', ...asg, { label: 'in service' }],
          ['AWS/AutoScaling', 'GroupDesiredCapacity', ...asg, { label: 'desired' }],
        ],
      },
      {
        title: 'App servers CPU',
        stat: 'Average',
        period: 60,
        unit: 'Percent',
        metrics: [
          ['AWS/EC2', 'CPUUtilization', ...asg, { label: 'average' }],
          ['AWS/EC2', 'CPUUtilization', ...asg, { label: 'maximum', stat: 'Maximum' }],
        ],
      },
      { title: 'Database CPU', stat: 'Average', period: 60, unit: 'Percent', metrics: [rds('CPUUtilization', 'CPU')] },
      { title: 'Database connections', stat: 'Maximum', period: 60, metrics: [rds('DatabaseConnections', 'connections')] },
      { title: 'Database free storage', stat: 'Minimum', period: 300, unit: 'Bytes', metrics: [rds('FreeStorageSpace', 'free storage')] },
      {
        title: 'Database read and write latency',
        stat: 'Average',
        period: 60,
        unit: 'Seconds',
        metrics: [rds('ReadLatency', 'read'), rds('WriteLatency', 'write')],
      },
    ];
    if (nats.length > 0) {
      widgets.push(
        {
          title: 'NAT gateway bytes',
          stat: 'Sum',
          period: 300,
          unit: 'Bytes',
          metrics: [...natLines('BytesOutToDestination', 'out'), ...natLines('BytesInFromDestination', 'in')],
        },
        {
          title: 'NAT gateway errors',
          stat: 'Sum',
          period: 300,
          metrics: [...natLines('ErrorPortAllocation', 'port allocation errors'), ...natLines('PacketsDropCount', 'dropped packets')],
        },
      );
    }
    if (props.webAclName !== undefined) {
      const waf = (metric: string, label: string): MetricLine => [
        'AWS/WAFV2',
        metric,
        'WebACL',
        props.webAclName as string,
        'Region',
        region,
        'Rule',
        'ALL',
        { label },
      ];
      widgets.push({
        title: 'Firewall requests',
        stat: 'Sum',
        period: 300,
        metrics: [waf('AllowedRequests', 'allowed'), waf('BlockedRequests', 'blocked')],
      });
    }

    this.name = names.dashboard(props.prefix);
    this.dashboard = new CloudwatchDashboard(this, 'dashboard', {
      dashboardName: this.name,
      // Keys in jsonencode's order, compact: the plain-Terraform export writes it as jsonencode({...}).
      dashboardBody: canonicalJson({
        widgets: widgets.map((w, i) => ({
          type: 'metric',
          x: (i % 2) * WIDTH,
          y: Math.floor(i / 2) * HEIGHT,
          width: WIDTH,
          height: HEIGHT,
          properties: {
            title: w.title,
            view: 'timeSeries',
            stacked: false,
            region,
            stat: w.stat,
            period: w.period,
            metrics: w.metrics,
            ...(w.unit ? { yAxis: { left: { label: w.unit, showUnits: false } } } : {}),
          },
        })),
      }),
    });
    this.url = names.dashboardUrl(region, this.name);
  }
}
