/**
 * Settings that weaken an environment carry their accepted risk: each yields exactly the suppressions its
 * rules need (the app builds, and none of them is unused), phrased for the environment that makes the choice.
 */
import { App } from 'cdktf';
import type { IConstruct } from 'constructs';
import { dev, platform, prod } from '../../config/environments';
import type { PlatformInput } from '../../config/types';
import { validateConfig } from '../../config/validate';
import { acceptedRisks } from '../../policy/accepted-risks';
import { isValidReason } from '../../policy/suppress';
import { buildStacks } from '../../stacks';
import { freeCidr, freeName } from '../support/config';

type Edit = (env: any) => void;

/** prod with one setting changed, as the only environment. */
const prodWith = (edit: Edit): PlatformInput => {
  const env = structuredClone(prod) as any;
  edit(env);
  return { ...structuredClone(platform), environments: [env] };
};

/** The stack's warnings and the suppressions it recorded, after the policy pack ran (no PolicyError). */
function built(config: PlatformInput, name: string) {
  const stack = buildStacks(new App({ stackTraces: false }), validateConfig(config)).find((s) => s.node.id === name)!;
  const all: IConstruct[] = [stack, ...stack.node.findAll()];
  const warnings = all
    .flatMap((c) => c.node.metadata)
    .filter((m) => m.type === '@cdktf/warn')
    .map((m) => String(m.data));
  return { warnings };
}

const SETTINGS: readonly (readonly [string, Edit, readonly string[]])[] = [
  ['one NAT gateway', (e) => void (e.natGateways = 'single'), ['ha-nat-per-zone']],
  ['one app server', (e) => void (e.compute.minSize = 1), ['ha-min-instances']],
  ['no app server at all', (e) => void (e.compute.minSize = 0), ['ha-min-instances']],
  ['a single-AZ database', (e) => void (e.database.multiAz = false), ['rds-multi-az']],
  ['a class without Performance Insights', (e) => void (e.database.instanceClass = 'db.t4g.micro'), ['rds-performance-insights']],
  ['three days of backups', (e) => void (e.database.backupRetentionDays = 3), ['rds-backup-retention']],
  [
    'no backups, single-AZ',
    (e) => Object.assign(e.database, { backupRetentionDays: 0, multiAz: false }),
    ['rds-multi-az', 'rds-backup-retention'],
  ],
  ['30 days of logs', (e) => void (e.logRetentionDays = 30), ['logs-retention']],
  ['plain HTTP', (e) => void delete e.https, ['elb-listener-https']],
  [
    'no deletion protection',
    (e) => void (e.deletionProtection = false),
    ['data-prevent-destroy', 'rds-deletion-protection', 'rds-final-snapshot', 'elb-deletion-protection'],
  ],
];

describe.each(SETTINGS)('prod with %s', (_name, edit, rules) => {
  const config = prodWith(edit);
  const env = validateConfig(config).environments[0];

  it(`accepts exactly ${rules.join(', ')}, each with a reason that names the environment and the setting`, () => {
    const risks = acceptedRisks(env);
    expect(risks.map((r) => r.rule)).toEqual(rules);
    for (const r of risks) {
      expect(isValidReason(r.reason)).toBe(true);
      expect(r.reason).toContain('"prod"');
      expect(r.reason).toContain(r.setting.split(':')[0]);
    }
  });

  it('builds: every risk the setting brings is accepted, and every acceptance is used', () => {
    const { warnings } = built(config, 'web-prod');
    expect(warnings.filter((w) => w.includes('accepts nothing'))).toEqual([]);
  });
});

describe('the reasons follow the environment that makes the choice', () => {
  it('a copy of dev under another name says that name, never "dev"', () => {
    const name = freeName('staging', 'qa');
    const copy = { ...structuredClone(dev), name, vpcCidr: freeCidr() };
    const env = validateConfig({ ...platform, environments: [...platform.environments, copy] }).environments.find((e) => e.name === name)!;
    const risks = acceptedRisks(env);
    expect(risks.length).toBeGreaterThan(0);
    for (const r of risks) {
      expect(r.reason).toContain(`"${name}"`);
      expect(r.reason).not.toMatch(/\bdev\b/i);
    }
  });

  it('dev accepts the risks of its settings and writes none by hand', () => {
    const env = validateConfig(platform).environments.find((e) => e.name === dev.name)!;
    expect(env.policySuppressions).toEqual([]);
    expect(acceptedRisks(env).length).toBeGreaterThan(0);
  });

  it('a hand-written suppression of a rule a setting already accepts is reported unused', () => {
    const config = prodWith((e) => {
      e.database.multiAz = false;
      e.policySuppressions = [{ rule: 'rds-multi-az', reason: 'Written by hand before settings carried their reasons.' }];
    });
    expect(built(config, 'web-prod').warnings).toContain('policy: the suppression of rds-multi-az at web-prod accepts nothing; remove it');
  });
});
