/**
 * The CloudWatch dashboard of every environment stack: each widget's metric names a resource of the stack
 * (no dangling dimension), the widgets cover what on-call needs, and dev and prod differ exactly as their
 * configs do (NAT lines per gateway, healthy hosts per zone, the firewall widget).
 */
import type { EnvironmentConfig, PlatformInput } from '../config/types';
import { names, prefixOf, webStackName } from '../naming';
import { configWith } from './support/config';
import { environmentStacks, shipped } from './support/stacks';
import { synth, type StackJson } from './support/synth';

/** Which resource attribute each dimension must refer to; `literal` ones are checked against the stack otherwise. */
const DIMENSIONS: Readonly<Record<string, { type: string; attribute: string } | 'zone' | 'region' | 'all'>> = {
  LoadBalancer: { type: 'aws_lb', attribute: 'arn_suffix' },
  TargetGroup: { type: 'aws_lb_target_group', attribute: 'arn_suffix' },
  AutoScalingGroupName: { type: 'aws_autoscaling_group', attribute: 'name' },
  DBInstanceIdentifier: { type: 'aws_db_instance', attribute: 'identifier' },
  NatGatewayId: { type: 'aws_nat_gateway', attribute: 'id' },
  WebACL: { type: 'aws_wafv2_web_acl', attribute: 'name' },
  AvailabilityZone: 'zone',
  Region: 'region',
  Rule: 'all',
};

interface Line {
  readonly widget: string;
  readonly namespace: string;
  readonly metric: string;
  readonly dimensions: Readonly<Record<string, string>>;
}

function dashboardOf(stack: StackJson): { name: string; widgets: any[] } {
  const dashboards = Object.values(stack.resource.aws_cloudwatch_dashboard ?? {});
  expect(dashboards).toHaveLength(1);
  const [dashboard] = dashboards as any[];
  return { name: dashboard.dashboard_name, widgets: JSON.parse(dashboard.dashboard_body).widgets };
}

function linesOf(stack: StackJson): Line[] {
  return dashboardOf(stack).widgets.flatMap((w: any) =>
    (w.properties.metrics as any[][]).map((m) => {
      const pairs = m.slice(2).filter((x) => typeof x === 'string');
      const dimensions: Record<string, string> = {};
      for (let i = 0; i < pairs.length; i += 2) dimensions[pairs[i]] = pairs[i + 1];
      return { widget: w.properties.title, namespace: m[0], metric: m[1], dimensions };
    }),
  );
}

/** Every dimension of `stack`'s dashboard that does not name a resource of the stack (empty when all do). */
function danglingDimensions(stack: StackJson): string[] {
  const region = stack.provider.aws[0].region;
  const zones = new Set(Object.values(stack.resource.aws_subnet ?? {}).map((s: any) => s.availability_zone));
  const problems: string[] = [];
  for (const line of linesOf(stack)) {
    for (const [dimension, value] of Object.entries(line.dimensions)) {
      const rule = DIMENSIONS[dimension];
      const where = `${line.widget}: ${line.namespace} ${line.metric} ${dimension}=${value}`;
      if (rule === undefined) problems.push(`${where}: a dimension the test does not know`);
      else if (rule === 'zone') {
        if (!zones.has(value)) problems.push(`${where}: not a zone of the stack's subnets`);
      } else if (rule === 'region') {
        if (value !== region) problems.push(`${where}: not the stack's region ${region}`);
      } else if (rule === 'all') {
        if (value !== 'ALL') problems.push(`${where}: expected ALL`);
      } else {
        const ref = /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_]+)\.([a-z_]+)\}$/.exec(value);
        if (!ref) problems.push(`${where}: not a reference to a resource`);
        else if (ref[1] !== rule.type || ref[3] !== rule.attribute)
          problems.push(`${where}: expected the ${rule.attribute} of an ${rule.type}`);
        else if (!stack.resource[ref[1]]?.[ref[2]]) problems.push(`${where}: no ${ref[1]}.${ref[2]} in the stack`);
      }
    }
  }
  return problems;
}

const natCount = (env: EnvironmentConfig) =>
  env.natGateways === 'none' ? 0 : env.natGateways === 'single' ? 1 : env.availabilityZones.length;

/** The lines the config calls for, as `namespace metric` → count. */
function expectedLines(env: EnvironmentConfig): Record<string, number> {
  const nats = natCount(env);
  const expected: Record<string, number> = {
    'AWS/ApplicationELB RequestCount': 1,
    'AWS/ApplicationELB HTTPCode_ELB_4XX_Count': 1,
    'AWS/ApplicationELB HTTPCode_ELB_5XX_Count': 1,
    'AWS/ApplicationELB HTTPCode_Target_4XX_Count': 1,
    'AWS/ApplicationELB HTTPCode_Target_5XX_Count': 1,
    'AWS/ApplicationELB TargetResponseTime': 3,
    'AWS/ApplicationELB HealthyHostCount': env.availabilityZones.length,
    'AWS/AutoScaling GroupInServiceInstances': 1,
    'AWS/AutoScaling GroupDesiredCapacity': 1,
    'AWS/EC2 CPUUtilization': 2,
    'AWS/RDS CPUUtilization': 1,
    'AWS/RDS DatabaseConnections': 1,
    'AWS/RDS FreeStorageSpace': 1,
    'AWS/RDS ReadLatency': 1,
    'AWS/RDS WriteLatency': 1,
    'AWS/NATGateway BytesOutToDestination': nats,
    'AWS/NATGateway BytesInFromDestination': nats,
    'AWS/NATGateway ErrorPortAllocation': nats,
    'AWS/NATGateway PacketsDropCount': nats,
    'AWS/WAFV2 AllowedRequests': env.webFirewall.enabled ? 1 : 0,
    'AWS/WAFV2 BlockedRequests': env.webFirewall.enabled ? 1 : 0,
  };
  return Object.fromEntries(Object.entries(expected).filter(([, n]) => n > 0));
}

function countLines(stack: StackJson): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const l of linesOf(stack)) counts[`${l.namespace} ${l.metric}`] = (counts[`${l.namespace} ${l.metric}`] ?? 0) + 1;
  return counts;
}

const { stacks } = synth();

describe.each(environmentStacks())('$stack dashboard', ({ env, stack }) => {
  const json = stacks[stack];

  it('refers only to resources of the stack: no dangling dimension', () => {
    expect(danglingDimensions(json)).toEqual([]);
  });

  it('has the lines the config calls for: ALB, response time percentiles, healthy hosts per zone, ASG, CPU, RDS, NAT per gateway, firewall', () => {
    expect(countLines(json)).toEqual(expectedLines(env));
    const zones = linesOf(json)
      .filter((l) => l.metric === 'HealthyHostCount')
      .map((l) => l.dimensions.AvailabilityZone);
    expect(zones).toEqual([...env.availabilityZones]);
    const percentiles = dashboardOf(json)
      .widgets.flatMap((w: any) => w.properties.metrics)
      .filter((m: any[]) => m[1] === 'TargetResponseTime')
      .map((m: any[]) => m.at(-1).stat);
    expect(percentiles).toEqual(['p50', 'p95', 'p99']);
  });

  it('is named by the naming module, lays widgets on the 24-column grid, and its console URL is an output', () => {
    const { name, widgets } = dashboardOf(json);
    expect(name).toBe(names.dashboard(prefixOf(shipped.project, env.name)));
    for (const w of widgets) {
      expect(w).toMatchObject({ type: 'metric', width: 12, height: 6, properties: { region: env.region } });
      expect(w.x + w.width).toBeLessThanOrEqual(24);
    }
    expect(new Set(widgets.map((w: any) => `${w.x},${w.y}`)).size).toBe(widgets.length);
    expect(json.output.dashboard_url.value).toBe(names.dashboardUrl(env.region, name));
  });
});

describe('dev and prod dashboards differ as their configs do', () => {
  const [first, ...others] = environmentStacks();
  it.each(others.map((o) => [first.stack, o.stack, first, o] as const))(
    '%s vs %s: NAT lines per gateway, healthy hosts per zone',
    (_a, _b, a, b) => {
      const nat = (s: string) => countLines(stacks[s])['AWS/NATGateway BytesOutToDestination'] ?? 0;
      const healthy = (s: string) => countLines(stacks[s])['AWS/ApplicationELB HealthyHostCount'];
      expect([nat(a.stack), nat(b.stack)]).toEqual([natCount(a.env), natCount(b.env)]);
      expect([healthy(a.stack), healthy(b.stack)]).toEqual([a.env.availabilityZones.length, b.env.availabilityZones.length]);
    },
  );
});

describe('variants', () => {
  const variant = (edit: (e: any) => void): PlatformInput => configWith(edit, 'prod');
  it('no NAT gateways and no firewall: no NAT or firewall widget, still nothing dangling', () => {
    const config = variant((e) => {
      e.natGateways = 'none';
      e.webFirewall = { enabled: false };
      e.policySuppressions = [{ rule: 'elb-waf', reason: 'An upstream CDN with its own WAF filters all traffic to this load balancer.' }];
    });
    const json = synth(config).stacks[webStackName(shipped.project, 'prod')];
    const counts = countLines(json);
    expect(Object.keys(counts).filter((k) => k.startsWith('AWS/NATGateway') || k.startsWith('AWS/WAFV2'))).toEqual([]);
    expect(danglingDimensions(json)).toEqual([]);
  });

  it('the check finds a dimension that names no resource of the stack', () => {
    const json = structuredClone(stacks[environmentStacks()[0].stack]);
    const dashboard = Object.values(json.resource.aws_cloudwatch_dashboard)[0] as any;
    dashboard.dashboard_body = dashboard.dashboard_body.replace(
      '${aws_db_instance.database_instance.identifier}',
      '${aws_db_instance.gone.identifier}',
    );
    expect(danglingDimensions(json)).toEqual(expect.arrayContaining([expect.stringContaining('no aws_db_instance.gone in the stack')]));
  });
});
