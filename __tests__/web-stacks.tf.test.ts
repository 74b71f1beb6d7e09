/**
 * Real Terraform with the real AWS provider (offline mirror) on every synthesized stack — the bootstrap
 * state stack and each environment: validate, plan (values asserted from `terraform show -json`), and a
 * mock apply + destroy (`terraform test`).
 */
import { ENGINES } from '../config/catalog';
import { apiBehindEdge } from '../config/edge';
import { platform } from '../config/environments';
import type { EnvironmentConfig } from '../config/types';
import { validateConfig } from '../config/validate';
import { stateStackName, webStackName } from '../naming';
import { countByType, plannedOfType } from '../harness/terraform';
import { exerciseStacksOnceForSuite } from './support/exercise';
import { suitesOf } from './support/mock-suites';
import { selectedStacks } from './support/stacks';
import { synth, type StackJson } from './support/synth';

const config = validateConfig(platform);
const suites = suitesOf(config);
const { stacks, dirs } = synth();
const names = selectedStacks(Object.keys(stacks));
const envOf = (stack: string) => config.environments.find((e) => webStackName(config.project, e.name) === stack);
const webStacks = names.filter((n) => envOf(n) !== undefined);

// The plans read the AMI's public SSM parameter: moto on loopback answers it.
const outcomes = exerciseStacksOnceForSuite({ names, dirs, stacks, suites, timeoutMs: 1_200_000 });

/** Creations per type the environment's config calls for (key architecture types only). */
function expectedCounts(env: EnvironmentConfig): Record<string, number> {
  const zones = env.availabilityZones.length;
  const nats = env.natGateways === 'none' ? 0 : env.natGateways === 'single' ? 1 : zones;
  const zone = env.https?.hostedZoneId ? 1 : 0;
  const step = env.compute.scaling === 'step';
  const edge = apiBehindEdge(env);
  const withDomain = env.frontends.filter((f) => f.domainName !== undefined);
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
    // app from the ALB; DB from the app; to the load balancer: CloudFront's prefix list (443) behind the
    // edge, else 80 from the internet and 443 too when HTTPS is on.
    aws_vpc_security_group_ingress_rule: 2 + (edge ? 1 : 1 + (env.https ? 1 : 0)),
    aws_vpc_security_group_egress_rule: 3,
    aws_db_instance: 1,
    aws_db_subnet_group: 1,
    aws_db_parameter_group: 1,
    aws_launch_template: 1,
    aws_autoscaling_group: 1,
    aws_lb: 1,
    aws_lb_target_group: 1,
    aws_lb_listener: env.https && !edge ? 2 : 1,
    // Behind the edge one route per front-end, and one refusal per front-end with an allow-list.
    aws_lb_listener_rule: edge ? env.frontends.length + env.frontends.filter((f) => f.allowedIpRanges).length : 0,
    aws_cloudfront_vpc_origin: edge ? 1 : 0,
    aws_acm_certificate: zone + withDomain.length,
    // Per certificate its validation record (one name each), per front-end domain an A and an AAAA alias.
    aws_route53_record: 2 * zone + 3 * withDomain.length,
    aws_cloudfront_distribution: env.frontends.length,
    aws_cloudfront_origin_access_control: env.frontends.length,
    aws_wafv2_web_acl: (env.webFirewall.enabled ? 1 : 0) + env.frontends.length,
    aws_cloudwatch_log_delivery: env.frontends.length,
    aws_secretsmanager_secret: 0,
    aws_autoscaling_policy: step ? 2 : 1,
    aws_flow_log: 1,
    // The stack's key, and with front-ends the edge's in us-east-1 (its log groups).
    aws_kms_key: env.frontends.length > 0 ? 2 : 1,
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

if (config.state && names.includes(stateStackName(config.project)))
  describe.each([stateStackName(config.project)])('%s', (name) => {
    it('plans a versioned, KMS-encrypted, private, access-logged, protected state bucket', () => {
      const plan = outcomes[name].plan;
      expect(plannedOfType(plan, 'aws_s3_bucket')['aws_s3_bucket.state_bucket']).toMatchObject({
        bucket: config.state!.bucket,
        force_destroy: false,
      });
      expect(
        plannedOfType(plan, 'aws_s3_bucket_versioning')['aws_s3_bucket_versioning.state_bucket_versioning'].versioning_configuration,
      ).toEqual([expect.objectContaining({ status: 'Enabled' })]);
      const sse = plannedOfType(plan, 'aws_s3_bucket_server_side_encryption_configuration')[
        'aws_s3_bucket_server_side_encryption_configuration.state_bucket_encryption'
      ];
      expect(sse.rule[0].apply_server_side_encryption_by_default[0].sse_algorithm).toBe('aws:kms');
      expect(plannedOfType(plan, 'aws_kms_key')['aws_kms_key.state_bucket_key'].enable_key_rotation).toBe(true);
      expect(
        plannedOfType(plan, 'aws_s3_bucket_public_access_block')['aws_s3_bucket_public_access_block.state_bucket_public_access_block'],
      ).toMatchObject({
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

  it('plans nothing public but the load balancer (behind the edge not even that) and private buckets', () => {
    const plan = outcomes[name].plan;
    for (const subnet of Object.values(plannedOfType(plan, 'aws_subnet'))) expect(subnet.map_public_ip_on_launch).toBe(false);
    const [lt] = Object.values(plannedOfType(plan, 'aws_launch_template'));
    expect(lt.network_interfaces[0].associate_public_ip_address).toBe('false');
    const [alb] = Object.values(plannedOfType(plan, 'aws_lb'));
    expect(alb.internal).toBe(apiBehindEdge(env));
    const open = Object.entries(plannedOfType(plan, 'aws_vpc_security_group_ingress_rule')).filter(
      ([, r]) => r.cidr_ipv4 === '0.0.0.0/0' || r.cidr_ipv6 === '::/0',
    );
    // Behind the edge nothing at all: the load balancer admits CloudFront's prefix list only.
    expect(open.map(([address, r]) => [address, r.from_port])).toEqual(
      apiBehindEdge(env)
        ? []
        : [
            ['aws_vpc_security_group_ingress_rule.load_balancer_security_group_ingress_internet_http', 80],
            ...(env.https ? [['aws_vpc_security_group_ingress_rule.load_balancer_security_group_ingress_internet_https', 443]] : []),
          ],
    );
    for (const bucket of Object.values(plannedOfType(plan, 'aws_s3_bucket_public_access_block'))) {
      expect(bucket).toMatchObject({
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
    }
  });

  it('plans IMDSv2 and encrypted volumes on the app servers', () => {
    const [lt] = Object.values(plannedOfType(outcomes[name].plan, 'aws_launch_template'));
    expect(lt.metadata_options[0]).toMatchObject({ http_tokens: 'required', http_put_response_hop_limit: 1 });
    expect(lt.block_device_mappings[0].ebs[0]).toMatchObject({ encrypted: 'true', volume_type: 'gp3' });
  });

  it('plans the listener protocols of the environment', () => {
    const listeners = Object.values(plannedOfType(outcomes[name].plan, 'aws_lb_listener'));
    const protocols = listeners.map((l) => `${l.protocol}:${l.default_action[0].type}`).sort();
    expect(protocols).toEqual(
      apiBehindEdge(env) ? ['HTTPS:fixed-response'] : env.https ? ['HTTP:redirect', 'HTTPS:forward'] : ['HTTP:forward'],
    );
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
