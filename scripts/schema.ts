/**
 * `npm run schema`: writes config/platform.schema.json and the configuration reference of README.md from the
 * config schema (config/schema.ts). A test fails when either is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SCHEMA_FILE, platformJsonSchemaText, withReference } from '../config/reference';

/** The bundle runs from <root>/.build/scripts/. */
const root = resolve(__dirname, '..', '..');
writeFileSync(join(root, SCHEMA_FILE), platformJsonSchemaText());
const readme = join(root, 'README.md');
writeFileSync(readme, withReference(readFileSync(readme, 'utf8')));
console.log(`wrote ${SCHEMA_FILE} and the configuration reference in README.md`);
