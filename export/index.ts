/**
 * The plain-Terraform export (`npm run export`): every synthesized stack in `cdktf.out` becomes a
 * directory of HCL files split by concern, with the provider lock file and a README, for ops teams that
 * apply Terraform without Node. The HCL comes from `./hcl.ts`; Terraform itself supplies the provider
 * schema, the lock file and the final `terraform fmt`. Output is byte-for-byte deterministic.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { convert, type HclBlock, type TerraformJson } from './hcl';
import { loadProviders, type ProviderSetup } from './provider-schema';
import { TerraformWorkdir } from '../harness/terraform';

/** Files of an export and what each holds; resources are routed by type (longest matching prefix). */
export const CONCERNS = {
  'versions.tf': 'Terraform and provider version requirements',
  'providers.tf': 'Provider configuration',
  'backend.tf': 'Where the state lives',
  'locals.tf': 'Local values',
  'variables.tf': 'Input variables',
  'network.tf': 'Network: VPC, subnets, gateways, routes and flow logs',
  'security.tf': 'Security groups and their rules',
  'iam.tf': 'IAM roles, policies and instance profiles',
  'encryption.tf': 'Encryption keys and secrets',
  'load_balancer.tf': 'Load balancer, target groups and listeners',
  'edge.tf': 'Edge: CloudFront distributions, origin access, response headers policies and functions',
  'dns.tf': 'DNS records and TLS certificates',
  'storage.tf': 'Storage: S3 buckets and their settings',
  'database.tf': 'Database: instances, subnet and parameter groups',
  'compute.tf': 'Compute: instances, launch templates, auto scaling',
  'monitoring.tf': 'Logs, metrics and alarms',
  'main.tf': 'Everything else',
  'outputs.tf': 'Outputs',
} as const;

export type ExportFile = keyof typeof CONCERNS;

/** Resource and data source type prefixes per file, in the order a reader meets them in that file. */
const ROUTES: readonly (readonly [ExportFile, readonly string[]])[] = [
  [
    'network.tf',
    [
      'aws_vpc',
      'aws_default_vpc',
      'aws_availability_zone',
      'aws_subnet',
      'aws_default_subnet',
      'aws_internet_gateway',
      'aws_egress_only_internet_gateway',
      'aws_eip',
      'aws_nat_gateway',
      'aws_route_table',
      'aws_default_route_table',
      'aws_main_route_table_association',
      'aws_route',
      'aws_network_acl',
      'aws_default_network_acl',
      'aws_network_interface',
      'aws_ec2_transit_gateway',
      'aws_vpn',
      'aws_customer_gateway',
      'aws_flow_log',
    ],
  ],
  ['security.tf', ['aws_security_group', 'aws_default_security_group', 'aws_vpc_security_group_', 'aws_wafv2_', 'aws_shield_']],
  ['iam.tf', ['aws_iam_']],
  ['encryption.tf', ['aws_kms_', 'aws_secretsmanager_']],
  ['load_balancer.tf', ['aws_lb', 'aws_alb', 'aws_elb']],
  ['edge.tf', ['aws_cloudfront_']],
  ['dns.tf', ['aws_acm_', 'aws_route53_']],
  ['storage.tf', ['aws_s3_', 'aws_efs_', 'aws_ebs_', 'aws_backup_']],
  ['database.tf', ['aws_db_', 'aws_rds_', 'aws_elasticache_', 'aws_dynamodb_', 'aws_docdb_', 'aws_memorydb_']],
  [
    'compute.tf',
    [
      'aws_ami',
      'aws_key_pair',
      'aws_placement_group',
      'aws_launch_template',
      'aws_launch_configuration',
      'aws_instance',
      'aws_autoscaling_',
      'aws_ecs_',
      'aws_lambda_',
    ],
  ],
  ['monitoring.tf', ['aws_cloudwatch_', 'aws_sns_', 'aws_cloudtrail']],
];

const PREFIXES = ROUTES.flatMap(([file, prefixes]) => prefixes.map((prefix) => ({ file, prefix })));

/** Where a resource type goes, and its rank there (by the prefix that matched). */
export function routeResource(type: string): { file: ExportFile; rank: number } {
  let best = -1;
  PREFIXES.forEach(({ prefix }, i) => {
    if (type.startsWith(prefix) && (best < 0 || prefix.length > PREFIXES[best].prefix.length)) best = i;
  });
  return best < 0 ? { file: 'main.tf', rank: PREFIXES.length } : { file: PREFIXES[best].file, rank: best };
}

const FILE_OF_KIND: Record<Exclude<HclBlock['kind'], 'resource' | 'data'>, ExportFile> = {
  terraform: 'versions.tf',
  backend: 'backend.tf',
  provider: 'providers.tf',
  locals: 'locals.tf',
  variable: 'variables.tf',
  output: 'outputs.tf',
  module: 'main.tf',
  moved: 'main.tf',
  import: 'main.tf',
  removed: 'main.tf',
};

const ABOUT_A_RESOURCE = new Set<HclBlock['kind']>(['moved', 'import', 'removed']);

function fileOf(block: HclBlock): { file: ExportFile; rank: number } {
  if (block.kind === 'resource' || block.kind === 'data') return routeResource(block.type as string);
  // A moved, import or removed block goes with the resource it is about.
  if (ABOUT_A_RESOURCE.has(block.kind) && block.type) return routeResource(block.type);
  return { file: FILE_OF_KIND[block.kind], rank: 0 };
}

function addressOf(block: HclBlock): string | undefined {
  if (block.kind === 'resource') return `${block.type}.${block.name}`;
  return block.kind === 'data' ? `data.${block.type}.${block.name}` : undefined;
}

/**
 * The blocks of one file in reading order: resources by type (the rank of their prefix in ROUTES), then
 * type and name, except that a resource comes after the resources of the same file it refers to (each
 * pulled up just before its first user; a cycle keeps the sorted order). A moved, import or removed block
 * follows the resource it is about; other blocks keep the converter's order.
 */
function readingOrder<T extends { block: HclBlock; index: number; rank: number }>(inFile: readonly T[]): T[] {
  const sorted = [...inFile].sort(
    (a, b) =>
      a.rank - b.rank ||
      compare(a.block.type ?? '', b.block.type ?? '') ||
      compare(a.block.name ?? '', b.block.name ?? '') ||
      a.index - b.index,
  );
  const about = sorted.filter((b) => ABOUT_A_RESOURCE.has(b.block.kind));
  const byAddress = new Map(sorted.flatMap((b) => (addressOf(b.block) ? [[addressOf(b.block) as string, b] as const] : [])));
  const out: T[] = [];
  const placed = new Set<T>();
  const place = (b: T): void => {
    if (placed.has(b)) return;
    placed.add(b);
    for (const address of b.block.references ?? []) {
      const dependency = byAddress.get(address);
      if (dependency) place(dependency);
    }
    out.push(b);
    const address = addressOf(b.block);
    for (const a of about) if (address && a.block.references?.[0] === address) place(a);
  };
  for (const b of sorted) if (!ABOUT_A_RESOURCE.has(b.block.kind)) place(b);
  for (const a of about) place(a);
  return out;
}

/** The HCL files of one stack (file name → content), before `terraform fmt`. */
export function renderStack(stack: string, converted: readonly HclBlock[]): Map<ExportFile, string> {
  const blocks = converted.map((block, index) => ({ block, index, ...fileOf(block) }));
  const files = new Map<ExportFile, string>();
  for (const file of Object.keys(CONCERNS) as ExportFile[]) {
    const inFile = readingOrder(blocks.filter((b) => b.file === file));
    if (inFile.length === 0) continue;
    const header = [
      `# ${CONCERNS[file]}.`,
      `# Generated from the cdktf stack "${stack}" by \`npm run export\`: do not edit; change the TypeScript source (README.md).`,
    ];
    const parts = inFile.map(({ block }) => (block.source ? `# Construct: ${block.source}\n${block.text}` : block.text));
    files.set(file, `${header.join('\n')}\n\n${parts.join('\n\n')}\n`);
  }
  return files;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------------
// README

function code(text: string): string {
  return `\`${text}\``;
}

/** A stack's README: what it creates, its state, how to run it, and how changes flow back. */
export function renderReadme(
  stack: string,
  json: TerraformJson,
  blocks: readonly HclBlock[],
  files: ReadonlyMap<ExportFile, string>,
  hasLockFile: boolean,
): string {
  const resources = blocks.filter((b) => b.kind === 'resource');
  const terraform = (json.terraform ?? {}) as Record<string, any>;
  const providers = Object.entries((terraform.required_providers ?? {}) as Record<string, any>).map(
    ([name, p]) => `${typeof p === 'string' ? name : (p.source ?? name)} ${typeof p === 'string' ? p : (p.version ?? '(any version)')}`,
  );
  const cdktfVersion = (json['//'] as any)?.metadata?.version;
  const awsConfigs = ([] as any[]).concat((json.provider as any)?.aws ?? []);
  const where = awsConfigs
    .map((c) =>
      [c.region && `region ${code(c.region)}`, c.allowed_account_ids && `account ${c.allowed_account_ids.map(code).join(', ')}`]
        .filter(Boolean)
        .join(', '),
    )
    .filter(Boolean);
  const example = resources.find((r) => r.source)?.source?.split('/');

  const out: string[] = [];
  out.push(`# ${stack}: plain Terraform`, '');
  out.push(
    `Generated by ${code('npm run export')} from the cdktf stack ${code(stack)}${cdktfVersion ? ` (cdktf ${cdktfVersion})` : ''}. ` +
      'It plans exactly like the synthesized `cdk.tf.json`: same resources, same addresses, same values.',
    '',
    '**Do not edit these files.** The TypeScript source is the truth and the next export overwrites this directory; ' +
      'see [Changing the infrastructure](#changing-the-infrastructure).',
    '',
  );

  out.push('## What it creates', '');
  out.push(
    `${resources.length} resources${providers.length ? ` with ${providers.join(', ')}` : ''}${where.length ? ` (${where.join('; ')})` : ''}.`,
    '',
  );
  out.push('| File | Holds | Resources |', '| --- | --- | --- |');
  for (const file of files.keys()) {
    const count = resources.filter((r) => routeResource(r.type as string).file === file).length;
    out.push(`| ${code(file)} | ${CONCERNS[file]} | ${count || ''} |`);
  }
  out.push('');
  for (const file of files.keys()) {
    const inFile = resources.filter((r) => routeResource(r.type as string).file === file);
    if (inFile.length === 0) continue;
    out.push(`### ${code(file)}`, '', '| Address | Construct (TypeScript) |', '| --- | --- |');
    inFile
      .map((r) => ({ address: `${r.type}.${r.name}`, source: r.source ?? '', rank: routeResource(r.type as string).rank }))
      .sort((a, b) => a.rank - b.rank || compare(a.address, b.address))
      .forEach((r) => out.push(`| ${code(r.address)} | ${r.source ? code(r.source) : ''} |`));
    out.push('');
  }
  const outputs = Object.entries((json.output ?? {}) as Record<string, any>);
  if (outputs.length > 0) {
    out.push('### Outputs', '', '| Output | Description |', '| --- | --- |');
    for (const [name, o] of outputs)
      out.push(`| ${code(name)} | ${(o.description ?? '').replace(/\|/g, '\\|')}${o.sensitive ? ' (sensitive)' : ''} |`);
    out.push('');
  }

  out.push('## State', '');
  const backends = Object.entries((terraform.backend ?? {}) as Record<string, Record<string, unknown>>);
  if (backends.length === 0 && !terraform.cloud)
    out.push('No backend is configured: Terraform keeps the state in `terraform.tfstate` in this directory.', '');
  for (const [type, settings] of backends) {
    out.push(`Backend ${code(type)} (${code('backend.tf')}):`, '');
    for (const [key, value] of Object.entries(settings)) out.push(`- ${code(key)} = ${code(JSON.stringify(value))}`);
    out.push('');
    if (settings.use_lockfile === true)
      out.push(
        '`use_lockfile = true` locks the state with a lock object next to it in S3 (Terraform >= 1.10), no DynamoDB table needed.',
        '',
      );
  }
  if (terraform.cloud) out.push('The state lives in HCP Terraform (`cloud` block in `backend.tf`).', '');
  if (backends.length > 0 || terraform.cloud) {
    out.push(
      'This is the same state the cdktf stack uses, and every resource keeps its address, so the export can take over ' +
        'a stack deployed with `cdktf deploy`: `terraform plan` shows no changes. Apply from one side only.',
      '',
    );
  }

  out.push('## Using it', '');
  out.push(
    `Needs Terraform${terraform.required_version ? ` ${code(terraform.required_version)}` : ''}` +
      `${awsConfigs.length ? ` and AWS credentials${where.some((w) => w.includes('account')) ? ' for the account above' : ''}` : ''}. No Node.js.`,
    '',
    '```sh',
    'terraform init              # provider from the registry, checked against .terraform.lock.hcl; state backend',
    'terraform plan -out=tfplan  # review',
    'terraform apply tfplan',
    '```',
    '',
    'To check the files without AWS credentials or state access: `terraform init -backend=false && terraform validate`.',
    '',
  );
  if (hasLockFile) {
    out.push(
      `${code('.terraform.lock.hcl')} pins the provider to the exact package the export was checked with (its checksum ` +
        'for the platform the export ran on). On another platform, add yours once with ' +
        '`terraform providers lock -platform=darwin_arm64` (or your platform) before `terraform init`.',
      '',
    );
  }

  out.push('## Changing the infrastructure', '');
  out.push(
    'The TypeScript in the source repository is the truth: `config/environments.ts` (sizes, CIDRs, zones, ' +
      'protection), `stacks/` (one file per stack) and `modules/` (one construct family per file). Every ' +
      'resource in these files is preceded by `# Construct: <path>`, its construct path: the stack, then the ids of ' +
      'the constructs that lead to it' +
      (example && example.length > 2
        ? ` (${code(example.join('/'))}: stack ${code(example[0])}, construct ${example.slice(1, -1).map(code).join(' → ')}, resource ${code(example[example.length - 1])}).`
        : '.'),
    '',
    '1. Change the TypeScript (or the environment config), never these files.',
    '2. `npm run synth && npm test` in the source repository.',
    '3. `npm run export` and review the difference to the previous export: that difference is the change.',
    '4. `terraform plan` here (or `cdktf diff`), then apply.',
    '',
    'A fix made directly in these files (an emergency) is lost at the next export: port it to the TypeScript, ' +
      're-export, and check that `terraform plan` of the new export shows no changes. Never rename a resource here ' +
      'or a construct id there: the address changes and Terraform destroys and re-creates the resource.',
    '',
  );
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------------
// Writing the export

export interface ExportOptions {
  /** The cdktf output directory (holds manifest.json and stacks/). */
  readonly synthDir: string;
  /** Where the stacks' directories go (`dist/terraform`); replaced entirely. */
  readonly outDir: string;
  /** Cache of compact provider schemas. */
  readonly schemaCacheDir: string;
}

export interface ExportResult {
  /** Stack names, in manifest order. */
  readonly stacks: readonly string[];
  /** `<stack>/<file>` that `terraform fmt` changed: the converter's layout missed there (should be none). */
  readonly reformatted: readonly string[];
}

/** Stack name → its synthesized directory, from cdktf's manifest. */
export function synthesizedStacks(synthDir: string): Map<string, string> {
  const manifestPath = join(synthDir, 'manifest.json');
  if (!existsSync(manifestPath)) throw new Error(`No cdktf output at ${synthDir} (manifest.json missing): run \`npm run synth\` first.`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { stacks: Record<string, { workingDirectory: string }> };
  return new Map(Object.entries(manifest.stacks).map(([name, s]) => [name, join(synthDir, s.workingDirectory)]));
}

/** Files of a synthesized stack directory that belong in the export as they are (assets). */
function assetEntries(stackDir: string): string[] {
  const skip = new Set(['cdk.tf.json', 'metadata.json', '.terraform', '.terraform.lock.hcl', 'plan', 'tfplan']);
  return readdirSync(stackDir)
    .filter((e) => !skip.has(e) && !e.includes('.tfstate'))
    .sort();
}

/** Canonical JSON (sorted keys), so equal provider requirements share one Terraform init. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Exports one stack into `target` (created fresh); returns the files `terraform fmt` changed. */
async function exportStack(stack: string, stackDir: string, setup: ProviderSetup, target: string): Promise<string[]> {
  const json = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8')) as TerraformJson;
  const blocks = convert(json, setup.schemas);
  const files = renderStack(stack, blocks);
  const work = TerraformWorkdir.fromDirectory(undefined, Object.fromEntries(files));
  try {
    const listed = await work.run(['fmt', '-list=true', '-no-color']);
    const reformatted = listed.stdout.split('\n').filter(Boolean).sort();
    rmSync(target, { recursive: true, force: true });
    mkdirSync(target, { recursive: true });
    for (const file of files.keys()) writeFileSync(join(target, file), readFileSync(join(work.dir, file)));
    if (setup.lockFile) writeFileSync(join(target, '.terraform.lock.hcl'), setup.lockFile);
    writeFileSync(join(target, 'README.md'), renderReadme(stack, json, blocks, files, setup.lockFile !== ''));
    for (const entry of assetEntries(stackDir)) cpSync(join(stackDir, entry), join(target, entry), { recursive: true });
    return reformatted.map((f) => `${stack}/${f}`);
  } finally {
    work.remove();
  }
}

/** Whether `dir` is an earlier export of stack `name` (judged by its README), so it may be removed. */
function isExport(dir: string, name: string): boolean {
  const readme = join(dir, 'README.md');
  return existsSync(readme) && readFileSync(readme, 'utf8').startsWith(`# ${name}: plain Terraform\n`);
}

/** Exports every stack of `synthDir` into `outDir/<stack>/`, removing earlier exports of stacks that are gone. */
export async function exportStacks(options: ExportOptions): Promise<ExportResult> {
  const stacks = synthesizedStacks(options.synthDir);
  const setups = new Map<string, Promise<ProviderSetup>>();
  const setupFor = (stackDir: string) => {
    const json = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8')) as TerraformJson;
    const required = ((json.terraform ?? {}) as Record<string, unknown>).required_providers ?? {};
    const key = canonical(required);
    if (!setups.has(key)) setups.set(key, loadProviders(required as Record<string, unknown>, options.schemaCacheDir));
    return setups.get(key) as Promise<ProviderSetup>;
  };
  mkdirSync(options.outDir, { recursive: true });
  const reformatted = await Promise.all(
    [...stacks].map(async ([stack, dir]) => exportStack(stack, dir, await setupFor(dir), join(options.outDir, stack))),
  );
  for (const entry of readdirSync(options.outDir)) {
    if (!stacks.has(entry) && isExport(join(options.outDir, entry), entry))
      rmSync(join(options.outDir, entry), { recursive: true, force: true });
  }
  return { stacks: [...stacks.keys()], reformatted: reformatted.flat() };
}
