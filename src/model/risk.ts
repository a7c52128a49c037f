/**
 * Monte Carlo risks with standard errors.
 *
 * @module
 */

import { requireLength, requireNumbers } from "../validation/errors.ts";

/** A Monte Carlo mean with its standard error (sample standard deviation / sqrt(n)). */
export interface Estimate {
  /** The sample mean. */
  mean: number;
  /** Sample standard deviation / sqrt(n) (at least 2 samples: from 1 it is undefined). */
  standardError: number;
  /** Number of samples n. */
  samples: number;
}

/**
 * Mean and standard error of a sample.
 *
 * @example Mean and standard error
 * ```ts
 * import assert from "node:assert/strict";
 * import { estimateMean } from "./risk.ts";
 * const { mean, standardError, samples } = estimateMean([1, 2, 3]);
 * assert.equal(mean, 2);
 * assert.equal(samples, 3);
 * assert.ok(Math.abs(standardError - Math.sqrt(1 / 3)) < 1e-15); // sample variance 1, n = 3
 * ```
 */
export function estimateMean(values: ArrayLike<number>): Estimate {
  requireNumbers("values", values);
  if (values.length === 1) {
    throw new RangeError(
      "values must have at least 2 samples (a standard error from 1 sample is undefined), got 1",
    );
  }
  const n = values.length;
  if (n === 0) throw new RangeError("values must be non-empty, got length 0");
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i] - mean) ** 2;
  const variance = n > 1 ? ss / (n - 1) : 0;
  return { mean, standardError: Math.sqrt(variance / n), samples: n };
}

/**
 * Squared-error risk of predictions against labels: mean of (y_hat - y)^2 with its standard error.
 *
 * @example Risk of predictions against labels
 * ```ts
 * import assert from "node:assert/strict";
 * import { squaredRisk } from "./risk.ts";
 * assert.equal(squaredRisk([1, 2], [1, 3]).mean, 0.5); // (0^2 + 1^2) / 2
 * ```
 */
export function squaredRisk(predictions: ArrayLike<number>, labels: ArrayLike<number>): Estimate {
  requireNumbers("predictions", predictions);
  requireNumbers("labels", labels);
  requireLength("labels", labels, predictions.length);
  const losses = new Float64Array(predictions.length);
  for (let i = 0; i < losses.length; i++) losses[i] = (predictions[i] - labels[i]) ** 2;
  return estimateMean(losses);
}

/**
 * Excess risk of `predictions` over `reference` on the same prompts, paired:
 * mean of (y_hat - y)^2 - (y_ref - y)^2 with the standard error of the paired differences.
 *
 * @example Excess of LCA over the Bayes predictor on the same prompts
 * ```ts
 * import assert from "node:assert/strict";
 * import { samplePromptStatistics } from "./prompt_statistics.ts";
 * import { bayesPredict, lcaPredict } from "./predictors.ts";
 * import { pairedExcess } from "./risk.ts";
 * const test = samplePromptStatistics({ prompts: 200, context: 64, seed: 1, stream: 1 });
 * const lca = lcaPredict(test, { alpha: 0.3077, beta: -0.3077, depth: 10 });
 * const excess = pairedExcess(lca, bayesPredict(test), test.queryLabel);
 * assert.equal(excess.samples, 200);
 * assert.ok(excess.mean > 0 && excess.standardError > 0); // here 0.036 +- 0.014
 * ```
 */
export function pairedExcess(
  predictions: ArrayLike<number>,
  reference: ArrayLike<number>,
  labels: ArrayLike<number>,
): Estimate {
  requireNumbers("predictions", predictions);
  requireNumbers("reference", reference);
  requireNumbers("labels", labels);
  requireLength("reference", reference, predictions.length);
  requireLength("labels", labels, predictions.length);
  const diff = new Float64Array(predictions.length);
  for (let i = 0; i < diff.length; i++) {
    diff[i] = (predictions[i] - labels[i]) ** 2 - (reference[i] - labels[i]) ** 2;
  }
  return estimateMean(diff);
}
