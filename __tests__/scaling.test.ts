import { prod } from '../config/environments';
import { single } from './support/config';
import { resource, resources, synth } from './support/synth';

const stack = synth().stacks['web-prod'];
const ASG = '${aws_autoscaling_group.app_servers_auto_scaling_group.name}';

describe('step scaling on CPU (the seeds’ rule)', () => {
  it('adds 30 % capacity, at least one instance, when the high-CPU alarm fires', () => {
    expect(resource(stack, 'aws_autoscaling_policy', 'scaling_scale_out_policy')).toMatchObject({
      autoscaling_group_name: ASG,
      policy_type: 'StepScaling',
      adjustment_type: 'PercentChangeInCapacity',
      min_adjustment_magnitude: 1,
      step_adjustment: [{ scaling_adjustment: 30, metric_interval_lower_bound: 0 }],
    });
  });

  it('fires the scale-out alarm on average CPU ≥ 80 %', () => {
    expect(resource(stack, 'aws_cloudwatch_metric_alarm', 'scaling_cpu_high')).toMatchObject({
      namespace: 'AWS/EC2',
      metric_name: 'CPUUtilization',
      statistic: 'Average',
      comparison_operator: 'GreaterThanOrEqualToThreshold',
      threshold: 80,
      dimensions: { AutoScalingGroupName: ASG },
      alarm_actions: ['${aws_autoscaling_policy.scaling_scale_out_policy.arn}', '${aws_sns_topic.alerts_topic.arn}'],
    });
  });

  it('has the matching scale-in alarm and policy', () => {
    expect(resource(stack, 'aws_autoscaling_policy', 'scaling_scale_in_policy')).toMatchObject({
      adjustment_type: 'PercentChangeInCapacity',
      min_adjustment_magnitude: 1,
      step_adjustment: [{ scaling_adjustment: -30, metric_interval_upper_bound: 0 }],
    });
    expect(resource(stack, 'aws_cloudwatch_metric_alarm', 'scaling_cpu_low')).toMatchObject({
      comparison_operator: 'LessThanOrEqualToThreshold',
      threshold: 30,
      alarm_actions: ['${aws_autoscaling_policy.scaling_scale_in_policy.arn}', '${aws_sns_topic.alerts_topic.arn}'],
    });
  });
});

describe('target tracking', () => {
  it('replaces the alarms and step policies when chosen', () => {
    const tracked = synth(single('prod', { compute: { ...prod.compute, scaling: 'targetTracking' } })).stacks['web-prod'];
    expect(Object.keys(resources(tracked, 'aws_autoscaling_policy'))).toEqual(['scaling_target_tracking_policy']);
    expect(Object.keys(resources(tracked, 'aws_cloudwatch_metric_alarm')).filter((name) => name.startsWith('scaling_'))).toEqual([]);
    expect(resource(tracked, 'aws_autoscaling_policy', 'scaling_target_tracking_policy')).toMatchObject({
      policy_type: 'TargetTrackingScaling',
      target_tracking_configuration: {
        predefined_metric_specification: { predefined_metric_type: 'ASGAverageCPUUtilization' },
        target_value: 60,
      },
    });
  });
});
