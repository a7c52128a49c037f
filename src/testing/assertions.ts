/**
 * Statistical assertions with margins from standard errors: "the mean is at
 * most X within z SE", "the mean equals X within z SE", "the paired difference
 * is positive". Each returns a {@linkcode StatisticalCheck} that says whether it
 * holds and why, can be turned into a claim part ({@linkcode comparisonPart}) or
 * asserted in a plain test ({@linkcode assertStatistical}). The default z is the
 * Bonferroni-corrected multiplier of `comparisons` simultaneous tests whose
 * family-wise false-alarm rate equals that of one 5-SE test.
 *
 * @module
 */

import { AssertionError } from "node:assert";
import { type Estimate, estimateMean } from "../model/risk.ts";
import { bonferroniZ } from "../claims/margins.ts";
import type { ClaimPart } from "../claims/claim_part.ts";
import { Gauge } from "../claims/gauge.ts";
import type { Perturbation } from "../claims/perturbation_margins.ts";

/** Options of the statistical assertions. */
export interface StatisticalOptions {
  /**
   * The standard-error multiplier. Default: `bonferroniZ(comparisons)`, i.e. 5
   * for a single comparison.
   */
  z?: number;
  /** Number of simultaneous comparisons for the Bonferroni default of `z` (default 1). */
  comparisons?: number;
  /**
   * A deterministic allowance added to the margin, e.g. a float64 rounding bound
   * or a known bias bound (default 0).
   */
  allowance?: number;
}

/** The outcome of a statistical assertion. */
export interface StatisticalCheck {
  /** Whether the statement holds within the margin. */
  passed: boolean;
  /** `at-most`, `at-least` or `equal` (two-sided). */
  sense: "at-most" | "at-least" | "equal";
  /** The estimate: mean, standard error and number of samples. */
  estimate: Estimate;
  /** The target the mean is compared with. */
  target: number;
  /** The multiplier z used. */
  z: number;
  /** The margin: z SE + allowance. */
  margin: number;
  /** How far inside (positive) or outside (negative) the margin the estimate lies, in SE. */
  slackInStandardErrors: number;
  /** A one-line description with the numbers. */
  message: string;
}

/** Formats a number with `digits` significant digits, in scientific form outside [1e-3, 1e5). */
function num(value: number, digits = 6): string {
  const abs = Math.abs(value);
  return value === 0 || (abs >= 1e-3 && abs < 1e5)
    ? String(Number(value.toPrecision(digits)))
    : value.toExponential(digits - 1);
}

function toEstimate(name: string, values: ArrayLike<number> | Estimate): Estimate {
  if (values === null || typeof values !== "object") {
    throw new TypeError(
      `${name} must be an array of numbers or an Estimate, got ${String(values)}`,
    );
  }
  const estimate = "mean" in values && "standardError" in values
    ? values as Estimate
    : estimateMean(values as ArrayLike<number>);
  if (!(estimate.samples >= 2)) {
    throw new RangeError(
      `${name} must hold at least 2 samples (a standard error needs them), got ${estimate.samples}`,
    );
  }
  if (!Number.isFinite(estimate.mean) || !Number.isFinite(estimate.standardError)) {
    throw new RangeError(
      `${name} must have a finite mean and standard error, got ${estimate.mean} ± ${estimate.standardError}`,
    );
  }
  return estimate;
}

function multiplier(options: StatisticalOptions): { z: number; allowance: number } {
  if (options === null || typeof options !== "object") {
    throw new TypeError(`options must be an object, got ${String(options)}`);
  }
  const comparisons = options.comparisons ?? 1;
  if (!Number.isSafeInteger(comparisons) || comparisons < 1) {
    throw new RangeError(`comparisons must be a positive integer, got ${comparisons}`);
  }
  const z = options.z ?? bonferroniZ(comparisons);
  if (!(Number.isFinite(z) && z > 0)) throw new RangeError(`z must be positive, got ${z}`);
  const allowance = options.allowance ?? 0;
  if (!(Number.isFinite(allowance) && allowance >= 0)) {
    throw new RangeError(`allowance must be a non-negative number, got ${allowance}`);
  }
  return { z, allowance };
}

function requireTarget(target: number): number {
  if (typeof target !== "number" || !Number.isFinite(target)) {
    throw new RangeError(`target must be a finite number, got ${String(target)}`);
  }
  return target;
}

function compare(
  sense: StatisticalCheck["sense"],
  estimate: Estimate,
  target: number,
  options: StatisticalOptions,
): StatisticalCheck {
  const { z, allowance } = multiplier(options);
  const se = estimate.standardError;
  const margin = z * se + allowance;
  const gap = sense === "at-most"
    ? target + margin - estimate.mean
    : sense === "at-least"
    ? estimate.mean - (target - margin)
    : margin - Math.abs(estimate.mean - target);
  const passed = gap >= 0;
  const relation = sense === "at-most" ? "<=" : sense === "at-least" ? ">=" : "=";
  const message = `mean ${num(estimate.mean, 6)} ± ${num(se, 3)} (SE, n = ${estimate.samples}) ${
    passed ? "satisfies" : "violates"
  } mean ${relation} ${num(target, 6)} within ${z.toFixed(2)} SE${
    allowance > 0 ? ` + ${num(allowance, 3)}` : ""
  }`;
  return {
    passed,
    sense,
    estimate,
    target,
    z,
    margin,
    slackInStandardErrors: se > 0 ? gap / se : (gap >= 0 ? Infinity : -Infinity),
    message,
  };
}

/**
 * One-sided: the mean of `values` is at most `bound`, within z SE (fails only
 * when mean > bound + z SE + allowance).
 *
 * @example Mean excess at most a bound
 * ```ts
 * import assert from "node:assert/strict";
 * import { meanAtMost } from "./assertions.ts";
 * const check = meanAtMost([0.9, 1.1, 1.0, 1.05, 0.95], 1);
 * assert.equal(check.passed, true); // mean 1 is at most 1
 * assert.equal(meanAtMost([2, 2.1, 1.9, 2.05], 1).passed, false);
 * ```
 */
export function meanAtMost(
  values: ArrayLike<number> | Estimate,
  bound: number,
  options: StatisticalOptions = {},
): StatisticalCheck {
  return compare("at-most", toEstimate("values", values), requireTarget(bound), options);
}

/**
 * One-sided: the mean of `values` is at least `bound`, within z SE.
 *
 * @example A mean far below the bound fails
 * ```ts
 * import assert from "node:assert/strict";
 * import { meanAtLeast } from "./assertions.ts";
 * assert.equal(meanAtLeast([2, 3, 2.5, 2.8], 10).passed, false);
 * assert.equal(meanAtLeast([2, 3, 2.5, 2.8], 2).passed, true);
 * ```
 */
export function meanAtLeast(
  values: ArrayLike<number> | Estimate,
  bound: number,
  options: StatisticalOptions = {},
): StatisticalCheck {
  return compare("at-least", toEstimate("values", values), requireTarget(bound), options);
}

/**
 * Two-sided: the mean of `values` equals `target` within z SE (+ allowance).
 * Use it where the theory gives an equality, a limit or an attainment.
 *
 * @example A Monte Carlo mean against its formula
 * ```ts
 * import assert from "node:assert/strict";
 * import { meanEquals } from "./assertions.ts";
 * assert.equal(meanEquals([0.98, 1.02, 1.01, 0.99], 1).passed, true);
 * assert.equal(meanEquals([0.98, 1.02, 1.01, 0.99], 2).passed, false);
 * ```
 */
export function meanEquals(
  values: ArrayLike<number> | Estimate,
  target: number,
  options: StatisticalOptions = {},
): StatisticalCheck {
  return compare("equal", toEstimate("values", values), requireTarget(target), options);
}

/**
 * Paired difference on the same draws: mean of `first[i] - second[i]` is
 * positive by more than z SE of the paired differences (e.g. "LSA's loss exceeds
 * LCA's on the same prompts").
 *
 * @example LSA's squared error exceeds LCA's on the same prompts
 * ```ts
 * import assert from "node:assert/strict";
 * import { pairedDifferencePositive } from "./assertions.ts";
 * const lsa = [0.5, 0.7, 0.6, 0.8, 0.65];
 * const lca = [0.1, 0.2, 0.15, 0.1, 0.12];
 * assert.equal(pairedDifferencePositive(lsa, lca).passed, true);
 * assert.equal(pairedDifferencePositive(lca, lsa).passed, false);
 * ```
 */
export function pairedDifferencePositive(
  first: ArrayLike<number>,
  second: ArrayLike<number>,
  options: StatisticalOptions = {},
): StatisticalCheck {
  if (first === null || typeof first !== "object" || typeof first.length !== "number") {
    throw new TypeError(`first must be an array of numbers, got ${String(first)}`);
  }
  if (second === null || typeof second !== "object" || second.length !== first.length) {
    throw new RangeError(
      `second must have the length of first (${first.length}), got ${second?.length}`,
    );
  }
  const difference = new Float64Array(first.length);
  for (let i = 0; i < difference.length; i++) difference[i] = first[i] - second[i];
  const estimate = toEstimate("first - second", difference);
  const { z, allowance } = multiplier(options);
  // "Positive": the mean must clear z SE (+ allowance) above zero, so the target
  // is that threshold and there is no further margin.
  const threshold = z * estimate.standardError + allowance;
  const passed = estimate.mean > threshold;
  return {
    passed,
    sense: "at-least",
    estimate,
    target: threshold,
    z,
    margin: 0,
    slackInStandardErrors: estimate.standardError > 0
      ? (estimate.mean - threshold) / estimate.standardError
      : (passed ? Infinity : -Infinity),
    message: `paired difference ${num(estimate.mean, 6)} ± ${
      num(estimate.standardError, 3)
    } (SE, n = ${estimate.samples}) is ${passed ? "" : "not "}positive beyond ${z.toFixed(2)} SE`,
  };
}

/**
 * A claim part from a statistical check, with its numbers as numbers and text.
 *
 * @example A one-sided check as a part
 * ```ts
 * import assert from "node:assert/strict";
 * import { comparisonPart, meanAtMost } from "./assertions.ts";
 * const part = comparisonPart("excess", meanAtMost([0.01, 0.02, 0.015], 0.05));
 * assert.equal(part.passed, true);
 * assert.equal(part.sense, "at-most");
 * ```
 *
 * Pass the claim's `ResolvedCheck` as `resolved` so that perturbations (power
 * controls, `calibrate`) shift this comparison by k margins like every built-in part.
 */
export function comparisonPart(
  name: string,
  check: StatisticalCheck,
  resolved?: { perturb?: Perturbation },
): ClaimPart {
  if (typeof name !== "string" || name === "") {
    throw new TypeError(`name must be a non-empty string, got ${JSON.stringify(name)}`);
  }
  // With the claim's ResolvedCheck, the comparison goes through the shared Gauge, so a
  // power control or `calibrate` perturbation (k margins, adverse direction) reaches it.
  const gauge = resolved && check.margin > 0 ? new Gauge(resolved, name, check.sense) : undefined;
  const passed = gauge
    ? gauge.compare(check.estimate.mean, check.target, check.margin)
    : check.passed;
  const relation = check.sense === "at-most" ? "<=" : check.sense === "at-least" ? ">=" : "=";
  return {
    name,
    measured: `${num(check.estimate.mean, 6)} ± ${
      num(check.estimate.standardError, 3)
    } (SE, n = ${check.estimate.samples})`,
    target: `mean ${relation} ${num(check.target, 6)}${
      check.sense === "equal" ? " (two-sided)" : " (one-sided)"
    }`,
    margin: check.margin === 0
      ? `none beyond the target (${check.z.toFixed(2)} SE above 0)`
      : `${check.z.toFixed(2)} SE = ${num(check.margin, 3)}`,
    passed,
    measuredValue: check.estimate.mean,
    targetValue: check.target,
    marginValue: check.margin,
    sense: check.sense,
    statistical: true,
    ...(gauge && gauge.margins > 0 ? gauge.fields() : {}),
  };
}

/**
 * Throws an AssertionError with the check's message when it does not hold.
 *
 * @example Holds silently, or throws with the check's message
 * ```ts
 * import assert from "node:assert/strict";
 * import { assertStatistical, meanEquals } from "./assertions.ts";
 * assertStatistical(meanEquals([1.01, 0.99, 1.0, 1.02], 1)); // holds: no error
 * assert.throws(() => assertStatistical(meanEquals([1.01, 0.99, 1.0, 1.02], 2)), /mean/);
 * ```
 */
export function assertStatistical(check: StatisticalCheck): void {
  if (!check.passed) {
    throw new AssertionError({ message: check.message, actual: check.estimate.mean });
  }
}
