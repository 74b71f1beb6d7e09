/**
 * The architecture diagram of each environment stack: model (from cdk.tf.json) → DOT → SVG, laid out by
 * Graphviz compiled to WebAssembly (@viz-js/viz). Same stacks, same Graphviz: byte-identical files.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { instance } from '@viz-js/viz';
import type { PlatformConfig } from '../config/types';
import { webStackName } from '../naming';
import { toDot } from './dot';
import { modelOf, type StackJson } from './model';

export * from './dot';
export * from './model';

/** A stack that cannot be drawn (not synthesized, or Graphviz refused the source). */
export class DiagramError extends Error {
  override readonly name = 'DiagramError';
}

/** The SVG Graphviz lays out from `dot`. */
export async function renderSvg(dot: string): Promise<string> {
  const viz = await instance();
  const result = viz.render(dot, { format: 'svg', engine: 'dot' });
  if (result.status !== 'success')
    throw new DiagramError(`diagram: Graphviz refused the source: ${result.errors.map((e) => e.message).join('; ')}`);
  return result.output;
}

/** DOT and SVG of stack `name`. */
export async function drawStack(name: string, stack: StackJson): Promise<{ dot: string; svg: string }> {
  const dot = toDot(modelOf(name, stack));
  return { dot, svg: await renderSvg(dot) };
}

/** Draws every environment stack of `config` from `<synthDir>/stacks/` into `<outDir>/<stack>.{dot,svg}`; returns the files. */
export async function drawPlatform(config: PlatformConfig, synthDir: string, outDir: string): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  for (const env of config.environments) {
    const name = webStackName(config.project, env.name);
    const file = join(synthDir, 'stacks', name, 'cdk.tf.json');
    if (!existsSync(file)) throw new DiagramError(`diagram: ${file} does not exist: run npm run synth first`);
    const { dot, svg } = await drawStack(name, JSON.parse(readFileSync(file, 'utf8')));
    writeFileSync(join(outDir, `${name}.dot`), dot);
    writeFileSync(join(outDir, `${name}.svg`), svg);
    written.push(join(outDir, `${name}.svg`));
  }
  return written;
}
