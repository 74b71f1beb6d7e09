// Three savings for the synth process, all output-neutral (__tests__/synth-cli.test.ts compares the
// stacks written with and without them). CDKTF_FAST_SYNTH=0 turns them off, for debugging, together with
// the shared preparing pass of stacks/readable-stack.ts.
//
// 1. cdktf records a full JavaScript stack trace for every token it creates, only to print it if that
//    token later fails to resolve: about 40 % of synth time. `skipTokenStackTraces()` stops that.
// 2. cdktf loads `archiver` (and ~200 files of its dependencies: lodash, streams, glob) at start-up, only
//    to zip file assets, which this project has none of. `deferArchiver()` loads it on first use instead.
// 3. cdktf's token resolver allocates a context, two closures and a path copy for every key and value it
//    visits; `fastResolve()` installs the same algorithm without that garbage (./fast-resolve.cjs).
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

function fastResolve() {
  if (!enabled()) return false;
  return require('./fast-resolve.cjs').installFastResolve();
}

module.exports = { skipTokenStackTraces, deferArchiver, fastResolve };
