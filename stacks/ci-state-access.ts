/** Where an environment's Terraform state is, as its CI roles reach it (modules/ci-roles/state-access.ts). */
import type { EnvironmentConfig, StateConfig } from '../config/types';
import type { CiStateAccess } from '../modules';
import { webStackName } from '../naming';
import { s3BackendSettings, stateKeyAlias } from './backend';

/**
 * The state object, lock and key of `env` (undefined: not in S3). The key is the backend's own when it names
 * one; else, for objects in the state bucket with `kms` encryption, the state key — by its ARN where the
 * caller knows it (`stateKeyArn`, the bootstrap stack's own key), else by its alias (`kms:ResourceAliases`).
 */
export function ciStateAccess(
  project: string,
  state: StateConfig,
  env: EnvironmentConfig,
  stateKeyArn?: string,
): CiStateAccess | undefined {
  if (env.backend.kind !== 's3') return undefined;
  const s3 = s3BackendSettings({
    project,
    stackName: webStackName(project, env.name),
    keyScope: env.name,
    region: env.region,
    backend: env.backend,
    state,
    accountId: env.accountId,
  });
  const key = keyOf(project, state, s3.bucket, s3.region, env.backend.kmsKeyId, stateKeyArn);
  const table = s3.dynamodbTable === undefined ? undefined : `arn:aws:dynamodb:${s3.region}:${state.accountId}:table/${s3.dynamodbTable}`;
  return {
    bucket: s3.bucket,
    region: s3.region,
    key: s3.key,
    kmsKeyArn: key.keyArn,
    kmsAlias: key.alias,
    kmsAccountId: key.accountId,
    lockTableArn: table,
    roleArn: s3.roleArn,
  };
}

/** The key of the state objects: the backend's, or the state bucket's default one. */
function keyOf(
  project: string,
  state: StateConfig,
  bucket: string,
  region: string,
  kmsKeyId: string | undefined,
  stateKeyArn: string | undefined,
): { keyArn?: string; alias?: string; accountId?: string } {
  if (kmsKeyId === undefined) {
    if (bucket !== state.bucket || state.encryption !== 'kms') return {};
    return stateKeyArn !== undefined ? { keyArn: stateKeyArn } : { alias: stateKeyAlias(project), accountId: state.accountId };
  }
  if (kmsKeyId === stateKeyAlias(project) && bucket === state.bucket && stateKeyArn !== undefined) return { keyArn: stateKeyArn };
  if (kmsKeyId.includes('alias/'))
    return { alias: `alias/${kmsKeyId.split('alias/')[1]}`, accountId: /^arn:[^:]+:kms:[^:]+:(\d{12}):/.exec(kmsKeyId)?.[1] };
  if (kmsKeyId.startsWith('arn:')) return { keyArn: kmsKeyId };
  return { keyArn: `arn:aws:kms:${region}:${state.accountId}:key/${kmsKeyId}` };
}
