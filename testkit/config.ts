/**
 * The one shared fast-check configuration. Every property reads its seed from
 * here: `FC_SEED` from the environment (fixed in CI), else a fresh random seed.
 * The seed is printed once per process so any failure can be replayed with
 * `FC_SEED=<seed> deno task test`, and fast-check's own report adds the `path`.
 *
 * @module
 */

import fc from "npm:fast-check@^4";

function readSeed(): number {
  let raw: string | undefined;
  try {
    raw = Deno.env.get("FC_SEED");
  } catch {
    raw = undefined; // no --allow-env: fall back to a random seed
  }
  if (raw !== undefined && raw !== "") {
    const seed = Number(raw);
    if (!Number.isSafeInteger(seed)) {
      throw new RangeError(`FC_SEED must be an integer, got ${JSON.stringify(raw)}`);
    }
    return seed | 0;
  }
  return (Math.random() * 0x7fffffff) | 0;
}

/** The fast-check seed of this process. */
export const FC_SEED: number = readSeed();

let printed = false;

/**
 * fast-check parameters for a property: the shared seed, `numRuns`, and any
 * override. Prints the seed the first time it is called.
 */
export function fcParameters<T>(numRuns: number, extra: fc.Parameters<T> = {}): fc.Parameters<T> {
  if (!printed) {
    printed = true;
    console.log(`fast-check seed: FC_SEED=${FC_SEED}`);
  }
  return { seed: FC_SEED, numRuns, ...extra };
}

export { fc };
