import { defineRule, scanners, verdict } from '../rule';
import { isTrue, show } from '../tokens';

export const rule = defineRule({
  id: 'ec2-ebs-optimized',
  what: 'Launch templates ask for EBS-optimized instances.',
  why: 'Dedicated EBS bandwidth keeps disk I/O from competing with network traffic under load.',
  scanners: scanners({}),
  resourceTypes: ['aws_launch_template', 'aws_instance'],
  check: (r) => verdict(isTrue(r.config.ebs_optimized), `ebs_optimized is ${show(r.config.ebs_optimized)}`),
});
