/**
 * Statements packed into customer managed policies that AWS accepts: at most 6,144 characters each (white
 * space not counted) and at most 10 attached to one role ("IAM and AWS STS quotas", IAM user guide — the
 * default quota of managed policies per role). Statements are grouped by concern, so a policy's name says
 * what it grants; a concern too large for one policy continues in a second (`network2`).
 */
import { CI_POLICY_CONCERNS, CI_POLICY_PARTS_PER_CONCERN } from '../../naming';
import { policyDocument, type PolicyStatement } from '../policy-statements';

/** IAM's limit on the size of a managed policy (characters, white space excluded). */
export const MANAGED_POLICY_MAX_CHARACTERS = 6144;
/** IAM's default quota of managed policies attached to one role. */
export const MANAGED_POLICIES_PER_ROLE = 10;

/** The concern of each service: the part of a deploy policy's name. */
const CONCERNS: Readonly<Record<string, string>> = {
  ec2: 'network',
  elasticloadbalancing: 'compute',
  autoscaling: 'compute',
  ecr: 'compute',
  rds: 'data',
  s3: 'data',
  kms: 'data',
  secretsmanager: 'data',
  ssm: 'data',
  iam: 'identity',
  logs: 'operations',
  cloudwatch: 'operations',
  sns: 'operations',
  wafv2: 'operations',
  cloudfront: 'edge',
  acm: 'edge',
  route53: 'edge',
};

const actionsOf = (s: PolicyStatement) => (Array.isArray(s.Action) ? s.Action : [s.Action]) as readonly string[];

/** The concern of a statement: its first action's service. */
export function concernOf(statement: PolicyStatement): string {
  const service = actionsOf(statement)[0].split(':')[0];
  const concern = CONCERNS[service];
  if (concern === undefined) throw new Error(`no concern for ${service} (modules/ci-roles/policies.ts)`);
  return concern;
}

/** One managed policy to make: its name suffix and statements. */
export interface PolicyPart {
  readonly part: string;
  readonly statements: readonly PolicyStatement[];
}

/** `statements` of one `concern` in as few policies as fit, each ≤ MANAGED_POLICY_MAX_CHARACTERS. */
export function pack(concern: string, statements: readonly PolicyStatement[]): PolicyPart[] {
  const parts: PolicyStatement[][] = [];
  for (const s of statements) {
    const size = policyDocument([s]).length;
    if (size > MANAGED_POLICY_MAX_CHARACTERS)
      throw new Error(`statement ${s.Sid} is ${size} characters, more than one managed policy holds (${MANAGED_POLICY_MAX_CHARACTERS})`);
    const last = parts[parts.length - 1];
    if (last !== undefined && policyDocument([...last, s]).length <= MANAGED_POLICY_MAX_CHARACTERS) last.push(s);
    else parts.push([s]);
  }
  if (parts.length > CI_POLICY_PARTS_PER_CONCERN)
    throw new Error(
      `the ${concern} statements need ${parts.length} managed policies; naming/names.ts allows ${CI_POLICY_PARTS_PER_CONCERN} per concern`,
    );
  return parts.map((p, i) => ({ part: i === 0 ? concern : `${concern}${i + 1}`, statements: p }));
}

/** `statements` grouped by concern (`state` for `state`), then packed. */
export function packByConcern(statements: readonly PolicyStatement[], state: readonly PolicyStatement[] = []): PolicyPart[] {
  const groups = new Map<string, PolicyStatement[]>();
  for (const s of statements) {
    const c = concernOf(s);
    if (!groups.has(c)) groups.set(c, []);
    groups.get(c)!.push(s);
  }
  if (state.length > 0) groups.set('state', [...state]);
  return CI_POLICY_CONCERNS.filter((c) => groups.has(c)).flatMap((c) => pack(c, groups.get(c)!));
}
