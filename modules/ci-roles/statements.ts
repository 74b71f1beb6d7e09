/**
 * IAM statements from a set of actions and one environment: each action is granted on the resource types AWS
 * authorizes it on (iam/service-authorization.ts), each resource type narrowed to the environment by its scope
 * (scopes.ts). Statements with the same resources and condition are merged.
 *
 * Tags follow three rules, so that no environment can claim what another owns:
 * - an action that creates a resource is allowed only with the environment's tags in the request
 *   (`aws:RequestTag/Project`, `…/Environment`);
 * - an action on an existing resource only when the resource carries them (`aws:ResourceTag/…`);
 * - adding tags is allowed on the environment's own resources, never changing `Project` or `Environment` to
 *   another value, and on a resource being created (EC2: `ec2:CreateAction`; KMS, ACM, CloudFront: a resource
 *   with no `Project` tag yet, which is how the service authorizes the tags of a create). Removing tags never
 *   removes those two.
 */
import type { PolicyCondition, PolicyStatement } from '../policy-statements';
import { actionInfo, anyOfType, type ActionResource } from '../../iam/reference';
import { LISTED_READS } from './catalog';
import { scopeOf, type EnvironmentScope, type Purpose, type ScopeGrant } from './scopes';

/** Services whose API is global: AWS evaluates `aws:RequestedRegion` as us-east-1 for them. */
export const GLOBAL_SERVICES: ReadonlySet<string> = new Set(['iam', 'cloudfront', 'route53', 'sts']);

/** Tag writers: they add (`add`) or remove (`remove`) tags of an existing resource. */
const TAG_WRITERS: Readonly<Record<string, 'add' | 'remove'>> = {
  'ec2:CreateTags': 'add',
  'ec2:DeleteTags': 'remove',
  'kms:TagResource': 'add',
  'kms:UntagResource': 'remove',
  'acm:AddTagsToCertificate': 'add',
  'acm:RemoveTagsFromCertificate': 'remove',
  'cloudfront:TagResource': 'add',
  'cloudfront:UntagResource': 'remove',
  'logs:TagResource': 'add',
  'logs:UntagResource': 'remove',
};

/** The tags that mark the environment's resources (Project and Environment). */
const MARKS = ['Project', 'Environment'] as const;

const resourceTagged = (env: EnvironmentScope): PolicyCondition => ({
  StringEquals: Object.fromEntries(MARKS.map((k) => [`aws:ResourceTag/${k}`, env.tags[k]])),
});
const requestTagged = (env: EnvironmentScope): Record<string, string> =>
  Object.fromEntries(MARKS.map((k) => [`aws:RequestTag/${k}`, env.tags[k]]));

/** `a` and `b` together (the condition operators of both, keys merged). */
export function both(a: PolicyCondition | undefined, b: PolicyCondition | undefined): PolicyCondition | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  const merged: Record<string, Record<string, string | readonly string[]>> = {};
  for (const c of [a, b]) for (const [op, keys] of Object.entries(c)) merged[op] = { ...(merged[op] ?? {}), ...keys };
  return merged;
}

interface Bucket {
  readonly resources: Set<string>;
  readonly condition?: PolicyCondition;
  readonly actions: Set<string>;
  readonly label: string;
}

/** Options of one derivation. */
export interface DeriveOptions {
  /** Who the statements serve. @default 'deploy' */
  readonly purpose?: Purpose;
  /** A condition every statement also carries (`kms:ViaService` …). @default - none */
  readonly condition?: PolicyCondition;
  /** Prefix of the statements' Sids. @default 'Allow' */
  readonly sid?: string;
  /**
   * Actions that create a resource of a type the stack does not tag (`aws_cloudfront_function`): the request
   * carries no tags to require. @default - none
   */
  readonly untagged?: ReadonlySet<string>;
}

/** The statements that grant `actions` on environment `env`'s resources only. */
export function scopedStatements(actions: Iterable<string>, env: EnvironmentScope, options: DeriveOptions = {}): PolicyStatement[] {
  const purpose = options.purpose ?? 'deploy';
  const buckets = new Map<string, Bucket>();
  const grant = (label: string, resources: readonly string[], condition: PolicyCondition | undefined, action: string) => {
    if (resources.length === 0) return;
    const full = both(condition, options.condition);
    // One statement per service and condition; unconditioned grants on names one per resource type, so that
    // each says what it grants.
    const service = action.split(':')[0];
    const key = full === undefined ? `label ${label}` : `${service} ${JSON.stringify(full)}`;
    if (!buckets.has(key)) buckets.set(key, { resources: new Set(), condition: full, actions: new Set(), label });
    const bucket = buckets.get(key)!;
    resources.forEach((r) => bucket.resources.add(r));
    bucket.actions.add(action);
  };
  const all = [...new Set(actions)].sort();
  // The actions of this set that create an EC2 resource with its tags: ec2:CreateTags is allowed for them.
  const ec2Creates = all
    .filter((a) => a.startsWith('ec2:') && TAG_WRITERS[a] === undefined && actionInfo(a).resources.some((r) => r.creates))
    .map((a) => a.slice('ec2:'.length));

  for (const action of all) {
    const info = actionInfo(action);
    const regions = env.regionsOf(info.service);
    if (LISTED_READS[action] !== undefined) {
      for (const r of info.resources)
        grant(
          `List${labelOf(r.key)}`,
          regions.map((region) => anyOfType(r.key, region, env.accountId)),
          undefined,
          action,
        );
      continue;
    }
    // An action whose resource types are all optional, none of which the platform scopes, is authorized on
    // "*" when the request names none of them (cloudwatch:PutMetricData without a dataset).
    const noneScoped = info.resources.every((r) => !r.required && scopeOf(r.key, purpose) === undefined);
    if (info.wildcardOnly || noneScoped) {
      // AWS authorizes the action on no resource (Service Authorization Reference: no resource types): "*"
      // is its only form, narrowed to the environment's regions and, where it creates with tags, to those.
      const region: PolicyCondition = {
        StringEquals: { 'aws:RequestedRegion': [...(GLOBAL_SERVICES.has(info.service) ? ['us-east-1'] : regions)] },
      };
      grant(
        `${cap(info.service)}Unscoped`,
        ['*'],
        info.requestTags && isCreate(action) && !(options.untagged?.has(action) ?? false)
          ? both(region, { StringEquals: requestTagged(env) })
          : region,
        action,
      );
      continue;
    }
    for (const resource of info.resources) grantOn(resource, action, regions);
  }

  function grantOn(resource: ActionResource, action: string, regions: readonly string[]): void {
    const scope = scopeOf(resource.key, purpose);
    if (scope === undefined) {
      if (!resource.required) return; // a resource type the platform's requests never name
      throw new Error(
        `the CI roles cannot be derived: ${action} is authorized on ${resource.key}, which has no scope in modules/ci-roles/scopes.ts — say how an environment's ${resource.key} is told from another's`,
      );
    }
    const label = labelOf(resource.key);
    // Statements on tags are one per service: `Ec2`, not the first resource type merged into it.
    const service = cap(resource.key.split(':')[0]);
    if (scope.kind === 'none') return;
    // AWS's and the config's resources are used, never tagged.
    if (scope.kind === 'fixed' && TAG_WRITERS[action] !== undefined) return;
    if (scope.kind === 'names' || scope.kind === 'fixed') {
      for (const g of scope.grants(env, action) as ScopeGrant[]) grant(`${label}ByName`, g.resources, g.condition, action);
      return;
    }
    const arns = [
      ...new Set(
        (GLOBAL_SERVICES.has(resource.key.split(':')[0]) ? ['us-east-1'] : regions).map((r) => anyOfType(resource.key, r, env.accountId)),
      ),
    ];
    if (scope.kind === 'account') {
      grant(`${label}InTheAccount`, arns, undefined, action);
      return;
    }
    const writer = TAG_WRITERS[action];
    if (writer === 'add') {
      grant(`TagOwn${service}`, arns, both(resourceTagged(env), { StringEqualsIfExists: requestTagged(env) }), action);
      if (action === 'ec2:CreateTags') {
        if (ec2Creates.length > 0)
          grant(`TagNew${service}`, arns, { StringEquals: { 'ec2:CreateAction': ec2Creates, ...requestTagged(env) } }, action);
      } else {
        grant(`TagNew${service}`, arns, { Null: { 'aws:ResourceTag/Project': 'true' }, StringEquals: requestTagged(env) }, action);
      }
    } else if (writer === 'remove') {
      grant(
        `UntagOwn${service}`,
        arns,
        both(resourceTagged(env), { 'ForAllValues:StringNotEquals': { 'aws:TagKeys': [...MARKS] } }),
        action,
      );
    } else if (resource.creates && !(options.untagged?.has(action) ?? false)) {
      grant(`Create${service}`, arns, { StringEquals: requestTagged(env) }, action);
    } else {
      grant(`Own${service}`, arns, resourceTagged(env), action);
    }
  }

  const sid = options.sid ?? 'Allow';
  const used = new Map<string, number>();
  return [...buckets.values()]
    .map((b) => ({ ...b, sorted: [...b.resources].sort() }))
    .sort((a, b) => a.label.localeCompare(b.label) || JSON.stringify(a.sorted).localeCompare(JSON.stringify(b.sorted)))
    .map((b) => {
      const base = `${sid}${b.label}`;
      const n = (used.get(base) ?? 0) + 1;
      used.set(base, n);
      return {
        Sid: n === 1 ? base : `${base}${n}`,
        Effect: 'Allow' as const,
        Action: [...b.actions].sort(),
        Resource: b.sorted.length === 1 ? b.sorted[0] : b.sorted,
        ...(b.condition ? { Condition: b.condition } : {}),
      };
    });
}

/** True for an action that creates what it is authorized on (by name: Create…, Allocate…, Request…, Run…). */
const isCreate = (action: string) => /:(Create|Allocate|Request|Run|Put)[A-Z]/.test(action);

const cap = (s: string) =>
  s
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');

/** `ec2:security-group` → `Ec2SecurityGroup`: the part of a Sid that names a resource type. */
const labelOf = (key: string) => cap(key.replace(/\/$/, ''));
