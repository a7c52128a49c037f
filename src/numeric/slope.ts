/**
 * The least-squares slope of a straight-line fit, y ~ c + s x: the one fit that the claims' rate
 * checks, the schedule record and the docs' rates share.
 *
 * @module
 */

/**
 * Least-squares slope s of ys on xs with an intercept: s = sum_i w_i y_i with
 * w_i = (x_i - x_bar) / sum_j (x_j - x_bar)^2.
 *
 * @example The slope of a line
 * ```ts
 * import assert from "node:assert/strict";
 * import { fitSlope } from "./slope.ts";
 * assert.equal(fitSlope([1, 2, 3, 4], [3, 5, 7, 9]), 2);
 * ```
 */
export function fitSlope(xs: readonly number[], ys: readonly number[]): number {
  if (xs.length !== ys.length || xs.length < 2) {
    throw new RangeError(
      `xs and ys must have the same length, at least 2, got ${xs.length} and ${ys.length}`,
    );
  }
  const mx = xs.reduce((s, v) => s + v, 0) / xs.length;
  const sxx = xs.reduce((s, v) => s + (v - mx) ** 2, 0);
  return xs.reduce((s, v, i) => s + ((v - mx) / sxx) * ys[i], 0);
}
