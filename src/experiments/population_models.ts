/**
 * The population-optimal models the figures draw beside the trained ones
 * (L -> infinity, by quadrature): one-parameter LCA at alpha_T, two-parameter LCA
 * at the depth-T optimum, and the isotropic LSA Gamma = gamma* I.
 *
 * @module
 */

import type { SpikeLaw } from "../model/law.ts";
import type { LcaParameters } from "../model/models.ts";
import { alphaStar, bayesRisk } from "../theory/population.ts";
import { gammaStar, lsaGap } from "../theory/gamma_star.ts";
import { lcaExcess } from "../theory/lca_excess.ts";
import { optimalDepthStep } from "../theory/optimal_depth_step.ts";
import { twoParameterOptimum } from "../theory/two_parameter_optimum.ts";

/** Population-optimal LCA parameters at one depth, with their excess risks E_T. */
export interface PopulationLca {
  depth: number;
  /** (alpha_T, -alpha_T), the one-parameter minimiser of E_T. */
  oneParameter: LcaParameters;
  /** E_T(alpha_T, -alpha_T). */
  oneParameterExcess: number;
  /** argmin over (alpha, beta) of E_T. */
  twoParameter: LcaParameters;
  /** E_T at the two-parameter optimum. */
  twoParameterExcess: number;
}

/** The population-optimal LCA models at depth T. */
export function populationLca(law: SpikeLaw, depth: number): PopulationLca {
  const alphaT = optimalDepthStep(law, depth);
  const oneParameter = { alpha: alphaT, beta: -alphaT, depth };
  const two = twoParameterOptimum(law, depth);
  return {
    depth,
    oneParameter,
    oneParameterExcess: lcaExcess(law, oneParameter),
    twoParameter: { alpha: two.alpha, beta: two.beta, depth },
    twoParameterExcess: two.excess,
  };
}

/** Population constants of a law (L -> infinity). */
export interface PopulationConstants {
  alphaStar: number;
  gammaStar: number;
  lsaGap: number;
  bayesRisk: number;
}

/** alpha*, gamma*, the LSA gap and the Bayes risk of a law and noise level. */
export function populationConstants(law: SpikeLaw, sigma: number): PopulationConstants {
  return {
    alphaStar: alphaStar(law),
    gammaStar: gammaStar(law),
    lsaGap: lsaGap(law),
    bayesRisk: bayesRisk(law, sigma),
  };
}

/** Gamma = gamma I as a row-major d x d matrix. */
export function isotropicGamma(gamma: number, dim: number): Float64Array {
  const out = new Float64Array(dim * dim);
  for (let j = 0; j < dim; j++) out[j * dim + j] = gamma;
  return out;
}
