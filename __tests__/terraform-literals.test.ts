/**
 * Config text reaches AWS as written. Terraform reads every string of the synthesized JSON as a template, so
 * free text is escaped where a construct writes it (modules/terraform-literal.ts), refused where `${` or `%{`
 * can mean nothing, or kept out of templates; these tests read the output with the project's model of
 * Terraform's template parser (export/hcl.ts `parseTemplate`, itself checked against Terraform), and
 * boot.tf.test.ts has Terraform itself read the same attributes.
 */
import * as fc from 'fast-check';
import { Lazy } from 'cdktf';
import { platformJsonSchemaText } from '../config/reference';
import { findProblems } from '../config/validate';
import { parseTemplate } from '../export/hcl';
import { terraformLiteral } from '../modules/terraform-literal';
import { propertySeed } from './support/property';
import { resources, synth, synthValidated, type StackJson } from './support/synth';
import {
  TEMPLATE_COMMAND,
  TEMPLATE_CSP,
  TEMPLATE_EMAIL,
  TEMPLATE_REASON,
  TEMPLATE_VALUE,
  templateCspConfig,
  templateTextConfig,
} from './support/template-text';

/** What Terraform makes of a string: its literal text, or the sequences it would evaluate. */
const literalText = (template: string) => {
  const parts = parseTemplate(template);
  return parts.every((p) => p.kind === 'literal') ? parts.map((p) => p.text).join('') : parts;
};

describe('terraformLiteral', () => {
  it.each([
    ['plain text', "default-src 'self'", "default-src 'self'"],
    ['an interpolation', 'a ${x} b', 'a $${x} b'],
    ['a directive', '%{ if x }y%{ endif }', '%%{ if x }y%%{ endif }'],
    ['text that looks escaped already', '$${x} %%{x}', '$$${x} %%%{x}'],
    ['a $ or % without a brace', '$x %d {y}', '$x %d {y}'],
  ])('%s', (_name, text, written) => {
    expect(terraformLiteral(text)).toBe(written);
    expect(literalText(written)).toBe(text);
  });

  it("leaves cdktf's tokens to cdktf and escapes the text around them", () => {
    const token = Lazy.stringValue({ produce: () => 'resolved' });
    expect(terraformLiteral(`\${x}-${token}-%{y}`)).toBe(`$\${x}-${token}-%%{y}`);
  });

  it('any text: Terraform reads back exactly the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('$', '%', '{', '}', 'x', ' ', '"', '\\'), minLength: 1, maxLength: 24 }), (text) => {
        expect(literalText(terraformLiteral(text))).toBe(text);
      }),
      { seed: propertySeed(), numRuns: 500 },
    );
  });
});

/** Texts that would hold `${` or `%{` in the positions the fields' rules allow. */
const PROBES = [
  '${x}',
  '%{x}',
  'a${x}',
  'a%{x}',
  '/${x}',
  'ops${x}@example.com',
  'ops%{x}@example.com',
  "default-src 'self' ${x}",
  "default-src 'self' %{x}",
  'A reason that mentions ${x} here.',
];

/** How each schema field whose rule lets `${` or `%{` through keeps it from being read as a template. */
const DECIDED: Record<string, string> = {
  $schema: 'read by editors only; no stack uses it',
  'environments[].alarmEmail': 'escaped where the alerts write it (terraformLiteral)',
  'environments[].application.command[]': 'base64 in the user data (settings.json), never in a template',
  'environments[].application.environment.*': 'base64 in the user data (settings.json), never in a template',
  'environments[].policySuppressions[].reason': 'recorded in "//" comments, which Terraform does not read',
};

describe('every field of the schema whose rule lets ${ or %{ through is decided', () => {
  it('the fields found are exactly those decided', () => {
    const found = new Set<string>();
    const walk = (node: any, path: string): void => {
      if (!node || typeof node !== 'object') return;
      const patterns: string[] = [
        ...(typeof node.pattern === 'string' ? [node.pattern] : []),
        ...((node.allOf ?? []) as any[]).filter((n) => typeof n.pattern === 'string').map((n) => n.pattern),
      ];
      if (node.type === 'string' && node.enum === undefined && node.const === undefined) {
        const regexps = patterns.map((p) => new RegExp(p, 'u'));
        if (PROBES.some((probe) => regexps.every((r) => r.test(probe)))) found.add(path);
      }
      for (const [key, value] of Object.entries(node.properties ?? {})) walk(value, path === '' ? key : `${path}.${key}`);
      if (node.items) walk(node.items, `${path}[]`);
      if (node.additionalProperties) walk(node.additionalProperties, `${path}.*`);
      if (node.propertyNames) walk(node.propertyNames, `${path}.<key>`);
      for (const option of [...(node.anyOf ?? []), ...(node.oneOf ?? [])]) walk(option, path);
    };
    walk(JSON.parse(platformJsonSchemaText()), '');
    expect([...found].sort()).toEqual(Object.keys(DECIDED).sort());
  });
});

/** Every string of `stack` Terraform evaluates: all but the `//` comments. */
function templates(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) templates(v, out);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) if (k !== '//') templates(v, out);
  return out;
}
/** Sequences Terraform would evaluate, over every string of `stack`. */
const sequences = (stack: StackJson) =>
  templates(stack)
    .flatMap((t) => parseTemplate(t))
    .filter((p) => p.kind !== 'literal')
    .map((p) => (p as { source: string }).source);
/** The planted sequences, in the forms they were written. */
const PLANTED = /^(\$\{x\}|%\{ ?(x|if true|endif) ?\})$/;

describe('a config with template text in every free-text field', () => {
  const config = templateTextConfig();
  const { stacks } = synth(config);
  const webStacks = Object.entries(stacks).filter(([name]) => name !== 'web-state');

  it('is valid', () => {
    expect(findProblems(config)).toEqual([]);
  });

  it.each(webStacks)('%s: Terraform evaluates none of it', (_name, stack) => {
    expect(sequences(stack).filter((s) => PLANTED.test(s))).toEqual([]);
  });

  it.each(webStacks)('%s: the alarm e-mail is subscribed as written', (_name, stack) => {
    const endpoints = Object.values(resources(stack, 'aws_sns_topic_subscription')).map((s) => s.endpoint);
    expect(endpoints).toEqual([terraformLiteral(TEMPLATE_EMAIL)]);
    expect(endpoints.map(literalText)).toEqual([TEMPLATE_EMAIL]);
  });

  it.each(webStacks)('%s: the environment and command reach the instances as written', (_name, stack) => {
    const script: string = stack.locals!.app_servers_user_data;
    const line = script.split('\n').find((l) => l.startsWith('write /etc/webapp/settings.json '))!;
    const settings = JSON.parse(Buffer.from(/'(.*)'$/.exec(line)![1], 'base64').toString('utf8'));
    expect(settings.environment.TEMPLATE).toBe(TEMPLATE_VALUE);
    expect(settings.command).toEqual(TEMPLATE_COMMAND);
  });

  it('the suppression reason is recorded as written, in a comment Terraform does not read', () => {
    expect(stacks['web-dev']['//'].policy.suppressions).toContainEqual(
      expect.objectContaining({ rule: 'elb-waf', reason: TEMPLATE_REASON }),
    );
  });
});

describe('a Content-Security-Policy with template text', () => {
  it('is refused by validation (the message is a bad-config case)', () => {
    const config = structuredClone(templateTextConfig()) as any;
    // A new front-end object: structuredClone keeps objects the config shares (an environment made as a
    // copy of another shares its front-ends), so editing one in place would edit both.
    const [first, ...rest] = config.environments[0].frontends;
    config.environments[0].frontends = [{ ...first, contentSecurityPolicy: TEMPLATE_CSP }, ...rest];
    expect(findProblems(config)).toEqual([expect.stringContaining('; allowed: a Content-Security-Policy without "${" or "%{"')]);
  });

  it('given to the constructs anyway (a validated config edited afterwards), is written as a literal', () => {
    const { stacks } = synthValidated(templateCspConfig());
    for (const stack of Object.values(stacks)) {
      const policies = Object.values(resources(stack, 'aws_cloudfront_response_headers_policy'));
      for (const p of policies) {
        const csp: string = p.security_headers_config.content_security_policy.content_security_policy;
        expect(csp).toBe(terraformLiteral(TEMPLATE_CSP));
        expect(literalText(csp)).toBe(TEMPLATE_CSP);
      }
      expect(sequences(stack).filter((s) => PLANTED.test(s))).toEqual([]);
    }
    expect(Object.values(stacks).flatMap((s) => Object.keys(resources(s, 'aws_cloudfront_response_headers_policy')))).not.toEqual([]);
  });
});
