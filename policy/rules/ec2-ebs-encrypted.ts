import { defineRule, scanners, verdict } from '../rule';
import { blocks, isTrue } from '../tokens';

export const rule = defineRule({
  id: 'ec2-ebs-encrypted',
  what: 'Every EBS volume of a launch template is encrypted.',
  why: 'Unencrypted volumes and their snapshots expose data to anyone who can copy or share them.',
  scanners: scanners({ trivy: ['AVD-AWS-0131', 'AVD-AWS-0008'], cdkNag: ['AwsSolutions-EC26'] }),
  resourceTypes: ['aws_launch_template'],
  check: (lt) => {
    const volumes = blocks(lt.config.block_device_mappings).flatMap((m) => blocks(m.ebs));
    return verdict(
      volumes.length > 0 && volumes.every((v) => isTrue(v.encrypted)),
      'no block device mapping, or an EBS volume without encrypted = true',
    );
  },
});
