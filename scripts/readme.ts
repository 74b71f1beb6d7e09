/**
 * `npm run readme`: writes the generated parts of README.md from the shipped config and the stacks in
 * cdktf.out (the npm script synthesizes first): prod's architecture diagram (diagram/, its SVG copied to
 * docs/diagram/) and the cost table of every environment (cost/). Tests fail when the README's copies are stale.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { platform } from '../config/environments';
import { validateConfig } from '../config/validate';
import { COST_END, COST_START, estimatePlatform, readmeCostSection } from '../cost';
import { drawStack } from '../diagram';
import { DIAGRAM_END, DIAGRAM_START, README_DIAGRAM, readmeDiagramSection } from '../diagram/readme';

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
const synthDir = join(root, 'cdktf.out');

async function main(): Promise<void> {
  const stack = JSON.parse(readFileSync(join(synthDir, 'stacks', README_DIAGRAM.stack, 'cdk.tf.json'), 'utf8'));
  const { svg } = await drawStack(README_DIAGRAM.stack, stack);
  mkdirSync(dirname(join(root, README_DIAGRAM.file)), { recursive: true });
  writeFileSync(join(root, README_DIAGRAM.file), svg);
  const readme = join(root, 'README.md');
  let text = readFileSync(readme, 'utf8');
  text = replaceSection(text, DIAGRAM_START, DIAGRAM_END, readmeDiagramSection());
  text = replaceSection(text, COST_START, COST_END, readmeCostSection(estimatePlatform(config, synthDir)));
  writeFileSync(readme, text);
  console.log(`wrote ${README_DIAGRAM.file}, the diagram and the cost table in README.md`);
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
