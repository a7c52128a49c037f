/**
 * The full single-layer LSA as a least-squares problem in theta = (p, vec K): the
 * prediction y_hat_n = p^T G_n K x_q,n with G_n = [[Sigma_hat, mu_hat], [mu_hat^T,
 * mean y^2]] is bilinear in (p, K), so its residuals, their exact Jacobian and the
 * residual curvature sum_n r_n d^2 r_n / dtheta^2 are all closed forms. They serve
 * gradient descent (`lsaLoss`) and the Gauss-Newton / Levenberg-Marquardt fits.
 *
 * @module
 */

import { requireLength } from "../validation/errors.ts";
import { type LsaParameters, validateLsaParameters } from "./models.ts";
import type { PromptStatistics } from "./model_types.ts";

/** Full-LSA loss and gradient in (p, K) from statistics: y_hat = p^T G K x_q. */
export function lsaLoss(
  stats: PromptStatistics,
  target: ArrayLike<number>,
  params: LsaParameters,
): { loss: number; p: Float64Array; k: Float64Array } {
  requireLength("target", target, stats.prompts);
  return lsaLossUnchecked(stats, target, validateLsaParameters(params, stats.task.dim));
}

/** {@linkcode lsaLoss} without validation (internal: validated callers only). */
export function lsaLossUnchecked(
  stats: PromptStatistics,
  target: ArrayLike<number>,
  params: LsaParameters,
): { loss: number; p: Float64Array; k: Float64Array } {
  // Residuals and Jacobian rows in blocks: loss = mean r^2, gradient = (2/N) J^T r.
  const d = stats.task.dim;
  const e = d + 1;
  const n = e + e * d;
  const N = stats.prompts;
  const block = Math.min(N, 64);
  const residuals = new Float64Array(block), jacobian = new Float64Array(block * n);
  const gradient = new Float64Array(n);
  let loss = 0;
  for (let start = 0; start < N; start += block) {
    const count = Math.min(block, N - start);
    lsaResidualRows(stats, target, params, start, count, residuals, jacobian);
    for (let i = 0; i < count; i++) {
      const r = residuals[i];
      loss += r * r;
      for (let a = 0; a < n; a++) gradient[a] += 2 * r * jacobian[i * n + a];
    }
  }
  for (let a = 0; a < n; a++) gradient[a] /= N;
  return { loss: loss / N, p: gradient.slice(0, e), k: gradient.slice(e) };
}

/** Full-LSA residuals and their Jacobian in theta = (p, vec K), as least squares needs them. */
export interface LsaResidualJacobian {
  /** r_n = p^T G_n K x_q,n - target_n, length N. */
  residuals: Float64Array;
  /**
   * dr_n / dtheta (N x (d + 1)(d + 1), row-major): (G_n K x_q,n)_r for p_r, then
   * (G_n p)_r x_q,n,c for K_rc.
   */
  jacobian: Float64Array;
}

/**
 * Full-LSA residuals r_n = p^T G_n K x_q,n - target_n and their exact Jacobian in
 * theta = (p, vec K), for a Gauss-Newton or Levenberg-Marquardt fit; (2/N) J^T r is
 * {@linkcode lsaLoss}'s gradient. `out` (optional) is reused instead of allocating.
 *
 * @example The Jacobian gives lsaLoss's gradient
 * ```ts
 * import assert from "node:assert/strict";
 * import { lsaLoss, lsaResidualJacobian } from "./lsa_loss.ts";
 * import { lsaFromGamma } from "./models.ts";
 * import { samplePromptStatistics } from "./prompt_statistics.ts";
 * const stats = samplePromptStatistics({ prompts: 50, context: 100, seed: 0 });
 * const params = lsaFromGamma(0.2, stats.task.dim);
 * const { residuals, jacobian } = lsaResidualJacobian(stats, stats.queryLabel, params);
 * const n = params.p.length + params.k.length;
 * let dp0 = 0;
 * for (let i = 0; i < stats.prompts; i++) {
 *   dp0 += (2 / stats.prompts) * residuals[i] * jacobian[i * n];
 * }
 * // Equal up to rounding: the same 50 O(1) products, summed in another order.
 * assert.ok(Math.abs(dp0 - lsaLoss(stats, stats.queryLabel, params).p[0]) < 1e-12);
 * ```
 */
export function lsaResidualJacobian(
  stats: PromptStatistics,
  target: ArrayLike<number>,
  params: LsaParameters,
  out?: LsaResidualJacobian,
): LsaResidualJacobian {
  requireLength("target", target, stats.prompts);
  return lsaResidualJacobianUnchecked(
    stats,
    target,
    validateLsaParameters(params, stats.task.dim),
    out,
  );
}

/** {@linkcode lsaResidualJacobian} without validation (internal: validated callers only). */
export function lsaResidualJacobianUnchecked(
  stats: PromptStatistics,
  target: ArrayLike<number>,
  params: LsaParameters,
  out?: LsaResidualJacobian,
): LsaResidualJacobian {
  const d = stats.task.dim;
  const e = d + 1;
  const n = e + e * d;
  const N = stats.prompts;
  const residuals = out?.residuals ?? new Float64Array(N);
  const jacobian = out?.jacobian ?? new Float64Array(N * n);
  requireLength("out.residuals", residuals, N);
  requireLength("out.jacobian", jacobian, N * n);
  lsaResidualRows(stats, target, params, 0, N, residuals, jacobian);
  return { residuals, jacobian };
}

/**
 * Residuals and Jacobian rows of prompts [start, start + count) into `residuals` and
 * `jacobian` from index 0 (internal, unvalidated: a block for Levenberg-Marquardt). With
 * `jacobian` null only the residuals are written (the same arithmetic: a trial loss).
 */
export function lsaResidualRows(
  stats: PromptStatistics,
  target: ArrayLike<number>,
  params: LsaParameters,
  start: number,
  count: number,
  residuals: Float64Array,
  jacobian: Float64Array | null,
): void {
  const d = stats.task.dim;
  const e = d + 1;
  const n = e + e * d;
  const kx = new Float64Array(e);
  const { sigmaHat, muHat, meanY2, query } = stats;
  const pv = params.p, kv = params.k;
  for (let i = 0; i < count; i++) {
    const m = start + i;
    const qo = m * d, so = m * d * d, o = i * n;
    for (let r = 0; r < e; r++) {
      let sum = 0;
      for (let c = 0; c < d; c++) sum += kv[r * d + c] * query[qo + c];
      kx[r] = sum;
    }
    // Row r of G = [[Sigma_hat, mu_hat], [mu_hat^T, mean y^2]] against K x_q and p, read in
    // place (the one implementation of the prediction: lsaLossUnchecked and the curvature use it).
    let pred = 0;
    for (let r = 0; r < e; r++) {
      let a = 0, b = 0;
      if (r < d) {
        const row = so + r * d;
        for (let c = 0; c < d; c++) {
          const g = sigmaHat[row + c];
          a += g * kx[c];
          b += g * pv[c];
        }
        const g = muHat[qo + r];
        a += g * kx[d];
        b += g * pv[d];
      } else {
        for (let c = 0; c < d; c++) {
          const g = muHat[qo + c];
          a += g * kx[c];
          b += g * pv[c];
        }
        const g = meanY2[m];
        a += g * kx[d];
        b += g * pv[d];
      }
      if (jacobian !== null) {
        jacobian[o + r] = a;
        for (let c = 0; c < d; c++) jacobian[o + e + r * d + c] = b * query[qo + c];
      }
      pred += pv[r] * a;
    }
    residuals[i] = pred - target[m];
  }
}

/**
 * Adds sum_n r_n d^2 r_n / dtheta^2 of the full-LSA residuals to the lower triangle of `h`
 * (n x n, n = (d + 1)^2, theta = (p, vec K)), internal and unvalidated. r_n is bilinear in
 * (p, K), so the only second derivatives are d^2 r_n / dp_r dK_sc = (G_n)_rs x_q,n,c.
 * `residuals` (optional) are the r_n at `params` where the caller already has them
 * (Levenberg-Marquardt does); otherwise they are computed here.
 */
export function lsaResidualCurvature(
  stats: PromptStatistics,
  target: ArrayLike<number>,
  params: LsaParameters,
  h: Float64Array,
  residuals?: ArrayLike<number>,
): void {
  const d = stats.task.dim;
  const e = d + 1;
  const n = e + e * d;
  const { sigmaHat, muHat, meanY2, query } = stats;
  const one = new Float64Array(1);
  // The block is C[(s, c), a] = sum_n r_n x_n,c (G_n)_as: accumulate it as d symmetric e x e
  // matrices M_c = sum_n (r_n x_n,c) G_n (upper triangle, contiguous rows of Sigma_hat), then
  // add it to h once. About 3x faster than updating h per prompt (a strided e d e loop that
  // was the largest cost of C1's full-size fits).
  const ee = e * e;
  const moments = new Float64Array(d * ee);
  for (let m = 0; m < stats.prompts; m++) {
    let r: number;
    if (residuals) {
      r = residuals[m];
    } else {
      lsaResidualRows(stats, target, params, m, 1, one, null);
      r = one[0];
    }
    if (r === 0) continue;
    const qo = m * d, so = m * d * d;
    const y2 = meanY2[m];
    for (let c = 0; c < d; c++) {
      const v = r * query[qo + c];
      const base = c * ee;
      for (let a = 0; a < d; a++) {
        const row = so + a * d, out = base + a * e;
        for (let b = a; b < d; b++) moments[out + b] += v * sigmaHat[row + b];
        moments[out + d] += v * muHat[qo + a];
      }
      moments[base + d * e + d] += v * y2;
    }
  }
  for (let sIndex = 0; sIndex < e; sIndex++) {
    for (let c = 0; c < d; c++) {
      const base = (e + sIndex * d + c) * n, block = c * ee;
      for (let a = 0; a < e; a++) {
        // (G)_as from the upper triangle (G symmetric).
        h[base + a] += a <= sIndex
          ? moments[block + a * e + sIndex]
          : moments[block + sIndex * e + a];
      }
    }
  }
}

/** The full-LSA loss alone (1/N) sum_n (p^T G_n K x_q,n - target_n)^2 (internal, unvalidated). */
export function lsaLossValue(
  stats: PromptStatistics,
  target: ArrayLike<number>,
  params: LsaParameters,
): number {
  // The residuals alone, summed in lsaLossUnchecked's order (so the two losses are equal).
  const N = stats.prompts;
  const residuals = new Float64Array(Math.min(N, 64));
  let loss = 0;
  for (let start = 0; start < N; start += residuals.length) {
    const count = Math.min(residuals.length, N - start);
    lsaResidualRows(stats, target, params, start, count, residuals, null);
    for (let i = 0; i < count; i++) loss += residuals[i] * residuals[i];
  }
  return loss / N;
}
