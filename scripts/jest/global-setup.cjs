// One scratch directory per `jest` run: every temp folder the tests, synths, Terraform and the services they
// start make (os.tmpdir() reads TMPDIR) lands in it, and global-teardown.cjs removes it, so a run leaves no
// `synth-*` or `tf-stack-*` folders behind. KEEP_TEST_TMP=1 keeps it for a look after a failure.
'use strict';
const { chmodSync, mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

module.exports = async function globalSetup() {
  if (process.env.WEB_PLATFORM_TEST_TMP) return; // a nested run (a test that runs jest) shares its parent's
  const root = mkdtempSync(join(tmpdir(), 'web-platform-test-'));
  // Traversable by other users (not listable): the pg proof runs PostgreSQL as the postgres user when the
  // tests run as root, and it must reach its data directory inside. Every folder in it is mkdtemp's 0700.
  chmodSync(root, 0o711);
  process.env.WEB_PLATFORM_TEST_TMP = root;
  process.env.TMPDIR = root;
  globalThis.webPlatformTestTmpCreated = root; // read by global-teardown.cjs in this same process
};
