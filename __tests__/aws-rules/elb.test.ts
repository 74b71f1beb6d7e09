/**
 * Elastic Load Balancing: names, zones, listeners, rules and health checks as the ELB API checks them (moto takes an
 * ALB in one zone, a certificate of another region and rules at one priority). Run over every stack of every config
 * under test; each rule also on a copy broken on purpose.
 */
import { certificateBehind } from '../support/aws-rules/certificates';
import { bodyOf, problemsInEveryStack, problemsOfBroken, stacksWith, type Check } from '../support/aws-rules/rules';
import { blocks, regionOf, resourcesOf, target } from '../support/aws-rules/terraform-json';

const NAME = /^(?!-)[A-Za-z0-9-]{1,32}(?<!-)$/;

it('the stacks under test have load balancers, listeners and listener rules', () => {
  for (const type of ['aws_lb', 'aws_lb_listener', 'aws_lb_listener_rule', 'aws_lb_target_group'])
    expect({ type, stacks: stacksWith(type) > 0 }).toEqual({ type, stacks: true });
});

// Elastic Load Balancing API Reference, CreateLoadBalancer (Name: "a maximum of 32 characters, must contain only
// alphanumeric characters or hyphens, must not begin or end with a hyphen, and must not begin with internal-";
// Subnets: "[Application Load Balancers] You must specify subnets from at least two Availability Zones ... only one
// subnet per Availability Zone"), CreateTargetGroup (Name: the same, 32 characters):
// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html,
// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html
describe('load balancers and target groups have names ELB takes, and an ALB spans two zones or more, one subnet each (ELB API Reference, CreateLoadBalancer)', () => {
  const check: Check = (stack) => [
    ...resourcesOf(stack, 'aws_lb').flatMap((lb) => {
      const problems: string[] = [];
      const name = String(lb.body.name);
      if (!NAME.test(name) || name.startsWith('internal-')) problems.push(`${lb.address}: name ${JSON.stringify(name)}`);
      if ((lb.body.load_balancer_type ?? 'application') === 'application') {
        const zones = blocks(lb.body.subnets).map((s) => target(stack, s, 'aws_subnet')?.body.availability_zone);
        if (zones.every((z) => z !== undefined)) {
          if (new Set(zones).size < 2) problems.push(`${lb.address}: subnets in ${new Set(zones).size} zone`);
          if (new Set(zones).size !== zones.length) problems.push(`${lb.address}: two subnets in one zone`);
        }
      }
      return problems;
    }),
    ...resourcesOf(stack, 'aws_lb_target_group')
      .filter((tg) => tg.body.name !== undefined && !NAME.test(String(tg.body.name)))
      .map((tg) => `${tg.address}: name ${JSON.stringify(tg.body.name)}`),
  ];
  it('holds in every stack', () => expect(problemsInEveryStack(check)).toEqual([]));
  it('fails for an ALB in one zone, and a target group name of 33 characters', () => {
    const problems = problemsOfBroken(check, 'aws_lb', (s) => {
      const lb = bodyOf(s, 'aws_lb');
      lb.subnets = [lb.subnets[0]];
      bodyOf(s, 'aws_lb_target_group').name = 'x'.repeat(33);
    });
    expect(problems).toEqual([expect.stringContaining('subnets in 1 zone'), expect.stringContaining(`name "${'x'.repeat(33)}"`)]);
  });
});

// Elastic Load Balancing API Reference, CreateListener (Certificates: "[HTTPS and TLS listeners] ... You must provide
// exactly one certificate"), and ACM User Guide, "Supported Regions" (certificates are regional: to use one with
// Elastic Load Balancing it must be in the load balancer's Region): https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateListener.html,
// https://docs.aws.amazon.com/acm/latest/userguide/acm-regions.html
describe("HTTPS listeners have a certificate of the load balancer's region (ELB API Reference, CreateListener; ACM User Guide, Supported Regions)", () => {
  const check: Check = (stack) =>
    resourcesOf(stack, 'aws_lb_listener').flatMap((l) => {
      if (!['HTTPS', 'TLS'].includes(l.body.protocol)) return [];
      if (l.body.certificate_arn === undefined) return [`${l.address}: an ${l.body.protocol} listener without a certificate`];
      const lb = target(stack, l.body.load_balancer_arn, 'aws_lb');
      const { certificate, region } = certificateBehind(stack, l.body.certificate_arn);
      return lb && region && region !== regionOf(stack, lb.body)
        ? [`${l.address}: ${certificate?.address ?? l.body.certificate_arn} is in ${region}, ${lb.address} in ${regionOf(stack, lb.body)}`]
        : [];
    });
  it('holds in every stack', () => expect(problemsInEveryStack(check)).toEqual([]));
  it("fails for the edge's certificate on the load balancer", () => {
    const problems = problemsOfBroken(check, 'aws_lb_listener_rule', (s) => {
      const edge = resourcesOf(s, 'aws_acm_certificate_validation').find((v) => v.body.provider) as { address: string };
      const listener = resourcesOf(s, 'aws_lb_listener').find((l) => l.body.protocol === 'HTTPS') as { body: Record<string, any> };
      listener.body.certificate_arn = `\${${edge.address}.certificate_arn}`;
    });
    expect(problems).toEqual([expect.stringMatching(/aws_acm_certificate\.\S+ is in us-east-1, aws_lb\.\S+ in [a-z0-9-]+$/)]);
  });
});

// Elastic Load Balancing API Reference, CreateRule (Priority: "A listener can't have multiple rules with the same
// priority", 1–50000), PathPatternConditionConfig and HttpHeaderConditionConfig ("The maximum length of each string is
// 128 characters"; header name "The maximum length is 40 characters ... You can't use an HTTP header condition to
// specify the host header"): https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateRule.html,
// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_HttpHeaderConditionConfig.html
describe('listener rules have distinct priorities in 1–50000 and conditions within ELB limits (ELB API Reference, CreateRule)', () => {
  const check: Check = (stack) => {
    const problems: string[] = [];
    const seen = new Map<string, Map<number, string>>();
    for (const rule of resourcesOf(stack, 'aws_lb_listener_rule')) {
      const listener = String(rule.body.listener_arn);
      const priority = Number(rule.body.priority);
      if (!(priority >= 1 && priority <= 50000)) problems.push(`${rule.address}: priority ${rule.body.priority}`);
      const taken = seen.get(listener) ?? new Map<number, string>();
      if (taken.has(priority)) problems.push(`${rule.address}: priority ${priority} also taken by ${taken.get(priority)}`);
      taken.set(priority, rule.address);
      seen.set(listener, taken);
      for (const c of blocks(rule.body.condition)) {
        for (const v of [...(blocks(c.path_pattern)[0]?.values ?? []), ...(blocks(c.http_header)[0]?.values ?? [])])
          if (String(v).length > 128) problems.push(`${rule.address}: a condition value of ${String(v).length} characters`);
        const header = blocks(c.http_header)[0]?.http_header_name;
        if (header !== undefined && (String(header).length > 40 || String(header).toLowerCase() === 'host'))
          problems.push(`${rule.address}: header condition on ${header}`);
      }
    }
    return problems;
  };
  it('holds in every stack', () => expect(problemsInEveryStack(check)).toEqual([]));
  it('fails for two rules at one priority and a condition on Host', () => {
    const problems = problemsOfBroken(check, 'aws_lb_listener_rule', (s) => {
      const [first, second] = resourcesOf(s, 'aws_lb_listener_rule');
      second.body.priority = first.body.priority;
      const header = blocks(first.body.condition).find((c) => c.http_header) as Record<string, any>;
      header.http_header.http_header_name = 'Host';
    });
    expect(problems).toEqual([
      expect.stringContaining('header condition on Host'),
      expect.stringMatching(/priority \d+ also taken by aws_lb_listener_rule\./),
    ]);
  });
});

// Elastic Load Balancing API Reference, CreateTargetGroup (HealthCheckIntervalSeconds 5–300, HealthCheckTimeoutSeconds
// 2–120, healthy and unhealthy thresholds 2–10, Matcher 200–499 for HTTP and HTTPS) and ModifyTargetGroupAttributes
// (deregistration_delay.timeout_seconds 0–3600): https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html,
// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetGroupAttribute.html
describe('target group health checks and deregistration delay within ELB ranges (ELB API Reference, CreateTargetGroup)', () => {
  const inRange = (value: unknown, min: number, max: number) => value === undefined || (Number(value) >= min && Number(value) <= max);
  const check: Check = (stack) =>
    resourcesOf(stack, 'aws_lb_target_group').flatMap((tg) => {
      const h = blocks(tg.body.health_check)[0] ?? {};
      const problems: string[] = [];
      if (!inRange(h.interval, 5, 300)) problems.push(`interval ${h.interval} s`);
      if (!inRange(h.timeout, 2, 120)) problems.push(`timeout ${h.timeout} s`);
      if (h.timeout !== undefined && h.interval !== undefined && Number(h.timeout) >= Number(h.interval))
        problems.push(`timeout ${h.timeout} s not below the interval ${h.interval} s`);
      if (!inRange(h.healthy_threshold, 2, 10) || !inRange(h.unhealthy_threshold, 2, 10))
        problems.push(`thresholds ${h.healthy_threshold}/${h.unhealthy_threshold}`);
      if (['HTTP', 'HTTPS'].includes(h.protocol ?? tg.body.protocol) && h.matcher !== undefined) {
        const codes = String(h.matcher).split(/[,-]/).map(Number);
        if (codes.some((c) => !(c >= 200 && c <= 499))) problems.push(`matcher ${h.matcher}`);
      }
      if (h.path !== undefined && !String(h.path).startsWith('/')) problems.push(`health check path ${h.path}`);
      if (!inRange(tg.body.deregistration_delay, 0, 3600)) problems.push(`deregistration delay ${tg.body.deregistration_delay} s`);
      return problems.map((p) => `${tg.address}: ${p}`);
    });
  it('holds in every stack', () => expect(problemsInEveryStack(check)).toEqual([]));
  it('fails for a 500 matcher, a timeout as long as the interval, and a delay of an hour and a second', () => {
    const problems = problemsOfBroken(check, 'aws_lb_target_group', (s) => {
      const tg = bodyOf(s, 'aws_lb_target_group');
      Object.assign(tg.health_check, { matcher: '200,500', timeout: tg.health_check.interval });
      tg.deregistration_delay = 3601;
    });
    expect(problems).toEqual([
      expect.stringContaining('not below the interval'),
      expect.stringContaining('matcher 200,500'),
      expect.stringContaining('deregistration delay 3601 s'),
    ]);
  });
});
