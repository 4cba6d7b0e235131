/**
 * A small deterministic random number generator (a 31-bit linear congruential generator, the
 * constants of C's classic `rand`): the same seed gives the same sequence on every machine, so
 * tests, benchmarks and the demo community are reproducible. Not for anything secret.
 *
 * @example
 * const rnd = seededRandom(7);
 * rnd(); // a number in [0, 1), the same on every run
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}
