/**
 * `npm run export` proven with real Terraform, for every synthesized stack:
 * - the exported HCL passes `terraform init -backend=false` and `terraform validate` with no Node on PATH,
 *   is `terraform fmt`-clean, and its lock file matches the provider package Terraform installs;
 * - `terraform plan` of the export and of cdk.tf.json (both with the test-only offline override) plan the
 *   same addresses with identical values, actions and configuration references;
 * - two exports in a row (cold, then warm schema cache) are byte-identical;
 * - it reads like Terraform an ops team writes: no escaped JSON document (policies are jsonencode), no
 *   quoted booleans, every line within the budget, arguments and blocks in the documented order, each
 *   resource after the resources of its file it refers to, moved blocks next to their resource.
 * Work runs in parallel across stacks and starts in beforeAll; each test awaits the part it checks.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { exportStacks, routeResource, type ExportResult } from '../export';
import { startMoto, type MotoServer } from '../harness/moto';
import { TerraformWorkdir, offlineOverrideFileFor, terraformBinary, type PlanJson, type RunResult } from '../harness/terraform';
import { synth } from './support/synth';
import { selectedStacks } from './support/stacks';

// Jest reads testTimeout from the global config only; the terraform project's setting does not reach here.
jest.setTimeout(600_000);

const synthesized = synth();
/** Every stack is exported; the Terraform checks run on those TEST_STACKS selects (default: all). */
const allStacks = Object.keys(synthesized.dirs);
const stacks = selectedStacks(allStacks);
const scratch = mkdtempSync(join(tmpdir(), 'export-test-'));
const firstOut = join(scratch, 'first');
const secondOut = join(scratch, 'second');
const schemaCache = join(scratch, 'schema-cache');

/** Absolute path of the terraform binary the harness runs. */
function terraformPath(): string {
  const bin = terraformBinary();
  if (bin.includes('/')) return bin;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, bin))) return join(dir, bin);
  }
  throw new Error(`terraform runs but was not found on PATH (${process.env.PATH})`);
}

const NODE_TOOLS = new Set(['node', 'nodejs', 'npm', 'npx', 'corepack']);

/**
 * A PATH with only terraform's own directory (a link to the binary) and a copy of /usr/bin and /bin
 * without Node and its tools: what an ops machine without Node looks like.
 */
function pathWithoutNode(): string {
  const terraformDir = join(scratch, 'terraform-bin');
  const systemDir = join(scratch, 'system-bin');
  mkdirSync(terraformDir);
  mkdirSync(systemDir);
  symlinkSync(terraformPath(), join(terraformDir, 'terraform'));
  for (const dir of ['/usr/bin', '/bin']) {
    for (const entry of readdirSync(dir)) {
      if (NODE_TOOLS.has(entry) || existsSync(join(systemDir, entry))) continue;
      symlinkSync(join(dir, entry), join(systemDir, entry));
    }
  }
  return [terraformDir, systemDir].join(delimiter);
}

/** Line-length budget of the export, outside heredocs. */
const LINE_BUDGET = 120;

/** Every exported `.tf` file of every stack (`<stack>/<file>`), with heredoc bodies left out. */
function exportedFiles(): { file: string; text: string }[] {
  return stacks.flatMap((stack) =>
    readdirSync(join(firstOut, stack))
      .filter((f) => f.endsWith('.tf'))
      .map((f) => ({
        file: `${stack}/${f}`,
        text: readFileSync(join(firstOut, stack, f), 'utf8').replace(/<<(\w+)\n[\s\S]*?\n\1$/gm, '<<heredoc'),
      })),
  );
}

/** Every file under `dir` (relative path → bytes). */
function tree(dir: string, prefix = ''): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) Object.assign(out, tree(path, `${prefix}${entry}/`));
    else out[`${prefix}${entry}`] = readFileSync(path);
  }
  return out;
}

/**
 * Terraform reports a JSON-syntax template as `constant_value` (its raw text, read with no context) next
 * to its references; HCL has no such constant. Likewise a constant JSON document in cdk.tf.json is a
 * `constant_value`, while its HCL `jsonencode({...})` is a function call that this view does not evaluate
 * (the planned values, compared exactly, hold the string both render). Drop those two, compare the rest.
 */
function withoutTemplateConstants(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTemplateConstants);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  const constant = (value as any).constant_value;
  const template = 'constant_value' in value && (((value as any).references ?? []).length > 0 || /[$%]\{/.test(JSON.stringify(constant)));
  for (const [k, v] of Object.entries(value)) {
    if ((template || isJsonDocument(constant)) && k === 'constant_value') continue;
    // Terraform lists an expression's references in the order it mentions them; jsonencode writes a policy's
    // elements in AWS's order and the JSON string in byte order, so only the set of references compares.
    out[k] = k === 'references' && Array.isArray(v) ? [...v].map(String).sort() : withoutTemplateConstants(v);
  }
  return out;
}

/** Whether `value` is a string holding a JSON object or array. */
function isJsonDocument(value: unknown): boolean {
  if (typeof value !== 'string' || !/^[{[]/.test(value)) return false;
  try {
    return typeof JSON.parse(value) === 'object';
  } catch {
    return false;
  }
}

/** Marks a promise handled (tests await the original), so a failure is reported by its test only. */
function started<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

interface Validated {
  readonly init: RunResult;
  readonly validate: RunResult;
  readonly fmt: RunResult;
  readonly lockBefore: string;
  readonly lockAfter: string;
}

// The plans read the AMI's public SSM parameter: moto on loopback answers it.
let emulator: Promise<MotoServer>;
const override = (stack: string) => emulator.then((m) => offlineOverrideFileFor(synthesized.dirs[stack], { readEndpoint: m.endpoint }));
const workdirs: TerraformWorkdir[] = [];
function workdir(make: () => TerraformWorkdir): TerraformWorkdir {
  const w = make();
  workdirs.push(w);
  return w;
}

async function plan(w: TerraformWorkdir): Promise<PlanJson> {
  await w.init();
  return w.plan();
}

/**
 * Values that trip converters, in a configuration with no provider (so it plans in a blink): every local
 * becomes an output, and the outputs of the JSON and of its HCL must be equal.
 */
const TRICKY: Record<string, unknown> = {
  variable: { name: { type: 'string', default: 'a ${literal} and %{ if x }', description: 'Costs $${dollar} and ${brace}' } },
  locals: {
    arn: 'arn:aws:s3:::bucket',
    port: 3306,
    script: '#!/bin/sh\necho "$HOME" \'C:\\dir\' $${NOT_TF} %%{nor}\nvalue=${var.name}\n≥ ünïcode\ttab\n',
    policy:
      '{"Statement":[{"Action":"s3:GetObject","Condition":{"Bool":{"aws:SecureTransport":"true"}},"Effect":"Allow","Resource":["${local.arn}","${local.arn}/*"]}],"Version":"2012-10-17"}',
    port_document: '{"Port":"${local.port}"}',
    unsorted_document: '{"b":1,"a":"${local.arn}"}',
    keys: { 'kms:ViaService': 'colon', '${var.name}': 'computed', 'a-b': 'dash', for: 'keyword', 'x${local.port}': 'templated' },
    mixed: 'prefix-${var.name}-${upper("x")}-suffix',
    interpolation_only: '${local.port}',
    numbers: [0, -30, 2.5, 1e21, 12345678901234],
    nested: { list: [{ a: [1, 2] }], empty: {}, nothing: null },
    no_final_newline: 'a\nb',
    crlf: 'a\r\nb\r\n',
    quotes: 'say "hi" \\ back',
    directive: '%{ for p in [1, 2] }${p},%{ endfor }',
    for_short: '${[ for n in [3, 1, 2]: n * 2]}',
    for_long: '${{ for name, port in { http = 80, https = 443, app_port_with_a_long_name = 8080 }: upper(name) => port if port > 0 }}',
  },
  output: {},
};
for (const name of Object.keys(TRICKY.locals as object)) (TRICKY.output as Record<string, unknown>)[name] = { value: `\${local.${name}}` };
(TRICKY.output as Record<string, unknown>).variable = { value: '${var.name}', description: 'Shows ${var.name} verbatim' };
let tricky: Promise<{
  json: PlanJson;
  hcl: PlanJson;
  files: Map<string, string>;
  fmt: RunResult;
  reformatted: readonly string[];
  outEntries: string[];
}>;

let noNodePath: string;
let firstExport: Promise<ExportResult>;
let secondExport: Promise<ExportResult>;
const validated: Record<string, Promise<Validated>> = {};
const jsonPlans: Record<string, Promise<PlanJson>> = {};
const hclPlans: Record<string, Promise<PlanJson>> = {};

beforeAll(() => {
  emulator = started(startMoto());
  noNodePath = pathWithoutNode();
  tricky = started(
    (async () => {
      // Through the whole exporter, as a stack of its own.
      const synthDir = join(scratch, 'tricky-synth');
      mkdirSync(join(synthDir, 'stacks', 'tricky'), { recursive: true });
      writeFileSync(join(synthDir, 'manifest.json'), JSON.stringify({ stacks: { tricky: { workingDirectory: 'stacks/tricky' } } }));
      writeFileSync(join(synthDir, 'stacks', 'tricky', 'cdk.tf.json'), JSON.stringify(TRICKY));
      // An earlier export of a stack that is gone, and a directory that is not an export.
      const outDir = join(scratch, 'tricky-out');
      for (const [dir, readme] of [
        ['gone', '# gone: plain Terraform\n'],
        ['notes', '# notes\n'],
      ]) {
        mkdirSync(join(outDir, dir), { recursive: true });
        writeFileSync(join(outDir, dir, 'README.md'), readme);
      }
      const exported = await exportStacks({ synthDir, outDir, schemaCacheDir: schemaCache });
      const outEntries = readdirSync(outDir).sort();
      const exportDir = join(scratch, 'tricky-out', 'tricky');
      const files = new Map(readdirSync(exportDir).map((f) => [f, readFileSync(join(exportDir, f), 'utf8')] as const));
      const json = workdir(() => TerraformWorkdir.fromDirectory(join(synthDir, 'stacks', 'tricky')));
      const hcl = workdir(() => TerraformWorkdir.fromDirectory(exportDir));
      const fmt = await hcl.run(['fmt', '-check', '-diff', '-no-color']);
      const [jsonPlan, hclPlan] = await Promise.all([plan(json), plan(hcl)]);
      return { json: jsonPlan, hcl: hclPlan, files, fmt, reformatted: exported.reformatted, outEntries };
    })(),
  );
  firstExport = started(exportStacks({ synthDir: synthesized.outdir, outDir: firstOut, schemaCacheDir: schemaCache }));
  secondExport = started(
    firstExport.then(() => exportStacks({ synthDir: synthesized.outdir, outDir: secondOut, schemaCacheDir: schemaCache })),
  );
  for (const stack of stacks) {
    jsonPlans[stack] = started(
      override(stack).then((files) => plan(workdir(() => TerraformWorkdir.fromStack(synthesized.dirs[stack], files)))),
    );
    hclPlans[stack] = started(
      Promise.all([firstExport, override(stack)]).then(([, files]) =>
        plan(workdir(() => TerraformWorkdir.fromDirectory(join(firstOut, stack), files))),
      ),
    );
    validated[stack] = started(
      firstExport.then(async () => {
        // Exactly what ops receive: no override, lock file included; Terraform sees no Node.
        const w = workdir(() => TerraformWorkdir.fromDirectory(join(firstOut, stack), {}, { keepLockFile: true }));
        const env = { PATH: noNodePath };
        const lockBefore = readFileSync(join(w.dir, '.terraform.lock.hcl'), 'utf8');
        const fmt = await w.run(['fmt', '-check', '-recursive', '-diff', '-no-color'], { env });
        const init = await w.run(['init', '-backend=false', '-input=false', '-no-color'], { env });
        const validate = await w.run(['validate', '-no-color'], { env });
        return { init, validate, fmt, lockBefore, lockAfter: readFileSync(join(w.dir, '.terraform.lock.hcl'), 'utf8') };
      }),
    );
  }
});

afterAll(async () => {
  await Promise.allSettled([
    tricky,
    firstExport,
    secondExport,
    ...Object.values(validated),
    ...Object.values(jsonPlans),
    ...Object.values(hclPlans),
  ]);
  for (const w of workdirs) w.remove();
  rmSync(scratch, { recursive: true, force: true });
  await emulator.then(
    (m) => m.stop(),
    () => undefined,
  );
}, 30_000); // moto may take its 10 s to stop on a busy machine

describe('the export', () => {
  it('writes one directory per synthesized stack: versions, providers, backend, lock file, README', async () => {
    const result = await firstExport;
    expect([...result.stacks].sort()).toEqual([...allStacks].sort());
    expect(readdirSync(firstOut).sort()).toEqual([...allStacks].sort());
    for (const stack of stacks) {
      expect(readdirSync(join(firstOut, stack))).toEqual(
        expect.arrayContaining(['versions.tf', 'providers.tf', 'backend.tf', '.terraform.lock.hcl', 'README.md']),
      );
    }
  });

  it('puts every resource in exactly one file, the one for its type, and every output in outputs.tf', async () => {
    await firstExport;
    for (const stack of stacks) {
      const dir = join(firstOut, stack);
      const files = Object.fromEntries(
        readdirSync(dir)
          .filter((f) => f.endsWith('.tf'))
          .map((f) => [f, readFileSync(join(dir, f), 'utf8')]),
      );
      const json = synthesized.stacks[stack];
      for (const [type, instances] of Object.entries(json.resource)) {
        for (const name of Object.keys(instances)) {
          const holders = Object.keys(files).filter((f) => files[f].includes(`resource "${type}" "${name}" {`));
          expect({ resource: `${stack}: ${type}.${name}`, holders }).toEqual({
            resource: `${stack}: ${type}.${name}`,
            holders: [routeResource(type).file],
          });
        }
      }
      for (const name of Object.keys(json.output)) expect(files['outputs.tf']).toContain(`output "${name}" {`);
    }
  });

  it('needs no reformatting: the converter already writes what `terraform fmt` writes', async () => {
    expect((await firstExport).reformatted).toEqual([]);
  });

  it('is byte-identical when run twice (cold, then cached provider schema)', async () => {
    await secondExport;
    const first = tree(firstOut);
    const second = tree(secondOut);
    expect(Object.keys(second)).toEqual(Object.keys(first));
    for (const file of Object.keys(first)) expect({ file, same: first[file].equals(second[file]) }).toEqual({ file, same: true });
  });

  it('writes references as expressions: no interpolation-only "${…}" strings', async () => {
    await firstExport;
    for (const { file, text } of exportedFiles()) {
      expect({ file, interpolationOnly: text.match(/(?<!\\)"\$\{[^"\n]*\}"/g) }).toEqual({ file, interpolationOnly: null });
    }
  });

  it('holds no escaped JSON document: every policy is jsonencode({...})', async () => {
    await firstExport;
    for (const { file, text } of exportedFiles())
      expect({ file, escapedJson: text.match(/^.*"[{[]\\".*$/gm) }).toEqual({ file, escapedJson: null });
    const policies = exportedFiles().flatMap(({ text }) => text.match(/^ +(policy|assume_role_policy) += jsonencode\(\{$/gm) ?? []);
    expect(policies.length).toBeGreaterThan(0);
  });

  it('writes booleans unquoted: no argument is "true" or "false"', async () => {
    await firstExport;
    for (const { file, text } of exportedFiles())
      expect({ file, quoted: text.match(/^ *[a-z][a-z0-9_]* += "(true|false)"$/gm) }).toEqual({ file, quoted: null });
  });

  it(`keeps every line outside heredocs within ${LINE_BUDGET} characters (a longer one only for one unbreakable literal: an ARN, a URL, an argument that is one string)`, async () => {
    await firstExport;
    for (const { file, text } of exportedFiles()) {
      const unbreakable = (line: string) =>
        (line.match(/"[^"\s]*"/g) ?? []).reduce((longest, literal) => (literal.length > longest.length ? literal : longest), '');
      // HCL has no way to continue a string literal, so an argument that is one long literal (a header value
      // such as a Content-Security-Policy) is as unbreakable as an ARN.
      const oneLiteral = (line: string) => /^ *[a-z][a-z0-9_]* += "(?:[^"\\$%]|\\.)*"$/.test(line);
      const over = text
        .split('\n')
        .filter((line) => line.length > LINE_BUDGET && !oneLiteral(line) && line.replace(unbreakable(line), '""').length > LINE_BUDGET);
      expect({ file, over }).toEqual({ file, over: [] });
    }
  });

  it('orders each block: meta-arguments first, tags last among the arguments, then nested blocks, lifecycle, depends_on', async () => {
    await firstExport;
    let checked = 0;
    for (const { file, text } of exportedFiles()) {
      for (const [, header, body] of text.matchAll(/^((?:resource|data) "\w+" "\w+") \{\n([\s\S]*?)^\}$/gm)) {
        // The body's own items: lines indented once (`name =` or `name {`), in order.
        const items = [...body.matchAll(/^ {2}(?:([a-z_][a-z0-9_]*) +=|([a-z_][a-z0-9_]*)(?: "[^"]*")* \{\}?$)/gm)].map(
          ([, argument, block]) => ({ name: argument ?? block, block: !argument }),
        );
        const names = items.map((i) => i.name);
        const where = `${file}: ${header}`;
        const meta = names.filter((n) => ['count', 'for_each', 'provider'].includes(n));
        expect({ where, first: names.slice(0, meta.length) }).toEqual({ where, first: meta });
        const lastArgument = items.filter((i) => !i.block && i.name !== 'depends_on').pop();
        if (names.includes('tags')) expect({ where, lastArgument: lastArgument?.name }).toEqual({ where, lastArgument: 'tags' });
        const firstBlock = items.findIndex((i) => i.block);
        if (firstBlock >= 0)
          expect({
            where,
            argumentsAfterBlocks: items
              .slice(firstBlock)
              .filter((i) => !i.block && i.name !== 'depends_on')
              .map((i) => i.name),
          }).toEqual({ where, argumentsAfterBlocks: [] });
        if (names.includes('lifecycle'))
          expect({ where, afterLifecycle: names.slice(names.indexOf('lifecycle') + 1).filter((n) => n !== 'depends_on') }).toEqual({
            where,
            afterLifecycle: [],
          });
        if (names.includes('depends_on')) expect({ where, last: names[names.length - 1] }).toEqual({ where, last: 'depends_on' });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('puts each resource after the resources of its file that it refers to, and a moved block right after its resource', async () => {
    await firstExport;
    for (const stack of stacks) {
      const json = synthesized.stacks[stack];
      const addresses = Object.entries(json.resource).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`));
      for (const address of addresses) {
        const [type, name] = address.split('.');
        const file = routeResource(type).file;
        const text = readFileSync(join(firstOut, stack, file), 'utf8');
        const position = (a: string) => text.indexOf(`resource "${a.split('.')[0]}" "${a.split('.')[1]}" {`);
        const body = JSON.stringify({ ...json.resource[type][name], '//': undefined });
        const refersTo = addresses.filter(
          (other) =>
            other !== address &&
            routeResource(other.split('.')[0]).file === file &&
            new RegExp(`(?<![\\w.])${other.replace(/\./g, '\\.')}(?=[.\\[}"])`).test(body),
        );
        for (const other of refersTo)
          expect({ address, refersTo: other, before: position(other) < position(address) }).toEqual({
            address,
            refersTo: other,
            before: true,
          });
      }
      for (const moved of (json.moved ?? []) as { from: string; to: string }[]) {
        const target = moved.to.replace(/\[.*$/, '');
        const text = readFileSync(join(firstOut, stack, routeResource(target.split('.')[0]).file), 'utf8');
        const end = text.indexOf('\n}\n', text.indexOf(`resource "${target.split('.')[0]}" "${target.split('.')[1]}" {`));
        const next = text.slice(end + 4).split('\n\n')[0];
        expect({ moved: moved.to, next }).toEqual({ moved: moved.to, next: `moved {\n  from = ${moved.from}\n  to   = ${moved.to}\n}` });
      }
    }
  });
});

describe('values that trip converters', () => {
  it('evaluate identically in the JSON and in its HCL', async () => {
    const { json, hcl } = await tricky;
    const outputs = (p: PlanJson) => p.planned_values.outputs ?? {};
    expect(Object.keys(outputs(json)).length).toBe(Object.keys(TRICKY.output as object).length);
    expect(outputs(hcl)).toEqual(outputs(json));
    expect(withoutTemplateConstants(hcl.configuration)).toEqual(withoutTemplateConstants(json.configuration));
  });

  it('replace earlier exports of stacks that are gone, and nothing else', async () => {
    expect((await tricky).outEntries).toEqual(['notes', 'tricky']);
  });

  it('are written idiomatically: heredoc, jsonencode where exact, quoted keys, fmt-clean', async () => {
    const { files, fmt, reformatted } = await tricky;
    const text = [...files.values()].join('\n');
    expect(fmt.stdout).toBe('');
    // cdktf hands template sequences over as written; the export's `terraform fmt` tidies their spacing.
    expect(reformatted).toEqual(['tricky/locals.tf']);
    const escape = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    /** `key = value` at any indentation and alignment. */
    const line = (key: string, value: string) => new RegExp(`^ +${escape(key)} += ${escape(value)}$`, 'm');
    expect(text).toMatch(line('script', '<<EOT'));
    expect(text).toMatch(line('policy', 'jsonencode({'));
    expect(text).toMatch(line('Port', 'tostring(local.port)'));
    expect(text).toMatch(line('unsorted_document', '"{\\"b\\":1,\\"a\\":\\"${local.arn}\\"}"'));
    expect(text).toMatch(line('"kms:ViaService"', '"colon"'));
    expect(text).toMatch(line('(var.name)', '"computed"'));
    expect(text).toMatch(line('default', '"a $${literal} and %%{ if x }"'));
    expect(text).toMatch(line('directive', '"%{for p in [1, 2]}${p},%{endfor}"'));
    expect(text).toMatch(line('for_short', '[for n in [3, 1, 2] : n * 2]'));
    expect(text).toContain(
      'for_long = {\n    for name, port in { http = 80, https = 443, app_port_with_a_long_name = 8080 } :\n    upper(name) => port if port > 0\n  }',
    );
  });
});

describe.each(stacks)('%s exported', (stack) => {
  it('runs with no Node on PATH', async () => {
    await validated[stack];
    const shell = spawnSync('/bin/sh', ['-c', 'command -v node; command -v terraform'], { env: { PATH: noNodePath }, encoding: 'utf8' });
    expect(shell.stdout.trim()).toBe(join(scratch, 'terraform-bin', 'terraform'));
    for (const dir of noNodePath.split(delimiter)) expect(existsSync(join(dir, 'node'))).toBe(false);
  });

  it('is fmt-clean, and passes terraform init -backend=false and validate', async () => {
    const { fmt, validate } = await validated[stack];
    expect(fmt.stdout).toBe('');
    expect(validate.stdout).toContain('The configuration is valid.');
  });

  it('ships the lock file terraform init verifies and keeps', async () => {
    const { lockBefore, lockAfter, init } = await validated[stack];
    expect(init.stdout).toContain('hashicorp/aws');
    expect(lockBefore).toMatch(/provider "registry\.terraform\.io\/hashicorp\/aws" \{\n {2}version {5}= "5\.100\.0"/);
    expect(lockAfter).toBe(lockBefore);
  });

  it('plans the same resource addresses as cdk.tf.json', async () => {
    const [json, hcl] = await Promise.all([jsonPlans[stack], hclPlans[stack]]);
    const addresses = (p: PlanJson) => p.resource_changes.map((rc) => rc.address).sort();
    const declared = Object.values(synthesized.stacks[stack].resource).reduce((n, byName) => n + Object.keys(byName).length, 0);
    expect(addresses(json)).toHaveLength(declared);
    expect(addresses(hcl)).toEqual(addresses(json));
  });

  it('plans identical values, actions and outputs', async () => {
    const [json, hcl] = await Promise.all([jsonPlans[stack], hclPlans[stack]]);
    const byAddress = (p: PlanJson) => Object.fromEntries(p.resource_changes.map((rc) => [rc.address, rc]));
    expect(hcl.planned_values).toEqual(json.planned_values);
    expect(byAddress(hcl)).toEqual(byAddress(json));
    expect((hcl as any).output_changes).toEqual((json as any).output_changes);
  });

  it('has the same configuration: references, dependencies, provider settings', async () => {
    const [json, hcl] = await Promise.all([jsonPlans[stack], hclPlans[stack]]);
    expect(withoutTemplateConstants(hcl.configuration)).toEqual(withoutTemplateConstants(json.configuration));
    const relevant = (p: PlanJson) => ((p as any).relevant_attributes as unknown[]).map((r) => JSON.stringify(r)).sort();
    expect(relevant(hcl)).toEqual(relevant(json));
  });
});
