/**
 * Evaluation of predictions on test prompts: the risk against the noisy labels
 * (what the figures plot) and the excess over the Bayes predictor, estimated as
 * mean (y_hat - w^T x_q)^2. Given the task and x_q, w^T x_q = E[y_q | x_q, task],
 * so this is exactly the excess risk, without the label noise in its standard error.
 *
 * @module
 */

import { requireLength } from "../validation/errors.ts";
import { type Estimate, estimateMean, squaredRisk } from "../model/risk.ts";

/** Risk and excess risk of one predictor on one test set. */
export interface Evaluation {
  /** mean (y_hat - y_q)^2 with its standard error over test prompts. */
  risk: Estimate;
  /** mean (y_hat - w^T x_q)^2 with its standard error over test prompts. */
  excess: Estimate;
}

/** Squared deviations (y_hat - w^T x_q)^2 per prompt. */
export function squaredDeviations(
  predictions: ArrayLike<number>,
  bayes: ArrayLike<number>,
): Float64Array {
  requireLength("bayes", bayes, predictions.length);
  const out = new Float64Array(predictions.length);
  for (let i = 0; i < out.length; i++) out[i] = (predictions[i] - bayes[i]) ** 2;
  return out;
}

/** Risk against the labels and excess over the Bayes predictor `bayes`. */
export function evaluatePredictions(
  predictions: ArrayLike<number>,
  labels: ArrayLike<number>,
  bayes: ArrayLike<number>,
): Evaluation {
  return {
    risk: squaredRisk(predictions, labels),
    excess: estimateMean(squaredDeviations(predictions, bayes)),
  };
}

/** Mean and standard deviation across runs (sample standard deviation; 0 for one run). */
export function acrossRuns(values: readonly number[]): { mean: number; sd: number } {
  const n = values.length;
  if (n === 0) throw new RangeError("values must be non-empty, got length 0");
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const ss = values.reduce((a, b) => a + (b - mean) ** 2, 0);
  return { mean, sd: n > 1 ? Math.sqrt(ss / (n - 1)) : 0 };
}
