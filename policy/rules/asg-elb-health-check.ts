import { defineRule, NOT_APPLICABLE, scanners, verdict } from '../rule';
import { listOf, show } from '../tokens';

export const rule = defineRule({
  id: 'asg-elb-health-check',
  what: 'Auto scaling groups behind a load balancer use its health checks.',
  why: 'With EC2 checks only, an instance whose application is down stays in service; ELB checks replace it.',
  scanners: scanners({ cdkNag: ['AwsSolutions-AS2'] }),
  resourceTypes: ['aws_autoscaling_group'],
  check: (asg) => {
    const balanced = listOf(asg.config.target_group_arns).length + listOf(asg.config.load_balancers).length > 0;
    return balanced
      ? verdict(asg.config.health_check_type === 'ELB', `health_check_type is ${show(asg.config.health_check_type)}`)
      : NOT_APPLICABLE;
  },
});
