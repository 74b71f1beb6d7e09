/**
 * Releasing what an environment's stack deployed (`npm run release -- <env>`, and the last step of
 * `npm run deploy`): reads the stack's `release` output with Terraform, the group and its refreshes with the
 * AWS SDK, decides with commands/release.ts, starts the instance refresh with the new launch template version
 * as its desired configuration, and waits, polling DescribeInstanceRefreshes, until AWS says it succeeded
 * (the group then holds the new version) or rolled back (the group holds the previous one).
 *
 * AWS SDK v3 clients, credentials from the standard chain; endpoints from the SDK's own `AWS_ENDPOINT_URL_*`
 * variables (the tests point them at a stub of the Auto Scaling API). The caller's account must be the
 * environment's, as the stacks' provider requires. Calls: sts:GetCallerIdentity,
 * autoscaling:DescribeAutoScalingGroups, autoscaling:DescribeInstanceRefreshes,
 * autoscaling:StartInstanceRefresh (the CI deploy role has them); the release never calls
 * UpdateAutoScalingGroup: only a successful refresh changes the group's version.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  DescribeInstanceRefreshesCommand,
  InstanceRefreshInProgressFault,
  StartInstanceRefreshCommand,
  type InstanceRefresh,
} from '@aws-sdk/client-auto-scaling';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { EnvironmentConfig, PlatformConfig } from '../config/types';
import { terraformBinary } from '../harness/terraform';
import { webStackName } from '../naming';
import {
  FINAL_STATUSES,
  RELEASE_EXIT,
  ReleaseError,
  planRelease,
  progressLine,
  releaseOutcome,
  releaseTarget,
  type GroupState,
  type RefreshState,
  type ReleaseOutcome,
  type ReleaseTarget,
} from '../commands/release';

export { ReleaseError, RELEASE_EXIT };

/** The SDK clients a release uses (made from the environment by default). */
export interface ReleaseClients {
  readonly autoScaling: AutoScalingClient;
  readonly sts: STSClient;
}

export function defaultReleaseClients(env: EnvironmentConfig): ReleaseClients {
  return { autoScaling: new AutoScalingClient({ region: env.region }), sts: new STSClient({ region: env.region }) };
}

export interface ReleaseRunOptions {
  /** Decide and print, start nothing. */
  readonly dryRun?: boolean;
  /** Try a version again whose last refresh failed or rolled back. */
  readonly retry?: boolean;
  /** Stop waiting after this long (the refresh goes on in AWS). @default 90 minutes */
  readonly timeoutMs?: number;
  /** Time between two DescribeInstanceRefreshes calls. @default 15 s */
  readonly pollMs?: number;
  /** Waits `ms` (tests pass one that returns at once). */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** The environment a name means, or a ReleaseError listing the ones there are. */
export function environmentOf(config: PlatformConfig, name: string): EnvironmentConfig {
  const env = config.environments.find((e) => e.name === name);
  if (!env)
    throw new ReleaseError(`no environment "${name}" in the config (environments: ${config.environments.map((e) => e.name).join(', ')})`);
  return env;
}

/**
 * The value of the `release` output of `stack`, read by Terraform from its state: `terraform init` (quiet,
 * against the stack's real backend) then `terraform output -json release` in the synthesized stack directory.
 */
export function readReleaseOutput(stackDir: string, stack: string, env: NodeJS.ProcessEnv = process.env): unknown {
  if (!existsSync(join(stackDir, 'cdk.tf.json'))) throw new ReleaseError(`${stackDir} has no synthesized stack: run npm run synth first`);
  const bin = terraformBinary();
  const terraform = (args: string[]) => {
    const run = spawnSync(bin, args, {
      cwd: stackDir,
      encoding: 'utf8',
      env: { ...env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' },
      maxBuffer: 64 * 1024 * 1024,
    });
    if (run.error) throw run.error;
    return run;
  };
  const init = terraform(['init', '-input=false', '-no-color']);
  if (init.status !== 0) throw new ReleaseError(`terraform init of ${stack} failed:\n${init.stdout}${init.stderr}`);
  const output = terraform(['output', '-no-color', '-json', 'release']);
  if (output.status !== 0)
    throw new ReleaseError(
      `${stack} has no release output in its state (${output.stderr.trim().split('\n').pop()}): deploy it first (npm run deploy -- ${stack})`,
    );
  return JSON.parse(output.stdout) as unknown;
}

/** The part of a DescribeInstanceRefreshes item a release reads. */
function refreshState(r: InstanceRefresh): RefreshState {
  const template = r.DesiredConfiguration?.LaunchTemplate;
  return {
    id: r.InstanceRefreshId ?? '',
    status: r.Status ?? 'Unknown',
    statusReason: r.StatusReason,
    percentageComplete: r.PercentageComplete,
    startTime: r.StartTime,
    desiredVersion: template?.Version,
    desiredLaunchTemplateId: template?.LaunchTemplateId,
    rollbackReason: r.RollbackDetails?.RollbackReason,
  };
}

async function describeGroup(client: AutoScalingClient, name: string): Promise<GroupState> {
  const answer = await client.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }));
  const group = answer.AutoScalingGroups?.find((g) => g.AutoScalingGroupName === name);
  if (!group) throw new ReleaseError(`no auto scaling group ${name} in this account and region: is the stack deployed?`);
  const template = group.LaunchTemplate;
  return {
    name,
    launchTemplate: template ? { id: template.LaunchTemplateId, name: template.LaunchTemplateName, version: template.Version } : undefined,
    instances: (group.Instances ?? []).map((i) => ({
      id: i.InstanceId ?? '',
      lifecycleState: i.LifecycleState ?? '',
      version: i.LaunchTemplate?.Version,
    })),
  };
}

async function describeRefreshes(client: AutoScalingClient, name: string, ids?: string[]): Promise<RefreshState[]> {
  const answer = await client.send(
    new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: name, ...(ids ? { InstanceRefreshIds: ids } : { MaxRecords: 10 }) }),
  );
  const time = (r: RefreshState) => r.startTime?.getTime() ?? 0;
  return (answer.InstanceRefreshes ?? []).map(refreshState).sort((a, b) => time(b) - time(a));
}

/**
 * Releases `target` on its group (see the module comment); resolves with the outcome and its exit code.
 * Throws a ReleaseError for a refusal before anything started.
 */
export async function runRelease(
  env: EnvironmentConfig,
  target: ReleaseTarget,
  clients: ReleaseClients,
  log: (line: string) => void = () => undefined,
  options: ReleaseRunOptions = {},
): Promise<ReleaseOutcome> {
  const { autoScaling, sts } = clients;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const caller = await sts.send(new GetCallerIdentityCommand({}));
  if (caller.Account !== env.accountId)
    throw new ReleaseError(
      `the credentials are for account ${caller.Account}, environment "${env.name}" is in ${env.accountId}: use the credentials of that account`,
    );
  const name = target.autoScalingGroup;
  const group = await describeGroup(autoScaling, name);
  const decision = planRelease(env.name, target, group, await describeRefreshes(autoScaling, name), { retry: options.retry });
  if (decision.kind === 'current') {
    log(decision.message);
    return { code: RELEASE_EXIT.released, message: decision.message };
  }
  for (const warning of decision.warnings) log(`warning: ${warning}`);
  const prefs = decision.input.Preferences!;
  log(
    `${name}: version ${decision.from} → ${decision.to} (${prefs.MinHealthyPercentage}–${prefs.MaxHealthyPercentage} % healthy, ` +
      `checkpoints ${(prefs.CheckpointPercentages ?? []).join('/') || 'none'}, ` +
      `${prefs.AutoRollback ? `rolls back to ${decision.from} if ${prefs.AlarmSpecification?.Alarms?.join(', ')} go into ALARM or launches fail` : 'no rollback: the AMI is resolved at launch'})`,
  );
  if (options.dryRun) return { code: RELEASE_EXIT.released, message: `dry run: would start ${JSON.stringify(decision.input)}` };

  let id: string;
  try {
    id = (await autoScaling.send(new StartInstanceRefreshCommand(decision.input))).InstanceRefreshId ?? '';
  } catch (error) {
    if (error instanceof InstanceRefreshInProgressFault)
      throw new ReleaseError(
        `AWS refused: an instance refresh of ${name} is already in progress (${error.message}); wait for it and run the release again`,
      );
    throw error;
  }
  log(`started instance refresh ${id}`);

  const deadline = Date.now() + (options.timeoutMs ?? 90 * 60_000);
  let last = '';
  for (;;) {
    const [refresh] = await describeRefreshes(autoScaling, name, [id]);
    if (!refresh) throw new ReleaseError(`instance refresh ${id} of ${name} is gone from DescribeInstanceRefreshes`);
    const line = progressLine(refresh);
    if (line !== last) log(line);
    last = line;
    if (FINAL_STATUSES.includes(refresh.status)) {
      const after = await describeGroup(autoScaling, name);
      return releaseOutcome(name, decision.from, decision.to, refresh, after.launchTemplate?.version);
    }
    if (Date.now() >= deadline)
      return {
        code: RELEASE_EXIT.timedOut,
        message: `instance refresh ${id} of ${name} is still ${refresh.status} after the wait; it goes on in AWS (and still rolls back on the alarms): aws autoscaling describe-instance-refreshes --auto-scaling-group-name ${name} --instance-refresh-ids ${id}`,
      };
    await sleep(options.pollMs ?? 15_000);
  }
}

/**
 * The whole release of one environment: its stack's output (synthesized under `outdir`), then `runRelease`.
 * What `npm run release` and the deploy's release step run.
 */
export async function releaseEnvironment(
  config: PlatformConfig,
  envName: string,
  outdir: string,
  log: (line: string) => void,
  options: ReleaseRunOptions & { clients?: ReleaseClients } = {},
): Promise<ReleaseOutcome> {
  const env = environmentOf(config, envName);
  const stack = webStackName(config.project, env.name);
  const target = releaseTarget(readReleaseOutput(join(outdir, 'stacks', stack), stack), stack);
  return runRelease(env, target, options.clients ?? defaultReleaseClients(env), log, options);
}
