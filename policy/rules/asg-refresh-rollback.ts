import { LAUNCH_TEMPLATE_VERSION_PATH } from '../../commands/release';
import { defineRule, scanners, verdict, all } from '../rule';
import { blocks, isTrue, listOf, referenceOf } from '../tokens';
import type { ResourceView, StackView } from '../view';

/**
 * The rollout settings of `asg`: a local of the stack (an object) whose `auto_scaling_group` refers to the
 * group — what `npm run release` sends to StartInstanceRefresh (modules/app-servers.ts, commands/release.ts).
 */
export function rolloutOf(asg: ResourceView, stack: StackView): Record<string, any> | undefined {
  for (const value of Object.values(stack.locals)) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) continue;
    const local = value as Record<string, any>;
    if (referenceOf(local.auto_scaling_group)?.address === asg.address) return local;
  }
  return undefined;
}

export const rule = defineRule({
  id: 'asg-refresh-rollback',
  what: "Releases roll back to the previous version: Terraform starts no refresh and leaves the group's version to the release, which rolls back on alarms to a numbered version naming its AMI.",
  why: "A bad release must undo itself when the error alarms fire. AWS rolls back to the version saved on the group before the refresh started, so the group must still hold the previous version then (Terraform's instance_refresh saves the new one first); and EC2 rolls back only to a numbered version with a concrete AMI.",
  scanners: scanners({}),
  resourceTypes: ['aws_autoscaling_group'],
  check: (asg, stack) => {
    const spec = blocks(asg.config.launch_template)[0];
    const template = stack.target(spec?.id, 'aws_launch_template');
    const version = String(spec?.version ?? '');
    const image = String(template?.config.image_id ?? '');
    const ignored = blocks(asg.config.lifecycle).flatMap((l) => listOf(l.ignore_changes));
    const rollout = rolloutOf(asg, stack);
    const preferences = blocks(rollout?.preferences)[0];
    return all(
      verdict(
        blocks(asg.config.instance_refresh).length === 0,
        "Terraform's instance_refresh is set: Terraform saves the new version on the group before it starts the refresh, so a rollback returns to the new version (hashicorp/terraform-provider-aws#34189); leave refreshes to npm run release",
      ),
      verdict(
        ignored.includes('all') || ignored.includes(LAUNCH_TEMPLATE_VERSION_PATH),
        `lifecycle.ignore_changes lacks ${LAUNCH_TEMPLATE_VERSION_PATH}: Terraform would set the group's version itself, before or instead of a release`,
      ),
      verdict(
        !['$Latest', '$Default', ''].includes(version) && image !== '' && !image.startsWith('resolve:ssm:'),
        'the launch template is $Latest/$Default or resolves its AMI at launch (resolve:ssm:): EC2 cannot roll back to it',
      ),
      verdict(
        rollout !== undefined &&
          referenceOf(rollout.launch_template_id)?.address === template?.address &&
          isTrue(preferences?.auto_rollback) &&
          listOf(preferences?.alarms).length > 0,
        "no rollout settings for this group's launch template (a local naming the group) with auto_rollback and alarms",
      ),
    );
  },
});
