import { defineRule, NOT_APPLICABLE, scanners, verdict } from '../rule';
import { blocks, referenceOf } from '../tokens';

export const rule = defineRule({
  id: 'route53-record-attached',
  what: 'A and AAAA records point at resources of this stack (an alias or their addresses).',
  why: 'A record left pointing at a released address or deleted load balancer can be taken over by someone else (dangling DNS).',
  scanners: scanners({ checkov: ['CKV2_AWS_23'] }),
  resourceTypes: ['aws_route53_record'],
  check: (rec, stack) => {
    if (!['A', 'AAAA'].includes(rec.config.type)) return NOT_APPLICABLE;
    const targets = [...blocks(rec.config.alias).map((a) => a.name), ...(Array.isArray(rec.config.records) ? rec.config.records : [])];
    return verdict(
      targets.length > 0 && targets.every((t) => referenceOf(t) !== undefined && stack.get(referenceOf(t)!.address) !== undefined),
      'the record points at something that is not a resource of this stack',
    );
  },
});
