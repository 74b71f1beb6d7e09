// Stands in for the `archiver` package in the synth snapshot (synth/snapshot.cjs): cdktf loads
// archiver at start-up only to zip file assets, which this project has none of, so the real package (and
// its ~200 files) loads on first use, from node_modules. See deferArchiver() in ./fast-synth.cjs.
'use strict';
let archiver;
module.exports = function lazyArchiver(...args) {
  archiver ??= require('node:module').createRequire(__filename)('archiver');
  return archiver.apply(this, args);
};
