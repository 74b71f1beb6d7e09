/**
 * The stacks the AWS-rules suite (`__tests__/aws-rules/`) checks: every stack of the shipped config, of the
 * variants that between them make every kind of resource, of the contract configs that validate, and of
 * configs with an environment added (one like the first, one unlike any: another engine, a region opened since
 * August 2022). Each config is synthesized once per Jest run, whichever worker gets to it first: the stacks
 * are kept as JSON in the run's scratch directory (scripts/jest/global-setup.cjs), one file per config, and
 * the other test files of the run read that file.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { platform } from '../../../config/environments';
import type { PlatformInput } from '../../../config/types';
import { freeCidr, freeName, withAddedEnvironment, withOwnDomains, type AnyEnv } from '../config';
import { GOOD_CASES } from '../contract-configs';
import { synth, type StackJson } from '../synth';
import { ONE_ACCOUNT_PER_ENVIRONMENT, VARIANTS } from '../variants';

/** A config the suite synthesizes, and what it is. */
export interface ConfigUnderTest {
  readonly label: string;
  readonly input: PlatformInput;
}

/** One synthesized stack: its name, the config it came from, and its cdk.tf.json. */
export interface StackUnderTest {
  readonly name: string;
  readonly config: string;
  /** `<stack> (<config>)`, how problems name it. */
  readonly label: string;
  readonly json: StackJson;
}

/** A region opened since August 2022 (ELB writes access logs there as a service principal, not an account). */
const NEWER_REGION = 'eu-south-2';

/**
 * The shipped config with an environment unlike the others: a copy of the first on PostgreSQL 17, in a region
 * opened since August 2022, with its own name, network and domains.
 */
function withEnvironmentUnlikeTheOthers(): PlatformInput {
  const env = structuredClone(platform.environments[0]) as AnyEnv;
  env.name = freeName('pgnew');
  env.vpcCidr = freeCidr();
  env.region = NEWER_REGION;
  env.availabilityZones = [`${NEWER_REGION}a`, `${NEWER_REGION}b`];
  env.database = { ...env.database, engine: 'postgres', engineVersion: '17' };
  withOwnDomains(env, env.name);
  return { ...platform, environments: [...platform.environments, env as PlatformInput['environments'][number]] };
}

/** Every config the suite checks, in this order. */
export function configsUnderTest(): ConfigUnderTest[] {
  return [
    ...VARIANTS.map(([label, input]) => ({ label, input })),
    { label: 'one account per environment', input: ONE_ACCOUNT_PER_ENVIRONMENT },
    { label: 'an environment added like the first', input: withAddedEnvironment(platform) },
    { label: `an environment added on PostgreSQL in ${NEWER_REGION}`, input: withEnvironmentUnlikeTheOthers() },
    ...GOOD_CASES.map((c) => ({ label: `contract: ${c.name}`, input: c.build() as PlatformInput })),
  ];
}

/** How long a test file waits for another worker to finish synthesizing a config before it gives up. */
const WAIT_LIMIT_MS = 180_000;

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Where this run keeps synthesized configs: the run's scratch directory (none when Jest's global setup did not run). */
function cacheDirectory(): string | undefined {
  const root = process.env.WEB_PLATFORM_TEST_TMP;
  if (!root) return undefined;
  const dir = join(root, 'aws-rules-synth');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * The stacks of every config, synthesizing those no other worker has: a config is claimed with an exclusive
 * lock file, written whole (rename), and read by everyone else; while another worker holds a config, this
 * one synthesizes the next free one.
 */
function synthesizeAll(configs: readonly ConfigUnderTest[]): Map<ConfigUnderTest, Record<string, StackJson>> {
  const dir = cacheDirectory();
  const done = new Map<ConfigUnderTest, Record<string, StackJson>>();
  if (!dir) {
    for (const c of configs) done.set(c, synth(c.input).stacks);
    return done;
  }
  const fileOf = (c: ConfigUnderTest) => join(dir, `${createHash('sha256').update(JSON.stringify(c.input)).digest('hex')}.json`);
  const started = Date.now();
  while (done.size < configs.length) {
    let progressed = false;
    for (const c of configs.filter((x) => !done.has(x))) {
      const file = fileOf(c);
      if (existsSync(`${file}.error`))
        throw new Error(`synthesizing "${c.label}" failed in another worker: ${readFileSync(`${file}.error`, 'utf8')}`);
      if (existsSync(file)) {
        done.set(c, JSON.parse(readFileSync(file, 'utf8')));
        progressed = true;
        continue;
      }
      let lock: number;
      try {
        lock = openSync(`${file}.lock`, 'wx');
      } catch {
        continue; // another worker is on it
      }
      try {
        const stacks = synth(c.input).stacks;
        writeFileSync(`${file}.partial`, JSON.stringify(stacks));
        renameSync(`${file}.partial`, file);
        done.set(c, stacks);
      } catch (error) {
        writeFileSync(`${file}.error`, String(error));
        throw error;
      } finally {
        closeSync(lock);
      }
      progressed = true;
    }
    if (!progressed) {
      if (Date.now() - started > WAIT_LIMIT_MS) throw new Error(`no synthesized stacks after ${WAIT_LIMIT_MS / 1000} s in ${dir}`);
      sleep(50);
    }
  }
  return done;
}

let stacks: StackUnderTest[] | undefined;

/** Every stack of every config under test (synthesized on first use). */
export function stacksUnderTest(): StackUnderTest[] {
  if (stacks) return stacks;
  const configs = configsUnderTest();
  const synthesized = synthesizeAll(configs);
  stacks = configs.flatMap((c) =>
    Object.entries(synthesized.get(c) as Record<string, StackJson>).map(([name, json]) => ({
      name,
      config: c.label,
      label: `${name} (${c.label})`,
      json,
    })),
  );
  return stacks;
}

/** A deep copy of the first stack under test that holds a resource of `type` (what a test breaks on purpose). */
export function copyOfStackWith(type: string, where: (stack: StackUnderTest) => boolean = () => true): StackJson {
  const found = stacksUnderTest().find((s) => Object.keys(s.json.resource?.[type] ?? {}).length > 0 && where(s));
  if (!found) throw new Error(`no stack under test holds a resource of type ${type}`);
  return structuredClone(found.json);
}
