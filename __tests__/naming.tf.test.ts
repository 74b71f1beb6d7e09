/**
 * Every generated name fits AWS, by construction: random valid configs (project and environment names near
 * their limits, regions, zone counts, engines, classes, backends, scaling, firewall, tags) are validated; those
 * accepted are synthesized, and every name, tag and description in the JSON must meet its AWS rule and be one
 * the validation computed. A sample of the accepted stacks goes through `terraform validate`, whose provider
 * checks many of the same limits independently. Bounded and seeded (support/property.ts); fast-check prints
 * the seed and the smallest failing config.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as fc from 'fast-check';
import { prod, state } from '../config/environments';
import { CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS, zonesOf, REGIONS } from '../config/catalog';
import { findProblems, validateConfig } from '../config/validate';
import type { PlatformInput } from '../config/types';
import { MAX_TAGS_PER_RESOURCE, TAG_CHARACTERS, environmentNameList, nameViolation, stateNameList, type NameRule } from '../naming';
import * as rule from '../naming/rules';
import { TerraformWorkdir } from '../harness/terraform';
import { synthesizePlatform } from '../stacks';
import { NAME_ATTRIBUTES, NAME_LIKE, NOT_GENERATED, isLiteral } from './support/name-attributes';
import { CONTAINER_RELEASE, withOwnDomains, withoutCi } from './support/config';
import { propertySeed } from './support/property';

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
/** A project or environment name, mostly near the 12-character limit. */
const shortName = fc
  .tuple(
    fc.constantFrom(...LETTERS),
    fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 8, max: 11 }) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 11 }) }),
  )
  .chain(([first, rest]) =>
    fc.string({ unit: fc.constantFrom(...LETTERS, ...DIGITS), minLength: rest, maxLength: rest }).map((tail) => first + tail),
  );
const accountId = fc.string({ unit: fc.constantFrom(...DIGITS), minLength: 12, maxLength: 12 });
const tagText = fc
  .string({ unit: fc.constantFrom(...'abcXYZ09 _.:/=+-@éü日本'), minLength: 1, maxLength: 40 })
  .filter((t) => TAG_CHARACTERS.test(t));

const X86 = {
  ami: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64',
  types: ['t3.micro', 't3a.small', 'm6i.large', 'c7i.xlarge', 'm7i-flex.large'],
};
const ARM = {
  ami: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64',
  types: ['t4g.small', 'm7g.large', 'c8g.medium'],
};
const DATABASES = [
  { engine: 'mysql', versions: ['8.0', '8.4', '8.4.3', '8.0.40'] },
  { engine: 'postgres', versions: ['14', '15', '16', '17', '16.4'] },
] as const;
const CLASSES = ['db.t4g.medium', 'db.m7g.large', 'db.r6g.large', 'db.m6i.xlarge'];

/** One environment in `region`, compliant with the whole policy pack (prod's settings), `index` keeps VPCs apart. */
const environment = (region: string, index: number) =>
  fc
    .record({
      name: shortName,
      zones: fc.shuffledSubarray(zonesOf(region), { minLength: 2, maxLength: Math.min(3, zonesOf(region).length) }),
      arch: fc.constantFrom(X86, ARM),
      typeIndex: fc.nat(),
      database: fc.constantFrom(...DATABASES).chain((d) =>
        fc.record({
          engine: fc.constant(d.engine),
          engineVersion: fc.constantFrom(...d.versions),
          instanceClass: fc.constantFrom(...CLASSES),
        }),
      ),
      scaling: fc.constantFrom('step', 'targetTracking'),
      firewall: fc.boolean(),
      backend: fc.constantFrom({ kind: 's3' }, { kind: 'local' }, { kind: 'pg' }, { kind: 'cloud', organization: 'acme-platform' }),
      tags: fc.dictionary(tagText, tagText, { maxKeys: 47 }),
      application: fc.constantFrom<unknown>({ kind: 'placeholder' }, CONTAINER_RELEASE),
      interfaceEndpoints: fc.boolean(),
    })
    .map((e) => ({
      ...structuredClone(prod),
      name: e.name,
      region,
      availabilityZones: e.zones,
      vpcCidr: `10.${index * 16}.0.0/16`,
      compute: {
        ...prod.compute,
        instanceType: e.arch.types[e.typeIndex % e.arch.types.length],
        amiSsmParameter: e.arch.ami,
        scaling: e.scaling,
      },
      database: { ...prod.database, ...e.database },
      webFirewall: { enabled: e.firewall },
      // The API goes behind the edge where the catalog knows CloudFront's prefix list (validation says so elsewhere).
      edge: { ...prod.edge, ...(CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS[region] === undefined ? { api: false } : {}) },
      policySuppressions: e.firewall
        ? []
        : [{ rule: 'elb-waf', reason: 'The application is protected by a firewall of its own in front of the load balancer.' }],
      backend: e.backend,
      tags: e.tags,
      application: e.application,
      interfaceEndpoints: e.interfaceEndpoints,
    }));

const configs = fc
  .record({
    project: shortName,
    region: fc.constantFrom(...REGIONS.filter((r) => zonesOf(r).length >= 2)),
    account: accountId,
    count: fc.integer({ min: 1, max: 3 }),
    withState: fc.boolean(),
  })
  .chain(({ project, region, account, count, withState }) =>
    fc.tuple(...Array.from({ length: count }, (_, i) => environment(region, i))).map((envs): PlatformInput => ({
      project,
      // The CI roles (in the shipped state section) come along unless an environment keeps its state locally.
      ...(withState
        ? {
            state: {
              ...(envs.some((e) => e.backend.kind === 'local') ? withoutCi(state) : state),
              accountId: account,
              region,
              bucket: `${project}-tfstate-${account}`,
            },
          }
        : {}),
      environments: envs.map((e) => {
        const env = {
          ...e,
          accountId: account,
          https: { domainName: 'app.example.com', hostedZoneId: 'Z0123456789EXAMPLE' },
          // Without a state section an s3 backend names its bucket.
          backend: e.backend.kind === 's3' && !withState ? { kind: 's3', bucket: `${project}-tfstate-${account}` } : e.backend,
        };
        // A domain name reaches one environment.
        withOwnDomains(env, e.name);
        return env;
      }) as PlatformInput['environments'],
    })),
  )
  .filter((c) => new Set(c.environments.map((e) => e.name)).size === c.environments.length);

interface Finding {
  readonly stack: string;
  readonly where: string;
  readonly value: string;
  readonly problem: string;
}

/** Checks one synthesized stack; returns what does not fit and the literal names it holds. */
function checkStack(stackName: string, json: any, expected: ReadonlySet<string>): { findings: Finding[]; names: string[] } {
  const findings: Finding[] = [];
  const names: string[] = [];
  const check = (where: string, r: NameRule, value: string, generated = true) => {
    const problem = nameViolation(r, value);
    if (problem) findings.push({ stack: stackName, where, value, problem: `${r.label} ${problem}` });
    if (generated && !expected.has(value))
      findings.push({ stack: stackName, where, value, problem: 'not a name the config validation computed' });
    names.push(value);
  };
  const defaultTags: Record<string, string> = json.provider.aws[0].default_tags?.[0]?.tags ?? {};
  const checkTags = (where: string, tags: Record<string, string>, withDefaults: boolean) => {
    const all = withDefaults ? { ...defaultTags, ...tags } : tags;
    if (Object.keys(all).length > MAX_TAGS_PER_RESOURCE)
      findings.push({
        stack: stackName,
        where,
        value: `${Object.keys(all).length} tags`,
        problem: `more than ${MAX_TAGS_PER_RESOURCE} tags`,
      });
    const lower = new Set<string>();
    for (const [k, v] of Object.entries(all)) {
      if (!isLiteral(v)) continue;
      if (k.length > 128 || !TAG_CHARACTERS.test(k) || k.toLowerCase().startsWith('aws:'))
        findings.push({ stack: stackName, where: `${where} tag key`, value: k, problem: 'not a tag key AWS accepts' });
      if (lower.has(k.toLowerCase()))
        findings.push({ stack: stackName, where: `${where} tag key`, value: k, problem: 'a tag key repeated regardless of case' });
      lower.add(k.toLowerCase());
      const problem = nameViolation(rule.TAG_VALUE, v);
      if (problem) findings.push({ stack: stackName, where: `${where} tag ${k}`, value: v, problem });
    }
  };
  checkTags('provider default_tags', defaultTags, false);
  for (const [type, resources] of Object.entries<Record<string, any>>(json.resource)) {
    for (const [id, body] of Object.entries(resources)) {
      const where = `${type}.${id}`;
      for (const [attribute, value] of Object.entries(body)) {
        if (!NAME_LIKE.test(attribute) && attribute !== 'description' && NAME_ATTRIBUTES[type]?.[attribute] === undefined) continue;
        if (!isLiteral(value)) continue;
        const r = NAME_ATTRIBUTES[type]?.[attribute];
        if (r) check(`${where}.${attribute}`, r, value, attribute !== 'description');
        else if (attribute !== 'description' && !NOT_GENERATED[type]?.includes(attribute)) {
          findings.push({
            stack: stackName,
            where: `${where}.${attribute}`,
            value,
            problem: 'a name attribute no rule in __tests__/support/name-attributes.ts covers',
          });
        }
      }
      if (type === 'aws_wafv2_web_acl') {
        check(`${where}.visibility_config.metric_name`, rule.WAF_METRIC, body.visibility_config.metric_name);
        for (const r of body.rule) {
          check(`${where}.rule.name`, rule.WAF_WEB_ACL, r.name, false);
          check(`${where}.rule.visibility_config.metric_name`, rule.WAF_METRIC, r.visibility_config.metric_name);
        }
      }
      if (body.tags) checkTags(where, body.tags, true);
      if (type === 'aws_autoscaling_group')
        checkTags(`${where}.tag`, Object.fromEntries(body.tag.map((t: any) => [t.key, t.value])), false);
      if (type === 'aws_launch_template')
        for (const spec of body.tag_specifications) checkTags(`${where}.tag_specifications`, spec.tags, false);
    }
  }
  const backend = json.terraform.backend ?? {};
  if (backend.s3) check('backend s3 key', rule.S3_STATE_KEY, backend.s3.key);
  if (backend.pg) check('backend pg schema', rule.PG_SCHEMA, backend.pg.schema_name);
  if (json.terraform.cloud) check('cloud workspace', rule.CLOUD_WORKSPACE, json.terraform.cloud.workspaces.name);
  return { findings, names };
}

const NAME_OR_TAG_PROBLEM =
  /: (name|project): got .*; allowed: a value that keeps every generated AWS name valid|: name: got .*; allowed: a name whose resource prefix .* begins none of the bootstrap stack's names|: tags: got \d+ tags; allowed: at most|: tags\[.*\]: got .*; allowed: a key that differs from .* in more than case/;

describe('every generated name fits AWS, for random valid configs', () => {
  const sampled: { dir: string; stack: string; longest: number }[] = [];
  const work = mkdtempSync(join(tmpdir(), 'naming-property-'));
  const counts = { accepted: 0, refusedForNames: 0 };
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('accepted configs synthesize only names that meet their AWS rule and that validation computed; refused ones only for names or tags', () => {
    let run = 0;
    fc.assert(
      fc.property(configs, (config) => {
        const problems = findProblems(config);
        if (problems.length > 0) {
          expect(problems.filter((p) => !NAME_OR_TAG_PROBLEM.test(p))).toEqual([]);
          counts.refusedForNames++;
          return;
        }
        counts.accepted++;
        const valid = validateConfig(config);
        const expected = new Set(
          [
            ...(valid.state
              ? stateNameList({ ...valid.state, project: valid.project, environments: valid.environments.map((e) => e.name) })
              : []),
            ...valid.environments.flatMap((e) => environmentNameList({ ...e, project: valid.project })),
          ].map((n) => n.value),
        );
        const outdir = join(work, `run-${run++}`);
        const { stacks } = synthesizePlatform(config, outdir);
        for (const stack of stacks) {
          const dir = join(outdir, 'stacks', stack.node.id);
          const json = JSON.parse(readFileSync(join(dir, 'cdk.tf.json'), 'utf8'));
          const { findings, names } = checkStack(stack.node.id, json, expected);
          expect(findings).toEqual([]);
          sampled.push({ dir, stack: stack.node.id, longest: Math.max(...names.map((n) => n.length)) });
        }
      }),
      { seed: propertySeed(), numRuns: 30, endOnFailure: true },
    );
    // The draw reaches both sides of the limits.
    expect(counts.accepted).toBeGreaterThan(3);
    expect(counts.refusedForNames).toBeGreaterThan(3);
  }, 600_000);

  it('terraform validate accepts the accepted stacks with the longest names', async () => {
    const longest = [...sampled]
      .filter((s) => !s.stack.endsWith('-state'))
      .sort((a, b) => b.longest - a.longest)
      .slice(0, 2);
    expect(longest.length).toBe(2);
    await Promise.all(
      longest.map(async ({ dir }) => {
        const wd = TerraformWorkdir.fromStack(dir);
        try {
          await wd.init();
          expect((await wd.validate()).stdout).toContain('Success! The configuration is valid.');
        } finally {
          wd.remove();
        }
      }),
    );
  }, 600_000);
});
