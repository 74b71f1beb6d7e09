// Two start-up savings for the synth process, both output-neutral (__tests__/synth-cli.test.ts compares
// the stacks written with and without them). CDKTF_FAST_SYNTH=0 turns both off, for debugging, together
// with the shared preparing pass of stacks/readable-stack.ts.
//
// 1. cdktf records a full JavaScript stack trace for every token it creates, only to print it if that
//    token later fails to resolve: about 40 % of synth time. `skipTokenStackTraces()` stops that.
// 2. cdktf loads `archiver` (and ~200 files of its dependencies: lodash, streams, glob) at start-up, only
//    to zip file assets, which this project has none of. `deferArchiver()` loads it on first use instead.
'use strict';
const Module = require('node:module');

const enabled = () => process.env.CDKTF_FAST_SYNTH !== '0';

function skipTokenStackTraces() {
  if (!enabled()) return false;
  const trace = require('cdktf/lib/tokens/private/stack-trace');
  if (typeof trace.captureStackTrace !== 'function') return false;
  trace.captureStackTrace = () => [];
  return true;
}

function deferArchiver() {
  if (!enabled()) return false;
  const load = Module._load;
  Module._load = function (request, parent, isMain) {
    if (request === 'archiver' && parent && /[\\/]cdktf[\\/]lib[\\/]private[\\/]fs\.js$/.test(parent.filename)) {
      let archiver;
      return function lazyArchiver(...args) {
        archiver ??= load.call(Module, request, parent, isMain);
        return archiver.apply(this, args);
      };
    }
    return load.apply(this, arguments);
  };
  return true;
}

module.exports = { skipTokenStackTraces, deferArchiver };
