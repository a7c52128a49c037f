/**
 * Gradient descent on the exact population loss E_T (quadrature), the way
 * MODEL.md says parameter limits are verified in practice: the loss is so flat
 * near its minimum that an empirical minimiser is dominated by sampling noise.
 *
 * @module
 */

import type { SpikeLaw } from "../law.ts";
import { lcaExcessWithDerivatives, oneParameterExcess } from "../population.ts";
import { gradientDescent, type GradientDescentResult } from "../optimizer.ts";

/** Sign conventions of the trained model (the controls flip them). */
export interface ModelSigns {
  /** W_S = skipSign * alpha (default +1). */
  skipSign?: number;
  /** One-parameter only: W_V = valueSign * alpha (default -1). */
  valueSign?: number;
}

/** Trains the one-parameter LCA on E_T(alpha, valueSign alpha) from alpha_0. */
export function trainPopulationOneParameter(
  law: SpikeLaw,
  depth: number,
  alpha0: number,
  signs: ModelSigns = {},
  steps = 5000,
): GradientDescentResult {
  const skip = signs.skipSign ?? 1;
  const value = signs.valueSign ?? -1;
  const options = { steps, gradientTolerance: 0, relativeTolerance: 1e-13, maxRecorded: 50 };
  if (skip === 1 && value === -1) {
    // The model itself: the cancellation-free closed-form derivative.
    return gradientDescent(
      (theta) => {
        const r = oneParameterExcess(law, theta[0], depth);
        return { loss: r.value, gradient: new Float64Array([r.derivative]) };
      },
      new Float64Array([alpha0]),
      options,
    );
  }
  return gradientDescent(
    (theta) => {
      const r = lcaExcessWithDerivatives(law, {
        alpha: skip * theta[0],
        beta: value * theta[0],
        depth,
      });
      return {
        loss: r.value,
        gradient: new Float64Array([skip * r.gradient[0] + value * r.gradient[1]]),
      };
    },
    new Float64Array([alpha0]),
    options,
  );
}

/** Trains the two-parameter LCA on E_T(skipSign alpha, beta) from (alpha_0, beta_0). */
export function trainPopulationTwoParameter(
  law: SpikeLaw,
  depth: number,
  alpha0: number,
  beta0: number,
  signs: ModelSigns = {},
  steps = 8000,
): GradientDescentResult {
  const skip = signs.skipSign ?? 1;
  return gradientDescent(
    (theta) => {
      const r = lcaExcessWithDerivatives(law, { alpha: skip * theta[0], beta: theta[1], depth });
      return { loss: r.value, gradient: new Float64Array([skip * r.gradient[0], r.gradient[1]]) };
    },
    new Float64Array([alpha0, beta0]),
    { steps, gradientTolerance: 0, relativeTolerance: 1e-13, maxRecorded: 50 },
  );
}
