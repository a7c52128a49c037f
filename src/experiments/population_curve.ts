/**
 * The population excess risk against depth (quadrature, L -> infinity): E_T at
 * alpha*, at alpha_T and at the two-parameter optimum, with the bound
 * rho*^{2T} E[s/(1+s)] (claims C3/C4).
 *
 * @module
 */

import type { SpikeLaw } from "../model/law.ts";
import { alphaStar, geometricBound } from "../theory/population.ts";
import { lcaExcess } from "../theory/lca_excess.ts";
import { optimalDepthStep } from "../theory/optimal_depth_step.ts";
import { twoParameterOptimum } from "../theory/two_parameter_optimum.ts";

/** Population excess risks at one depth. */
export interface ExcessDepthRow {
  depth: number;
  /** E_T(alpha*, -alpha*). */
  atAlphaStar: number;
  /** E_T(alpha_T, -alpha_T). */
  atAlphaT: number;
  /** E_T at the two-parameter optimum. */
  twoParameter: number;
  /** rho*^{2T} E[s/(1+s)]. */
  bound: number;
}

/** The excess-risk curves for T = 1..maxDepth. */
export function excessAgainstDepth(law: SpikeLaw, maxDepth: number): ExcessDepthRow[] {
  const a = alphaStar(law);
  const rows: ExcessDepthRow[] = [];
  for (let depth = 1; depth <= maxDepth; depth++) {
    const alphaT = optimalDepthStep(law, depth);
    rows.push({
      depth,
      atAlphaStar: lcaExcess(law, { alpha: a, beta: -a, depth }),
      atAlphaT: lcaExcess(law, { alpha: alphaT, beta: -alphaT, depth }),
      twoParameter: twoParameterOptimum(law, depth).excess,
      bound: geometricBound(law, depth),
    });
  }
  return rows;
}
