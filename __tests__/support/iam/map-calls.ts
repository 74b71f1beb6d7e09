/**
 * Maps every AWS call of recorded Terraform logs to simulator requests and reports what could not be
 * mapped: the end-to-end check of the table against a real emulated run.
 *
 *   node scripts/app.mjs __tests__/support/iam/map-calls.ts <log dir or .jsonl files…> [--account ID]
 *        [--state state.json…] [--simulate]
 *
 * Logs are read in file-name order (the harness names them by start time); facts come from the states
 * given and from the calls of all logs. With --simulate every distinct request is also run through
 * `@cloud-copilot/iam-simulate` under an allow-all identity policy: anything but Allowed, or a context key
 * the simulator ignores, is a mapping error (a wrong ARN shape, a key AWS does not evaluate there).
 * Exits 1 when anything failed. The simulator is AGPL-3.0-or-later: used by tests and this script only
 * (a devDependency), never shipped.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readCallLogs } from './call-log';
import { factsFromState, type TerraformStateJson } from './facts';
import { describeRequest, noPermissionReason, requestsOf, uniqueRequests, type SimRequest } from './requests';

interface Args {
  readonly files: string[];
  readonly account: string;
  readonly states: string[];
  readonly simulate: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const files: string[] = [];
  const states: string[] = [];
  let account = '111111111111';
  let simulate = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--account') account = argv[++i];
    else if (a === '--state') states.push(argv[++i]);
    else if (a === '--simulate') simulate = true;
    else if (statSync(a).isDirectory()) {
      files.push(
        ...readdirSync(a)
          .filter((f) => f.endsWith('.jsonl') || f.endsWith('.log'))
          .sort()
          .map((f) => join(a, f)),
      );
    } else files.push(a);
  }
  if (files.length === 0) throw new Error('usage: map-calls.ts <log dir or files…> [--account ID] [--state state.json…] [--simulate]');
  return { files, account, states, simulate };
}

async function simulate(requests: readonly SimRequest[]): Promise<string[]> {
  const { runSimulation, runUnsafeSimulation } = await import('@cloud-copilot/iam-simulate');
  const failures: string[] = [];
  const allowAll = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
  for (const r of requests) {
    const keyPolicy = (account: string) => ({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' }],
    });
    const resourcePolicy =
      (r.resourcePolicy as any) ?? (r.action.startsWith('kms:') && r.resource !== '*' ? keyPolicy(r.accountId) : undefined);
    const simulation: any = {
      request: {
        principal: `arn:aws:iam::${r.accountId}:role/ci`,
        action: r.action,
        resource: { resource: r.resource, accountId: r.accountId },
        contextVariables: r.context,
      },
      identityPolicies: [{ name: 'allow-all', policy: allowAll }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(resourcePolicy ? { resourcePolicy } : {}),
    };
    if (r.dataGap) {
      const result = runUnsafeSimulation(simulation, {});
      if (result !== 'Allowed') failures.push(`${result} (unsafe, data gap): ${describeRequest(r)}`);
      continue;
    }
    const result = await runSimulation(simulation, { simulationMode: 'Strict' });
    if (result.resultType === 'error') failures.push(`ERROR ${JSON.stringify(result.errors)}: ${describeRequest(r)}`);
    else if (result.overallResult !== 'Allowed') failures.push(`${result.overallResult}: ${describeRequest(r)}`);
    else if (result.resultType === 'single' && (result.result.ignoredContextKeys?.length ?? 0) > 0) {
      failures.push(`ignored context keys ${JSON.stringify(result.result.ignoredContextKeys)}: ${describeRequest(r)}`);
    }
  }
  return failures;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2).filter((a) => !a.endsWith('.ts')));
  const log = readCallLogs(args.files);
  const facts = factsFromState(
    args.states.map((s) => JSON.parse(readFileSync(s, 'utf8')) as TerraformStateJson),
    args.account,
  ).learn(log.calls);
  const errors = new Map<string, string>();
  const operations = new Map<string, number>();
  const requests: SimRequest[] = [];
  let noPermission = 0;
  for (const call of log.calls) {
    const op = `${call.service}:${call.operation}`;
    try {
      const rs = requestsOf(call, facts);
      if (rs.length === 0 && noPermissionReason(call)) noPermission++;
      requests.push(...rs);
      operations.set(op, (operations.get(op) ?? 0) + 1);
    } catch (e) {
      if (!errors.has(op)) errors.set(op, (e as Error).message);
    }
  }
  const unique = uniqueRequests(requests);
  const byAction = new Map<string, number>();
  for (const r of unique) byAction.set(r.action, (byAction.get(r.action) ?? 0) + 1);
  console.log(
    `${args.files.length} logs, ${log.calls.length} calls (${log.calls.filter((c) => c.retried).length} retried attempts, ${log.calls.filter((c) => !c.response).length} without response)`,
  );
  console.log(`${operations.size} distinct operations mapped, ${errors.size} failing; ${noPermission} calls need no permission`);
  console.log(
    `${requests.length} requests (${requests.filter((r) => r.source === 'implied').length} implied), ${unique.length} distinct, ${byAction.size} distinct actions`,
  );
  console.log(`${unique.filter((r) => r.dataGap).length} distinct requests with an iam-data gap`);
  for (const u of log.unreadable) console.log(`UNREADABLE ${u.file}:${u.line}: ${u.reason}`);
  for (const o of log.orphanResponses)
    console.log(`ORPHAN RESPONSE ${o.service} ${o.operation} (${o.resourceType ?? o.module}) status ${o.status} at ${o.file}:${o.line}`);
  for (const [op, message] of errors) console.log(`FAIL ${op}: ${message}`);
  let failures: string[] = [];
  if (args.simulate) {
    failures = await simulate(unique);
    for (const f of failures) console.log(`SIM ${f}`);
    console.log(`simulated ${unique.length} distinct requests: ${failures.length} not Allowed under allow-all or with ignored keys`);
  }
  if (process.env.MAP_CALLS_VERBOSE)
    for (const r of unique) console.log(`REQ ${r.source} ${describeRequest(r)} ${JSON.stringify(r.context)}`);
  if (errors.size > 0 || failures.length > 0 || log.orphanResponses.length > 0 || log.unreadable.length > 0) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
