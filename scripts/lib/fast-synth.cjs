// cdktf records a full JavaScript stack trace for every token it creates, only to print it if that token
// later fails to resolve: about 40 % of synth time. `skipTokenStackTraces()` turns that off unless
// CDKTF_TOKEN_STACK_TRACES=1 (set it when debugging such an error). The synthesized output is identical
// either way (__tests__/synth-cli.test.ts compares both).
'use strict';

function skipTokenStackTraces() {
  if (process.env.CDKTF_TOKEN_STACK_TRACES === '1') return false;
  const trace = require('cdktf/lib/tokens/private/stack-trace');
  if (typeof trace.captureStackTrace !== 'function') return false;
  trace.captureStackTrace = () => [];
  return true;
}

module.exports = { skipTokenStackTraces };
