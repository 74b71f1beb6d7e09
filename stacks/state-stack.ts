import type { Construct } from 'constructs';
import { Aspects, TerraformOutput } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { EnvironmentConfig, StateConfig } from '../config/types';
import { STATE_STACK_SUFFIX, stateObjectKey, stateStackName, stateStackNames, stateStackTags, webStackName } from '../naming';
import {
  CiRoles,
  StateBucket,
  StateLockTable,
  environmentScope,
  stateBucketGuards,
  type CiEnvironment,
  type CiStateAccess,
  type StackInventory,
} from '../modules';
import { DEFAULT_PACKS, PolicyAspect } from '../policy';
import { addBackend, s3BackendSettings, stateKeyAlias } from './backend';
import { ReadableStack } from './readable-stack';
import { AWS_PROVIDER_VERSION } from './web-stack';

export interface StateStackProps {
  /** Project name (`web`): the stack is `<project>-state`, the key alias `alias/<project>-tfstate`. */
  readonly project: string;
  /** The validated state section. */
  readonly state: StateConfig;
  /** The environments, whose resources and state the CI roles reach (with `state.ci`). @default - none */
  readonly environments?: readonly EnvironmentConfig[];
  /** What each environment's stack holds, by environment name: the CI roles' permissions follow from it. @default - none */
  readonly inventories?: Readonly<Record<string, StackInventory>>;
}

export { stateStackName };

/**
 * The bootstrap stack, deployed once per account and region before any environment: the state bucket
 * (and its KMS key) and, when configured, a DynamoDB lock table and the roles of a CI pipeline (`state.ci`:
 * modules/ci-roles.ts). Its own state lives in the bucket it made (`state.backend: 's3'`); `npm run bootstrap`
 * (bootstrap/) deploys it on a local backend first and moves the state in (docs/deploy.md).
 */
export class StateStack extends ReadableStack {
  readonly stateBucket: StateBucket;
  readonly lockTable?: StateLockTable;
  /** The CI pipeline's identity provider and roles (with `state.ci`). */
  readonly ci?: CiRoles;

  constructor(scope: Construct, props: StateStackProps) {
    const { project, state } = props;
    const name = stateStackName(project);
    super(scope, name);

    new AwsProvider(this, 'aws', {
      region: state.region,
      allowedAccountIds: [state.accountId],
      defaultTags: [{ tags: stateStackTags(project) }],
    });
    this.addOverride('terraform.required_providers.aws', { source: 'hashicorp/aws', version: AWS_PROVIDER_VERSION });
    this.addOverride('terraform.required_version', '>= 1.10.0');
    addBackend(this, {
      project,
      stackName: name,
      keyScope: STATE_STACK_SUFFIX,
      region: state.region,
      backend: { kind: state.backend },
      state,
    });
    // The same policy pack as the environments: the state bucket is the most sensitive data we keep.
    Aspects.of(this).add(new PolicyAspect(DEFAULT_PACKS));

    const keyAlias = stateKeyAlias(project);
    const environments = props.environments ?? [];
    this.stateBucket = new StateBucket(this, 'state_bucket', {
      policyStatements: state.ci === undefined ? [] : this.stateGuards(project, state, environments),
      bucketName: state.bucket,
      accountId: state.accountId,
      encryption: state.encryption,
      keyAlias,
      noncurrentVersionDays: state.noncurrentVersionDays,
      accessLogBucketName: stateStackNames.accessLogBucket(project, state.accountId, state.region),
    });
    if (state.lockTable !== undefined) {
      this.lockTable = new StateLockTable(this, 'lock_table', { tableName: state.lockTable, kmsKeyArn: this.stateBucket.key?.arn });
    }

    if (state.ci !== undefined) {
      this.ci = new CiRoles(this, 'ci', {
        project,
        accountId: state.accountId,
        provider: state.ci.provider,
        repository: state.ci.repository,
        mainBranch: state.ci.mainBranch,
        identityProvider: state.ci.identityProvider,
        maxSessionSeconds: state.ci.maxSessionHours * 3600,
        environments: environments.map((env) => this.ciEnvironment(project, state, env, props.inventories?.[env.name])),
      });
    }

    new TerraformOutput(this, 'bucket', { value: this.stateBucket.bucket.bucket, description: 'State bucket of the s3 backends' });
    new TerraformOutput(this, 'region', { value: state.region, description: 'Region of the state bucket' });
    if (this.stateBucket.key) {
      new TerraformOutput(this, 'kms_key_arn', {
        value: this.stateBucket.key.arn,
        description: `Key of the state objects (alias ${keyAlias})`,
      });
    }
    if (this.lockTable) {
      new TerraformOutput(this, 'lock_table_name', { value: this.lockTable.table.name, description: 'DynamoDB lock table' });
    }
    if (this.ci) {
      new TerraformOutput(this, 'ci_plan_role_arns', {
        value: Object.fromEntries(Object.entries(this.ci.plan).map(([env, role]) => [env, role.arn])),
        description: 'Read-only plan role of each environment: pull requests, drift checks',
      });
      new TerraformOutput(this, 'ci_deploy_role_arns', {
        value: Object.fromEntries(Object.entries(this.ci.deploy).map(([env, role]) => [env, role.arn])),
        description: 'Deploy role of each environment, assumed from the GitHub environment of its name',
      });
    }
  }

  /** What the CI roles reach of `env`: its resources by names and tags, and its state when it is in S3. */
  private ciEnvironment(project: string, state: StateConfig, env: EnvironmentConfig, inventory: StackInventory | undefined): CiEnvironment {
    if (inventory === undefined) throw new Error(`environment "${env.name}": the CI roles need what its stack holds (inventories)`);
    return { scope: environmentScope(project, env, inventory), inventory, state: this.stateAccess(project, state, env) };
  }

  /** The state bucket's guards: each environment's objects only to its roles (and the administrators). */
  private stateGuards(project: string, state: StateConfig, environments: readonly EnvironmentConfig[]) {
    const role = (env: EnvironmentConfig, name: string) => `arn:aws:iam::${env.accountId}:role/${name}`;
    const objects = environments
      .filter((env) => env.backend.kind === 's3' && (env.backend.bucket ?? state.bucket) === state.bucket)
      .map((env) => ({
        environment: env.name,
        prefix: stateObjectKey(project, env.name, webStackName(project, env.name)).replace(/[^/]+$/, ''),
        writers: [role(env, stateStackNames.ciDeployRole(project, env.name))],
        readers: [role(env, stateStackNames.ciPlanRole(project, env.name))],
      }));
    return stateBucketGuards(state.bucket, objects, state.administrators ?? [], `arn:aws:iam::*:role/${project}-ci-*`);
  }

  /** The environment's state object, lock and key as the CI roles need them (undefined: not in S3). */
  private stateAccess(project: string, state: StateConfig, env: EnvironmentConfig): CiStateAccess | undefined {
    if (env.backend.kind !== 's3') return undefined;
    const s3 = s3BackendSettings({
      project,
      stackName: webStackName(project, env.name),
      keyScope: env.name,
      region: env.region,
      backend: env.backend,
      state,
    });
    const { keyArn, alias } = this.stateKey(project, state, s3.bucket, s3.region, s3.kmsKeyId);
    const table = s3.dynamodbTable === undefined ? undefined : `arn:aws:dynamodb:${s3.region}:${state.accountId}:table/${s3.dynamodbTable}`;
    return {
      bucket: s3.bucket,
      region: s3.region,
      key: s3.key,
      kmsKeyArn: keyArn,
      kmsAlias: alias,
      lockTableArn: table,
      roleArn: s3.roleArn,
    };
  }

  /**
   * The key of an s3 backend's state objects: the bootstrap key by its ARN; a key ARN or id as given; an
   * alias (or alias ARN) stays an alias, which the grant matches through `kms:ResourceAliases`.
   */
  private stateKey(
    project: string,
    state: StateConfig,
    bucket: string,
    region: string,
    kmsKeyId?: string,
  ): { keyArn?: string; alias?: string } {
    if (kmsKeyId === undefined) return {};
    if (kmsKeyId === stateKeyAlias(project) && bucket === state.bucket && this.stateBucket.key) return { keyArn: this.stateBucket.key.arn };
    if (kmsKeyId.includes('alias/')) return { alias: `alias/${kmsKeyId.split('alias/')[1]}` };
    if (kmsKeyId.startsWith('arn:')) return { keyArn: kmsKeyId };
    return { keyArn: `arn:aws:kms:${region}:${state.accountId}:key/${kmsKeyId}` };
  }
}
