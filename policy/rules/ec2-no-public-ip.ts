import { defineRule, scanners, verdict } from '../rule';
import { blocks, isFalse } from '../tokens';

export const rule = defineRule({
  id: 'ec2-no-public-ip',
  what: 'Launch templates do not give instances a public IP address.',
  why: 'App servers live in private subnets behind the load balancer; a public address would bypass it.',
  scanners: scanners({ checkov: ['CKV_AWS_88'] }),
  resourceTypes: ['aws_launch_template', 'aws_instance'],
  check: (r) => {
    const direct = r.config.associate_public_ip_address;
    const interfaces = blocks(r.config.network_interfaces);
    return verdict(
      (direct === undefined || isFalse(direct)) &&
        interfaces.every((i) => i.associate_public_ip_address === undefined || isFalse(i.associate_public_ip_address)),
      'associate_public_ip_address is not false',
    );
  },
});
