/**
 * Provider schemas for the HCL export: which keys of a resource body are attributes and which are nested
 * blocks (and how blocks nest). Read from `terraform providers schema -json` in a scratch directory that
 * requires exactly the stack's providers, installed from the offline mirror (see `./terraform.ts`); the
 * same `terraform init` yields the stack's `.terraform.lock.hcl`.
 *
 * The full schema of hashicorp/aws is ~14 MB and takes seconds to dump, so its compact form (names,
 * nesting, primitive types, which attributes are required; no descriptions) is cached per lock file, i.e.
 * per exact provider package.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TerraformWorkdir } from '../harness/terraform';

/** How a nested block type repeats (Terraform's `nesting_mode`). */
export type NestingMode = 'single' | 'group' | 'list' | 'set' | 'map';

/**
 * What the converter needs to know of an attribute: its primitive type, or `object-list` for a list or
 * set of objects (which Terraform also accepts written as repeated blocks), or `other`.
 */
export type AttributeKind = 'string' | 'number' | 'bool' | 'object-list' | 'other';

export interface BlockSchema {
  readonly attributes: Readonly<Record<string, AttributeKind>>;
  readonly blocks: Readonly<Record<string, NestedBlockSchema>>;
  /** Attributes the schema marks required (the export writes them before the optional ones). */
  readonly required?: readonly string[];
  /** For `object-list` attributes whose objects have primitive attributes: those attributes' kinds. */
  readonly elements?: Readonly<Record<string, Readonly<Record<string, AttributeKind>>>>;
}

export interface NestedBlockSchema {
  readonly nesting: NestingMode;
  readonly block: BlockSchema;
}

export interface ProviderSchema {
  readonly provider: BlockSchema;
  readonly resources: Readonly<Record<string, BlockSchema>>;
  readonly dataSources: Readonly<Record<string, BlockSchema>>;
}

/** Provider schemas by full source address (`registry.terraform.io/hashicorp/aws`). */
export type ProviderSchemas = Readonly<Record<string, ProviderSchema>>;

/** `hashicorp/aws` → `registry.terraform.io/hashicorp/aws` (the key `providers schema -json` uses). */
export function providerAddress(source: string): string {
  const parts = source.toLowerCase().split('/');
  if (parts.length === 1) return `registry.terraform.io/hashicorp/${parts[0]}`;
  return parts.length === 2 ? `registry.terraform.io/${parts.join('/')}` : parts.join('/');
}

interface RawBlock {
  attributes?: Record<string, { type?: unknown; nested_type?: unknown; required?: boolean }>;
  block_types?: Record<string, { nesting_mode: NestingMode; block: RawBlock }>;
}

function attributeKind(type: unknown): AttributeKind {
  if (type === 'string' || type === 'number' || type === 'bool') return type;
  if (Array.isArray(type) && (type[0] === 'list' || type[0] === 'set') && Array.isArray(type[1]) && type[1][0] === 'object') {
    return 'object-list';
  }
  return 'other';
}

function compactBlock(raw: RawBlock): BlockSchema {
  const attributes: Record<string, AttributeKind> = {};
  const required: string[] = [];
  const elements: Record<string, Record<string, AttributeKind>> = {};
  for (const [name, attribute] of Object.entries(raw.attributes ?? {})) {
    attributes[name] = attribute.nested_type ? 'other' : attributeKind(attribute.type);
    if (attribute.required) required.push(name);
    if (attributes[name] === 'object-list') {
      const fields = (attribute.type as [string, [string, Record<string, unknown>]])[1][1];
      elements[name] = Object.fromEntries(Object.entries(fields).map(([field, type]) => [field, attributeKind(type)]));
    }
  }
  const blocks: Record<string, NestedBlockSchema> = {};
  for (const [name, nested] of Object.entries(raw.block_types ?? {})) {
    blocks[name] = { nesting: nested.nesting_mode, block: compactBlock(nested.block) };
  }
  return { attributes, blocks, ...(required.length > 0 ? { required } : {}), ...(Object.keys(elements).length > 0 ? { elements } : {}) };
}

function compactSchemas(raw: { provider_schemas?: Record<string, any> }): ProviderSchemas {
  const out: Record<string, ProviderSchema> = {};
  for (const [address, schema] of Object.entries(raw.provider_schemas ?? {})) {
    const each = (group: Record<string, { block: RawBlock }> | undefined) =>
      Object.fromEntries(Object.entries(group ?? {}).map(([type, s]) => [type, compactBlock(s.block)]));
    out[address] = {
      provider: compactBlock(schema.provider?.block ?? {}),
      resources: each(schema.resource_schemas),
      dataSources: each(schema.data_source_schemas),
    };
  }
  return out;
}

/** Version of the compact form; a cache written in another form is not read. */
const COMPACT_FORMAT = 3;

export interface ProviderSetup {
  /** The `.terraform.lock.hcl` Terraform writes for these providers ('' when there are none). */
  readonly lockFile: string;
  readonly schemas: ProviderSchemas;
}

/**
 * Installs the providers `requiredProviders` (a `terraform.required_providers` object) names into a
 * scratch directory and returns its lock file and their schemas, the schemas from `cacheDir` when a
 * previous run cached them for the same lock file.
 */
export async function loadProviders(requiredProviders: Record<string, unknown>, cacheDir: string): Promise<ProviderSetup> {
  const config = { terraform: { required_providers: requiredProviders } };
  const work = TerraformWorkdir.fromDirectory(undefined, { 'providers.tf.json': JSON.stringify(config, null, 2) });
  try {
    await work.init(['-backend=false']);
    const lockPath = join(work.dir, '.terraform.lock.hcl');
    // No providers, no lock file.
    const lockFile = existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : '';
    const version = JSON.parse((await work.run(['version', '-json'])).stdout).terraform_version as string;
    const key = createHash('sha256').update(`${COMPACT_FORMAT}\n${version}\n${lockFile}`).digest('hex').slice(0, 16);
    const cached = join(cacheDir, `${key}.json`);
    if (existsSync(cached)) return { lockFile, schemas: JSON.parse(readFileSync(cached, 'utf8')) as ProviderSchemas };
    const shown = await work.run(['providers', 'schema', '-json']);
    const schemas = compactSchemas(JSON.parse(shown.stdout));
    mkdirSync(cacheDir, { recursive: true });
    // Write then rename, so a parallel export never reads half a file.
    const partial = `${cached}.${process.pid}.tmp`;
    writeFileSync(partial, JSON.stringify(schemas));
    renameSync(partial, cached);
    return { lockFile, schemas };
  } finally {
    work.remove();
  }
}
