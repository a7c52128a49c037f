/**
 * A derived float32 error bound of the WebGPU forward pass on given statistics
 * (`scheduleStatisticsForward`: q_0 = 0, q_{t+1} = q_t + alpha_t x + beta_t Sigma q_t,
 * y_hat = q_T^T m, with x the statistics' `query` and m their `muHat`), by an error analysis of
 * the kernel's own operations, and the term such a bound adds to the margin of an excess.
 *
 * The rounding model: every float32 operation (add, multiply; an `fma` counts as a multiply then
 * an add, which covers a fused one too) returns (a op b)(1 + e) + h with |e| <= u and
 * |h| <= eta = 2^-126 (a flushed subnormal); every input (statistics, steps) is rounded to float32
 * the same way. u = 2^-24 + 2^-53 (float32, plus float64 for the host's reference recursion).
 * gamma_k = k u / (1 - k u) bounds k roundings (Higham, Accuracy and Stability, Lemma 3.1).
 *
 * With e_t = q_hat_t - q_t, each layer gives e_{t+1} = M_t e_t + (beta_hat Sigma_hat - beta Sigma)
 * q_hat_t + (alpha_hat x_hat - alpha x) + r_t, M_t = I + beta_t Sigma, r_t the layer's rounding
 * (2d + 3 roundings on the longest path). So E_{t+1} = rho_t E_t + |D|_F Q_t + |a|_2 + |r|_2
 * bounds |e_{t+1}|_2, where Q_t = |q_t|_2 + E_t >= |q_hat_t|_2, D the entrywise bound of the
 * rounded step matrix's error, and rho_t >= |M_t|_2: max |1 + beta_t lambda| over the eigenvalues
 * of the symmetric part S of Sigma widened by 8 d^2 2^-53 |S|_F (backward error of the float64
 * eigensolver, Weyl), plus |beta_t| |antisymmetric part|_F. The contraction of M_t is thus kept
 * (an entrywise running bound on |inputs| would grow like (1 + |beta| |Sigma|)^T). The read-out
 * adds E_T |m_hat| + |q_T| |m_hat - m| + gamma_{2d} Q_T |m_hat| + 2 d eta (1 + gamma_{2d}).
 *
 * @module
 */

import { EigenWorkspace, symmetricEigenInto } from "../numeric/linalg.ts";
import type { PromptStatistics } from "../model/prompt_statistics.ts";

/** The unit roundoff of the bound: float32's 2^-24 plus float64's 2^-53 (the host reference). */
export const FLOAT32_UNIT_ROUNDOFF = 2 ** -24 + 2 ** -53;
/** The absolute error of a flushed float32 subnormal (the smallest normal, 2^-126). */
export const FLOAT32_FLUSH = 2 ** -126;

const U = FLOAT32_UNIT_ROUNDOFF;
const ETA = FLOAT32_FLUSH;
const gammaOf = (k: number, u: number): number => k * u / (1 - k * u);
/** v (1 + u) + 2^-126: a rounded float32 result (or input) of magnitude at most v. */
const inflate = (v: number): number => v * (1 + U) + ETA;
/**
 * |D|_F for D_ab = |beta_hat sigma_hat_ab - beta sigma_ab| <= |beta||sigma_ab| (2u + u^2) +
 * eta (1 + u) (|beta| + |sigma_ab|) + eta^2 (no cancellation), by the triangle inequality.
 */
const stepMatrixError = (beta: number, sigmaF: number, d: number): number =>
  beta * sigmaF * (2 * U + U * U) + ETA * (1 + U) * (beta * d + sigmaF) + ETA * ETA * d;

/** Per prompt: the norms and spectral data the bound needs. */
interface PromptScale {
  sigmaF: number;
  antisymmetricF: number;
  lambdaMin: number;
  lambdaMax: number;
  allowance: number;
}

function promptScale(
  sigma: ArrayLike<number>,
  offset: number,
  d: number,
  workspace: EigenWorkspace,
  symmetric: Float64Array,
): PromptScale {
  let sigmaF = 0, antisymmetricF = 0, symmetricF = 0;
  for (let a = 0; a < d; a++) {
    for (let b = 0; b < d; b++) {
      const ab = sigma[offset + a * d + b], ba = sigma[offset + b * d + a];
      symmetric[a * d + b] = (ab + ba) / 2;
      sigmaF += ab * ab;
      antisymmetricF += ((ab - ba) / 2) ** 2;
      symmetricF += ((ab + ba) / 2) ** 2;
    }
  }
  symmetricEigenInto(symmetric, 0, workspace);
  return {
    sigmaF: Math.sqrt(sigmaF),
    antisymmetricF: Math.sqrt(antisymmetricF),
    lambdaMin: workspace.values[0],
    lambdaMax: workspace.values[d - 1],
    allowance: 8 * d * d * 2 ** -53 * Math.sqrt(symmetricF),
  };
}

/**
 * Per prompt, a bound on |y_hat_n - y_n| where y_hat_n is the WebGPU kernel's float32 prediction
 * of the schedule model with steps (alphas[t], betas[t]) on `stats` and y_n the exact value.
 *
 * @example The bound is positive and small next to the prediction scale
 * ```ts
 * import assert from "node:assert/strict";
 * import { samplePromptStatistics } from "../model/prompt_statistics.ts";
 * import { scheduleForwardBound } from "./float32_forward_bound.ts";
 * const stats = samplePromptStatistics({ prompts: 4, context: 64, seed: 1 });
 * const bound = scheduleForwardBound(stats, [0.3, 0.3], [-0.3, -0.3]);
 * assert.equal(bound.length, 4);
 * assert.ok(bound.every((b) => b > 0 && b < 1e-4));
 * ```
 */
export function scheduleForwardBound(
  stats: PromptStatistics,
  alphas: readonly number[],
  betas: readonly number[],
): Float64Array {
  const d = stats.task.dim;
  const out = new Float64Array(stats.prompts);
  const workspace = new EigenWorkspace(d);
  const symmetric = new Float64Array(d * d);
  const layer = gammaOf(2 * d + 3, U), readout = gammaOf(2 * d, U);
  let q = new Float64Array(d), next = new Float64Array(d);
  for (let n = 0; n < stats.prompts; n++) {
    const so = n * d * d, xo = n * d;
    const scale = promptScale(stats.sigmaHat, so, d, workspace, symmetric);
    let xNorm = 0, mNorm = 0;
    for (let a = 0; a < d; a++) {
      xNorm += stats.query[xo + a] ** 2;
      mNorm += stats.muHat[xo + a] ** 2;
    }
    xNorm = Math.sqrt(xNorm);
    mNorm = Math.sqrt(mNorm);
    q.fill(0);
    let error = 0;
    for (let t = 0; t < alphas.length; t++) {
      const alpha = alphas[t], beta = betas[t], ab = Math.abs(beta);
      const rho = Math.max(
        Math.abs(1 + beta * scale.lambdaMin),
        Math.abs(1 + beta * scale.lambdaMax),
      ) + ab * (scale.allowance + scale.antisymmetricF);
      let qNorm = 0;
      for (let a = 0; a < d; a++) {
        let sum = 0;
        for (let b = 0; b < d; b++) sum += stats.sigmaHat[so + a * d + b] * q[b];
        qNorm += q[a] * q[a];
        next[a] = q[a] + alpha * stats.query[xo + a] + beta * sum;
      }
      const qHat = Math.sqrt(qNorm) + error;
      const alphaHat = Math.abs(alpha) * (1 + U) + ETA, betaHat = ab * (1 + U) + ETA;
      const xHat = xNorm * (1 + U) + Math.sqrt(d) * ETA;
      const sigmaHat = scale.sigmaF * (1 + U) + d * ETA;
      const stepError = Math.abs(alpha) * xNorm * (2 * U + U * U) +
        ETA * (1 + U) * (Math.abs(alpha) * Math.sqrt(d) + xNorm) + ETA * ETA * Math.sqrt(d);
      const rounding = layer * (qHat + alphaHat * xHat + betaHat * sigmaHat * qHat) +
        Math.sqrt(d) * (2 * d * betaHat + 3) * ETA * (1 + layer);
      error = rho * error + stepMatrixError(ab, scale.sigmaF, d) * qHat + stepError + rounding;
      [q, next] = [next, q];
    }
    let qNorm = 0;
    for (let a = 0; a < d; a++) qNorm += q[a] * q[a];
    qNorm = Math.sqrt(qNorm);
    const mHat = mNorm * (1 + U) + Math.sqrt(d) * ETA;
    out[n] = error * mHat + qNorm * (U * mNorm + Math.sqrt(d) * ETA) +
      readout * (qNorm + error) * mHat + 2 * d * ETA * (1 + readout);
    if (Number.isNaN(out[n])) out[n] = Infinity;
  }
  return out;
}

/**
 * Per prompt, a bound on |y_hat_n - y_n| for the WebGPU kernel's float32 single-layer LSA on
 * `stats` (`lsaStatisticsForward`: p^T G K x_q, G = [[Sigma_hat, mu_hat], [mu_hat^T, meanY2]]).
 * No recursion, so the twins of the module's rounding model suffice: A on |inputs| with exact
 * operations, A_bar on |inputs| (1 + u) + 2^-126 with every operation's result so inflated, in
 * the kernel's order; |y_hat - y| <= A_bar - A, plus 2 gamma64_k A_bar for the twins' own float64
 * evaluation (k = 3 (6 d + 5) + 2 operations on the longest path).
 *
 * @example Reduced LSA x_q^T (0.3 I) mu_hat
 * ```ts
 * import assert from "node:assert/strict";
 * import { samplePromptStatistics } from "../model/prompt_statistics.ts";
 * import { lsaFromGamma } from "../model/models.ts";
 * import { lsaForwardBound } from "./float32_forward_bound.ts";
 * const stats = samplePromptStatistics({ prompts: 4, context: 64, seed: 1 });
 * const bound = lsaForwardBound(stats, lsaFromGamma(0.3, stats.task.dim));
 * assert.ok(bound.every((b) => b > 0 && b < 1e-5));
 * ```
 */
export function lsaForwardBound(
  stats: PromptStatistics,
  params: { p: ArrayLike<number>; k: ArrayLike<number> },
): Float64Array {
  const d = stats.task.dim;
  const k64 = gammaOf(3 * (6 * d + 5) + 2, 2 ** -53);
  const out = new Float64Array(stats.prompts);
  const kx = new Float64Array(d + 1), kxBar = new Float64Array(d + 1);
  for (let n = 0; n < stats.prompts; n++) {
    const row = n * d;
    for (let r = 0; r <= d; r++) {
      let sum = 0, sumBar = 0;
      for (let c = 0; c < d; c++) {
        const k = Math.abs(params.k[r * d + c]), x = Math.abs(stats.query[row + c]);
        sum += k * x;
        sumBar = inflate(sumBar + inflate(inflate(k) * inflate(x)));
      }
      kx[r] = sum;
      kxBar[r] = sumBar;
    }
    let pred = 0, predBar = 0;
    for (let r = 0; r < d; r++) {
      const mu = Math.abs(stats.muHat[row + r]), p = Math.abs(params.p[r]);
      let g = mu * kx[d], gBar = inflate(inflate(mu) * kxBar[d]);
      for (let c = 0; c < d; c++) {
        const sigma = Math.abs(stats.sigmaHat[(row + r) * d + c]);
        g += sigma * kx[c];
        gBar = inflate(gBar + inflate(inflate(sigma) * kxBar[c]));
      }
      pred += p * g;
      predBar = inflate(predBar + inflate(inflate(p) * gBar));
    }
    const y2 = Math.abs(stats.meanY2[n]);
    let last = y2 * kx[d], lastBar = inflate(inflate(y2) * kxBar[d]);
    for (let c = 0; c < d; c++) {
      const mu = Math.abs(stats.muHat[row + c]);
      last += mu * kx[c];
      lastBar = inflate(lastBar + inflate(inflate(mu) * kxBar[c]));
    }
    const pd = Math.abs(params.p[d]);
    const exact = pred + pd * last;
    const bar = inflate(predBar + inflate(inflate(pd) * lastBar));
    out[n] = bar - exact + 2 * k64 * bar;
    if (Number.isNaN(out[n])) out[n] = Infinity;
  }
  return out;
}

/**
 * The term a per-prompt prediction error bound b_n adds to the margin of a paired excess
 * mean_n [(y_hat_n - l_n)^2 - (r_n - l_n)^2] against labels l_n: since
 * |(y_hat - l)^2 - (y - l)^2| = |y_hat - y| |y_hat + y - 2 l| <= b (2 |y_hat - l| + b),
 * the mean moves by at most mean_n b_n (2 |y_hat_n - l_n| + b_n). Zero without a bound.
 *
 * @example A bound of 1e-6 on predictions 1 away from their labels
 * ```ts
 * import assert from "node:assert/strict";
 * import { excessRoundingTerm } from "./float32_forward_bound.ts";
 * const term = excessRoundingTerm([1, 1], [0, 2], [1e-6, 1e-6]);
 * assert.ok(Math.abs(term - (2e-6 + 1e-12)) < 1e-20);
 * assert.equal(excessRoundingTerm([1], [0], null), 0);
 * ```
 */
export function excessRoundingTerm(
  predictions: ArrayLike<number>,
  labels: ArrayLike<number>,
  bound: ArrayLike<number> | null,
): number {
  if (bound === null) return 0;
  let sum = 0;
  for (let n = 0; n < predictions.length; n++) {
    sum += bound[n] * (2 * Math.abs(predictions[n] - labels[n]) + bound[n]);
  }
  return sum / predictions.length * (1 + gammaOf(predictions.length + 4, 2 ** -53));
}
