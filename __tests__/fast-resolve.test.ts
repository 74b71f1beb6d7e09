/**
 * synth/fast-resolve.cjs replaces cdktf's token resolver with the same algorithm minus its garbage.
 * Here both resolve the same values — every kind of token cdktf has, in every position — and must agree on
 * the result, on the cross-stack references registered, and on every error. synth-cli.test.ts compares the
 * app's whole output with and without it.
 */
import {
  App,
  DefaultTokenResolver,
  Fn,
  Lazy,
  StringConcat,
  TerraformIterator,
  TerraformLocal,
  TerraformStack,
  TerraformVariable,
  Token,
} from 'cdktf';
import { Construct } from 'constructs';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';

const { createResolve } = require('../synth/fast-resolve.cjs');
const cdktfResolveModule = require('cdktf/lib/tokens/private/resolve');

type Resolve = (obj: unknown, options: Record<string, unknown>) => unknown;
const cdktfResolve: Resolve = cdktfResolveModule.resolve.original ?? cdktfResolveModule.resolve;
const fastResolve: Resolve = createResolve();

function setup() {
  const app = new App({ stackTraces: false });
  const stack = new TerraformStack(app, 'one');
  const other = new TerraformStack(app, 'two');
  const vpc = new Vpc(stack, 'vpc', { cidrBlock: '10.0.0.0/16' });
  const remoteVpc = new Vpc(other, 'vpc', { cidrBlock: '10.1.0.0/16' });
  const size = new TerraformVariable(stack, 'size', { type: 'number', default: 2 });
  const names = new TerraformVariable(stack, 'names', { type: 'list(string)' });
  const tags = new TerraformVariable(stack, 'tags', { type: 'map(string)' });
  return { app, stack, other, vpc, remoteVpc, size, names, tags };
}

/** Resolves `make(fixture)` with both resolvers, each on a fresh app (tokens and stacks of its own). */
function both(make: (f: ReturnType<typeof setup>) => unknown, preparing = false) {
  const run = (resolve: Resolve) => {
    const f = setup();
    const options = { scope: f.stack, preparing, resolver: new DefaultTokenResolver(new StringConcat()) };
    try {
      return { value: resolve(make(f), options), outputs: Object.keys(f.other.toTerraform().output ?? {}) };
    } catch (error) {
      // Token ids count up globally, so the two runs name the same token differently.
      return { error: (error as Error).message.replace(/\[TOKEN\.\d+\]/g, '[TOKEN.n]') };
    }
  };
  return { cdktf: run(cdktfResolve), fast: run(fastResolve) };
}

const cases: Array<[string, (f: ReturnType<typeof setup>) => unknown]> = [
  [
    'plain values, undefined dropped from objects and arrays',
    () => ({ a: 'x', b: 1, c: true, d: null, e: undefined, f: [1, undefined, 'y'], g: new Date(0), h: {} }),
  ],
  ['number-like literal strings', () => ['1e5', '2.5e-3', 'e1', 'release-1e', '|e|', '-1.8881545897087626e+289']],
  ['a string token', (f) => f.vpc.id],
  ['tokens inside a string', (f) => `arn:${f.vpc.arn}/x/${f.vpc.id}`],
  ['a token as an object key', (f) => ({ [f.vpc.id]: 'v', [`k-${f.vpc.arn}`]: 1 })],
  ['a number token', (f) => f.size.numberValue],
  ["a number token inside a string (JavaScript's own number-to-string)", (f) => `count=${f.size.numberValue}`],
  ['a list token', (f) => f.names.listValue],
  ['a list token as a list element', (f) => ({ x: f.names.listValue })],
  ['a number list token', () => Token.asNumberList(Lazy.anyValue({ produce: () => [1, 2] }))],
  ['a map token', (f) => f.tags.value],
  ['a string map token', (f) => Token.asStringMap(f.tags.value)],
  [
    'a lazy producing nested tokens',
    (f) => Lazy.anyValue({ produce: () => ({ ids: [f.vpc.id, { deep: f.vpc.arn }], n: f.size.numberValue }) }),
  ],
  ['functions (suppressed braces)', (f) => Fn.join(',', [f.vpc.id, Fn.upper(f.vpc.arn), Fn.lookup(f.tags.value, 'k', 'd')])],
  ['escaped literal interpolation next to a token', (f) => `\${literal} and ${f.vpc.id} and $\{x}`],
  ['a function with an escape sequence', (f) => Fn.format('%s-${x}', [f.vpc.id])],
  [
    'an iterator (dynamic block context)',
    (f) => {
      const it = TerraformIterator.fromList(f.names.listValue);
      return it.dynamic({ cidr: it.value, name: it.key });
    },
  ],
  ['a local reference', (f) => new TerraformLocal(f.stack, 'loc', { a: f.vpc.id }).asString],
  [
    'a whole resource configuration',
    (f) =>
      new SecurityGroup(f.stack, 'sg', {
        vpcId: f.vpc.id,
        tags: { Name: f.vpc.arn },
        ingress: [{ fromPort: 1, toPort: 2, protocol: 'tcp', cidrBlocks: [f.vpc.cidrBlock] }],
      }).toTerraform(),
  ],
  ['a cross-stack reference', (f) => ({ remote: f.remoteVpc.id })],
  ['error: a function', () => ({ f: () => 1 })],
  ['error: a construct', (f) => ({ nested: [f.vpc as Construct] })],
  ['error: a list token in a string context', (f) => `x${f.names.listValue[0]}`],
  ['error: a map token in a string context', () => Token.STRING_MAP_TOKEN_VALUE],
  ['error: a map token in a number context', () => Token.NUMBER_MAP_TOKEN_VALUE],
  ['error: a key that resolves to a number', () => ({ [Token.asString(Lazy.anyValue({ produce: () => 5 }))]: 1 })],
  [
    'error: cycles deeper than 200',
    () => {
      const deep: Record<string, unknown> = {};
      let at = deep;
      for (let i = 0; i < 205; i++) at = (at.next = {}) as Record<string, unknown>;
      return deep;
    },
  ],
];

describe('fast token resolver', () => {
  it.each(cases)('resolves %s exactly as cdktf does', (name, make) => {
    const { cdktf, fast } = both(make);
    expect(cdktf).toHaveProperty(name.startsWith('error:') ? 'error' : 'value');
    expect(fast).toEqual(cdktf);
  });

  it.each(cases)('resolves %s exactly as cdktf does in preparing mode', (_name, make) => {
    const { cdktf, fast } = both(make, true);
    expect(fast).toEqual(cdktf);
  });

  it('registers the same cross-stack output when preparing', () => {
    const { cdktf, fast } = both((f) => ({ remote: f.remoteVpc.id }), true);
    expect(cdktf).toHaveProperty('outputs', [expect.stringMatching(/^cross-stack-output-aws_vpc/)]);
    expect(fast).toEqual(cdktf);
  });

  it('is the resolver cdktf uses in this test run (installed by the test setup, as by npm run synth)', () => {
    expect(cdktfResolveModule.resolve.fast).toBe(true);
    expect(cdktfResolveModule.resolve.original).toBeInstanceOf(Function);
  });
});
