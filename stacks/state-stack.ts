import type { Construct } from 'constructs';
import { Aspects, TerraformOutput } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { StateConfig } from '../config/types';
import { STATE_STACK_SUFFIX, stateStackName, stateStackNames, stateStackTags } from '../naming';
import { StateBucket, StateLockTable } from '../modules';
import { DEFAULT_PACKS, PolicyAspect } from '../policy';
import { addBackend, stateKeyAlias } from './backend';
import { ReadableStack } from './readable-stack';
import { AWS_PROVIDER_VERSION } from './web-stack';

export interface StateStackProps {
  /** Project name (`web`): the stack is `<project>-state`, the key alias `alias/<project>-tfstate`. */
  readonly project: string;
  /** The validated state section. */
  readonly state: StateConfig;
}

export { stateStackName };

/**
 * The bootstrap stack, deployed once per account and region before any environment: the state bucket
 * (and its KMS key) and, when configured, a DynamoDB lock table. Its own state starts local
 * (`state.backend: 'local'`) and moves into the bucket it made (`state.backend: 's3'`, then
 * `terraform init -migrate-state`; docs/deploy.md).
 */
export class StateStack extends ReadableStack {
  readonly stateBucket: StateBucket;
  readonly lockTable?: StateLockTable;

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
    addBackend(this, { project, stackName: name, keyScope: STATE_STACK_SUFFIX, region: state.region, backend: { kind: state.backend }, state });
    // The same policy pack as the environments: the state bucket is the most sensitive data we keep.
    Aspects.of(this).add(new PolicyAspect(DEFAULT_PACKS));

    const keyAlias = stateKeyAlias(project);
    this.stateBucket = new StateBucket(this, 'state_bucket', {
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

    new TerraformOutput(this, 'bucket', { value: this.stateBucket.bucket.bucket, description: 'State bucket of the s3 backends' });
    new TerraformOutput(this, 'region', { value: state.region, description: 'Region of the state bucket' });
    if (this.stateBucket.key) {
      new TerraformOutput(this, 'kms_key_arn', { value: this.stateBucket.key.arn, description: `Key of the state objects (alias ${keyAlias})` });
    }
    if (this.lockTable) {
      new TerraformOutput(this, 'lock_table_name', { value: this.lockTable.table.name, description: 'DynamoDB lock table' });
    }
  }
}
