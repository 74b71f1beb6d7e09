/**
 * What an AWS API (here: a moto server on loopback) holds after a deploy, read through the AWS SDK v3
 * clients and reduced to the facts the emulated-deploy tests compare with the config: subnets and routes
 * per tier, NAT gateways, security group rules, the database, the auto scaling group, listeners, buckets,
 * key rotation — and, after a destroy, anything of a stack that is still there.
 */
import { ACMClient, RequestCertificateCommand } from '@aws-sdk/client-acm';
import { CloudFrontClient, ListDistributionsCommand } from '@aws-sdk/client-cloudfront';
import { DescribeRepositoriesCommand, ECRClient, GetLifecyclePolicyCommand } from '@aws-sdk/client-ecr';
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import {
  DescribeInstancesCommand,
  DescribeLaunchTemplatesCommand,
  DescribeNatGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSubnetsCommand,
  DescribeVpcEndpointsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { IAMClient, ListInstanceProfilesCommand, ListRolesCommand } from '@aws-sdk/client-iam';
import { DescribeKeyCommand, GetKeyRotationStatusCommand, KMSClient } from '@aws-sdk/client-kms';
import { DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { CreateHostedZoneCommand, Route53Client } from '@aws-sdk/client-route-53';
import {
  GetBucketEncryptionCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { ListWebACLsCommand, WAFV2Client } from '@aws-sdk/client-wafv2';

// The clients are pinned exactly (package.json); their notice that later releases need Node.js 22 is
// for the upgrade notes, not for every test run.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** Any keys: moto checks no signature; the account comes from the server's MOTO_ACCOUNT_ID. */
export const EMULATOR_CREDENTIALS = { accessKeyId: 'emulated-access-key', secretAccessKey: 'emulated-secret-key' } as const;

/** SDK clients of one region, all pointed at `endpoint`. */
export function awsClients(endpoint: string, region: string) {
  const config = { endpoint, region, credentials: EMULATOR_CREDENTIALS, maxAttempts: 3 };
  return {
    acm: new ACMClient(config),
    autoscaling: new AutoScalingClient(config),
    cloudfront: new CloudFrontClient(config),
    ec2: new EC2Client(config),
    ecr: new ECRClient(config),
    elbv2: new ElasticLoadBalancingV2Client(config),
    iam: new IAMClient(config),
    kms: new KMSClient(config),
    rds: new RDSClient(config),
    route53: new Route53Client(config),
    s3: new S3Client({ ...config, forcePathStyle: true }),
    tagging: new ResourceGroupsTaggingAPIClient(config),
    wafv2: new WAFV2Client(config),
  };
}
export type AwsClients = ReturnType<typeof awsClients>;

/** Closes every client's connections. */
export function closeClients(clients: AwsClients): void {
  Object.values(clients).forEach((c) => c.destroy());
}

/** Creates a public hosted zone for `domain`; returns its id (what `https.hostedZoneId` names). */
export async function createHostedZone(clients: AwsClients, domain: string): Promise<string> {
  const { HostedZone } = await clients.route53.send(
    new CreateHostedZoneCommand({ Name: domain, CallerReference: `emulated-${domain}-${Date.now()}` }),
  );
  return HostedZone!.Id!.replace('/hostedzone/', '');
}

/** Requests a certificate for `domain`; returns its ARN (what `https.certificateArn` names). */
export async function requestCertificate(clients: AwsClients, domain: string): Promise<string> {
  const { CertificateArn } = await clients.acm.send(new RequestCertificateCommand({ DomainName: domain, ValidationMethod: 'DNS' }));
  return CertificateArn!;
}

export interface SubnetFact {
  readonly tier: string;
  readonly zone: string;
  readonly cidr: string;
  readonly mapsPublicIp: boolean;
  /** Where 0.0.0.0/0 goes from this subnet: `igw`, `nat:<nat id>`, or absent. */
  readonly defaultRoute?: string;
  /** Every route's destination → target kind (`local`, `igw`, `nat`). */
  readonly routes: Record<string, string>;
}

/** Subnets of the VPC with their `Tier` tag, zone, CIDR and routes (through their route table association). */
export async function readSubnets(clients: AwsClients, vpcId: string): Promise<SubnetFact[]> {
  const filter = [{ Name: 'vpc-id', Values: [vpcId] }];
  const [{ Subnets = [] }, { RouteTables = [] }] = await Promise.all([
    clients.ec2.send(new DescribeSubnetsCommand({ Filters: filter })),
    clients.ec2.send(new DescribeRouteTablesCommand({ Filters: filter })),
  ]);
  return Subnets.map((s) => {
    const table =
      RouteTables.find((t) => t.Associations?.some((a) => a.SubnetId === s.SubnetId)) ??
      RouteTables.find((t) => t.Associations?.some((a) => a.Main));
    const routes: Record<string, string> = {};
    let defaultRoute: string | undefined;
    for (const r of table?.Routes ?? []) {
      const kind = r.NatGatewayId
        ? 'nat'
        : r.GatewayId === 'local'
          ? 'local'
          : r.GatewayId?.startsWith('igw-')
            ? 'igw'
            : (r.GatewayId ?? 'other');
      routes[r.DestinationCidrBlock ?? '?'] = kind;
      if (r.DestinationCidrBlock === '0.0.0.0/0') defaultRoute = kind === 'nat' ? `nat:${r.NatGatewayId}` : kind;
    }
    return {
      tier: s.Tags?.find((t) => t.Key === 'Tier')?.Value ?? '?',
      zone: s.AvailabilityZone!,
      cidr: s.CidrBlock!,
      mapsPublicIp: s.MapPublicIpOnLaunch ?? false,
      defaultRoute,
      routes,
    };
  });
}

/** NAT gateways of the VPC that are available, with their subnet. */
export async function readNatGateways(clients: AwsClients, vpcId: string): Promise<{ id: string; subnetId: string }[]> {
  const { NatGateways = [] } = await clients.ec2.send(new DescribeNatGatewaysCommand({ Filter: [{ Name: 'vpc-id', Values: [vpcId] }] }));
  return NatGateways.filter((n) => n.State === 'available').map((n) => ({ id: n.NatGatewayId!, subnetId: n.SubnetId! }));
}

/** One rule as designed: `<group> <in|out> tcp <from>-<to> <peer>`, the peer a group label or a CIDR. */
export type RuleFact = string;

/** Every rule of the named groups (label → id), with referenced groups shown by label. */
export async function readSecurityGroupRules(clients: AwsClients, groups: Record<string, string>): Promise<RuleFact[]> {
  const labelOf = Object.fromEntries(Object.entries(groups).map(([label, id]) => [id, label]));
  const { SecurityGroupRules = [] } = await clients.ec2.send(
    new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: Object.values(groups) }] }),
  );
  return SecurityGroupRules.map((r) => {
    const peer = r.ReferencedGroupInfo?.GroupId
      ? (labelOf[r.ReferencedGroupInfo.GroupId] ?? r.ReferencedGroupInfo.GroupId)
      : (r.CidrIpv4 ?? r.CidrIpv6 ?? r.PrefixListId);
    return `${labelOf[r.GroupId!]} ${r.IsEgress ? 'out' : 'in'} ${r.IpProtocol} ${r.FromPort}-${r.ToPort} ${peer}`;
  }).sort();
}

export async function readDatabase(clients: AwsClients, identifier: string) {
  const { DBInstances = [] } = await clients.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: identifier }));
  const [db] = DBInstances;
  return {
    status: db.DBInstanceStatus,
    engine: db.Engine,
    multiAz: db.MultiAZ,
    storageEncrypted: db.StorageEncrypted,
    kmsKeyId: db.KmsKeyId,
    port: db.Endpoint?.Port,
    deletionProtection: db.DeletionProtection,
    publiclyAccessible: db.PubliclyAccessible,
    subnetIds: (db.DBSubnetGroup?.Subnets ?? []).map((s) => s.SubnetIdentifier!).sort(),
    securityGroupIds: (db.VpcSecurityGroups ?? []).map((g) => g.VpcSecurityGroupId!).sort(),
    iamAuthentication: db.IAMDatabaseAuthenticationEnabled,
    backupRetentionDays: db.BackupRetentionPeriod,
  };
}

export async function readAutoScalingGroup(clients: AwsClients, name: string) {
  const { AutoScalingGroups = [] } = await clients.autoscaling.send(
    new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }),
  );
  const [group] = AutoScalingGroups;
  return {
    minSize: group.MinSize,
    desiredCapacity: group.DesiredCapacity,
    maxSize: group.MaxSize,
    healthCheckType: group.HealthCheckType,
    healthCheckGracePeriod: group.HealthCheckGracePeriod,
    subnetIds: (group.VPCZoneIdentifier ?? '').split(',').filter(Boolean).sort(),
    targetGroupArns: [...(group.TargetGroupARNs ?? [])].sort(),
    inService: (group.Instances ?? []).filter((i) => i.LifecycleState === 'InService').length,
  };
}

export async function readListeners(clients: AwsClients, loadBalancerArn: string) {
  const { Listeners = [] } = await clients.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: loadBalancerArn }));
  return Listeners.map((l) => ({
    port: l.Port,
    protocol: l.Protocol,
    // moto names a policy on plain HTTP listeners too (ELBSecurityPolicy-2016-08); only TLS uses one.
    sslPolicy: l.Protocol === 'HTTPS' ? l.SslPolicy : undefined,
    certificates: (l.Certificates ?? []).map((c) => c.CertificateArn),
    action: l.DefaultActions?.[0]?.Type,
    redirect: l.DefaultActions?.[0]?.RedirectConfig
      ? `${l.DefaultActions[0].RedirectConfig.Protocol}:${l.DefaultActions[0].RedirectConfig.Port}`
      : undefined,
  })).sort((a, b) => (a.port ?? 0) - (b.port ?? 0));
}

/** The listener's rules but its default, by priority: the paths and the header each matches, its action. */
export async function readListenerRules(clients: AwsClients, listenerArn: string) {
  const { Rules = [] } = await clients.elbv2.send(new DescribeRulesCommand({ ListenerArn: listenerArn }));
  return Rules.filter((r) => !r.IsDefault)
    .map((r) => {
      const header = r.Conditions?.find((c) => c.Field === 'http-header')?.HttpHeaderConfig;
      const path = r.Conditions?.find((c) => c.Field === 'path-pattern');
      const action = r.Actions?.[0];
      return {
        priority: r.Priority,
        paths: path?.PathPatternConfig?.Values ?? path?.Values,
        header: header?.HttpHeaderName,
        values: header?.Values,
        action: action?.Type,
        status: action?.FixedResponseConfig?.StatusCode,
        targetGroupArns: action?.TargetGroupArn
          ? [action.TargetGroupArn]
          : (action?.ForwardConfig?.TargetGroups ?? []).map((t) => t.TargetGroupArn),
      };
    })
    .sort((a, b) => Number(a.priority) - Number(b.priority));
}

/** The load balancer's scheme and subnets. */
export async function readLoadBalancer(clients: AwsClients, loadBalancerArn: string) {
  const { LoadBalancers = [] } = await clients.elbv2.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [loadBalancerArn] }));
  const [lb] = LoadBalancers;
  return { scheme: lb?.Scheme as string | undefined, subnetIds: (lb?.AvailabilityZones ?? []).map((z) => z.SubnetId).sort() };
}

export async function readBucket(clients: AwsClients, bucket: string) {
  const Bucket = bucket;
  const [encryption, versioning, publicAccess, ownership] = await Promise.all([
    clients.s3.send(new GetBucketEncryptionCommand({ Bucket })),
    clients.s3.send(new GetBucketVersioningCommand({ Bucket })),
    clients.s3.send(new GetPublicAccessBlockCommand({ Bucket })),
    clients.s3.send(new GetBucketOwnershipControlsCommand({ Bucket })),
  ]);
  const rule = encryption.ServerSideEncryptionConfiguration?.Rules?.[0];
  return {
    sseAlgorithm: rule?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm,
    kmsKeyId: rule?.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID,
    versioning: versioning.Status,
    publicAccessBlock: publicAccess.PublicAccessBlockConfiguration,
    ownership: ownership.OwnershipControls?.Rules?.[0]?.ObjectOwnership,
  };
}

export type BucketFacts = Awaited<ReturnType<typeof readBucket>>;

/** The clients of `region` (one endpoint answers every region; each resource is read where its provider put it). */
export type ClientsIn = (region: string) => AwsClients;

/**
 * Every bucket and key of a stack (its state's attributes by address), read back: name → settings, key id →
 * rotation; each through the clients of the region its provider deployed it to (`regionOf`: address →
 * region; the edge's key lives in us-east-1).
 */
export async function readBucketsAndKeys(
  clientsIn: ClientsIn,
  state: Record<string, Record<string, any>>,
  regionOf: (address: string) => string,
) {
  const of = (type: string) => Object.entries(state).filter(([address]) => address.startsWith(`${type}.`));
  const [buckets, keys] = await Promise.all([
    Promise.all(
      of('aws_s3_bucket').map(async ([a, b]): Promise<[string, BucketFacts]> => [
        b.bucket,
        await readBucket(clientsIn(regionOf(a)), b.bucket),
      ]),
    ),
    Promise.all(
      of('aws_kms_key').map(async ([a, k]): Promise<[string, boolean | undefined]> => [
        k.key_id,
        await readKeyRotation(clientsIn(regionOf(a)), k.key_id),
      ]),
    ),
  ]);
  return { buckets: Object.fromEntries(buckets), keyRotation: Object.fromEntries(keys) };
}

/** The bucket's policy document, or undefined when it has none. */
export async function readBucketPolicy(clients: AwsClients, bucket: string): Promise<unknown> {
  try {
    const { Policy } = await clients.s3.send(new GetBucketPolicyCommand({ Bucket: bucket }));
    return Policy ? JSON.parse(Policy) : undefined;
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchBucketPolicy') return undefined;
    throw error;
  }
}

export async function readKeyRotation(clients: AwsClients, keyId: string): Promise<boolean | undefined> {
  return (await clients.kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId }))).KeyRotationEnabled;
}

/** The container repository: tag mutability, scan on push, encryption, and the lifecycle policy's rules. */
export async function readRepository(clients: AwsClients, name: string) {
  const [{ repositories = [] }, lifecycle] = await Promise.all([
    clients.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name] })),
    clients.ecr.send(new GetLifecyclePolicyCommand({ repositoryName: name })),
  ]);
  const [repo] = repositories;
  return {
    tagMutability: repo.imageTagMutability,
    scanOnPush: repo.imageScanningConfiguration?.scanOnPush,
    encryption: repo.encryptionConfiguration?.encryptionType,
    kmsKey: repo.encryptionConfiguration?.kmsKey,
    lifecycleRules: (JSON.parse(lifecycle.lifecyclePolicyText ?? '{"rules":[]}') as { rules: unknown[] }).rules,
  };
}

/** The VPC's endpoints: service name → type, state and the route tables a gateway endpoint is in. */
export async function readVpcEndpoints(clients: AwsClients, vpcId: string) {
  const { VpcEndpoints = [] } = await clients.ec2.send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }));
  return Object.fromEntries(
    VpcEndpoints.map((e) => [
      e.ServiceName!,
      { type: e.VpcEndpointType, state: e.State, routeTableIds: [...(e.RouteTableIds ?? [])].sort() },
    ]),
  );
}

/**
 * Whether the resource behind `arn` has reached the end state AWS keeps listing for a while after a
 * delete: a terminated instance, a deleted NAT gateway, a key scheduled for deletion.
 */
async function gone(clients: AwsClients, arn: string): Promise<boolean> {
  const id = arn.split('/').pop()!;
  if (/^arn:aws:ec2:[^:]*:\d*:instance\//.test(arn)) {
    const { Reservations = [] } = await clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
    return Reservations.flatMap((r) => r.Instances ?? []).every((i) => i.State?.Name === 'terminated');
  }
  if (/^arn:aws:ec2:[^:]*:\d*:natgateway\//.test(arn)) {
    const { NatGateways = [] } = await clients.ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [id] }));
    return NatGateways.every((n) => n.State === 'deleted');
  }
  if (arn.startsWith('arn:aws:kms:')) {
    const { KeyMetadata } = await clients.kms.send(new DescribeKeyCommand({ KeyId: arn }));
    return KeyMetadata?.KeyState === 'PendingDeletion';
  }
  return false;
}

/**
 * What of a stack is still in the account: every resource carrying the stack's default tags (the tagging
 * API: EC2, load balancing, RDS, S3, KMS, logs, SNS, alarms, secrets, …; not those `gone`),
 * plus by name what that API does not cover — auto scaling groups, launch templates, IAM roles and
 * instance profiles, web ACLs (the edge's too), container repositories, CloudFront distributions (by
 * comment) — named `<project>-<env>-…`. One region's clients list one region: call it for every region
 * the stack's providers deploy to.
 */
export async function liveResources(
  clients: AwsClients,
  tags: { Project: string; Environment: string },
  namePrefix: string,
): Promise<string[]> {
  const live: string[] = [];
  const region = await clients.ec2.config.region();
  let PaginationToken: string | undefined;
  do {
    const page = await clients.tagging.send(
      new GetResourcesCommand({ TagFilters: Object.entries(tags).map(([Key, v]) => ({ Key, Values: [v] })), PaginationToken }),
    );
    for (const { ResourceARN } of page.ResourceTagMappingList ?? []) {
      if (!(await gone(clients, ResourceARN!))) live.push(ResourceARN!);
    }
    PaginationToken = page.PaginationToken || undefined;
  } while (PaginationToken);
  const named = (kind: string, names: (string | undefined)[]) =>
    names.filter((n): n is string => !!n && (n === namePrefix || n.startsWith(`${namePrefix}-`))).forEach((n) => live.push(`${kind}:${n}`));
  const [groups, templates, roles, profiles, acls, edgeAcls, repositories, distributions] = await Promise.all([
    clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({})),
    clients.ec2.send(new DescribeLaunchTemplatesCommand({})),
    clients.iam.send(new ListRolesCommand({})),
    clients.iam.send(new ListInstanceProfilesCommand({})),
    clients.wafv2.send(new ListWebACLsCommand({ Scope: 'REGIONAL' })),
    // CloudFront's web ACLs and distributions are global, managed from us-east-1.
    region === 'us-east-1' ? clients.wafv2.send(new ListWebACLsCommand({ Scope: 'CLOUDFRONT' })) : { WebACLs: [] },
    clients.ecr.send(new DescribeRepositoriesCommand({})),
    region === 'us-east-1' ? clients.cloudfront.send(new ListDistributionsCommand({})) : { DistributionList: { Items: [] } },
  ]);
  named(
    'autoscaling-group',
    (groups.AutoScalingGroups ?? []).map((g) => g.AutoScalingGroupName),
  );
  named(
    'launch-template',
    (templates.LaunchTemplates ?? []).map((t) => t.LaunchTemplateName),
  );
  named(
    'iam-role',
    (roles.Roles ?? []).map((r) => r.RoleName),
  );
  named(
    'iam-instance-profile',
    (profiles.InstanceProfiles ?? []).map((p) => p.InstanceProfileName),
  );
  named(
    'web-acl',
    (acls.WebACLs ?? []).map((a) => a.Name),
  );
  named(
    'edge-web-acl',
    (edgeAcls.WebACLs ?? []).map((a) => a.Name),
  );
  named(
    'ecr-repository',
    (repositories.repositories ?? []).map((r) => r.repositoryName),
  );
  // A distribution has no name: its comment starts with the stack's prefix.
  named(
    'cloudfront-distribution',
    (distributions.DistributionList?.Items ?? []).map((d) => d.Comment?.split(/[\s:]/)[0]),
  );
  return live.sort();
}
