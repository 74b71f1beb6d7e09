/**
 * The vocabulary of the operation table (operations.ts) and of the implied checks (implied.ts): a parsed
 * view of one recorded call, the resources an action is authorized on, and the rules that say which
 * actions a call needs. requests.ts turns rules into simulator requests.
 */
import { describeCall, type RecordedCall } from './call-log';
import type { ResourceFacts } from './facts';
import { arnOf, arnVariables } from './iam-data';
import { formParams, jsonBody, listParam, pathSegments, queryParams, type FormParams, type Tags } from './params';

/** Context keys of a simulator request (`aws:RequestTag/Project` → `web`, `aws:TagKeys` → [`Project`]). */
export type SimContext = Record<string, string | string[]>;

/** Placeholder id of a resource the call creates: no `*`, which would make the simulator ask "any resource?" (research A.3). */
export const NEW_ID = '(new)';

/** A resource an action is authorized on. */
export interface ResourceRef {
  /** Resource type of the action's service in iam-data (`vpc`); found from the ARN when omitted. */
  readonly type?: string;
  /** Full ARN (for a resource being created, with the `(new)` placeholder id). */
  readonly arn: string;
  /** The call creates it: no resource tags exist yet, the request's tags describe it. */
  readonly created?: boolean;
  /** Request tags for this resource when they differ from the call's (an EC2 tag specification of its type). */
  readonly requestTags?: Tags;
  /** Context keys about this resource only. */
  readonly context?: SimContext;
  /** Resource policy AWS evaluates with it (a KMS key policy sent with CreateKey). */
  readonly resourcePolicy?: unknown;
}

/** One IAM action a call needs, and where. */
export interface ActionRule {
  /** `service:Action`, as the Service Authorization Reference names it. */
  readonly action: string;
  /** The resources of the action's resource types; omitted for actions without resource types (`*`). */
  readonly resources?: (c: CallView) => readonly ResourceRef[];
  /** The rule applies only when this holds (a header or parameter is present…). */
  readonly when?: (c: CallView) => boolean;
  /** The rule applies only when the call sends tags (the tagging action a create with tags needs). */
  readonly onlyWithTags?: boolean;
  /** Context keys the call sets for this action (filtered per request by the keys iam-data lists). */
  readonly context?: (c: CallView) => SimContext;
  /** Request tags, when not the operation's. */
  readonly tags?: (c: CallView) => Tags | undefined;
  /** Why the check exists (required for implied checks; it names the AWS page). */
  readonly note?: string;
  /**
   * The action's resource types per AWS's reference where iam-data's copy is wrong (ELB v1 and v2 share the
   * `elasticloadbalancing` prefix and iam-data kept v1's `AddTags`). Requests then carry `dataGap`.
   */
  readonly resourceTypes?: readonly string[];
  /** Why the simulator's validation rejects this rule's requests although AWS evaluates them (sets SimRequest.dataGap). */
  readonly simulatorGap?: (c: CallView) => string | undefined;
  /** AWS service that makes the call with the caller's credentials (`rds`, `s3`…): aws:ViaAWSService and kms:ViaService. */
  readonly via?: string;
}

/** What one SDK operation needs. */
export interface OperationEntry {
  /** The IAM actions the operation needs; empty only with `noPermission`. */
  readonly actions: readonly ActionRule[];
  /** The call's request tags (aws:RequestTag/*, aws:TagKeys). */
  readonly tags?: (c: CallView) => Tags | undefined;
  /** The operation needs no IAM permission: the AWS page that says so. */
  readonly noPermission?: string;
}

/** A recorded call with its parameters parsed, as the operation table reads it. */
export class CallView {
  /** Form (query protocol) body parameters. */
  readonly form: FormParams;
  /** URL query-string parameters. */
  readonly query: FormParams;
  /** JSON body. */
  readonly json: Record<string, any>;
  /** Decoded URL path segments. */
  readonly path: readonly string[];

  constructor(
    readonly call: RecordedCall,
    readonly facts: ResourceFacts,
  ) {
    this.form = formParams(call.body);
    this.query = queryParams(call.url);
    this.json = jsonBody(call.body);
    this.path = pathSegments(call.url);
  }

  /** The region the call's resources live in (the client's region). */
  get region(): string {
    return this.call.region;
  }

  /** The CI role's account. */
  get account(): string {
    return this.facts.accountId;
  }

  /** The raw body (XML for S3, Route 53, CloudFront). */
  get xml(): string {
    return this.call.body;
  }

  /** A form, query-string or top-level JSON parameter. */
  param(name: string): string | undefined {
    const value = this.form.get(name) ?? this.query.get(name) ?? this.json[name];
    return value === undefined || value === null ? undefined : String(value);
  }

  /** A parameter the mapping cannot do without; throws naming the call when it is missing. */
  need(name: string): string {
    const value = this.param(name);
    if (value === undefined || value === '') throw new MissingParameterError(this.call, name);
    return value;
  }

  /** A numbered list parameter (`SubnetId.1`, `SubnetId.2`… for `list('SubnetId')`). */
  list(prefix: string): string[] {
    return listParam(this.form, prefix);
  }

  /** The ARN of `service`'s resource type `type` from its iam-data template. */
  arn(service: string, type: string, vars: Readonly<Record<string, string>>, scope: { region?: string; account?: string } = {}): string {
    return arnOf(service, type, vars, { region: scope.region ?? this.region, account: scope.account ?? this.account });
  }

  /** An existing resource of a template with one variable (`ec2` `vpc` `vpc-0abc`). */
  ref(service: string, type: string, id: string, extra: Partial<ResourceRef> = {}): ResourceRef {
    return { type, arn: this.arn(service, type, { [singleVariable(service, type)]: id }), ...extra };
  }

  /** A resource this call creates, named by `id` (its name) or `(new)` when AWS assigns the id. */
  created(service: string, type: string, id: string = NEW_ID, extra: Partial<ResourceRef> = {}): ResourceRef {
    return { ...this.ref(service, type, id), created: true, ...extra };
  }

  /** The S3 bucket of an S3 call (logged field, else the first segment of the path-style URL). */
  bucket(): string {
    const bucket = this.call.s3?.bucket ?? this.path[0];
    if (!bucket) throw new MissingParameterError(this.call, 'bucket');
    return bucket;
  }

  /** The S3 object key of an S3 object call. */
  objectKey(): string {
    const key = this.call.s3?.key ?? this.path.slice(1).join('/');
    if (!key) throw new MissingParameterError(this.call, 'object key');
    return key;
  }

  /** A request header as logged (`if_none_match`). */
  header(name: string): string | undefined {
    return this.call.headers[name];
  }
}

/**
 * The KMS key a call names (key ARN, key id, alias name or alias ARN), with kms:RequestAlias when it named
 * an alias. An alias is resolved through the facts; an unknown one throws (which key it means decides the
 * key policy and tags the request is judged by).
 */
export function kmsKeyRef(c: CallView, given: string): ResourceRef {
  if (given.startsWith('arn:') && given.includes(':key/')) return { type: 'key', arn: given };
  if (given.startsWith('alias/') || given.includes(':alias/')) {
    const target = c.facts.keyOfAlias(given, c.region);
    if (target === undefined)
      throw new Error(`${describeCall(c.call)}: KMS alias ${given} is not in the facts; cannot tell which key it names`);
    const arn = target.includes(':key/') ? target : c.arn('kms', 'key', { KeyId: target });
    return { type: 'key', arn, context: { 'kms:RequestAlias': given.replace(/^arn:.*?:alias\//, 'alias/') } };
  }
  return { type: 'key', arn: c.arn('kms', 'key', { KeyId: given }) };
}

/** A parameter the mapping needs is not in the recorded request. */
export class MissingParameterError extends Error {
  constructor(call: RecordedCall, parameter: string) {
    super(
      `${describeCall(call)}: the request has no ${parameter}${call.bodyTruncated ? ' (the logged body was truncated)' : ''}; ` +
        `cannot tell which resource it acts on`,
    );
    this.name = 'MissingParameterError';
  }
}

/** The one variable of a template like `vpc/${VpcId}`; throws for templates with several. */
function singleVariable(service: string, type: string): string {
  const vars = arnVariables(service, type);
  if (vars.length !== 1)
    throw new Error(`${service}:${type} has ${vars.length} ARN variables (${vars.join(', ')}); build its ARN with arn()`);
  return vars[0];
}
