/** Job functions for pool_test.ts (a `_test` file, so it is not part of the library). */

/** i^2, after a delay that makes jobs finish out of submission order. */
export async function slowSquare(i: number, delayMs: number): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  return i * i;
}

let calls = 0;

/** Counts the calls this module instance has seen (depends on the worker: a control). */
export function callCount(): number {
  return ++calls;
}

/** Throws a RangeError naming the value. */
export function fail(name: string): never {
  throw new RangeError(`${name} must be positive, got 0`);
}
