import { Construct } from 'constructs';
import { AutoscalingNotification } from '@cdktf/provider-aws/lib/autoscaling-notification';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { denyInsecureTransport, policyDocument } from './policy-statements';
import { terraformLiteral } from './terraform-literal';
import { names } from '../naming';

export interface AlertsProps {
  /** Name prefix, e.g. `web-prod`; the topic is `<prefix>-alerts`. */
  readonly prefix: string;
  /** KMS key that encrypts the topic (its policy must let CloudWatch and Auto Scaling use it). */
  readonly kmsKeyArn: string;
  /** Account that owns the topic. */
  readonly accountId: string;
  /** Address subscribed to the topic by e-mail (AWS sends a confirmation first). @default - none */
  readonly email?: string;
}

/** Auto scaling events worth a message: every launch and termination, and their failures. */
export const SCALING_NOTIFICATIONS = [
  'autoscaling:EC2_INSTANCE_LAUNCH',
  'autoscaling:EC2_INSTANCE_LAUNCH_ERROR',
  'autoscaling:EC2_INSTANCE_TERMINATE',
  'autoscaling:EC2_INSTANCE_TERMINATE_ERROR',
];

/**
 * Where the platform tells people something is wrong: a KMS-encrypted SNS topic that accepts messages only
 * over TLS, from CloudWatch alarms and Auto Scaling of this account, with an optional e-mail subscription.
 * Subscribe a paging tool (PagerDuty, Opsgenie, chat) to `topic` for real on-call.
 */
export class Alerts extends Construct {
  readonly topic: SnsTopic;

  constructor(scope: Construct, id: string, props: AlertsProps) {
    super(scope, id);
    const { prefix, accountId } = props;
    this.topic = new SnsTopic(this, 'topic', {
      name: names.alertsTopic(prefix),
      displayName: names.alertsDisplayName(prefix),
      kmsMasterKeyId: props.kmsKeyArn,
    });
    const topicArn = this.topic.arn;
    new SnsTopicPolicy(this, 'topic_policy', {
      arn: topicArn,
      policy: policyDocument([
        denyInsecureTransport('sns:Publish', topicArn),
        {
          Sid: 'AccountManagesTheTopic',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${accountId}:root` },
          Action: ['sns:GetTopicAttributes', 'sns:SetTopicAttributes', 'sns:Subscribe', 'sns:ListSubscriptionsByTopic', 'sns:Publish'],
          Resource: topicArn,
        },
        {
          Sid: 'CloudWatchAlarmsPublish',
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: 'sns:Publish',
          Resource: topicArn,
          Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
        },
      ]),
    });
    if (props.email) {
      // An address may hold "${" or "%{" (RFC 5322 allows both before the @): written so Terraform reads it as text.
      new SnsTopicSubscription(this, 'email_subscription', { topicArn, protocol: 'email', endpoint: terraformLiteral(props.email) });
    }
  }

  /** Sends every launch, termination and failure of the auto scaling group named `groupName` to the topic. */
  notifyScaling(groupName: string): AutoscalingNotification {
    return new AutoscalingNotification(this, 'scaling_notifications', {
      groupNames: [groupName],
      notifications: SCALING_NOTIFICATIONS,
      topicArn: this.topic.arn,
    });
  }
}
