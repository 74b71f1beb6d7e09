/**
 * Recorded call → the IAM simulator requests AWS would authorize for it: `requestsOf(call, facts)`.
 *
 * For each IAM action the operation table (operations.ts) and the implied checks (implied.ts) name, one
 * request per resource the action is authorized on, with the context AWS would evaluate:
 * - `aws:RequestedRegion` (us-east-1 for the global services IAM, CloudFront and Route 53, whatever region
 *   the client logs), `aws:SecureTransport`, `aws:ResourceAccount`;
 * - the request's tags (`aws:RequestTag/*`, `aws:TagKeys`, RDS's `rds:req-tag/*`) where the Service
 *   Authorization Reference lists them for the action and resource type;
 * - the existing resource's tags from the facts (`aws:ResourceTag/*` and the service's own variants:
 *   `ec2:ResourceTag/*`, `elasticloadbalancing:ResourceTag/*`, `secretsmanager:ResourceTag/*`…), never for a
 *   resource the call creates, and not for S3 (bucket tags are condition keys only with bucket ABAC);
 * - KMS: `kms:CallerAccount`, the key's aliases (`kms:ResourceAliases`), `kms:ViaService` and
 *   `aws:ViaAWSService` when a service calls KMS with the caller's credentials;
 * - the keys the table reads from the request (iam:PermissionsBoundary, route53:ChangeResourceRecordSets…).
 *
 * Everything is checked against iam-data: the action exists, every required resource type gets a
 * resource, each ARN has its type's shape and no `*`, and each service key the table sets is one the
 * reference lists for some request of the action (a typo throws instead of being silently ignored).
 */
import { describeCall, type RecordedCall } from './call-log';
import { CallView, type ActionRule, type OperationEntry, type ResourceRef, type SimContext } from './call-view';
import type { ResourceFacts } from './facts';
import { actionResourceType, arnMatchesType, iamAction, iamResourceType, keyListed, type IamAction } from './iam-data';
import { impliedRules } from './implied';
import { operationEntry } from './operations';
import type { Tags } from './params';

/** One request for the simulator (`@cloud-copilot/iam-simulate`'s `request` plus what explains it). */
export interface SimRequest {
  /** `service:Action`. */
  readonly action: string;
  /** Full ARN, or `*` for an action without resource types. */
  readonly resource: string;
  /** Account that owns the resource (the CI role's for `*` and for ARNs without an account). */
  readonly accountId: string;
  readonly context: SimContext;
  /** The recorded call that needs it. */
  readonly call: RecordedCall;
  /** Why the request exists when that is not the call's own action (tag on create, an implied check). */
  readonly note?: string;
  /** `call`: the operation's own authorization; `implied`: a check AWS makes that is no Terraform call. */
  readonly source: 'call' | 'implied';
  /** Resource policy AWS evaluates with the request (a KMS key policy, a bucket policy), when known. */
  readonly resourcePolicy?: unknown;
  /**
   * Set when the simulator's validation rejects the request although AWS evaluates it: iam-data does not
   * list the resource type AWS authorizes the action on, or the ARN has a shape it refuses.
   * `runSimulation` answers `no.resource.types`; evaluate it with `runUnsafeSimulation`.
   */
  readonly dataGap?: string;
}

/** Services whose API lives in us-east-1 whatever region the client is configured with. */
export const GLOBAL_SERVICES: ReadonlySet<string> = new Set(['iam', 'cloudfront', 'route53']);

/** A recorded call the operation table does not know: the table fails closed. */
export class UnmappedOperationError extends Error {
  constructor(readonly call: RecordedCall) {
    super(
      `unmapped AWS operation ${call.service} ${call.operation} (resource type ${call.resourceType ?? 'none'}, ${call.module}) ` +
        `at ${call.file}:${call.line}: add it to __tests__/support/iam/operations.ts with the IAM action(s) it needs`,
    );
    this.name = 'UnmappedOperationError';
  }
}

/** Options of requestsOf. */
export interface RequestOptions {
  /** Include the implied checks of implied.ts. @default true */
  readonly implied?: boolean;
}

/**
 * The simulator requests of one recorded call. Throws UnmappedOperationError for an operation the table
 * does not know, and a descriptive error when the table and iam-data disagree or the call lacks what the
 * mapping needs (a fact about an existing resource, a parameter).
 */
export function requestsOf(call: RecordedCall, facts: ResourceFacts, options: RequestOptions = {}): SimRequest[] {
  const entry = operationEntry(call.service, call.operation);
  if (entry === undefined) throw new UnmappedOperationError(call);
  const c = new CallView(call, facts);
  const requests = entry.actions.flatMap((rule) => requestsOfRule(c, entry, rule, 'call'));
  if (options.implied !== false)
    requests.push(...impliedRules(call.service, call.operation).flatMap((rule) => requestsOfRule(c, entry, rule, 'implied')));
  return requests;
}

/** True when the table maps the call's operation (needing permissions or not). */
export function isMapped(call: Pick<RecordedCall, 'service' | 'operation'>): boolean {
  return operationEntry(call.service, call.operation) !== undefined;
}

/** The AWS page saying the call's operation needs no permission, when it needs none. */
export function noPermissionReason(call: Pick<RecordedCall, 'service' | 'operation'>): string | undefined {
  return operationEntry(call.service, call.operation)?.noPermission;
}

/** A key identifying what is simulated (action, resource, context, policy): equal keys give equal answers. */
export function requestKey(r: SimRequest): string {
  const context = Object.keys(r.context)
    .sort()
    .map((k) => [k, r.context[k]]);
  return JSON.stringify([r.action, r.resource, r.accountId, context, r.resourcePolicy ?? null, r.dataGap ? 1 : 0]);
}

/** The requests with duplicates (same key) removed, first occurrence kept. */
export function uniqueRequests(requests: readonly SimRequest[]): SimRequest[] {
  const seen = new Set<string>();
  return requests.filter((r) => {
    const key = requestKey(r);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** One line naming a request for messages. */
export function describeRequest(r: SimRequest): string {
  const tags = r.context['aws:TagKeys'];
  return `${r.action} on ${r.resource}${tags ? ` tags=${JSON.stringify(tags)}` : ''} for ${describeCall(r.call)}${r.note ? ` — ${r.note}` : ''}`;
}

// ---------------------------------------------------------------------------------------------------------

function requestsOfRule(c: CallView, entry: OperationEntry, rule: ActionRule, source: 'call' | 'implied'): SimRequest[] {
  const where = `${describeCall(c.call)}, rule ${rule.action}`;
  const action = iamAction(rule.action);
  if (action === undefined)
    throw new Error(`${where}: ${rule.action} is not an action of AWS's Service Authorization Reference (iam-data)`);
  if (source === 'implied' && !rule.note) throw new Error(`${where}: an implied check must say why (note)`);
  // An implied check is a different request: it carries tags only when its rule says which.
  const tags = rule.tags?.(c) ?? (source === 'call' ? entry.tags?.(c) : undefined);
  if (rule.onlyWithTags && !hasTags(tags)) return [];
  if (rule.when !== undefined && !rule.when(c)) return [];

  const refs = rule.resources?.(c) ?? [];
  const offered = new Set<string>();
  const admitted = new Set<string>();
  const ruleContext = rule.context?.(c) ?? {};
  Object.keys(ruleContext).forEach((k) => offered.add(k));
  const simulatorGap = rule.simulatorGap?.(c);
  const build = (
    resource: string,
    type: string | undefined,
    ref: ResourceRef | undefined,
    extraNote?: string,
    typeGap?: string,
  ): SimRequest => {
    const dataGap = [typeGap, simulatorGap].filter(Boolean).join('; ');
    const context = contextOf(c, action, resource, type, ref, rule, tags, ruleContext, admitted, offered);
    const note = [rule.note, extraNote].filter(Boolean).join('; ') || undefined;
    const resourcePolicy = ref?.resourcePolicy ?? policyOf(c.facts, action.service, type, resource);
    return {
      action: `${action.service}:${action.name}`,
      resource,
      accountId: accountOf(resource) ?? c.account,
      context,
      call: c.call,
      source,
      ...(note ? { note } : {}),
      ...(resourcePolicy !== undefined ? { resourcePolicy } : {}),
      ...(dataGap ? { dataGap } : {}),
    };
  };

  let requests: SimRequest[];
  if (action.wildcardOnly && rule.resourceTypes === undefined) {
    if (refs.length > 0)
      throw new Error(
        `${where}: ${rule.action} has no resource types (its resource is *) but the rule names ${refs.map((r) => r.arn).join(', ')}`,
      );
    requests = [build('*', undefined, undefined)];
  } else {
    const resolved = refs.map((ref) => ({ ref, ...resolveType(action, ref, rule.resourceTypes, where) }));
    // Every required type gets a resource. Required types that differ only after a `/` are alternatives
    // (`listener/app`, `listener/net`: one listener); a rule that overrides iam-data's types is exempt.
    if (rule.resourceTypes === undefined) {
      const root = (name: string) => name.split('/')[0].toLowerCase();
      for (const group of new Set(action.resourceTypes.filter((r) => r.required).map((r) => root(r.name)))) {
        if (!resolved.some((r) => root(r.type) === group)) {
          const names = action.resourceTypes.filter((r) => r.required && root(r.name) === group).map((r) => r.name);
          throw new Error(
            `${where}: ${rule.action} requires a resource of type ${names.join(' or ')}; the mapping found none (${refs.map((r) => r.arn).join(', ') || 'no resources'})`,
          );
        }
      }
    }
    for (const { ref } of resolved) {
      if (ref.arn.includes('*'))
        throw new Error(`${where}: ARN ${ref.arn} contains '*', which the simulator reads as "any resource" (use a placeholder id)`);
    }
    requests =
      resolved.length === 0
        ? [
            build(
              '*',
              undefined,
              undefined,
              `the call names no resource of ${rule.action}'s (optional) types: AWS authorizes it on all of them`,
            ),
          ]
        : resolved.map(({ ref, type, gap }) =>
            build(
              ref.arn,
              type,
              ref,
              undefined,
              gap
                ? `iam-data lists ${rule.action} only on ${action.resourceTypes.map((r) => r.name).join(', ') || 'no resource type'}; AWS's reference also on ${type}`
                : undefined,
            ),
          );
  }
  const ignored = [...offered].filter((k) => !admitted.has(k));
  if (ignored.length > 0) {
    throw new Error(
      `${where}: context key(s) ${ignored.join(', ')} are not condition keys of ${rule.action} for any of its resources (iam-data): a typo, or the wrong action`,
    );
  }
  return requests;
}

/** The resource type of a ref: the one it names (checked), else the most specific of the action's types its ARN matches. */
function resolveType(
  action: IamAction,
  ref: ResourceRef,
  override: readonly string[] | undefined,
  where: string,
): { type: string; gap: boolean } {
  const service = action.service;
  const listed = action.resourceTypes.map((r) => r.name);
  const inList = (list: readonly string[], type: string) => list.some((t) => t.toLowerCase() === type.toLowerCase());
  if (ref.type !== undefined) {
    const inData = inList(listed, ref.type);
    if (!inData && !inList(override ?? [], ref.type))
      throw new Error(
        `${where}: ${service}:${action.name} is not authorized on resource type ${ref.type} (iam-data: ${listed.join(', ')})`,
      );
    if (!arnMatchesType(service, ref.type, ref.arn))
      throw new Error(`${where}: ${ref.arn} is not an ARN of ${service}:${ref.type} (${iamResourceType(service, ref.type)?.arn})`);
    return { type: listed.find((t) => t.toLowerCase() === ref.type!.toLowerCase()) ?? ref.type, gap: !inData };
  }
  const fromData = mostSpecific(
    service,
    listed.filter((t) => arnMatchesType(service, t, ref.arn)),
  );
  if (fromData !== undefined) return { type: fromData, gap: false };
  const fromOverride = mostSpecific(
    service,
    (override ?? []).filter((t) => arnMatchesType(service, t, ref.arn)),
  );
  if (fromOverride !== undefined) return { type: fromOverride, gap: true };
  throw new Error(
    `${where}: ${ref.arn} matches none of ${service}:${action.name}'s resource types (${[...listed, ...(override ?? [])].join(', ')})`,
  );
}

/** Of several matching types, the one whose template has the most literal text (`loadbalancer/app/` over `loadbalancer`). */
function mostSpecific(service: string, types: readonly string[]): string | undefined {
  const literal = (t: string) => (iamResourceType(service, t)?.arn ?? '').replace(/\$\{[A-Za-z0-9]+\}/g, '').length;
  return [...types].sort((a, b) => literal(b) - literal(a))[0];
}

function contextOf(
  c: CallView,
  action: IamAction,
  resource: string,
  type: string | undefined,
  ref: ResourceRef | undefined,
  rule: ActionRule,
  tags: Tags | undefined,
  ruleContext: SimContext,
  admitted: Set<string>,
  offered: Set<string>,
): SimContext {
  const service = action.service;
  const actionRt = type ? actionResourceType(action, type) : undefined;
  const requestKeys = [...action.conditionKeys, ...(actionRt?.conditionKeys ?? [])];
  const resourceKeys = [...requestKeys, ...((type ? iamResourceType(service, type)?.conditionKeys : undefined) ?? [])];
  const context: SimContext = {
    'aws:RequestedRegion': GLOBAL_SERVICES.has(service) ? 'us-east-1' : c.region,
    'aws:SecureTransport': 'true',
  };
  // The owner of the resource; an ARN without account is the caller's bucket (S3) or AWS's (a public AMI or parameter: unknown).
  const owner = resource === '*' ? undefined : (accountOf(resource) ?? (service === 's3' ? c.account : undefined));
  if (owner !== undefined) context['aws:ResourceAccount'] = owner;

  // The request's tags, where the reference lists them for this action and resource type.
  const requestTags = ref?.requestTags ?? tags;
  if (hasTags(requestTags)) {
    if (keyListed(requestKeys, 'aws:RequestTag/k')) for (const [k, v] of Object.entries(requestTags)) context[`aws:RequestTag/${k}`] = v;
    if (keyListed(requestKeys, 'aws:TagKeys')) context['aws:TagKeys'] = Object.keys(requestTags);
    if (keyListed(requestKeys, 'rds:req-tag/k')) for (const [k, v] of Object.entries(requestTags)) context[`rds:req-tag/${k}`] = v;
  }

  // The existing resource's tags, under every resource-tag key the reference lists for it.
  if (ref !== undefined && !ref.created && resource !== '*' && service !== 's3') {
    const existing = c.facts.tagsOf(resource);
    if (existing !== undefined) {
      for (const prefix of resourceTagPrefixes(resourceKeys)) for (const [k, v] of Object.entries(existing)) context[`${prefix}${k}`] = v;
    }
  }

  if (service === 'kms') {
    if (keyListed(requestKeys, 'kms:CallerAccount')) context['kms:CallerAccount'] = c.account;
    if (type === 'key' && resource !== '*') {
      const aliases = c.facts.aliasesOf(resource);
      if (aliases.length > 0 && keyListed(resourceKeys, 'kms:ResourceAliases')) context['kms:ResourceAliases'] = [...aliases];
    }
  }
  if (rule.via !== undefined) {
    context['aws:ViaAWSService'] = 'true';
    if (service === 'kms') context['kms:ViaService'] = `${rule.via}.${c.region}.amazonaws.com`;
  }

  // What the table reads from the request: only the keys the reference lists here (or global aws: keys).
  for (const [k, v] of Object.entries({ ...ruleContext, ...(ref?.context ?? {}) })) {
    offered.add(k);
    if (k.startsWith('aws:') || keyListed(resourceKeys, k)) {
      context[k] = v;
      admitted.add(k);
    }
  }
  return context;
}

/**
 * Key prefixes under which a resource's tags appear (`aws:ResourceTag/`, `ec2:ResourceTag/`, `rds:db-tag/`…).
 * Only keys the reference spells with `${TagKey}`: iam-simulate 0.1.173 throws on a concrete key of a
 * `…/tag-key` template (`secretsmanager:ResourceTag/tag-key`), so that variant is left to aws:ResourceTag.
 */
function resourceTagPrefixes(keys: readonly string[]): string[] {
  const prefixes = new Set<string>();
  for (const key of keys) {
    const m = /^([a-z0-9-]+:(?:ResourceTag|[a-z]+-tag))\/\$\{TagKey\}$/i.exec(key);
    if (m && !/req-tag$/i.test(m[1])) prefixes.add(`${m[1]}/`);
  }
  return [...prefixes];
}

/** The resource policy the simulator needs for a request: a KMS key's policy, an S3 bucket's policy. */
function policyOf(facts: ResourceFacts, service: string, type: string | undefined, resource: string): unknown {
  if (resource === '*') return undefined;
  if (service === 'kms' && type === 'key') return facts.policyOf(resource);
  if (service === 's3') return facts.policyOf(`arn:aws:s3:::${resource.slice('arn:aws:s3:::'.length).split('/')[0]}`);
  return undefined;
}

/** The 12-digit account of an ARN, if it has one. */
function accountOf(arn: string): string | undefined {
  const account = arn.split(':')[4];
  return account && /^\d{12}$/.test(account) ? account : undefined;
}

function hasTags(tags: Tags | undefined): tags is Tags {
  return tags !== undefined && Object.keys(tags).length > 0;
}
