import { defineRule, scanners, verdict } from '../rule';
import { blocks, isTrue } from '../tokens';

export const rule = defineRule({
  id: 'asg-propagate-tags',
  what: 'Auto scaling groups tag the instances they launch.',
  why: 'Provider default tags do not reach instances launched by a group; untagged instances escape cost and ownership reports.',
  scanners: scanners({ checkov: ['CKV_AWS_153'] }),
  resourceTypes: ['aws_autoscaling_group'],
  check: (asg) => {
    const tags = blocks(asg.config.tag);
    return verdict(
      tags.length > 0 && tags.every((t) => isTrue(t.propagate_at_launch)),
      'no tag blocks, or a tag is not propagated at launch',
    );
  },
});
