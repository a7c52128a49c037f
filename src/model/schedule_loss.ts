/**
 * The empirical loss of the schedule models (`schedule_models.ts`),
 * l = (1/N) sum_n (y_hat_n - target_n)^2, with its exact gradient in the per-layer weights by
 * the adjoint recursion of q_{t+1} = q_t + alpha_t x_q + beta_t Sigma_hat q_t, y_hat = q_T^T
 * mu_hat:
 *   lambda_T = mu_hat,  d y_hat/d alpha_t = lambda_{t+1}^T x_q,
 *   d y_hat/d beta_t = lambda_{t+1}^T Sigma_hat q_t,  lambda_t = lambda_{t+1} + beta_t
 *   Sigma_hat lambda_{t+1}  (Sigma_hat symmetric).
 * For `lca-schedule` (beta_t = -alpha_t) the gradient in alpha_t is the total derivative
 * d/d alpha_t - d/d beta_t. O(N T d^2).
 *
 * @module
 */

import { requireLength, requireStatistics } from "../validation/errors.ts";
import type { PromptStatistics } from "./model_types.ts";
import { scheduleLayers, type ScheduleParameters } from "./schedule_models.ts";

/** The loss and its gradient in the schedule's parameters. */
export interface ScheduleLossAndGradient {
  /** (1/N) sum_n (y_hat_n - target_n)^2. */
  loss: number;
  /** d loss / d alpha_t, t = 1..T (the total derivative when beta_t = -alpha_t). */
  alphas: Float64Array;
  /** d loss / d beta_t (only for `lca2-schedule`, i.e. when `params.betas` is given). */
  betas?: Float64Array;
}

/** The forward pass of one prompt, keeping q_t and Sigma_hat q_t; returns y_hat. */
function forward(
  stats: PromptStatistics,
  n: number,
  alphas: readonly number[],
  betas: readonly number[],
  qs: Float64Array,
  us: Float64Array,
): number {
  const d = stats.task.dim, so = n * d * d, xo = n * d;
  qs.fill(0, 0, d);
  for (let t = 0; t < alphas.length; t++) {
    const o = t * d;
    for (let r = 0; r < d; r++) {
      let sum = 0;
      for (let c = 0; c < d; c++) sum += stats.sigmaHat[so + r * d + c] * qs[o + c];
      us[o + r] = sum;
    }
    for (let r = 0; r < d; r++) {
      qs[o + d + r] = qs[o + r] + alphas[t] * stats.query[xo + r] + betas[t] * us[o + r];
    }
  }
  let pred = 0;
  for (let r = 0; r < d; r++) pred += qs[alphas.length * d + r] * stats.muHat[xo + r];
  return pred;
}

/** Adds scale * d y_hat_n / d(alpha_t, beta_t) into ga, gb (after `forward` of prompt n). */
function backward(
  stats: PromptStatistics,
  n: number,
  betas: readonly number[],
  us: Float64Array,
  scale: number,
  ga: Float64Array,
  gb: Float64Array,
): void {
  const d = stats.task.dim, so = n * d * d, xo = n * d;
  const lambda = Float64Array.from(stats.muHat.subarray(xo, xo + d), (m) => scale * m);
  const next = new Float64Array(d);
  for (let t = betas.length - 1; t >= 0; t--) {
    let da = 0, db = 0;
    for (let r = 0; r < d; r++) {
      da += lambda[r] * stats.query[xo + r];
      db += lambda[r] * us[t * d + r];
    }
    ga[t] += da;
    gb[t] += db;
    for (let r = 0; r < d; r++) {
      let sum = 0;
      for (let c = 0; c < d; c++) sum += stats.sigmaHat[so + r * d + c] * lambda[c];
      next[r] = lambda[r] + betas[t] * sum;
    }
    lambda.set(next);
  }
}

/**
 * The loss (1/N) sum_n (y_hat_n - target_n)^2 of a schedule model on sufficient statistics
 * and its exact gradient (adjoint recursion).
 *
 * @example The gradient matches a central difference
 * ```ts
 * import assert from "node:assert/strict";
 * import { samplePromptStatistics, bayesTarget } from "./prompt_statistics.ts";
 * import { scheduleLoss } from "./schedule_loss.ts";
 * const stats = samplePromptStatistics({ prompts: 8, context: 32, seed: 3 });
 * const target = bayesTarget(stats);
 * const at = (a0: number) => scheduleLoss(stats, target, { alphas: [a0, 0.3] }).loss;
 * const h = 1e-6;
 * const numeric = (at(0.5 + h) - at(0.5 - h)) / (2 * h);
 * const exact = scheduleLoss(stats, target, { alphas: [0.5, 0.3] }).alphas[0];
 * assert.ok(Math.abs(numeric - exact) <= 1e-6 * Math.abs(exact));
 * ```
 */
export function scheduleLoss(
  stats: PromptStatistics,
  target: ArrayLike<number>,
  params: ScheduleParameters,
): ScheduleLossAndGradient {
  requireStatistics("stats", stats);
  requireLength("target", target, stats.prompts);
  const { alphas, betas } = scheduleLayers(params);
  const T = alphas.length, d = stats.task.dim, N = stats.prompts;
  const qs = new Float64Array((T + 1) * d);
  const us = new Float64Array(T * d);
  const ga = new Float64Array(T);
  const gb = new Float64Array(T);
  let loss = 0;
  for (let n = 0; n < N; n++) {
    const residual = forward(stats, n, alphas, betas, qs, us) - target[n];
    loss += residual * residual;
    backward(stats, n, betas, us, 2 * residual / N, ga, gb);
  }
  if (params.betas !== undefined) return { loss: loss / N, alphas: ga, betas: gb };
  for (let t = 0; t < T; t++) ga[t] -= gb[t];
  return { loss: loss / N, alphas: ga };
}
