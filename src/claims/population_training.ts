/**
 * Gradient descent on the exact population loss E_T (quadrature), the way
 * MODEL.md says parameter limits are verified in practice: the loss is so flat
 * near its minimum that an empirical minimiser is dominated by sampling noise.
 *
 * The descent runs on log E_T: its gradient grad E_T / E_T is parallel to
 * grad E_T, so gradient flow on log E_T traces the same path as gradient flow
 * on E_T with time reparametrised, while the step sizes no longer have to span
 * the 1e-40 scale of E_T near its minimum.
 *
 * @module
 */

import type { SpikeLaw } from "../model/law.ts";
import { lcaExcessTerms } from "../theory/lca_excess.ts";
import { oneParameterExcessScaled } from "../theory/one_parameter_excess.ts";
import { gradientDescent, type GradientDescentResult } from "../training/optimizer.ts";

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
  const options = { steps, gradientTolerance: 1e-12, maxRecorded: 50 };
  if (skip === 1 && value === -1) {
    // The model itself: the cancellation-free closed-form derivative.
    return gradientDescent(
      (theta) => {
        // Scaled sums: log E_T and its gradient stay finite when E_T < 1e-300.
        const r = oneParameterExcessScaled(law, theta[0], depth);
        return {
          loss: Math.log(r.value) + r.logScale,
          gradient: new Float64Array([r.derivative / r.value]),
        };
      },
      new Float64Array([alpha0]),
      options,
    );
  }
  return gradientDescent(
    (theta) => {
      const r = lcaExcessTerms(law, {
        alpha: skip * theta[0],
        beta: value * theta[0],
        depth,
      });
      return {
        loss: Math.log(r.value),
        gradient: new Float64Array([(skip * r.gradient[0] + value * r.gradient[1]) / r.value]),
      };
    },
    new Float64Array([alpha0]),
    options,
  );
}
