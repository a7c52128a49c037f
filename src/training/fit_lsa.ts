/**
 * Fitting LSA on sufficient statistics: the reduced LSA Gamma by linear least squares, and the
 * full LSA (p, K), whose predictions are polynomial in its parameters, by Levenberg-Marquardt
 * on the exact Jacobian and residual curvature (`levenberg_marquardt.ts`) from the isotropic
 * reduced fit and seeded random starts, or by plain gradient descent with a fixed
 * `learningRate`.
 *
 * @module
 */

import { requirePositiveInteger } from "../validation/errors.ts";
import { choleskySolve } from "../numeric/linalg.ts";
import { CounterStream } from "../numeric/random.ts";
import {
  lsaLossUnchecked,
  lsaLossValue,
  lsaResidualCurvature,
  lsaResidualRows,
} from "../model/losses.ts";
import { lsaFromGamma, type LsaParameters } from "../model/models.ts";
import type { PromptStatistics } from "../model/prompt_statistics.ts";
import { type LeastSquaresProblem, levenbergMarquardt } from "./levenberg_marquardt.ts";
import { gradientDescent, type GradientDescentResult } from "./optimizer.ts";
import { descentOptions, type ResolvedTrain, TRAIN_DEFAULTS } from "./train_options.ts";
import type { Fit } from "./trained_parameters.ts";

/**
 * Reduced LSA by least squares: Gamma = argmin sum_n (x_q^T Gamma mu_hat - t_n)^2
 * (features x_q (x) mu_hat; needs N >= d^2 and d <= 32).
 */
export function fitReducedLsa(stats: PromptStatistics, target: ArrayLike<number>): Float64Array {
  const d = stats.task.dim;
  const f = d * d;
  if (d > 32) throw new RangeError(`d must be at most 32 for the least-squares LSA fit, got ${d}`);
  if (stats.prompts < f) {
    throw new RangeError(
      `prompts must be at least d^2 = ${f} for the LSA fit, got ${stats.prompts}`,
    );
  }
  const gram = new Float64Array(f * f);
  const rhs = new Float64Array(f);
  const phi = new Float64Array(f);
  for (let n = 0; n < stats.prompts; n++) {
    for (let a = 0; a < d; a++) {
      for (let b = 0; b < d; b++) phi[a * d + b] = stats.query[n * d + a] * stats.muHat[n * d + b];
    }
    for (let i = 0; i < f; i++) {
      rhs[i] += phi[i] * target[n];
      for (let j = 0; j <= i; j++) gram[i * f + j] += phi[i] * phi[j];
    }
  }
  let trace = 0;
  for (let i = 0; i < f; i++) trace += gram[i * f + i];
  for (let i = 0; i < f; i++) gram[i * f + i] += 1e-12 * trace / f; // guards exact rank loss only
  return choleskySolve(gram, rhs, f);
}

/**
 * Fits LSA: the reduced Gamma by {@linkcode fitReducedLsa}, then the full (p, K) from
 * `lsaInits` starts (the first lsaFromGamma(mean diagonal of Gamma), the others random,
 * seeded by the training seed on stream 2), keeping the best; Levenberg-Marquardt unless a
 * fixed `learningRate` asks for gradient descent. Progress reports the first start only.
 *
 * @example Full LSA from one start
 * ```ts
 * import assert from "node:assert/strict";
 * import { fitLsa } from "./fit_lsa.ts";
 * import { resolveTrain, trainingSample } from "./train_options.ts";
 * import { samplePromptStatistics } from "../model/prompt_statistics.ts";
 * const r = resolveTrain({ model: "lsa", d1: 2, d2: 1, prompts: 200, lsaInits: 1 });
 * const stats = samplePromptStatistics(trainingSample(r));
 * const fit = fitLsa(r, stats, Float64Array.from(stats.queryLabel));
 * assert.ok(fit.parameters.model === "lsa" && fit.parameters.full.p.length === 4);
 * ```
 */
export function fitLsa(r: ResolvedTrain, stats: PromptStatistics, targets: Float64Array): Fit {
  const gdOptions = descentOptions(r);
  const d = r.task.dim;
  const gamma = fitReducedLsa(stats, targets);
  let isotropic = 0;
  for (let j = 0; j < d; j++) isotropic += gamma[j * d + j] / d;
  const inits = requirePositiveInteger("lsaInits", r.options.lsaInits ?? TRAIN_DEFAULTS.lsaInits);
  const random = new CounterStream({ seed: r.seed, stream: 2 });
  const size = (d + 1) + (d + 1) * d;
  let best: GradientDescentResult | undefined;
  const initLosses: number[] = [];
  for (let init = 0; init < inits; init++) {
    const theta0 = new Float64Array(size);
    if (init === 0) {
      const start = lsaFromGamma(isotropic, d);
      theta0.set(start.p, 0);
      theta0.set(start.k, d + 1);
    } else {
      random.normals(init, 0, 0, size, theta0);
      for (let i = 0; i < size; i++) theta0[i] *= 0.3;
    }
    const onStep = init === 0 ? gdOptions.onStep : undefined;
    const result = r.learningRate === "auto"
      ? levenbergMarquardt(lsaProblem(stats, targets, d), theta0, { iterations: r.steps, onStep })
      : gradientDescent(
        (theta) => {
          const loss = lsaLossUnchecked(stats, targets, splitLsa(theta, d));
          const gradient = new Float64Array(size);
          gradient.set(loss.p, 0);
          gradient.set(loss.k, d + 1);
          return { loss: loss.loss, gradient };
        },
        theta0,
        { ...gdOptions, onStep },
      );
    initLosses.push(result.loss);
    if (!best || result.loss < best.loss) best = result;
  }
  const full = splitLsa(best!.parameters, d);
  return {
    run: best!,
    parameters: {
      model: "lsa",
      gamma: Array.from(gamma),
      full: { p: Array.from(full.p), k: Array.from(full.k) },
    },
    initLosses,
  };
}

/**
 * The full-LSA least-squares problem on statistics: residuals p^T G_n K x_q,n - target_n,
 * their Jacobian (`lsaResidualJacobian`, block by block) and their curvature (the p-K cross
 * term), so Levenberg-Marquardt damps the exact Hessian: the labels are noisy, the residuals
 * stay large at the minimum, and Gauss-Newton alone converged only linearly (up to 1149
 * iterations in C1 at full size).
 */
function lsaProblem(
  stats: PromptStatistics,
  targets: ArrayLike<number>,
  d: number,
): LeastSquaresProblem {
  return {
    residualCount: stats.prompts,
    rows: (theta, start, count, residuals, jacobian) =>
      lsaResidualRows(stats, targets, splitLsa(theta, d), start, count, residuals, jacobian),
    loss: (theta) => lsaLossValue(stats, targets, splitLsa(theta, d)),
    residualCurvature: (theta, h, residuals) =>
      lsaResidualCurvature(stats, targets, splitLsa(theta, d), h, residuals),
  };
}

/** Splits a flat LSA parameter vector (p, then K row-major) into views. */
export function splitLsa(theta: Float64Array, dim: number): LsaParameters {
  return { p: theta.subarray(0, dim + 1), k: theta.subarray(dim + 1) };
}
