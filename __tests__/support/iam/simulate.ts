/**
 * Who may do what, decided by an independent IAM policy simulator (@cloud-copilot/iam-simulate: identity
 * policies, permissions boundaries, resource and key policies, conditions, with AWS's action, resource and
 * condition-key data) — never by our own reading of the policies. The principals are the CI roles and the
 * roles they may create, read from the synthesized bootstrap stacks; the resource policies (the state bucket's,
 * the keys') from the stacks that hold them.
 *
 * What the simulator cannot see is said where it matters (docs/ci.md, "What the proofs cannot see"): grants
 * (KMS), service control and resource control policies of an organization, session policies, and calls that
 * services make with the caller's credentials unless a test spells them out.
 */
import { getDenialReasons, getGrantReasons, runSimulation } from '@cloud-copilot/iam-simulate';
import type { StackJson } from '../synth';

export interface PolicyDocument {
  readonly Version: string;
  readonly Statement: readonly Record<string, unknown>[];
}

/** An IAM role as the simulator sees it: its identity policies and its permissions boundary. */
export interface Principal {
  readonly arn: string;
  readonly accountId: string;
  readonly identity: readonly { readonly name: string; readonly policy: PolicyDocument }[];
  readonly boundary?: PolicyDocument;
}

/** One request: an action on one resource, with what AWS would know of it. */
export interface SimRequest {
  readonly action: string;
  /** The resource's ARN, or `*` for an action that takes none. */
  readonly resource: string;
  /** The account that owns the resource. */
  readonly accountId: string;
  /** Context keys: region, request and resource tags, … (`aws:PrincipalArn` and `aws:PrincipalAccount` are filled in). */
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
  /** The resource's own policy (bucket policy, key policy). */
  readonly resourcePolicy?: PolicyDocument;
}

export interface Decision {
  readonly allowed: boolean;
  /** `Allowed`, `ImplicitlyDenied` or `ExplicitlyDenied`. */
  readonly result: string;
  /** The deciding statements, for messages. */
  readonly why: string;
  /** Context keys the simulator ignored (not valid for the action): a request that names one is wrong. */
  readonly ignored: readonly string[];
}

/** `aws:ResourceTag/<k>` (and EC2's own `ec2:ResourceTag/<k>`) for each tag of an existing resource. */
export function resourceTags(tags: Readonly<Record<string, string>>, ec2 = false): Record<string, string> {
  const context: Record<string, string> = {};
  for (const [k, v] of Object.entries(tags)) {
    context[`aws:ResourceTag/${k}`] = v;
    if (ec2) context[`ec2:ResourceTag/${k}`] = v;
  }
  return context;
}

/** `aws:RequestTag/<k>` and `aws:TagKeys` for the tags of a request. */
export function requestTags(tags: Readonly<Record<string, string>>): Record<string, string | string[]> {
  return { ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:RequestTag/${k}`, v])), 'aws:TagKeys': Object.keys(tags) };
}

/** What the simulator decides for `principal` making `request`. */
export async function decide(principal: Principal, request: SimRequest): Promise<Decision> {
  const result = await runSimulation(
    {
      request: {
        principal: principal.arn,
        action: request.action,
        resource: { resource: request.resource, accountId: request.accountId },
        contextVariables: {
          'aws:PrincipalArn': principal.arn,
          'aws:PrincipalAccount': principal.accountId,
          'aws:PrincipalType': 'AssumedRole',
          ...(request.context ?? {}),
        } as Record<string, string | string[]>,
      },
      identityPolicies: principal.identity.map((p) => ({ name: p.name, policy: p.policy as never })),
      permissionBoundaryPolicies: principal.boundary ? [{ name: 'boundary', policy: principal.boundary as never }] : undefined,
      resourcePolicy: request.resourcePolicy as never,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    { simulationMode: 'Strict' },
  );
  if (result.resultType === 'error')
    throw new Error(`the simulator refused ${request.action} on ${request.resource}: ${JSON.stringify(result.errors)}`);
  if (result.resultType !== 'single')
    throw new Error(`${request.action} on ${request.resource}: a "*" in a resource ARN asks the simulator about any resource; name one`);
  const analysis = result.result.analysis;
  const allowed = result.overallResult === 'Allowed';
  const reasons = (allowed ? getGrantReasons(analysis) : getDenialReasons(analysis)) as {
    policyType: string;
    policyIdentifier?: string;
    statementId?: string;
    denialType?: string;
  }[];
  const why = reasons
    .map(
      (r) =>
        `${r.policyType}${r.policyIdentifier ? ` ${r.policyIdentifier}` : ''}${r.statementId ? `/${r.statementId}` : ''}${r.denialType ? ` (${r.denialType})` : ''}`,
    )
    .join(', ');
  return { allowed, result: result.overallResult, why: why || 'no statement allows it', ignored: result.result.ignoredContextKeys ?? [] };
}

// ---- principals and resource policies from the synthesized stacks ----

/** Terraform references to literal values in `text` (`${aws_s3_bucket.x.arn}` → its ARN), from `values`. */
function resolved(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/\$\{([a-z0-9_]+\.[A-Za-z0-9_]+\.[a-z_]+)\}/g, (whole, ref: string) => {
    if (!(ref in values)) throw new Error(`${whole}: the simulation needs its value (add it to the known values)`);
    return values[ref];
  });
}

/** A made-up but stable key id for the key `id` of a stack (KMS draws them). */
export const keyIdOf = (id: string): string => `00000000-0000-4000-8000-${Buffer.from(id).toString('hex').padEnd(12, '0').slice(0, 12)}`;

/** The region of a stack's default provider. */
export const regionOf = (stack: StackJson): string =>
  ([] as { region: string; alias?: string }[]).concat(stack.provider.aws).find((p) => !p.alias)!.region;

/** The known values of a stack's references: bucket ARNs, role names and ARNs, policy ARNs, key ARNs. */
export function knownValues(stack: StackJson, accountId: string): Record<string, string> {
  const values: Record<string, string> = {};
  const region = regionOf(stack);
  for (const [id, k] of Object.entries<any>(stack.resource.aws_kms_key ?? {})) {
    const where = String(k.provider ?? '').includes('us_east_1') ? 'us-east-1' : region;
    values[`aws_kms_key.${id}.arn`] = `arn:aws:kms:${where}:${accountId}:key/${keyIdOf(id)}`;
    values[`aws_kms_key.${id}.key_id`] = keyIdOf(id);
  }
  for (const [id, b] of Object.entries<any>(stack.resource.aws_s3_bucket ?? {})) {
    values[`aws_s3_bucket.${id}.arn`] = `arn:aws:s3:::${b.bucket}`;
    values[`aws_s3_bucket.${id}.id`] = b.bucket;
    values[`aws_s3_bucket.${id}.bucket`] = b.bucket;
  }
  for (const [id, r] of Object.entries<any>(stack.resource.aws_iam_role ?? {})) {
    values[`aws_iam_role.${id}.name`] = r.name;
    values[`aws_iam_role.${id}.arn`] = `arn:aws:iam::${accountId}:role/${r.name}`;
  }
  for (const [id, p] of Object.entries<any>(stack.resource.aws_iam_policy ?? {}))
    values[`aws_iam_policy.${id}.arn`] = `arn:aws:iam::${accountId}:policy/${p.name}`;
  return values;
}

/** A policy document of the stack, its references resolved. */
export function documentOf(json: string, values: Readonly<Record<string, string>>): PolicyDocument {
  return JSON.parse(resolved(json, values)) as PolicyDocument;
}

/**
 * The role `name` of `stack` (in `accountId`): every managed policy attached to it, and its boundary.
 * `values` overrides the made-up values of references (a key's real ARN once it exists).
 */
export function rolePrincipal(stack: StackJson, name: string, accountId: string, values: Readonly<Record<string, string>> = {}): Principal {
  const known = { ...knownValues(stack, accountId), ...values };
  const found = Object.entries<any>(stack.resource.aws_iam_role ?? {}).find(([, r]) => r.name === name);
  if (!found) throw new Error(`no role ${name} in the stack`);
  const [id, role] = found;
  const identity = Object.values<any>(stack.resource.aws_iam_role_policy_attachment ?? {})
    .filter((a) => a.role === `\${aws_iam_role.${id}.name}`)
    .map((a) => {
      const policyId = /^\$\{aws_iam_policy\.([^.]+)\.arn\}$/.exec(a.policy_arn)![1];
      const policy = stack.resource.aws_iam_policy[policyId];
      return { name: policy.name as string, policy: documentOf(policy.policy, known) };
    });
  const boundary = role.permissions_boundary === undefined ? undefined : boundaryNamed(stack, role.permissions_boundary, accountId);
  return { arn: `arn:aws:iam::${accountId}:role/${name}`, accountId, identity, boundary };
}

/** The boundary policy of `stack` whose ARN is `arn`. */
function boundaryNamed(stack: StackJson, arn: string, accountId: string): PolicyDocument {
  const policy = Object.values<any>(stack.resource.aws_iam_policy ?? {}).find((p) => `arn:aws:iam::${accountId}:policy/${p.name}` === arn);
  if (!policy) throw new Error(`no boundary ${arn} in the stack`);
  return documentOf(policy.policy, knownValues(stack, accountId));
}

/**
 * A role that the deploy role of an environment is able to create: its permissions boundary (`boundaryArn`,
 * from `stack`), and an identity policy that allows everything — the most such a role can ever do.
 */
export function boundedPrincipal(stack: StackJson, boundaryArn: string, roleArn: string, accountId: string): Principal {
  return {
    arn: roleArn,
    accountId,
    identity: [{ name: 'everything', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }],
    boundary: boundaryNamed(stack, boundaryArn, accountId),
  };
}

/** The bucket policy of `bucket` in `stack`, its references resolved. */
export function bucketPolicyOf(stack: StackJson, bucket: string, accountId: string): PolicyDocument {
  const values = knownValues(stack, accountId);
  const found = Object.values<any>(stack.resource.aws_s3_bucket_policy ?? {}).find((p) => resolved(p.bucket, values) === bucket);
  if (!found) throw new Error(`no policy of bucket ${bucket}`);
  return documentOf(found.policy, values);
}
