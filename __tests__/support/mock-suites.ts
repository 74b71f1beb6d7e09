/**
 * The `terraform test` suite of each stack, written from its config: a mock apply (create, then the
 * teardown destroy) of the whole graph with a mocked AWS provider, asserting what the config says the stack
 * is. Every configured stack gets one, so an added environment is applied like the shipped ones; a
 * hand-written `__tests__/terraform/<stack>.tftest.hcl` adds assertions of its own beside it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EnvironmentConfig, PlatformConfig, StateConfig } from '../../config/types';
import { apiBehindEdge } from '../../config/edge';
import { INTERFACE_SERVICES } from '../../modules/vpc-endpoints';
import { ALARM_IDS, FRONTEND_HEADER, names, prefixOf, stateStackName, webStackName } from '../../naming';
import { CI_HOSTS } from '../../modules/ci-roles';

const SUITES = join(__dirname, '..', 'terraform');

const hcl = (value: unknown) => JSON.stringify(value);

function suite(title: string, asserts: readonly (readonly [string, string])[], aliases: readonly string[] = []): string {
  const body = asserts
    .map(([condition, message]) => `  assert {\n    condition     = ${condition}\n    error_message = ${hcl(message)}\n  }`)
    .join('\n');
  // Every AWS provider configuration of the stack is mocked (the us-east-1 one of the edge too).
  const providers = ['', ...aliases.map((a) => `  alias  = ${hcl(a)}\n`)]
    .map((alias) => `mock_provider "aws" {\n${alias}  source = "./tests/mocks"\n}\n`)
    .join('\n');
  return `# ${title}\n# Generated from the config by __tests__/support/mock-suites.ts.\n\n${providers}\nrun "apply" {\n  command = apply\n\n${body}\n}\n`;
}

/** The suite of an environment's stack. */
export function environmentSuite(project: string, env: EnvironmentConfig): string {
  const db = 'aws_db_instance.database_instance';
  const asg = 'aws_autoscaling_group.app_servers_auto_scaling_group';
  const lt = 'aws_launch_template.app_servers_launch_template';
  const zones = env.availabilityZones.map((az) => az.slice(-1));
  const { minSize, desiredCapacity, maxSize } = env.compute;
  const asserts: [string, string][] = [
    [
      `${db}.multi_az == ${env.database.multiAz} && ${db}.storage_encrypted`,
      `the database is ${env.database.multiAz ? 'Multi-AZ' : 'single-AZ'} and encrypted`,
    ],
    [
      `${db}.deletion_protection == ${env.deletionProtection} && ${db}.skip_final_snapshot == ${!env.deletionProtection}`,
      env.deletionProtection
        ? 'the database is deletion-protected and takes a final snapshot'
        : 'the database tears down without deletion protection or a final snapshot',
    ],
    [
      `${asg}.min_size == ${minSize} && ${asg}.desired_capacity == ${desiredCapacity} && ${asg}.max_size == ${maxSize}`,
      `ASG capacity is ${minSize} / ${desiredCapacity} / ${maxSize}`,
    ],
    [
      `${lt}.metadata_options[0].http_tokens == "required" && ${lt}.metadata_options[0].http_put_response_hop_limit == 1`,
      'IMDSv2 is required with hop limit 1',
    ],
    [
      `length(output.public_subnet_ids) == ${zones.length} && length(output.app_subnet_ids) == ${zones.length} && length(output.data_subnet_ids) == ${zones.length}`,
      `one subnet per tier in each of the ${zones.length} zones`,
    ],
    [
      `${env.https ? `output.url == ${hcl(`https://${env.https.domainName}`)}` : 'startswith(output.url, "http://")'} && output.db_endpoint != "" && output.db_secret_arn != "" && output.vpc_id != ""`,
      'the outputs are present',
    ],
  ];
  // The release: the launch template names a concrete AMI, the group starts on its version by number, and the
  // release output names that group, template and version with the refresh the config says, rolling back on
  // the alarms when EC2 can.
  const { rollout } = env.compute;
  const rollback = env.compute.amiResolution !== 'launch' || env.compute.amiId !== undefined;
  const rollout_ = 'output.release.rollout';
  const refresh = `${rollout_}.preferences`;
  asserts.push(
    [
      `${asg}.launch_template[0].version == tostring(${lt}.latest_version) && output.release.ami == ${lt}.image_id && ${rollback ? `!startswith(${lt}.image_id, "resolve:ssm:")` : `startswith(${lt}.image_id, "resolve:ssm:")`}`,
      rollback
        ? 'the group runs a numbered launch template version that names a concrete AMI'
        : 'the group runs a numbered version whose AMI EC2 resolves at each launch (opt-in)',
    ],
    [
      `${rollout_}.auto_scaling_group == ${asg}.name && ${rollout_}.launch_template_id == ${lt}.id && ${rollout_}.launch_template_version == ${lt}.latest_version && ${refresh}.min_healthy_percentage == ${rollout.minHealthyPercentage} && ${refresh}.max_healthy_percentage == ${rollout.maxHealthyPercentage} && ${refresh}.skip_matching && ${refresh}.auto_rollback == ${rollback} && length(${refresh}.alarms) == ${ALARM_IDS.rollback.length}`,
      `a release rolls the new version out at ${rollout.minHealthyPercentage}–${rollout.maxHealthyPercentage} % healthy, skipping matching instances${rollback ? ', rolling back on alarms' : ''}`,
    ],
    [
      `aws_vpc_endpoint.endpoints_s3.vpc_endpoint_type == "Gateway" && length(aws_vpc_endpoint.endpoints_s3.route_table_ids) == ${zones.length}`,
      'the app subnets reach S3 through the gateway endpoint',
    ],
  );
  if (env.interfaceEndpoints || env.natGateways === 'none') {
    const endpoints = INTERFACE_SERVICES.map((service) => `aws_vpc_endpoint.endpoints_${service.replace('.', '_')}`);
    asserts.push([
      `alltrue([for e in [${endpoints.join(', ')}] : e.vpc_endpoint_type == "Interface" && e.private_dns_enabled])`,
      'the AWS APIs are reached through interface endpoints with private DNS',
    ]);
  }
  if (env.application.kind !== 'container' || env.application.image.repository === undefined) {
    asserts.push([
      'aws_ecr_repository.registry.image_tag_mutability == "IMMUTABLE" && aws_ecr_repository.registry.image_scanning_configuration[0].scan_on_push && output.image_repository_url == aws_ecr_repository.registry.repository_url',
      'the release registry has immutable tags, scans on push and is output',
    ]);
  }
  if (env.application.kind === 'container') {
    asserts.push([
      `endswith(output.release.image, ${hcl(`@${env.application.image.digest}`)}) && output.release.tag == ${hcl(env.application.image.tag)}`,
      'the active release names its image by digest',
    ]);
  }
  const dashboard = names.dashboard(prefixOf(project, env.name));
  asserts.push([
    `aws_cloudwatch_dashboard.dashboard_dashboard.dashboard_name == ${hcl(dashboard)} && output.dashboard_url == ${hcl(names.dashboardUrl(env.region, dashboard))}`,
    'the dashboard exists and its console URL is an output',
  ]);
  if (env.https) {
    asserts.push(
      apiBehindEdge(env)
        ? [
            'aws_lb_listener.load_balancer_https_listener.protocol == "HTTPS"',
            'HTTPS is served (behind the edge, to CloudFront alone: no port 80)',
          ]
        : [
            'aws_lb_listener.load_balancer_https_listener.protocol == "HTTPS" && aws_lb_listener.load_balancer_http_listener.default_action[0].type == "redirect"',
            'HTTPS is served and plain HTTP redirected',
          ],
    );
    if (env.https.hostedZoneId) {
      asserts.push([
        'toset(keys(aws_route53_record.load_balancer_certificate_validation_record)) == toset([for o in aws_acm_certificate.load_balancer_certificate.domain_validation_options : o.domain_name])',
        'one DNS validation record per name the certificate validates, keyed by that name',
      ]);
    }
  } else {
    asserts.push([
      'aws_lb_listener.load_balancer_http_listener.protocol == "HTTP" && aws_lb_listener.load_balancer_http_listener.default_action[0].type == "forward"',
      'without HTTPS the load balancer forwards plain HTTP',
    ]);
  }
  if (env.natGateways !== 'none') {
    const natOf = (z: string) => `aws_nat_gateway.network_nat_gateway_${env.natGateways === 'perAz' ? z : zones[0]}.id`;
    asserts.push([
      zones.map((z) => `aws_route.network_app_default_route_${z}.nat_gateway_id == ${natOf(z)}`).join(' && '),
      env.natGateways === 'perAz'
        ? 'each app subnet routes through the NAT gateway of its own zone'
        : 'every app subnet routes through the single NAT gateway',
    ]);
  }
  if (env.uploads) {
    asserts.push([
      'aws_s3_bucket_versioning.uploads_versioning.versioning_configuration[0].status == "Enabled" && one(aws_s3_bucket_server_side_encryption_configuration.uploads_encryption.rule).apply_server_side_encryption_by_default[0].sse_algorithm == "aws:kms"',
      'the uploads bucket is versioned and encrypted with the stack key',
    ]);
    asserts.push([
      `output.uploads_bucket == aws_s3_bucket.uploads.bucket && aws_s3_bucket.uploads.force_destroy == ${!env.deletionProtection}`,
      'the uploads bucket is output, and kept when the environment protects data',
    ]);
  }
  asserts.push(...frontendAsserts(env));
  return suite(
    `Mock apply of ${webStackName(project, env.name)}: Terraform walks the whole graph (create, then destroy) with a mocked AWS provider.`,
    asserts,
    env.frontends.length > 0 ? ['us_east_1'] : [],
  );
}

/** What the config says each front-end, and the load balancer behind the edge, must be after the apply. */
function frontendAsserts(env: EnvironmentConfig): [string, string][] {
  const asserts: [string, string][] = [];
  for (const f of env.frontends) {
    const d = `aws_cloudfront_distribution.frontend_${f.name}_distribution`;
    const bucket = `aws_s3_bucket.frontend_${f.name}_bucket`;
    asserts.push(
      [
        `${d}.http_version == "http2and3" && ${d}.is_ipv6_enabled && ${d}.default_root_object == "index.html" && ${d}.price_class == ${hcl(env.edge.priceClass)}`,
        `front-end ${f.name}: HTTP/2 and 3, IPv6, index.html, the configured price class`,
      ],
      [
        `one([for o in ${d}.origin : o if o.origin_id == "files"]).origin_access_control_id == aws_cloudfront_origin_access_control.frontend_${f.name}_origin_access_control.id && ${d}.web_acl_id == aws_wafv2_web_acl.frontend_${f.name}_firewall_web_acl.arn`,
        `front-end ${f.name}: its bucket through origin access control, its own web ACL`,
      ],
      [
        `output.frontend_distribution_ids[${hcl(f.name)}] == ${d}.id && output.frontend_buckets[${hcl(f.name)}] == ${bucket}.bucket && output.frontend_urls[${hcl(f.name)}] == ${f.domainName ? hcl(`https://${f.domainName}`) : `"https://\${${d}.domain_name}"`}`,
        `front-end ${f.name}: its URL, distribution id and bucket are output`,
      ],
      [
        `aws_s3_bucket.frontend_${f.name}_bucket.force_destroy == ${!env.deletionProtection} && ${f.domainName ? `one(${d}.viewer_certificate).minimum_protocol_version == "TLSv1.2_2021" && one(${d}.viewer_certificate).acm_certificate_arn == aws_acm_certificate_validation.frontend_${f.name}_certificate_validation.certificate_arn` : `one(${d}.viewer_certificate).cloudfront_default_certificate`}`,
        f.domainName
          ? `front-end ${f.name}: its own certificate, TLS 1.2 2021 at least`
          : `front-end ${f.name}: the default CloudFront name and certificate`,
      ],
    );
  }
  if (apiBehindEdge(env)) {
    const origin = 'aws_cloudfront_vpc_origin.edge_vpc_origin';
    asserts.push(
      [
        `aws_lb.load_balancer_alb.internal && ${origin}.vpc_origin_endpoint_config[0].arn == aws_lb.load_balancer_alb.arn && ${origin}.vpc_origin_endpoint_config[0].origin_protocol_policy == "https-only"`,
        'the load balancer is internal, and the VPC origin reaches it over HTTPS',
      ],
      [
        env.frontends
          .map((f) => {
            const api = `one([for o in aws_cloudfront_distribution.frontend_${f.name}_distribution.origin : o if o.origin_id == "api"])`;
            return `${api}.vpc_origin_config[0].vpc_origin_id == ${origin}.id && ${api}.custom_header == toset([{ name = "${FRONTEND_HEADER}", value = "${f.name}" }])`;
          })
          .join(' && '),
        'every distribution reaches the API through the VPC origin, naming its front-end',
      ],
      [
        'aws_lb_listener.load_balancer_https_listener.default_action[0].type == "fixed-response" && aws_vpc_security_group_ingress_rule.load_balancer_security_group_ingress_cloudfront_https.prefix_list_id != null',
        'the load balancer admits CloudFront alone and refuses what no front-end route covers',
      ],
    );
  }
  return asserts;
}

/** What the suite checks of the CI roles: their trust and session, as applied, and the outputs. */
function ciAsserts(project: string, state: StateConfig, environments: readonly string[]): [string, string][] {
  const ci = state.ci;
  if (!ci) return [];
  const host = CI_HOSTS[ci.provider].issuer.replace('https://', '');
  const subjects = (role: string) =>
    `jsondecode(aws_iam_role.ci_${role}.assume_role_policy).Statement[0].Condition.StringEquals[${hcl(`${host}:sub`)}]`;
  const audience = (role: string) =>
    `jsondecode(aws_iam_role.ci_${role}.assume_role_policy).Statement[0].Condition.StringEquals[${hcl(`${host}:aud`)}] == "sts.amazonaws.com"`;
  const roles = environments.flatMap((e) => [`plan_${e}`, `deploy_${e}`]);
  if (roles.length === 0) return [];
  return [
    [
      roles.map((r) => `aws_iam_role.ci_${r}.max_session_duration == ${ci.maxSessionHours * 3600} && ${audience(r)}`).join(' && '),
      'every CI role has the configured session and AWS as the audience',
    ],
    ...environments.map((e): [string, string] => [
      `toset(${subjects(`plan_${e}`)}) == toset([${hcl(`repo:${ci.repository}:ref:refs/heads/${ci.mainBranch}`)}, ${hcl(`repo:${ci.repository}:pull_request`)}])`,
      `the plan role of ${e} trusts the main branch and pull requests of the repository only`,
    ]),
    ...environments.map((e): [string, string] => [
      `${subjects(`deploy_${e}`)} == [${hcl(`repo:${ci.repository}:environment:${e}`)}]`,
      `the deploy role of ${e} trusts its GitHub environment only`,
    ]),
    [
      `toset(keys(output.ci_plan_role_arns)) == toset([${environments.map((e) => hcl(e)).join(', ')}]) && toset(keys(output.ci_deploy_role_arns)) == toset([${environments.map((e) => hcl(e)).join(', ')}])`,
      `the outputs name a plan and a deploy role per environment of ${project} in the state account`,
    ],
  ];
}

/** The suite of the bootstrap stack. */
export function stateSuite(project: string, state: StateConfig, environments: readonly string[] = []): string {
  const sse =
    'one(aws_s3_bucket_server_side_encryption_configuration.state_bucket_encryption.rule).apply_server_side_encryption_by_default[0]';
  const pab = 'aws_s3_bucket_public_access_block.state_bucket_public_access_block';
  return suite(
    `Mock apply of ${stateStackName(project)}: Terraform walks the whole graph (create, then destroy) with a mocked AWS provider.`,
    [
      ['aws_s3_bucket_versioning.state_bucket_versioning.versioning_configuration[0].status == "Enabled"', 'the state bucket is versioned'],
      state.encryption === 'kms'
        ? [
            `${sse}.sse_algorithm == "aws:kms" && aws_kms_key.state_bucket_key.enable_key_rotation`,
            'the state bucket is encrypted with a rotating KMS key',
          ]
        : [`${sse}.sse_algorithm == "AES256"`, 'the state bucket is encrypted with SSE-S3'],
      [
        `alltrue([${pab}.block_public_acls, ${pab}.block_public_policy, ${pab}.ignore_public_acls, ${pab}.restrict_public_buckets])`,
        'all four public access blocks are on',
      ],
      ['aws_s3_bucket_ownership_controls.state_bucket_ownership.rule[0].object_ownership == "BucketOwnerEnforced"', 'ACLs are disabled'],
      [
        'aws_s3_bucket_logging.state_bucket_access_logging.target_bucket == aws_s3_bucket.state_bucket_access_logs_bucket.id',
        'state access is logged to the access-log bucket',
      ],
      [`output.bucket == ${hcl(state.bucket)} && output.region == ${hcl(state.region)}`, 'the outputs name the bucket and its region'],
      ...ciAsserts(project, state, environments),
    ],
  );
}

/** The generated suite of every stack of `config`, by stack name. */
export function suitesOf(config: PlatformConfig): Record<string, string> {
  const suites: Record<string, string> = {};
  if (config.state)
    suites[stateStackName(config.project)] = stateSuite(
      config.project,
      config.state,
      // The state stack holds the CI roles of the environments in its own account; the others' are in
      // their account's CI stack (stacks/ci-account-stack.ts).
      config.environments.filter((e) => e.accountId === config.state?.accountId).map((e) => e.name),
    );
  for (const env of config.environments) suites[webStackName(config.project, env.name)] = environmentSuite(config.project, env);
  return suites;
}

/**
 * Files that make a stack directory a `terraform test` suite: the generated suite, a hand-written one if
 * `__tests__/terraform/<stack>.tftest.hcl` exists, and the shared mocks.
 */
export function mockApplyFiles(stackName: string, generated: string): Record<string, string> {
  const files: Record<string, string> = { [`tests/${stackName}.tftest.hcl`]: generated };
  const extra = join(SUITES, `${stackName}.tftest.hcl`);
  if (existsSync(extra)) files[`tests/${stackName}.extra.tftest.hcl`] = readFileSync(extra, 'utf8');
  const mocks = join(SUITES, 'mocks');
  for (const entry of readdirSync(mocks)) files[`tests/mocks/${entry}`] = readFileSync(join(mocks, entry), 'utf8');
  return files;
}
