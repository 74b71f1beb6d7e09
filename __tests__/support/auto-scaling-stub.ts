/**
 * A stub of the EC2 Auto Scaling Query API (and STS GetCallerIdentity) on loopback, for the release tests:
 * moto has no instance refresh. It records every call and answers the operations a release and Terraform's
 * provider use, modelling what the AWS documentation says about instance refreshes:
 *
 * - StartInstanceRefresh saves the group's launch template as it is at that moment: a rollback returns to
 *   "the configuration that you last saved on the Auto Scaling group before starting the instance refresh"
 *   (User Guide, "Undo changes with a manual or auto rollback",
 *   https://docs.aws.amazon.com/autoscaling/ec2/userguide/instance-refresh-rollback.html; RollbackInstanceRefresh:
 *   "restores your Auto Scaling group to the configuration that it was using before the start of the instance
 *   refresh").
 * - Only success changes the group's settings: "Once the instance refresh succeeds, Amazon EC2 Auto Scaling
 *   updates the settings of the Auto Scaling group to reflect the new desired configuration"
 *   (StartInstanceRefresh, DesiredConfiguration).
 * - One refresh at a time: a second start while one is active fails with InstanceRefreshInProgress ("The
 *   request failed because an active instance refresh already exists", StartInstanceRefresh errors).
 * - AutoRollback needs a desired configuration ("The AutoRollback parameter cannot be set to true when the
 *   DesiredConfiguration parameter is empty", the API's message as the provider quotes it) and is refused for a
 *   group or desired configuration on `$Latest`/`$Default` (RefreshPreferences.AutoRollback: "A rollback is not
 *   supported" then; that message is the stub's own).
 * - With AutoRollback, an alarm in ALARM or a failed launch ends in RollbackInProgress, then
 *   RollbackSuccessful; without it, in Failed (the group keeps its saved configuration, instances stay mixed).
 *
 * Time is a counter: each DescribeInstanceRefreshes call moves every active refresh one step through the
 * outcome the test scripted (`scriptNextRefresh`), so a release's polling needs no real waiting. Statuses and
 * fields are the API's (DescribeInstanceRefreshes); status reasons are the stub's own words.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubLaunchTemplate {
  readonly id: string;
  readonly name: string;
  readonly version: string;
}

export interface StubInstance {
  readonly id: string;
  version: string;
  lifecycleState: string;
}

export interface StubGroup {
  readonly name: string;
  launchTemplate: StubLaunchTemplate;
  readonly instances: StubInstance[];
}

/**
 * How the next refresh ends: success, an alarm going into ALARM half-way, launches failing, or never (it
 * stays InProgress).
 */
export type RefreshScript = 'success' | { readonly alarm: string } | 'launch-failure' | 'stuck';

interface Refresh {
  readonly id: string;
  readonly group: string;
  status: string;
  statusReason?: string;
  percentageComplete: number;
  readonly startTime: Date;
  readonly desired?: StubLaunchTemplate;
  /** The group's launch template when the refresh started: the rollback target. */
  readonly saved: StubLaunchTemplate;
  readonly autoRollback: boolean;
  readonly alarms: string[];
  readonly script: RefreshScript;
  rollbackReason?: string;
  step: number;
}

/** One recorded request: the action and its parameters as sent (flattened Query keys). */
export interface StubCall {
  readonly action: string;
  readonly params: Readonly<Record<string, string>>;
}

const AS_NS = 'http://autoscaling.amazonaws.com/doc/2011-01-01/';
const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const el = (name: string, content: string | number | boolean | undefined): string =>
  content === undefined ? '' : `<${name}>${typeof content === 'string' ? escape(content) : String(content)}</${name}>`;
/** An element around XML that is already written. */
const node = (name: string, xml: string): string => `<${name}>${xml}</${name}>`;
const members = (items: readonly string[]) => items.map((item) => `<member>${item}</member>`).join('');
const templateXml = (t: StubLaunchTemplate) => el('LaunchTemplateId', t.id) + el('LaunchTemplateName', t.name) + el('Version', t.version);

/** `Prefix.member.N` values, in order. */
function listParam(params: Record<string, string>, prefix: string): string[] {
  const out: string[] = [];
  for (let i = 1; params[`${prefix}.member.${i}`] !== undefined; i++) out.push(params[`${prefix}.member.${i}`]);
  return out;
}

class StubError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const ACTIVE = ['Pending', 'InProgress', 'Cancelling', 'RollbackInProgress', 'Baking'];

export class AutoScalingStub {
  readonly calls: StubCall[] = [];
  private readonly groups = new Map<string, StubGroup>();
  private readonly refreshes: Refresh[] = [];
  private next: RefreshScript = 'success';
  private counter = 0;
  private instanceCounter = 0;

  private constructor(
    private readonly server: Server,
    /** `http://127.0.0.1:<port>`: the endpoint of the Auto Scaling and STS clients. */
    readonly endpoint: string,
    /** The account GetCallerIdentity answers with. */
    readonly accountId: string,
  ) {}

  static async start(accountId: string): Promise<AutoScalingStub> {
    const holder: { stub?: AutoScalingStub } = {};
    const server = createServer((req, res) => void holder.stub!.handle(req, res));
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
    holder.stub = new AutoScalingStub(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, accountId);
    return holder.stub;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Forgets every group, refresh and call, and the scripted outcome. */
  reset(): void {
    this.groups.clear();
    this.refreshes.length = 0;
    this.calls.length = 0;
    this.next = 'success';
  }

  /** Adds a group on `template` with `count` instances that run its version. */
  addGroup(name: string, template: StubLaunchTemplate, count = 2): StubGroup {
    const group: StubGroup = {
      name,
      launchTemplate: { ...template },
      instances: Array.from({ length: count }, () => ({
        id: `i-${String(++this.instanceCounter).padStart(17, '0')}`,
        version: template.version,
        lifecycleState: 'InService',
      })),
    };
    this.groups.set(name, group);
    return group;
  }

  has(name: string): boolean {
    return this.groups.has(name);
  }

  group(name: string): StubGroup {
    const group = this.groups.get(name);
    if (!group) throw new Error(`no group ${name} in the stub`);
    return group;
  }

  /** How the next started refresh will end. */
  scriptNextRefresh(script: RefreshScript): void {
    this.next = script;
  }

  /** A refresh someone else started that stays InProgress (no desired configuration). */
  startForeignRefresh(groupName: string): string {
    const group = this.group(groupName);
    const refresh = this.newRefresh(group, undefined, false, [], 'stuck');
    refresh.status = 'InProgress';
    return refresh.id;
  }

  /** The actions called, in order. */
  actions(): string[] {
    return this.calls.map((c) => c.action);
  }

  private newRefresh(
    group: StubGroup,
    desired: StubLaunchTemplate | undefined,
    autoRollback: boolean,
    alarms: string[],
    script: Refresh['script'],
  ): Refresh {
    const refresh: Refresh = {
      id: `0000000${++this.counter}-refresh-stub`,
      group: group.name,
      status: 'Pending',
      percentageComplete: 0,
      startTime: new Date(Date.UTC(2026, 0, 1, 0, this.counter)),
      desired,
      saved: { ...group.launchTemplate },
      autoRollback,
      alarms,
      script,
      step: 0,
    };
    this.refreshes.push(refresh);
    return refresh;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    const params = Object.fromEntries(new URLSearchParams(body)) as Record<string, string>;
    const action = params.Action ?? '';
    this.calls.push({ action, params });
    try {
      const sts = action === 'GetCallerIdentity';
      const result = this.dispatch(action, params);
      const ns = sts ? STS_NS : AS_NS;
      res.writeHead(200, { 'Content-Type': 'text/xml' });
      res.end(
        `<${action}Response xmlns="${ns}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>stub-${this.calls.length}</RequestId></ResponseMetadata></${action}Response>`,
      );
    } catch (error) {
      const e = error instanceof StubError ? error : new StubError('InternalFailure', String(error), 500);
      res.writeHead(e.status, { 'Content-Type': 'text/xml' });
      res.end(
        `<ErrorResponse xmlns="${AS_NS}"><Error><Type>Sender</Type><Code>${e.code}</Code><Message>${escape(e.message)}</Message></Error><RequestId>stub-${this.calls.length}</RequestId></ErrorResponse>`,
      );
    }
  }

  private dispatch(action: string, p: Record<string, string>): string {
    switch (action) {
      case 'GetCallerIdentity':
        return el('Arn', `arn:aws:iam::${this.accountId}:user/release-test`) + el('UserId', 'AIDSTUB') + el('Account', this.accountId);
      case 'DescribeAutoScalingGroups': {
        const names = listParam(p, 'AutoScalingGroupNames');
        const groups = [...this.groups.values()].filter((g) => names.length === 0 || names.includes(g.name));
        return node(
          'AutoScalingGroups',
          members(
            groups.map(
              (g) =>
                el('AutoScalingGroupName', g.name) +
                node('LaunchTemplate', templateXml(g.launchTemplate)) +
                el('MinSize', 2) +
                el('MaxSize', 6) +
                el('DesiredCapacity', g.instances.length) +
                node(
                  'Instances',
                  members(
                    g.instances.map(
                      (i) =>
                        el('InstanceId', i.id) +
                        el('LifecycleState', i.lifecycleState) +
                        el('HealthStatus', 'Healthy') +
                        node('LaunchTemplate', templateXml({ ...g.launchTemplate, version: i.version })) +
                        el('ProtectedFromScaleIn', false),
                    ),
                  ),
                ),
            ),
          ),
        );
      }
      case 'UpdateAutoScalingGroup': {
        // What Terraform's provider does before it starts its own refresh: save the new version on the group.
        const group = this.group(p.AutoScalingGroupName);
        if (p['LaunchTemplate.Version'] !== undefined)
          group.launchTemplate = { ...group.launchTemplate, version: p['LaunchTemplate.Version'] };
        return '';
      }
      case 'StartInstanceRefresh':
        return el('InstanceRefreshId', this.start(p));
      case 'DescribeInstanceRefreshes': {
        const ids = listParam(p, 'InstanceRefreshIds');
        for (const r of this.refreshes) this.advance(r);
        const list = this.refreshes.filter((r) => r.group === p.AutoScalingGroupName && (ids.length === 0 || ids.includes(r.id))).reverse();
        return node(
          'InstanceRefreshes',
          members(
            list.map(
              (r) =>
                el('InstanceRefreshId', r.id) +
                el('AutoScalingGroupName', r.group) +
                el('Status', r.status) +
                el('StatusReason', r.statusReason) +
                el('StartTime', r.startTime.toISOString()) +
                el('PercentageComplete', r.percentageComplete) +
                (r.desired ? node('DesiredConfiguration', node('LaunchTemplate', templateXml(r.desired))) : '') +
                (r.rollbackReason ? node('RollbackDetails', el('RollbackReason', r.rollbackReason)) : ''),
            ),
          ),
        );
      }
      default:
        throw new StubError('InvalidAction', `the stub does not implement ${action}`);
    }
  }

  private start(p: Record<string, string>): string {
    const group = this.groups.get(p.AutoScalingGroupName);
    if (!group) throw new StubError('ValidationError', `AutoScalingGroup name not found - ${p.AutoScalingGroupName}`);
    if (this.refreshes.some((r) => r.group === group.name && ACTIVE.includes(r.status)))
      throw new StubError(
        'InstanceRefreshInProgress',
        'An Instance Refresh is already in progress and blocks the execution of this Instance Refresh.',
      );
    const id = p['DesiredConfiguration.LaunchTemplate.LaunchTemplateId'];
    const version = p['DesiredConfiguration.LaunchTemplate.Version'];
    const desired =
      id !== undefined || version !== undefined
        ? { id: id ?? group.launchTemplate.id, name: group.launchTemplate.name, version: version ?? '$Default' }
        : undefined;
    const autoRollback = p['Preferences.AutoRollback'] === 'true';
    if (autoRollback && !desired)
      throw new StubError(
        'ValidationError',
        'The AutoRollback parameter cannot be set to true when the DesiredConfiguration parameter is empty.',
      );
    const floating = ['$Latest', '$Default'];
    if (autoRollback && (floating.includes(group.launchTemplate.version) || floating.includes(desired!.version)))
      throw new StubError(
        'ValidationError',
        'A rollback is not supported for a group or a desired configuration on $Latest or $Default (stub).',
      );
    const script = this.next;
    this.next = 'success';
    return this.newRefresh(group, desired, autoRollback, listParam(p, 'Preferences.AlarmSpecification.Alarms'), script).id;
  }

  /** One step of `r` along its script. */
  private advance(r: Refresh): void {
    if (!ACTIVE.includes(r.status) || r.script === 'stuck') return;
    const group = this.group(r.group);
    const replaceHalf = (version: string) =>
      group.instances.slice(0, Math.ceil(group.instances.length / 2)).forEach((i) => (i.version = version));
    r.step++;
    if (r.status === 'Pending') {
      r.status = 'InProgress';
    } else if (r.status === 'InProgress' && r.percentageComplete < 50) {
      replaceHalf(r.desired?.version ?? group.launchTemplate.version);
      r.percentageComplete = 50;
      r.statusReason = 'Waiting for checkpoint (stub)';
    } else if (r.status === 'InProgress') {
      if (r.script === 'success') {
        group.instances.forEach((i) => (i.version = r.desired?.version ?? group.launchTemplate.version));
        if (r.desired) group.launchTemplate = { ...r.desired };
        r.status = 'Successful';
        r.percentageComplete = 100;
        r.statusReason = undefined;
        return;
      }
      const why =
        r.script === 'launch-failure'
          ? 'instances of the new version failed to launch (stub)'
          : `alarm ${r.script.alarm} went into ALARM (stub)`;
      if (typeof r.script === 'object' && !r.alarms.includes(r.script.alarm)) {
        // An alarm the refresh does not watch changes nothing: it succeeds.
        group.instances.forEach((i) => (i.version = r.desired?.version ?? group.launchTemplate.version));
        if (r.desired) group.launchTemplate = { ...r.desired };
        r.status = 'Successful';
        r.percentageComplete = 100;
        return;
      }
      if (r.autoRollback) {
        r.status = 'RollbackInProgress';
        r.statusReason = `Rolling back: ${why}`;
        r.rollbackReason = `Automatic rollback: ${why}`;
      } else {
        r.status = 'Failed';
        r.statusReason = why;
      }
    } else if (r.status === 'RollbackInProgress') {
      group.launchTemplate = { ...r.saved };
      group.instances.forEach((i) => (i.version = r.saved.version));
      r.status = 'RollbackSuccessful';
      r.statusReason = `Rolled back to the configuration saved before the refresh: ${r.rollbackReason ?? ''}`;
    }
  }
}
