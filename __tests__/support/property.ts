/**
 * The seed of the property-based tests: fixed, so a run is repeatable, unless PROPERTY_SEED names another
 * (`PROPERTY_SEED=random` draws one). fast-check prints the seed and the shrunk counterexample on failure;
 * rerun with `PROPERTY_SEED=<seed> npx jest <file>`.
 */
export function propertySeed(): number {
  const text = process.env.PROPERTY_SEED;
  if (text === undefined || text === '') return 20261201;
  if (text === 'random') {
    const seed = Math.floor(Math.random() * 2 ** 31);
    console.log(`PROPERTY_SEED=${seed}`);
    return seed;
  }
  const seed = Number(text);
  if (!Number.isInteger(seed)) throw new Error(`PROPERTY_SEED=${text}: expected an integer or "random"`);
  return seed;
}
