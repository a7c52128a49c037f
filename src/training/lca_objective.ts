/**
 * The empirical LCA loss l_{N,L_tr} of the one- (beta = -alpha) and two-parameter models as a
 * gradient-descent objective on spectral statistics, the best alpha for a fixed beta, and the
 * initial parameters of LCA training.
 *
 * @module
 */

import { lawSupport } from "../model/law.ts";
import { lcaSpectralLossUnchecked } from "../model/losses.ts";
import type { SpectralStatistics } from "../model/prompt_statistics.ts";
import { defaultBetaInit } from "../model/reconstructed.ts";
import type { ResolvedTrain } from "./train_options.ts";

/** The LCA empirical loss of one- or two-parameter models as a gradient-descent objective. */
export function lcaObjective(
  spectral: SpectralStatistics,
  target: ArrayLike<number>,
  depth: number,
  oneParameter: boolean,
): (theta: Float64Array) => { loss: number; gradient: Float64Array } {
  return (theta) => {
    const alpha = theta[0];
    const beta = oneParameter ? -theta[0] : theta[1];
    const r = lcaSpectralLossUnchecked(spectral, target, { alpha, beta, depth });
    return {
      loss: r.loss,
      gradient: oneParameter
        ? new Float64Array([r.alpha - r.beta])
        : new Float64Array([r.alpha, r.beta]),
    };
  };
}

/**
 * alpha*(beta) on the empirical loss: the prediction is alpha h_n(beta), so the
 * minimising alpha is sum h t / sum h^2 (the two-parameter initialisation rule).
 */
export function empiricalBestAlpha(
  spectral: SpectralStatistics,
  target: ArrayLike<number>,
  beta: number,
  depth: number,
): number {
  const { prompts, dim } = spectral;
  let num = 0, den = 0;
  for (let n = 0; n < prompts; n++) {
    let h = 0;
    for (let j = 0; j < dim; j++) {
      const u = 1 + beta * spectral.lambda[n * dim + j];
      let g = 0, power = 1;
      for (let k = 0; k < depth; k++) {
        g += power;
        power *= u;
      }
      h += spectral.weight[n * dim + j] * g;
    }
    num += h * target[n];
    den += h * h;
  }
  return den > 0 ? num / den : 0;
}

/**
 * The initial (alpha) or (alpha, beta) of LCA training: lca1 starts at alpha = 0,
 * lca2 at beta_0 = -1/(1 + m_hi) and alpha_0 = alpha*(beta_0) on the empirical loss
 * (reconstructed rule, see `reconstructed.ts`), unless given.
 */
export function lcaInitial(
  r: ResolvedTrain,
  spectral: SpectralStatistics,
  targets: ArrayLike<number>,
): Float64Array {
  if (r.model === "lca1") return new Float64Array([r.options.alphaInit ?? 0]);
  const beta0 = r.options.betaInit ?? defaultBetaInit(lawSupport(r.task.law).high);
  const alpha0 = r.options.alphaInit ?? empiricalBestAlpha(spectral, targets, beta0, r.depth);
  return new Float64Array([alpha0, beta0]);
}
