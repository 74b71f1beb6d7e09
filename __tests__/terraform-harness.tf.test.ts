import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEFAULT_PROVIDER_MIRROR,
  TerraformError,
  TerraformWorkdir,
  cliConfigFile,
  liftPreventDestroyOverride,
  offlineOverride,
  protectedAddresses,
  terraformBinary,
} from '../harness/terraform';

describe('terraform harness', () => {
  const saved = process.env.TERRAFORM_BIN;
  afterEach(() => {
    if (saved === undefined) delete process.env.TERRAFORM_BIN;
    else process.env.TERRAFORM_BIN = saved;
  });

  it('fails with install instructions when terraform is missing (never skips)', () => {
    process.env.TERRAFORM_BIN = '/nonexistent/terraform';
    expect(() => terraformBinary()).toThrow(
      /Terraform is required but "\/nonexistent\/terraform" could not be run[\s\S]*Install Terraform >= 1\.10/,
    );
  });

  it('uses the offline mirror for hashicorp/aws when it exists', () => {
    const config = readFileSync(cliConfigFile(), 'utf8');
    expect(config).toContain(`path    = "${process.env.TF_PROVIDER_MIRROR ?? DEFAULT_PROVIDER_MIRROR}"`);
    expect(config).toContain('include = ["registry.terraform.io/hashicorp/aws"]');
  });

  it('keeps credentials and skip flags in the test-only override', () => {
    expect(offlineOverride()).toEqual({
      terraform: { backend: { local: { path: 'terraform.tfstate' } } },
      provider: {
        aws: {
          access_key: 'mock-access-key',
          secret_key: 'mock-secret-key',
          skip_credentials_validation: true,
          skip_requesting_account_id: true,
          skip_metadata_api_check: true,
          allowed_account_ids: null,
        },
      },
    });
  });

  it('lifts prevent_destroy on exactly the protected resources', () => {
    const stack = {
      resource: {
        aws_db_instance: { db: { lifecycle: { prevent_destroy: true } } },
        aws_s3_bucket: { logs: { lifecycle: { prevent_destroy: true } }, scratch: {} },
      },
    };
    expect(protectedAddresses(stack)).toEqual(['aws_db_instance.db', 'aws_s3_bucket.logs']);
    expect(JSON.parse(liftPreventDestroyOverride(stack))).toEqual({
      resource: {
        aws_db_instance: { db: { lifecycle: { prevent_destroy: false } } },
        aws_s3_bucket: { logs: { lifecycle: { prevent_destroy: false } } },
      },
    });
    expect(liftPreventDestroyOverride({ resource: { aws_s3_bucket: { scratch: {} } } })).toBe('{}');
  });

  it("reports Terraform's own output when a command fails", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'harness-'));
    writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify({ resource: { nonsense: {} } }));
    const work = TerraformWorkdir.fromStack(dir, {});
    try {
      await expect(work.validate()).rejects.toThrow(TerraformError);
      await expect(work.validate()).rejects.toThrow(/terraform validate -no-color failed \(exit 1\)[\s\S]*--- stderr ---[\s\S]*Error/);
    } finally {
      work.remove();
    }
  }, 30_000);
});
