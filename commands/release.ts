/**
 * What `npm run release -- <env>` does, decided without AWS: from the stack's `release` output (what
 * Terraform deployed), the auto scaling group as AWS describes it and its recent instance refreshes, either
 * a refusal, "nothing to release", or the exact StartInstanceRefresh request; and afterwards, what the
 * refresh's end means. Pure (no process, no SDK call), so every refusal and outcome is unit-tested;
 * release/index.ts runs it against AWS.
 *
 * Why a release is a command and not Terraform's `instance_refresh`: Terraform updates the group's launch
 * template version, then starts the refresh, and AWS rolls back to "the configuration that you last saved on
 * the Auto Scaling group before starting the instance refresh" — the new version
 * (hashicorp/terraform-provider-aws#34189, open; the fix #39007 was closed unmerged). Here the group keeps
 * the previous version (Terraform ignores it after creation) and the refresh carries the new one as its
 * desired configuration:
 * - StartInstanceRefresh, DesiredConfiguration: "Once the instance refresh succeeds, Amazon EC2 Auto Scaling
 *   updates the settings of the Auto Scaling group to reflect the new desired configuration."
 *   https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_StartInstanceRefresh.html
 * - "Undo changes with a manual or auto rollback": "The new instances match the configuration that you last
 *   saved on the Auto Scaling group before starting the instance refresh"; rollback needs a desired
 *   configuration and "a specific numbered version" (not `$Latest`/`$Default`), and no AMI from Parameter
 *   Store. https://docs.aws.amazon.com/autoscaling/ec2/userguide/instance-refresh-rollback.html
 * - RefreshPreferences.AutoRollback: "roll back the Auto Scaling group to its previous configuration if the
 *   instance refresh fails or a CloudWatch alarm threshold is met".
 */
import { parseArgs } from 'node:util';
import type { StartInstanceRefreshCommandInput } from '@aws-sdk/client-auto-scaling';

/** The group attribute Terraform leaves to releases after creation (lifecycle.ignore_changes). */
export const LAUNCH_TEMPLATE_VERSION_PATH = 'launch_template[0].version';

/**
 * What a release sends to StartInstanceRefresh: the `rollout` local of modules/app-servers.ts, output by the
 * web stack as `release.rollout` (snake_case, as Terraform writes it).
 */
export interface RolloutSettings {
  readonly auto_scaling_group: string;
  readonly launch_template_id: string;
  /** The launch template's latest version: what Terraform last made (a number; a string in the stack). */
  readonly launch_template_version: string | number;
  /** The AMI the version names (`resolve:ssm:…` when EC2 resolves it at launch: no rollback). */
  readonly image_id: string;
  readonly strategy: 'Rolling';
  readonly preferences: {
    readonly min_healthy_percentage: number;
    readonly max_healthy_percentage: number;
    readonly instance_warmup: number;
    readonly checkpoint_percentages: readonly number[];
    readonly checkpoint_delay: number;
    readonly skip_matching: boolean;
    readonly auto_rollback: boolean;
    /** CloudWatch alarms whose ALARM state fails the refresh (and rolls it back with auto_rollback). */
    readonly alarms: readonly string[];
    readonly scale_in_protected_instances: 'Refresh' | 'Ignore' | 'Wait';
    readonly standby_instances: 'Terminate' | 'Ignore' | 'Wait';
  };
}

/** The release cannot go ahead, or its outcome needs a person; the message says why and what to do. */
export class ReleaseError extends Error {
  override readonly name = 'ReleaseError';
}

/** Exit codes of `npm run release` (and of the release step of `npm run deploy`). */
export const RELEASE_EXIT = {
  /** The group runs the stack's launch template version: released now, or already. */
  released: 0,
  /** Refused before anything started (nothing changed), or an error. */
  refused: 1,
  /** Usage error. */
  usage: 2,
  /** The refresh failed (an alarm, failed launches) and AWS rolled the group back to the previous version. */
  rolledBack: 3,
  /** The refresh ended without a known version on every instance (failed without rollback, rollback failed, cancelled): look at it. */
  needsOperator: 4,
  /** Still running when the wait ended; it goes on in AWS (and still rolls back on the alarms). */
  timedOut: 5,
} as const;

/** The launch template and version the stack's `release` output names, with the refresh settings. */
export interface ReleaseTarget {
  readonly autoScalingGroup: string;
  readonly launchTemplateId: string;
  /** A numbered version, as a string ("7"). */
  readonly version: string;
  readonly imageId: string;
  readonly settings: RolloutSettings;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The target of a release from the value of the stack's `release` output (`terraform output -json
 * release`). Throws a ReleaseError naming what is missing (a stack deployed before releases existed has no
 * `rollout`).
 */
export function releaseTarget(output: unknown, stack: string): ReleaseTarget {
  const rollout = isRecord(output) ? output.rollout : undefined;
  if (!isRecord(rollout))
    throw new ReleaseError(
      `the release output of ${stack} has no rollout settings: deploy the stack with this version of the platform first (npm run deploy -- ${stack})`,
    );
  const settings = rollout as unknown as RolloutSettings;
  const version = String(settings.launch_template_version ?? '');
  const preferences = settings.preferences as unknown;
  const problems = [
    typeof settings.auto_scaling_group === 'string' && settings.auto_scaling_group !== '' ? undefined : 'auto_scaling_group',
    typeof settings.launch_template_id === 'string' && settings.launch_template_id !== '' ? undefined : 'launch_template_id',
    version !== '' ? undefined : 'launch_template_version',
    typeof settings.image_id === 'string' ? undefined : 'image_id',
    isRecord(preferences) && Array.isArray(preferences.alarms) && Array.isArray(preferences.checkpoint_percentages)
      ? undefined
      : 'preferences',
  ].filter((p): p is string => p !== undefined);
  if (problems.length > 0)
    throw new ReleaseError(
      `the release output of ${stack} lacks ${problems.join(', ')}: deploy the stack again (npm run deploy -- ${stack})`,
    );
  return {
    autoScalingGroup: settings.auto_scaling_group,
    launchTemplateId: settings.launch_template_id,
    version,
    imageId: settings.image_id,
    settings,
  };
}

/** The auto scaling group as DescribeAutoScalingGroups shows it (the part a release reads). */
export interface GroupState {
  readonly name: string;
  /** The group's launch template, when it has one (not a mixed instances policy or launch configuration). */
  readonly launchTemplate?: { readonly id?: string; readonly name?: string; readonly version?: string };
  readonly instances: readonly { readonly id: string; readonly lifecycleState: string; readonly version?: string }[];
}

/** One instance refresh as DescribeInstanceRefreshes shows it (the part a release reads). */
export interface RefreshState {
  readonly id: string;
  readonly status: string;
  readonly statusReason?: string;
  readonly percentageComplete?: number;
  readonly startTime?: Date;
  /** The desired configuration's launch template version, when it had one. */
  readonly desiredVersion?: string;
  readonly desiredLaunchTemplateId?: string;
  readonly rollbackReason?: string;
}

/** Statuses of a refresh that still runs: AWS refuses another one meanwhile (InstanceRefreshInProgress). */
export const ACTIVE_STATUSES: readonly string[] = ['Pending', 'InProgress', 'Cancelling', 'RollbackInProgress', 'Baking'];
/** Statuses a refresh ends in. */
export const FINAL_STATUSES: readonly string[] = ['Successful', 'Failed', 'Cancelled', 'RollbackSuccessful', 'RollbackFailed'];

/** A launch template version that is a specific number (the only kind a rollback can return to). */
const NUMBERED = /^[1-9][0-9]*$/;

export type ReleaseDecision =
  | { readonly kind: 'current'; readonly message: string }
  | {
      readonly kind: 'start';
      readonly from: string;
      readonly to: string;
      readonly input: StartInstanceRefreshCommandInput;
      readonly warnings: readonly string[];
    };

export interface ReleaseOptions {
  /** Try a version again whose last refresh failed or was rolled back. */
  readonly retry?: boolean;
}

/**
 * What to do for `target` given the group and its refreshes (newest first). Throws a ReleaseError for every
 * refusal; returns `current` when the group already runs the target version, else the StartInstanceRefresh
 * request.
 */
export function planRelease(
  env: string,
  target: ReleaseTarget,
  group: GroupState,
  refreshes: readonly RefreshState[],
  options: ReleaseOptions = {},
): ReleaseDecision {
  const { settings } = target;
  const preferences = settings.preferences;
  const name = target.autoScalingGroup;
  if (!NUMBERED.test(target.version))
    throw new ReleaseError(
      `the stack names launch template version "${target.version}" for ${name}: a release needs a specific numbered version (AWS rolls back only to one)`,
    );
  const current = group.launchTemplate;
  if (current?.version === undefined || current.id === undefined)
    throw new ReleaseError(
      `${name} has no launch template of its own (a mixed instances policy or a launch configuration?): it is not the platform's group`,
    );
  if (!NUMBERED.test(current.version))
    throw new ReleaseError(
      `${name} runs launch template version "${current.version}": AWS cannot roll back from $Latest or $Default, so no release starts from it. Set the group to the number it runs (aws autoscaling update-auto-scaling-group --auto-scaling-group-name ${name} --launch-template LaunchTemplateId=${current.id},Version=<n>) and run the release again`,
    );
  if (current.id !== target.launchTemplateId)
    throw new ReleaseError(
      `${name} runs launch template ${current.id}, the stack's is ${target.launchTemplateId}: the group was changed outside Terraform (run npm run drift)`,
    );
  const active = refreshes.find((r) => ACTIVE_STATUSES.includes(r.status));
  if (active)
    throw new ReleaseError(
      `an instance refresh of ${name} is already ${active.status} (${active.id}${active.percentageComplete !== undefined ? `, ${active.percentageComplete} %` : ''}); AWS runs one at a time. Wait for it (aws autoscaling describe-instance-refreshes --auto-scaling-group-name ${name}) and run npm run release -- ${env} again`,
    );
  if (current.version === target.version)
    return { kind: 'current', message: `${name} already runs launch template version ${target.version}: nothing to release` };
  const last = refreshes[0];
  if (
    !options.retry &&
    last !== undefined &&
    last.desiredVersion === target.version &&
    last.desiredLaunchTemplateId === target.launchTemplateId &&
    ['RollbackSuccessful', 'RollbackFailed', 'Failed'].includes(last.status)
  )
    throw new ReleaseError(
      `version ${target.version} was already tried on ${name} and ended ${last.status}${last.statusReason ? ` (${last.statusReason})` : ''}: fix the release in the config and deploy, or run npm run release -- ${env} --retry to try it again`,
    );
  const rollback = preferences.auto_rollback;
  if (rollback && target.imageId.startsWith('resolve:ssm:'))
    throw new ReleaseError(
      `the stack asks for a rollback but version ${target.version} resolves its AMI at launch (${target.imageId}); AWS cannot roll such a template back`,
    );
  const warnings = group.instances
    .filter((i) => i.lifecycleState.startsWith('Standby'))
    .map(
      (i) =>
        `${i.id} is in Standby and keeps version ${i.version ?? current.version} (a release leaves such instances alone): terminate it, or exit standby and run the release again`,
    );
  const checkpoints = preferences.checkpoint_percentages.length > 0;
  const input: StartInstanceRefreshCommandInput = {
    AutoScalingGroupName: name,
    Strategy: settings.strategy,
    DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: target.launchTemplateId, Version: target.version } },
    Preferences: {
      MinHealthyPercentage: preferences.min_healthy_percentage,
      MaxHealthyPercentage: preferences.max_healthy_percentage,
      InstanceWarmup: preferences.instance_warmup,
      ...(checkpoints
        ? { CheckpointPercentages: [...preferences.checkpoint_percentages], CheckpointDelay: preferences.checkpoint_delay }
        : {}),
      SkipMatching: preferences.skip_matching,
      AutoRollback: rollback,
      ...(preferences.alarms.length > 0 ? { AlarmSpecification: { Alarms: [...preferences.alarms] } } : {}),
      ScaleInProtectedInstances: preferences.scale_in_protected_instances,
      StandbyInstances: preferences.standby_instances,
    },
  };
  return { kind: 'start', from: current.version, to: target.version, input, warnings };
}

/** What a finished refresh means for the release, with the exit code. */
export interface ReleaseOutcome {
  readonly code: (typeof RELEASE_EXIT)[keyof typeof RELEASE_EXIT];
  readonly message: string;
}

/**
 * The outcome of the refresh that moved `group` from version `from` to `to`, read from its final state and the
 * group's version afterwards (`groupVersion`): released only when AWS says Successful and the group runs `to`,
 * rolled back only when AWS says RollbackSuccessful and the group runs `from` again.
 */
export function releaseOutcome(
  name: string,
  from: string,
  to: string,
  refresh: RefreshState,
  groupVersion: string | undefined,
): ReleaseOutcome {
  const reason = refresh.statusReason ? `: ${refresh.statusReason}` : '';
  const runs = `the group runs version ${groupVersion ?? '(none)'}`;
  switch (refresh.status) {
    case 'Successful':
      return groupVersion === to
        ? { code: RELEASE_EXIT.released, message: `${name} runs launch template version ${to} (was ${from})` }
        : { code: RELEASE_EXIT.needsOperator, message: `the refresh of ${name} succeeded but ${runs}, not ${to}: look at it` };
    case 'RollbackSuccessful':
      return groupVersion === from
        ? {
            code: RELEASE_EXIT.rolledBack,
            message: `version ${to} failed on ${name} and was rolled back: the group runs version ${from} again${reason || (refresh.rollbackReason ? `: ${refresh.rollbackReason}` : '')}`,
          }
        : { code: RELEASE_EXIT.needsOperator, message: `the refresh of ${name} rolled back but ${runs}, not ${from}: look at it` };
    default:
      return {
        code: RELEASE_EXIT.needsOperator,
        message: `the refresh of ${name} ended ${refresh.status}${reason}; ${runs} and instances may run either version: look at it (aws autoscaling describe-instance-refreshes --auto-scaling-group-name ${name})`,
      };
  }
}

/** One line of progress: status, percentage, reason. */
export function progressLine(refresh: RefreshState): string {
  const percent = refresh.percentageComplete !== undefined ? ` ${refresh.percentageComplete} %` : '';
  return `${refresh.status}${percent}${refresh.statusReason ? ` (${refresh.statusReason})` : ''}`;
}

/** `npm run release -- <environment> [--dry-run] [--retry] [--timeout-minutes N] [--poll-seconds N]`, parsed. */
export interface ReleaseArgs {
  readonly environment: string;
  readonly dryRun: boolean;
  readonly retry: boolean;
  readonly timeoutMinutes: number;
  /** Seconds between two DescribeInstanceRefreshes calls while waiting. */
  readonly pollSeconds: number;
}

export const RELEASE_USAGE = 'usage: npm run release -- <environment> [--dry-run] [--retry] [--timeout-minutes <n>] [--poll-seconds <n>]';
/** How long a release waits for its refresh by default. */
export const DEFAULT_TIMEOUT_MINUTES = 90;
/** How often a release asks AWS how its refresh goes, by default. */
export const DEFAULT_POLL_SECONDS = 15;

/** Parses the release's arguments; throws a ReleaseError with the usage line. */
export function parseReleaseArgs(args: readonly string[]): ReleaseArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: {
        'dry-run': { type: 'boolean' },
        retry: { type: 'boolean' },
        'timeout-minutes': { type: 'string' },
        'poll-seconds': { type: 'string' },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new ReleaseError(`${(error as Error).message.replace(/\. To specify a positional argument.*$/s, '')}; ${RELEASE_USAGE}`);
  }
  if (parsed.positionals.length !== 1)
    throw new ReleaseError(`name one environment (got ${parsed.positionals.length} arguments); ${RELEASE_USAGE}`);
  const timeout = parsed.values['timeout-minutes'];
  if (timeout !== undefined && !/^[1-9][0-9]{0,3}$/.test(timeout))
    throw new ReleaseError(`--timeout-minutes needs a whole number of minutes from 1 to 9999, got ${JSON.stringify(timeout)}`);
  const poll = parsed.values['poll-seconds'];
  if (poll !== undefined && !(/^[1-9][0-9]{0,2}$/.test(poll) && Number(poll) <= 300))
    throw new ReleaseError(`--poll-seconds needs a whole number of seconds from 1 to 300, got ${JSON.stringify(poll)}`);
  return {
    environment: parsed.positionals[0],
    dryRun: parsed.values['dry-run'] === true,
    retry: parsed.values.retry === true,
    timeoutMinutes: timeout !== undefined ? Number(timeout) : DEFAULT_TIMEOUT_MINUTES,
    pollSeconds: poll !== undefined ? Number(poll) : DEFAULT_POLL_SECONDS,
  };
}
