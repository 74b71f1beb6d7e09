/**
 * Route 53: alias records to CloudFront and to the load balancer, ACM's validation records, and record names, as
 * Route 53 checks them (moto hands out any hosted zone id and takes any alias target). Run over every stack of every
 * config under test; each rule also on a copy broken on purpose.
 */
import { bodyOf, problemsInEveryStack, problemsOfBroken, stacksWith, type Check } from '../support/aws-rules/rules';
import { attributeOf, blocks, resourcesOf, target, type Resource } from '../support/aws-rules/terraform-json';
import type { StackJson } from '../support/synth';

/** The hosted zone of every CloudFront distribution (Route 53 API Reference, AliasTarget). */
const CLOUDFRONT_ZONE = 'Z2FDTNDATAQYW2';
const records = (stack: StackJson) => resourcesOf(stack, 'aws_route53_record');
const literal = (value: unknown) => typeof value === 'string' && !value.includes('${');
const normalized = (name: string) => name.toLowerCase().replace(/\.$/, '');

it('the stacks under test have alias records to check', () => {
  expect(stacksWith('aws_route53_record')).toBeGreaterThan(0);
  const aliases = problemsInEveryStack((s) => records(s).flatMap((r) => blocks(r.body.alias).map((a) => String(target(s, a.name)?.type))));
  expect(new Set(aliases.map((a) => a.replace(/^.*: /, '')))).toEqual(new Set(['aws_cloudfront_distribution', 'aws_lb']));
});

// Route 53 API Reference, AliasTarget (HostedZoneId: "CloudFront distribution: Specify Z2FDTNDATAQYW2"; DNSName:
// "Your CloudFront distribution must include an alternate domain name that matches the name of the resource record
// set"; EvaluateTargetHealth: "You can't set EvaluateTargetHealth to true when the alias target is a CloudFront
// distribution"), and CloudFront API Reference, DistributionConfig, IsIPV6Enabled ("you need to create a second alias
// resource record set when ... You enable IPv6 for the distribution"): https://docs.aws.amazon.com/Route53/latest/APIReference/API_AliasTarget.html,
// https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_DistributionConfig.html
describe("aliases to CloudFront use its zone, don't evaluate health, name an alternate domain of the distribution, A and AAAA with IPv6 (Route 53 API Reference, AliasTarget)", () => {
  const check: Check = (stack) => {
    const problems: string[] = [];
    const byDistribution = new Map<string, Resource[]>();
    for (const r of records(stack)) {
      const alias = blocks(r.body.alias)[0];
      const d = alias && target(stack, alias.name, 'aws_cloudfront_distribution');
      if (!d) continue;
      byDistribution.set(d.address, [...(byDistribution.get(d.address) ?? []), r]);
      const zone = target(stack, alias.zone_id);
      if (alias.zone_id !== CLOUDFRONT_ZONE && !(zone?.address === d.address && attributeOf(alias.zone_id) === 'hosted_zone_id'))
        problems.push(`${r.address}: alias zone ${alias.zone_id}, not CloudFront's ${CLOUDFRONT_ZONE}`);
      if (alias.evaluate_target_health === true) problems.push(`${r.address}: evaluates the health of a distribution`);
      if (!['A', 'AAAA'].includes(r.body.type)) problems.push(`${r.address}: a ${r.body.type} alias to a distribution`);
      const aliases: string[] = (d.body.aliases ?? []).map((a: unknown) => normalized(String(a)));
      if (!aliases.includes(normalized(String(r.body.name))))
        problems.push(`${r.address}: ${r.body.name} is no alternate domain of ${d.address}`);
    }
    for (const d of resourcesOf(stack, 'aws_cloudfront_distribution')) {
      if (d.body.is_ipv6_enabled !== true) continue;
      for (const name of new Set((byDistribution.get(d.address) ?? []).map((r) => normalized(String(r.body.name))))) {
        const types = (byDistribution.get(d.address) ?? []).filter((r) => normalized(String(r.body.name)) === name).map((r) => r.body.type);
        for (const missing of ['A', 'AAAA'].filter((t) => !types.includes(t)))
          problems.push(`${d.address}: IPv6 is on, ${name} has no ${missing} alias`);
      }
    }
    return problems;
  };
  it('holds in every stack', () => expect(problemsInEveryStack(check)).toEqual([]));
  it("fails for the load balancer's zone, health evaluation, a name the distribution does not serve, and a missing AAAA", () => {
    const problems = problemsOfBroken(check, 'aws_route53_record', (s) => {
      const cloudfront = records(s).filter((r) => target(s, blocks(r.body.alias)[0]?.name, 'aws_cloudfront_distribution'));
      const a = cloudfront.find((r) => r.body.type === 'A') as Resource;
      Object.assign(a.body.alias, { zone_id: 'Z32O12XQLNTSW2', evaluate_target_health: true });
      const aaaa = cloudfront.find((r) => r.body.type === 'AAAA' && r.body.name !== a.body.name) as Resource;
      aaaa.body.name = 'shop.example.com';
      delete s.resource.aws_route53_record[cloudfront.find((r) => r.body.type === 'AAAA' && r.body.name === a.body.name)?.name as string];
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining("alias zone Z32O12XQLNTSW2, not CloudFront's Z2FDTNDATAQYW2"),
        expect.stringContaining('evaluates the health of a distribution'),
        expect.stringContaining('shop.example.com is no alternate domain'),
        expect.stringMatching(/IPv6 is on, \S+ has no AAAA alias$/),
      ]),
    );
  });
});

// Route 53 API Reference, AliasTarget (HostedZoneId, "ELB load balancer: Specify the value of the hosted zone ID for
// the load balancer"; DNSName its DNS name): https://docs.aws.amazon.com/Route53/latest/APIReference/API_AliasTarget.html
describe('aliases to a load balancer name its DNS name and its own hosted zone (Route 53 API Reference, AliasTarget)', () => {
  const check: Check = (stack) =>
    records(stack).flatMap((r) => {
      const alias = blocks(r.body.alias)[0];
      const lb = alias && target(stack, alias.name, 'aws_lb');
      if (!lb) return [];
      const problems: string[] = [];
      if (attributeOf(alias.name) !== 'dns_name') problems.push(`${r.address}: alias to ${lb.address}.${attributeOf(alias.name)}`);
      if (target(stack, alias.zone_id)?.address !== lb.address || attributeOf(alias.zone_id) !== 'zone_id')
        problems.push(`${r.address}: alias zone ${alias.zone_id}, not ${lb.address}'s`);
      return problems;
    });
  it('holds in every stack', () => expect(problemsInEveryStack(check)).toEqual([]));
  it("fails for CloudFront's zone on a load balancer alias", () => {
    const problems = problemsOfBroken(check, 'aws_route53_record', (s) => {
      const record = records(s).find((r) => target(s, blocks(r.body.alias)[0]?.name, 'aws_lb')) as Resource;
      record.body.alias.zone_id = CLOUDFRONT_ZONE;
    });
    expect(problems).toEqual([expect.stringMatching(/alias zone Z2FDTNDATAQYW2, not aws_lb\.\S+'s$/)]);
  });
});

/** The certificate whose `domain_validation_options` a record's `for_each` iterates over, if any. */
function certificateValidatedBy(stack: StackJson, record: Resource): Resource | undefined {
  const address = /(aws_acm_certificate\.[A-Za-z0-9_-]+)\.domain_validation_options/.exec(String(record.body.for_each ?? ''))?.[1];
  return address ? target(stack, `\${${address}.arn}`, 'aws_acm_certificate') : undefined;
}

// ACM User Guide, "AWS Certificate Manager DNS validation" (ACM checks a CNAME record of each domain name in the DNS
// zone that serves it), and Route 53 Developer Guide, "Values that you specify when you create or edit Amazon Route 53
// records" (a record of a hosted zone is the zone's domain name or a subdomain of it):
// https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html,
// https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-values.html
describe('validation records go to the hosted zone of the names they validate, and every validation waits for them (ACM User Guide, DNS validation)', () => {
  const check: Check = (stack) =>
    records(stack).flatMap((r) => {
      const certificate = certificateValidatedBy(stack, r);
      if (!certificate) return [];
      const problems: string[] = [];
      const names = [certificate.body.domain_name, ...(certificate.body.subject_alternative_names ?? [])].map((n) => normalized(String(n)));
      for (const other of records(stack).filter(
        (o) => o.address !== r.address && literal(o.body.name) && names.includes(normalized(o.body.name)),
      ))
        if (literal(r.body.zone_id) && literal(other.body.zone_id) && r.body.zone_id !== other.body.zone_id)
          problems.push(
            `${r.address}: validates ${other.body.name} in ${r.body.zone_id}, where ${other.address} serves it from ${other.body.zone_id}`,
          );
      const validations = resourcesOf(stack, 'aws_acm_certificate_validation').filter(
        (v) => target(stack, v.body.certificate_arn)?.address === certificate.address,
      );
      if (validations.length === 0) problems.push(`${r.address}: no validation of ${certificate.address} waits for it`);
      for (const v of validations)
        if (
          !String(v.body.validation_record_fqdns).includes(`${r.address}:`) &&
          !String(v.body.validation_record_fqdns).includes(`${r.address}.`)
        )
          problems.push(`${v.address}: does not wait for ${r.address}`);
      return problems;
    });
  it('holds in every stack', () => {
    expect(
      problemsInEveryStack((s) =>
        records(s)
          .filter((r) => certificateValidatedBy(s, r))
          .map((r) => r.address),
      ).length,
    ).toBeGreaterThan(0);
    expect(problemsInEveryStack(check)).toEqual([]);
  });
  it('fails for validation records written to another zone', () => {
    const problems = problemsOfBroken(check, 'aws_acm_certificate', (s) => {
      for (const r of records(s)) if (certificateValidatedBy(s, r)) r.body.zone_id = 'Z9999999999OTHER';
    });
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => /validates \S+ in Z9999999999OTHER, where aws_route53_record\.\S+ serves it from \S+$/.test(p))).toBe(
      true,
    );
  });
});

/** The longest run of trailing labels `names` share (`example.com` of `www.example.com` and `admin.example.com`). */
function sharedDomain(names: readonly string[]): string[] {
  const labels = names.map((n) => normalized(n).split('.').reverse());
  const shared: string[] = [];
  for (let i = 0; labels.every((l) => i < l.length && l[i] === labels[0][i]); i++) shared.push(labels[0][i]);
  return shared.reverse();
}

// Route 53 Developer Guide, "DNS domain name format" (a name of at most 255 octets, labels of at most 63), and
// "Values that you specify when you create or edit Amazon Route 53 records" (the records of a hosted zone are its
// domain name and subdomains of it, so the names in one zone share at least a registered domain, two labels):
// https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DomainNameFormat.html,
// https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-values.html
describe('record names are DNS names within one domain per hosted zone (Route 53 Developer Guide, DNS domain name format)', () => {
  const check: Check = (stack) => {
    const problems: string[] = [];
    const byZone = new Map<string, string[]>();
    for (const r of records(stack).filter((x) => literal(x.body.name) && literal(x.body.zone_id))) {
      const name = normalized(String(r.body.name));
      if (name.length > 255 || name.split('.').some((label) => label.length === 0 || label.length > 63))
        problems.push(`${r.address}: name ${r.body.name}`);
      byZone.set(r.body.zone_id, [...(byZone.get(r.body.zone_id) ?? []), name]);
    }
    for (const [zone, names] of byZone)
      if (names.length > 1 && sharedDomain(names).length < 2)
        problems.push(`zone ${zone}: ${[...new Set(names)].join(', ')} share no domain`);
    return problems;
  };
  it('holds in every stack', () => expect(problemsInEveryStack(check)).toEqual([]));
  it('fails for a record of another domain in the same zone, and a label of 64 characters', () => {
    const problems = problemsOfBroken(check, 'aws_route53_record', (s) => {
      const [first, second] = records(s).filter((r) => literal(r.body.name) && literal(r.body.zone_id));
      second.body.zone_id = first.body.zone_id;
      second.body.name = 'www.example.org';
      bodyOf(s, 'aws_route53_record', first.name).name = `${'a'.repeat(64)}.example.com`;
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/: name a{64}\.example\.com$/),
        expect.stringMatching(/www\.example\.org.* share no domain$/),
      ]),
    );
  });
});
