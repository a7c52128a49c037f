/**
 * Statistical margins for claim checks: normal quantiles and the Bonferroni
 * correction that keeps the family-wise false-alarm rate of a whole claim at
 * that of a single 5-standard-error test (2 (1 - Phi(5)) = 5.7e-7).
 *
 * @module
 */

/**
 * Two-sided false-alarm probability of one 5-standard-error test.
 *
 * @example The family-wise false-alarm rate
 * ```ts
 * import assert from "node:assert/strict";
 * import { bonferroniZ, FAMILY_FALSE_ALARM } from "./margins.ts";
 * assert.ok(Math.abs(FAMILY_FALSE_ALARM - 5.7e-7) < 0.05e-7); // 2 (1 - Phi(5))
 * assert.ok(Math.abs(bonferroniZ(1) - 5) < 1e-8); // one test: 5 SE (Acklam's ~1e-9 error)
 * ```
 */
export const FAMILY_FALSE_ALARM = 5.733031437583878e-7;

/**
 * Standard normal quantile Phi^{-1}(p), p in (0, 1) (Acklam's rational approximation, ~1e-9).
 *
 * @example Standard normal quantiles
 * ```ts
 * import assert from "node:assert/strict";
 * import { normalQuantile } from "./margins.ts";
 * assert.ok(Math.abs(normalQuantile(0.975) - 1.96) < 5e-5); // 1.9600 to 4 decimals
 * assert.equal(normalQuantile(0.5), 0);
 * ```
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`p must be in (0, 1), got ${p}`);
  const a = [
    -39.69683028665376,
    220.9460984245205,
    -275.9285104469687,
    138.357751867269,
    -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406,
    161.5858368580409,
    -155.6989798598866,
    66.80131188771972,
    -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293,
    -0.3223964580411365,
    -2.400758277161838,
    -2.549732539343734,
    4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/**
 * The z multiplier for one of `comparisons` simultaneous two-sided tests such
 * that the family's false-alarm probability is that of a single 5-SE test.
 * z(1) = 5, z(2) = 5.132, z(10) = 5.427, z(100) = 5.824, z(1000) = 6.198; z(c <= 1) = z(1).
 *
 * @example The multiplier for m simultaneous comparisons
 * ```ts
 * import assert from "node:assert/strict";
 * import { bonferroniZ } from "./margins.ts";
 * assert.ok(Math.abs(bonferroniZ(1) - 5) < 5e-4); // 5.000 to 3 decimals
 * assert.ok(Math.abs(bonferroniZ(24) - 5.58) < 5e-3); // 5.58 to 2 decimals
 * ```
 */
export function bonferroniZ(comparisons: number): number {
  return -normalQuantile(FAMILY_FALSE_ALARM / 2 / Math.max(1, comparisons));
}

/**
 * Unit roundoff of float64.
 *
 * @example Unit roundoff
 * ```ts
 * import assert from "node:assert/strict";
 * import { FLOAT64_UNIT_ROUNDOFF } from "./margins.ts";
 * assert.equal(FLOAT64_UNIT_ROUNDOFF, 2 ** -53);
 * ```
 */
export const FLOAT64_UNIT_ROUNDOFF: number = Number.EPSILON / 2;

/**
 * A bound on the rounding error of a sum or dot product of n terms in float64:
 * gamma_n * sum |terms| with gamma_n = n u / (1 - n u) (Higham, Accuracy and
 * Stability of Numerical Algorithms, eq. 3.5).
 *
 * @example Rounding bound of a sum of 1000 terms
 * ```ts
 * import assert from "node:assert/strict";
 * import { summationErrorBound } from "./margins.ts";
 * // gamma_1000 = 1000 u / (1 - 1000 u), u = 2^-53: about 1.1e-13.
 * assert.ok(Math.abs(summationErrorBound(1000, 1) - 1.11e-13) < 0.005e-13);
 * ```
 */
export function summationErrorBound(terms: number, absoluteSum: number): number {
  const nu = terms * FLOAT64_UNIT_ROUNDOFF;
  return (nu / (1 - nu)) * absoluteSum;
}
