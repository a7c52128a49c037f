/**
 * Golden-section search for tests: an independent one-dimensional minimiser, sharing no code
 * with the optimisers under test.
 *
 * @module
 */

/** The minimiser of a unimodal `f` on [lo, hi], to bracket width `width`. */
export function goldenMinimum(
  f: (x: number) => number,
  lo: number,
  hi: number,
  width: number,
): number {
  const ratio = (Math.sqrt(5) - 1) / 2;
  let a = lo, b = hi;
  while (b - a > width) {
    const c = b - ratio * (b - a), d = a + ratio * (b - a);
    if (f(c) < f(d)) b = d;
    else a = c;
  }
  return (a + b) / 2;
}
