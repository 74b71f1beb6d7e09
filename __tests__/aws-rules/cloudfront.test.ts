/**
 * CloudFront: what CloudFront refuses, or accepts and then serves wrongly, that the emulator does not check (moto
 * has no CloudFront functions, response headers policies or VPC origins at all: support/emulator-gaps.ts). Run over
 * every stack of every config under test; each rule also on a copy broken on purpose.
 */
import { certificateBehind, covers, namesOf } from '../support/aws-rules/certificates';
import { bodyOf, problemsInEveryStack, problemsOfBroken, stacksWith, type Check } from '../support/aws-rules/rules';
import { blocks, providerOf, regionOf, resourcesOf, target } from '../support/aws-rules/terraform-json';
import type { StackJson } from '../support/synth';

const distributions = (stack: StackJson) => resourcesOf(stack, 'aws_cloudfront_distribution');
const behavioursOf = (d: Record<string, any>) => [...blocks(d.default_cache_behavior), ...blocks(d.ordered_cache_behavior)];
/** Breaks the us-east-1 provider of a copy: it now points at the stack's own region. */
const moveEdgeProvider = (stack: StackJson) => {
  const edge = blocks(stack.provider.aws).find((p) => p.alias !== undefined) as Record<string, any>;
  edge.region = 'eu-west-1';
};

it('the stacks under test have distributions to check', () => {
  expect(stacksWith('aws_cloudfront_distribution')).toBeGreaterThan(0);
  expect(stacksWith('aws_cloudfront_vpc_origin')).toBeGreaterThan(0);
  expect(stacksWith('aws_cloudfront_function')).toBeGreaterThan(0);
});

// CloudFront API Reference, ViewerCertificate, ACMCertificateArn ("CloudFront only supports ACM certificates in the
// US East (N. Virginia) Region (us-east-1)"), and CloudFront Developer Guide, "Requirements for using SSL/TLS
// certificates with CloudFront": https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_ViewerCertificate.html,
// https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cnames-and-https-requirements.html
describe('viewer certificates come from ACM in us-east-1 (CloudFront API Reference, ViewerCertificate)', () => {
  const check: Check = (stack) =>
    distributions(stack).flatMap((d) => {
      const arn = blocks(d.body.viewer_certificate)[0]?.acm_certificate_arn;
      if (arn === undefined) return [];
      const { certificate, validation, region } = certificateBehind(stack, arn);
      if (!region) return [`${d.address}: certificate ${arn} is neither a certificate of the stack nor an ACM ARN`];
      const problems = region === 'us-east-1' ? [] : [`${d.address}: its certificate ${certificate?.address ?? arn} is in ${region}`];
      if (validation && regionOf(stack, validation.body) !== region)
        problems.push(`${validation.address} looks for its certificate in another region`);
      return problems;
    });
  it('holds in every stack', () => expect(problemsInEveryStack(check)).toEqual([]));
  it('fails when the provider of the edge points at another region', () => {
    const problems = problemsOfBroken(check, 'aws_acm_certificate', moveEdgeProvider);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => /its certificate aws_acm_certificate\.\S+ is in eu-west-1/.test(p))).toBe(true);
  });
});

const POLICIES = [
  'SSLv3',
  'TLSv1',
  'TLSv1_2016',
  'TLSv1.1_2016',
  'TLSv1.2_2018',
  'TLSv1.2_2019',
  'TLSv1.2_2021',
  'TLSv1.2_2025',
  'TLSv1.3_2025',
];

// CloudFront API Reference, ViewerCertificate (CloudFrontDefaultCertificate: "If the distribution uses Aliases ...
// set this field to false and specify ... ACMCertificateArn ... MinimumProtocolVersion, SSLSupportMethod";
// ACMCertificateArn: "you must also specify values for MinimumProtocolVersion and SSLSupportMethod"), and CloudFront
// Developer Guide, "Requirements for using SSL/TLS certificates with CloudFront", Domain names in the CloudFront
// distribution and in the certificate: https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_ViewerCertificate.html
describe('alternate domain names have a certificate of their own that covers them, with SNI and a security policy (CloudFront API Reference, ViewerCertificate)', () => {
  const check: Check = (stack) =>
    distributions(stack).flatMap((d) => {
      const aliases: string[] = (d.body.aliases ?? []).map(String);
      const viewer = blocks(d.body.viewer_certificate)[0] ?? {};
      if (viewer.cloudfront_default_certificate === true)
        return aliases.length > 0 ? [`${d.address}: aliases ${aliases.join(', ')} on the *.cloudfront.net certificate`] : [];
      const problems: string[] = [];
      if (!['sni-only', 'vip', 'static-ip'].includes(viewer.ssl_support_method))
        problems.push(`${d.address}: SSL support method ${viewer.ssl_support_method}`);
      if (!POLICIES.includes(viewer.minimum_protocol_version))
        problems.push(`${d.address}: security policy ${viewer.minimum_protocol_version}`);
      const { certificate } = certificateBehind(stack, viewer.acm_certificate_arn);
      if (certificate) {
        const names = namesOf(certificate);
        for (const alias of aliases.filter((a) => !names.some((n) => covers(n, a))))
          problems.push(`${d.address}: ${certificate.address} (${names.join(', ')}) does not cover ${alias}`);
      }
      return problems;
    });
  it('holds in every stack', () => expect(problemsInEveryStack(check)).toEqual([]));
  it('fails for an alias the certificate does not name, and for an alias on the default certificate', () => {
    const other = problemsOfBroken(check, 'aws_acm_certificate', (s) => {
      const d = distributions(s).find((x) => (x.body.aliases ?? []).length > 0)?.body as Record<string, any>;
      d.aliases = [...d.aliases, 'shop.example.org'];
    });
    expect(other).toEqual([expect.stringMatching(/does not cover shop\.example\.org$/)]);
    const onDefault = problemsOfBroken(check, 'aws_cloudfront_distribution', (s) => {
      const d = bodyOf(s, 'aws_cloudfront_distribution');
      Object.assign(d, {
        aliases: ['www.example.com'],
        viewer_certificate: { cloudfront_default_certificate: true, minimum_protocol_version: 'TLSv1' },
      });
    });
    expect(onDefault).toEqual([expect.stringContaining('aliases www.example.com on the *.cloudfront.net certificate')]);
  });
});

// ACM User Guide, "Prerequisites for importing ACM certificates" ("CloudFront only supports 1024-bit RSA, 2048-bit
// RSA, 3072-bit RSA, 4096-bit RSA, and Elliptic Prime Curve 256-bit keys"):
// https://docs.aws.amazon.com/acm/latest/userguide/import-certificate-prerequisites.html
describe('certificates of distributions use a key CloudFront supports (ACM User Guide, Prerequisites for importing ACM certificates)', () => {
  const CLOUDFRONT_KEYS = ['RSA_1024', 'RSA_2048', 'RSA_3072', 'RSA_4096', 'EC_prime256v1'];
  const check: Check = (stack) =>
    distributions(stack).flatMap((d) => {
      const { certificate } = certificateBehind(stack, blocks(d.body.viewer_certificate)[0]?.acm_certificate_arn);
      const key = String(certificate?.body.key_algorithm ?? 'RSA_2048');
      return certificate && !CLOUDFRONT_KEYS.includes(key) ? [`${d.address}: ${certificate.address} has a ${key} key`] : [];
    });
  it('holds in every stack', () => expect(problemsInEveryStack(check)).toEqual([]));
  it('fails for a P-384 key', () => {
    const problems = problemsOfBroken(check, 'aws_acm_certificate', (s) => {
      for (const c of resourcesOf(s, 'aws_acm_certificate')) c.body.key_algorithm = 'EC_secp384r1';
    });
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => p.endsWith('has a EC_secp384r1 key'))).toBe(true);
  });
});

// CloudFront API Reference, DistributionConfig, DefaultRootObject ("Your string can't begin with a forward slash"),
// AllowedMethods ("There are three choices") and CachedMethods ("There are two choices"), CacheBehavior
// (TargetOriginId: "The value of ID for the origin"): https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_DistributionConfig.html,
// https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_AllowedMethods.html
describe('the default root object, methods and origins of every behaviour are ones CloudFront takes (CloudFront API Reference, DistributionConfig, AllowedMethods)', () => {
  const ALLOWED = ['GET,HEAD', 'GET,HEAD,OPTIONS', 'DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT'];
  const CACHED = ['GET,HEAD', 'GET,HEAD,OPTIONS'];
  const set = (methods: unknown) => [...new Set(((methods as string[]) ?? []).map(String))].sort().join(',');
  const check: Check = (stack) =>
    distributions(stack).flatMap((d) => {
      const problems: string[] = [];
      const root = d.body.default_root_object;
      if (root !== undefined && (String(root).startsWith('/') || String(root).length > 255))
        problems.push(`${d.address}: default root object "${root}"`);
      const origins = blocks(d.body.origin).map((o) => String(o.origin_id));
      if (new Set(origins).size !== origins.length) problems.push(`${d.address}: origin ids ${origins.join(', ')} repeat`);
      const patterns = blocks(d.body.ordered_cache_behavior).map((b) => String(b.path_pattern));
      if (new Set(patterns).size !== patterns.length) problems.push(`${d.address}: path patterns ${patterns.join(', ')} repeat`);
      for (const b of behavioursOf(d.body)) {
        const where = `${d.address} ${b.path_pattern ?? 'default'} behaviour`;
        if (!origins.includes(String(b.target_origin_id))) problems.push(`${where}: no origin ${b.target_origin_id}`);
        if (!ALLOWED.includes(set(b.allowed_methods))) problems.push(`${where}: allowed methods ${set(b.allowed_methods)}`);
        if (!CACHED.includes(set(b.cached_methods))) problems.push(`${where}: cached methods ${set(b.cached_methods)}`);
      }
      return problems;
    });
  it('holds in every stack', () => expect(problemsInEveryStack(check)).toEqual([]));
  it('fails for "/index.html", GET and POST alone, and a behaviour without its origin', () => {
    const problems = problemsOfBroken(check, 'aws_cloudfront_distribution', (s) => {
      const d = bodyOf(s, 'aws_cloudfront_distribution');
      d.default_root_object = '/index.html';
      d.default_cache_behavior.allowed_methods = ['GET', 'POST'];
      d.default_cache_behavior.target_origin_id = 'gone';
    });
    expect(problems).toEqual([
      expect.stringContaining('default root object "/index.html"'),
      expect.stringContaining('default behaviour: no origin gone'),
      expect.stringContaining('default behaviour: allowed methods GET,POST'),
    ]);
  });
});

// CloudFront Developer Guide, "Restrict access to an Amazon S3 origin" (an origin access control of origin type s3,
// signing with SigV4) and CloudFront API Reference, OriginAccessControlConfig (SigningBehavior: never | always |
// no-override; SigningProtocol: sigv4): https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html,
// https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_OriginAccessControlConfig.html
describe('S3 origins are read through an origin access control for S3 that signs with SigV4 (CloudFront Developer Guide, Restrict access to an Amazon S3 origin)', () => {
  const check: Check = (stack) =>
    distributions(stack).flatMap((d) =>
      blocks(d.body.origin).flatMap((o) => {
        const bucket = target(stack, o.domain_name, 'aws_s3_bucket');
        if (!bucket) return [];
        const oac = target(stack, o.origin_access_control_id, 'aws_cloudfront_origin_access_control');
        if (!oac) return [`${d.address} origin ${o.origin_id}: the bucket ${bucket.address} without an origin access control of the stack`];
        const b = oac.body;
        const problems: string[] = [];
        if (b.origin_access_control_origin_type !== 's3')
          problems.push(`${oac.address}: origin type ${b.origin_access_control_origin_type} for a bucket`);
        if (b.signing_protocol !== 'sigv4') problems.push(`${oac.address}: signing protocol ${b.signing_protocol}`);
        if (!['always', 'never', 'no-override'].includes(b.signing_behavior))
          problems.push(`${oac.address}: signing behaviour ${b.signing_behavior}`);
        return problems;
      }),
    );
  it('holds in every stack', () => expect(problemsInEveryStack(check)).toEqual([]));
  it('fails for an origin access control of MediaStore', () => {
    const problems = problemsOfBroken(check, 'aws_cloudfront_origin_access_control', (s) => {
      for (const oac of resourcesOf(s, 'aws_cloudfront_origin_access_control')) oac.body.origin_access_control_origin_type = 'mediastore';
    });
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => p.endsWith('origin type mediastore for a bucket'))).toBe(true);
  });
});

/** Headers CloudFront cannot add to origin requests, and the prefixes it keeps to itself. */
const RESERVED_ORIGIN_HEADERS = [
  'cache-control', 'connection', 'content-length', 'cookie', 'host', 'if-match', 'if-modified-since', 'if-none-match', 'if-range',
  'if-unmodified-since', 'max-forwards', 'pragma', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'range',
  'request-range', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'via', 'x-real-ip',
]; // prettier-ignore

// CloudFront Developer Guide, "Add custom headers to origin requests", Custom headers that CloudFront can't add to
// origin requests (the list, and "Headers that begin with X-Amz-", "Headers that begin with X-Edge-"):
// https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/add-origin-custom-headers.html#add-origin-custom-headers-denylist
describe("origin custom headers are none CloudFront refuses to add (CloudFront Developer Guide, Custom headers that CloudFront can't add to origin requests)", () => {
  const check: Check = (stack) =>
    distributions(stack).flatMap((d) =>
      blocks(d.body.origin).flatMap((o) =>
        blocks(o.custom_header)
          .map((h) => String(h.name))
          .filter((name) => RESERVED_ORIGIN_HEADERS.includes(name.toLowerCase()) || /^x-(amz|edge)-/i.test(name))
          .map((name) => `${d.address} origin ${o.origin_id}: custom header ${name}`),
      ),
    );
  it('holds in every stack', () => expect(problemsInEveryStack(check)).toEqual([]));
  it('fails for X-Amz-Frontend and Host', () => {
    const problems = problemsOfBroken(check, 'aws_cloudfront_vpc_origin', (s) => {
      const origin = blocks(bodyOf(s, 'aws_cloudfront_distribution').origin).find((o) => o.custom_header) as Record<string, any>;
      origin.custom_header = [
        { name: 'X-Amz-Frontend', value: 'a' },
        { name: 'Host', value: 'b' },
      ];
    });
    expect(problems).toEqual([expect.stringContaining('custom header X-Amz-Frontend'), expect.stringContaining('custom header Host')]);
  });
});

// CloudFront API Reference, CreateFunction (Name: [a-zA-Z0-9-_]{1,64}; FunctionConfig.Runtime: cloudfront-js-1.0 |
// cloudfront-js-2.0), FunctionAssociations ("Your functions must be published to the LIVE stage to associate them
// with a cache behavior"), and CloudFront Developer Guide, "Restrictions on CloudFront Functions" / Quotas (function
// size 10 KB; viewer request and viewer response events only, one function per event type):
// https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CreateFunction.html,
// https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cloudfront-function-restrictions.html
describe('CloudFront Functions: a runtime and size CloudFront takes, published, on viewer events, one per event (CloudFront API Reference, CreateFunction, FunctionAssociations)', () => {
  const check: Check = (stack) => {
    const problems = resourcesOf(stack, 'aws_cloudfront_function').flatMap((f) => [
      ...(['cloudfront-js-1.0', 'cloudfront-js-2.0'].includes(f.body.runtime) ? [] : [`${f.address}: runtime ${f.body.runtime}`]),
      ...(/^[a-zA-Z0-9_-]{1,64}$/.test(String(f.body.name)) ? [] : [`${f.address}: name ${JSON.stringify(f.body.name)}`]),
      ...(Buffer.byteLength(String(f.body.code)) <= 10 * 1024
        ? []
        : [`${f.address}: ${Buffer.byteLength(String(f.body.code))} bytes of code (10 KB at most)`]),
    ]);
    for (const d of distributions(stack))
      for (const b of behavioursOf(d.body)) {
        const where = `${d.address} ${b.path_pattern ?? 'default'} behaviour`;
        const associations = blocks(b.function_association);
        const events = associations.map((a) => String(a.event_type));
        if (new Set(events).size !== events.length) problems.push(`${where}: two functions on one event (${events.join(', ')})`);
        for (const a of associations) {
          if (!['viewer-request', 'viewer-response'].includes(a.event_type))
            problems.push(`${where}: a CloudFront function on ${a.event_type}`);
          const f = target(stack, a.function_arn, 'aws_cloudfront_function');
          if (f && f.body.publish !== true) problems.push(`${where}: ${f.address} is not published to LIVE`);
        }
      }
    return problems;
  };
  it('holds in every stack', () => expect(problemsInEveryStack(check)).toEqual([]));
  it('fails for an unpublished function on origin requests, and 11 KB of code', () => {
    const problems = problemsOfBroken(check, 'aws_cloudfront_function', (s) => {
      const [f] = resourcesOf(s, 'aws_cloudfront_function');
      Object.assign(f.body, { publish: false, code: `${f.body.code}//${'x'.repeat(11 * 1024)}` });
      const d = distributions(s).find((x) =>
        blocks(x.body.default_cache_behavior)[0]?.function_association?.[0]?.function_arn?.includes(f.name),
      );
      (d?.body.default_cache_behavior.function_association[0] as Record<string, any>).event_type = 'origin-request';
    });
    expect(problems).toEqual([
      expect.stringMatching(/bytes of code \(10 KB at most\)$/),
      expect.stringContaining('a CloudFront function on origin-request'),
      expect.stringContaining('is not published to LIVE'),
    ]);
  });
});

// CloudFront Developer Guide, Quotas, "Quotas on response headers policies" (Content-Security-Policy header value: 1,783
// characters at most), and CloudFront API Reference, ResponseHeadersPolicySecurityHeadersConfig (FrameOption: DENY |
// SAMEORIGIN; ReferrerPolicy values): https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cloudfront-limits.html,
// https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_ResponseHeadersPolicySecurityHeadersConfig.html
describe('response headers policies within what CloudFront takes: CSP ≤ 1,783 characters, known frame and referrer values (CloudFront Developer Guide, Quotas)', () => {
  const REFERRERS = [
    'no-referrer', 'no-referrer-when-downgrade', 'origin', 'origin-when-cross-origin', 'same-origin', 'strict-origin',
    'strict-origin-when-cross-origin', 'unsafe-url',
  ]; // prettier-ignore
  const check: Check = (stack) =>
    resourcesOf(stack, 'aws_cloudfront_response_headers_policy').flatMap((p) => {
      const security = blocks(p.body.security_headers_config)[0] ?? {};
      const csp = blocks(security.content_security_policy)[0]?.content_security_policy;
      const frame = blocks(security.frame_options)[0]?.frame_option;
      const referrer = blocks(security.referrer_policy)[0]?.referrer_policy;
      return [
        ...(csp !== undefined && String(csp).length > 1783
          ? [`${p.address}: a Content-Security-Policy of ${String(csp).length} characters`]
          : []),
        ...(frame !== undefined && !['DENY', 'SAMEORIGIN'].includes(frame) ? [`${p.address}: frame option ${frame}`] : []),
        ...(referrer !== undefined && !REFERRERS.includes(referrer) ? [`${p.address}: referrer policy ${referrer}`] : []),
      ];
    });
  it('holds in every stack', () => expect(problemsInEveryStack(check)).toEqual([]));
  it('fails for a CSP of 1,784 characters and ALLOW-FROM framing', () => {
    const problems = problemsOfBroken(check, 'aws_cloudfront_response_headers_policy', (s) => {
      const security = bodyOf(s, 'aws_cloudfront_response_headers_policy').security_headers_config;
      security.content_security_policy.content_security_policy = `default-src 'self'; ${'a'.repeat(1764)}`;
      security.frame_options.frame_option = 'ALLOW-FROM';
    });
    expect(problems).toEqual([
      expect.stringContaining('a Content-Security-Policy of 1784 characters'),
      expect.stringContaining('frame option ALLOW-FROM'),
    ]);
  });
});

// CloudFront Developer Guide, "Configure standard logging (v2)" ("When calling the CloudWatch API to enable standard
// logging, you must specify the US East (N. Virginia) Region (us-east-1)"): the delivery source, its destination, the
// delivery and (the stacks' choice, which AWS does not state otherwise) the log group, all in us-east-1:
// https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logging.html
describe('standard logging (v2) of each distribution is set up in us-east-1 (CloudFront Developer Guide, Configure standard logging (v2))', () => {
  const check: Check = (stack) =>
    resourcesOf(stack, 'aws_cloudwatch_log_delivery_source').flatMap((source) => {
      if (!target(stack, source.body.resource_arn, 'aws_cloudfront_distribution')) return [];
      const problems: string[] = [];
      const inUsEast1 = (r: { address: string; body: Record<string, any> }, what: string) => {
        const region = regionOf(stack, r.body);
        if (region !== 'us-east-1') problems.push(`${r.address}: ${what} in ${region}`);
      };
      inUsEast1(source, 'the delivery source of a distribution');
      if (source.body.log_type !== 'ACCESS_LOGS') problems.push(`${source.address}: log type ${source.body.log_type}`);
      const deliveries = resourcesOf(stack, 'aws_cloudwatch_log_delivery').filter(
        (d) => target(stack, d.body.delivery_source_name)?.address === source.address,
      );
      if (deliveries.length === 0) problems.push(`${source.address}: no delivery`);
      for (const delivery of deliveries) {
        inUsEast1(delivery, 'the delivery');
        const destination = target(stack, delivery.body.delivery_destination_arn, 'aws_cloudwatch_log_delivery_destination');
        if (!destination) continue;
        inUsEast1(destination, 'the delivery destination');
        const group = target(
          stack,
          blocks(destination.body.delivery_destination_configuration)[0]?.destination_resource_arn,
          'aws_cloudwatch_log_group',
        );
        if (group) inUsEast1(group, 'the log group');
      }
      return problems;
    });
  it('holds in every stack', () => {
    expect(stacksWith('aws_cloudwatch_log_delivery_source')).toBeGreaterThan(0);
    expect(problemsInEveryStack(check)).toEqual([]);
  });
  it('fails when the provider of the edge points at another region', () => {
    const problems = problemsOfBroken(check, 'aws_cloudwatch_log_delivery_source', moveEdgeProvider);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/the delivery source of a distribution in eu-west-1$/),
        expect.stringMatching(/the log group in eu-west-1$/),
      ]),
    );
  });
});

// CloudFront Developer Guide, "Restrict access with VPC origins" (Application and Network Load Balancers and EC2
// instances "in private subnets"), CloudFront API Reference, VpcOriginEndpointConfig (HTTPPort, HTTPSPort,
// OriginProtocolPolicy: http-only | match-viewer | https-only; OriginSslProtocols: SSLv3 | TLSv1 | TLSv1.1 | TLSv1.2),
// and "Requirements for using SSL/TLS certificates with CloudFront" ("One of the domain names in the certificate must
// match the domain name that you specify for Origin Domain Name ... CloudFront returns HTTP status code 502"):
// https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-vpc-origins.html,
// https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_VpcOriginEndpointConfig.html
describe('VPC origins: an internal load balancer, ports and protocols CloudFront takes, and over HTTPS a certificate that covers the origin domain (CloudFront Developer Guide, Restrict access with VPC origins)', () => {
  const check: Check = (stack) =>
    resourcesOf(stack, 'aws_cloudfront_vpc_origin').flatMap((origin) => {
      const config = blocks(origin.body.vpc_origin_endpoint_config)[0] ?? {};
      const problems: string[] = [];
      for (const port of ['http_port', 'https_port'])
        if (!(Number(config[port]) >= 1 && Number(config[port]) <= 65535)) problems.push(`${origin.address}: ${port} ${config[port]}`);
      if (!['http-only', 'match-viewer', 'https-only'].includes(config.origin_protocol_policy))
        problems.push(`${origin.address}: protocol policy ${config.origin_protocol_policy}`);
      const ssl = blocks(config.origin_ssl_protocols)[0];
      const items: string[] = ssl?.items ?? [];
      if (ssl && (items.some((p) => !['SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2'].includes(p)) || Number(ssl.quantity) !== items.length))
        problems.push(`${origin.address}: SSL protocols ${items.join(', ')} (quantity ${ssl.quantity})`);
      const lb = target(stack, config.arn, 'aws_lb');
      if (!lb) return problems;
      if (lb.body.internal !== true) problems.push(`${origin.address}: ${lb.address} is internet-facing, not in private subnets`);
      if (config.origin_protocol_policy === 'http-only') return problems;
      const listener = resourcesOf(stack, 'aws_lb_listener').find(
        (l) => target(stack, l.body.load_balancer_arn)?.address === lb.address && Number(l.body.port) === Number(config.https_port),
      );
      if (!listener || listener.body.protocol !== 'HTTPS')
        return [...problems, `${origin.address}: ${lb.address} has no HTTPS listener on ${config.https_port}`];
      const { certificate } = certificateBehind(stack, listener.body.certificate_arn);
      if (!certificate) return problems;
      for (const d of distributions(stack))
        for (const o of blocks(d.body.origin).filter(
          (x) => target(stack, blocks(x.vpc_origin_config)[0]?.vpc_origin_id)?.address === origin.address,
        ))
          if (!namesOf(certificate).some((n) => covers(n, String(o.domain_name))))
            problems.push(
              `${d.address} origin ${o.origin_id}: ${certificate.address} does not cover the origin domain ${o.domain_name} (502)`,
            );
      return problems;
    });
  it('holds in every stack', () => expect(problemsInEveryStack(check)).toEqual([]));
  it('fails for an internet-facing load balancer, TLSv1.3, and an origin domain the certificate does not name', () => {
    const problems = problemsOfBroken(check, 'aws_cloudfront_vpc_origin', (s) => {
      bodyOf(s, 'aws_lb').internal = false;
      bodyOf(s, 'aws_cloudfront_vpc_origin').vpc_origin_endpoint_config[0].origin_ssl_protocols = [{ items: ['TLSv1.3'], quantity: 1 }];
      for (const d of distributions(s))
        for (const o of blocks(d.body.origin)) if (o.vpc_origin_config) o.domain_name = 'api.internal.example';
    });
    expect(problems[0]).toContain('SSL protocols TLSv1.3 (quantity 1)');
    expect(problems[1]).toMatch(/aws_lb\.\S+ is internet-facing/);
    expect(problems.slice(2).every((p) => p.endsWith('does not cover the origin domain api.internal.example (502)'))).toBe(true);
    expect(problems.length).toBeGreaterThan(2);
  });
});

// CloudFront API Reference, DistributionConfig (PriceClass: PriceClass_100 | PriceClass_200 | PriceClass_All;
// HttpVersion: http1.1 | http2 | http3 | http2and3), and CustomErrorResponse (ResponsePagePath with ResponseCode):
// https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_DistributionConfig.html,
// https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CustomErrorResponse.html
describe('price class, HTTP version and error responses are values CloudFront takes (CloudFront API Reference, DistributionConfig, CustomErrorResponse)', () => {
  const check: Check = (stack) =>
    distributions(stack).flatMap((d) => {
      const problems: string[] = [];
      if (d.body.price_class !== undefined && !['PriceClass_100', 'PriceClass_200', 'PriceClass_All'].includes(d.body.price_class))
        problems.push(`${d.address}: price class ${d.body.price_class}`);
      if (d.body.http_version !== undefined && !['http1.1', 'http2', 'http3', 'http2and3'].includes(d.body.http_version))
        problems.push(`${d.address}: HTTP version ${d.body.http_version}`);
      for (const e of blocks(d.body.custom_error_response)) {
        if ((e.response_page_path === undefined) !== (e.response_code === undefined))
          problems.push(`${d.address}: error ${e.error_code} has a page path or a response code alone`);
        if (e.response_page_path !== undefined && !String(e.response_page_path).startsWith('/'))
          problems.push(`${d.address}: error page ${e.response_page_path}`);
      }
      return problems;
    });
  it('holds in every stack', () => expect(problemsInEveryStack(check)).toEqual([]));
  it('fails for PriceClass_300 and an error page without its leading slash', () => {
    const problems = problemsOfBroken(check, 'aws_cloudfront_distribution', (s) => {
      const d = bodyOf(s, 'aws_cloudfront_distribution');
      d.price_class = 'PriceClass_300';
      d.custom_error_response = [{ error_code: 404, response_code: 200, response_page_path: 'index.html' }];
    });
    expect(problems).toEqual([expect.stringContaining('price class PriceClass_300'), expect.stringContaining('error page index.html')]);
  });
});

it('the edge provider of every stack with distributions is us-east-1', () => {
  // What the rules above rely on to tell a region: every distribution's stack names a provider per region.
  const problems = problemsInEveryStack((stack) =>
    distributions(stack).length > 0 && !blocks(stack.provider.aws).some((p) => p.region === 'us-east-1')
      ? [`no us-east-1 provider: ${JSON.stringify(providerOf(stack, {}))}`]
      : [],
  );
  expect(problems).toEqual([]);
});
