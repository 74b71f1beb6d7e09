/**
 * `npm run release`: the pure decision (commands/release.ts) and the SDK run (release/index.ts) against a stub
 * of the Auto Scaling API that records the calls and answers as the AWS documentation describes (moto has no
 * instance refresh; __tests__/support/auto-scaling-stub.ts quotes the documents it models). The release starts
 * the refresh with the stack's new launch template version as its desired configuration while the group still
 * holds the previous one, so AWS's rollback target is the previous version; Terraform's way (the group
 * updated first, then the refresh) rolls back onto the new version, and the contrast test shows the stub tells
 * the two apart. The settings come from the synthesized stack, with Terraform's apply-time values put in.
 */
import {
  AutoScalingClient,
  DescribeInstanceRefreshesCommand,
  StartInstanceRefreshCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import { STSClient } from '@aws-sdk/client-sts';
import { platform } from '../config/environments';
import type { EnvironmentConfig } from '../config/types';
import { validateConfig } from '../config/validate';
import { ALARM_IDS, names, prefixOf } from '../naming';
import {
  RELEASE_EXIT,
  ReleaseError,
  parseReleaseArgs,
  planRelease,
  releaseOutcome,
  releaseTarget,
  type GroupState,
  type ReleaseTarget,
  type RolloutSettings,
} from '../commands/release';
import { runRelease, type ReleaseClients } from '../release';
import { AutoScalingStub } from './support/auto-scaling-stub';
import { synth } from './support/synth';

const config = validateConfig(platform);
const env = config.environments.find((e) => e.name === 'prod') as EnvironmentConfig;
const prefix = prefixOf(config.project, env.name);
const GROUP = names.appServers(prefix);
const TEMPLATE = { id: 'lt-0123456789abcdef0', name: names.appServers(prefix) };
const AMI = 'ami-0123456789abcdef0';

/** The stack's rollout local as `terraform output -json release` shows it: references replaced by their values. */
function deployedOutput(version: number, image = AMI) {
  const { stacks } = synth(platform);
  const json = stacks[`${config.project}-${env.name}`];
  expect(json.output!.release.value.rollout).toBe('${local.app_servers_rollout}');
  const local = json.locals!.app_servers_rollout as RolloutSettings;
  return {
    application: env.application.kind,
    launch_template_version: version,
    rollout: { ...local, auto_scaling_group: GROUP, launch_template_id: TEMPLATE.id, launch_template_version: version, image_id: image },
  };
}
const target = (version = 3, image?: string): ReleaseTarget => releaseTarget(deployedOutput(version, image), 'web-prod');
const groupOn = (version: string, id = TEMPLATE.id, states: string[] = ['InService', 'InService']): GroupState => ({
  name: GROUP,
  launchTemplate: { id, name: TEMPLATE.name, version },
  instances: states.map((lifecycleState, i) => ({ id: `i-${i}`, lifecycleState, version })),
});

describe('the decision (commands/release.ts)', () => {
  it('starts the refresh with the new version as desired configuration, the settings the stack deployed, and auto-rollback on its alarms', () => {
    const decision = planRelease('prod', target(3), groupOn('2'), []);
    expect(decision).toEqual({
      kind: 'start',
      from: '2',
      to: '3',
      warnings: [],
      input: {
        AutoScalingGroupName: GROUP,
        Strategy: 'Rolling',
        DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: TEMPLATE.id, Version: '3' } },
        Preferences: {
          MinHealthyPercentage: env.compute.rollout.minHealthyPercentage,
          MaxHealthyPercentage: env.compute.rollout.maxHealthyPercentage,
          InstanceWarmup: 120,
          CheckpointPercentages: env.compute.rollout.checkpointPercentages,
          CheckpointDelay: env.compute.rollout.checkpointDelaySeconds,
          SkipMatching: true,
          AutoRollback: true,
          AlarmSpecification: { Alarms: ALARM_IDS.rollback.map((id) => names.alarm(prefix, id)) },
          ScaleInProtectedInstances: 'Refresh',
          StandbyInstances: 'Ignore',
        },
      },
    });
  });

  it('has nothing to do when the group already runs the version', () => {
    expect(planRelease('prod', target(3), groupOn('3'), [])).toEqual({
      kind: 'current',
      message: `${GROUP} already runs launch template version 3: nothing to release`,
    });
  });

  it.each([
    [
      'the stack names $Latest',
      () => planRelease('prod', { ...target(3), version: '$Latest' }, groupOn('2'), []),
      /needs a specific numbered version/,
    ],
    [
      'the group runs $Latest',
      () => planRelease('prod', target(3), groupOn('$Latest'), []),
      /runs launch template version "\$Latest": AWS cannot roll back/,
    ],
    ['the group runs $Default', () => planRelease('prod', target(3), groupOn('$Default'), []), /"\$Default"/],
    [
      'the group runs another template',
      () => planRelease('prod', target(3), groupOn('2', 'lt-0fffffffffffffff0'), []),
      /changed outside Terraform/,
    ],
    [
      'a refresh is in progress',
      () => planRelease('prod', target(3), groupOn('2'), [{ id: 'r-1', status: 'InProgress', percentageComplete: 40 }]),
      /already InProgress \(r-1, 40 %\); AWS runs one at a time/,
    ],
    [
      'a rollback is in progress',
      () => planRelease('prod', target(3), groupOn('2'), [{ id: 'r-1', status: 'RollbackInProgress' }]),
      /already RollbackInProgress/,
    ],
    [
      'the same version was rolled back last time',
      () =>
        planRelease('prod', target(3), groupOn('2'), [
          { id: 'r-1', status: 'RollbackSuccessful', desiredVersion: '3', desiredLaunchTemplateId: TEMPLATE.id, statusReason: 'alarm' },
        ]),
      /version 3 was already tried .* ended RollbackSuccessful \(alarm\): fix the release .* --retry/,
    ],
    [
      'rollback is asked for a template that resolves its AMI at launch',
      () => planRelease('prod', target(3, 'resolve:ssm:/aws/service/x'), groupOn('2'), []),
      /cannot roll such a template back/,
    ],
  ])('refuses when %s', (_, decide, message) => {
    expect(decide).toThrow(ReleaseError);
    expect(decide).toThrow(message);
  });

  it('tries a rolled-back version again with --retry', () => {
    const last = [{ id: 'r-1', status: 'RollbackSuccessful', desiredVersion: '3', desiredLaunchTemplateId: TEMPLATE.id }];
    expect(planRelease('prod', target(3), groupOn('2'), last, { retry: true }).kind).toBe('start');
  });

  it('warns about instances in Standby, which the refresh leaves on the old version', () => {
    const decision = planRelease('prod', target(3), groupOn('2', TEMPLATE.id, ['InService', 'Standby']), []);
    expect(decision.kind === 'start' && decision.warnings).toEqual([expect.stringMatching(/^i-1 is in Standby and keeps version 2/)]);
  });

  it('reads the output of a stack deployed before releases existed as a clear refusal', () => {
    expect(() => releaseTarget({ application: 'placeholder', launch_template_version: 4 }, 'web-prod')).toThrow(
      'the release output of web-prod has no rollout settings: deploy the stack with this version of the platform first (npm run deploy -- web-prod)',
    );
    expect(target(4).version).toBe('4');
  });

  it('calls it released only when AWS says Successful and the group runs the new version; rolled back only on the previous one', () => {
    const done = (status: string) => ({ id: 'r', status });
    expect(releaseOutcome(GROUP, '2', '3', done('Successful'), '3').code).toBe(RELEASE_EXIT.released);
    expect(releaseOutcome(GROUP, '2', '3', done('Successful'), '2').code).toBe(RELEASE_EXIT.needsOperator);
    expect(releaseOutcome(GROUP, '2', '3', done('RollbackSuccessful'), '2').code).toBe(RELEASE_EXIT.rolledBack);
    expect(releaseOutcome(GROUP, '2', '3', done('RollbackSuccessful'), '3').code).toBe(RELEASE_EXIT.needsOperator);
    for (const status of ['Failed', 'Cancelled', 'RollbackFailed'])
      expect(releaseOutcome(GROUP, '2', '3', done(status), '2').code).toBe(RELEASE_EXIT.needsOperator);
  });

  it('parses its arguments and refuses anything else with the usage', () => {
    expect(parseReleaseArgs(['prod', '--retry', '--timeout-minutes', '30'])).toEqual({
      environment: 'prod',
      dryRun: false,
      retry: true,
      timeoutMinutes: 30,
      pollSeconds: 15,
    });
    expect(parseReleaseArgs(['dev', '--dry-run', '--poll-seconds', '1'])).toMatchObject({
      dryRun: true,
      pollSeconds: 1,
      timeoutMinutes: 90,
    });
    expect(() => parseReleaseArgs(['prod', '--poll-seconds', '301'])).toThrow(
      '--poll-seconds needs a whole number of seconds from 1 to 300, got "301"',
    );
    expect(() => parseReleaseArgs([])).toThrow(/name one environment .* usage: npm run release -- <environment>/);
    expect(() => parseReleaseArgs(['prod', '--force'])).toThrow(/Unknown option '--force'.*usage/);
    expect(() => parseReleaseArgs(['prod', '--timeout-minutes', '0'])).toThrow(
      '--timeout-minutes needs a whole number of minutes from 1 to 9999, got "0"',
    );
  });
});

describe('the release against the Auto Scaling API (stub)', () => {
  let stub: AutoScalingStub;
  let clients: ReleaseClients;
  const credentials = { accessKeyId: 'STUB', secretAccessKey: 'STUB' };
  const lines: string[] = [];
  const release = (t: ReleaseTarget, options: { retry?: boolean; dryRun?: boolean; timeoutMs?: number } = {}) =>
    runRelease(env, t, clients, (line) => lines.push(line), { pollMs: 0, sleep: () => Promise.resolve(), ...options });

  beforeAll(async () => {
    stub = await AutoScalingStub.start(env.accountId);
    const settings = { region: env.region, endpoint: stub.endpoint, credentials, maxAttempts: 1 };
    clients = { autoScaling: new AutoScalingClient(settings), sts: new STSClient(settings) };
  });
  afterAll(() => stub.stop());
  beforeEach(() => {
    stub.reset();
    lines.length = 0;
    stub.addGroup(GROUP, { ...TEMPLATE, version: '2' }, 3);
  });

  it('success: the group ends on the new version, set by AWS at the end of the refresh (the release never updates the group)', async () => {
    const outcome = await release(target(3));
    expect(outcome).toEqual({ code: RELEASE_EXIT.released, message: `${GROUP} runs launch template version 3 (was 2)` });
    expect(stub.group(GROUP).launchTemplate.version).toBe('3');
    expect(stub.group(GROUP).instances.map((i) => i.version)).toEqual(['3', '3', '3']);
    const actions = stub.actions();
    expect(actions.slice(0, 4)).toEqual([
      'GetCallerIdentity',
      'DescribeAutoScalingGroups',
      'DescribeInstanceRefreshes',
      'StartInstanceRefresh',
    ]);
    expect(actions).not.toContain('UpdateAutoScalingGroup');
    expect(actions[actions.length - 1]).toBe('DescribeAutoScalingGroups');
    const start = stub.calls.find((c) => c.action === 'StartInstanceRefresh')!.params;
    expect(start).toMatchObject({
      AutoScalingGroupName: GROUP,
      'DesiredConfiguration.LaunchTemplate.LaunchTemplateId': TEMPLATE.id,
      'DesiredConfiguration.LaunchTemplate.Version': '3',
      'Preferences.AutoRollback': 'true',
      'Preferences.MinHealthyPercentage': '100',
      'Preferences.SkipMatching': 'true',
      'Preferences.AlarmSpecification.Alarms.member.1': names.alarm(prefix, ALARM_IDS.rollback[0]),
    });
    expect(lines).toContain('Successful 100 %');
  });

  it('an alarm during the refresh: AWS rolls back to the version saved before it started, the previous one (exit 3)', async () => {
    stub.scriptNextRefresh({ alarm: names.alarm(prefix, 'target_5xx') });
    const outcome = await release(target(3));
    expect(outcome.code).toBe(RELEASE_EXIT.rolledBack);
    expect(outcome.message).toMatch(
      new RegExp(
        `^version 3 failed on ${GROUP} and was rolled back: the group runs version 2 again: .*${names.alarm(prefix, 'target_5xx')}`,
      ),
    );
    expect(stub.group(GROUP).launchTemplate.version).toBe('2');
    expect(stub.group(GROUP).instances.map((i) => i.version)).toEqual(['2', '2', '2']);
    expect(lines).toEqual(
      expect.arrayContaining(['InProgress 50 % (Waiting for checkpoint (stub))', expect.stringMatching(/^RollbackInProgress/)]),
    );
    // The next deploy does not launch the bad version again unless asked to.
    await expect(release(target(3))).rejects.toThrow(/version 3 was already tried .* RollbackSuccessful/);
  });

  it("contrast, Terraform's instance_refresh: the group updated first, then the refresh — the same alarm rolls back onto the new version", async () => {
    stub.scriptNextRefresh({ alarm: names.alarm(prefix, 'target_5xx') });
    const client = clients.autoScaling;
    await client.send(
      new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: GROUP, LaunchTemplate: { LaunchTemplateId: TEMPLATE.id, Version: '3' } }),
    );
    await client.send(
      new StartInstanceRefreshCommand({
        AutoScalingGroupName: GROUP,
        DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: TEMPLATE.id, Version: '3' } },
        Preferences: { AutoRollback: true, AlarmSpecification: { Alarms: [names.alarm(prefix, 'target_5xx')] } },
      }),
    );
    let status = '';
    for (let polls = 0; polls < 10 && !['RollbackSuccessful', 'Successful', 'Failed'].includes(status); polls++) {
      const answer = await client.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: GROUP }));
      status = answer.InstanceRefreshes![0].Status!;
    }
    expect(status).toBe('RollbackSuccessful');
    expect(stub.group(GROUP).launchTemplate.version).toBe('3');
    expect(stub.group(GROUP).instances.map((i) => i.version)).toEqual(['3', '3', '3']);
  });

  it('refuses while another refresh is in progress, and starts nothing', async () => {
    stub.startForeignRefresh(GROUP);
    await expect(release(target(3))).rejects.toThrow(/an instance refresh of .* is already InProgress .*; AWS runs one at a time/);
    expect(stub.actions()).not.toContain('StartInstanceRefresh');
    // AWS itself refuses a second refresh: the race the release reports as such.
    await expect(
      clients.autoScaling.send(
        new StartInstanceRefreshCommand({
          AutoScalingGroupName: GROUP,
          DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: TEMPLATE.id, Version: '3' } },
        }),
      ),
    ).rejects.toMatchObject({ name: 'InstanceRefreshInProgressFault' });
  });

  it('refuses a group on $Latest (AWS would refuse the rollback too), and starts nothing', async () => {
    stub.group(GROUP).launchTemplate = { ...TEMPLATE, version: '$Latest' };
    await expect(release(target(3))).rejects.toThrow(/runs launch template version "\$Latest"/);
    expect(stub.actions()).not.toContain('StartInstanceRefresh');
    await expect(
      clients.autoScaling.send(
        new StartInstanceRefreshCommand({
          AutoScalingGroupName: GROUP,
          DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: TEMPLATE.id, Version: '3' } },
          Preferences: { AutoRollback: true },
        }),
      ),
    ).rejects.toThrow(/rollback is not supported/);
  });

  it('has nothing to release when the group runs the version: exit 0, no refresh', async () => {
    stub.group(GROUP).launchTemplate = { ...TEMPLATE, version: '3' };
    expect(await release(target(3))).toEqual({
      code: RELEASE_EXIT.released,
      message: `${GROUP} already runs launch template version 3: nothing to release`,
    });
    expect(stub.actions()).toEqual(['GetCallerIdentity', 'DescribeAutoScalingGroups', 'DescribeInstanceRefreshes']);
  });

  it('a dry run decides and starts nothing', async () => {
    const outcome = await release(target(3), { dryRun: true });
    expect(outcome.message).toMatch(/^dry run: would start \{"AutoScalingGroupName":/);
    expect(stub.actions()).not.toContain('StartInstanceRefresh');
  });

  it('stops waiting at the timeout and says the refresh goes on (exit 5)', async () => {
    stub.scriptNextRefresh('stuck');
    const outcome = await release(target(3), { timeoutMs: 0 });
    expect(outcome.code).toBe(RELEASE_EXIT.timedOut);
    expect(outcome.message).toMatch(/is still Pending after the wait; it goes on in AWS/);
  });

  it('refuses credentials of another account before reading the group', async () => {
    await expect(runRelease({ ...env, accountId: '222222222222' }, target(3), clients)).rejects.toThrow(
      `the credentials are for account ${env.accountId}, environment "prod" is in 222222222222`,
    );
    expect(stub.actions()).toEqual(['GetCallerIdentity']);
  });
});
