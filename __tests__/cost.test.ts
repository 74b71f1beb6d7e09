/**
 * The monthly cost estimate (`npm run cost`): exact arithmetic on a known config, every resource type of every
 * configured stack priced or declared free, estimates that follow each environment's config, the price table
 * for every region of the catalog, the formats, the README's copy, and the command itself (with --diff).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { REGIONS } from '../config/catalog';
import type { EnvironmentConfig, PlatformInput } from '../config/types';
import { validateConfig } from '../config/validate';
import { estimatesAt } from '../cost/base';
import {
  COST_END,
  COST_START,
  CostError,
  diffEstimates,
  diffToText,
  estimate,
  estimatePlatform,
  readmeCostSection,
  toJson,
  toMarkdown,
  toText,
  unpricedTypes,
  type Estimate,
} from '../cost';
import { FREE_TYPES, GLOBAL_PRICES, HOURS_PER_MONTH, PRICED_TYPES, REGIONAL_PRICES } from '../cost/prices';

import { webStackName } from '../naming';
import { single } from './support/config';
import { environmentStacks, shipped } from './support/stacks';
import { synth, type StackJson } from './support/synth';

const root = join(__dirname, '..');
const { stacks, outdir } = synth();
const lineOf = (e: Estimate, item: string) => {
  const line = e.lines.find((l) => l.item === item);
  if (!line) throw new Error(`no line "${item}"; have: ${e.lines.map((l) => l.item).join(', ')}`);
  return line;
};
const count = (stack: StackJson, type: string) => Object.keys(stack.resource[type] ?? {}).length;

/** The shipped prod in us-east-1 with a known month of usage, synthesized and estimated. */
function knownProd(overrides: Record<string, unknown>) {
  const config: PlatformInput = single('prod', {
    region: 'us-east-1',
    availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
    usage: {
      requestsPerMonth: 100_000_000,
      dataOutGB: 1000,
      natProcessedGB: 200,
      logIngestedGB: 40,
      backupStorageGB: 150,
      s3StorageGB: 100,
      imageStorageGB: 30,
    },
    ...overrides,
  });
  const valid = validateConfig(config);
  const env = valid.environments[0];
  const name = webStackName(valid.project, env.name);
  const json = synth(config).stacks[name];
  return { env, json, e: estimate(name, env, json) };
}

describe('exact arithmetic on a known config', () => {
  // prod's architecture in us-east-1, whose network and load balancer prices a source confirmed, without
  // front-ends (the edge is priced in the next block).
  const { json, e } = knownProd({ frontends: [] });
  const alarms = count(json, 'aws_cloudwatch_metric_alarm');
  const rules = (Object.values(json.resource.aws_wafv2_web_acl)[0] as any).rule.length;

  it.each([
    ['NAT gateway hours', 3 * 730 * 0.045, 98.55],
    ['NAT gateway data processed', 200 * 0.045, 9],
    ['Public IPv4 addresses', (3 + 3) * 730 * 0.005, 21.9],
    ['Data transfer out to the internet', 1000 * 0.09, 90],
    ['Load balancer hours', 730 * 0.0225, 16.43],
    // 100 M requests a month are 38.05 new connections a second: 1.522 LCU, more than 1000 GB ÷ 730 h = 1.37.
    ['Load balancer capacity units', (100e6 / (730 * 3600) / 25) * 730 * 0.008, 8.89],
    ['EC2 t3.small', 3 * 730 * 0.0208, 45.55],
    ['EBS gp3 root volumes', 3 * 20 * 0.08, 4.8],
    ['RDS mysql db.m7g.large', 2 * 730 * 0.168, 245.28],
    ['RDS gp3 storage', 2 * 50 * 0.115, 11.5],
    ['RDS backup storage beyond the free allowance', (150 - 50) * 0.095, 9.5],
    ['Performance Insights (7 days of history)', 0, 0],
    ['CloudWatch dashboard', 3, 3],
    ['CloudWatch Logs ingestion', 40 * 0.5, 20],
    ['CloudWatch Logs storage', 40 * 12 * 0.03, 14.4],
    ['WAF web ACL', 5, 5],
    ['WAF requests', 100 * 0.6, 60],
    ['KMS keys', 1, 1],
    ['Secrets Manager secrets', 0.4, 0.4],
    ['S3 Standard storage', 100 * 0.023, 2.3],
    ['ECR image storage', 30 * 0.1, 3],
  ])('%s', (item, exact, rounded) => {
    expect(lineOf(e, item).monthly).toBe(rounded);
    expect(Math.abs(exact - rounded)).toBeLessThan(0.005);
  });

  it('counts what the stack holds: alarms and WAF rules', () => {
    expect(lineOf(e, 'CloudWatch alarms').monthly).toBe(Math.round(alarms * 10) / 100);
    expect(lineOf(e, 'WAF rules and rule groups').monthly).toBe(rules);
  });

  it('totals the cents of its lines', () => {
    const cents = e.lines.reduce((n, l) => n + Math.round(l.monthly * 100), 0);
    expect(Math.round(e.total * 100)).toBe(cents);
    expect(
      e.lines.every((l) => Number.isInteger(Math.round(l.monthly * 100)) && Math.abs(l.monthly * 100 - Math.round(l.monthly * 100)) < 1e-6),
    ).toBe(true);
  });

  it('marks the lines whose prices no source confirmed, and only those', () => {
    expect(lineOf(e, 'NAT gateway hours').confirmed).toBe(true);
    expect(lineOf(e, 'Load balancer hours').confirmed).toBe(true);
    expect(lineOf(e, 'EC2 t3.small').confirmed).toBe(false);
    expect(toText([e])).toContain('EC2 t3.small †');
    expect(toText([e])).not.toContain('NAT gateway hours †');
  });
});

describe('exact arithmetic at the edge', () => {
  // The same with the shipped prod's front-ends: users are served by CloudFront, not by the load balancer.
  const { env, e } = knownProd({});

  it('has front-ends to price', () => {
    expect(env.frontends.length).toBeGreaterThan(0);
  });

  it.each([
    ['CloudFront data out', 1000 * 0.085, 85],
    ['CloudFront HTTPS requests', (100e6 / 1e4) * 0.01, 100],
    ['CloudFront Functions invocations', 100 * 0.1, 10],
  ])('%s', (item, exact, rounded) => {
    expect(lineOf(e, item).monthly).toBe(rounded);
    expect(Math.abs(exact - rounded)).toBeLessThan(0.005);
  });

  it('bills data out once: at the edge, not also at the load balancer', () => {
    expect(e.lines.some((l) => l.item === 'Data transfer out to the internet')).toBe(false);
  });

  it('prices a web ACL per front-end beside the regional one, and a key per region', () => {
    expect(e.lines.filter((l) => l.item === 'WAF web ACL').length).toBe(env.frontends.length + 1);
    expect(lineOf(e, 'KMS keys').quantity).toBe(2);
  });
});

describe('every resource type of every configured stack is priced or declared free', () => {
  const variants: Record<string, PlatformInput> = {
    'with uploads': single('prod', { uploads: {} }),
    'postgres, no NAT, target tracking, no firewall': single('dev', {
      natGateways: 'none',
      compute: { instanceType: 't3.micro', minSize: 1, desiredCapacity: 1, maxSize: 2, scaling: 'targetTracking' },
      database: {
        engine: 'postgres',
        engineVersion: '16',
        instanceClass: 'db.t4g.micro',
        allocatedStorageGiB: 20,
        maxAllocatedStorageGiB: 50,
        multiAz: false,
        backupRetentionDays: 7,
      },
      webFirewall: { enabled: false },
      policySuppressions: [{ rule: 'elb-waf', reason: 'An upstream CDN with its own WAF filters all traffic to this load balancer.' }],
    }),
  };

  it.each(environmentStacks())('$stack', ({ stack, env }) => {
    expect(unpricedTypes(stacks[stack])).toEqual([]);
    expect(estimate(stack, env, stacks[stack]).total).toBeGreaterThan(0);
  });

  it.each(Object.entries(variants))('variant %s', (_name, config) => {
    const valid = validateConfig(config);
    const { stacks: built } = synth(config);
    for (const env of valid.environments) {
      const stack = webStackName(valid.project, env.name);
      expect(unpricedTypes(built[stack])).toEqual([]);
      expect(estimate(stack, env, built[stack]).total).toBeGreaterThan(0);
    }
  });

  it('a resource type the table does not know stops the estimate, named', () => {
    const [{ stack, env }] = environmentStacks();
    const json = { ...stacks[stack], resource: { ...stacks[stack].resource, aws_elasticache_cluster: { cache: {} } } };
    expect(unpricedTypes(json)).toEqual(['aws_elasticache_cluster']);
    expect(() => estimate(stack, env, json)).toThrow(
      new CostError(
        `cost: ${stack} has resources of type aws_elasticache_cluster, which cost/prices.ts neither prices nor declares free (FREE_TYPES)`,
      ),
    );
  });

  it('no type is both priced and free', () => {
    expect(PRICED_TYPES.filter((t) => Object.hasOwn(FREE_TYPES, t))).toEqual([]);
  });
});

describe("estimates follow each environment's config", () => {
  const estimates = estimatePlatform(shipped, outdir);
  const natCount = (env: EnvironmentConfig) =>
    env.natGateways === 'none' ? 0 : env.natGateways === 'single' ? 1 : env.availabilityZones.length;

  it.each(environmentStacks().map((s, i) => [s.stack, s.env, i] as const))(
    '%s: NAT gateways, instances, database copies and usage',
    (_stack, env, i) => {
      const e = estimates[i];
      expect(e.region).toBe(env.region);
      const nat = e.lines.find((l) => l.item === 'NAT gateway hours');
      expect(nat?.quantity ?? 0).toBe(natCount(env) * HOURS_PER_MONTH);
      expect(lineOf(e, `EC2 ${env.compute.instanceType}`).quantity).toBe(env.compute.desiredCapacity * HOURS_PER_MONTH);
      expect(lineOf(e, `RDS ${env.database.engine} ${env.database.instanceClass}`).quantity).toBe(
        (env.database.multiAz ? 2 : 1) * HOURS_PER_MONTH,
      );
      expect(lineOf(e, 'RDS gp3 storage').quantity).toBe((env.database.multiAz ? 2 : 1) * env.database.allocatedStorageGiB);
      const served = env.frontends.length > 0 ? 'CloudFront data out' : 'Data transfer out to the internet';
      expect(lineOf(e, served).quantity).toBe(env.usage.dataOutGB);
      expect(lineOf(e, 'CloudWatch Logs storage').quantity).toBeCloseTo(env.usage.logIngestedGB * (env.logRetentionDays / (365 / 12)), 5);
      expect(e.lines.some((l) => l.item === 'WAF web ACL')).toBe(env.webFirewall.enabled);
    },
  );

  it("an environment's usage overrides the defaults", () => {
    const [first] = environmentStacks();
    const more = { ...first.env, usage: { ...first.env.usage, dataOutGB: first.env.usage.dataOutGB + 1000 } };
    const before = estimate(first.stack, first.env, stacks[first.stack]);
    const after = estimate(first.stack, more, stacks[first.stack]);
    const [served, price] =
      first.env.frontends.length > 0
        ? ['CloudFront data out', GLOBAL_PRICES.cloudFrontGB]
        : ['Data transfer out to the internet', REGIONAL_PRICES[first.env.region].dataOutGB];
    expect(lineOf(after, served).monthly - lineOf(before, served).monthly).toBeCloseTo(1000 * price, 2);
  });
});

describe('the price table', () => {
  it('has every price for every region of the region catalog, and nothing else', () => {
    expect(Object.keys(REGIONAL_PRICES).sort()).toEqual([...REGIONS].sort());
    for (const [region, p] of Object.entries(REGIONAL_PRICES)) {
      const numbers = Object.entries(p).filter(([k]) => !['ec2', 'rds', 'confirmed'].includes(k));
      for (const [key, value] of numbers)
        expect({ region, key, ok: typeof value === 'number' && value > 0 && value < 1 }).toEqual({ region, key, ok: true });
      expect(Object.keys(p.rds.mysql)).toEqual(Object.keys(REGIONAL_PRICES['us-east-1'].rds.mysql));
      expect(Object.keys(p.ec2)).toEqual(Object.keys(REGIONAL_PRICES['us-east-1'].ec2));
      for (const key of p.confirmed) expect(key.split('.')[0] in p).toBe(true);
    }
    expect(Object.values(GLOBAL_PRICES).every((v) => v > 0)).toBe(true);
  });

  it('prices the instance type and database class of every configured environment in its region', () => {
    for (const { env } of environmentStacks()) {
      expect(REGIONAL_PRICES[env.region].ec2[env.compute.instanceType]).toBeGreaterThan(0);
      expect(REGIONAL_PRICES[env.region].rds[env.database.engine][env.database.instanceClass]).toBeGreaterThan(0);
    }
  });
});

describe('formats', () => {
  const estimates = estimatePlatform(shipped, outdir);

  it('text, Markdown and JSON show each environment and its total', () => {
    const text = toText(estimates);
    const markdown = toMarkdown(estimates);
    const json = JSON.parse(toJson(estimates));
    for (const e of estimates) {
      const total = `$${e.total.toLocaleString('en-US', { minimumFractionDigits: 2 })}`;
      expect(text).toContain(`${e.stack} (${e.region}): ${total} per month`);
      expect(markdown).toContain(`| \`${e.stack}\` | ${e.region} | **${total}** |`);
    }
    expect(json.estimates.map((e: Estimate) => [e.stack, e.total])).toEqual(estimates.map((e) => [e.stack, e.total]));
  });

  it('the change between two estimates lists what moved, per environment', () => {
    const [e] = estimates;
    const cheaper = { ...e, lines: e.lines.filter((l) => l.item !== 'CloudWatch dashboard'), total: Math.round((e.total - 3) * 100) / 100 };
    expect(diffEstimates([e], [cheaper])).toEqual([
      { stack: e.stack, before: e.total, after: cheaper.total, lines: [{ item: 'CloudWatch dashboard', before: 3, after: 0 }] },
    ]);
  });

  it("the README's cost section is what npm run readme writes from the shipped config", () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const start = readme.indexOf(COST_START);
    const end = readme.indexOf(COST_END);
    expect(start).toBeGreaterThan(0);
    expect(readme.slice(start, end + COST_END.length)).toBe(readmeCostSection(estimates));
  });
});

describe('npm run cost (the command)', () => {
  const cost = (...args: string[]) =>
    spawnSync(process.execPath, [join(root, 'scripts', 'app.mjs'), 'scripts/cost.ts', '--from', outdir, ...args], {
      cwd: root,
      encoding: 'utf8',
    });

  it('prints the table, --markdown and --json', () => {
    const text = cost();
    expect(text.status).toBe(0);
    expect(text.stdout).toBe(toText(estimatePlatform(shipped, outdir)));
    expect(cost('--markdown').stdout).toBe(toMarkdown(estimatePlatform(shipped, outdir)));
    expect(JSON.parse(cost('--json').stdout).estimates).toHaveLength(shipped.environments.length);
  }, 60_000);

  it('refuses unknown options and a ref that does not exist, with a message', () => {
    const bad = cost('--csv');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('usage: npm run cost');
    const missing = cost('--diff', 'no-such-ref-anywhere');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^cost --diff: git rev-parse no-such-ref-anywhere failed/);
  }, 60_000);

  it('--diff prices a git ref in a scratch copy: the committed copy of this project gives the same estimates', () => {
    // A repository of its own (this checkout may be none, or have uncommitted changes): the project's files.
    const repo = mkdtempSync(join(tmpdir(), 'cost-repo-'));
    const skip = new Set(['node_modules', '.git', '.build', 'cdktf.out', 'dist', 'coverage', '.terraform', '.tmp']);
    cpSync(root, repo, { recursive: true, filter: (src) => !skip.has(basename(src)) && !/^jest-\d+\.json$/.test(basename(src)) });
    const git = (...args: string[]) => {
      const r = spawnSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.invalid', ...args], {
        cwd: repo,
        encoding: 'utf8',
      });
      if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
    };
    try {
      git('init', '-q');
      git('add', '-A');
      git('commit', '-q', '-m', 'base');
      const diffs = diffEstimates(estimatesAt('HEAD', repo, join(root, 'node_modules')), estimatePlatform(shipped, outdir));
      expect(diffs.map((d) => d.stack)).toEqual(environmentStacks().map((s) => s.stack));
      for (const d of diffs) expect(d).toEqual({ stack: d.stack, before: d.after, after: d.after, lines: [] });
      expect(diffToText(diffs, 'HEAD', true)).toContain('Monthly cost change against `HEAD`:');
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  }, 180_000);
});
