/**
 * Predictors on sufficient statistics (closed forms) and on stored tokens
 * (the literal token-level attention computations, kept as the reference).
 *
 * Closed forms (per prompt, O(T d^2) or O(d^3)):
 * - Bayes: w^T x_q with w = m / (1 + s) (task known);
 * - in-context OLS: x_q^T Sigma_hat^+ mu_hat; sample mean of the context labels;
 * - LSA: p^T G K x_q with G = [[Sigma_hat, mu_hat], [mu_hat^T, mean y^2]]; reduced x_q^T Gamma mu_hat;
 * - LCA: x_q^T P_T(Sigma_hat) mu_hat, P_T = alpha sum_{k<T} (I + beta Sigma_hat)^k;
 * - LCA without S_t: x_q^T (I + beta Sigma_hat)^T mu_hat;
 * - deep LSA: the layer recursion on (Sigma_t, x_q,t, g_t = (1/L) X_t^T f_t).
 * The token-level forms are in `token_predictors.ts` (re-exported here).
 *
 * @module
 */

import { requireAllFinite, requireLength, requireStatistics } from "../validation/errors.ts";
import { EigenWorkspace, symmetricEigenInto } from "../numeric/linalg.ts";
import {
  type DeepLsaParameters,
  type LcaParameters,
  lsaKeyQueryInto,
  type LsaParameters,
  validateLayerParameters,
  validateLsaParameters,
} from "./models.ts";
import type { PromptStatistics } from "./model_types.ts";
import { bayesTarget } from "./prompt_statistics.ts";

export {
  deepLsaTokenPredict,
  type LcaTokenOptions,
  lcaTokenPredict,
  lsaTokenPredict,
} from "./token_predictors.ts";

/**
 * Bayes predictions w^T x_q (the task m is known).
 *
 * @example Bayes predictions
 * ```ts
 * import assert from "node:assert/strict";
 * import { samplePromptStatistics } from "./prompt_statistics.ts";
 * import { bayesPredict } from "./predictors.ts";
 * const stats = samplePromptStatistics({ prompts: 5, context: 50, seed: 1 });
 * assert.equal(bayesPredict(stats).length, 5); // one prediction per prompt
 * ```
 */
export function bayesPredict(stats: PromptStatistics): Float64Array {
  requireStatistics("stats", stats);
  return bayesTarget(stats);
}

/**
 * Sample mean of the context labels.
 *
 * @example The sample mean of the context labels
 * ```ts
 * import assert from "node:assert/strict";
 * import { samplePromptStatistics } from "./prompt_statistics.ts";
 * import { sampleMeanPredict } from "./predictors.ts";
 * const stats = samplePromptStatistics({ prompts: 5, context: 50, seed: 1 });
 * assert.equal(sampleMeanPredict(stats).length, 5); // one prediction per prompt
 * ```
 */
export function sampleMeanPredict(stats: PromptStatistics): Float64Array {
  requireStatistics("stats", stats);
  return Float64Array.from(stats.meanY);
}

/**
 * In-context OLS x_q^T Sigma_hat^+ mu_hat (pseudo-inverse: eigenvalues below
 * d * eps * lambda_max are dropped, so L < d is handled as minimum-norm least squares).
 *
 * @example In-context least squares
 * ```ts
 * import assert from "node:assert/strict";
 * import { samplePromptStatistics } from "./prompt_statistics.ts";
 * import { olsPredict } from "./predictors.ts";
 * const stats = samplePromptStatistics({ prompts: 5, context: 50, seed: 1 });
 * assert.equal(olsPredict(stats).length, 5); // one prediction per prompt
 * ```
 */
export function olsPredict(stats: PromptStatistics): Float64Array {
  requireStatistics("stats", stats);
  const d = stats.task.dim;
  const out = new Float64Array(stats.prompts);
  const workspace = new EigenWorkspace(d);
  const { values, vectors } = workspace;
  for (let n = 0; n < stats.prompts; n++) {
    symmetricEigenInto(stats.sigmaHat, n * d * d, workspace);
    const cutoff = d * Number.EPSILON * Math.max(values[d - 1], 0);
    let pred = 0;
    for (let j = 0; j < d; j++) {
      if (!(values[j] > cutoff)) continue;
      let xq = 0, mu = 0;
      for (let r = 0; r < d; r++) {
        xq += vectors[r * d + j] * stats.query[n * d + r];
        mu += vectors[r * d + j] * stats.muHat[n * d + r];
      }
      pred += xq * mu / values[j];
    }
    out[n] = pred;
  }
  return out;
}

/**
 * Reduced LSA x_q^T Gamma mu_hat with Gamma a d x d row-major matrix.
 *
 * @example Reduced LSA x_q^T Gamma mu_hat with Gamma = 0.27 I
 * ```ts
 * import assert from "node:assert/strict";
 * import { samplePromptStatistics } from "./prompt_statistics.ts";
 * import { lsaReducedPredict } from "./predictors.ts";
 * const stats = samplePromptStatistics({ prompts: 5, context: 50, seed: 1 });
 * const gamma = new Float64Array(16);
 * for (let i = 0; i < 4; i++) gamma[i * 5] = 0.27;
 * assert.equal(lsaReducedPredict(stats, gamma).length, 5);
 * ```
 */
export function lsaReducedPredict(stats: PromptStatistics, gamma: ArrayLike<number>): Float64Array {
  requireStatistics("stats", stats);
  const d = stats.task.dim;
  requireAllFinite("gamma", requireLength("gamma", gamma, d * d));
  const out = new Float64Array(stats.prompts);
  for (let n = 0; n < stats.prompts; n++) {
    let pred = 0;
    for (let a = 0; a < d; a++) {
      let row = 0;
      for (let b = 0; b < d; b++) row += gamma[a * d + b] * stats.muHat[n * d + b];
      pred += stats.query[n * d + a] * row;
    }
    out[n] = pred;
  }
  return out;
}

/**
 * Full LSA p^T G K x_q (Zhang-Frei-Bartlett parameterisation).
 *
 * @example Full LSA equals reduced LSA for the isotropic Gamma
 * ```ts
 * import assert from "node:assert/strict";
 * import { samplePromptStatistics } from "./prompt_statistics.ts";
 * import { lsaPredict, lsaReducedPredict } from "./predictors.ts";
 * import { lsaFromGamma } from "./models.ts";
 * const stats = samplePromptStatistics({ prompts: 3, context: 20, seed: 4 });
 * const gamma = new Float64Array(16);
 * for (let i = 0; i < 4; i++) gamma[i * 5] = 0.27;
 * const full = lsaPredict(stats, lsaFromGamma(0.27, 4));
 * const reduced = lsaReducedPredict(stats, gamma);
 * assert.ok(Math.abs(full[0] - reduced[0]) < 1e-12); // equal up to rounding
 * ```
 */
export function lsaPredict(stats: PromptStatistics, params: LsaParameters): Float64Array {
  requireStatistics("stats", stats);
  const d = stats.task.dim;
  validateLsaParameters(params, d);
  const out = new Float64Array(stats.prompts);
  const kx = new Float64Array(d + 1);
  for (let n = 0; n < stats.prompts; n++) {
    lsaKeyQueryInto(params, stats.query, n, kx);
    // G kx with G = [[Sigma, mu], [mu^T, meanY2]].
    let pred = 0;
    for (let r = 0; r < d; r++) {
      let g = stats.muHat[n * d + r] * kx[d];
      for (let c = 0; c < d; c++) g += stats.sigmaHat[n * d * d + r * d + c] * kx[c];
      pred += params.p[r] * g;
    }
    let last = stats.meanY2[n] * kx[d];
    for (let c = 0; c < d; c++) last += stats.muHat[n * d + c] * kx[c];
    out[n] = pred + params.p[d] * last;
  }
  return out;
}

/** (I + beta S) v for a d x d row-major S at offset `so`, into `out`. */
function stepInto(
  sigma: Float64Array,
  so: number,
  d: number,
  beta: number,
  v: Float64Array,
  out: Float64Array,
): void {
  for (let a = 0; a < d; a++) {
    let sum = 0;
    for (let b = 0; b < d; b++) sum += sigma[so + a * d + b] * v[b];
    out[a] = v[a] + beta * sum;
  }
}

/**
 * LCA in closed form: x_q^T P_T(Sigma_hat) mu_hat with
 * P_T = alpha sum_{k<T} (I + beta Sigma_hat)^k (applied to mu_hat by Horner steps).
 *
 * @example T = 10 LCA at alpha*
 * ```ts
 * import assert from "node:assert/strict";
 * import { samplePromptStatistics } from "./prompt_statistics.ts";
 * import { lcaPredict } from "./predictors.ts";
 * const stats = samplePromptStatistics({ prompts: 5, context: 64, seed: 1 });
 * assert.equal(lcaPredict(stats, { alpha: 0.3077, beta: -0.3077, depth: 10 }).length, 5);
 * ```
 */
export function lcaPredict(stats: PromptStatistics, params: LcaParameters): Float64Array {
  requireStatistics("stats", stats);
  validateLayerParameters(params);
  const d = stats.task.dim;
  const out = new Float64Array(stats.prompts);
  let r = new Float64Array(d);
  let next = new Float64Array(d);
  const sum = new Float64Array(d);
  for (let n = 0; n < stats.prompts; n++) {
    r.set(stats.muHat.subarray(n * d, (n + 1) * d));
    sum.fill(0);
    for (let k = 0; k < params.depth; k++) {
      for (let a = 0; a < d; a++) sum[a] += r[a];
      stepInto(stats.sigmaHat, n * d * d, d, params.beta, r, next);
      [r, next] = [next, r];
    }
    let pred = 0;
    for (let a = 0; a < d; a++) pred += stats.query[n * d + a] * sum[a];
    out[n] = params.alpha * pred;
  }
  return out;
}

/**
 * LCA without S_t in closed form: x_q^T (I + beta Sigma_hat)^T mu_hat.
 *
 * @example The ablation without S_t
 * ```ts
 * import assert from "node:assert/strict";
 * import { samplePromptStatistics } from "./prompt_statistics.ts";
 * import { lcaWithoutSkipStreamPredict } from "./predictors.ts";
 * const stats = samplePromptStatistics({ prompts: 5, context: 64, seed: 1 });
 * assert.equal(lcaWithoutSkipStreamPredict(stats, { alpha: 0.3, beta: -0.3, depth: 5 }).length, 5);
 * ```
 */
export function lcaWithoutSkipStreamPredict(
  stats: PromptStatistics,
  params: LcaParameters,
): Float64Array {
  requireStatistics("stats", stats);
  validateLayerParameters(params);
  const d = stats.task.dim;
  const out = new Float64Array(stats.prompts);
  let r = new Float64Array(d);
  let next = new Float64Array(d);
  for (let n = 0; n < stats.prompts; n++) {
    r.set(stats.muHat.subarray(n * d, (n + 1) * d));
    for (let k = 0; k < params.depth; k++) {
      stepInto(stats.sigmaHat, n * d * d, d, params.beta, r, next);
      [r, next] = [next, r];
    }
    let pred = 0;
    for (let a = 0; a < d; a++) pred += stats.query[n * d + a] * r[a];
    out[n] = pred;
  }
  return out;
}

/**
 * Deep LSA in closed form on statistics. Every token's covariates move by the same
 * matrix, so with M_t = I + beta Sigma_t: Sigma_{t+1} = M_t Sigma_t M_t,
 * x_q,{t+1} = M_t x_q,t, g_{t+1} = M_t (I + alpha Sigma_t) g_t (g_0 = mu_hat), and
 * f_q gains alpha x_q,t^T g_t per layer.
 *
 * @example Two-parameter deep LSA
 * ```ts
 * import assert from "node:assert/strict";
 * import { samplePromptStatistics } from "./prompt_statistics.ts";
 * import { deepLsaPredict } from "./predictors.ts";
 * const stats = samplePromptStatistics({ prompts: 5, context: 64, seed: 1 });
 * assert.equal(deepLsaPredict(stats, { alpha: 0.3, beta: -0.1, depth: 3 }).length, 5);
 * ```
 */
export function deepLsaPredict(stats: PromptStatistics, params: DeepLsaParameters): Float64Array {
  requireStatistics("stats", stats);
  validateLayerParameters(params);
  const d = stats.task.dim;
  const out = new Float64Array(stats.prompts);
  const sigma = new Float64Array(d * d);
  const m = new Float64Array(d * d);
  const tmp = new Float64Array(d * d);
  const xq = new Float64Array(d);
  const g = new Float64Array(d);
  const v = new Float64Array(d);
  for (let n = 0; n < stats.prompts; n++) {
    sigma.set(stats.sigmaHat.subarray(n * d * d, (n + 1) * d * d));
    xq.set(stats.query.subarray(n * d, (n + 1) * d));
    g.set(stats.muHat.subarray(n * d, (n + 1) * d));
    let f = 0;
    for (let t = 0; t < params.depth; t++) {
      let dot = 0;
      for (let a = 0; a < d; a++) dot += xq[a] * g[a];
      f += params.alpha * dot;
      stepInto(sigma, 0, d, params.alpha, g, v); // (I + alpha Sigma_t) g
      stepInto(sigma, 0, d, params.beta, v, g); // M_t (...)
      stepInto(sigma, 0, d, params.beta, xq, v);
      xq.set(v);
      for (let a = 0; a < d * d; a++) m[a] = params.beta * sigma[a];
      for (let a = 0; a < d; a++) m[a * d + a] += 1;
      for (let a = 0; a < d; a++) {
        for (let b = 0; b < d; b++) {
          let sum = 0;
          for (let c = 0; c < d; c++) sum += m[a * d + c] * sigma[c * d + b];
          tmp[a * d + b] = sum;
        }
      }
      for (let a = 0; a < d; a++) {
        for (let b = 0; b < d; b++) {
          let sum = 0;
          for (let c = 0; c < d; c++) sum += tmp[a * d + c] * m[c * d + b];
          sigma[a * d + b] = sum;
        }
      }
    }
    out[n] = f;
  }
  return out;
}
