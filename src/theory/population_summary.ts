/**
 * Every population quantity of a law, noise level and depth in one summary: what the
 * `population` command prints.
 *
 * @module
 */

import { requireNonNegative, requirePositiveInteger } from "../validation/errors.ts";
import type { SpikeLaw } from "../model/law.ts";
import {
  alphaStar,
  bayesRisk,
  geometricBound,
  type QuadratureOptions,
  rhoStar,
} from "./population.ts";
import { gammaStar, lsaGap } from "./gamma_star.ts";
import { lcaExcess } from "./lca_excess.ts";
import { optimalDepthStep } from "./optimal_depth_step.ts";
import { twoParameterOptimum } from "./two_parameter_optimum.ts";

/** The summary printed by the `population` command (these exact JSON keys). */
export interface PopulationSummary {
  /** alpha* = 2 / (2 + m_lo + m_hi), the minimax step. */
  alphaStar: number;
  /** rho* = (m_hi - m_lo) / (2 + m_lo + m_hi), the contraction rate at alpha*. */
  rhoStar: number;
  /** R_Bayes = sigma^2 + E[1 / (1 + s)]. */
  bayesRisk: number;
  /** gamma* = E[s] / E[s (1 + s)], the optimal isotropic reduced-LSA weight. */
  gammaStar: number;
  /** R_LSA* - R_Bayes = E[s/(1+s)] - E[s]^2 / E[s(1+s)] (0 for a point mass). */
  lsaGap: number;
  /** alpha_T, the minimiser of the one-parameter E_T(alpha, -alpha) at depth T. */
  alphaT: number;
  /** E_T(alpha_T, -alpha_T). */
  excessAtAlphaT: number;
  /** E_T(alpha*, -alpha*). */
  excessAtAlphaStar: number;
  /** The two-parameter optimum (alpha, beta) of E_T. */
  twoParam: { alpha: number; beta: number };
  /** rho*^{2T} E[s/(1+s)], the bound on excessAtAlphaStar. */
  geometricBound: number;
  /** E_T at the two-parameter optimum. */
  twoParamExcess: number;
}

/**
 * Every population quantity for a law, noise level and depth.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { populationSummary } from "./population_summary.ts";
 * const p = populationSummary({ kind: "uniform", low: 0.5, high: 4 }, 0.1, 10);
 * assert.ok(Math.abs(p.alphaStar - 2 / 6.5) < 1e-15); // 0.3076923...
 * assert.ok(p.excessAtAlphaT <= p.excessAtAlphaStar); // alpha_T minimises E_T on beta = -alpha
 * ```
 */
export function populationSummary(
  law: SpikeLaw,
  sigma: number,
  depth: number,
  options: QuadratureOptions = {},
): PopulationSummary {
  requireNonNegative("sigma", sigma);
  requirePositiveInteger("depth", depth);
  const aStar = alphaStar(law);
  const alphaT = optimalDepthStep(law, depth, options);
  const two = twoParameterOptimum(law, depth, options);
  return {
    alphaStar: aStar,
    rhoStar: rhoStar(law),
    bayesRisk: bayesRisk(law, sigma, options),
    gammaStar: gammaStar(law, options),
    lsaGap: lsaGap(law, options),
    alphaT,
    excessAtAlphaT: lcaExcess(law, { alpha: alphaT, beta: -alphaT, depth }, options),
    excessAtAlphaStar: lcaExcess(law, { alpha: aStar, beta: -aStar, depth }, options),
    twoParam: { alpha: two.alpha, beta: two.beta },
    geometricBound: geometricBound(law, depth, options),
    twoParamExcess: two.excess,
  };
}
