/**
 * The two-parameter LCA fitted on an empirical loss by Gauss-Newton, with sandwich
 * standard errors and a rounding bound on its loss (the numerics behind C6's empirical part).
 *
 * @module
 */

import { lcaSpectralPredictions } from "../model/losses.ts";
import type { SpectralStatistics } from "../model/prompt_statistics.ts";

/** A two-parameter LCA fitted on an empirical loss, with sandwich standard errors. */
export interface EmpiricalTwoParameter extends TwoParameterSandwich {
  /** The fitted alpha. */
  alpha: number;
  /** The fitted beta. */
  beta: number;
}

/** Sandwich standard errors of the two-parameter empirical fit at one point. */
export interface TwoParameterSandwich {
  /** Standard error of alpha. */
  seAlpha: number;
  /** Standard error of beta. */
  seBeta: number;
  /** Standard error of alpha + beta (the well-conditioned direction across the valley). */
  seSum: number;
  /** Empirical loss (1/N) sum_n (prediction_n - target_n)^2 at the point. */
  loss: number;
  /**
   * A bound on the floating-point error of `loss` (forward error analysis: each prediction
   * sum_j w_j alpha sum_{k<T} u_j^k is off by at most gamma_{2T+dim+2} sum_j |w_j alpha| sum_k
   * |u_j|^k, the residual by that plus one rounding of the target, the mean of squares by
   * gamma_N of itself).
   */
  lossError: number;
}

/**
 * True when a fit's computed loss is at most the computed loss at another point plus both
 * losses' rounding bounds: then the fit's exact loss may be the smaller one (the comparison
 * is exact and one-sided: it fails only when the fit's exact loss is certainly larger).
 *
 * @example A difference inside the rounding bounds is not a failure
 * ```ts
 * import assert from "node:assert/strict";
 * import { lossReached } from "./empirical_two_parameter.ts";
 * const best = { loss: 1, lossError: 1e-15 };
 * assert.equal(lossReached({ loss: 1 + 1.5e-15, lossError: 1e-15 }, best), true);
 * assert.equal(lossReached({ loss: 1 + 3e-15, lossError: 1e-15 }, best), false);
 * ```
 */
export function lossReached(
  fit: { loss: number; lossError: number },
  other: { loss: number; lossError: number },
): boolean {
  return fit.loss <= other.loss + (fit.lossError + other.lossError);
}

/**
 * Sandwich standard errors H^{-1} V H^{-1} / N of the two-parameter empirical least-squares
 * fit, evaluated at `point` (H = 2 J^T J / N, V = covariance of the per-prompt gradients
 * 2 r_n (d_alpha, d_beta)). At the population optimum this is the estimator's asymptotic
 * covariance under the claim; at the fit it is the usual plug-in.
 */
export function twoParameterSandwich(
  spectral: SpectralStatistics,
  target: ArrayLike<number>,
  depth: number,
  point: { alpha: number; beta: number },
): TwoParameterSandwich {
  const n = spectral.prompts;
  const p = lcaSpectralPredictions(spectral, { ...point, depth });
  const { dim } = spectral;
  const eps = Number.EPSILON / 2;
  const gamma = (m: number) => m * eps / (1 - m * eps);
  const gammaPrediction = gamma(2 * depth + dim + 2);
  let aa = 0, ab = 0, bb = 0, loss = 0, residualError = 0;
  const ga = new Float64Array(n), gb = new Float64Array(n);
  let ma = 0, mb = 0;
  for (let i = 0; i < n; i++) {
    const r = p.prediction[i] - target[i];
    const da = p.dAlpha[i], db = p.dBeta[i];
    loss += r * r / n;
    let absolute = 0;
    for (let j = 0; j < dim; j++) {
      const u = Math.abs(1 + point.beta * spectral.lambda[i * dim + j]);
      let g = 0, power = 1;
      for (let k = 0; k < depth; k++, power *= u) g += power;
      absolute += Math.abs(spectral.weight[i * dim + j] * point.alpha) * g;
    }
    const e = gammaPrediction * absolute + eps * Math.abs(r);
    residualError += (2 * Math.abs(r) * e + e * e) / n;
    aa += 2 * da * da / n;
    ab += 2 * da * db / n;
    bb += 2 * db * db / n;
    ga[i] = 2 * r * da;
    gb[i] = 2 * r * db;
    ma += ga[i] / n;
    mb += gb[i] / n;
  }
  let vaa = 0, vab = 0, vbb = 0;
  for (let i = 0; i < n; i++) {
    vaa += (ga[i] - ma) ** 2 / (n - 1);
    vab += (ga[i] - ma) * (gb[i] - mb) / (n - 1);
    vbb += (gb[i] - mb) ** 2 / (n - 1);
  }
  // H^{-1} = [[bb, -ab], [-ab, aa]] / det.
  const det = aa * bb - ab * ab;
  const ia = [bb / det, -ab / det], ib = [-ab / det, aa / det];
  const quad = (u: number[]) => u[0] * u[0] * vaa + 2 * u[0] * u[1] * vab + u[1] * u[1] * vbb;
  return {
    seAlpha: Math.sqrt(quad(ia) / n),
    seBeta: Math.sqrt(quad(ib) / n),
    seSum: Math.sqrt(quad([ia[0] + ib[0], ia[1] + ib[1]]) / n),
    loss,
    lossError: residualError + gamma(n + 1) * (loss + residualError),
  };
}

/**
 * Fits the two-parameter LCA to `target` on spectral statistics by Gauss-Newton
 * with backtracking from `start` (at most `iterations` steps), and returns the fit with the
 * sandwich standard errors at the fit ({@linkcode twoParameterSandwich}).
 */
export function empiricalTwoParameter(
  spectral: SpectralStatistics,
  target: ArrayLike<number>,
  depth: number,
  start: { alpha: number; beta: number },
  iterations = 100,
): EmpiricalTwoParameter {
  const n = spectral.prompts;
  const evaluate = (alpha: number, beta: number) => {
    const p = lcaSpectralPredictions(spectral, { alpha, beta, depth });
    let loss = 0;
    for (let i = 0; i < n; i++) loss += (p.prediction[i] - target[i]) ** 2 / n;
    return { p, loss };
  };
  let alpha = start.alpha, beta = start.beta;
  let current = evaluate(alpha, beta);
  for (let it = 0; it < iterations; it++) {
    let aa = 0, ab = 0, bb = 0, ga = 0, gb = 0;
    for (let i = 0; i < n; i++) {
      const r = current.p.prediction[i] - target[i];
      const da = current.p.dAlpha[i], db = current.p.dBeta[i];
      aa += da * da;
      ab += da * db;
      bb += db * db;
      ga += r * da;
      gb += r * db;
    }
    const det = aa * bb - ab * ab;
    if (!(det > 0)) break;
    const stepA = (bb * ga - ab * gb) / det, stepB = (aa * gb - ab * ga) / det;
    let t = 1, improved = false;
    for (let k = 0; k < 40; k++, t /= 2) {
      const next = evaluate(alpha - t * stepA, beta - t * stepB);
      if (next.loss < current.loss) {
        alpha -= t * stepA;
        beta -= t * stepB;
        current = next;
        improved = true;
        break;
      }
    }
    if (!improved) break;
  }
  return { alpha, beta, ...twoParameterSandwich(spectral, target, depth, { alpha, beta }) };
}
