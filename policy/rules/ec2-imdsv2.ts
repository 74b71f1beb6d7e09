import { COMPLIANT, defineRule, scanners, verdict } from '../rule';
import { blocks } from '../tokens';

/**
 * The hop limit must be written: left unset, EC2 takes it from the account's metadata defaults or the AMI,
 * and an AMI registered with ImdsSupport v2.0 (Amazon Linux 2023's) makes it 2.
 */
export const rule = defineRule({
  id: 'ec2-imdsv2',
  what: 'Instances require IMDSv2 session tokens (or have the metadata service off), with a hop limit of 1 set explicitly.',
  why:
    'IMDSv1 answers a plain GET, so any SSRF bug reads the instance role credentials; IMDSv2 first needs a PUT for a token. ' +
    'A hop limit of 1 keeps containers on a bridged network from that token, but not the app, which runs on the host or in a ' +
    "container on the host's network: the instance role is the app's own role and must grant only what the app needs.",
  scanners: scanners({ checkov: ['CKV_AWS_79'], trivy: ['AVD-AWS-0130'] }),
  resourceTypes: ['aws_launch_template', 'aws_instance'],
  check: (r) => {
    const m = blocks(r.config.metadata_options)[0];
    if (m?.http_endpoint === 'disabled') return COMPLIANT;
    return verdict(
      m !== undefined && m.http_tokens === 'required' && [1, '1'].includes(m.http_put_response_hop_limit),
      'metadata_options must set http_tokens "required" and http_put_response_hop_limit 1 (unset, an ImdsSupport v2.0 AMI makes it 2)',
    );
  },
});
