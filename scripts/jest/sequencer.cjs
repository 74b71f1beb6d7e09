// Jest's default order: failed first, then longest first from the timing cache, and by file size when
// there is none (a fresh clone, CI). The suites that spawn synths and build snapshots are small files but
// the longest runs, so without a cache they started last and set the end of the unit phase; they go first.
// So does the proof that an added environment is tested like the others (a nested run of the suites).
// Before them all goes the emulated deploy (minutes of waiting on moto, little CPU): one worker carries it
// while the other runs everything else.
'use strict';
const Sequencer = require('@jest/test-sequencer').default;

const EMULATED = /\.emulated\.test\.ts$/;
const SPAWNING = /[\\/]__tests__[\\/](synth-(snapshot|cli)\.test|adding-an-environment\.tf\.test)\.ts$/;

class SpawningFirst extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const rank = (test) => (EMULATED.test(test.path) ? 0 : SPAWNING.test(test.path) ? 1 : 2);
    return [...sorted].sort((a, b) => rank(a) - rank(b)); // stable: the rest keeps Jest's order
  }
}

module.exports = SpawningFirst;
