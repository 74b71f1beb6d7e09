import type { Construct } from 'constructs';
import { Aspects, TerraformOutput } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { EnvironmentConfig, StateConfig } from '../config/types';
import { CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS, CLOUDFRONT_REGION } from '../config/catalog';
import { apiBehindEdge, apiPathOf, apiRoutes, pathsExclusiveToOthers } from '../config/edge';
import { DEFAULT_KEEP_IMAGES } from '../config/schema';
import {
  Alerts,
  AppServers,
  ContainerRegistry,
  CpuScaling,
  Database,
  EncryptionKey,
  Frontend,
  LoadBalancer,
  Network,
  PermissionsBoundary,
  PrivateBucket,
  ServiceAlarms,
  ServiceDashboard,
  VpcEndpoints,
  VpcOrigin,
  WebFirewall,
  boundaryArn,
} from '../modules';
import { DEFAULT_PACKS, PolicyAspect, suppress } from '../policy';
import { acceptedRisks, type RiskScope } from '../policy/accepted-risks';
import { ALARM_IDS, environmentTags, names, prefixOf, webStackName } from '../naming';
import { addBackend } from './backend';
import { ReadableStack } from './readable-stack';

/** The provider release our bindings (@cdktf/provider-aws 20.1.0) were generated for. */
export const AWS_PROVIDER_VERSION = '5.100.0';

export interface WebStackProps {
  /** Project name (`web`): stack `<project>-<env>`, resource names `<project>-<env>-…`. */
  readonly project: string;
  /** The validated environment. */
  readonly environment: EnvironmentConfig;
  /** The state section: the default bucket of s3 backends. @default - none */
  readonly state?: StateConfig;
}

export { webStackName };

const mapOf = <T>(record: Record<string, T>, value: (item: T) => string) =>
  Object.fromEntries(Object.entries(record).map(([k, v]) => [k, value(v)]));

/**
 * One environment of the highly-available web platform: network, encryption key, load balancer,
 * app servers with CPU scaling, and the database — chained ALB → app → DB — with its own provider,
 * default tags and remote state.
 */
export class WebStack extends ReadableStack {
  readonly network: Network;
  readonly loadBalancer: LoadBalancer;
  readonly appServers: AppServers;
  readonly database: Database;
  /** The uploads bucket, when the environment has an `uploads` section. */
  readonly uploads?: PrivateBucket;
  readonly endpoints: VpcEndpoints;
  /** The ECR repository of the releases (container mode without a repository of its own). */
  readonly registry?: ContainerRegistry;
  /** The front-ends at the edge, by name. */
  readonly frontends: Readonly<Record<string, Frontend>>;

  constructor(scope: Construct, props: WebStackProps) {
    const { project, environment: env } = props;
    const name = webStackName(project, env.name);
    super(scope, name);
    const prefix = prefixOf(project, env.name);
    const baseTags = environmentTags(project, env.name);

    const providerSettings = { allowedAccountIds: [env.accountId], defaultTags: [{ tags: { ...(env.tags ?? {}), ...baseTags } }] };
    new AwsProvider(this, 'aws', { region: env.region, ...providerSettings });
    // CloudFront's certificates, its web ACLs and its log deliveries live in us-east-1.
    const usEast1 =
      env.frontends.length > 0
        ? new AwsProvider(this, 'aws_us_east_1', { alias: 'us_east_1', region: CLOUDFRONT_REGION, ...providerSettings })
        : undefined;
    const edgeApi = apiBehindEdge(env);
    // Exact provider pin, from the public registry address (what `terraform init` and ops teams expect).
    this.addOverride('terraform.required_providers.aws', { source: 'hashicorp/aws', version: AWS_PROVIDER_VERSION });
    this.addOverride('terraform.required_version', '>= 1.10.0');
    addBackend(this, {
      project,
      stackName: name,
      keyScope: env.name,
      region: env.region,
      backend: env.backend,
      state: props.state,
      accountId: env.accountId,
    });
    // The policy pack runs at synth; the environment's accepted weaknesses are suppressions with reasons.
    Aspects.of(this).add(new PolicyAspect(DEFAULT_PACKS));
    // Hand-written suppressions cover the whole stack; the risks the settings carry are accepted below, on
    // the part of the stack each setting weakens.
    for (const { rule, reason } of env.policySuppressions) suppress(this, rule, reason);
    // With CI roles, every role of the stack carries the environment's permissions boundary (the bootstrap
    // stack makes it): the deploy role may create and change no other.
    if (props.state?.ci !== undefined) Aspects.of(this).add(new PermissionsBoundary(boundaryArn(project, env.accountId, env.name)));

    const frontendBuckets = env.frontends.map((f) => names.frontendBucket(prefix, f.name, env.accountId, env.region));
    const key = new EncryptionKey(this, 'encryption', {
      prefix,
      accountId: env.accountId,
      region: env.region,
      cloudFrontReadsBuckets: frontendBuckets,
    });

    this.network = new Network(this, 'network', {
      prefix,
      cidr: env.vpcCidr,
      availabilityZones: env.availabilityZones,
      natGateways: env.natGateways,
      flowLogRetentionDays: env.logRetentionDays,
      kmsKeyArn: key.arn,
      accountId: env.accountId,
    });
    const vpcId = this.network.vpc.id;
    const ids = (subnets: Network['appSubnets']) => subnets.map((s) => s.subnet.id);

    // The API's routes through the edge: each front-end's path, the admin app's to itself.
    const routes = apiRoutes(env.frontends, env.edge.apiPath);
    // Behind the edge the load balancer is internal, in the private app subnets (where its targets are): CloudFront's
    // VPC origin puts its network interfaces there, and nothing else outside the VPC can reach them.
    this.loadBalancer = new LoadBalancer(this, 'load_balancer', {
      prefix,
      vpcId,
      subnetIds: ids(edgeApi ? this.network.appSubnets : this.network.publicSubnets),
      targetPort: env.compute.appPort,
      healthCheckPath: env.compute.healthCheckPath,
      https: env.https,
      deletionProtection: env.deletionProtection,
      accountId: env.accountId,
      region: env.region,
      logRetentionDays: env.logRetentionDays,
      edge: edgeApi ? { prefixListId: CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS[env.region], routes } : undefined,
    });

    this.database = new Database(this, 'database', {
      prefix,
      config: env.database,
      vpcId,
      subnetIds: ids(this.network.dataSubnets),
      kmsKeyArn: key.arn,
      accountId: env.accountId,
      region: env.region,
      logRetentionDays: env.logRetentionDays,
      deletionProtection: env.deletionProtection,
    });

    // Files the application stores: a private bucket logged into the stack's access-log bucket.
    this.uploads = env.uploads
      ? new PrivateBucket(this, 'uploads', {
          bucketName: names.uploadsBucket(prefix, env.accountId, env.region),
          kmsKeyArn: key.arn,
          accessLogs: this.loadBalancer.serverAccessLogs,
          protect: env.deletionProtection,
          noncurrentVersionDays: env.uploads.noncurrentVersionDays,
          corsOrigins: env.uploads.corsOrigins,
        })
      : undefined;

    // VPC endpoints: S3 through the gateway always; the AWS APIs through interface endpoints when asked for
    // or when there is no NAT gateway to reach them.
    this.endpoints = new VpcEndpoints(this, 'endpoints', {
      prefix,
      vpcId,
      region: env.region,
      accountId: env.accountId,
      routeTableIds: this.network.appRouteTables.map((t) => t.id),
      subnetIds: ids(this.network.appSubnets),
      interfaceEndpoints: env.interfaceEndpoints || env.natGateways === 'none',
    });

    // The releases' registry: there from the first deploy (so the first image has somewhere to go), unless
    // the container release names a repository of its own.
    const app = env.application;
    this.registry =
      app.kind === 'container' && app.image.repository !== undefined
        ? undefined
        : new ContainerRegistry(this, 'registry', {
            prefix,
            kmsKeyArn: key.arn,
            keepImages: app.kind === 'container' ? app.keepImages : DEFAULT_KEEP_IMAGES,
            protect: env.deletionProtection,
          });

    this.appServers = new AppServers(this, 'app_servers', {
      prefix,
      vpcId,
      subnetIds: ids(this.network.appSubnets),
      instanceType: env.compute.instanceType,
      ami:
        env.compute.amiId !== undefined
          ? { id: env.compute.amiId }
          : { ssmParameter: env.compute.amiSsmParameter, resolution: env.compute.amiResolution },
      application: app,
      registry: this.registry ? { repositoryUrl: this.registry.repositoryUrl, repositoryArn: this.registry.repositoryArn } : undefined,
      secretPrefix: `${project}/${env.name}`,
      rollout: env.compute.rollout,
      rollbackAlarmNames: ALARM_IDS.rollback.map((id) => names.alarm(prefix, id)),
      logRetentionDays: env.logRetentionDays,
      appPort: env.compute.appPort,
      healthCheckPath: env.compute.healthCheckPath,
      minSize: env.compute.minSize,
      desiredCapacity: env.compute.desiredCapacity,
      maxSize: env.compute.maxSize,
      targetGroupArns: [this.loadBalancer.targetGroup.arn],
      databaseSecretArn: this.database.secretArn,
      uploadsBucketArn: this.uploads?.arn,
      kmsKeyArn: key.arn,
      region: env.region,
      accountId: env.accountId,
      appEnvironment: {
        DB_ENGINE: env.database.engine,
        DB_HOST: this.database.address,
        DB_PORT: String(this.database.port),
        DB_NAME: env.database.databaseName,
        DB_SECRET_ARN: this.database.secretArn,
        ...(this.uploads ? { UPLOADS_BUCKET: this.uploads.name } : {}),
      },
      instanceTags: { ...(env.tags ?? {}), ...baseTags },
    });

    // Static front-ends at the edge, each with its own bucket, distribution and web ACL; the API behind them.
    const frontends: Record<string, Frontend> = {};
    if (usEast1) {
      const edgeKey = new EncryptionKey(this, 'edge_encryption', {
        prefix,
        accountId: env.accountId,
        region: CLOUDFRONT_REGION,
        alias: names.edgeKeyAlias(prefix),
        purpose: 'logs of the edge in us-east-1 (CloudFront access logs, edge WAF)',
        provider: usEast1,
      });
      // One VPC origin for the environment, shared by the distributions: the only way into the load balancer.
      const vpcOrigin =
        edgeApi && env.https ? new VpcOrigin(this, 'edge_vpc_origin', { prefix, loadBalancerArn: this.loadBalancer.alb.arn }) : undefined;
      for (const frontend of env.frontends) {
        frontends[frontend.name] = new Frontend(this, `frontend_${frontend.name}`, {
          prefix,
          accountId: env.accountId,
          region: env.region,
          frontend,
          zoneId: frontend.domainName ? (frontend.hostedZoneId ?? env.https?.hostedZoneId) : undefined,
          priceClass: env.edge.priceClass,
          kmsKeyArn: key.arn,
          accessLogs: this.loadBalancer.serverAccessLogs,
          protect: env.deletionProtection,
          usEast1,
          edgeKeyArn: edgeKey.arn,
          logRetentionDays: env.logRetentionDays,
          requestsPerFiveMinutes: env.edge.requestsPerFiveMinutes,
          api:
            vpcOrigin && env.https
              ? {
                  domainName: env.https.domainName,
                  pathPattern: apiPathOf(frontend, env.edge.apiPath),
                  vpcOriginId: vpcOrigin.id,
                  refusedPaths: pathsExclusiveToOthers(routes, frontend.name).map((r) => r.pathPattern),
                }
              : undefined,
        });
      }
    }
    this.frontends = frontends;

    // The chain: (edge →) ALB → app → DB, each hop one port; app → AWS APIs through the endpoints.
    this.appServers.allowFrom(this.loadBalancer);
    this.database.allowFrom(this.appServers);
    this.endpoints.allowFrom(this.appServers);

    const firewall = env.webFirewall;
    const webFirewall = !firewall.enabled
      ? undefined
      : new WebFirewall(this, 'web_firewall', {
          prefix,
          loadBalancerArn: this.loadBalancer.alb.arn,
          behindEdge: edgeApi,
          requestsPerFiveMinutes: firewall.requestsPerFiveMinutes,
          kmsKeyArn: key.arn,
          logRetentionDays: env.logRetentionDays,
        });

    // Someone is told: alarms and scaling events go to one encrypted topic.
    const alerts = new Alerts(this, 'alerts', { prefix, kmsKeyArn: key.arn, accountId: env.accountId, email: env.alarmEmail });
    alerts.notifyScaling(this.appServers.autoScalingGroup.name);
    new ServiceAlarms(this, 'alarms', {
      prefix,
      topicArn: alerts.topic.arn,
      loadBalancerArnSuffix: this.loadBalancer.alb.arnSuffix,
      targetGroupArnSuffix: this.loadBalancer.targetGroup.arnSuffix,
      dbInstanceIdentifier: this.database.instance.identifier,
      dbAllocatedStorageGiB: env.database.allocatedStorageGiB,
    });

    // What on-call opens first: one dashboard of the environment's key metrics.
    const dashboard = new ServiceDashboard(this, 'dashboard', {
      prefix,
      region: env.region,
      loadBalancerArnSuffix: this.loadBalancer.alb.arnSuffix,
      targetGroupArnSuffix: this.loadBalancer.targetGroup.arnSuffix,
      availabilityZones: env.availabilityZones,
      autoScalingGroupName: this.appServers.autoScalingGroup.name,
      dbInstanceIdentifier: this.database.instance.identifier,
      natGateways: this.network.natGateways.map((nat, i) => ({ zone: this.network.natGatewayZones[i], id: nat.id })),
      webAclName: webFirewall?.webAcl.name,
    });

    const scopes: Record<Exclude<RiskScope, `frontend:${string}`>, Construct> = {
      stack: this,
      network: this.network,
      database: this.database,
      appServers: this.appServers,
      loadBalancer: this.loadBalancer,
    };
    const scopeOf = (on: RiskScope): Construct =>
      on.startsWith('frontend:') ? frontends[on.slice('frontend:'.length)] : scopes[on as keyof typeof scopes];
    for (const risk of acceptedRisks(env)) suppress(scopeOf(risk.on), risk.rule, risk.reason);

    new CpuScaling(this, 'scaling', {
      prefix,
      autoScalingGroupName: this.appServers.autoScalingGroup.name,
      mode: env.compute.scaling,
      alarmActions: [alerts.topic.arn],
    });

    const outputs: Record<string, { value: unknown; description: string; sensitive?: boolean }> = {
      url: {
        value: this.loadBalancer.url,
        description: edgeApi
          ? 'The API origin (the internal load balancer), which CloudFront alone reaches: users reach the API under the front-ends'
          : 'Where users reach the application',
      },
      alb_dns_name: { value: this.loadBalancer.alb.dnsName, description: 'DNS name of the load balancer' },
      db_endpoint: { value: this.database.endpoint, description: 'Database endpoint (host:port), private' },
      db_secret_arn: { value: this.database.secretArn, description: 'Secrets Manager secret with the database master credentials' },
      vpc_id: { value: vpcId, description: 'VPC id' },
      dashboard_url: {
        value: dashboard.url,
        description: 'CloudWatch dashboard of the environment (load balancer, app servers, database, NAT)',
      },
      alerts_topic_arn: { value: alerts.topic.arn, description: 'SNS topic of alarms and scaling events: subscribe your paging tool' },
      public_subnet_ids: {
        value: ids(this.network.publicSubnets),
        description: edgeApi ? 'Public subnets (NAT)' : 'Public subnets (ALB, NAT)',
      },
      app_subnet_ids: {
        value: ids(this.network.appSubnets),
        description: edgeApi ? 'Private app subnets (instances, the internal ALB)' : 'Private app subnets (instances)',
      },
      data_subnet_ids: { value: ids(this.network.dataSubnets), description: 'Isolated data subnets (RDS)' },
      ...(env.frontends.length > 0
        ? {
            frontend_urls: { value: mapOf(frontends, (f) => f.url), description: 'Where users reach each front-end, by name' },
            frontend_distribution_ids: {
              value: mapOf(frontends, (f) => f.distributionId),
              description: 'CloudFront distribution of each front-end, by name',
            },
            frontend_buckets: {
              value: mapOf(frontends, (f) => f.bucket.name),
              description: 'Bucket each front-end is published to (npm run publish), by name',
            },
          }
        : {}),
      ...(this.uploads
        ? {
            uploads_bucket: {
              value: this.uploads.name,
              description: 'Bucket of the files the application stores (UPLOADS_BUCKET on the instances)',
            },
          }
        : {}),
      ...(this.registry
        ? {
            image_repository_url: {
              value: this.registry.repositoryUrl,
              description: 'ECR repository of the releases: docker push <url>:<tag>',
            },
          }
        : {}),
      release: {
        value: {
          application: app.kind,
          image: app.kind === 'container' ? `${app.image.repository ?? this.registry?.repositoryUrl}@${app.image.digest}` : '',
          tag: app.kind === 'container' ? app.image.tag : '',
          ami: this.appServers.imageId,
          launch_template_version: this.appServers.launchTemplate.latestVersion,
          // What `npm run release` reads: the group, the version to roll out and the refresh settings.
          rollout: this.appServers.rollout.asAnyMap,
        },
        description:
          'The release the stack deployed: image (by digest), AMI, launch template version, and the instance refresh that npm run release starts to roll it out',
      },
    };
    for (const [id, output] of Object.entries(outputs)) new TerraformOutput(this, id, output);
  }
}
