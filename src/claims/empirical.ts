/**
 * Empirical LCA minimisers with their sampling standard errors, for claims that
 * compare trained parameters with population targets.
 *
 * The standard error of an M-estimator theta_hat = argmin (1/N) sum_n l_n(theta)
 * is the sandwich H^{-1} V H^{-1} / N, with V the covariance of the per-prompt
 * gradients and H the Hessian of the mean loss at theta_hat (both measured).
 *
 * @module
 */

import { lcaSpectralPredictions } from "../model/losses.ts";
import { lcaObjective } from "../training/lca_objective.ts";
import { gradientDescent } from "../training/optimizer.ts";
import type { StopInfo } from "../training/stopping_rules.ts";
import type { SpectralStatistics } from "../model/prompt_statistics.ts";

/** A trained one-parameter LCA with its sandwich standard error. */
export interface EmpiricalAlpha {
  alpha: number;
  standardError: number;
  loss: number;
  gradientNorm: number;
  /**
   * Per-prompt influence psi_n = -g_n / H (alpha_hat - alpha ~ mean psi), so that the
   * standard error of a difference of two fits on the same prompts (same tasks and
   * queries) is sd(psi - psi') / sqrt(N) (see {@linkcode pairedStandardError}).
   */
  influence: Float64Array;
  /** Descent steps taken. */
  steps: number;
  /** Why the descent stopped (`optimizer.ts`). */
  stop: StopInfo;
}

/**
 * Standard error of alpha_a - alpha_b for two fits on the same prompts (paired: the
 * task and query noise they share cancels): sd(psi_a - psi_b) / sqrt(N).
 */
export function pairedStandardError(a: EmpiricalAlpha, b: EmpiricalAlpha): number {
  const n = a.influence.length;
  if (b.influence.length !== n) {
    throw new RangeError(
      `fits must share their prompts, got ${n} and ${b.influence.length} prompts`,
    );
  }
  let mean = 0;
  for (let i = 0; i < n; i++) mean += (a.influence[i] - b.influence[i]) / n;
  let variance = 0;
  for (let i = 0; i < n; i++) variance += (a.influence[i] - b.influence[i] - mean) ** 2 / (n - 1);
  return Math.sqrt(variance / n);
}

/**
 * Trains the one-parameter LCA (W_V = valueSign * alpha; -1 is the model) by
 * gradient descent on the empirical loss and returns alpha_hat with its
 * sandwich standard error.
 */
export function empiricalOneParameter(
  spectral: SpectralStatistics,
  target: Float64Array,
  depth: number,
  options: { steps?: number; valueSign?: number; alphaInit?: number } = {},
): EmpiricalAlpha {
  const sign = options.valueSign ?? -1;
  const objective = sign === -1
    ? lcaObjective(spectral, target, depth, true)
    : (theta: Float64Array) => {
      const two = lcaObjective(spectral, target, depth, false)(
        new Float64Array([theta[0], sign * theta[0]]),
      );
      return {
        loss: two.loss,
        gradient: new Float64Array([two.gradient[0] + sign * two.gradient[1]]),
      };
    };
  // Descend on log l (same path as on l, time reparametrised): scale-free, so a
  // loss of 1e-20 (Bayes target, exact statistics) converges as well as one of 0.35.
  const logObjective = (theta: Float64Array) => {
    const r = objective(theta);
    return { loss: Math.log(r.loss), gradient: r.gradient.map((g) => g / r.loss) };
  };
  const run = gradientDescent(logObjective, new Float64Array([options.alphaInit ?? 0]), {
    steps: options.steps ?? 3000,
    gradientTolerance: 1e-12,
    maxRecorded: 2,
  });
  const alpha = run.parameters[0];
  // Per-prompt gradients g_n = 2 r_n dpred_n and the mean Hessian H.
  const at = lcaSpectralPredictions(spectral, { alpha, beta: sign * alpha, depth });
  const n = spectral.prompts;
  const grads = new Float64Array(n);
  let mean = 0;
  for (let i = 0; i < n; i++) {
    const d = at.dAlpha[i] + sign * at.dBeta[i];
    grads[i] = 2 * (at.prediction[i] - target[i]) * d;
    mean += grads[i] / n;
  }
  let variance = 0;
  for (let i = 0; i < n; i++) variance += (grads[i] - mean) ** 2 / (n - 1);
  const h = 1e-5 * Math.max(1, Math.abs(alpha));
  const hessian = (objective(new Float64Array([alpha + h])).gradient[0] -
    objective(new Float64Array([alpha - h])).gradient[0]) / (2 * h);
  const influence = new Float64Array(n);
  for (let i = 0; i < n; i++) influence[i] = -grads[i] / hessian;
  return {
    alpha,
    standardError: Math.sqrt(variance / n) / Math.abs(hessian),
    loss: Math.exp(run.loss),
    gradientNorm: run.gradientNorm,
    influence,
    steps: run.steps,
    stop: run.stop,
  };
}
