import type { Construct } from 'constructs';
import { Aspects, TerraformOutput } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { EnvironmentConfig, StateConfig } from '../config/types';
import { STATE_STACK_SUFFIX, stateObjectKey, stateStackName, stateStackNames, stateStackTags, webStackName } from '../naming';
import {
  CiRoles,
  StateBucket,
  StateLockTable,
  crossAccountKeyGrants,
  crossAccountStateGrants,
  stateBucketGuards,
  type StackInventory,
  type StateObjects,
} from '../modules';
import { DEFAULT_PACKS, PolicyAspect } from '../policy';
import { addBackend, stateKeyAlias } from './backend';
import { addCiIdentities } from './ci-identities';
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
      keyPolicyStatements:
        state.ci === undefined
          ? []
          : crossAccountKeyGrants(state.accountId, state.region, stateObjectsOf(project, state, environments), state.administrators ?? []),
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

    // The CI identities of the environments of the state account (those of other accounts: CiAccountStack).
    const own = environments.filter((env) => env.accountId === state.accountId);
    if (state.ci !== undefined && own.length > 0) {
      this.ci = addCiIdentities(this, {
        project,
        state,
        accountId: state.accountId,
        environments: own,
        inventories: props.inventories ?? {},
        stateKeyArn: this.stateBucket.key?.arn,
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
  }

  /**
   * The state bucket's policy statements beyond TLS: each environment's objects only to its roles (and the
   * administrators), and the grants a role or administrator of another account needs on top of its own
   * policies (cross-account access needs both: IAM user guide, "Cross-account policy evaluation logic").
   */
  private stateGuards(project: string, state: StateConfig, environments: readonly EnvironmentConfig[]) {
    const objects = stateObjectsOf(project, state, environments);
    return [
      ...stateBucketGuards(state.bucket, objects, state.administrators ?? [], `arn:aws:iam::*:role/${project}-ci-*`),
      ...crossAccountStateGrants(state.bucket, state.accountId, objects, state.administrators ?? []),
    ];
  }
}

/** Each environment's objects in the state bucket, with the roles that may read and write them. */
function stateObjectsOf(project: string, state: StateConfig, environments: readonly EnvironmentConfig[]): StateObjects[] {
  const role = (env: EnvironmentConfig, name: string) => `arn:aws:iam::${env.accountId}:role/${name}`;
  return environments
    .filter((env) => env.backend.kind === 's3' && (env.backend.bucket ?? state.bucket) === state.bucket)
    .map((env) => ({
      environment: env.name,
      accountId: env.accountId,
      prefix: stateObjectKey(project, env.name, webStackName(project, env.name)).replace(/[^/]+$/, ''),
      writers: [role(env, stateStackNames.ciDeployRole(project, env.name))],
      readers: [role(env, stateStackNames.ciPlanRole(project, env.name))],
    }));
}
