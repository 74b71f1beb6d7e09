/**
 * The proof that the CI roles can do what the stacks need: every AWS call Terraform made in a recorded run
 * (call-log.ts), turned into the requests AWS authorizes for it (requests.ts: the operation's actions, the
 * resources and context it names, and the checks AWS makes besides), each decided by the IAM simulator for
 * the role that makes that call in CI (simulate.ts). What is not allowed is listed with the call, the action,
 * the resource and the deciding statement; an operation the table does not know fails too (the table fails
 * closed).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runUnsafeSimulation } from '@cloud-copilot/iam-simulate';
import { readCallLogs, type CallLog, type RecordedCall } from './call-log';
import { factsFromState, type FactBook, type TerraformStateJson } from './facts';
import { describeRequest, requestsOf, uniqueRequests, type SimRequest } from './requests';
import { decide, type Principal } from './simulate';

/** The recorded logs of a directory, oldest first (the harness names them by start time). */
export function logsIn(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .map((f) => join(dir, f));
}

/** What one run's calls need and what the role is refused. */
export interface Verdicts {
  readonly calls: number;
  /** Distinct requests decided. */
  readonly requests: number;
  /** `<call>: <action> on <resource> — <result> (<deciding statements>)` for each request not allowed. */
  readonly refused: readonly string[];
  /** Calls that could not be turned into requests (an unmapped operation, a missing fact). */
  readonly unmapped: readonly string[];
  /** Responses whose request is missing from the log, and unreadable entries: the log is incomplete. */
  readonly incomplete: readonly string[];
}

/** The facts of a run: every state its stacks had and every call recorded (tags, aliases, policies, …). */
export function factsOf(accountId: string, states: readonly TerraformStateJson[], logs: readonly CallLog[]): FactBook {
  const facts = factsFromState(states, accountId);
  for (const log of logs) facts.learn(log.calls);
  return facts;
}

/**
 * Decides every call of `log` for `principal`. `retarget` maps a request before it is decided (the same calls
 * made from another account, for the one-account-per-environment proof); `skip` leaves out calls made by
 * someone else than the principal in CI (the state pulls of the test harness itself).
 */
export async function decideCalls(
  log: CallLog,
  facts: FactBook,
  principal: Principal,
  options: { readonly retarget?: (r: SimRequest) => SimRequest; readonly skip?: (c: RecordedCall) => boolean } = {},
): Promise<Verdicts> {
  const requests: SimRequest[] = [];
  const unmapped = new Set<string>();
  const calls = log.calls.filter((c) => !(options.skip?.(c) ?? false));
  for (const call of calls) {
    try {
      requests.push(...requestsOf(call, facts));
    } catch (error) {
      unmapped.add((error as Error).message);
    }
  }
  const unique = uniqueRequests(requests.map((r) => options.retarget?.(r) ?? r));
  const refused: string[] = [];
  for (const r of unique) {
    const outcome = r.dataGap
      ? unsafe(principal, r)
      : await decide(principal, { ...r, resourcePolicy: r.resourcePolicy as never, context: r.context as never });
    if (!outcome.allowed) refused.push(`${describeRequest(r)}: ${outcome.result} (${outcome.why})`);
  }
  return {
    calls: calls.length,
    requests: unique.length,
    refused: refused.sort(),
    unmapped: [...unmapped].sort(),
    incomplete: [
      ...log.orphanResponses.map((o) => `a response without its request: ${o.service} ${o.operation} at ${o.file}:${o.line}`),
      ...log.unreadable.map((u) => `unreadable: ${u.file}:${u.line}: ${u.reason}`),
    ],
  };
}

/**
 * A request the simulator's validation refuses although AWS evaluates it (its data lacks the resource type,
 * `dataGap`): decided without validation. No deciding statement is known then.
 */
function unsafe(principal: Principal, r: SimRequest): { allowed: boolean; result: string; why: string } {
  const result = runUnsafeSimulation(
    {
      request: {
        principal: principal.arn,
        action: r.action,
        resource: { resource: r.resource, accountId: r.accountId },
        contextVariables: {
          'aws:PrincipalArn': principal.arn,
          'aws:PrincipalAccount': principal.accountId,
          ...(r.context as Record<string, string | string[]>),
        },
      },
      identityPolicies: principal.identity.map((p) => ({ name: p.name, policy: p.policy as never })),
      permissionBoundaryPolicies: principal.boundary ? [{ name: 'boundary', policy: principal.boundary as never }] : undefined,
      resourcePolicy: r.resourcePolicy as never,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    } as never,
    {},
  ) as unknown as string;
  return {
    allowed: result === 'Allowed',
    result: `${result} (unvalidated: ${r.dataGap})`,
    why: 'the simulator cannot name the statement without validation',
  };
}

/** Every log of `dir` as one log. */
export const callLogOf = (dir: string): CallLog => readCallLogs(logsIn(dir));
