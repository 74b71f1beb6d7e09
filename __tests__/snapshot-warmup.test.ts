/**
 * The synth snapshot's warm-up (synth/snapshot-warmup.ts): run in the snapshot builder, it must
 * synthesize and then leave nothing behind that keeps its app alive in the saved heap.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('the synth snapshot warm-up', () => {
  it('warms the snapshot up with one synth that leaves no token and no file behind', () => {
    const { warmUp } = require('../synth/snapshot-warmup');
    const tokens = require('cdktf/lib/tokens/private/token-map').TokenMap.instance();
    const sizes = () => [tokens.stringTokenMap.size, tokens.numberTokenMap.size];
    const parent = mkdtempSync(join(tmpdir(), 'warmup-test-'));
    const before = sizes();
    expect(warmUp(parent)).toBe(true);
    expect(sizes()).toEqual(before);
    expect(readdirSync(parent)).toEqual([]);
  });
});
