/**
 * The release path, for every configured environment and for both kinds of application: the AMI the
 * launch template names, the group left to releases by Terraform, the instance refresh a release starts
 * (the stack's rollout settings: out, and back on the alarms), the ECR repository,
 * the scoping of the release's secrets, the application's log group, the VPC endpoints and the outputs.
 * Property tests draw rollouts and secret sets the schema accepts and check the synthesized stack follows.
 */
import fc from 'fast-check';
import { platform } from '../config/environments';
import { DEFAULT_AMI_PARAMETER } from '../config/schema';
import type { EnvironmentConfig, PlatformInput } from '../config/types';
import { validateConfig } from '../config/validate';
import { ALARM_IDS, names } from '../naming';
import { INTERFACE_SERVICES } from '../modules/vpc-endpoints';
import { CONTAINER_RELEASE, withContainerReleases, type AnyEnv } from './support/config';
import { propertySeed } from './support/property';
import { environmentStacks } from './support/stacks';
import { resource, resources, synth, type StackJson } from './support/synth';

const CONFIGS: readonly [string, PlatformInput][] = [
  ['placeholder', platform],
  ['container', withContainerReleases()],
];

/** Every configured environment of `config`, with its synthesized stack. */
function cases(config: PlatformInput): [string, EnvironmentConfig, StackJson][] {
  const { stacks } = synth(config);
  return environmentStacks(validateConfig(config)).map(({ env, stack }) => [stack, env, stacks[stack]]);
}
const asg = (stack: StackJson) => resource(stack, 'aws_autoscaling_group', 'app_servers_auto_scaling_group');
const launchTemplate = (stack: StackJson) => resource(stack, 'aws_launch_template', 'app_servers_launch_template');
/** What `npm run release` sends to StartInstanceRefresh (the stack's `release.rollout` output). */
const rollout_ = (stack: StackJson) => stack.locals!.app_servers_rollout as Record<string, any>;
const policyOf = (stack: StackJson, name: string) =>
  JSON.parse(resource(stack, 'aws_iam_role_policy', name).policy).Statement as Record<string, any>[];
const prefixOf = (env: EnvironmentConfig) => `${platform.project}-${env.name}`;

/** An edit of every environment of `config`. */
function everyEnvironment(config: PlatformInput, edit: (env: AnyEnv) => void): PlatformInput {
  const copy = structuredClone(config) as any;
  for (const env of copy.environments) edit(env);
  return copy;
}

describe.each(CONFIGS)('%s application', (_, config) => {
  describe.each(cases(config))('%s', (_stack, env, json) => {
    const prefix = prefixOf(env);

    it('names a concrete AMI: the public parameter read when the deploy is planned, never resolved at launch', () => {
      expect(launchTemplate(json).image_id).toBe('${data.aws_ssm_parameter.app_servers_ami.insecure_value}');
      expect(json.data!.aws_ssm_parameter.app_servers_ami.name).toBe(env.compute.amiSsmParameter ?? DEFAULT_AMI_PARAMETER);
    });

    it('leaves the version to releases: the group starts on the latest version by number, Terraform starts no refresh and ignores the version afterwards', () => {
      expect(asg(json).launch_template.version).toBe('${aws_launch_template.app_servers_launch_template.latest_version}');
      expect(asg(json).instance_refresh).toBeUndefined();
      expect(asg(json).lifecycle.ignore_changes).toContain('launch_template[0].version');
    });

    it('hands the release its refresh: the new version as desired configuration, the configured rollout, skip-matching, auto-rollback on the rollback alarms', () => {
      const { rollout } = env.compute;
      expect(rollout_(json)).toEqual({
        auto_scaling_group: '${aws_autoscaling_group.app_servers_auto_scaling_group.name}',
        launch_template_id: '${aws_launch_template.app_servers_launch_template.id}',
        launch_template_version: '${aws_launch_template.app_servers_launch_template.latest_version}',
        image_id: launchTemplate(json).image_id,
        strategy: 'Rolling',
        preferences: {
          min_healthy_percentage: rollout.minHealthyPercentage,
          max_healthy_percentage: rollout.maxHealthyPercentage,
          checkpoint_percentages: rollout.checkpointPercentages,
          checkpoint_delay: rollout.checkpointDelaySeconds,
          instance_warmup: 120,
          skip_matching: true,
          auto_rollback: true,
          alarms: ALARM_IDS.rollback.map((id) => names.alarm(prefix, id)),
          scale_in_protected_instances: 'Refresh',
          standby_instances: 'Ignore',
        },
      });
      expect(json.output!.release.value.rollout).toBe('${local.app_servers_rollout}');
      // The alarms it watches are this stack's own.
      const alarms = Object.values(resources(json, 'aws_cloudwatch_metric_alarm')).map((a) => a.alarm_name);
      for (const name of rollout_(json).preferences.alarms) expect(alarms).toContain(name);
    });

    it('replaces instances launch-before-terminate unless the environment accepts less, with its reason', () => {
      const { minHealthyPercentage, maxHealthyPercentage } = env.compute.rollout;
      if (minHealthyPercentage === 100) expect(maxHealthyPercentage).toBeGreaterThan(100);
      else expect(JSON.stringify(json)).toContain('asg-refresh-zero-downtime');
    });

    it('outputs the active release: image by digest, AMI, launch template version', () => {
      const release = json.output!.release.value;
      expect(release.ami).toBe(launchTemplate(json).image_id);
      expect(release.launch_template_version).toBe('${aws_launch_template.app_servers_launch_template.latest_version}');
      expect(release.application).toBe(env.application.kind);
      if (env.application.kind === 'container') {
        expect(release.image).toMatch(new RegExp(`@${env.application.image.digest}$`));
        expect(release.tag).toBe(env.application.image.tag);
      }
    });

    it('routes the app tier to S3 through a gateway endpoint whose policy admits this account and the AWS buckets the platform reads', () => {
      const s3 = resource(json, 'aws_vpc_endpoint', 'endpoints_s3');
      expect(s3).toMatchObject({ vpc_endpoint_type: 'Gateway', service_name: `com.amazonaws.${env.region}.s3` });
      expect(s3.route_table_ids.length).toBe(env.availabilityZones.length);
      const statements = JSON.parse(s3.policy).Statement;
      expect(statements[0]).toMatchObject({ Action: 's3:*', Condition: { StringEquals: { 'aws:ResourceAccount': env.accountId } } });
      for (const other of statements.slice(1)) expect(other.Action).toBe('s3:GetObject');
    });

    it('has interface endpoints exactly when the environment asks for them or has no NAT gateway', () => {
      const wanted = env.interfaceEndpoints || env.natGateways === 'none';
      const interfaces = Object.values(resources(json, 'aws_vpc_endpoint')).filter((e) => e.vpc_endpoint_type === 'Interface');
      expect(interfaces.map((e) => e.service_name).sort()).toEqual(
        wanted ? INTERFACE_SERVICES.map((s) => `com.amazonaws.${env.region}.${s}`).sort() : [],
      );
    });

    if (env.application.kind !== 'container') {
      it('creates the registry for the first image, but no application log group and no release permissions', () => {
        expect(Object.keys(resources(json, 'aws_ecr_repository'))).toEqual(['registry']);
        expect(json.output!.image_repository_url.value).toBe('${aws_ecr_repository.registry.repository_url}');
        expect(Object.keys(resources(json, 'aws_iam_role_policy'))).not.toContain('app_servers_role_read_release_secrets');
        expect(Object.keys(resources(json, 'aws_iam_role_policy'))).not.toContain('app_servers_role_pull_release_image');
        expect(Object.keys(resources(json, 'aws_cloudwatch_log_group'))).not.toContain('app_servers_log_group');
      });
      return;
    }
    const app = env.application;

    it('creates the ECR repository: immutable tags, scan on push, the stack key, a lifecycle keeping the newest images', () => {
      expect(resource(json, 'aws_ecr_repository', 'registry')).toMatchObject({
        name: names.containerRepository(prefix),
        image_tag_mutability: 'IMMUTABLE',
        image_scanning_configuration: { scan_on_push: true },
        encryption_configuration: [{ encryption_type: 'KMS', kms_key: '${aws_kms_key.encryption_key.arn}' }],
        force_delete: !env.deletionProtection,
      });
      const lifecycle = JSON.parse(resource(json, 'aws_ecr_lifecycle_policy', 'registry_lifecycle').policy);
      expect(lifecycle.rules).toEqual([
        expect.objectContaining({
          selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: app.keepImages },
          action: { type: 'expire' },
        }),
      ]);
      expect(json.output!.image_repository_url.value).toBe('${aws_ecr_repository.registry.repository_url}');
    });

    it('lets the instances pull from that repository only', () => {
      const pull = policyOf(json, 'app_servers_role_pull_release_image');
      expect(pull).toEqual([
        { Sid: 'SignInToTheRegistry', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
        {
          Sid: 'PullFromTheRepository',
          Effect: 'Allow',
          Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
          Resource: '${aws_ecr_repository.registry.arn}',
        },
      ]);
    });

    it('lets the instances read exactly the release secrets and parameters, under the environment prefix', () => {
      const statements = policyOf(json, 'app_servers_role_read_release_secrets');
      const refs = Object.values(app.secrets ?? {});
      const base = `${platform.project}/${env.name}`;
      expect(statements.find((s) => s.Sid === 'ReadTheReleasesSecrets')?.Resource ?? []).toEqual(
        refs.flatMap((r) =>
          'secret' in r ? [`arn:aws:secretsmanager:${env.region}:${env.accountId}:secret:${base}/${r.secret}-??????`] : [],
        ),
      );
      expect(statements.find((s) => s.Sid === 'ReadTheReleasesParameters')?.Resource ?? []).toEqual(
        refs.flatMap((r) => ('parameter' in r ? [`arn:aws:ssm:${env.region}:${env.accountId}:parameter/${base}/${r.parameter}`] : [])),
      );
      expect(statements.find((s) => s.Sid === 'DecryptThemWithTheStackKey')).toMatchObject({
        Action: 'kms:Decrypt',
        Resource: '${aws_kms_key.encryption_key.arn}',
      });
    });

    it('sends the container logs to the application log group with the configured retention and the stack key', () => {
      expect(resource(json, 'aws_cloudwatch_log_group', 'app_servers_log_group')).toMatchObject({
        name: names.appLogGroup(prefix),
        retention_in_days: env.logRetentionDays,
        kms_key_id: '${aws_kms_key.encryption_key.arn}',
      });
    });

    it('writes the release into the boot settings: image by digest, command, environment, secrets by full name', () => {
      const script: string = json.locals!.app_servers_user_data;
      const line = script.split('\n').find((l) => l.startsWith('write /etc/webapp/settings.json '))!;
      const settings = JSON.parse(Buffer.from(/'(.*)'$/.exec(line)![1], 'base64').toString('utf8'));
      expect(settings).toMatchObject({
        mode: 'container',
        image: { digest: app.image.digest, tag: app.image.tag },
        command: app.command,
        environment: expect.objectContaining(app.environment),
        logGroup: names.appLogGroup(prefix),
        // The database password is no setting: launch.py keeps it current in this file.
        databaseCredentials: { file: '/run/webapp/db/credentials.json', refreshSeconds: 60 },
      });
      for (const [name, ref] of Object.entries(app.secrets ?? {})) {
        expect(settings.secrets[name]).toEqual(
          'secret' in ref
            ? { secret: `${platform.project}/${env.name}/${ref.secret}` }
            : { parameter: `/${platform.project}/${env.name}/${ref.parameter}` },
        );
      }
    });
  });
});

describe('parameters of a release', () => {
  it('a name written with a leading "/" is the same parameter under the prefix: no "//" in the grant or the settings', () => {
    const secrets = { FLAG: { parameter: '/api/flag' }, OTHER: { parameter: 'api/other' } };
    for (const [, env, json] of cases(withContainerReleases(platform, { ...CONTAINER_RELEASE, environment: {}, secrets }))) {
      const full = (name: string) => `/${platform.project}/${env.name}/api/${name}`;
      const parameters = policyOf(json, 'app_servers_role_read_release_secrets').find((s) => s.Sid === 'ReadTheReleasesParameters')!;
      expect(parameters.Resource).toEqual([
        `arn:aws:ssm:${env.region}:${env.accountId}:parameter${full('flag')}`,
        `arn:aws:ssm:${env.region}:${env.accountId}:parameter${full('other')}`,
      ]);
      const script: string = json.locals!.app_servers_user_data;
      const line = script.split('\n').find((l) => l.startsWith('write /etc/webapp/settings.json '))!;
      const settings = JSON.parse(Buffer.from(/'(.*)'$/.exec(line)![1], 'base64').toString('utf8'));
      expect(settings.secrets).toEqual({ FLAG: { parameter: full('flag') }, OTHER: { parameter: full('other') } });
    }
  });
});

describe('choices of AMI', () => {
  it('a pinned amiId is the launch template image as is, with no parameter read', () => {
    const config = everyEnvironment(platform, (env) => {
      const { amiSsmParameter: _, ...compute } = env.compute;
      env.compute = { ...compute, amiId: 'ami-0123456789abcdef0' };
    });
    for (const [, , json] of cases(config)) {
      expect(launchTemplate(json).image_id).toBe('ami-0123456789abcdef0');
      expect(json.data?.aws_ssm_parameter).toBeUndefined();
      expect(rollout_(json).preferences.auto_rollback).toBe(true);
    }
  });

  it('launch-time resolution (opt-in) uses resolve:ssm:, turns rollback off and says so as an accepted risk', () => {
    const config = everyEnvironment(platform, (env) => (env.compute = { ...env.compute, amiResolution: 'launch' }));
    for (const [, env, json] of cases(config)) {
      expect(launchTemplate(json).image_id).toBe(`resolve:ssm:${env.compute.amiSsmParameter ?? DEFAULT_AMI_PARAMETER}`);
      expect(json.data?.aws_ssm_parameter).toBeUndefined();
      // The alarms still stop a bad release; EC2 cannot roll it back.
      expect(rollout_(json).preferences).toMatchObject({
        auto_rollback: false,
        alarms: ALARM_IDS.rollback.map((id) => names.alarm(`${platform.project}-${env.name}`, id)),
      });
      expect(JSON.stringify(json)).toContain('asg-refresh-rollback');
    }
  });
});

describe('images from elsewhere', () => {
  it('another registry: no repository is created and the instances get no ECR permission', () => {
    const config = withContainerReleases(platform, {
      ...CONTAINER_RELEASE,
      image: { ...CONTAINER_RELEASE.image, repository: 'ghcr.io/acme/api' },
    });
    for (const [, env, json] of cases(config)) {
      expect(resources(json, 'aws_ecr_repository')).toEqual({});
      expect(Object.keys(resources(json, 'aws_iam_role_policy'))).not.toContain('app_servers_role_pull_release_image');
      expect(json.output!.release.value.image).toBe(`ghcr.io/acme/api@${CONTAINER_RELEASE.image.digest}`);
      expect(json.output!.image_repository_url).toBeUndefined();
      expect(env.application.kind).toBe('container');
    }
  });

  it('an ECR repository the config names (another account): pull permission on exactly that repository', () => {
    const repository = '222222222222.dkr.ecr.eu-central-1.amazonaws.com/shared/api';
    const config = withContainerReleases(platform, { ...CONTAINER_RELEASE, image: { ...CONTAINER_RELEASE.image, repository } });
    for (const [, , json] of cases(config)) {
      expect(resources(json, 'aws_ecr_repository')).toEqual({});
      expect(policyOf(json, 'app_servers_role_pull_release_image')[1].Resource).toBe(
        'arn:aws:ecr:eu-central-1:222222222222:repository/shared/api',
      );
    }
  });
});

describe('properties', () => {
  const name = platform.environments[0].name;
  const oneEnvironment = (edit: (env: AnyEnv) => void): PlatformInput => {
    const copy = withContainerReleases() as any;
    copy.environments = copy.environments.filter((e: AnyEnv) => e.name === name);
    edit(copy.environments[0]);
    return copy;
  };

  it("the release's instance refresh follows any rollout the schema accepts", () => {
    const rollout = fc
      .record({
        min: fc.integer({ min: 0, max: 100 }),
        span: fc.integer({ min: 0, max: 100 }),
        checkpoints: fc.uniqueArray(fc.integer({ min: 1, max: 99 }), { maxLength: 3 }),
        delay: fc.integer({ min: 0, max: 3600 }),
      })
      .filter(({ min, span }) => min + span >= 100 && min + span <= 200 && (min < 100 || span > 0))
      .map(({ min, span, checkpoints, delay }) => ({
        minHealthyPercentage: min,
        maxHealthyPercentage: min + span,
        checkpointPercentages: [...checkpoints.sort((a, b) => a - b), 100],
        checkpointDelaySeconds: delay,
      }));
    fc.assert(
      fc.property(rollout, (r) => {
        const config = oneEnvironment((env) => (env.compute = { ...env.compute, rollout: r }));
        const [[, , json]] = cases(config);
        expect(rollout_(json).preferences).toMatchObject({
          min_healthy_percentage: r.minHealthyPercentage,
          max_healthy_percentage: r.maxHealthyPercentage,
          checkpoint_percentages: r.checkpointPercentages,
          checkpoint_delay: r.checkpointDelaySeconds,
          auto_rollback: true,
        });
      }),
      { seed: propertySeed(), numRuns: 6 },
    );
  });

  it('the role may read exactly the secrets and parameters a release names, whatever their names', () => {
    const refName = fc.stringMatching(/^[a-z][a-z0-9_.-]{0,10}(\/[a-z0-9_.-]{1,8}){0,2}$/);
    const secrets = fc.dictionary(
      fc.stringMatching(/^[A-Z][A-Z0-9_]{0,10}$/),
      fc.oneof(
        refName.map((secret) => ({ secret })),
        // SSM names are customarily written with a leading "/": relative to the prefix all the same.
        fc.tuple(fc.boolean(), refName).map(([slash, name]) => ({ parameter: slash ? `/${name}` : name })),
      ),
      { minKeys: 1, maxKeys: 6 },
    );
    fc.assert(
      fc.property(secrets, (s) => {
        const config = oneEnvironment((env) => (env.application = { ...CONTAINER_RELEASE, environment: {}, secrets: s }));
        const [[, env, json]] = cases(config);
        const statements = policyOf(json, 'app_servers_role_read_release_secrets');
        const allowed = statements.filter((st) => st.Sid !== 'DecryptThemWithTheStackKey').flatMap((st) => st.Resource);
        const base = `${platform.project}/${env.name}`;
        const expected = Object.values(s).map((r) =>
          'secret' in r
            ? `arn:aws:secretsmanager:${env.region}:${env.accountId}:secret:${base}/${r.secret}-??????`
            : `arn:aws:ssm:${env.region}:${env.accountId}:parameter/${base}/${r.parameter.replace(/^\//, '')}`,
        );
        expect([...allowed].sort()).toEqual([...new Set(expected)].sort());
        for (const arn of allowed) expect(arn.replace(/-\?{6}$/, '')).not.toMatch(/[*?]|\/\//);
      }),
      { seed: propertySeed(), numRuns: 6 },
    );
  });
});
