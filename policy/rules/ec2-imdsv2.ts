import { COMPLIANT, defineRule, scanners, verdict } from '../rule';
import { blocks } from '../tokens';

export const rule = defineRule({
  id: 'ec2-imdsv2',
  what: 'Instances require IMDSv2 session tokens (or have the metadata service off), with a hop limit of 1.',
  why: 'IMDSv1 lets any SSRF bug read the instance role credentials; a hop limit of 1 keeps containers from reaching them.',
  scanners: scanners({ checkov: ['CKV_AWS_79'], trivy: ['AVD-AWS-0130'] }),
  resourceTypes: ['aws_launch_template', 'aws_instance'],
  check: (r) => {
    const m = blocks(r.config.metadata_options)[0];
    if (m?.http_endpoint === 'disabled') return COMPLIANT;
    return verdict(
      m !== undefined && m.http_tokens === 'required' && [undefined, 1, '1'].includes(m.http_put_response_hop_limit),
      'metadata_options must set http_tokens "required" (hop limit 1)',
    );
  },
});
