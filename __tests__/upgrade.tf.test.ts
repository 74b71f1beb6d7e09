/**
 * A stack deployed by the earlier code plans no change, proven with a Terraform plan (real provider,
 * offline, no refresh) against a state as that code left it, for every synthesized stack that validates a
 * certificate by DNS:
 * - the certificate's DNS validation record used to be one resource with no key (it read the first of
 *   `domain_validation_options`); it is now a `for_each` over those options, keyed by domain name, with a
 *   `moved` block from the old address: the plan moves it to its key with no change;
 * - policy documents used to be written with `Version` first and each statement's keys in authoring order;
 *   they are now in jsonencode's sorted order: the stack's KMS key, in the state with the old text, is the
 *   same policy (no change);
 * - nothing is destroyed or replaced.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startMoto, type MotoServer } from '../harness/moto';
import { TEST_OVERRIDE_FILE, TerraformWorkdir, offlineOverrideFileFor, type PlanJson } from '../harness/terraform';
import { synth } from './support/synth';

jest.setTimeout(600_000);

const synthesized = synth();

interface Move {
  readonly from: string;
  readonly to: string;
}

/** The stacks whose certificate validation record moved, with that move. */
const cases = Object.entries(synthesized.stacks).flatMap(([stack, json]) => {
  const moves = (json.moved ?? []) as Move[];
  const move = moves.find(
    (m) => m.from.startsWith('aws_route53_record.') && Object.keys(json.resource.aws_acm_certificate ?? {}).length > 0,
  );
  return move ? [{ stack, move }] : [];
});

const PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"]';
const ACCOUNT = '111111111111';

/** The certificate a moved validation record belongs to: `…_certificate_validation_record` → `…_certificate`. */
const certificateOf = (move: Move) => move.from.split('.')[1].replace(/_validation_record$/, '');

/** A KMS key id, the `i`-th of the state. */
const keyId = (i: number) => `0a1b2c3d-0000-4000-8000-${String(i).padStart(12, '0')}`;

/** A policy document as the earlier code wrote it: `Version` first, statements in authoring order. */
function earlierPolicyText(policy: string): string {
  const { Version, Statement } = JSON.parse(policy) as { Version: string; Statement: Record<string, unknown>[] };
  const order = ['Sid', 'Effect', 'Principal', 'Action', 'Resource', 'Condition'];
  const statements = Statement.map((s) => Object.fromEntries(order.filter((k) => k in s).map((k) => [k, s[k]])));
  const text = JSON.stringify({ Version, Statement: statements });
  if (text === policy) throw new Error('the earlier text must differ from the current one, or this proves nothing');
  return text;
}

/**
 * A Terraform state (format 4) with the KMS keys, the certificate and its validation record as the earlier
 * code had them deployed: values from the stack's own configuration, plus what AWS returns for the rest. Schema versions
 * are those of hashicorp/aws 5.100.0 (an older version in a state would be upgraded by the provider).
 */
function priorState(json: Record<string, any>, move: Move): string {
  const recordName = move.from.split('.')[1];
  // The certificate whose validation record moved (a stack may have others: the front-ends').
  const certName = certificateOf(move);
  const cert = json.resource.aws_acm_certificate[certName];
  const record = json.resource.aws_route53_record[recordName];
  const region = json.provider.aws[0].region as string;
  const defaultTags = json.provider.aws[0].default_tags?.[0]?.tags ?? {};
  const tagsAll = { ...defaultTags, ...(cert.tags ?? {}) };
  const certArn = `arn:aws:acm:${region}:${ACCOUNT}:certificate/0a1b2c3d-0000-4000-8000-00000000abcd`;
  const domain = cert.domain_name as string;
  const option = {
    domain_name: domain,
    resource_record_name: `_0a1b2c3d4e5f.${domain}.`,
    resource_record_type: 'CNAME',
    resource_record_value: '_6f7e8d9c0b1a.acm-validations.aws.',
  };
  // Route 53 names are kept without the final dot (ACM hands them over with it).
  const recordFqdn = option.resource_record_name.replace(/\.$/, '');
  const resources = [
    ...Object.entries(json.resource.aws_kms_key as Record<string, any>).map(([name, key], i) => ({
      mode: 'managed',
      type: 'aws_kms_key',
      name,
      provider: PROVIDER,
      instances: [
        {
          schema_version: 0,
          attributes: {
            arn: `arn:aws:kms:${region}:${ACCOUNT}:key/${keyId(i)}`,
            bypass_policy_lockout_safety_check: false,
            custom_key_store_id: '',
            customer_master_key_spec: 'SYMMETRIC_DEFAULT',
            deletion_window_in_days: key.deletion_window_in_days,
            description: key.description,
            enable_key_rotation: key.enable_key_rotation,
            id: keyId(i),
            is_enabled: true,
            key_id: keyId(i),
            key_usage: 'ENCRYPT_DECRYPT',
            multi_region: false,
            policy: earlierPolicyText(key.policy),
            rotation_period_in_days: 365,
            tags: key.tags ?? null,
            tags_all: { ...defaultTags, ...(key.tags ?? {}) },
            timeouts: null,
            xks_key_id: '',
          },
          sensitive_attributes: [],
        },
      ],
    })),
    {
      mode: 'managed',
      type: 'aws_acm_certificate',
      name: certName,
      provider: PROVIDER,
      instances: [
        {
          schema_version: 0,
          attributes: {
            arn: certArn,
            certificate_authority_arn: '',
            certificate_body: null,
            certificate_chain: null,
            domain_name: domain,
            domain_validation_options: [option],
            early_renewal_duration: '',
            id: certArn,
            key_algorithm: cert.key_algorithm,
            not_after: '2027-01-01T00:00:00Z',
            not_before: '2026-01-01T00:00:00Z',
            options: [{ certificate_transparency_logging_preference: 'ENABLED' }],
            pending_renewal: false,
            private_key: null,
            renewal_eligibility: 'INELIGIBLE',
            renewal_summary: [],
            status: 'ISSUED',
            subject_alternative_names: [domain],
            tags: cert.tags ?? null,
            tags_all: tagsAll,
            type: 'AMAZON_ISSUED',
            validation_emails: [],
            validation_method: cert.validation_method,
            validation_option: [],
          },
          sensitive_attributes: [[{ type: 'get_attr', value: 'private_key' }]],
        },
      ],
    },
    {
      mode: 'managed',
      type: 'aws_route53_record',
      name: recordName,
      provider: PROVIDER,
      instances: [
        {
          schema_version: 2,
          attributes: {
            alias: [],
            allow_overwrite: record.allow_overwrite ?? null,
            cidr_routing_policy: [],
            failover_routing_policy: [],
            fqdn: recordFqdn,
            geolocation_routing_policy: [],
            geoproximity_routing_policy: [],
            health_check_id: '',
            id: `${record.zone_id}_${recordFqdn}_${option.resource_record_type}`,
            latency_routing_policy: [],
            multivalue_answer_routing_policy: false,
            name: recordFqdn,
            records: [option.resource_record_value],
            set_identifier: '',
            timeouts: null,
            ttl: record.ttl,
            type: option.resource_record_type,
            weighted_routing_policy: [],
            zone_id: record.zone_id,
          },
          sensitive_attributes: [],
          dependencies: [`aws_acm_certificate.${certName}`],
        },
      ],
    },
  ];
  return JSON.stringify(
    { version: 4, terraform_version: '1.10.0', serial: 1, lineage: '0a1b2c3d-0000-4000-8000-000000000001', outputs: {}, resources },
    null,
    2,
  );
}

// The plans read the AMI's public SSM parameter: moto on loopback answers it.
let emulator: Promise<MotoServer>;
beforeAll(() => {
  emulator = startMoto();
  emulator.catch(() => undefined);
});
afterAll(
  () =>
    emulator.then(
      (m) => m.stop(),
      () => undefined,
    ),
  30_000,
);

for (const { stack, move } of cases) {
  describe(`${stack} as the earlier code deployed it`, () => {
    let plan: Promise<PlanJson>;
    let work: TerraformWorkdir;

    beforeAll(() => {
      work = TerraformWorkdir.fromStack(synthesized.dirs[stack], { 'terraform.tfstate': priorState(synthesized.stacks[stack], move) });
      plan = emulator.then(async (m) => {
        writeFileSync(
          join(work.dir, TEST_OVERRIDE_FILE),
          offlineOverrideFileFor(synthesized.dirs[stack], { readEndpoint: m.endpoint })[TEST_OVERRIDE_FILE],
        );
        await work.init();
        return work.plan();
      });
      plan.catch(() => undefined);
    });

    afterAll(async () => {
      await plan.catch(() => undefined);
      work.remove();
    });

    it('moves the record to its key and changes nothing about it', async () => {
      const changes = (await plan).resource_changes as readonly (PlanJson['resource_changes'][number] & { previous_address?: string })[];
      const moved = changes.find((rc) => rc.address === move.to);
      expect({ address: moved?.address, previous: moved?.previous_address, actions: moved?.change.actions }).toEqual({
        address: move.to,
        previous: move.from,
        actions: ['no-op'],
      });
      expect(changes.filter((rc) => rc.address === move.from)).toEqual([]);
    });

    it('keeps the certificate as it is', async () => {
      const cert = (await plan).resource_changes.filter((rc) => rc.address === `aws_acm_certificate.${certificateOf(move)}`);
      expect(cert.map((rc) => rc.change.actions)).toEqual([['no-op']]);
    });

    it('keeps the KMS keys: their policies, in the state in the earlier key order, are the same policies', async () => {
      const keys = (await plan).resource_changes.filter((rc) => rc.type === 'aws_kms_key');
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) expect({ key: key.address, actions: key.change.actions }).toEqual({ key: key.address, actions: ['no-op'] });
    });

    it('destroys and replaces nothing', async () => {
      const destroying = (await plan).resource_changes.filter((rc) => rc.change.actions.includes('delete')).map((rc) => rc.address);
      expect(destroying).toEqual([]);
    });
  });
}

it('has a stack to prove it on (the shipped config validates a certificate by DNS)', () => {
  expect(cases.length).toBeGreaterThan(0);
});
