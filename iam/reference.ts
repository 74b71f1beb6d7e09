/** What AWS's Service Authorization Reference says of an action, read from the generated service-authorization.ts. */
import { ACTIONS, RESOURCE_TYPES } from './service-authorization';

/** One resource type an action is authorized on. */
export interface ActionResource {
  /** `service:type` (`ec2:subnet`), the key of RESOURCE_TYPES. */
  readonly key: string;
  /** The request always names one. */
  readonly required: boolean;
  /** The action creates it, and takes the tags it is created with (`aws:RequestTag/…`). */
  readonly creates: boolean;
}

export interface ActionInfo {
  readonly action: string;
  readonly service: string;
  /** The action names no resource: a policy grants it on `"*"` only. */
  readonly wildcardOnly: boolean;
  /** The request's tags can be conditioned on (`aws:RequestTag/…`) for the action as a whole. */
  readonly requestTags: boolean;
  readonly resources: readonly ActionResource[];
}

/** The reference's entry of `action`; an action missing from it is an error that says how to add it. */
export function actionInfo(action: string): ActionInfo {
  const entry = ACTIONS[action];
  if (entry === undefined) {
    throw new Error(
      `${action} is not in iam/service-authorization.ts: add it to the catalog (modules/ci-roles/catalog.ts) and run npm run iam-reference`,
    );
  }
  const [wildcard, tags, ...types] = entry;
  const service = action.split(':')[0];
  return {
    action,
    service,
    wildcardOnly: wildcard === '*',
    requestTags: tags === 'tags',
    resources: types.map((t) => ({
      key: `${service}:${t.replace(/^!/, '').replace(/\+$/, '')}`,
      required: t.startsWith('!'),
      creates: t.endsWith('+'),
    })),
  };
}

/** ARN format (`arn:${Partition}:ec2:${Region}:${Account}:vpc/${VpcId}`) and tag support of a resource type. */
export function resourceTypeInfo(key: string): { readonly arn: string; readonly taggable: boolean } {
  const entry = RESOURCE_TYPES[key];
  if (entry === undefined) throw new Error(`${key} is not a resource type of iam/service-authorization.ts (run npm run iam-reference)`);
  return { arn: entry[0], taggable: entry[1] };
}

/**
 * The ARN format of `key` with partition, region and account filled in and every identifier a wildcard:
 * every resource of the type there (`arn:aws:ec2:eu-west-1:111111111111:vpc/*`).
 */
export function anyOfType(key: string, region: string, accountId: string): string {
  return resourceTypeInfo(key)
    .arn.replace('${Partition}', 'aws')
    .replace('${Region}', region)
    .replace('${Account}', accountId)
    .replace(/\$\{[A-Za-z]+\}/g, '*');
}
