/**
 * `moved` blocks keep what is deployed, proven with a Terraform plan against a state as the earlier code
 * left it. The certificate's DNS validation record used to be one resource with no key (it read the first
 * of `domain_validation_options`); it is now a `for_each` over those options, keyed by domain name, with a
 * `moved` block from the old address. For every synthesized stack that validates a certificate by DNS:
 * the state holds the certificate and that one record at the old address, and `terraform plan` (real
 * provider, offline, no refresh) must move the record to its key with no change, leave the certificate
 * alone, and destroy or replace nothing.
 */
import { TerraformWorkdir, offlineOverrideFile, type PlanJson } from '../scripts/lib/terraform';
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
  const move = moves.find((m) => m.from.startsWith('aws_route53_record.') && Object.keys(json.resource.aws_acm_certificate ?? {}).length > 0);
  return move ? [{ stack, move }] : [];
});

const PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"]';
const ACCOUNT = '111111111111';

/**
 * A Terraform state (format 4) with the certificate and its validation record as the earlier code had them
 * deployed: values from the stack's own configuration, plus what AWS returns for the rest. Schema versions
 * are those of hashicorp/aws 5.100.0 (an older version in a state would be upgraded by the provider).
 */
function priorState(json: Record<string, any>, move: Move): string {
  const [certName, cert] = Object.entries(json.resource.aws_acm_certificate as Record<string, any>)[0];
  const recordName = move.from.split('.')[1];
  const record = json.resource.aws_route53_record[recordName];
  const region = json.provider.aws[0].region as string;
  const tagsAll = { ...(json.provider.aws[0].default_tags?.[0]?.tags ?? {}), ...(cert.tags ?? {}) };
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
  return JSON.stringify({ version: 4, terraform_version: '1.10.0', serial: 1, lineage: '0a1b2c3d-0000-4000-8000-000000000001', outputs: {}, resources }, null, 2);
}

for (const { stack, move } of cases) {
  describe(`${stack} deployed before the validation record became a for_each`, () => {
    let plan: Promise<PlanJson>;
    let work: TerraformWorkdir;

    beforeAll(() => {
      work = TerraformWorkdir.fromStack(synthesized.dirs[stack], { ...offlineOverrideFile(), 'terraform.tfstate': priorState(synthesized.stacks[stack], move) });
      plan = work.init().then(() => work.plan());
      plan.catch(() => undefined);
    });

    afterAll(async () => {
      await plan.catch(() => undefined);
      work.remove();
    });

    it('moves the record to its key and changes nothing about it', async () => {
      const changes = (await plan).resource_changes as readonly (PlanJson['resource_changes'][number] & { previous_address?: string })[];
      const moved = changes.find((rc) => rc.address === move.to);
      expect({ address: moved?.address, previous: moved?.previous_address, actions: moved?.change.actions }).toEqual({ address: move.to, previous: move.from, actions: ['no-op'] });
      expect(changes.filter((rc) => rc.address === move.from)).toEqual([]);
    });

    it('keeps the certificate as it is', async () => {
      const cert = (await plan).resource_changes.filter((rc) => rc.type === 'aws_acm_certificate');
      expect(cert.map((rc) => rc.change.actions)).toEqual([['no-op']]);
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
