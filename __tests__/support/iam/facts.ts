/**
 * What AWS knows about existing resources when it authorizes a call, and the simulator must be told:
 * their tags (`aws:ResourceTag/*`, `ec2:ResourceTag/*`…), a KMS key's aliases (`kms:ResourceAliases`), the
 * role an instance profile carries (for the implied iam:PassRole), a launch template's contents (for the
 * ec2:RunInstances checks Auto Scaling makes), resource policies (a KMS key policy is part of every key
 * decision), the KMS key of a bucket or secret (for the KMS calls S3 and Secrets Manager make).
 *
 * Two sources, in this order of trust: Terraform state (`terraform state pull` or `terraform show -json`,
 * every resource instance indexed by ARN and id), and the recorded calls of the run itself (the tags a
 * create call sent, keyed by the id its response returned), which covers resources created and deleted
 * within one run. Facts are not versioned in time: a resource's tags are its tags for the whole run.
 */
import type { RecordedCall } from './call-log';
import {
  ec2TagSpecifications,
  formParams,
  jsonBody,
  jsonListTags,
  jsonMapTags,
  memberTags,
  pathSegments,
  xmlTags,
  xmlValue,
  type Tags,
} from './params';

/** The contents of a launch template that Auto Scaling checks when it validates a launch. */
export interface LaunchTemplateFacts {
  readonly id: string;
  readonly name?: string;
  readonly imageId?: string;
  readonly keyName?: string;
  readonly securityGroupIds: readonly string[];
  /** ARN or name of the instance profile the instances get. */
  readonly instanceProfile?: string;
  /** Tags the template puts on what it launches, by EC2 resource type (`instance`, `volume`, `network-interface`). */
  readonly tagSpecifications: ReadonlyMap<string, Tags>;
  /** KMS keys named for the template's EBS volumes. */
  readonly ebsKmsKeys: readonly string[];
}

/** Facts about existing resources, looked up while requests are built. */
export interface ResourceFacts {
  /** The account the CI role deploys to (the caller's account). */
  readonly accountId: string;
  /** Tags of an existing resource, by ARN (or by an id such as `vpc-…`); undefined when unknown. */
  tagsOf(arnOrId: string): Tags | undefined;
  /** The aliases (`alias/…`) of a KMS key, by key ARN or key id. */
  aliasesOf(key: string): readonly string[];
  /** The key ARN an alias (`alias/x` in `region`, or an alias ARN) points to. */
  keyOfAlias(alias: string, region: string): string | undefined;
  /** Names of the roles an instance profile carries, by profile name or ARN. */
  rolesOfInstanceProfile(profile: string): readonly string[];
  /** Resource policy (KMS key policy, bucket policy) of a resource, by ARN. */
  policyOf(arn: string): unknown;
  /** A launch template by id (`lt-…`) or name. */
  launchTemplate(idOrName: string): LaunchTemplateFacts | undefined;
  /** The KMS key (id, ARN or alias) a bucket encrypts new objects with by default (SSE-KMS), and whether it uses a bucket key. */
  bucketEncryption(bucket: string): { readonly kmsKey: string; readonly bucketKey: boolean } | undefined;
  /** The KMS key (id, ARN or alias) an object was written with (SSE-KMS header of a recorded PutObject). */
  objectKmsKey(bucket: string, key: string): string | undefined;
  /** The KMS key (id, ARN or alias) a secret is encrypted with, by secret ARN or name; undefined for aws/secretsmanager. */
  secretKmsKey(secret: string): string | undefined;
  /** The ARN of an Auto Scaling group (it embeds a group id that calls naming the group do not carry). */
  autoScalingGroupArn(name: string): string | undefined;
  /** The ARN (with its path) of an IAM role, policy or instance profile known by name. */
  iamArn(type: 'role' | 'policy' | 'instance-profile', name: string): string | undefined;
  /** The permissions boundary (policy ARN) of a role, by name. */
  roleBoundary(role: string): string | undefined;
  /** The route table (and subnet or gateway) of a route table association (`rtbassoc-…`). */
  routeTableAssociation(id: string): { readonly routeTableId: string; readonly subnetId?: string; readonly gatewayId?: string } | undefined;
}

/** A resource instance of Terraform state: `terraform state pull` (attributes) or `terraform show -json` (values). */
interface StateInstance {
  readonly type: string;
  readonly attributes: Record<string, any>;
}

/** Either JSON shape of Terraform state that the tests read (see __tests__/support/remote-state.ts). */
export type TerraformStateJson =
  | { readonly resources?: readonly { mode?: string; type: string; instances?: readonly { attributes?: Record<string, any> }[] }[] }
  | { readonly values?: { readonly root_module?: ShownModule } };

interface ShownModule {
  readonly resources?: readonly { mode?: string; type: string; values?: Record<string, any> }[];
  readonly child_modules?: readonly ShownModule[];
}

/** Every managed resource instance of a state, whichever JSON shape it has. */
export function stateInstances(state: TerraformStateJson): StateInstance[] {
  const out: StateInstance[] = [];
  if ('resources' in state && Array.isArray(state.resources)) {
    for (const r of state.resources) {
      if (r.mode === 'data') continue;
      for (const i of r.instances ?? []) out.push({ type: r.type, attributes: i.attributes ?? {} });
    }
  }
  const walk = (m: ShownModule | undefined): void => {
    if (!m) return;
    for (const r of m.resources ?? []) if (r.mode !== 'data') out.push({ type: r.type, attributes: r.values ?? {} });
    (m.child_modules ?? []).forEach(walk);
  };
  if ('values' in state) walk(state.values?.root_module);
  return out;
}

/** Ids a service makes unique: EC2's `vpc-0abc…`, `eipalloc-…`; KMS key and other UUIDs. */
const UNIQUE_ID = /^([a-z]+-[0-9a-f]{8,}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** EC2 tag-specification resource type → the id prefix of what its create call returns. */
const EC2_ID_PREFIX: Readonly<Record<string, string>> = {
  vpc: 'vpc-',
  subnet: 'subnet-',
  'security-group': 'sg-',
  'security-group-rule': 'sgr-',
  'route-table': 'rtb-',
  'internet-gateway': 'igw-',
  'elastic-ip': 'eipalloc-',
  natgateway: 'nat-',
  'vpc-endpoint': 'vpce-',
  'vpc-flow-log': 'fl-',
  'launch-template': 'lt-',
  'network-acl': 'acl-',
  'dhcp-options': 'dopt-',
  'egress-only-internet-gateway': 'eigw-',
};

/**
 * The facts of a run: built from Terraform state (`addState`) and the recorded calls (`learn`). Lookups by
 * id only answer when the id is unambiguous (two resources with the same name and different tags answer
 * nothing rather than the wrong tags).
 */
export class FactBook implements ResourceFacts {
  private readonly tagsByArn = new Map<string, Tags>();
  private readonly tagsById = new Map<string, Tags | null>();
  private readonly aliases = new Map<string, Set<string>>();
  private readonly aliasTargets = new Map<string, string>();
  private readonly profileRoles = new Map<string, Set<string>>();
  private readonly policies = new Map<string, unknown>();
  private readonly templates = new Map<string, LaunchTemplateFacts>();
  private readonly buckets = new Map<string, { kmsKey: string; bucketKey: boolean }>();
  private readonly secretKeys = new Map<string, string>();
  private readonly objectKeys = new Map<string, string>();
  private readonly groupArns = new Map<string, string>();
  private readonly iamArns = new Map<string, string>();
  private readonly boundaries = new Map<string, string>();
  private readonly associations = new Map<string, { routeTableId: string; subnetId?: string; gatewayId?: string }>();

  constructor(readonly accountId: string) {}

  /** Indexes every managed resource instance of a Terraform state. */
  addState(state: TerraformStateJson): this {
    for (const { type, attributes: a } of stateInstances(state)) this.addInstance(type, a);
    return this;
  }

  /**
   * Learns from the recorded calls of a run: tags sent on create (with the id the response returned), tag
   * calls, aliases, instance profiles, launch templates, policies, bucket and secret keys.
   */
  learn(calls: readonly RecordedCall[]): this {
    for (const call of calls) this.learnCall(call);
    return this;
  }

  tagsOf(arnOrId: string): Tags | undefined {
    const byArn = this.tagsByArn.get(arnOrId);
    if (byArn !== undefined) return byArn;
    const id = arnOrId.startsWith('arn:') ? lastSegment(arnOrId) : arnOrId;
    return this.tagsById.get(id) ?? undefined;
  }

  aliasesOf(key: string): readonly string[] {
    return [...(this.aliases.get(keyIdOf(key)) ?? [])].sort();
  }

  keyOfAlias(alias: string, region: string): string | undefined {
    const name = alias.startsWith('arn:') ? alias.slice(alias.indexOf(':alias/') + 1) : alias;
    const arnRegion = alias.startsWith('arn:') ? alias.split(':')[3] : region;
    return this.aliasTargets.get(`${arnRegion}|${name}`) ?? this.aliasTargets.get(`|${name}`);
  }

  rolesOfInstanceProfile(profile: string): readonly string[] {
    return [...(this.profileRoles.get(lastSegment(profile)) ?? [])];
  }

  policyOf(arn: string): unknown {
    return this.policies.get(arn) ?? (arn.includes(':key/') ? this.policies.get(keyIdOf(arn)) : undefined);
  }

  launchTemplate(idOrName: string): LaunchTemplateFacts | undefined {
    return this.templates.get(idOrName);
  }

  bucketEncryption(bucket: string): { readonly kmsKey: string; readonly bucketKey: boolean } | undefined {
    return this.buckets.get(bucket);
  }

  objectKmsKey(bucket: string, key: string): string | undefined {
    return this.objectKeys.get(`${bucket}/${key}`);
  }

  secretKmsKey(secret: string): string | undefined {
    return this.secretKeys.get(secret) ?? this.secretKeys.get(secretNameOf(secret));
  }

  autoScalingGroupArn(name: string): string | undefined {
    return this.groupArns.get(name);
  }

  iamArn(type: 'role' | 'policy' | 'instance-profile', name: string): string | undefined {
    return this.iamArns.get(`${type}/${name}`);
  }

  roleBoundary(role: string): string | undefined {
    return this.boundaries.get(role);
  }

  routeTableAssociation(
    id: string,
  ): { readonly routeTableId: string; readonly subnetId?: string; readonly gatewayId?: string } | undefined {
    return this.associations.get(id);
  }

  /**
   * Records tags of a resource by ARN and by id. An id made unique by its service (`vpc-0abc…`, a KMS key
   * UUID) collects every tag call; a name (roles, groups, repositories may share one) that two resources
   * with different tags use answers nothing.
   */
  setTags(arn: string | undefined, id: string | undefined, tags: Tags | undefined): void {
    if (tags === undefined) return;
    if (arn) this.tagsByArn.set(arn, { ...(this.tagsByArn.get(arn) ?? {}), ...tags });
    for (const key of new Set([id, arn ? lastSegment(arn) : undefined])) {
      if (!key) continue;
      const known = this.tagsById.get(key);
      if (known === undefined) this.tagsById.set(key, tags);
      else if (UNIQUE_ID.test(key)) this.tagsById.set(key, { ...(known ?? {}), ...tags });
      else if (known !== null && !sameTags(known, tags)) this.tagsById.set(key, null);
    }
  }

  private addInstance(type: string, a: Record<string, any>): void {
    const id = typeof a.id === 'string' ? a.id : undefined;
    let arn = typeof a.arn === 'string' && a.arn.startsWith('arn:') ? (a.arn as string) : undefined;
    if (arn === undefined && id?.startsWith('arn:')) arn = id;
    // aws_nat_gateway and aws_eip have no arn attribute; their ids (nat-…, eipalloc-…) are unique.
    this.setTags(arn, id, tagsOfState(a));
    switch (type) {
      case 'aws_kms_key':
        if (typeof a.policy === 'string' && a.policy) this.policies.set(a.key_id ?? id, JSON.parse(a.policy));
        break;
      case 'aws_kms_alias':
        if (a.target_key_arn || a.target_key_id) this.addAlias(a.name ?? id, a.target_key_arn ?? a.target_key_id, regionOf(a.arn));
        break;
      case 'aws_iam_instance_profile':
        if (a.role) this.addProfileRole(a.name ?? id, a.role);
        if (a.name && arn) this.iamArns.set(`instance-profile/${a.name}`, arn);
        break;
      case 'aws_s3_bucket_policy':
        if (a.policy && a.bucket) this.policies.set(`arn:aws:s3:::${a.bucket}`, JSON.parse(a.policy));
        break;
      case 'aws_s3_bucket_server_side_encryption_configuration':
        for (const rule of a.rule ?? []) {
          const key = rule.apply_server_side_encryption_by_default?.[0]?.kms_master_key_id;
          const algorithm = rule.apply_server_side_encryption_by_default?.[0]?.sse_algorithm;
          if (algorithm === 'aws:kms' && a.bucket)
            this.buckets.set(a.bucket, { kmsKey: key || 'alias/aws/s3', bucketKey: !!rule.bucket_key_enabled });
        }
        break;
      case 'aws_secretsmanager_secret':
        if (a.kms_key_id) for (const s of [a.arn, a.name]) if (s) this.secretKeys.set(s, a.kms_key_id);
        break;
      case 'aws_db_instance':
        // RDS tags the secret of a managed master password with its database's ARN (and keeps it with the
        // key the database names): "Password management with Amazon RDS and AWS Secrets Manager", RDS user guide.
        for (const secret of a.master_user_secret ?? []) {
          if (typeof secret.secret_arn !== 'string' || !arn) continue;
          this.setTags(secret.secret_arn, undefined, { 'aws:rds:primaryDBInstanceArn': arn, 'aws:secretsmanager:owningService': 'rds' });
          if (secret.kms_key_id) this.secretKeys.set(secret.secret_arn, secret.kms_key_id);
        }
        break;
      case 'aws_launch_template':
        if (id) this.addTemplate(launchTemplateOfState(id, a));
        break;
      case 'aws_autoscaling_group':
        if (a.name && arn) this.groupArns.set(a.name, arn);
        break;
      case 'aws_iam_role':
        if (a.name && arn) this.iamArns.set(`role/${a.name}`, arn);
        if (a.name && a.permissions_boundary) this.boundaries.set(a.name, a.permissions_boundary);
        break;
      case 'aws_iam_policy':
        if (a.name && arn) this.iamArns.set(`policy/${a.name}`, arn);
        break;
      case 'aws_route_table_association':
        if (id && a.route_table_id)
          this.associations.set(id, {
            routeTableId: a.route_table_id,
            subnetId: a.subnet_id || undefined,
            gatewayId: a.gateway_id || undefined,
          });
        break;
    }
  }

  private learnCall(call: RecordedCall): void {
    const ok = call.response !== undefined && call.response.status < 300;
    const op = `${call.service}:${call.operation}`;
    const p = formParams(call.body);
    const json = jsonBody(call.body);
    const response = call.response?.body ?? '';
    const account = this.accountId;
    const region = call.region;
    if (call.service === 'EC2' && ok) {
      for (const [type, tags] of ec2TagSpecifications(p)) {
        const prefix = EC2_ID_PREFIX[type];
        const id = prefix ? xmlIds(response, prefix)[0] : undefined;
        if (id) this.setTags(`arn:aws:ec2:${region}:${account}:${type}/${id}`, id, tags);
      }
      if (call.operation === 'CreateTags') {
        const tags = memberTags(p, 'Tag');
        for (const [name, value] of p) if (/^ResourceId\.\d+$/.test(name)) this.setTags(undefined, value, tags);
      }
      if (call.operation === 'AssociateRouteTable') {
        const association = xmlValue(response, 'associationId');
        const routeTableId = p.get('RouteTableId');
        if (association && routeTableId)
          this.associations.set(association, { routeTableId, subnetId: p.get('SubnetId'), gatewayId: p.get('GatewayId') });
      }
      if (call.operation === 'CreateLaunchTemplate') {
        const id = xmlValue(response, 'launchTemplateId');
        if (id) this.addTemplate(launchTemplateOfRequest(id, p));
      }
      return;
    }
    if (!ok) return;
    switch (op) {
      case 'Elastic Load Balancing v2:CreateLoadBalancer':
      case 'Elastic Load Balancing v2:CreateTargetGroup':
      case 'Elastic Load Balancing v2:CreateListener':
      case 'Elastic Load Balancing v2:CreateRule': {
        const field = {
          CreateLoadBalancer: 'LoadBalancerArn',
          CreateTargetGroup: 'TargetGroupArn',
          CreateListener: 'ListenerArn',
          CreateRule: 'RuleArn',
        }[call.operation];
        this.setTags(field ? xmlValue(response, field) : undefined, undefined, memberTags(p, 'Tags.member'));
        break;
      }
      case 'Elastic Load Balancing v2:AddTags':
        for (const arn of [...p].filter(([n]) => /^ResourceArns\.member\.\d+$/.test(n)).map(([, v]) => v))
          this.setTags(arn, undefined, memberTags(p, 'Tags.member'));
        break;
      case 'IAM:CreateRole':
      case 'IAM:CreatePolicy':
      case 'IAM:CreateInstanceProfile':
      case 'IAM:CreateOpenIDConnectProvider': {
        const arn = xmlValue(response, 'Arn') ?? xmlValue(response, 'OpenIDConnectProviderArn');
        this.setTags(arn, undefined, memberTags(p, 'Tags.member'));
        const kind = { CreateRole: 'role', CreatePolicy: 'policy', CreateInstanceProfile: 'instance-profile' }[call.operation];
        const name = p.get('RoleName') ?? p.get('PolicyName') ?? p.get('InstanceProfileName');
        if (kind && name && arn) this.iamArns.set(`${kind}/${name}`, arn);
        if (call.operation === 'CreateRole' && name && p.get('PermissionsBoundary'))
          this.boundaries.set(name, p.get('PermissionsBoundary')!);
        break;
      }
      case 'IAM:PutRolePermissionsBoundary':
        if (p.get('RoleName') && p.get('PermissionsBoundary')) this.boundaries.set(p.get('RoleName')!, p.get('PermissionsBoundary')!);
        break;
      case 'IAM:AddRoleToInstanceProfile':
        if (p.get('InstanceProfileName') && p.get('RoleName')) this.addProfileRole(p.get('InstanceProfileName')!, p.get('RoleName')!);
        break;
      case 'KMS:CreateKey': {
        const meta = jsonBody(response).KeyMetadata ?? {};
        this.setTags(meta.Arn, meta.KeyId, jsonListTags(json.Tags, 'TagKey', 'TagValue'));
        if (meta.KeyId && typeof json.Policy === 'string') this.policies.set(meta.KeyId, JSON.parse(json.Policy));
        break;
      }
      case 'KMS:CreateAlias':
        if (json.AliasName && json.TargetKeyId) this.addAlias(json.AliasName, json.TargetKeyId, region);
        break;
      case 'KMS:PutKeyPolicy':
        if (json.KeyId && typeof json.Policy === 'string') this.policies.set(keyIdOf(json.KeyId), JSON.parse(json.Policy));
        break;
      case 'RDS:CreateDBInstance':
      case 'RDS:CreateDBParameterGroup':
      case 'RDS:CreateDBSubnetGroup': {
        const arn =
          xmlValue(response, 'DBInstanceArn') ?? xmlValue(response, 'DBParameterGroupArn') ?? xmlValue(response, 'DBSubnetGroupArn');
        this.setTags(arn, undefined, memberTags(p, 'Tags.Tag') ?? memberTags(p, 'Tags.member'));
        break;
      }
      case 'CloudWatch Logs:CreateLogGroup':
        this.setTags(`arn:aws:logs:${region}:${account}:log-group:${json.logGroupName}`, undefined, jsonMapTags(json.tags));
        break;
      case 'SNS:CreateTopic':
        this.setTags(xmlValue(response, 'TopicArn'), undefined, memberTags(p, 'Tags.member'));
        break;
      case 'WAFV2:CreateWebACL':
      case 'WAFV2:CreateIPSet':
        this.setTags(jsonBody(response).Summary?.ARN, undefined, jsonListTags(json.Tags));
        break;
      case 'ECR:CreateRepository':
        this.setTags(jsonBody(response).repository?.repositoryArn, undefined, jsonListTags(json.tags));
        break;
      case 'ACM:RequestCertificate':
        this.setTags(jsonBody(response).CertificateArn, undefined, jsonListTags(json.Tags));
        break;
      case 'Secrets Manager:CreateSecret': {
        const arn = jsonBody(response).ARN;
        this.setTags(arn, undefined, jsonListTags(json.Tags));
        if (json.KmsKeyId) for (const s of [arn, json.Name]) if (s) this.secretKeys.set(s, json.KmsKeyId);
        break;
      }
      case 'CloudWatch:PutMetricAlarm':
        this.setTags(`arn:aws:cloudwatch:${region}:${account}:alarm:${p.get('AlarmName')}`, undefined, memberTags(p, 'Tags.member'));
        break;
      case 'S3:PutBucketTagging':
        if (call.s3?.bucket ?? pathSegments(call.url)[0])
          this.setTags(`arn:aws:s3:::${call.s3?.bucket ?? pathSegments(call.url)[0]}`, undefined, xmlTags(call.body));
        break;
      case 'S3:PutBucketPolicy': {
        const bucket = call.s3?.bucket ?? pathSegments(call.url)[0];
        const policy = jsonBody(call.body);
        if (bucket && Object.keys(policy).length > 0) this.policies.set(`arn:aws:s3:::${bucket}`, policy);
        break;
      }
      case 'S3:PutBucketEncryption': {
        const bucket = call.s3?.bucket ?? pathSegments(call.url)[0];
        if (bucket && xmlValue(call.body, 'SSEAlgorithm') === 'aws:kms') {
          this.buckets.set(bucket, {
            kmsKey: xmlValue(call.body, 'KMSMasterKeyID') || 'alias/aws/s3',
            bucketKey: xmlValue(call.body, 'BucketKeyEnabled') === 'true',
          });
        }
        break;
      }
      case 'S3:PutObject': {
        const kmsKey = call.headers.x_amz_server_side_encryption_aws_kms_key_id;
        const bucket = call.s3?.bucket ?? pathSegments(call.url)[0];
        const key = call.s3?.key ?? pathSegments(call.url).slice(1).join('/');
        if (call.headers.x_amz_server_side_encryption === 'aws:kms' && bucket && key)
          this.objectKeys.set(`${bucket}/${key}`, kmsKey || 'alias/aws/s3');
        break;
      }
      case 'Auto Scaling:DescribeAutoScalingGroups':
        for (const block of response.split('<member>')) {
          const name = xmlValue(block, 'AutoScalingGroupName');
          const arn = xmlValue(block, 'AutoScalingGroupARN');
          if (name && arn) this.groupArns.set(name, arn);
        }
        break;
    }
  }

  private addAlias(alias: string, key: string, region: string | undefined): void {
    const id = keyIdOf(key);
    this.aliases.set(id, new Set([...(this.aliases.get(id) ?? []), alias]));
    const target = key.startsWith('arn:') ? key : region ? `arn:aws:kms:${region}:${this.accountId}:key/${key}` : key;
    this.aliasTargets.set(`${region ?? ''}|${alias}`, target);
  }

  private addProfileRole(profile: string, role: string): void {
    this.profileRoles.set(profile, new Set([...(this.profileRoles.get(profile) ?? []), role]));
  }

  private addTemplate(t: LaunchTemplateFacts): void {
    this.templates.set(t.id, t);
    if (t.name) this.templates.set(t.name, t);
  }
}

/** Facts of a deployment: every state given (state pull or show -json), for the CI role's account. */
export function factsFromState(states: readonly TerraformStateJson[], accountId: string): FactBook {
  const book = new FactBook(accountId);
  for (const s of states) book.addState(s);
  return book;
}

function tagsOfState(a: Record<string, any>): Tags | undefined {
  const all = a.tags_all ?? a.tags;
  if (all && typeof all === 'object' && !Array.isArray(all)) return Object.fromEntries(Object.entries(all).map(([k, v]) => [k, String(v)]));
  // aws_autoscaling_group: tag { key, value, propagate_at_launch } blocks.
  if (Array.isArray(a.tag) && a.tag.length > 0) return Object.fromEntries(a.tag.map((t: any) => [String(t.key), String(t.value)]));
  return undefined;
}

function launchTemplateOfState(id: string, a: Record<string, any>): LaunchTemplateFacts {
  const tagSpecifications = new Map<string, Tags>();
  for (const spec of a.tag_specifications ?? []) if (spec.resource_type) tagSpecifications.set(spec.resource_type, spec.tags ?? {});
  const securityGroupIds = [
    ...(a.vpc_security_group_ids ?? []),
    ...(a.network_interfaces ?? []).flatMap((n: any) => n.security_groups ?? []),
  ];
  const profile = a.iam_instance_profile?.[0];
  return {
    id,
    name: a.name,
    imageId: a.image_id || undefined,
    keyName: a.key_name || undefined,
    securityGroupIds: [...new Set<string>(securityGroupIds)],
    instanceProfile: profile?.arn || profile?.name || undefined,
    tagSpecifications,
    ebsKmsKeys: (a.block_device_mappings ?? []).flatMap((b: any) => (b.ebs ?? []).map((e: any) => e.kms_key_id).filter(Boolean)),
  };
}

function launchTemplateOfRequest(id: string, p: ReadonlyMap<string, string>): LaunchTemplateFacts {
  const data = 'LaunchTemplateData.';
  const securityGroupIds = [...p]
    .filter(([n]) => /^LaunchTemplateData\.(SecurityGroupId\.\d+|NetworkInterface\.\d+\.SecurityGroupId\.\d+)$/.test(n))
    .map(([, v]) => v);
  return {
    id,
    name: p.get('LaunchTemplateName'),
    imageId: p.get(`${data}ImageId`),
    keyName: p.get(`${data}KeyName`),
    securityGroupIds,
    instanceProfile: p.get(`${data}IamInstanceProfile.Arn`) ?? p.get(`${data}IamInstanceProfile.Name`),
    tagSpecifications: ec2TagSpecifications(p, `${data}TagSpecification`),
    ebsKmsKeys: [...p].filter(([n]) => /^LaunchTemplateData\.BlockDeviceMapping\.\d+\.Ebs\.KmsKeyId$/.test(n)).map(([, v]) => v),
  };
}

/** Every EC2 id with `prefix` in a response body (`<vpcId>vpc-…</vpcId>`), in order. */
function xmlIds(xml: string, prefix: string): string[] {
  return [...xml.matchAll(new RegExp(`>(${prefix.replace(/-/g, '\\-')}[0-9a-zA-Z]+)<`, 'g'))].map((m) => m[1]);
}

/** The last `/`- or `:`-separated part of an ARN (a resource's id or name). */
function lastSegment(arnOrName: string): string {
  return arnOrName.split(/[/:]/).pop() ?? arnOrName;
}

/** The key id of a key ARN or id. */
function keyIdOf(key: string): string {
  return key.includes(':key/') ? key.slice(key.indexOf(':key/') + 5) : key;
}

/** A secret's name from its ARN (`…:secret:name-AbCdEf` → `name`), or the name itself. */
function secretNameOf(secret: string): string {
  if (!secret.startsWith('arn:')) return secret;
  return secret.slice(secret.indexOf(':secret:') + 8).replace(/-[A-Za-z0-9]{6}$/, '');
}

function regionOf(arn: unknown): string | undefined {
  return typeof arn === 'string' && arn.startsWith('arn:') ? arn.split(':')[3] || undefined : undefined;
}

function sameTags(a: Tags, b: Tags): boolean {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k] === b[k]);
}
