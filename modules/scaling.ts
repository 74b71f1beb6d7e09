import { Construct } from 'constructs';
import { AutoscalingPolicy } from '@cdktf/provider-aws/lib/autoscaling-policy';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import type { ScalingMode } from '../config/types';
import { stringTypedNumber } from './string-typed';
import { names } from '../naming';

export interface CpuScalingProps {
  /** Name prefix, e.g. `web-prod`. */
  readonly prefix: string;
  /** Name of the auto scaling group to scale. */
  readonly autoScalingGroupName: string;
  /** Step scaling on CloudWatch alarms (the seeds' rule) or target tracking. @default 'step' */
  readonly mode?: ScalingMode;
  /** Average CPU % at or above which the group grows. @default 80 */
  readonly scaleOutCpuPercent?: number;
  /** Capacity added (and removed) per step, in % of the group, at least one instance. @default 30 */
  readonly stepPercent?: number;
  /** Average CPU % at or below which the group shrinks. @default 30 */
  readonly scaleInCpuPercent?: number;
  /** CPU % target tracking keeps the group at. @default 60 */
  readonly targetCpuPercent?: number;
  /** Seconds a new instance needs before its metrics count. @default 300 */
  readonly warmupSeconds?: number;
  /** Alarm notification targets (SNS topic ARNs) added next to the scaling action. @default - none */
  readonly alarmActions?: readonly string[];
}

/**
 * The seeds' scaling rule: when average CPU stays ≥ 80 %, add 30 % capacity (at least one instance);
 * when it stays ≤ 30 %, remove 30 % (at least one). Target tracking on average CPU is the alternative.
 */
export class CpuScaling extends Construct {
  readonly policies: readonly AutoscalingPolicy[];
  readonly alarms: readonly CloudwatchMetricAlarm[];

  constructor(scope: Construct, id: string, props: CpuScalingProps) {
    super(scope, id);
    const asg = props.autoScalingGroupName;
    const warmup = props.warmupSeconds ?? 300;

    if ((props.mode ?? 'step') === 'targetTracking') {
      this.policies = [
        new AutoscalingPolicy(this, 'target_tracking_policy', {
          name: names.scalingPolicy(props.prefix, 'target'),
          autoscalingGroupName: asg,
          policyType: 'TargetTrackingScaling',
          estimatedInstanceWarmup: warmup,
          targetTrackingConfiguration: {
            predefinedMetricSpecification: { predefinedMetricType: 'ASGAverageCPUUtilization' },
            targetValue: props.targetCpuPercent ?? 60,
          },
        }),
      ];
      this.alarms = [];
      return;
    }

    const step = props.stepPercent ?? 30;
    const scaleOut = new AutoscalingPolicy(this, 'scale_out_policy', {
      name: names.scalingPolicy(props.prefix, 'scale-out'),
      autoscalingGroupName: asg,
      policyType: 'StepScaling',
      adjustmentType: 'PercentChangeInCapacity',
      minAdjustmentMagnitude: 1,
      metricAggregationType: 'Average',
      estimatedInstanceWarmup: warmup,
      stepAdjustment: [{ scalingAdjustment: step, metricIntervalLowerBound: stringTypedNumber(0) }],
    });
    const scaleIn = new AutoscalingPolicy(this, 'scale_in_policy', {
      name: names.scalingPolicy(props.prefix, 'scale-in'),
      autoscalingGroupName: asg,
      policyType: 'StepScaling',
      adjustmentType: 'PercentChangeInCapacity',
      minAdjustmentMagnitude: 1,
      metricAggregationType: 'Average',
      stepAdjustment: [{ scalingAdjustment: -step, metricIntervalUpperBound: stringTypedNumber(0) }],
    });
    const notify = [...(props.alarmActions ?? [])];
    const alarm = (id: string, policy: AutoscalingPolicy, op: string, threshold: number, periods: number, what: string) =>
      new CloudwatchMetricAlarm(this, id, {
        alarmName: names.alarm(props.prefix, id),
        alarmDescription: what,
        namespace: 'AWS/EC2',
        metricName: 'CPUUtilization',
        dimensions: { AutoScalingGroupName: asg },
        statistic: 'Average',
        period: 60,
        evaluationPeriods: periods,
        datapointsToAlarm: periods,
        comparisonOperator: op,
        threshold,
        treatMissingData: 'notBreaching',
        alarmActions: [policy.arn, ...notify],
      });
    const high = props.scaleOutCpuPercent ?? 80;
    const low = props.scaleInCpuPercent ?? 30;
    this.policies = [scaleOut, scaleIn];
    this.alarms = [
      alarm(
        'cpu_high',
        scaleOut,
        'GreaterThanOrEqualToThreshold',
        high,
        3,
        `Average CPU ≥ ${high}% for 3 minutes: add ${step}% capacity (at least 1 instance)`,
      ),
      alarm(
        'cpu_low',
        scaleIn,
        'LessThanOrEqualToThreshold',
        low,
        15,
        `Average CPU ≤ ${low}% for 15 minutes: remove ${step}% capacity (at least 1 instance)`,
      ),
    ];
  }
}
