/**
 * The example configs a pipeline passes through PLATFORM_CONFIG (examples/*.json), each as the app reads it:
 * loaded from its file, validated, synthesized into every stack it implies (the CI account stacks of an
 * environment per account too), then `terraform validate` and `terraform plan` on each stack with the real
 * provider (offline mirror; the AMI parameter read from moto on loopback). Whatever example is added to the
 * folder is checked the same way.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { CONFIG_FILE_VARIABLE, loadPlatformConfig } from '../config/load';
import { SCHEMA_FILE } from '../config/reference';
import { validateConfig } from '../config/validate';
import { platformStackNames } from '../naming';
import { countByType, offlineOverrideFileFor, TerraformWorkdir, type PlanJson } from '../harness/terraform';
import { startMoto, type MotoServer } from '../harness/moto';
import { synthValidated, type Synthesized } from './support/synth';

const root = join(__dirname, '..');
const folder = join(root, 'examples');
const examples = readdirSync(folder)
  .filter((f) => f.endsWith('.json'))
  .sort();
const schema = JSON.parse(readFileSync(join(root, SCHEMA_FILE), 'utf8'));

interface Checked {
  readonly validate: string;
  readonly plan: PlanJson;
}

const synthesized: Record<string, Synthesized> = {};
const checked: Record<string, Record<string, Checked>> = {};
let moto: MotoServer | undefined;

/** Runs `work` over `items`, `limit` at a time (two cores: more would only queue). */
async function pooled<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: limit }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
    }),
  );
}

beforeAll(async () => {
  moto = await startMoto();
  const jobs: { example: string; stack: string }[] = [];
  for (const example of examples) {
    const config = validateConfig(loadPlatformConfig({ [CONFIG_FILE_VARIABLE]: join(folder, example) }));
    synthesized[example] = synthValidated(config);
    checked[example] = {};
    for (const stack of Object.keys(synthesized[example].stacks)) jobs.push({ example, stack });
  }
  await pooled(jobs, 2, async ({ example, stack }) => {
    const dir = synthesized[example].dirs[stack];
    const work = TerraformWorkdir.fromStack(dir, offlineOverrideFileFor(dir, { readEndpoint: moto!.endpoint }));
    try {
      await work.init();
      const validate = (await work.validate()).stdout;
      checked[example][stack] = { validate, plan: await work.plan() };
    } finally {
      work.remove();
    }
  });
}, 1_200_000);
afterAll(() => moto?.stop(), 30_000);

it('there are examples to check', () => {
  expect(examples.length).toBeGreaterThan(0);
});

describe.each(examples)('examples/%s', (example) => {
  const text = readFileSync(join(folder, example), 'utf8');

  it(`names the published schema for editors and passes it (${SCHEMA_FILE})`, () => {
    const json = JSON.parse(text);
    expect(json.$schema).toBe(`../${SCHEMA_FILE}`);
    const valid = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
    expect(valid(json) ? [] : valid.errors).toEqual([]);
  });

  it('synthesizes every stack the config implies', () => {
    const config = validateConfig(loadPlatformConfig({ [CONFIG_FILE_VARIABLE]: join(folder, example) }));
    expect(Object.keys(synthesized[example].stacks)).toEqual(platformStackNames(config));
  });

  it('every stack passes terraform validate and plans every declared resource for creation, with no errors', () => {
    for (const [stack, json] of Object.entries(synthesized[example].stacks)) {
      const { validate, plan } = checked[example][stack];
      expect({ stack, valid: validate.includes('Success! The configuration is valid.') }).toEqual({ stack, valid: true });
      expect({ stack, errored: plan.errored }).toEqual({ stack, errored: false });
      const declared = Object.fromEntries(Object.entries(json.resource).map(([type, byName]) => [type, Object.keys(byName).length]));
      expect({ stack, planned: countByType(plan) }).toEqual({ stack, planned: declared });
      expect(plan.resource_changes.filter((rc) => rc.change.actions.join() !== 'create').map((rc) => rc.address)).toEqual([]);
    }
  });
});
