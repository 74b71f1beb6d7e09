// cdktf's token resolver, the same algorithm with less garbage. cdktf 0.21.0 (final; the project pins it)
// resolves a stack's configuration with `resolve()` from cdktf/lib/tokens/private/resolve.js, which for
// every key and value of every object builds a context with two closures, spreads its options, copies the
// key path and joins it into a string, and compiles no regex but allocates a TokenString per test. That is
// most of synth time, and half of the rest is the garbage collector cleaning up after it.
//
// `fastResolve()` installs `resolve` below in its place. Every branch is cdktf's, in cdktf's order, with
// the same errors; what changes is only what is allocated:
//   - a context (with its closures) exists only where a token is resolved — the one place anything reads
//     it; plain objects, arrays and strings pass the caller's previous context down unchanged, whose four
//     inherited fields (suppressBraces, ignoreEscapes, warnEscapes, iteratorContext) are exactly what
//     cdktf's per-key contexts copy from it;
//   - the key path is a linked list, turned into cdktf's "/a/b" only for an error message;
//   - a string is tested for token markers with `includes` before cdktf's regexes run (a string without
//     "{TfToken[" cannot match them; one without a character pair like "1e" cannot be a number token).
// Output is identical: __tests__/synth-cli.test.ts compares every stack with CDKTF_FAST_SYNTH=0, which
// keeps cdktf's own resolver, and __tests__/fast-resolve.test.ts compares the two on edge cases.
'use strict';

function createResolve() {
  const { TokenString, extractTokenDouble } = require('cdktf/lib/tokens/private/encoding');
  const { TokenMap } = require('cdktf/lib/tokens/private/token-map');
  const { Token } = require('cdktf/lib/tokens/token');
  const { StringConcat } = require('cdktf/lib/tokens/resolvable');
  const errors = require('cdktf/lib/errors');
  const tokenMap = TokenMap.instance();
  const lookupToken = tokenMap.lookupToken.bind(tokenMap);
  const lookupNumber = (id) => TokenMap.instance().lookupNumberToken(parseFloat(id));
  // A number token inside a string needs a character of [-|\d.+], then "e", then one of [-|\d.eE+]
  // (the shortest match of cdktf's NUMBER_TOKEN_REGEX).
  const MAYBE_NUMBER_TOKEN = /[-|\d.+]e[-|\d.eE+]/;

  /** Key path as a linked list: { parent, key, length }; null is the root. */
  const append = (path, key) => ({ parent: path, key, length: (path ? path.length : 0) + 1 });
  const toArray = (path) => {
    const keys = [];
    for (let p = path; p; p = p.parent) keys.push(p.key);
    return keys.reverse();
  };
  const fromArray = (keys) => (keys ?? []).reduce(append, null);
  const pathName = (path) => '/' + toArray(path).join('/');

  /** A context as cdktf's makeContext builds it, for the value at `path`. */
  function makeContext(options, path, previous) {
    let postProcessor;
    const context = {
      preparing: options.preparing,
      scope: options.scope,
      suppressBraces: previous?.suppressBraces,
      ignoreEscapes: previous?.ignoreEscapes,
      warnEscapes: previous?.warnEscapes,
      iteratorContext: previous?.iteratorContext,
      registerPostProcessor(pp) {
        postProcessor = pp;
      },
      resolve(x) {
        return walk(x, options, path, context);
      },
    };
    return [context, { postProcess: (x) => (postProcessor ? postProcessor.postProcess(x, context) : x) }];
  }

  function resolveString(obj, options, path, previous) {
    const marked = obj.includes('{TfToken[');
    if (marked && obj.includes('#{TfToken[') && TokenString.forListToken(obj).test()) {
      throw errors.encodedListTokenInScalarStringContext();
    }
    if (obj === Token.STRING_MAP_TOKEN_VALUE || obj === Token.ANY_MAP_TOKEN_VALUE) {
      throw errors.encodedMapTokenInScalarStringContext();
    }
    let str = obj;
    if (marked && obj.includes('${TfToken[')) {
      const tokenStr = TokenString.forString(str, !previous?.ignoreEscapes, previous?.warnEscapes);
      if (tokenStr.test()) {
        const fragments = tokenStr.split(lookupToken);
        str = options.resolver.resolveString(fragments, makeContext(options, path, previous)[0]);
      }
    }
    if (typeof str === 'string' && !MAYBE_NUMBER_TOKEN.test(str)) return str;
    const tokenNumberStr = TokenString.forNumbers(str);
    if (tokenNumberStr.test()) {
      const fragments = tokenNumberStr.split(lookupNumber);
      str = fragments.mapTokens(makeContext(options, path, previous)[0]).join(new StringConcat());
    }
    return str;
  }

  function walk(obj, options, path, previous) {
    if (path && path.length > 200) throw errors.unableToResolveCircularReference(pathName(path));
    if (typeof obj === 'undefined') return undefined;
    if (obj === null) return null;
    if (typeof obj === 'function') throw errors.cannotResolveFunction(pathName(path), obj);
    if (typeof obj === 'string') return resolveString(obj, options, path, previous);
    if (typeof obj === 'number') {
      if (obj === Token.NUMBER_MAP_TOKEN_VALUE) throw errors.encodedMapTokenInScalarNumberContext();
      const token = TokenMap.instance().lookupNumberToken(obj);
      return token === undefined ? obj : makeContext(options, path, previous)[0].resolve(token);
    }
    if (typeof obj !== 'object' || obj instanceof Date) return obj;

    if (Array.isArray(obj)) {
      if (obj.some((x) => typeof x === 'string' && x.includes('#{TfToken[') && TokenString.forListToken(x).test())) {
        return options.resolver.resolveList(obj, makeContext(options, path, previous)[0]);
      }
      if (obj.some((x) => typeof x === 'number' && extractTokenDouble(x, true) !== undefined)) {
        return options.resolver.resolveNumberList(obj, makeContext(options, path, previous)[0]);
      }
      const arr = [];
      for (let i = 0; i < obj.length; i++) {
        const value = walk(obj[i], options, append(path, `${i}`), previous);
        if (typeof value !== 'undefined') arr.push(value);
      }
      return arr;
    }

    const keys = Object.keys(obj);
    if (keys.some((k) => k.includes('&{TfToken[') && TokenString.forMapToken(k).test())) {
      return options.resolver.resolveMap(obj, makeContext(options, path, previous)[0]);
    }
    if (typeof obj.resolve === 'function') {
      const [context, postProcessor] = makeContext(options, path, previous);
      return options.resolver.resolveToken(obj, context, postProcessor);
    }
    if (obj._children !== undefined && obj._metadata !== undefined) {
      throw errors.constructsCannotBeResolved(pathName(path));
    }
    const result = {};
    for (const key of keys) {
      const resolvedKey = walk(key, options, path, previous);
      if (typeof resolvedKey !== 'string') throw errors.mapKeyMustResolveToString(pathName(path), key, resolvedKey);
      const value = walk(obj[key], options, append(path, key), previous);
      if (typeof value === 'undefined') continue;
      result[resolvedKey] = value;
    }
    return result;
  }

  /** Drop-in for cdktf's `resolve(obj, options)`. */
  return function resolve(obj, options) {
    return walk(obj, options, fromArray(options.prefix), options.previousContext);
  };
}

/** Installs the resolver in cdktf (every resolution goes through that module's `resolve` export). */
function installFastResolve() {
  const mod = require('cdktf/lib/tokens/private/resolve');
  if (mod.resolve.fast) return true;
  const resolve = createResolve();
  resolve.fast = true;
  resolve.original = mod.resolve;
  mod.resolve = resolve;
  return true;
}

module.exports = { createResolve, installFastResolve };
