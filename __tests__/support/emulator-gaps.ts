/**
 * What moto (5.2.1) does not do as AWS does, found by applying our stacks to it: the allow-list of the
 * emulated deploy. Every entry names the failing call or the attribute, moto's answer, and why it is the
 * emulator and not our configuration. The emulated-deploy test accepts exactly these differences:
 *
 * - `apply`: a resource of `resourceType` whose create fails with `error` (Terraform's message, which
 *   carries the call and moto's answer). Any other failed resource fails the test.
 * - `drift`: after the apply, the second plan wants to change `attributes` of `resourceType` because moto
 *   does not store or return them as AWS does. Any other planned change fails the test.
 * - `workaround`: a behaviour the test has to step around, with the step it takes; the test first proves
 *   the behaviour is still there.
 *
 * An entry that nothing in the run needs any more is reported stale (and fails the run), so the list
 * shrinks as moto improves.
 */
import { isDeepStrictEqual } from 'node:util';
import type { PlanJson } from '../../harness/terraform';

interface GapBase {
  /** Stable id, printed in test names and reports. */
  readonly id: string;
  /** Why this is the emulator, not our configuration. */
  readonly reason: string;
  /** What was observed: the call and moto's answer (and where moto's source shows it). */
  readonly evidence: string;
}

export interface ApplyGap extends GapBase {
  readonly kind: 'apply';
  readonly resourceType: string;
  /** Matches Terraform's error for the failing create. */
  readonly error: RegExp;
}

export interface DriftGap extends GapBase {
  readonly kind: 'drift';
  readonly resourceType: string;
  /** Top-level attributes (a path starting with one of them matches) that moto does not keep. */
  readonly attributes: readonly string[];
  /** Only resources whose prior state passes this test. @default - every resource of the type */
  readonly when?: (before: Record<string, any>) => boolean;
  /** Also accepted as the reason to replace the resource. @default false */
  readonly forcesReplacement?: boolean;
}

export interface WorkaroundGap extends GapBase {
  readonly kind: 'workaround';
  /** What the test does instead. */
  readonly workaround: string;
}

export type EmulatorGap = ApplyGap | DriftGap | WorkaroundGap;

export const EMULATOR_GAPS: readonly EmulatorGap[] = [
  {
    id: 'asg-notifications-not-implemented',
    kind: 'apply',
    resourceType: 'aws_autoscaling_notification',
    error: /PutNotificationConfiguration, exceeded maximum number of attempts, \d+, https response error StatusCode: 500/,
    reason:
      'moto has no implementation of Auto Scaling notifications; AWS accepts the configuration (an SNS topic the group may publish to).',
    evidence:
      'PutNotificationConfiguration answers HTTP 500; moto logs "NotImplementedError: The put_notification_configuration action has not been implemented".',
  },
  {
    id: 'cloudfront-function-not-implemented',
    kind: 'apply',
    resourceType: 'aws_cloudfront_function',
    error: /CreateFunction, https response error StatusCode: 404/,
    reason:
      'moto has no CloudFront Functions: its CloudFront backend implements distributions, invalidations, origin access controls, public keys and key groups only. AWS creates the function (cloudfront-js-2.0) and publishes it.',
    evidence:
      'POST /2020-05-31/function answers HTTP 404 with an HTML "Not Found" page (no route in moto/cloudfront/urls.py), which the provider cannot parse as an XML error: "CreateFunction, https response error StatusCode: 404 … XML syntax error". What references the function (the distribution, and what references that) is not created: consequences of this gap.',
  },
  {
    id: 'cloudfront-response-headers-policy-not-implemented',
    kind: 'apply',
    resourceType: 'aws_cloudfront_response_headers_policy',
    error: /CreateResponseHeadersPolicy, https response error StatusCode: 404/,
    reason:
      'moto has no CloudFront response headers policies (nor cache or origin request policies; the stacks use managed ones by id). AWS creates the policy with the security headers as configured.',
    evidence:
      'POST /2020-05-31/response-headers-policy answers HTTP 404 with an HTML "Not Found" page (no route in moto/cloudfront/urls.py): "CreateResponseHeadersPolicy, https response error StatusCode: 404 … XML syntax error". What references the policy (the distribution, and what references that) is not created: consequences of this gap.',
  },
  {
    id: 'cloudfront-vpc-origin-not-implemented',
    kind: 'apply',
    resourceType: 'aws_cloudfront_vpc_origin',
    error: /CreateVpcOrigin, https response error StatusCode: 404/,
    reason:
      'moto has no CloudFront VPC origins (its CloudFront backend implements distributions, invalidations, origin access controls, public keys and key groups only). AWS creates the VPC origin for the internal load balancer (Deployed within about 15 minutes) and the distributions route their API behaviour through it.',
    evidence:
      'POST /2020-05-31/vpc-origin answers HTTP 404 with an HTML "Not Found" page: moto/cloudfront/urls.py (moto 5.2.1) routes /distribution, /key-group, /tagging, /origin-access-control and /public-key only, and no module of moto/cloudfront mentions VpcOrigin. Consequences: what references the VPC origin is not created — the distributions (already consequences of the CloudFront Function and response headers policy gaps), and what references them (bucket policies, alias records, access-log deliveries); so the emulated deploy proves neither the VPC origin nor the API path through it, only the internal load balancer, its security group and its listener rules, read back through the SDK.',
  },
  {
    id: 's3-logging-policy-principal-star',
    kind: 'apply',
    resourceType: 'aws_s3_bucket_logging',
    error: /PutBucketLogging, exceeded maximum number of attempts, \d+, https response error StatusCode: 500/,
    reason:
      'Before it accepts a logging configuration, moto reads the target bucket\'s policy and crashes on any statement whose Principal is the string "*" — valid IAM, used by every TLS-only policy.',
    evidence:
      'PutBucketLogging answers HTTP 500; moto logs "AttributeError: \'str\' object has no attribute \'get\'" in moto/s3/models.py FakeBucket._log_permissions_enabled_policy (stmt.get("Principal", {}).get("Service")).',
  },
  {
    id: 's3-policy-conditions-deny-objects',
    kind: 'workaround',
    reason:
      'moto evaluates a bucket policy on every object call with no request context, and treats a statement whose Condition it cannot evaluate (aws:SecureTransport, s3:TlsVersion) as a deny — so the TLS-only state bucket refuses every state read and write, even over HTTPS.',
    evidence:
      'PutObject / HeadObject on the state bucket answer 403 AccessDenied (moto/iam/access_control.py IAMPolicyStatement.is_action_permitted returns DENIED when _check_conditions fails; FakeBucket.get_permission passes no condition values).',
    workaround:
      "after the bootstrap stack is applied, read back and planned (its policy as designed), the test deletes the state bucket's policy through the SDK, so the backends can use the bucket",
  },
  {
    id: 'elbv2-scheme-default-missing',
    kind: 'workaround',
    reason:
      'moto answers DescribeLoadBalancers without a Scheme for a load balancer created without one, where AWS uses and reports the default, internet-facing (ELB API reference, CreateLoadBalancer: "The default is an Internet-facing load balancer"). The provider sends no Scheme for internal = false.',
    evidence:
      'moto/elbv2/responses.py create_load_balancer passes scheme=params.get("Scheme") — None when absent — over the model\'s default "internet-facing" (moto/elbv2/models.py FakeLoadBalancer.__init__).',
    workaround:
      "the read-back takes a load balancer without a Scheme for AWS's default, internet-facing, once it has seen that moto left it out",
  },
  {
    id: 'secret-rotation-cancel-needs-lambda',
    kind: 'workaround',
    reason:
      'moto refuses CancelRotateSecret on a secret without a rotation Lambda, so the managed rotation of the RDS master secret (aws_secretsmanager_secret_rotation without rotation_lambda_arn) cannot be destroyed. AWS cancels the rotation of a managed secret: turning it off that way is the documented workaround of terraform-aws-modules/terraform-aws-rds (PR #580), and provider PR #49659 does it with rotation_enabled = false.',
    evidence:
      'terraform destroy of a secret with rotation_rules and no rotation_lambda_arn, applied to moto 5.2.1: "CancelRotateSecret, https response error StatusCode: 400 … InvalidRequestException: You tried to enable rotation on a secret that doesn\'t already have a Lambda function ARN configured" (moto/secretsmanager/models.py cancel_rotate_secret).',
    workaround:
      "when the destroy of an environment stops on that error, the test removes the rotation from the Terraform state (terraform state rm) and destroys again; the database's deletion removes the secret",
  },
  {
    id: 'route53-zone-id-prefix',
    kind: 'workaround',
    reason:
      'Every Route 53 hosted zone id starts with "Z" (and the config validation requires it); moto draws ids from 22 random letters and digits.',
    evidence: 'CreateHostedZone on moto returns ids such as "OE2K1E4MBDMRUUC7M9HDXJ" (moto/route53/models.py create_route53_zone_id).',
    workaround: 'the test creates hosted zones for the domain until moto hands out an id that starts with "Z", and deletes the others',
  },
  {
    id: 'sg-rule-description-on-group-reference',
    kind: 'drift',
    resourceType: 'aws_vpc_security_group_ingress_rule',
    attributes: ['description'],
    when: (before) => !!before.referenced_security_group_id,
    reason:
      'moto stores rule descriptions only on CIDR ranges, so a rule that references another group reads back without its description.',
    evidence:
      'AuthorizeSecurityGroupIngress with UserIdGroupPairs [{GroupId, Description}]: DescribeSecurityGroupRules returns the rule without Description (a CIDR rule keeps its own; moto/ec2/models/security_groups.py stores it in ip_range["Description"]).',
  },
  {
    id: 'sg-rule-description-on-group-reference-egress',
    kind: 'drift',
    resourceType: 'aws_vpc_security_group_egress_rule',
    attributes: ['description'],
    when: (before) => !!before.referenced_security_group_id,
    reason: 'The same as for ingress: egress rules that reference a group read back without their description.',
    evidence: 'DescribeSecurityGroupRules returns no Description for group-referencing egress rules.',
  },
  {
    id: 'sg-rule-description-on-prefix-list',
    kind: 'drift',
    resourceType: 'aws_vpc_security_group_ingress_rule',
    attributes: ['description'],
    when: (before) => !!before.prefix_list_id,
    reason:
      "The same for rules whose peer is a managed prefix list (CloudFront's origin-facing servers behind the edge): moto keeps no description for them.",
    evidence:
      'After AuthorizeSecurityGroupIngress with PrefixListIds [{PrefixListId: pl-4fa04526, Description}], the refreshed rule has description null: web-prod\'s second plan wants description null -> "HTTPS from CloudFront origin-facing servers only" (moto/ec2/models/security_groups.py keeps descriptions in ip_ranges only).',
  },
  {
    id: 's3-notification-eventbridge',
    kind: 'drift',
    resourceType: 'aws_s3_bucket_notification',
    attributes: ['eventbridge'],
    reason: 'moto accepts the EventBridge configuration but does not return it, so eventbridge reads back false.',
    evidence:
      'After PutBucketNotificationConfiguration with EventBridgeConfiguration {}, GetBucketNotificationConfiguration answers {} (no EventBridgeConfiguration).',
  },
  {
    id: 'rds-monitoring-and-performance-insights',
    kind: 'drift',
    resourceType: 'aws_db_instance',
    attributes: [
      'monitoring_interval',
      'monitoring_role_arn',
      'performance_insights_enabled',
      'performance_insights_kms_key_id',
      'performance_insights_retention_period',
    ],
    reason: 'moto does not keep enhanced monitoring or Performance Insights settings of a DB instance.',
    evidence:
      'DescribeDBInstances after CreateDBInstance with MonitoringInterval 60, a MonitoringRoleArn and EnablePerformanceInsights returns none of MonitoringInterval, MonitoringRoleArn, PerformanceInsightsEnabled, PerformanceInsightsRetentionPeriod.',
  },
  {
    id: 'rds-parameter-group-parameters',
    kind: 'drift',
    resourceType: 'aws_db_parameter_group',
    attributes: ['parameter'],
    reason:
      "moto returns a parameter group's parameters without their Source, and the provider keeps only parameters whose Source it knows, so it reads back none.",
    evidence:
      'After ModifyDBParameterGroup, DescribeDBParameters answers [{ParameterName, ParameterValue, ApplyMethod}] with no Source (AWS: "user"); the provider skips parameters whose Source is nil.',
  },
  {
    id: 'asg-default-instance-warmup-and-capacity-reservation',
    kind: 'drift',
    resourceType: 'aws_autoscaling_group',
    attributes: ['default_instance_warmup', 'capacity_reservation_specification'],
    reason: "moto does not keep an auto scaling group's DefaultInstanceWarmup nor return its CapacityReservationSpecification.",
    evidence:
      'DescribeAutoScalingGroups after CreateAutoScalingGroup with DefaultInstanceWarmup 120 returns no DefaultInstanceWarmup (read as 0) and no CapacityReservationSpecification (read as null, where the provider plans "").',
  },
  {
    id: 'asg-policy-enabled-and-predictive',
    kind: 'drift',
    resourceType: 'aws_autoscaling_policy',
    attributes: ['enabled', 'predictive_scaling_configuration'],
    reason: "moto does not return a scaling policy's Enabled flag and returns an empty PredictiveScalingConfiguration for every policy.",
    evidence:
      'DescribePolicies after PutScalingPolicy with Enabled true returns no Enabled (read as false) and PredictiveScalingConfiguration {} (read as one empty block).',
  },
  {
    id: 'launch-template-own-tags-as-tag-specification',
    kind: 'drift',
    resourceType: 'aws_launch_template',
    attributes: ['tag_specifications'],
    reason:
      'moto reports the launch template\'s own tags as an extra tag specification for resource type "launch-template", which AWS does not.',
    evidence:
      'DescribeLaunchTemplateVersions returns a TagSpecifications entry with ResourceType launch-template next to the configured instance, volume and network-interface ones.',
  },
  {
    id: 'acm-key-algorithm',
    kind: 'drift',
    resourceType: 'aws_acm_certificate',
    attributes: ['key_algorithm'],
    forcesReplacement: true,
    reason:
      'moto issues every requested certificate with an RSA 2048 key, whatever KeyAlgorithm the request names, so the ECDSA P-256 certificate reads back as RSA and would be replaced.',
    evidence: 'DescribeCertificate after RequestCertificate with KeyAlgorithm EC_prime256v1 returns KeyAlgorithm RSA_2048.',
  },
];

/** Every gap by id. */
export const GAPS_BY_ID: ReadonlyMap<string, EmulatorGap> = new Map(EMULATOR_GAPS.map((g) => [g.id, g]));

/** Which gaps the run needed: what is left at the end is stale. */
export class GapLedger {
  private readonly used = new Map<string, Set<string>>();

  record(gapId: string, where: string): void {
    if (!GAPS_BY_ID.has(gapId)) throw new Error(`unknown emulator gap ${gapId}`);
    (this.used.get(gapId) ?? this.used.set(gapId, new Set()).get(gapId)!).add(where);
  }

  /** gap id → where it was needed. */
  uses(): Record<string, string[]> {
    return Object.fromEntries([...this.used].map(([id, where]) => [id, [...where].sort()]));
  }

  /** Entries nothing in the run needed. */
  stale(): EmulatorGap[] {
    return EMULATOR_GAPS.filter((g) => !this.used.has(g.id));
  }
}

/** One error Terraform reported for a resource (from `terraform apply -json`). */
export interface ResourceError {
  readonly address: string;
  readonly summary: string;
  readonly detail: string;
}

/** Errors of `terraform apply -json` output, by resource address (errors without one get address ""). */
export function applyErrors(jsonLines: string): ResourceError[] {
  const errors: ResourceError[] = [];
  for (const line of jsonLines.split('\n')) {
    if (!line.startsWith('{')) continue;
    const message = JSON.parse(line) as {
      type?: string;
      diagnostic?: { severity: string; summary: string; detail?: string; address?: string };
    };
    if (message.type !== 'diagnostic' || message.diagnostic?.severity !== 'error') continue;
    const { summary, detail = '', address = '' } = message.diagnostic;
    errors.push({ address, summary, detail });
  }
  return errors;
}

const typeOf = (address: string) => address.split('.')[0];

/** Splits apply errors into those an `apply` gap explains (recorded in the ledger) and the rest. */
export function triageApplyErrors(
  errors: readonly ResourceError[],
  ledger: GapLedger,
  where: string,
): { allowed: Map<string, ApplyGap>; unexpected: ResourceError[] } {
  const allowed = new Map<string, ApplyGap>();
  const unexpected: ResourceError[] = [];
  for (const error of errors) {
    const gap = EMULATOR_GAPS.find(
      (g): g is ApplyGap =>
        g.kind === 'apply' && g.resourceType === typeOf(error.address) && g.error.test(`${error.summary}\n${error.detail}`),
    );
    if (gap) {
      allowed.set(error.address, gap);
      ledger.record(gap.id, `${where}: ${error.address}`);
    } else {
      unexpected.push(error);
    }
  }
  return { allowed, unexpected };
}

/** `type.name` of an address (`aws_route53_record.x["a.example.com"]` → `aws_route53_record.x`). */
export const blockOf = (address: string) => address.replace(/\[[^\]]*\]$/, '');

/**
 * Resources of a synthesized stack that Terraform does not create because something they refer to
 * (an interpolation or `depends_on`, directly or through others) failed with an `apply` gap: `type.name` →
 * the gap id. They are consequences of that gap, not failures of their own.
 */
export function consequencesOf(
  resources: Record<string, Record<string, unknown>>,
  failed: ReadonlyMap<string, ApplyGap>,
): Map<string, string> {
  const addresses = Object.entries(resources).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`));
  const refs = new Map(
    addresses.map((address) => {
      const [type, name] = address.split('.');
      const text = JSON.stringify(resources[type][name]);
      return [
        address,
        addresses.filter((other) => other !== address && new RegExp(`\\b${other.replace('.', '\\.')}\\b(?![\\w-])`).test(text)),
      ];
    }),
  );
  const cause = new Map<string, string>([...failed].map(([address, gap]) => [blockOf(address), gap.id]));
  const consequences = new Map<string, string>();
  for (let grew = true; grew;) {
    grew = false;
    for (const [address, targets] of refs) {
      if (cause.has(address)) continue;
      const upstream = targets.find((t) => cause.has(t));
      if (upstream === undefined) continue;
      cause.set(address, cause.get(upstream)!);
      consequences.set(address, cause.get(upstream)!);
      grew = true;
    }
  }
  return consequences;
}

/** A changed attribute of a planned resource change. */
export interface ChangedPath {
  /** `attribute`, `attribute[0].nested`, … */
  readonly path: string;
  /** Unknown until apply (a consequence of some other change), or a known new value. */
  readonly unknown: boolean;
}

/** The attribute paths at which `after` (with `unknown` marks) differs from `before`. */
export function changedPaths(before: unknown, after: unknown, unknown: unknown, path = ''): ChangedPath[] {
  if (unknown === true) return isDeepStrictEqual(before, undefined) ? [] : [{ path, unknown: true }];
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObject(before) && isObject(after)) {
    const u = isObject(unknown) ? unknown : {};
    return [...new Set([...Object.keys(before), ...Object.keys(after)])]
      .sort()
      .flatMap((k) => changedPaths(before[k], after[k], u[k], path ? `${path}.${k}` : k));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    const u = Array.isArray(unknown) ? unknown : [];
    return before.flatMap((b, i) => changedPaths(b, after[i], u[i], `${path}[${i}]`));
  }
  return isDeepStrictEqual(before ?? null, after ?? null) ? [] : [{ path, unknown: false }];
}

/** Why one planned change is accepted, or not. */
export interface ChangeVerdict {
  readonly address: string;
  readonly actions: readonly string[];
  /** Gap ids the change rests on; empty when it only follows other accepted changes. */
  readonly gaps: readonly string[];
  /** Accepted changes of other resources that this one follows (values unknown until they are applied). */
  readonly follows: readonly string[];
  /** What no gap explains; empty when the change is accepted. */
  readonly unexplained: readonly string[];
}

type ResourceChange = PlanJson['resource_changes'][number] & {
  change: { before?: Record<string, any> | null; after_unknown?: Record<string, any>; replace_paths?: (string | number)[][] };
};

const topAttribute = (path: string) => path.split(/[.[]/)[0];

/** The resources an attribute's configuration expression refers to (`type.name`). */
function referencedResources(plan: PlanJson, address: string, attribute: string): string[] {
  const resources = (plan.configuration?.root_module?.resources ?? []) as {
    address: string;
    expressions?: Record<string, unknown>;
    for_each_expression?: unknown;
  }[];
  const resource = resources.find((r) => r.address === blockOf(address));
  const expression = resource?.expressions?.[attribute];
  const refs = new Set<string>();
  // `each.value…` of a for_each resource is what its for_each expression refers to.
  if (JSON.stringify(expression ?? null).includes('"each.')) refs.add('each');
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === 'references' && Array.isArray(v))
          v.forEach((r: string) => /^aws_/.test(r) && refs.add(r.split('.').slice(0, 2).join('.')));
        else walk(v);
      }
    }
  };
  walk(expression);
  if (refs.delete('each')) walk(resource?.for_each_expression);
  return [...refs];
}

/**
 * Judges every change of a plan made right after an apply: each must rest on an emulator gap, attribute by
 * attribute, or follow from other accepted changes.
 *
 * - create: the resource's own create failed with an `apply` gap (`failedCreates`), or it is absent
 *   because of a gap (`absentBecause`: address or `type.name` → gap id) — a `workaround` removed it after
 *   the apply, or it refers to a resource whose create failed (`consequencesOf`);
 * - update: every attribute with a known new value matches a `drift` gap of its type; every attribute
 *   that is unknown until apply refers to a resource whose change is accepted, or is computed by the
 *   resource itself (it changes because the resource is updated);
 * - replace: every path that forces it is such a known gap (`forcesReplacement`) or follows an accepted
 *   change (the new object is planned from the configuration, so its other values need no reason);
 * - delete, or anything else: never accepted.
 *
 * Gaps used are recorded in `ledger` (under `where`).
 */
export function judgePlan(
  plan: PlanJson,
  failedCreates: ReadonlySet<string>,
  ledger: GapLedger,
  where: string,
  absentBecause: ReadonlyMap<string, string> = new Map(),
): ChangeVerdict[] {
  const changes = (plan.resource_changes as ResourceChange[]).filter(
    (rc) => !rc.change.actions.every((a) => a === 'no-op' || a === 'read'),
  );
  type Draft = { rc: ResourceChange; gaps: Set<string>; follows: Set<string>; open: { path: string; refs: string[] }[]; hard: string[] };
  const drafts = new Map<string, Draft>();
  const driftGapFor = (rc: ResourceChange, path: string, replacing: boolean) =>
    EMULATOR_GAPS.find(
      (g): g is DriftGap =>
        g.kind === 'drift' &&
        g.resourceType === rc.type &&
        g.attributes.includes(topAttribute(path)) &&
        (g.when?.(rc.change.before ?? {}) ?? true) &&
        (!replacing || g.forcesReplacement === true),
    );

  for (const rc of changes) {
    const { actions, before, after, after_unknown: unknownMarks, replace_paths: replacePaths = [] } = rc.change;
    const draft: Draft = { rc, gaps: new Set(), follows: new Set(), open: [], hard: [] };
    drafts.set(rc.address, draft);
    const replacing = actions.includes('delete') && actions.includes('create');
    if (actions.length === 1 && actions[0] === 'create') {
      if (failedCreates.has(rc.address)) draft.gaps.add(`apply:${rc.address}`);
      else if (absentBecause.has(rc.address) || absentBecause.has(blockOf(rc.address))) {
        draft.gaps.add(absentBecause.get(rc.address) ?? absentBecause.get(blockOf(rc.address))!);
      } else draft.hard.push('created, but its create did not fail with a known emulator gap');
      continue;
    }
    if (!replacing && !(actions.length === 1 && actions[0] === 'update')) {
      draft.hard.push(`actions ${actions.join('+')}`);
      continue;
    }
    const paths = changedPaths(before, after, unknownMarks);
    const forcing = new Set(replacePaths.map((p) => topAttribute(p.map((s) => (typeof s === 'number' ? `[${s}]` : s)).join('.'))));
    for (const { path, unknown } of paths) {
      const attribute = topAttribute(path);
      // A replacement is planned from the configuration alone: only what forces it needs a reason.
      if (replacing && !forcing.has(attribute)) continue;
      if (unknown) {
        const refs = referencedResources(plan, rc.address, attribute);
        // A computed attribute of a resource that changes anyway is re-read after the change.
        if (refs.length === 0 && !forcing.has(attribute)) continue;
        draft.open.push({ path, refs });
        continue;
      }
      const gap = driftGapFor(rc, path, replacing && forcing.has(attribute));
      if (gap) draft.gaps.add(gap.id);
      else draft.hard.push(`${path}: ${JSON.stringify(valueAt(before, path))} -> ${JSON.stringify(valueAt(after, path))}`);
    }
    for (const attribute of forcing) {
      if (!paths.some((p) => topAttribute(p.path) === attribute)) draft.hard.push(`${attribute} forces replacement`);
    }
  }

  // Unknown values follow accepted changes upstream: settle them until nothing moves.
  const accepted = (d: Draft) => d.hard.length === 0 && d.open.length === 0 && (d.gaps.size > 0 || d.follows.size > 0);
  for (let moved = true; moved;) {
    moved = false;
    for (const draft of drafts.values()) {
      const still = draft.open.filter(({ refs }) => {
        // A reference names a resource; a for_each resource changes per instance (`address["key"]`).
        const upstream = refs.filter((r) => {
          const instances = [...drafts.values()].filter((d) => d.rc.address === r || d.rc.address.startsWith(`${r}[`));
          return instances.length > 0 && instances.every(accepted);
        });
        if (upstream.length === 0) return true;
        upstream.forEach((r) => draft.follows.add(r));
        return false;
      });
      if (still.length !== draft.open.length) {
        draft.open = still;
        moved = true;
      }
    }
  }

  return [...drafts.values()].map((d) => {
    const unexplained = [
      ...d.hard,
      ...d.open.map(
        (o) =>
          `${o.path}: unknown until apply, and ${o.refs.length ? `${o.refs.join(', ')} has no accepted change` : 'nothing accepted causes it'}`,
      ),
    ];
    if (unexplained.length === 0 && d.gaps.size === 0 && d.follows.size === 0) unexplained.push('changes nothing a gap explains');
    const gaps = [...d.gaps].filter((g) => !g.startsWith('apply:'));
    if (unexplained.length === 0) gaps.forEach((g) => ledger.record(g, `${where}: ${d.rc.address}`));
    return { address: d.rc.address, actions: d.rc.change.actions, gaps, follows: [...d.follows].sort(), unexplained };
  });
}

function valueAt(root: unknown, path: string): unknown {
  let node: any = root;
  for (const part of path.split(/\.|(?=\[)/)) {
    if (node === undefined || node === null) return undefined;
    const index = /^\[(\d+)\]$/.exec(part);
    node = index ? node[Number(index[1])] : node[part];
  }
  return node;
}
