/**
 * The comparisons of plotted numbers with theory (the figures' acceptance checks).
 * Each is a Monte Carlo estimate with its standard error, a theoretical value,
 * z = (estimate - theory) / SE, and whether |z| <= 3.
 *
 * Which estimate has the smallest standard error:
 * - an excess over Bayes as mean (y_hat - w^T x_q)^2 (no label noise in it);
 * - a difference of two predictors as a paired difference on the same test prompts.
 *
 * @module
 */

import { requireLength } from "../validation/errors.ts";
import { type Estimate, estimateMean } from "../model/risk.ts";
import { squaredDeviations } from "./evaluate.ts";

/** The tolerance of every comparison: 3 standard errors. */
export const Z_TOLERANCE = 3;

/** One comparison of an estimate with its theoretical value. */
export interface Comparison {
  /** Short identifier, e.g. "lsa-gap@largest". */
  id: string;
  /** What is compared, in words. */
  description: string;
  /** Test context length (Infinity: exact task statistics). */
  context: number;
  /** The Monte Carlo estimate. */
  estimate: number;
  /** Its standard error. */
  standardError: number;
  /** Number of samples behind the estimate. */
  samples: number;
  /** The theoretical value. */
  theory: number;
  /** (estimate - theory) / standardError (0 when both are exactly equal). */
  z: number;
  /** |z| <= 3. */
  holds: boolean;
  /** Whether the figures' tests require it (false: recorded for information). */
  required: boolean;
}

function compare(
  id: string,
  description: string,
  context: number,
  estimate: Estimate,
  theory: number,
  required: boolean,
): Comparison {
  const diff = estimate.mean - theory;
  const z = diff === 0 ? 0 : diff / estimate.standardError;
  return {
    id,
    description,
    context,
    estimate: estimate.mean,
    standardError: estimate.standardError,
    samples: estimate.samples,
    theory,
    z,
    holds: Math.abs(z) <= Z_TOLERANCE,
    required,
  };
}

/** Options shared by the comparison constructors. */
export interface ComparisonLabel {
  id: string;
  description: string;
  context: number;
  /** Whether the tests require |z| <= 3 (default true). */
  required?: boolean;
}

/** Excess over Bayes, mean (y_hat - w^T x_q)^2, against a population value. */
export function excessAgainst(
  label: ComparisonLabel,
  predictions: ArrayLike<number>,
  bayes: ArrayLike<number>,
  theory: number,
): Comparison {
  return compare(
    label.id,
    label.description,
    label.context,
    estimateMean(squaredDeviations(predictions, bayes)),
    theory,
    label.required ?? true,
  );
}

/**
 * Paired difference of the risks of `a` and `b` against the labels,
 * mean (a - y)^2 - (b - y)^2 on the same prompts, against 0.
 */
export function pairedRiskDifference(
  label: ComparisonLabel,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  labels: ArrayLike<number>,
): Comparison {
  requireLength("b", b, a.length);
  requireLength("labels", labels, a.length);
  const diff = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) diff[i] = (a[i] - labels[i]) ** 2 - (b[i] - labels[i]) ** 2;
  return compare(
    label.id,
    label.description,
    label.context,
    estimateMean(diff),
    0,
    label.required ?? true,
  );
}

/**
 * Paired difference of the excesses over Bayes, mean (a - w^T x_q)^2 - (b - w^T x_q)^2,
 * against `theory` (default 0). Free of label noise: the smallest standard error.
 */
export function pairedExcessDifference(
  label: ComparisonLabel,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  bayes: ArrayLike<number>,
  theory = 0,
): Comparison {
  requireLength("b", b, a.length);
  const da = squaredDeviations(a, bayes);
  const db = squaredDeviations(b, bayes);
  for (let i = 0; i < da.length; i++) da[i] -= db[i];
  return compare(
    label.id,
    label.description,
    label.context,
    estimateMean(da),
    theory,
    label.required ?? true,
  );
}

/**
 * z for display: 2 decimals, or as many more as it takes for the shown value to
 * be on the same side of {@linkcode Z_TOLERANCE} as z itself (3.0027 is "3.003",
 * never "3.00" beside "holds: no"; at most 15 decimals).
 */
export function formatZ(z: number): string {
  if (!Number.isFinite(z)) return String(z);
  const holds = Math.abs(z) <= Z_TOLERANCE;
  for (let digits = 2; digits < 15; digits++) {
    const shown = z.toFixed(digits);
    if ((Math.abs(Number(shown)) <= Z_TOLERANCE) === holds) return shown;
  }
  return z.toFixed(15);
}
