import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { synth } from './support/synth';

/**
 * The boot script's base64 literals, made reviewable: the settings (what the config says) decoded as JSON,
 * the fixed programs and unit as their size and digest (their text is tested in boot.test.ts).
 */
function readableBootScript(text: string): string {
  return text.replace(/^write (\S+) (\d{4}) '([A-Za-z0-9+/=]+)'$/gm, (_, path: string, mode: string, b64: string) => {
    const bytes = Buffer.from(b64, 'base64');
    const shown = path.endsWith('/settings.json')
      ? JSON.stringify(JSON.parse(bytes.toString('utf8')), null, 2)
      : `${bytes.length} bytes, sha256 ${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}`;
    return `write ${path} ${mode} <base64 of: ${shown}>`;
  });
}

/**
 * Removes what does not describe infrastructure: cdktf's `//` metadata (construct paths, tool version), and
 * shows the boot script's encoded files readably. Everything else — every resource, value and reference — is
 * frozen. Security-relevant settings also have explicit assertions in the module tests, because a snapshot
 * freezes bad settings too.
 */
function normalize(value: unknown): unknown {
  if (typeof value === 'string' && value.startsWith('#!/bin/bash\n')) return readableBootScript(value);
  if (Array.isArray(value)) return value.map(normalize);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([key]) => key !== '//')
        .map(([key, v]) => [key, normalize(v)]),
    );
  }
  return value;
}

const { stacks } = synth();

/** Snapshots already recorded (a stack without one gets it from `npm run test:update`). */
const SNAPSHOTS = join(__dirname, '__snapshots__', 'snapshot.test.ts.snap');
const recorded: Record<string, unknown> = existsSync(SNAPSHOTS) ? require(SNAPSHOTS) : {};
/** CI never writes snapshots (Jest's --ci, on whenever CI is set). */
const inCi = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';

describe.each(Object.keys(stacks))('stack %s', (name) => {
  it('matches its snapshot', () => {
    if (inCi && !(`stack ${name} matches its snapshot 1` in recorded)) {
      throw new Error(
        `stack ${name} has no snapshot yet, and CI never writes one: run \`npm run test:update\` locally, review the new entry in ` +
          '__tests__/__snapshots__/snapshot.test.ts.snap and commit it',
      );
    }
    expect(normalize(stacks[name])).toMatchSnapshot();
  });
});
