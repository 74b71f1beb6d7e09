import { Construct } from 'constructs';
import { CloudwatchMetricAlarm, type CloudwatchMetricAlarmConfig } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { names } from '../naming';

export interface ServiceAlarmsProps {
  /** Name prefix, e.g. `web-prod`. */
  readonly prefix: string;
  /** SNS topic told when an alarm fires and when it recovers. */
  readonly topicArn: string;
  /** `arn_suffix` of the load balancer. */
  readonly loadBalancerArnSuffix: string;
  /** `arn_suffix` of the target group of the app servers. */
  readonly targetGroupArnSuffix: string;
  /** Identifier of the database instance. */
  readonly dbInstanceIdentifier: string;
  /** Allocated database storage in GiB (the free-space alarm fires below 10 % of it). */
  readonly dbAllocatedStorageGiB: number;
  /** Average database CPU % that pages. @default 80 */
  readonly dbCpuPercent?: number;
  /** 5xx responses per 5 minutes that page. @default 10 */
  readonly errorsPerFiveMinutes?: number;
}

type AlarmSpec = Pick<
  CloudwatchMetricAlarmConfig,
  'namespace' | 'metricName' | 'dimensions' | 'statistic' | 'period' | 'evaluationPeriods' | 'comparisonOperator' | 'threshold'
>;

/**
 * The alarms that page someone: unhealthy targets, 5xx errors from the load balancer and from the
 * application, database CPU and free storage. Each notifies the alerts topic when it fires and recovers.
 */
export class ServiceAlarms extends Construct {
  readonly alarms: readonly CloudwatchMetricAlarm[];

  constructor(scope: Construct, id: string, props: ServiceAlarmsProps) {
    super(scope, id);
    const lb = { LoadBalancer: props.loadBalancerArnSuffix };
    const db = { DBInstanceIdentifier: props.dbInstanceIdentifier };
    const errors = props.errorsPerFiveMinutes ?? 10;
    const cpu = props.dbCpuPercent ?? 80;
    const freeBytes = Math.round(props.dbAllocatedStorageGiB * 0.1 * 1024 ** 3);
    const fiveXx = (metricName: string): AlarmSpec => ({
      namespace: 'AWS/ApplicationELB',
      metricName,
      dimensions: lb,
      statistic: 'Sum',
      period: 300,
      evaluationPeriods: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      threshold: errors,
    });
    const alarm = (name: string, description: string, spec: AlarmSpec) =>
      new CloudwatchMetricAlarm(this, name, {
        alarmName: names.alarm(props.prefix, name),
        alarmDescription: description,
        datapointsToAlarm: spec.evaluationPeriods,
        treatMissingData: 'notBreaching',
        alarmActions: [props.topicArn],
        okActions: [props.topicArn],
        ...spec,
      });
    this.alarms = [
      alarm('unhealthy_hosts', 'An app server fails its load balancer health check for 3 minutes', {
        namespace: 'AWS/ApplicationELB',
        metricName: 'UnHealthyHostCount',
        dimensions: { ...lb, TargetGroup: props.targetGroupArnSuffix },
        statistic: 'Maximum',
        period: 60,
        evaluationPeriods: 3,
        comparisonOperator: 'GreaterThanOrEqualToThreshold',
        threshold: 1,
      }),
      alarm(
        'load_balancer_5xx',
        `The load balancer itself answered ≥ ${errors} 5xx errors in 5 minutes (no healthy target, timeouts)`,
        fiveXx('HTTPCode_ELB_5XX_Count'),
      ),
      alarm('target_5xx', `The application answered ${errors} or more 5xx errors in 5 minutes`, fiveXx('HTTPCode_Target_5XX_Count')),
      alarm('database_cpu', `Database CPU ≥ ${cpu}% for 15 minutes`, {
        namespace: 'AWS/RDS',
        metricName: 'CPUUtilization',
        dimensions: db,
        statistic: 'Average',
        period: 300,
        evaluationPeriods: 3,
        comparisonOperator: 'GreaterThanOrEqualToThreshold',
        threshold: cpu,
      }),
      alarm(
        'database_free_storage',
        `Database free storage below 10% of ${props.dbAllocatedStorageGiB} GiB allocated (autoscaling at its cap, or growing fast)`,
        {
          namespace: 'AWS/RDS',
          metricName: 'FreeStorageSpace',
          dimensions: db,
          statistic: 'Minimum',
          period: 300,
          evaluationPeriods: 1,
          comparisonOperator: 'LessThanThreshold',
          threshold: freeBytes,
        },
      ),
    ];
  }
}
