/**
 * Objectives for the gradient flow (`gradient_flow.ts`): the one- and two-parameter
 * population losses E_T by quadrature (with their exact Hessians), and the empirical
 * Bayes-target loss of the two-parameter LCA on sufficient statistics.
 *
 * @module
 */

import type { SpikeLaw } from "../model/law.ts";
import {
  bayesTarget,
  type PromptStatistics,
  spectralStatistics,
} from "../model/prompt_statistics.ts";
import { lcaExcessTerms } from "../theory/lca_excess.ts";
import type { Objective } from "./optimizer.ts";
import { lcaObjective } from "./lca_objective.ts";

/** An objective with its exact Hessian. */
export interface FlowObjective {
  /** Loss and gradient. */
  objective: Objective;
  /** Hessian, row-major (undefined: central differences). */
  hessian?: (theta: Float64Array) => Float64Array;
}

/** E_T(alpha, -alpha) as a function of alpha (the one-parameter population loss). */
export function populationOneParameter(law: SpikeLaw, depth: number): FlowObjective {
  return {
    objective: (theta) => {
      const e = lcaExcessTerms(law, { alpha: theta[0], beta: -theta[0], depth });
      return { loss: e.value, gradient: new Float64Array([e.gradient[0] - e.gradient[1]]) };
    },
    hessian: (theta) => {
      const h = lcaExcessTerms(law, { alpha: theta[0], beta: -theta[0], depth }).hessian;
      return new Float64Array([h[0][0] - 2 * h[0][1] + h[1][1]]);
    },
  };
}

/** E_T(alpha, beta) (the two-parameter population loss). */
export function populationTwoParameter(law: SpikeLaw, depth: number): FlowObjective {
  return {
    objective: (theta) => {
      const e = lcaExcessTerms(law, { alpha: theta[0], beta: theta[1], depth });
      return { loss: e.value, gradient: new Float64Array(e.gradient) };
    },
    hessian: (theta) => {
      const h = lcaExcessTerms(law, { alpha: theta[0], beta: theta[1], depth }).hessian;
      return new Float64Array([h[0][0], h[0][1], h[1][0], h[1][1]]);
    },
  };
}

/** The empirical two-parameter loss against the Bayes target w^T x_q on given statistics. */
export function empiricalBayesTwoParameter(stats: PromptStatistics, depth: number): FlowObjective {
  return { objective: lcaObjective(spectralStatistics(stats), bayesTarget(stats), depth, false) };
}
