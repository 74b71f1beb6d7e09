import { defineRule, scanners, verdict } from '../rule';
import { isFalse, show } from '../tokens';

export const rule = defineRule({
  id: 'subnet-no-public-ip',
  what: 'Subnets do not give instances a public IP address at launch.',
  why: 'A public address makes an instance reachable from the internet as soon as a security group allows it; only the load balancer is public here.',
  scanners: scanners({ checkov: ['CKV_AWS_130'], trivy: ['AVD-AWS-0164'] }),
  resourceTypes: ['aws_subnet'],
  check: (s) => {
    const v = s.config.map_public_ip_on_launch;
    return verdict(v === undefined || isFalse(v), `map_public_ip_on_launch is ${show(v)}`);
  },
});
