/**
 * The Terraform state of each environment, as its CI roles reach it and as the state bucket guards it.
 *
 * - The deploy role reads and writes its environment's state object and holds its lock (the `.tflock` object,
 *   and the DynamoDB item where a lock table is configured); the plan role only reads the state object: pull
 *   requests, drift checks and plans run with `-lock=false` (docs/ci.md), so a branch that has not been
 *   reviewed can neither change a state nor hold a deploy up by taking its lock.
 * - The state key is used only through S3 (`kms:ViaService`), where the object permissions decide.
 * - The bucket policy (stateBucketGuards) denies each environment's objects to every principal but that
 *   environment's roles and the configured administrators — or, without administrators in the config, to the
 *   CI roles of every other environment — so a grant elsewhere cannot widen it.
 */
import type { PolicyCondition, PolicyStatement } from '../policy-statements';

/** Where one environment's state is. */
export interface CiStateAccess {
  /** Bucket of the state object. */
  readonly bucket: string;
  /** Region of the bucket. */
  readonly region: string;
  /** Object key of the state (`web/dev/web-dev.tfstate`); its lock file is `<key>.tflock`. */
  readonly key: string;
  /** ARN of the KMS key of the state objects. @default - see kmsAlias; neither: SSE-S3, no key permission */
  readonly kmsKeyArn?: string;
  /** Alias of that key (`alias/…`), when only the alias is known: the grant names the key by its alias. @default - none */
  readonly kmsAlias?: string;
  /** Account of the key named by `kmsAlias`. @default - any account */
  readonly kmsAccountId?: string;
  /** ARN of the DynamoDB lock table. @default - no lock table: the S3 lock file alone */
  readonly lockTableArn?: string;
  /** Role the backend assumes for the state: the CI roles then need only to assume it. @default - none */
  readonly roleArn?: string;
}

/** The state statements of an environment's `plan` or `deploy` role. */
export function stateStatements(state: CiStateAccess | undefined, role: 'plan' | 'deploy'): PolicyStatement[] {
  if (state === undefined) return [];
  if (state.roleArn !== undefined)
    return [{ Sid: 'AssumeTheStateRole', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: state.roleArn }];
  const bucket = `arn:aws:s3:::${state.bucket}`;
  const object = `${bucket}/${state.key}`;
  const statements: PolicyStatement[] = [
    // The backend lists the bucket to find the state and its workspaces (keys only, never contents).
    { Sid: 'ListTheStateBucket', Effect: 'Allow', Action: 's3:ListBucket', Resource: bucket },
    role === 'deploy'
      ? { Sid: 'ReadAndWriteTheState', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: object }
      : { Sid: 'ReadTheState', Effect: 'Allow', Action: 's3:GetObject', Resource: object },
  ];
  if (role === 'deploy')
    statements.push({
      Sid: 'HoldTheLockFile',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      Resource: `${object}.tflock`,
    });
  // Reading a state object needs Decrypt; writing one (the lock file too) GenerateDataKey — through S3 only.
  const keyActions = role === 'deploy' ? ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'] : ['kms:Decrypt', 'kms:DescribeKey'];
  const throughS3 = { StringEquals: { 'kms:ViaService': `s3.${state.region}.amazonaws.com` } };
  if (state.kmsKeyArn !== undefined)
    statements.push({
      Sid: 'UseTheStateKeyThroughS3',
      Effect: 'Allow',
      Action: keyActions,
      Resource: state.kmsKeyArn,
      Condition: throughS3,
    });
  else if (state.kmsAlias !== undefined) {
    statements.push({
      Sid: 'UseTheStateKeyThroughS3',
      Effect: 'Allow',
      Action: keyActions,
      Resource: `arn:aws:kms:${state.region}:${state.kmsAccountId ?? '*'}:key/*`,
      Condition: { ...throughS3, 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': state.kmsAlias } },
    });
  }
  if (state.lockTableArn !== undefined && role === 'deploy') {
    statements.push({
      Sid: 'HoldTheLockItem',
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:DescribeTable'],
      Resource: state.lockTableArn,
      // The backend's items: the lock (`<bucket>/<key>`) and the state's digest (`<bucket>/<key>-md5`).
      Condition: {
        'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [`${state.bucket}/${state.key}`, `${state.bucket}/${state.key}-md5`] },
      },
    });
  }
  if (state.lockTableArn !== undefined && role === 'plan') {
    statements.push({
      Sid: 'ReadTheStateDigest',
      Effect: 'Allow',
      Action: 'dynamodb:GetItem',
      Resource: state.lockTableArn,
      Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [`${state.bucket}/${state.key}-md5`] } },
    });
  }
  return statements;
}

/** One environment's objects in the state bucket and who may touch them. */
export interface StateObjects {
  /** Environment name, for the Sids. */
  readonly environment: string;
  /** Account of its roles. */
  readonly accountId: string;
  /** Key prefix of its objects: `<project>/<env>/`. */
  readonly prefix: string;
  /** Roles that read and write them (its deploy role). */
  readonly writers: readonly string[];
  /** Roles that only read them (its plan role). */
  readonly readers: readonly string[];
}

/**
 * Deny statements of the state bucket's policy: each environment's objects only to its own roles (the
 * readers never write) and to `administrators`; without administrators, only the project's other CI roles
 * (`ciRolePattern`) are kept out, so people and tools of the account keep the access IAM gives them.
 */
export function stateBucketGuards(
  bucket: string,
  objects: readonly StateObjects[],
  administrators: readonly string[],
  ciRolePattern: string,
): PolicyStatement[] {
  const statements: PolicyStatement[] = [];
  const arn = `arn:aws:s3:::${bucket}`;
  const sid = (env: string) => `${env[0].toUpperCase()}${env.slice(1)}`;
  for (const o of objects) {
    const resource = `${arn}/${o.prefix}*`;
    const allowed = [...o.writers, ...o.readers, ...administrators];
    const others: PolicyCondition = allowed.length > 0 ? { ArnNotLike: { 'aws:PrincipalArn': allowed } } : {};
    statements.push({
      Sid: `StateOf${sid(o.environment)}OnlyToItsRoles`,
      Effect: 'Deny',
      Principal: '*',
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      Resource: resource,
      Condition: administrators.length > 0 ? others : { ArnLike: { 'aws:PrincipalArn': ciRolePattern }, ...others },
    });
    if (o.readers.length > 0) {
      statements.push({
        Sid: `StateOf${sid(o.environment)}ReadOnlyToItsPlanRole`,
        Effect: 'Deny',
        Principal: '*',
        Action: ['s3:PutObject', 's3:DeleteObject'],
        Resource: resource,
        Condition: { ArnLike: { 'aws:PrincipalArn': [...o.readers] } },
      });
    }
  }
  return statements;
}

/** The account of an ARN (`arn:aws:iam::<account>:…`). */
const accountOf = (arn: string) => arn.split(':')[4];
const sidOf = (env: string) => `${env[0].toUpperCase()}${env.slice(1)}`;

/**
 * Allow statements of the state bucket's policy for principals of other accounts than `bucketAccount`: each
 * environment's roles on its own objects (the plan role reads only), and the administrators of other accounts
 * on every object. The principal is the account (`arn:aws:iam::<account>:root`) narrowed by `aws:PrincipalArn`,
 * because S3 refuses a policy that names a role that does not exist yet, and the roles are made later, by the
 * account's own bootstrap stack.
 */
export function crossAccountStateGrants(
  bucket: string,
  bucketAccount: string,
  objects: readonly StateObjects[],
  administrators: readonly string[],
): PolicyStatement[] {
  const arn = `arn:aws:s3:::${bucket}`;
  const statements: PolicyStatement[] = [];
  const grant = (sid: string, principals: readonly string[], action: string | string[], resource: string) => {
    const foreign = principals.filter((p) => accountOf(p) !== bucketAccount);
    if (foreign.length === 0) return;
    statements.push({
      Sid: sid,
      Effect: 'Allow',
      Principal: { AWS: [...new Set(foreign.map((p) => `arn:aws:iam::${accountOf(p)}:root`))].sort() },
      Action: action,
      Resource: resource,
      Condition: { ArnLike: { 'aws:PrincipalArn': foreign } },
    });
  };
  for (const o of objects) {
    const resource = `${arn}/${o.prefix}*`;
    grant(`ListTheBucketTo${sidOf(o.environment)}Roles`, [...o.writers, ...o.readers], 's3:ListBucket', arn);
    grant(`StateOf${sidOf(o.environment)}ToItsDeployRole`, o.writers, ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], resource);
    grant(`StateOf${sidOf(o.environment)}ToItsPlanRole`, o.readers, 's3:GetObject', resource);
  }
  grant('ListTheBucketToAdministrators', administrators, 's3:ListBucket', arn);
  grant('EveryStateToAdministrators', administrators, ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], `${arn}/*`);
  return statements;
}

/**
 * Statements of the state key's policy for principals of other accounts: use of the key through S3 only
 * (`kms:ViaService`), by each environment's roles and the administrators of other accounts. A key policy is
 * needed besides their own policies for any use from another account (KMS developer guide, "Allowing users in
 * other accounts to use a KMS key").
 */
export function crossAccountKeyGrants(
  keyAccount: string,
  region: string,
  objects: readonly StateObjects[],
  administrators: readonly string[],
): PolicyStatement[] {
  const foreign = [...objects.flatMap((o) => [...o.writers, ...o.readers]), ...administrators].filter((p) => accountOf(p) !== keyAccount);
  if (foreign.length === 0) return [];
  return [
    {
      Sid: 'OtherAccountsStateRolesThroughS3',
      Effect: 'Allow',
      Principal: { AWS: [...new Set(foreign.map((p) => `arn:aws:iam::${accountOf(p)}:root`))].sort() },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
      Resource: '*',
      Condition: { ArnLike: { 'aws:PrincipalArn': foreign }, StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` } },
    },
  ];
}
