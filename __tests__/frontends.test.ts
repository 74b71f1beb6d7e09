/**
 * Front-ends at the edge, asserted on the synthesized stacks of the configured environments (every front-end
 * of every environment), one assertion per security-relevant setting, and the choices the config makes.
 */
import { CLOUDFRONT_MANAGED_POLICIES, CLOUDFRONT_REGION, EDGE_MANAGED_RULE_GROUPS } from '../config/catalog';
import { apiBehindEdge, apiPathOf, exclusivePrefixOf } from '../config/edge';
import { BASELINE_CSP } from '../config/schema';
import { SPA_ROUTING_CODE } from '../modules/frontend';
import { FRONTEND_HEADER, OTHER_FRONTENDS_API_RULE, prefixOf } from '../naming';
import { single } from './support/config';
import { environmentStacks, shipped } from './support/stacks';
import { resource, resources, synth } from './support/synth';

const { stacks } = synth();
const cases = environmentStacks().flatMap(({ env, stack }) =>
  env.frontends.map((frontend) => ({ env, stack, frontend, name: `${stack} ${frontend.name}` })),
);

it('the shipped config has front-ends to check', () => {
  expect(cases.length).toBeGreaterThan(0);
});

describe.each(cases)('$name', ({ env, stack: stackName, frontend }) => {
  const stack = stacks[stackName];
  const id = `frontend_${frontend.name}`;
  const distribution = resource(stack, 'aws_cloudfront_distribution', `${id}_distribution`);
  const distributionArn = `\${aws_cloudfront_distribution.${id}_distribution.arn}`;

  it('reads a private bucket through a signing origin access control, and only this distribution may', () => {
    const files = distribution.origin.find((o: any) => o.origin_id === 'files');
    expect(files).toMatchObject({
      domain_name: `\${aws_s3_bucket.${id}_bucket.bucket_regional_domain_name}`,
      origin_access_control_id: `\${aws_cloudfront_origin_access_control.${id}_origin_access_control.id}`,
    });
    expect(files.s3_origin_config).toBeUndefined();
    expect(resource(stack, 'aws_cloudfront_origin_access_control', `${id}_origin_access_control`)).toMatchObject({
      origin_access_control_origin_type: 's3',
      signing_behavior: 'always',
      signing_protocol: 'sigv4',
    });
    expect(resource(stack, 'aws_s3_bucket_public_access_block', `${id}_bucket_public_access_block`)).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(resources(stack, 'aws_s3_bucket_website_configuration')).toEqual({});
    const statements = JSON.parse(resource(stack, 'aws_s3_bucket_policy', `${id}_bucket_policy`).policy).Statement;
    const cloudFront = statements.filter((s: any) => s.Principal?.Service === 'cloudfront.amazonaws.com');
    expect(cloudFront.map((s: any) => s.Action).sort()).toEqual(['s3:GetObject', 's3:ListBucket']);
    for (const s of cloudFront) expect(s.Condition).toEqual({ StringEquals: { 'AWS:SourceArn': distributionArn } });
  });

  it('lets CloudFront decrypt the front-end buckets only, for distributions of this account', () => {
    const key = JSON.parse(resource(stack, 'aws_kms_key', 'encryption_key').policy).Statement.find(
      (s: any) => s.Principal?.Service === 'cloudfront.amazonaws.com',
    );
    expect(key).toMatchObject({
      Action: 'kms:Decrypt',
      Condition: { ArnLike: { 'AWS:SourceArn': `arn:aws:cloudfront::${env.accountId}:distribution/*` } },
    });
    expect(key.Condition.ArnLike['kms:EncryptionContext:aws:s3:arn']).toContain(
      `arn:aws:s3:::${resource(stack, 'aws_s3_bucket', `${id}_bucket`).bucket}`,
    );
  });

  it('serves HTTP/2 and 3 over IPv6, HTTPS only, index.html at /, the configured price class', () => {
    expect(distribution).toMatchObject({
      enabled: true,
      http_version: 'http2and3',
      is_ipv6_enabled: true,
      default_root_object: 'index.html',
      price_class: env.edge.priceClass,
    });
    for (const b of [distribution.default_cache_behavior, ...distribution.ordered_cache_behavior])
      expect(['redirect-to-https', 'https-only']).toContain(b.viewer_protocol_policy);
  });

  it('caches files as they say, never the entry page, and sends the security headers everywhere', () => {
    expect(distribution.default_cache_behavior.cache_policy_id).toBe(CLOUDFRONT_MANAGED_POLICIES.cachingOptimized);
    expect(distribution.ordered_cache_behavior.find((b: any) => b.path_pattern === '/index.html').cache_policy_id).toBe(
      CLOUDFRONT_MANAGED_POLICIES.cachingDisabled,
    );
    const headers = `\${aws_cloudfront_response_headers_policy.${id}_response_headers.id}`;
    for (const b of [distribution.default_cache_behavior, ...distribution.ordered_cache_behavior])
      expect(b.response_headers_policy_id).toBe(headers);
    expect(resource(stack, 'aws_cloudfront_response_headers_policy', `${id}_response_headers`).security_headers_config).toEqual({
      strict_transport_security: { access_control_max_age_sec: 63_072_000, include_subdomains: true, preload: false, override: true },
      content_type_options: { override: true },
      frame_options: { frame_option: 'DENY', override: true },
      referrer_policy: { referrer_policy: 'strict-origin-when-cross-origin', override: true },
      content_security_policy: { content_security_policy: frontend.contentSecurityPolicy ?? BASELINE_CSP, override: true },
    });
  });

  it(
    frontend.domainName
      ? 'has its own certificate from us-east-1 (TLS 1.2 2021), validated by DNS, and alias A/AAAA records'
      : 'uses its CloudFront default name',
    () => {
      if (frontend.domainName) {
        expect(distribution.aliases).toEqual([frontend.domainName]);
        expect(distribution.viewer_certificate).toEqual({
          acm_certificate_arn: `\${aws_acm_certificate_validation.${id}_certificate_validation.certificate_arn}`,
          ssl_support_method: 'sni-only',
          minimum_protocol_version: 'TLSv1.2_2021',
        });
        expect(resource(stack, 'aws_acm_certificate', `${id}_certificate`)).toMatchObject({
          domain_name: frontend.domainName,
          validation_method: 'DNS',
          provider: 'aws.us_east_1',
        });
        for (const type of ['a', 'aaaa']) {
          expect(resource(stack, 'aws_route53_record', `${id}_alias_record_${type}`)).toMatchObject({
            name: frontend.domainName,
            type: type.toUpperCase(),
            zone_id: frontend.hostedZoneId ?? env.https?.hostedZoneId,
            alias: {
              name: `\${aws_cloudfront_distribution.${id}_distribution.domain_name}`,
              zone_id: `\${aws_cloudfront_distribution.${id}_distribution.hosted_zone_id}`,
            },
          });
        }
      } else {
        expect(distribution.aliases).toBeUndefined();
        expect(distribution.viewer_certificate).toEqual({ cloudfront_default_certificate: true, minimum_protocol_version: 'TLSv1' });
        expect(stack.output.frontend_urls.value[frontend.name]).toBe(
          `https://\${aws_cloudfront_distribution.${id}_distribution.domain_name}`,
        );
      }
    },
  );

  it('has a web ACL of its own at the edge (us-east-1): managed groups, rate limit, the allow-list first when it has one', () => {
    const acl = resource(stack, 'aws_wafv2_web_acl', `${id}_firewall_web_acl`);
    expect(distribution.web_acl_id).toBe(`\${aws_wafv2_web_acl.${id}_firewall_web_acl.arn}`);
    expect(acl).toMatchObject({ scope: 'CLOUDFRONT', provider: 'aws.us_east_1', default_action: { allow: {} } });
    const managed = acl.rule
      .filter((r: any) => r.statement.managed_rule_group_statement)
      .map((r: any) => r.statement.managed_rule_group_statement.name);
    expect(managed).toEqual([...EDGE_MANAGED_RULE_GROUPS]);
    expect(acl.rule.find((r: any) => r.statement.rate_based_statement).statement.rate_based_statement).toEqual({
      limit: env.edge.requestsPerFiveMinutes,
      aggregate_key_type: 'IP',
    });
    if (frontend.allowedIpRanges) {
      expect(acl.rule[0]).toMatchObject({
        priority: 0,
        action: { block: {} },
        statement: {
          not_statement: { statement: { ip_set_reference_statement: { arn: `\${aws_wafv2_ip_set.${id}_firewall_allowed.arn}` } } },
        },
      });
      expect(resource(stack, 'aws_wafv2_ip_set', `${id}_firewall_allowed`)).toMatchObject({
        scope: 'CLOUDFRONT',
        ip_address_version: 'IPV4',
        addresses: [...frontend.allowedIpRanges],
      });
    } else {
      expect(acl.rule.some((r: any) => r.statement.not_statement)).toBe(false);
    }
    expect(resource(stack, 'aws_cloudwatch_log_group', `${id}_firewall_log_group`)).toMatchObject({
      kms_key_id: '${aws_kms_key.edge_encryption_key.arn}',
      retention_in_days: env.logRetentionDays,
      provider: 'aws.us_east_1',
    });
  });

  it('delivers its access logs through CloudWatch Logs (standard logging v2) to an encrypted log group in us-east-1', () => {
    expect(resource(stack, 'aws_cloudwatch_log_delivery_source', `${id}_access_log_source`)).toMatchObject({
      log_type: 'ACCESS_LOGS',
      resource_arn: distributionArn,
      provider: 'aws.us_east_1',
    });
    expect(
      resource(stack, 'aws_cloudwatch_log_delivery_destination', `${id}_access_log_destination`).delivery_destination_configuration,
    ).toEqual([{ destination_resource_arn: `\${aws_cloudwatch_log_group.${id}_access_log_group.arn}` }]);
    expect(resource(stack, 'aws_cloudwatch_log_group', `${id}_access_log_group`)).toMatchObject({
      kms_key_id: '${aws_kms_key.edge_encryption_key.arn}',
      retention_in_days: env.logRetentionDays,
    });
    expect(distribution.logging_config).toBeUndefined();
    expect(stack.provider.aws.find((p: any) => p.alias === 'us_east_1').region).toBe(CLOUDFRONT_REGION);
  });

  it(
    apiBehindEdge(env)
      ? 'routes its API path to the internal load balancer through the VPC origin, uncached, naming its front-end'
      : 'serves its files only',
    () => {
      const api = distribution.origin.find((o: any) => o.origin_id === 'api');
      const behaviour = distribution.ordered_cache_behavior.find((b: any) => b.target_origin_id === 'api');
      if (!apiBehindEdge(env)) {
        expect([api, behaviour]).toEqual([undefined, undefined]);
        return;
      }
      expect(api).toEqual({
        origin_id: 'api',
        // The name the load balancer's certificate covers: CloudFront checks the certificate against it.
        domain_name: env.https!.domainName,
        vpc_origin_config: {
          vpc_origin_id: '${aws_cloudfront_vpc_origin.edge_vpc_origin.id}',
          origin_read_timeout: 60,
          origin_keepalive_timeout: 5,
        },
        custom_header: [{ name: FRONTEND_HEADER, value: frontend.name }],
      });
      expect(api.custom_origin_config).toBeUndefined();
      expect(behaviour).toMatchObject({
        path_pattern: apiPathOf(frontend, env.edge.apiPath),
        viewer_protocol_policy: 'https-only',
        allowed_methods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'POST', 'PATCH', 'DELETE'],
        cache_policy_id: CLOUDFRONT_MANAGED_POLICIES.cachingDisabled,
        origin_request_policy_id: CLOUDFRONT_MANAGED_POLICIES.allViewerExceptHostHeader,
      });
    },
  );

  if (apiBehindEdge(env))
    it('its web ACL refuses the API paths other front-ends have to themselves, decoded, normalized and in any case', () => {
      const acl = resource(stack, 'aws_wafv2_web_acl', `${id}_firewall_web_acl`);
      const refused = env.frontends
        .filter((o) => o.name !== frontend.name && o.allowedIpRanges)
        .map((o) => exclusivePrefixOf(apiPathOf(o, env.edge.apiPath)).toLowerCase());
      const rule = acl.rule.find((r: any) => r.name === OTHER_FRONTENDS_API_RULE);
      if (refused.length === 0) {
        expect(rule).toBeUndefined();
        return;
      }
      expect(rule).toMatchObject({ priority: 1, action: { block: {} } });
      const matches = rule.statement.or_statement ? rule.statement.or_statement.statement : [rule.statement];
      expect(matches.map((m: any) => m.byte_match_statement.search_string)).toEqual(refused);
      for (const m of matches)
        expect(m.byte_match_statement).toMatchObject({
          positional_constraint: 'STARTS_WITH',
          field_to_match: { uri_path: {} },
          text_transformation: [
            { priority: 0, type: 'URL_DECODE' },
            { priority: 1, type: 'NORMALIZE_PATH_WIN' },
            { priority: 2, type: 'LOWERCASE' },
          ],
        });
    });

  it('answers the routes of a single-page app with /index.html, without masking the API or the allow-list', () => {
    const byFunction = frontend.spa && (apiBehindEdge(env) || frontend.allowedIpRanges !== undefined);
    const errors = distribution.custom_error_response;
    const association = distribution.default_cache_behavior.function_association;
    if (!frontend.spa) expect([errors, association]).toEqual([undefined, undefined]);
    else if (byFunction) {
      expect(errors).toBeUndefined();
      expect(association).toEqual([{ event_type: 'viewer-request', function_arn: `\${aws_cloudfront_function.${id}_spa_routes.arn}` }]);
      expect(resource(stack, 'aws_cloudfront_function', `${id}_spa_routes`)).toMatchObject({
        runtime: 'cloudfront-js-2.0',
        publish: true,
        code: SPA_ROUTING_CODE,
      });
      for (const b of distribution.ordered_cache_behavior) expect(b.function_association).toBeUndefined();
    } else {
      expect(association).toBeUndefined();
      expect(errors).toEqual(
        [403, 404].map((code) => ({ error_code: code, response_code: 200, response_page_path: '/index.html', error_caching_min_ttl: 0 })),
      );
    }
  });
});

describe.each(environmentStacks().filter(({ env }) => apiBehindEdge(env)))('$stack: the way in from the edge', ({ env, stack: name }) => {
  const stack = stacks[name];

  it('is one VPC origin to the internal load balancer, HTTPS only with TLS 1.2, shared by every distribution', () => {
    expect(Object.keys(resources(stack, 'aws_cloudfront_vpc_origin'))).toEqual(['edge_vpc_origin']);
    expect(resource(stack, 'aws_cloudfront_vpc_origin', 'edge_vpc_origin')).toMatchObject({
      vpc_origin_endpoint_config: [
        {
          arn: '${aws_lb.load_balancer_alb.arn}',
          name: `${prefixOf(shipped.project, env.name)}-api`,
          https_port: 443,
          origin_protocol_policy: 'https-only',
          origin_ssl_protocols: [{ items: ['TLSv1.2'], quantity: 1 }],
        },
      ],
    });
    // An attached VPC origin refuses every change, tags too (409; provider issue #40905): none of its own.
    expect(resource(stack, 'aws_cloudfront_vpc_origin', 'edge_vpc_origin').tags).toBeUndefined();
    expect(resource(stack, 'aws_lb', 'load_balancer_alb').internal).toBe(true);
    for (const f of env.frontends)
      expect(
        resource(stack, 'aws_cloudfront_distribution', `frontend_${f.name}_distribution`).origin.find((o: any) => o.origin_id === 'api')
          .vpc_origin_config.vpc_origin_id,
      ).toBe('${aws_cloudfront_vpc_origin.edge_vpc_origin.id}');
  });

  it('needs no shared secret: no secret of the edge, no generated value, no header only a secret protects', () => {
    const text = JSON.stringify(stack);
    expect(text).not.toMatch(/uuid\(|X-Origin-Verify|origin-verify/);
    expect(Object.keys(resources(stack, 'aws_secretsmanager_secret'))).toEqual([]);
  });
});

describe('the SPA routing function', () => {
  // CloudFront Functions are plain JavaScript: run the very code on requests.
  const route = (uri: string) => new Function(`${SPA_ROUTING_CODE}; return handler;`)()({ request: { uri } }).uri;
  it.each([
    ['/', '/index.html'],
    ['/orders/42', '/index.html'],
    ['/admin/users/', '/index.html'],
    ['/main-7QWRT2PX.js', '/main-7QWRT2PX.js'],
    ['/media/logo-ABCD1234.png', '/media/logo-ABCD1234.png'],
    ['/index.html', '/index.html'],
  ])('%s → %s', (uri, expected) => expect(route(uri)).toBe(expected));
});

describe('front-end settings', () => {
  it('a non-SPA front-end gets neither error responses nor a routing function', () => {
    const stack = synth(single('dev', { frontends: [{ name: 'docs', spa: false }] })).stacks['web-dev'];
    const d = resource(stack, 'aws_cloudfront_distribution', 'frontend_docs_distribution');
    expect([d.custom_error_response, d.default_cache_behavior.function_association]).toEqual([undefined, undefined]);
    expect(resources(stack, 'aws_cloudfront_function')).toEqual({});
  });

  it('no front-ends: no us-east-1 provider, no edge resources', () => {
    const stack = synth(single('dev', { frontends: [] })).stacks['web-dev'];
    expect(stack.provider.aws).toHaveLength(1);
    for (const type of ['aws_cloudfront_distribution', 'aws_cloudfront_vpc_origin', 'aws_cloudwatch_log_delivery'])
      expect(resources(stack, type)).toEqual({});
    expect(stack.output.frontend_urls).toBeUndefined();
  });

  it('a wider CSP and another price class reach the distribution', () => {
    const csp = "default-src 'self'; connect-src 'self' https://api.example.org";
    const stack = synth(single('dev', { frontends: [{ name: 'web', contentSecurityPolicy: csp }], edge: { priceClass: 'PriceClass_All' } }))
      .stacks['web-dev'];
    expect(resource(stack, 'aws_cloudfront_distribution', 'frontend_web_distribution').price_class).toBe('PriceClass_All');
    expect(
      resource(stack, 'aws_cloudfront_response_headers_policy', 'frontend_web_response_headers').security_headers_config
        .content_security_policy.content_security_policy,
    ).toBe(csp);
  });
});
