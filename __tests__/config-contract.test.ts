import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as fc from 'fast-check';
import { platform } from '../config/environments';
import { ConfigFileError, loadPlatformConfig } from '../config/load';
import { ConfigError, findProblems, validateConfig } from '../config/validate';
import { synthesizeConfig, synthesizePlatform } from '../stacks';
import { BAD_CONFIGS } from './support/bad-configs';
import { itRefusesEach, withGoodSynth } from './support/good-synth';
import { CONTRACT_CASES, GOOD_CASES, SCALE_CASES } from './support/contract-configs';
import { CONTAINER_RELEASE } from './support/config';
import { propertySeed } from './support/property';

const good = withGoodSynth();
const synthesizeOverGoodOutput = good.refuse;

describe('a config AWS would refuse stops synth with exact messages and leaves the previous output as it was', () => {
  itRefusesEach(good, CONTRACT_CASES);
  itRefusesEach(
    good,
    BAD_CONFIGS.map((c) => ({ ...c, build: () => c.config })),
    '(earlier rule) ',
  );
});

describe('a config validate accepts, synth synthesizes (validated once, as written)', () => {
  it.each(GOOD_CASES.map((c) => [c.name, c] as const))('%s', (name, c) => {
    // As a pipeline hands it over: a PLATFORM_CONFIG file, JSON.
    const path = join(good.work(), `good-${GOOD_CASES.indexOf(c)}.json`);
    writeFileSync(path, JSON.stringify(c.build()));
    const input = loadPlatformConfig({ PLATFORM_CONFIG: path });
    expect(findProblems(input)).toEqual([]);
    const out = join(good.work(), `good-${GOOD_CASES.indexOf(c)}`);
    const { stacks } = synthesizePlatform(input, out);
    for (const [stack, texts] of Object.entries(c.written)) {
      expect(stacks.map((s) => s.node.id)).toContain(stack);
      const json = readFileSync(join(out, 'stacks', stack, 'cdk.tf.json'), 'utf8');
      for (const text of texts) expect({ name, stack, contains: json.includes(text) }).toEqual({ name, stack, contains: true });
    }
    // What validation returned is what the stacks are built from: passed on, it synthesizes the same.
    const again = join(good.work(), `good-${GOOD_CASES.indexOf(c)}-validated`);
    synthesizeConfig(validateConfig(input), again);
    for (const stack of stacks.map((s) => s.node.id))
      expect(readFileSync(join(again, 'stacks', stack, 'cdk.tf.json'), 'utf8')).toBe(
        readFileSync(join(out, 'stacks', stack, 'cdk.tf.json'), 'utf8'),
      );
  });

  it('any mix of the optional settings that changes defaults (AMI choice, release, uploads, endpoints, alarm e-mail): valid, and synthesized', () => {
    const variant = fc.record({
      ami: fc.constantFrom('parameter', 'pinned', 'launch', 'default'),
      container: fc.boolean(),
      uploads: fc.boolean(),
      endpoints: fc.boolean(),
      email: fc.boolean(),
    });
    let run = 0;
    fc.assert(
      fc.property(fc.array(variant, { minLength: platform.environments.length, maxLength: platform.environments.length }), (variants) => {
        const config = structuredClone(platform) as any;
        config.environments.forEach((env: any, i: number) => {
          const v = variants[i];
          const { amiSsmParameter, ...compute } = env.compute;
          if (v.ami === 'pinned') env.compute = { ...compute, amiId: 'ami-0123456789abcdef0' };
          else if (v.ami === 'launch') env.compute = { ...env.compute, amiResolution: 'launch' };
          else if (v.ami === 'default') env.compute = compute;
          else env.compute = { ...compute, amiSsmParameter };
          if (v.container) env.application = structuredClone(CONTAINER_RELEASE);
          if (v.uploads) env.uploads = {};
          env.interfaceEndpoints = v.endpoints;
          if (v.email) env.alarmEmail = `ops-${env.name}@example.com`;
          else delete env.alarmEmail;
        });
        const input = JSON.parse(JSON.stringify(config));
        expect(findProblems(input)).toEqual([]);
        const { stacks } = synthesizePlatform(input, join(good.work(), `mix-${run++}`));
        expect(stacks.map((s) => s.node.id).sort()).toEqual(
          [...(platform.state ? ['web-state'] : []), ...platform.environments.map((e) => `web-${e.name}`)].sort(),
        );
      }),
      { seed: propertySeed(), numRuns: 6 },
    );
  }, 120_000);

  it('a validated config is not an input: the types refuse checking it again, which would refuse a pinned AMI', () => {
    const validated = validateConfig(GOOD_CASES[0].build());
    let thrown: unknown;
    try {
      // @ts-expect-error -- validated once, as written; passed on, never validated again
      validateConfig(validated);
    } catch (error) {
      thrown = error;
    }
    // Its defaults stand beside the pin (amiSsmParameter, amiResolution), which the input may not write with it.
    expect(thrown).toBeInstanceOf(ConfigError);
  });
});

describe('PLATFORM_CONFIG names a readable JSON file, or is an error', () => {
  const file = (name: string, text: string) => {
    const path = join(good.work(), name);
    writeFileSync(path, text);
    return path;
  };
  const load = (value: string) => () => loadPlatformConfig({ PLATFORM_CONFIG: value });

  it.each([
    [
      'set but empty',
      '',
      'PLATFORM_CONFIG="": set but empty; name a JSON file (PLATFORM_CONFIG=platform.json) or unset it to use config/environments.ts',
    ],
    [
      'only spaces',
      '   ',
      'PLATFORM_CONFIG="   ": set but empty; name a JSON file (PLATFORM_CONFIG=platform.json) or unset it to use config/environments.ts',
    ],
  ])('%s', (_name, value, message) => {
    const error = synthesizeOverGoodOutput(load(value));
    expect(error).toBeInstanceOf(ConfigFileError);
    expect(error.message).toBe(message);
  });

  it('a directory', () => {
    const dir = join(good.work(), 'a-directory');
    mkdirSync(dir, { recursive: true });
    const error = synthesizeOverGoodOutput(load(dir));
    expect(error.message).toBe(`PLATFORM_CONFIG=${dir}: cannot read the file (not a regular file)`);
  });

  it('a file that does not exist', () => {
    const missing = join(good.work(), 'missing.json');
    const error = synthesizeOverGoodOutput(load(missing));
    expect(error.message).toBe(`PLATFORM_CONFIG=${missing}: cannot read the file (ENOENT: no such file or directory, stat '${missing}')`);
  });

  it('a file that is not JSON', () => {
    const path = file('platform.yaml', 'project: web\n');
    const error = synthesizeOverGoodOutput(load(path));
    expect(error.message).toBe(`PLATFORM_CONFIG=${path}: not valid JSON (Unexpected token 'p', "project: web\n" is not valid JSON)`);
  });

  it('JSON null: the config check names it', () => {
    const error = synthesizeOverGoodOutput(load(file('null.json', 'null')));
    expect((error as ConfigError).problems).toEqual(['app: config: got null; allowed: an object { project, environments }']);
  });

  it('a file with a byte-order mark and a $schema key is the shipped config', () => {
    const path = file('bom.json', `\uFEFF${JSON.stringify({ $schema: './config/platform.schema.json', ...platform })}`);
    expect(loadPlatformConfig({ PLATFORM_CONFIG: path })).toEqual({
      $schema: './config/platform.schema.json',
      ...JSON.parse(JSON.stringify(platform)),
    });
    const out = join(good.work(), 'from-file');
    synthesizePlatform(loadPlatformConfig({ PLATFORM_CONFIG: path }), out);
    expect(readFileSync(join(out, 'stacks', 'web-prod', 'cdk.tf.json'), 'utf8')).toBe(
      readFileSync(join(good.outdir(), 'stacks', 'web-prod', 'cdk.tf.json'), 'utf8'),
    );
  });

  it('unset: the shipped config', () => {
    expect(loadPlatformConfig({})).toBe(platform);
  });
});

it('has at least 60 cases of configs AWS would refuse, each with a distinct name', () => {
  expect(CONTRACT_CASES.length + SCALE_CASES.length).toBeGreaterThanOrEqual(60);
  const names = [...CONTRACT_CASES, ...SCALE_CASES].map((c) => c.name);
  expect(new Set(names).size).toBe(names.length);
});
