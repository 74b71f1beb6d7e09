/**
 * Real Terraform with the real AWS provider (offline mirror) on every synthesized stack — the bootstrap
 * state stack and each environment: validate, plan (values asserted from `terraform show -json`), and a
 * mock apply + destroy (`terraform test`).
 */
import { join } from 'node:path';
import { ENGINES } from '../config/catalog';
import { platform } from '../config/environments';
import type { EnvironmentConfig } from '../config/types';
import {
  LIFT_PREVENT_DESTROY_FILE,
  TerraformWorkdir,
  countByType,
  liftPreventDestroyOverride,
  mockApplyFiles,
  offlineOverrideFile,
  plannedOfType,
  type PlanJson,
  type RunResult,
} from '../scripts/lib/terraform';
import { synth, type StackJson } from './support/synth';

const SUITES = join(__dirname, 'terraform');
const { stacks, dirs } = synth();
const names = Object.keys(stacks);
const envOf = (stack: string) => platform.environments.find((e) => `${platform.project}-${e.name}` === stack);
const webStacks = names.filter((n) => envOf(n) !== undefined);

interface Outcome {
  validate: RunResult;
  plan: PlanJson;
  mockApply: RunResult;
}
const outcomes: Record<string, Outcome> = {};

/** Everything Terraform does for one stack; both stacks run concurrently. */
async function exercise(name: string): Promise<Outcome> {
  const files = {
    ...offlineOverrideFile(),
    [LIFT_PREVENT_DESTROY_FILE]: liftPreventDestroyOverride(stacks[name]),
    ...mockApplyFiles(SUITES, name),
  };
  const work = TerraformWorkdir.fromStack(dirs[name], files);
  try {
    await work.init();
    const validate = await work.validate();
    const plan = await work.plan();
    const mockApply = await work.test();
    return { validate, plan, mockApply };
  } finally {
    work.remove();
  }
}

beforeAll(async () => {
  const results = await Promise.all(names.map(exercise));
  names.forEach((n, i) => (outcomes[n] = results[i]));
}, 600_000);

/** Creations per type the environment's config calls for (key architecture types only). */
function expectedCounts(env: EnvironmentConfig): Record<string, number> {
  const zones = env.availabilityZones.length;
  const nats = env.natGateways === 'none' ? 0 : env.natGateways === 'single' ? 1 : zones;
  const zone = env.https?.hostedZoneId ? 1 : 0;
  const step = env.compute.scaling === 'step';
  return {
    aws_vpc: 1,
    aws_subnet: 3 * zones,
    aws_internet_gateway: 1,
    aws_eip: nats,
    aws_nat_gateway: nats,
    aws_route_table: 2 + zones,
    aws_route: 1 + (nats > 0 ? zones : 0),
    aws_route_table_association: 3 * zones,
    aws_security_group: 3,
    // 80 from the internet, 443 too when HTTPS is on; app from the ALB; DB from the app.
    aws_vpc_security_group_ingress_rule: 3 + (env.https ? 1 : 0),
    aws_vpc_security_group_egress_rule: 3,
    aws_db_instance: 1,
    aws_db_subnet_group: 1,
    aws_db_parameter_group: 1,
    aws_launch_template: 1,
    aws_autoscaling_group: 1,
    aws_lb: 1,
    aws_lb_target_group: 1,
    aws_lb_listener: env.https ? 2 : 1,
    aws_acm_certificate: zone,
    aws_route53_record: 2 * zone,
    aws_autoscaling_policy: step ? 2 : 1,
    aws_flow_log: 1,
    aws_kms_key: 1,
  };
}

/** Creations per type declared in the synthesized JSON. */
function declaredCounts(stack: StackJson): Record<string, number> {
  return Object.fromEntries(Object.entries(stack.resource).map(([type, byName]) => [type, Object.keys(byName).length]));
}

describe.each(names)('%s', (name) => {
  it('passes terraform validate', () => {
    expect(outcomes[name].validate.stdout).toContain('Success! The configuration is valid.');
  });

  it('plans every declared resource for creation and nothing else, with no errors', () => {
    const plan = outcomes[name].plan;
    expect(plan.errored).toBe(false);
    expect(countByType(plan)).toEqual(declaredCounts(stacks[name]));
    expect(plan.resource_changes.every((rc) => rc.change.actions.join() === 'create')).toBe(true);
  });

  it('passes the mock apply and destroy of the whole graph (terraform test)', () => {
    const { stdout } = outcomes[name].mockApply;
    expect(stdout).toContain('run "apply"... pass');
    expect(stdout).toMatch(/Success! 1 passed, 0 failed\./);
  });
});

describe('web-state', () => {
  it('plans a versioned, KMS-encrypted, private, access-logged, protected state bucket', () => {
    const plan = outcomes['web-state'].plan;
    expect(plannedOfType(plan, 'aws_s3_bucket')['aws_s3_bucket.state_bucket']).toMatchObject({ bucket: platform.state!.bucket, force_destroy: false });
    expect(plannedOfType(plan, 'aws_s3_bucket_versioning')['aws_s3_bucket_versioning.state_bucket_versioning'].versioning_configuration).toEqual([
      expect.objectContaining({ status: 'Enabled' }),
    ]);
    const sse = plannedOfType(plan, 'aws_s3_bucket_server_side_encryption_configuration')['aws_s3_bucket_server_side_encryption_configuration.state_bucket_encryption'];
    expect(sse.rule[0].apply_server_side_encryption_by_default[0].sse_algorithm).toBe('aws:kms');
    expect(plannedOfType(plan, 'aws_kms_key')['aws_kms_key.state_bucket_key'].enable_key_rotation).toBe(true);
    expect(plannedOfType(plan, 'aws_s3_bucket_public_access_block')['aws_s3_bucket_public_access_block.state_bucket_public_access_block']).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
  });
});

describe.each(webStacks)('%s', (name) => {
  const env = envOf(name) as EnvironmentConfig;

  it('plans the counts of the architecture the config calls for', () => {
    const counts = countByType(outcomes[name].plan);
    const expected = expectedCounts(env);
    expect(Object.fromEntries(Object.keys(expected).map((t) => [t, counts[t] ?? 0]))).toEqual(expected);
  });

  it('plans the database as configured: Multi-AZ, encrypted, private, TLS-only, protected per environment', () => {
    const [db] = Object.values(plannedOfType(outcomes[name].plan, 'aws_db_instance'));
    expect(db).toMatchObject({
      multi_az: env.database.multiAz,
      storage_encrypted: true,
      publicly_accessible: false,
      manage_master_user_password: true,
      deletion_protection: env.deletionProtection,
      skip_final_snapshot: !env.deletionProtection,
      engine: env.database.engine,
    });
    const [params] = Object.values(plannedOfType(outcomes[name].plan, 'aws_db_parameter_group'));
    expect(params.parameter).toContainEqual(expect.objectContaining({ ...ENGINES[env.database.engine].tlsParameter }));
  });

  it('plans nothing public but the load balancer', () => {
    const plan = outcomes[name].plan;
    for (const subnet of Object.values(plannedOfType(plan, 'aws_subnet'))) expect(subnet.map_public_ip_on_launch).toBe(false);
    const [lt] = Object.values(plannedOfType(plan, 'aws_launch_template'));
    expect(lt.network_interfaces[0].associate_public_ip_address).toBe('false');
    const [alb] = Object.values(plannedOfType(plan, 'aws_lb'));
    expect(alb.internal).toBe(false);
    const open = Object.entries(plannedOfType(plan, 'aws_vpc_security_group_ingress_rule')).filter(([, r]) => r.cidr_ipv4 === '0.0.0.0/0');
    expect(open.map(([address, r]) => [address, r.from_port])).toEqual([
      ['aws_vpc_security_group_ingress_rule.load_balancer_security_group_ingress_internet_http', 80],
      ...(env.https ? [['aws_vpc_security_group_ingress_rule.load_balancer_security_group_ingress_internet_https', 443]] : []),
    ]);
  });

  it('plans IMDSv2 and encrypted volumes on the app servers', () => {
    const [lt] = Object.values(plannedOfType(outcomes[name].plan, 'aws_launch_template'));
    expect(lt.metadata_options[0]).toMatchObject({ http_tokens: 'required', http_put_response_hop_limit: 1 });
    expect(lt.block_device_mappings[0].ebs[0]).toMatchObject({ encrypted: 'true', volume_type: 'gp3' });
  });

  it('plans the listener protocols of the environment', () => {
    const listeners = Object.values(plannedOfType(outcomes[name].plan, 'aws_lb_listener'));
    const protocols = listeners.map((l) => `${l.protocol}:${l.default_action[0].type}`).sort();
    expect(protocols).toEqual(env.https ? ['HTTP:redirect', 'HTTPS:forward'] : ['HTTP:forward']);
    if (env.https) {
      const https = listeners.find((l) => l.protocol === 'HTTPS')!;
      expect(https.ssl_policy).toMatch(/^ELBSecurityPolicy-TLS13-/);
    }
  });

  it('plans one NAT gateway per the strategy', () => {
    const nats = Object.keys(plannedOfType(outcomes[name].plan, 'aws_nat_gateway'));
    expect(nats).toHaveLength(env.natGateways === 'perAz' ? env.availabilityZones.length : env.natGateways === 'single' ? 1 : 0);
  });
});
