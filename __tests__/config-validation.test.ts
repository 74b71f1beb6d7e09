import { platform } from '../config/environments';
import { ConfigError, assertValidConfig, findProblems } from '../config/validate';
import { BAD_CONFIGS } from './support/bad-configs';
import { configWith } from './support/config';

describe('the shipped configuration', () => {
  it('is valid', () => {
    expect(findProblems(platform)).toEqual([]);
  });
});

// The end-to-end "exits non-zero, writes nothing" path of `npm run synth` is in synth-cli.test.ts.
describe('validation rejects malformed configurations with exact messages', () => {
  it.each(BAD_CONFIGS.map((c) => [c.name, c] as const))('%s', (_name, bad) => {
    expect(findProblems(bad.config)).toEqual(bad.problems);
    let thrown: unknown;
    try {
      assertValidConfig(bad.config);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).problems).toEqual(bad.problems);
  });

  it('has at least one case per distinct message and at least 30 cases', () => {
    expect(BAD_CONFIGS.length).toBeGreaterThanOrEqual(30);
    const names = BAD_CONFIGS.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('every problem is reported in one run', () => {
  it('lists problems of several fields and environments together', () => {
    const config = configWith((prod) => {
      prod.compute.minSize = 9;
      prod.database.backupRetentionDays = 99;
      prod.availabilityZones = ['eu-west-1a'];
    });
    (config.environments[0] as { region: string }).region = 'nowhere-1';
    const problems = findProblems(config);
    expect(problems).toEqual([
      'environment "dev": region: got "nowhere-1"; allowed: a commercial AWS region such as "eu-west-1" (listed in config/catalog.ts)',
      'environment "prod": availabilityZones: got ["eu-west-1a"]; allowed: 2 to 3 zones (high availability needs at least 2)',
      'environment "prod": compute.minSize: got 9; allowed: at most compute.desiredCapacity (3): minSize ≤ desiredCapacity ≤ maxSize',
      'environment "prod": database.backupRetentionDays: got 99; allowed: a whole number from 0 to 35',
    ]);
    expect(new ConfigError(problems).message).toBe(`Invalid configuration (4 problems):\n  - ${problems.join('\n  - ')}`);
  });
});
