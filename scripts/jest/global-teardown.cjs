// Removes the run's scratch directory (see global-setup.cjs).
'use strict';
const { rmSync } = require('node:fs');

module.exports = async function globalTeardown() {
  const root = globalThis.webPlatformTestTmpCreated; // only the run that made it removes it
  if (!root || process.env.KEEP_TEST_TMP === '1') {
    if (root) console.error(`test scratch kept in ${root}`);
    return;
  }
  rmSync(root, { recursive: true, force: true });
};
