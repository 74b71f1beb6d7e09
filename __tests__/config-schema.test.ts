import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import * as fc from 'fast-check';
import { platform } from '../config/environments';
import { SCHEMA_FILE, configReference, platformJsonSchemaText, withReference } from '../config/reference';
import { environmentSchema, platformSchema } from '../config/schema';
import type { EnvironmentInput, PlatformInput } from '../config/types';
import { findProblems } from '../config/validate';
import { MAX_SHOWN } from '../config/display';
import { propertySeed } from './support/property';

const root = join(__dirname, '..');
const published = JSON.parse(readFileSync(join(root, SCHEMA_FILE), 'utf8'));
/** The shipped config as a pipeline would write it. */
const asJson = (value: unknown) => JSON.parse(JSON.stringify(value));

describe('one definition, published', () => {
  it(`${SCHEMA_FILE} is what the schema generates (run npm run schema)`, () => {
    expect(readFileSync(join(root, SCHEMA_FILE), 'utf8')).toBe(platformJsonSchemaText());
  });

  it('the README configuration reference is what the schema generates (run npm run schema)', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(withReference(readme)).toBe(readme);
  });

  it('the reference has a row per field of an environment, each with what it is and what is allowed', () => {
    const reference = configReference();
    for (const field of Object.keys(environmentSchema.shape)) expect(reference).toContain(`| \`environments[].${field}\``);
    for (const row of reference.split('\n').slice(2)) {
      const [, field, type, presence, allowed, what] = row.split(/(?<!\\)\|/).map((c) => c.trim());
      expect({
        field,
        type: type.length > 0,
        presence: /^(required|optional|default `.+`)$/.test(presence),
        allowed: allowed.length > 0,
        what: what.length > 0,
      }).toEqual({
        field,
        type: true,
        presence: true,
        allowed: true,
        what: true,
      });
    }
  });

  it("the TypeScript types are the schema's: the shipped config is an input, a validated one has every default", () => {
    const input: PlatformInput = platform;
    const env: EnvironmentInput = {
      ...platform.environments[0],
      compute: { instanceType: 't3.micro', minSize: 1, desiredCapacity: 1, maxSize: 1 },
    };
    const parsed = platformSchema.parse({ ...input, environments: [env] });
    expect(parsed.environments[0].compute).toEqual({
      instanceType: 't3.micro',
      minSize: 1,
      desiredCapacity: 1,
      maxSize: 1,
      appPort: 8080,
      healthCheckPath: '/health',
      amiSsmParameter: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64',
      amiResolution: 'plan',
      scaling: 'step',
      rollout: { minHealthyPercentage: 100, maxHealthyPercentage: 200, checkpointPercentages: [50, 100], checkpointDelaySeconds: 300 },
    });
  });
});

describe('the published JSON Schema works in another validator (ajv, draft 2020-12, strict)', () => {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  const check = ajv.compile(published);

  it('accepts the shipped config, with or without a $schema key', () => {
    expect(check(asJson(platform))).toBe(true);
    expect(check({ $schema: `./${SCHEMA_FILE}`, ...asJson(platform) })).toBe(true);
  });

  it.each([
    ['a misspelt field', (c: any) => void (c.environments[1].compute.minSzie = 2), '/environments/1/compute', 'additionalProperties'],
    [
      'a field of the wrong type',
      (c: any) => void (c.environments[0].deletionProtection = 'no'),
      '/environments/0/deletionProtection',
      'type',
    ],
    ['an unknown region', (c: any) => void (c.state.region = 'eu-west-9'), '/state/region', 'enum'],
    [
      'an out-of-range number',
      (c: any) => void (c.environments[1].database.backupRetentionDays = 36),
      '/environments/1/database/backupRetentionDays',
      'maximum',
    ],
    ['a bad tag key', (c: any) => void (c.environments[1].tags = { 'aws:x': 'y' }), '/environments/1/tags', 'propertyNames'],
  ])('refuses %s', (_name, edit, path, keyword) => {
    const config = asJson(platform);
    edit(config);
    expect(check(config)).toBe(false);
    expect(check.errors!.map((e) => [e.instancePath, e.keyword])).toContainEqual([path, keyword]);
  });
});

describe('validation never throws and never explodes, whatever it is given', () => {
  const bounded = (problems: string[]) => {
    for (const p of problems) {
      expect(typeof p).toBe('string');
      // label + field + value + allowed: each part bounded (values at MAX_SHOWN, fields by the schema).
      expect(p.length).toBeLessThan(6 * MAX_SHOWN + 1200);
      expect(p).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u2028\u2029\ufeff\u202a-\u202e]/);
    }
  };

  it('any JSON value as the config', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => bounded(findProblems(value))),
      { seed: propertySeed(), numRuns: 150 },
    );
  });

  it('any value (not only JSON) in place of any part of the shipped config', () => {
    const paths: (string | number)[][] = [];
    const walk = (v: unknown, path: (string | number)[]) => {
      paths.push(path);
      if (v && typeof v === 'object') for (const [k, child] of Object.entries(v)) walk(child, [...path, Array.isArray(v) ? Number(k) : k]);
    };
    walk(asJson(platform), []);
    fc.assert(
      fc.property(
        fc.constantFrom(...paths.filter((p) => p.length > 0)),
        fc.anything({ maxDepth: 4, withBigInt: true, withNullPrototype: true, withMap: true, withDate: true, withTypedArray: true }),
        (path, value) => {
          const config = asJson(platform);
          let parent = config;
          for (const segment of path.slice(0, -1)) parent = parent[segment];
          parent[path[path.length - 1]] = value;
          bounded(findProblems(config));
        },
      ),
      { seed: propertySeed(), numRuns: 200 },
    );
  });
});
