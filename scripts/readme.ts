/**
 * `npm run readme`: writes the generated parts of README.md from the shipped config and the stacks in
 * cdktf.out (the npm script synthesizes first): the cost table of every environment (cost/). A test fails when
 * the README's copy is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { platform } from '../config/environments';
import { validateConfig } from '../config/validate';
import { COST_END, COST_START, estimatePlatform, readmeCostSection } from '../cost';

/** `text` with the part from `start` to `end` (markers included) replaced by `section`. */
function replaceSection(text: string, start: string, end: string, section: string): string {
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md has no ${start} … ${end} section`);
  return `${text.slice(0, from)}${section}${text.slice(to + end.length)}`;
}

// The bundle runs from <root>/.build/scripts/.
const root = resolve(__dirname, '..', '..');
const config = validateConfig(platform);
const readme = join(root, 'README.md');
let text = readFileSync(readme, 'utf8');
text = replaceSection(text, COST_START, COST_END, readmeCostSection(estimatePlatform(config, join(root, 'cdktf.out'))));
writeFileSync(readme, text);
console.log('wrote the cost table in README.md');
