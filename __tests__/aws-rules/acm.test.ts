/**
 * ACM certificates as ACM requests them (moto issues a certificate for any name and key). Which service takes which
 * key is checked with the service (cloudfront.test.ts); the region of a certificate with its user (cloudfront.test.ts,
 * elb.test.ts). Run over every stack of every config under test; each rule also on a copy broken on purpose.
 */
import { problemsInEveryStack, problemsOfBroken, stacksWith, type Check } from '../support/aws-rules/rules';
import { resourcesOf } from '../support/aws-rules/terraform-json';

// ACM API Reference, RequestCertificate (DomainName: "the length of the domain name (technically, the Common Name) ...
// cannot exceed 64 octets (characters), including periods"; SubjectAlternativeNames: "The maximum length of a SAN DNS
// name is 253 octets ... No label can be longer than 63 octets", 10 names by default; KeyAlgorithm: "Algorithms
// supported for an ACM certificate request include: RSA_2048, EC_prime256v1, EC_secp384r1"; ValidationMethod DNS |
// EMAIL): https://docs.aws.amazon.com/acm/latest/APIReference/API_RequestCertificate.html
describe('requested certificates have names, a key and a validation method ACM takes (ACM API Reference, RequestCertificate)', () => {
  const label = /^(\*|[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)$/;
  const dnsName = (name: string) => name.length <= 253 && name.split('.').every((l, i) => label.test(l) && (l !== '*' || i === 0));
  const check: Check = (stack) =>
    resourcesOf(stack, 'aws_acm_certificate').flatMap((c) => {
      const b = c.body;
      if (b.private_key !== undefined || b.certificate_authority_arn !== undefined) return []; // imported or private: other rules
      const problems: string[] = [];
      const domain = String(b.domain_name);
      if (domain.length > 64) problems.push(`domain name of ${domain.length} characters (64 at most; longer names go in the SANs)`);
      const names = [domain, ...(b.subject_alternative_names ?? []).map(String)];
      for (const n of names.filter((x) => !dnsName(x))) problems.push(`name ${n}`);
      if (new Set(names).size > 10) problems.push(`${new Set(names).size} names (10 without a quota increase)`);
      if (b.key_algorithm !== undefined && !['RSA_2048', 'EC_prime256v1', 'EC_secp384r1'].includes(b.key_algorithm))
        problems.push(`key algorithm ${b.key_algorithm}`);
      if (!['DNS', 'EMAIL'].includes(b.validation_method)) problems.push(`validation method ${b.validation_method}`);
      return problems.map((p) => `${c.address}: ${p}`);
    });
  it('holds in every stack', () => {
    expect(stacksWith('aws_acm_certificate')).toBeGreaterThan(0);
    expect(problemsInEveryStack(check)).toEqual([]);
  });
  it('fails for a 65-character domain name and an RSA 4096 request', () => {
    const long = `${'a'.repeat(53)}.example.com`;
    const problems = problemsOfBroken(check, 'aws_acm_certificate', (s) => {
      const [c] = resourcesOf(s, 'aws_acm_certificate');
      Object.assign(c.body, { domain_name: long, key_algorithm: 'RSA_4096' });
    });
    expect(problems).toEqual([expect.stringContaining('domain name of 65 characters'), expect.stringContaining('key algorithm RSA_4096')]);
  });
});
