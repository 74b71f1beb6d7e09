/**
 * EC2 Auto Scaling and its launch template: the instance refresh a release starts (the stack's rollout local, which
 * `npm run release` sends to StartInstanceRefresh as it is), the group, its notifications and scaling policies, and
 * the instances it launches. moto stores all of it and starts no refresh, notifies nobody and launches what it is
 * told. Run over every stack of every config under test; each rule also on a copy broken on purpose.
 */
import { bodyOf, problemsInEveryStack, problemsOfBroken, stacksWith, type Check } from '../support/aws-rules/rules';
import { blocks, regionOf, resourcesOf, statements, target } from '../support/aws-rules/terraform-json';
import type { StackJson } from '../support/synth';

/** The locals that hold an instance refresh: `{ auto_scaling_group, preferences, ... }` (the web stack's rollout). */
function rollouts(stack: StackJson): [string, Record<string, any>][] {
  return Object.entries(stack.locals ?? {}).filter(
    ([, v]) => typeof v === 'object' && v !== null && 'preferences' in v && 'auto_scaling_group' in v,
  ) as [string, Record<string, any>][];
}
/** The one rollout local of a copy (for edits). */
const rolloutOf = (stack: StackJson) => rollouts(stack)[0][1];

it('the stacks under test have groups and the instance refresh of their releases', () => {
  expect(stacksWith('aws_autoscaling_group')).toBeGreaterThan(0);
  expect(
    problemsInEveryStack((s) =>
      resourcesOf(s, 'aws_autoscaling_group').length > 0 && rollouts(s).length === 0 ? ['a group without a rollout local'] : [],
    ),
  ).toEqual([]);
});

// EC2 Auto Scaling API Reference, RefreshPreferences (MinHealthyPercentage "0 to 100"; MaxHealthyPercentage "100 to
// 200 ... the difference between them cannot be greater than 100"; CheckpointPercentages "in ascending order. Each
// number must be unique ... the last number in the array must be 100"; CheckpointDelay, 0–172800 s, only with
// CheckpointPercentages; ScaleInProtectedInstances Refresh | Ignore | Wait; StandbyInstances Terminate | Ignore |
// Wait), AlarmSpecification ("up to 10 alarms"), StartInstanceRefresh (Strategy Rolling | ReplaceRootVolume):
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RefreshPreferences.html,
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_StartInstanceRefresh.html
describe('the instance refresh of a release has preferences StartInstanceRefresh accepts (EC2 Auto Scaling API Reference, RefreshPreferences)', () => {
  const check: Check = (stack) =>
    rollouts(stack).flatMap(([name, rollout]) => {
      const p = rollout.preferences ?? {};
      const where = `local.${name}`;
      const problems: string[] = [];
      const min = Number(p.min_healthy_percentage ?? 90);
      const max = p.max_healthy_percentage === undefined ? undefined : Number(p.max_healthy_percentage);
      if (!(min >= 0 && min <= 100)) problems.push(`${where}: minimum healthy ${min}%`);
      if (max !== undefined && !(max >= 100 && max <= 200)) problems.push(`${where}: maximum healthy ${max}%`);
      if (max !== undefined && max - min > 100) problems.push(`${where}: ${max}% − ${min}% is more than 100 points apart`);
      if (max !== undefined && p.min_healthy_percentage === undefined)
        problems.push(`${where}: a maximum healthy percentage without a minimum`);
      const checkpoints: number[] = (p.checkpoint_percentages ?? []).map(Number);
      if (checkpoints.some((c, i) => !(c >= 1 && c <= 100) || (i > 0 && c <= checkpoints[i - 1])))
        problems.push(`${where}: checkpoints ${checkpoints.join(', ')} are not unique and ascending in 1–100`);
      if (checkpoints.length > 0 && checkpoints[checkpoints.length - 1] !== 100)
        problems.push(`${where}: the last checkpoint is ${checkpoints[checkpoints.length - 1]}, not 100`);
      if (p.checkpoint_delay !== undefined && checkpoints.length === 0) problems.push(`${where}: a checkpoint delay without checkpoints`);
      if (p.checkpoint_delay !== undefined && !(Number(p.checkpoint_delay) >= 0 && Number(p.checkpoint_delay) <= 172800))
        problems.push(`${where}: checkpoint delay ${p.checkpoint_delay} s`);
      if (p.instance_warmup !== undefined && !(Number(p.instance_warmup) >= 0))
        problems.push(`${where}: instance warmup ${p.instance_warmup}`);
      if (p.scale_in_protected_instances !== undefined && !['Refresh', 'Ignore', 'Wait'].includes(p.scale_in_protected_instances))
        problems.push(`${where}: scale-in protected instances ${p.scale_in_protected_instances}`);
      if (p.standby_instances !== undefined && !['Terminate', 'Ignore', 'Wait'].includes(p.standby_instances))
        problems.push(`${where}: standby instances ${p.standby_instances}`);
      if (rollout.strategy !== undefined && !['Rolling', 'ReplaceRootVolume'].includes(rollout.strategy))
        problems.push(`${where}: strategy ${rollout.strategy}`);
      const alarms: string[] = (p.alarms ?? []).map(String);
      if (alarms.length > 10) problems.push(`${where}: ${alarms.length} alarms (10 at most)`);
      const names = resourcesOf(stack, 'aws_cloudwatch_metric_alarm').map((a) => String(a.body.alarm_name));
      for (const alarm of alarms.filter((a) => !names.includes(a))) problems.push(`${where}: alarm ${alarm} is no alarm of the stack`);
      return problems;
    });
  it('holds in every stack', () => expect(problemsInEveryStack(check)).toEqual([]));
  it('fails for 50–200%, checkpoints that end at 80, and an alarm nobody made', () => {
    const problems = problemsOfBroken(check, 'aws_autoscaling_group', (s) => {
      const p = rolloutOf(s).preferences;
      Object.assign(p, {
        min_healthy_percentage: 50,
        max_healthy_percentage: 200,
        checkpoint_percentages: [40, 80],
        alarms: [...p.alarms, 'web-nobody'],
      });
    });
    expect(problems).toEqual([
      expect.stringContaining('200% − 50% is more than 100 points apart'),
      expect.stringContaining('the last checkpoint is 80, not 100'),
      expect.stringContaining('alarm web-nobody is no alarm of the stack'),
    ]);
  });
});

// EC2 Auto Scaling API Reference, RefreshPreferences, AutoRollback ("A rollback is not supported ... The Auto Scaling
// group has a launch template that uses an AWS Systems Manager parameter instead of an AMI ID ... uses the launch
// template's $Latest or $Default version"), and User Guide, "Undo changes with a manual or auto rollback" ("You can
// only roll back to a previous version of a launch template if the version is a specific numbered version"):
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RefreshPreferences.html,
// https://docs.aws.amazon.com/autoscaling/ec2/userguide/instance-refresh-rollback.html
describe('a refresh that rolls back names numbered launch template versions with a concrete AMI (EC2 Auto Scaling API Reference, RefreshPreferences, AutoRollback)', () => {
  const numbered = (version: unknown) => /^\d+$/.test(String(version)) || /\.(latest|default)_version\}$/.test(String(version));
  const check: Check = (stack) =>
    rollouts(stack).flatMap(([name, rollout]) => {
      if (rollout.preferences?.auto_rollback !== true) return [];
      const where = `local.${name}`;
      const problems: string[] = [];
      if (!numbered(rollout.launch_template_version))
        problems.push(`${where}: rolls back to launch template version ${rollout.launch_template_version}`);
      if (String(rollout.image_id).startsWith('resolve:ssm:'))
        problems.push(`${where}: rolls back a template whose AMI is ${rollout.image_id}`);
      const group = target(stack, rollout.auto_scaling_group, 'aws_autoscaling_group');
      for (const spec of blocks(group?.body.launch_template))
        if (!numbered(spec.version)) problems.push(`${where}: ${group?.address} uses launch template version ${spec.version}`);
      const template = target(stack, rollout.launch_template_id, 'aws_launch_template');
      if (template && template.body.image_id !== rollout.image_id)
        problems.push(`${where}: image ${rollout.image_id}, the template ${template.body.image_id}`);
      return problems;
    });
  it('holds in every stack', () => expect(problemsInEveryStack(check)).toEqual([]));
  it('fails for $Latest on the group and an AMI resolved at launch', () => {
    const problems = problemsOfBroken(check, 'aws_autoscaling_group', (s) => {
      bodyOf(s, 'aws_autoscaling_group').launch_template.version = '$Latest';
      Object.assign(rolloutOf(s), { image_id: 'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64' });
      rolloutOf(s).preferences.auto_rollback = true;
    });
    expect(problems).toEqual([
      expect.stringContaining('rolls back a template whose AMI is resolve:ssm:'),
      expect.stringContaining('uses launch template version $Latest'),
      expect.stringContaining('image resolve:ssm:'),
    ]);
  });
});

const METRICS = [
  'GroupMinSize', 'GroupMaxSize', 'GroupDesiredCapacity', 'GroupInServiceInstances', 'GroupPendingInstances', 'GroupStandbyInstances',
  'GroupTerminatingInstances', 'GroupTotalInstances', 'GroupInServiceCapacity', 'GroupPendingCapacity', 'GroupStandbyCapacity',
  'GroupTerminatingCapacity', 'GroupTotalCapacity', 'WarmPoolDesiredCapacity', 'WarmPoolWarmedCapacity', 'WarmPoolPendingCapacity',
  'WarmPoolTerminatingCapacity', 'WarmPoolTotalCapacity', 'GroupAndWarmPoolDesiredCapacity', 'GroupAndWarmPoolTotalCapacity',
]; // prettier-ignore

// EC2 Auto Scaling API Reference, CreateAutoScalingGroup (MinSize ≤ DesiredCapacity ≤ MaxSize; HealthCheckType EC2,
// EBS, ELB, VPC_LATTICE; HealthCheckGracePeriod in seconds), EnableMetricsCollection (the metrics it knows), and
// DescribeAutoScalingNotificationTypes (the five notification types):
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_CreateAutoScalingGroup.html,
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_EnableMetricsCollection.html,
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeAutoScalingNotificationTypes.html
describe('groups: sizes in order, health checks and metrics Auto Scaling knows, notifications of known types to a topic of the region (EC2 Auto Scaling API Reference, CreateAutoScalingGroup)', () => {
  const NOTIFICATIONS = [
    'autoscaling:EC2_INSTANCE_LAUNCH',
    'autoscaling:EC2_INSTANCE_LAUNCH_ERROR',
    'autoscaling:EC2_INSTANCE_TERMINATE',
    'autoscaling:EC2_INSTANCE_TERMINATE_ERROR',
    'autoscaling:TEST_NOTIFICATION',
  ];
  const check: Check = (stack) => [
    ...resourcesOf(stack, 'aws_autoscaling_group').flatMap((g) => {
      const b = g.body;
      const problems: string[] = [];
      const [min, max] = [Number(b.min_size), Number(b.max_size)];
      const desired = b.desired_capacity === undefined ? min : Number(b.desired_capacity);
      if (!(min <= desired && desired <= max)) problems.push(`${g.address}: sizes ${min} ≤ ${desired} ≤ ${max} out of order`);
      const types = String(b.health_check_type ?? 'EC2').split(',');
      if (types.some((t) => !['EC2', 'ELB', 'EBS', 'VPC_LATTICE'].includes(t)))
        problems.push(`${g.address}: health check type ${b.health_check_type}`);
      if (types.includes('ELB') && blocks(b.target_group_arns).length + blocks(b.load_balancers).length === 0)
        problems.push(`${g.address}: ELB health checks without a load balancer`);
      if (b.health_check_grace_period !== undefined && !(Number(b.health_check_grace_period) >= 0))
        problems.push(`${g.address}: grace period ${b.health_check_grace_period}`);
      for (const m of blocks(b.enabled_metrics)
        .map(String)
        .filter((x) => !METRICS.includes(x)))
        problems.push(`${g.address}: metric ${m}`);
      if (blocks(b.vpc_zone_identifier).length === 0 && blocks(b.availability_zones).length === 0)
        problems.push(`${g.address}: no subnets or zones`);
      return problems;
    }),
    ...resourcesOf(stack, 'aws_autoscaling_notification').flatMap((n) => {
      const problems = blocks(n.body.notifications)
        .map(String)
        .filter((t) => !NOTIFICATIONS.includes(t))
        .map((t) => `${n.address}: notification type ${t}`);
      const topic = target(stack, n.body.topic_arn, 'aws_sns_topic');
      if (topic && regionOf(stack, topic.body) !== regionOf(stack, n.body))
        problems.push(`${n.address}: ${topic.address} in another region`);
      return problems;
    }),
  ];
  it('holds in every stack', () => expect(problemsInEveryStack(check)).toEqual([]));
  it('fails for a desired capacity above the maximum, a lifecycle event as a notification, and a metric Auto Scaling does not know', () => {
    const problems = problemsOfBroken(check, 'aws_autoscaling_notification', (s) => {
      const g = bodyOf(s, 'aws_autoscaling_group');
      Object.assign(g, { desired_capacity: Number(g.max_size) + 1, enabled_metrics: [...g.enabled_metrics, 'GroupCpu'] });
      bodyOf(s, 'aws_autoscaling_notification').notifications.push('autoscaling:EC2_INSTANCE_LAUNCHING');
    });
    expect(problems).toEqual([
      expect.stringContaining('out of order'),
      expect.stringContaining('metric GroupCpu'),
      expect.stringContaining('notification type autoscaling:EC2_INSTANCE_LAUNCHING'),
    ]);
  });
});

// EC2 Auto Scaling API Reference, PutScalingPolicy (PolicyType; AdjustmentType "ChangeInCapacity, ExactCapacity, and
// PercentChangeInCapacity ... Required if the policy type is StepScaling or SimpleScaling"; MinAdjustmentMagnitude
// "when the adjustment type is PercentChangeInCapacity"; StepAdjustments "Required if the policy type is StepScaling"),
// StepAdjustment ("The ranges of your step adjustments can't overlap or have a gap ... The upper and lower bound can't
// be null in the same step adjustment"), PredefinedMetricSpecification (the metric types):
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_PutScalingPolicy.html,
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_StepAdjustment.html
describe('scaling policies are of a type, adjustment and metric Auto Scaling takes, with steps that neither overlap nor leave gaps (EC2 Auto Scaling API Reference, PutScalingPolicy, StepAdjustment)', () => {
  const METRIC_TYPES = [
    'ASGAverageCPUUtilization',
    'ASGAverageCPUUtilizationHighResolution',
    'ASGAverageNetworkIn',
    'ASGAverageNetworkOut',
    'ALBRequestCountPerTarget',
  ];
  /** Problems of a step policy's adjustments, as intervals over the metric's distance from the alarm threshold. */
  function stepProblems(steps: Record<string, any>[]): string[] {
    const bound = (v: unknown) => (v === undefined || v === null || v === '' ? undefined : Number(v));
    const ranges = steps.map((s) => [bound(s.metric_interval_lower_bound), bound(s.metric_interval_upper_bound)] as const);
    const problems: string[] = [];
    if (ranges.some(([lo, hi]) => lo === undefined && hi === undefined)) problems.push('a step without bounds');
    if (ranges.filter(([lo]) => lo === undefined).length > 1 || ranges.filter(([, hi]) => hi === undefined).length > 1)
      problems.push('more than one open-ended step on a side');
    const sorted = [...ranges].sort((a, b) => (a[0] ?? -Infinity) - (b[0] ?? -Infinity));
    for (let i = 1; i < sorted.length; i++)
      if ((sorted[i - 1][1] ?? Infinity) !== (sorted[i][0] ?? -Infinity))
        problems.push(`steps ${JSON.stringify(sorted[i - 1])} and ${JSON.stringify(sorted[i])} overlap or leave a gap`);
    if (ranges.some(([lo]) => lo !== undefined && lo < 0) && !ranges.some(([lo]) => lo === undefined))
      problems.push('a negative lower bound without a step open below');
    if (ranges.some(([, hi]) => hi !== undefined && hi > 0) && !ranges.some(([, hi]) => hi === undefined))
      problems.push('a positive upper bound without a step open above');
    return problems;
  }
  const check: Check = (stack) =>
    resourcesOf(stack, 'aws_autoscaling_policy').flatMap((p) => {
      const b = p.body;
      const type = b.policy_type ?? 'SimpleScaling';
      const problems: string[] = [];
      if (!['TargetTrackingScaling', 'StepScaling', 'SimpleScaling', 'PredictiveScaling'].includes(type))
        problems.push(`policy type ${type}`);
      if (
        ['StepScaling', 'SimpleScaling'].includes(type) &&
        !['ChangeInCapacity', 'ExactCapacity', 'PercentChangeInCapacity'].includes(b.adjustment_type)
      )
        problems.push(`adjustment type ${b.adjustment_type}`);
      if (b.min_adjustment_magnitude !== undefined && b.adjustment_type !== 'PercentChangeInCapacity')
        problems.push(`a minimum adjustment magnitude with ${b.adjustment_type}`);
      if (type === 'StepScaling')
        problems.push(...(blocks(b.step_adjustment).length === 0 ? ['no step adjustments'] : stepProblems(blocks(b.step_adjustment))));
      for (const t of blocks(b.target_tracking_configuration)) {
        const metric = blocks(t.predefined_metric_specification)[0];
        if (metric && !METRIC_TYPES.includes(metric.predefined_metric_type))
          problems.push(`predefined metric ${metric.predefined_metric_type}`);
        if (metric?.predefined_metric_type === 'ALBRequestCountPerTarget' && !metric.resource_label)
          problems.push('ALBRequestCountPerTarget without its resource label');
      }
      return problems.map((what) => `${p.address}: ${what}`);
    });
  it('holds in every stack', () => expect(problemsInEveryStack(check)).toEqual([]));
  it('fails for a step policy with a gap and a magnitude on an exact capacity', () => {
    const problems = problemsOfBroken(check, 'aws_autoscaling_policy', (s) => {
      const step = resourcesOf(s, 'aws_autoscaling_policy').find((p) => p.body.policy_type === 'StepScaling')?.body as Record<string, any>;
      step.adjustment_type = 'ExactCapacity';
      step.step_adjustment = [
        { metric_interval_lower_bound: 0, metric_interval_upper_bound: 10, scaling_adjustment: 1 },
        { metric_interval_lower_bound: 20, scaling_adjustment: 2 },
      ];
    });
    expect(problems).toEqual([
      expect.stringContaining('a minimum adjustment magnitude with ExactCapacity'),
      expect.stringContaining('overlap or leave a gap'),
    ]);
  });
});

// EC2 API Reference, RequestLaunchTemplateData (SecurityGroupIds: "If you specify a network interface, you must specify
// any security groups as part of the network interface"), LaunchTemplateInstanceMetadataOptionsRequest (HttpTokens
// optional | required; HttpPutResponseHopLimit "Integers from 1 to 64"), CreateVolume (gp3 of 1–16,384 GiB), and
// EC2 User Guide, "IAM roles for Amazon EC2" (the instance profile's role trusts ec2.amazonaws.com):
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RequestLaunchTemplateData.html,
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_LaunchTemplateInstanceMetadataOptionsRequest.html,
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/iam-roles-for-amazon-ec2.html
describe('launch templates: security groups on the network interface, IMDS options EC2 takes, volumes of a valid size, an instance profile EC2 can assume (EC2 API Reference, RequestLaunchTemplateData)', () => {
  const SIZES: Record<string, readonly [number, number]> = {
    gp2: [1, 16384],
    gp3: [1, 16384],
    io1: [4, 16384],
    io2: [4, 65536],
    st1: [125, 16384],
    sc1: [125, 16384],
    standard: [1, 1024],
  };
  const check: Check = (stack) =>
    resourcesOf(stack, 'aws_launch_template').flatMap((t) => {
      const b = t.body;
      const problems: string[] = [];
      if (
        blocks(b.network_interfaces).length > 0 &&
        (blocks(b.vpc_security_group_ids).length > 0 || blocks(b.security_group_names).length > 0)
      )
        problems.push('security groups both on the template and on its network interface');
      const imds = blocks(b.metadata_options)[0];
      if (imds) {
        if (imds.http_tokens !== undefined && !['optional', 'required'].includes(imds.http_tokens))
          problems.push(`http_tokens ${imds.http_tokens}`);
        if (imds.http_endpoint !== undefined && !['enabled', 'disabled'].includes(imds.http_endpoint))
          problems.push(`http_endpoint ${imds.http_endpoint}`);
        const hops = imds.http_put_response_hop_limit;
        if (hops !== undefined && !(Number(hops) >= 1 && Number(hops) <= 64)) problems.push(`hop limit ${hops}`);
      }
      for (const m of blocks(b.block_device_mappings)) {
        const ebs = blocks(m.ebs)[0];
        if (!ebs?.volume_size) continue;
        const [min, max] = SIZES[ebs.volume_type ?? 'gp2'] ?? [NaN, NaN];
        if (!(Number(ebs.volume_size) >= min && Number(ebs.volume_size) <= max))
          problems.push(`${m.device_name}: ${ebs.volume_size} GiB of ${ebs.volume_type}`);
      }
      const profile = target(
        stack,
        blocks(b.iam_instance_profile)[0]?.arn ?? blocks(b.iam_instance_profile)[0]?.name,
        'aws_iam_instance_profile',
      );
      const role =
        profile &&
        (target(stack, profile.body.role, 'aws_iam_role') ??
          resourcesOf(stack, 'aws_iam_role').find((r) => r.body.name === profile.body.role));
      if (profile && !role) problems.push(`${profile.address} has no role of the stack`);
      if (
        role &&
        !statements(role.body.assume_role_policy, role.address).some(
          (s) => s.effect === 'Allow' && s.principalsByType.Service?.includes('ec2.amazonaws.com') && s.actions.includes('sts:AssumeRole'),
        )
      )
        problems.push(`${role.address} does not let ec2.amazonaws.com assume it`);
      return problems.map((what) => `${t.address}: ${what}`);
    });
  it('holds in every stack', () => expect(problemsInEveryStack(check)).toEqual([]));
  it('fails for groups on both, a hop limit of 0, and a role that trusts Lambda', () => {
    const problems = problemsOfBroken(check, 'aws_launch_template', (s) => {
      const t = bodyOf(s, 'aws_launch_template');
      Object.assign(t, { vpc_security_group_ids: ['sg-0123456789abcdef0'] });
      t.metadata_options.http_put_response_hop_limit = 0;
      for (const r of resourcesOf(s, 'aws_iam_role'))
        r.body.assume_role_policy = String(r.body.assume_role_policy).replace('ec2.amazonaws.com', 'lambda.amazonaws.com');
    });
    expect(problems).toEqual([
      expect.stringContaining('security groups both on the template and on its network interface'),
      expect.stringContaining('hop limit 0'),
      expect.stringMatching(/aws_iam_role\.\S+ does not let ec2\.amazonaws\.com assume it$/),
    ]);
  });
});
