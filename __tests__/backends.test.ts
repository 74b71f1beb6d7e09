import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { platform, state } from '../config/environments';
import type { BackendConfig, PlatformInput, StateInput } from '../config/types';
import { configWith, withoutCi } from './support/config';
import { environmentStacks, shipped, stackNames } from './support/stacks';
import { synth } from './support/synth';

/** The shipped config with both environments on `backend` (and the state section edited by `editState`). */
function withBackend(backend: BackendConfig, editState: (s: StateInput) => StateInput = (s) => s): PlatformInput {
  return {
    ...platform,
    state: editState(state),
    environments: platform.environments.map((e) => ({ ...e, backend })),
  };
}

const terraformOf = (config: PlatformInput, stack: string) => synth(config).stacks[stack].terraform;

describe('s3 backends of the shipped config', () => {
  const out = synth();

  const s3 = environmentStacks().filter(({ env }) => env.backend.kind === 's3' && env.backend.bucket === undefined);

  it.each(s3.map(({ env, stack }) => [stack, env.name] as const))(
    '%s keeps its state under its own key in the bootstrap bucket, encrypted and locked',
    (stack, env) => {
      expect(out.stacks[stack].terraform.backend).toEqual({
        s3: {
          bucket: shipped.state!.bucket,
          key: `${shipped.project}/${env}/${stack}.tfstate`,
          region: shipped.state!.region,
          encrypt: true,
          kms_key_id: `alias/${shipped.project}-tfstate`,
          use_lockfile: true,
        },
      });
    },
  );

  it('uses the bucket the bootstrap stack creates, and the alias of its key', () => {
    const bootstrap = out.stacks[stackNames()[0]].resource;
    for (const { stack } of s3) {
      expect(bootstrap.aws_s3_bucket.state_bucket.bucket).toBe(out.stacks[stack].terraform.backend.s3.bucket);
      expect(bootstrap.aws_kms_alias.state_bucket_key_alias.name).toBe(out.stacks[stack].terraform.backend.s3.kms_key_id);
    }
  });

  it('gives every stack a distinct key', () => {
    const keys = s3.map(({ stack }) => out.stacks[stack].terraform.backend.s3.key);
    expect(keys.length).toBeGreaterThan(1);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('s3 backend options', () => {
  it('SSE-S3 state bucket: no KMS key is named, objects are AES-256', () => {
    const config = withBackend({ kind: 's3' }, (s) => ({ ...s, encryption: 's3' }));
    expect(terraformOf(config, 'web-dev').backend.s3.kms_key_id).toBeUndefined();
    expect(terraformOf(config, 'web-dev').backend.s3.encrypt).toBe(true);
  });

  it('takes the lock table of the state section', () => {
    const config = withBackend({ kind: 's3' }, (s) => ({ ...s, lockTable: 'web-tfstate-locks' }));
    expect(terraformOf(config, 'web-prod').backend.s3).toMatchObject({ dynamodb_table: 'web-tfstate-locks', use_lockfile: true });
  });

  it('a bucket of its own: region of the environment, no default key or table, optional table, key and role', () => {
    const config = withBackend(
      {
        kind: 's3',
        bucket: 'acme-tfstate',
        dynamodbTable: 'acme-locks',
        kmsKeyId: 'arn:aws:kms:eu-west-1:222222222222:alias/acme-tfstate',
        roleArn: 'arn:aws:iam::222222222222:role/terraform-state',
      },
      (s) => ({ ...s, lockTable: 'ignored-here' }),
    );
    expect(terraformOf(config, 'web-prod').backend).toEqual({
      s3: {
        bucket: 'acme-tfstate',
        key: 'web/prod/web-prod.tfstate',
        region: 'eu-west-1',
        encrypt: true,
        kms_key_id: 'arn:aws:kms:eu-west-1:222222222222:alias/acme-tfstate',
        dynamodb_table: 'acme-locks',
        assume_role: { role_arn: 'arn:aws:iam::222222222222:role/terraform-state' },
        use_lockfile: true,
      },
    });
  });

  it('an explicit region wins', () => {
    const config = withBackend({ kind: 's3', bucket: 'acme-tfstate', region: 'us-east-1' });
    expect(terraformOf(config, 'web-dev').backend.s3.region).toBe('us-east-1');
  });
});

describe('local, pg and HCP Terraform backends', () => {
  it('local: a state file named after the stack, in its directory', () => {
    expect(terraformOf(withBackend({ kind: 'local' }, withoutCi), 'web-dev').backend).toEqual({
      local: { path: 'terraform.web-dev.tfstate' },
    });
  });

  it('pg: one schema per stack, and no connection string in anything synthesized', () => {
    const config = withBackend({ kind: 'pg' });
    expect(terraformOf(config, 'web-dev').backend).toEqual({ pg: { schema_name: 'web_dev' } });
    expect(terraformOf(config, 'web-prod').backend).toEqual({ pg: { schema_name: 'web_prod' } });
    const { outdir } = synth(config);
    const files = readdirSync(outdir, { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const text = readFileSync(join(file.parentPath, file.name), 'utf8');
      expect(text).not.toMatch(/conn_?str|postgres(ql)?:\/\//i);
    }
  });

  it('cloud: the organization and one workspace per stack, no backend block', () => {
    const config = withBackend({ kind: 'cloud', organization: 'acme', project: 'web-platform', hostname: 'tfe.acme.example' });
    for (const { stack } of environmentStacks()) {
      const terraform = terraformOf(config, stack);
      expect(terraform.cloud).toEqual({
        organization: 'acme',
        hostname: 'tfe.acme.example',
        workspaces: { name: stack, project: 'web-platform' },
      });
      expect(terraform.backend).toBeUndefined();
    }
  });

  it('environments may mix kinds', () => {
    const config = configWith((e) => {
      e.backend = { kind: 'pg' };
    }, 'dev');
    expect(Object.keys(terraformOf(config, 'web-dev').backend)).toEqual(['pg']);
    expect(Object.keys(terraformOf(config, 'web-prod').backend)).toEqual(['s3']);
  });
});
