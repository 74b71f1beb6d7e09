import { synth } from './support/synth';

/**
 * Removes what does not describe infrastructure: cdktf's `//` metadata (construct paths, tool version).
 * Everything else — every resource, value and reference — is frozen. Security-relevant settings also have
 * explicit assertions in the module tests, because a snapshot freezes bad settings too.
 */
function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalize);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([key]) => key !== '//')
        .map(([key, v]) => [key, normalize(v)]),
    );
  }
  return value;
}

const { stacks } = synth();

describe.each(Object.keys(stacks))('stack %s', (name) => {
  it('matches its snapshot', () => {
    expect(normalize(stacks[name])).toMatchSnapshot();
  });
});
