/** An environment as the CI roles' derivation sees it: its config, its names and what its stack holds. */
import type { EnvironmentConfig } from '../../config/types';
import { CLOUDFRONT_REGION } from '../../config/catalog';
import { environmentNameList, environmentTags, names, prefixOf, ssmParameterArn } from '../../naming';
import { ECR_REPOSITORY_URL } from '../../naming/rules';
import { DATA_SOURCE_ACCESS, RESOURCE_ACCESS } from './catalog';
import type { StackInventory } from './inventory';
import type { EnvironmentScope } from './scopes';
import { GLOBAL_SERVICES } from './statements';

/** The services each resource type's actions belong to. */
function servicesOf(type: string): string[] {
  const access = RESOURCE_ACCESS[type];
  const actions = access ? [...access.read, ...access.write] : (DATA_SOURCE_ACCESS[type] ?? []);
  return [...new Set(actions.map((a) => a.split(':')[0]))];
}

/** The scope of `env` of `project`, whose stack holds `inventory`. */
export function environmentScope(project: string, env: EnvironmentConfig, inventory: StackInventory): EnvironmentScope {
  const prefix = prefixOf(project, env.name);
  const tags = environmentTags(project, env.name);
  const regions = new Map<string, Set<string>>();
  for (const map of [inventory.resources, inventory.dataSources])
    for (const [type, where] of map)
      for (const service of servicesOf(type)) {
        if (!regions.has(service)) regions.set(service, new Set());
        where.forEach((r) => regions.get(service)!.add(r));
      }
  const regionsOf = (service: string): readonly string[] =>
    GLOBAL_SERVICES.has(service) ? [CLOUDFRONT_REGION] : [...(regions.get(service) ?? new Set([env.region]))].sort();

  // Each hosted zone the config names, with the records the stack writes in it.
  const zones = new Map<string, Set<string>>();
  const record = (zone: string | undefined, name: string) => {
    if (zone === undefined) return;
    if (!zones.has(zone)) zones.set(zone, new Set());
    zones.get(zone)!.add(name.toLowerCase());
  };
  if (env.https?.hostedZoneId !== undefined) record(env.https.hostedZoneId, env.https.domainName);
  for (const f of env.frontends) if (f.domainName !== undefined) record(f.hostedZoneId ?? env.https?.hostedZoneId, f.domainName);

  const amiParameter = env.compute.amiId === undefined && env.compute.amiResolution === 'plan' ? env.compute.amiSsmParameter : undefined;
  const app = env.application;
  const external = app.kind === 'container' ? app.image.repository : undefined;
  const ecr = external === undefined ? undefined : ECR_REPOSITORY_URL.exec(external);
  return {
    project,
    name: env.name,
    prefix,
    accountId: env.accountId,
    region: env.region,
    tags,
    names: environmentNameList({ project, ...env }),
    regionsOf,
    hostedZones: [...zones].map(([id, recordNames]) => ({ id, recordNames: [...recordNames].sort() })),
    planParameters: amiParameter === undefined ? [] : [ssmParameterArn(env.region, '', amiParameter)],
    // A pinned AMI is that image; one read from an SSM parameter is whichever the parameter names then.
    images: { arns: [`arn:aws:ec2:${env.region}::image/${env.compute.amiId ?? '*'}`] },
    databaseName: names.dbInstance(prefix),
    secretPrefix: `${project}/${env.name}`,
    externalRepositories: ecr === null || ecr === undefined ? [] : [`arn:aws:ecr:${ecr[2]}:${ecr[1]}:repository/${ecr[3]}`],
  };
}
