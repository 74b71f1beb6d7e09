import { ConfigError, MAX_LISTED_PROBLEMS, validateConfig } from '../config/validate';
import { SCALE_CASES, manyEnvironments } from './support/contract-configs';
import { itRefusesEach, withGoodSynth } from './support/good-synth';

// Inputs of a size that made validation crash, print too much or compare every pair; beside the other
// contract cases (config-contract.test.ts) in a file of their own, so Jest runs the two side by side.
const good = withGoodSynth();
const synthesizeOverGoodOutput = good.refuse;

describe('large inputs stop synth with exact, bounded messages and leave the previous output as it was', () => {
  itRefusesEach(good, SCALE_CASES);
});

describe('thousands of environments: one problem each at most, the message capped', () => {
  it('2000 environments in one VPC range: each after the first overlaps, the list stops at 50', () => {
    const error = synthesizeOverGoodOutput(() => manyEnvironments(2000, (e) => void (e.vpcCidr = '10.20.0.0/16'))) as ConfigError;
    const lines = error.message.split('\n');
    expect(lines[0]).toBe('Invalid configuration (1999 problems):');
    expect(lines).toHaveLength(1 + MAX_LISTED_PROBLEMS + 1);
    expect(lines[1]).toBe(
      '  - environment "e1": vpcCidr: got "10.20.0.0/16"; allowed: a range that does not overlap environment "e0" (10.20.0.0/16), so the VPCs can be connected later',
    );
    expect(lines[lines.length - 1]).toBe(`  - … and ${1999 - MAX_LISTED_PROBLEMS} more`);
  });

  it('1000 environments with the same name: one line says so, and nothing else is said of them', () => {
    const error = synthesizeOverGoodOutput(() =>
      manyEnvironments(1000, (e, i) => {
        e.name = 'same';
        e.vpcCidr = `10.${Math.floor(i / 64)}.${(i % 64) * 4}.0/22`;
      }),
    ) as ConfigError;
    expect(error.problems).toEqual(['environment "same": name: got "same"; allowed: a name no other environment uses']);
  });

  it('1000 valid environments in distinct ranges are accepted', () => {
    const config = manyEnvironments(1000, (e, i) => {
      e.name = `e${i}`;
      e.vpcCidr = `10.${Math.floor(i / 64)}.${(i % 64) * 4}.0/22`;
    });
    expect(validateConfig(config).environments).toHaveLength(1000);
  });
});
