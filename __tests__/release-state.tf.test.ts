/**
 * A release leaves Terraform nothing to change, whichever way it ends. Real Terraform applies the platform's
 * AppServers construct (the launch template, the group, their role, profile and security group, on a VPC of
 * two subnets) to moto on loopback, then a new release of it; the real `npm run release` (scripts/release.ts,
 * reading the stack's `release` output from the state) rolls it out against the Auto Scaling stub
 * (__tests__/support/auto-scaling-stub.ts: moto has no instance refresh), and the group's version the stub
 * ends on is written to moto with UpdateAutoScalingGroup, as AWS sets it at the end of a refresh. After the
 * rollback (the group back on the previous version, the template's latest being the bad one) and after the
 * success (the group on the latest), `terraform plan` with a refresh plans no change: nothing beyond what
 * moto is known not to keep (entries of __tests__/support/emulator-gaps.ts, judged as the emulated deploy
 * judges its second plan: the group's DefaultInstanceWarmup, the template's own tags). A control plan
 * without the platform's `ignore_changes` shows the change the release's version would be undone with, so
 * the check can fail.
 *
 * Scope: the app servers alone, not the whole environment stack. The group, its launch template and their
 * lifecycle are what a release and the plans touch; the rest of a stack (database, load balancer, edge) only
 * slows the applies down (the emulated project deploys whole stacks).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoScalingClient, DescribeAutoScalingGroupsCommand, UpdateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { App, LocalBackend, TerraformOutput } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { platform } from '../config/environments';
import { DEFAULT_AMI_PARAMETER } from '../config/schema';
import { validateConfig } from '../config/validate';
import { AppServers } from '../modules/app-servers';
import { ALARM_IDS, names, prefixOf, webStackName } from '../naming';
import { RELEASE_EXIT } from '../commands/release';
import { startMoto, type MotoServer } from '../harness/moto';
import { cliConfigFile, terraformBinary, type PlanJson } from '../harness/terraform';
import { ReadableStack } from '../stacks/readable-stack';
import { EMULATOR_CREDENTIALS } from './support/aws-readback';
import { AutoScalingStub } from './support/auto-scaling-stub';
import { ProxyTrap, emulatorEnv, providerOverrideFile, runCommand } from './support/emulated-deploy';
import { GapLedger, changedPaths, judgePlan } from './support/emulator-gaps';

jest.setTimeout(600_000);

const config = validateConfig(platform);
const env = config.environments[0];
const prefix = prefixOf(config.project, env.name);
const stackName = webStackName(config.project, env.name);
const root = join(__dirname, '..');
const outdir = mkdtempSync(join(tmpdir(), 'release-state-'));
const dir = join(outdir, 'stacks', stackName);

class AppServersStack extends ReadableStack {}

/** Synthesizes the app servers of `env` into `dir`; `feature` lands in the boot settings, so each value is a new launch template version. */
function synthesize(feature: string): void {
  const app = new App({ outdir, stackTraces: false });
  const stack = new AppServersStack(app, stackName);
  new LocalBackend(stack, { path: 'terraform.tfstate' });
  new AwsProvider(stack, 'aws', { region: env.region, allowedAccountIds: [env.accountId] });
  const vpc = new Vpc(stack, 'vpc', { cidrBlock: '10.0.0.0/16' });
  const subnets = env.availabilityZones
    .slice(0, 2)
    .map((zone, i) => new Subnet(stack, `subnet_${i}`, { vpcId: vpc.id, cidrBlock: `10.0.${i}.0/24`, availabilityZone: zone }));
  const servers = new AppServers(stack, 'app_servers', {
    prefix,
    vpcId: vpc.id,
    subnetIds: subnets.map((s) => s.id),
    instanceType: env.compute.instanceType,
    ami: { ssmParameter: DEFAULT_AMI_PARAMETER, resolution: 'plan' },
    application: { kind: 'placeholder' },
    secretPrefix: `${config.project}/${env.name}`,
    rollout: env.compute.rollout,
    rollbackAlarmNames: ALARM_IDS.rollback.map((id) => names.alarm(prefix, id)),
    logRetentionDays: env.logRetentionDays,
    appPort: 8080,
    healthCheckPath: '/health',
    minSize: 1,
    desiredCapacity: 1,
    maxSize: 2,
    targetGroupArns: [],
    databaseSecretArn: `arn:aws:secretsmanager:${env.region}:${env.accountId}:secret:rds!db-release-test-AbCdEf`,
    kmsKeyArn: `arn:aws:kms:${env.region}:${env.accountId}:key/00000000-0000-4000-8000-000000000000`,
    region: env.region,
    accountId: env.accountId,
    appEnvironment: { FEATURE: feature },
    instanceTags: {},
  });
  // The web stack's output, as far as a release reads it.
  new TerraformOutput(stack, 'release', {
    value: { launch_template_version: servers.launchTemplate.latestVersion, rollout: servers.rollout.asAnyMap },
  });
  app.synth();
}

let moto: MotoServer;
let trap: ProxyTrap;
let stub: AutoScalingStub;
let motoScaling: AutoScalingClient;
const group = names.appServers(prefix);

const terraform = async (args: string[], extraEnv: Record<string, string> = {}) =>
  runCommand(terraformBinary(), args, dir, { ...emulatorEnv(moto, trap), ...extraEnv });
async function apply(): Promise<void> {
  const run = await terraform(['apply', '-input=false', '-auto-approve', '-no-color']);
  if (run.code !== 0) throw new Error(`terraform apply failed:\n${run.stdout}\n${run.stderr}\n${moto.log().slice(-3000)}`);
}
const GROUP_ADDRESS = 'aws_autoscaling_group.app_servers_auto_scaling_group';
const TEMPLATE_ADDRESS = 'aws_launch_template.app_servers_launch_template';

/** `terraform plan` with a refresh (as `npm run drift` plans), as Terraform's JSON. */
async function plan(): Promise<PlanJson> {
  const run = await terraform(['plan', '-input=false', '-lock=false', '-no-color', '-out=release.tfplan']);
  if (run.code !== 0) throw new Error(`terraform plan failed:\n${run.stdout}\n${run.stderr}`);
  const shown = await terraform(['show', '-json', 'release.tfplan']);
  return JSON.parse(shown.stdout) as PlanJson;
}
/** The attributes of `address` the plan changes. */
function changesOf(planned: PlanJson, address: string): string[] {
  const rc = planned.resource_changes.find((r) => r.address === address) as
    { change: { actions: string[]; before: unknown; after: unknown; after_unknown: unknown } } | undefined;
  if (!rc || rc.change.actions.every((a) => a === 'no-op' || a === 'read')) return [];
  return changedPaths(rc.change.before, rc.change.after, rc.change.after_unknown).map((p) => p.path);
}
/** What the plan would change beyond moto's known gaps: nothing, after an apply or a release. */
function unexplained(planned: PlanJson): string[] {
  return judgePlan(planned, new Set(), new GapLedger(), 'release-state').flatMap((v) => v.unexplained.map((u) => `${v.address}: ${u}`));
}

async function motoGroup() {
  const answer = await motoScaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [group] }));
  return answer.AutoScalingGroups![0].LaunchTemplate!;
}

/** The real `npm run release -- <env>` (without its synth: the stack is synthesized here), against the stub. */
function release(...flags: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['scripts/app.mjs', 'scripts/release.ts', env.name, '--poll-seconds', '1', ...flags],
      {
        cwd: root,
        encoding: 'utf8',
        timeout: 300_000,
        env: {
          ...process.env,
          ...emulatorEnv(moto, trap),
          CDKTF_OUTDIR: outdir,
          TF_CLI_CONFIG_FILE: cliConfigFile(),
          AWS_ENDPOINT_URL_AUTO_SCALING: stub.endpoint,
          AWS_ENDPOINT_URL_STS: stub.endpoint,
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        },
      },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** The stub's group as moto holds it, `script` for its next refresh; after the release, its version written back to moto. */
async function releaseThroughStub(script: Parameters<AutoScalingStub['scriptNextRefresh']>[0], ...flags: string[]) {
  const current = await motoGroup();
  if (!stub.has(group))
    stub.addGroup(group, { id: current.LaunchTemplateId!, name: current.LaunchTemplateName!, version: current.Version! }, 1);
  stub.scriptNextRefresh(script);
  const run = await release(...flags);
  const after = stub.group(group).launchTemplate;
  await motoScaling.send(
    new UpdateAutoScalingGroupCommand({
      AutoScalingGroupName: group,
      LaunchTemplate: { LaunchTemplateId: after.id, Version: after.version },
    }),
  );
  return run;
}

beforeAll(async () => {
  // The instance role attaches AWS's Session Manager policy, which moto knows only when asked to load them.
  [moto, trap, stub] = await Promise.all([
    startMoto(env.accountId, { MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' }),
    ProxyTrap.start(),
    AutoScalingStub.start(env.accountId),
  ]);
  motoScaling = new AutoScalingClient({ region: env.region, endpoint: moto.endpoint, credentials: EMULATOR_CREDENTIALS, maxAttempts: 3 });
  synthesize('one');
  for (const [name, content] of Object.entries(providerOverrideFile())) writeFileSync(join(dir, name), content);
  const init = await terraform(['init', '-input=false', '-no-color']);
  if (init.code !== 0) throw new Error(`terraform init failed:\n${init.stdout}\n${init.stderr}`);
  await apply();
}, 900_000);

afterAll(async () => {
  await Promise.all([moto?.stop(), trap?.stop(), stub?.stop()]);
  rmSync(outdir, { recursive: true, force: true });
}, 60_000);

describe('a release and the Terraform plan after it', () => {
  it('the first apply puts the group on the launch template version by number; the plan has no change', async () => {
    expect((await motoGroup()).Version).toBe('1');
    expect(unexplained(await plan())).toEqual([]);
  });

  it('a new release is applied as a new launch template version only: the group stays on the previous one', async () => {
    synthesize('two');
    const planned = await plan();
    expect(changesOf(planned, TEMPLATE_ADDRESS)).toContain('user_data');
    expect(changesOf(planned, GROUP_ADDRESS).filter((p) => p.startsWith('launch_template'))).toEqual([]);
    await apply();
    expect((await motoGroup()).Version).toBe('1');
    expect(unexplained(await plan())).toEqual([]);
  });

  it('an alarm rolls the release back: the group ends on the previous version, and the plan has no change', async () => {
    const run = await releaseThroughStub({ alarm: names.alarm(prefix, 'target_5xx') });
    expect({ code: run.code, stderr: run.stderr }).toEqual({
      code: RELEASE_EXIT.rolledBack,
      stderr: expect.stringContaining(`version 2 failed on ${group} and was rolled back: the group runs version 1 again`),
    });
    const start = stub.calls.find((c) => c.action === 'StartInstanceRefresh')!.params;
    expect(start['DesiredConfiguration.LaunchTemplate.Version']).toBe('2');
    expect(start['DesiredConfiguration.LaunchTemplate.LaunchTemplateId']).toBe((await motoGroup()).LaunchTemplateId);
    expect((await motoGroup()).Version).toBe('1');
    expect(unexplained(await plan())).toEqual([]);
  });

  it("control: without the platform's ignore_changes, the same plan would move the group to the latest version itself", async () => {
    const override = join(dir, 'zz_control_override.tf.json');
    writeFileSync(
      override,
      JSON.stringify({
        resource: { aws_autoscaling_group: { app_servers_auto_scaling_group: { lifecycle: { ignore_changes: ['desired_capacity'] } } } },
      }),
    );
    try {
      expect(unexplained(await plan())).toEqual([`${GROUP_ADDRESS}: launch_template[0].version: "1" -> "2"`]);
    } finally {
      rmSync(override);
    }
  });

  it('the release tried again succeeds: the group ends on the latest version, and the plan has no change', async () => {
    const refused = await release();
    expect(refused.code).toBe(RELEASE_EXIT.refused);
    expect(refused.stderr).toMatch(/version 2 was already tried .* --retry/);
    const run = await releaseThroughStub('success', '--retry');
    expect({ code: run.code, stdout: run.stdout }).toEqual({
      code: RELEASE_EXIT.released,
      stdout: expect.stringContaining(`${group} runs launch template version 2 (was 1)`),
    });
    expect((await motoGroup()).Version).toBe('2');
    expect(unexplained(await plan())).toEqual([]);
    const again = await release();
    expect({ code: again.code, stdout: again.stdout }).toEqual({ code: 0, stdout: expect.stringContaining('nothing to release') });
    expect(trap.attempts()).toEqual([]);
  });
});
