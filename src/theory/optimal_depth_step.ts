/**
 * The one-parameter population minimiser alpha_T = argmin_alpha E_T(alpha, -alpha), by a
 * safeguarded Newton search on dE_T/d alpha (`one_parameter_excess.ts`) over
 * [0, 2/(1+m_lo)], with the certificate of how it stopped.
 *
 * @module
 */

import { requirePositiveInteger } from "../validation/errors.ts";
import { lawSupport, type SpikeLaw, validateSpikeLaw } from "../model/law.ts";
import { alphaStar, type QuadratureOptions } from "./population.ts";
import { oneParameterExcessScaled } from "./one_parameter_excess.ts";

/**
 * The one-parameter population minimiser alpha_T = argmin_alpha E_T(alpha, -alpha).
 * E_T is convex in alpha (an even power of an affine function, averaged), so a
 * safeguarded Newton iteration on its derivative over [0, 2/(1+m_lo)] finds it to
 * machine precision.
 *
 * @example alpha_T approaches alpha* from below
 * ```ts
 * import assert from "node:assert/strict";
 * import { optimalDepthStep } from "./optimal_depth_step.ts";
 * import { alphaStar } from "./population.ts";
 * const law = { kind: "uniform", low: 0.5, high: 4 } as const;
 * const a1 = optimalDepthStep(law, 1), a10 = optimalDepthStep(law, 10);
 * assert.ok(Math.abs(a1 - 0.27) < 1e-14); // T = 1: gamma* = 0.27
 * assert.ok(Math.abs(a10 - 0.30003) < 5e-6); // 0.30003 to the digits shown
 * assert.ok(a1 < a10 && a10 < alphaStar(law)); // alpha* = 0.30769...
 * ```
 */
export function optimalDepthStep(
  law: SpikeLaw,
  depth: number,
  options: QuadratureOptions = {},
): number {
  return optimalDepthStepSearch(law, depth, options).alpha;
}

/**
 * {@linkcode optimalDepthStep} with its certificate (internal, for tests): the
 * Newton steps taken and why the search stopped: `"newton"` (a Newton step below
 * 4 eps |alpha|), `"bracket"` (the bracket [a, b] or the step shrank below 1e-16 of
 * it), `"stationary"` (a derivative of exactly 0), `"flat"` (s = 0 a.s.: E_T is
 * identically 0 and alpha* is returned) or `"iterations"` (500 steps).
 *
 * @example The search at T = 10 ends on a Newton step below rounding
 * ```ts
 * import assert from "node:assert/strict";
 * import { optimalDepthStepSearch } from "./optimal_depth_step.ts";
 * const search = optimalDepthStepSearch({ kind: "uniform", low: 0.5, high: 4 }, 10);
 * assert.equal(search.stop, "newton");
 * ```
 */
export function optimalDepthStepSearch(
  law: SpikeLaw,
  depth: number,
  options: QuadratureOptions = {},
): { alpha: number; iterations: number; stop: string } {
  validateSpikeLaw(law);
  requirePositiveInteger("depth", depth);
  const { low } = lawSupport(law);
  const derivatives = (alpha: number) => {
    // Signs and ratios are all Newton needs, so the scaled values serve at any T.
    const r = oneParameterExcessScaled(law, alpha, depth, options);
    return { d1: r.derivative, d2: r.second };
  };
  let a = 0;
  let b = 2 / (1 + low);
  if (!(derivatives(a).d1 < 0)) return { alpha: alphaStar(law), iterations: 0, stop: "flat" };
  let x = alphaStar(law);
  let iterations = 0;
  // The step before the last: a Newton step longer than half of it is not converging fast
  // enough (E_T is a polynomial of degree 2T, whose Newton steps can shrink by only
  // ~1/(2T) per step far from the root), and bisection is taken instead (as rtsafe does).
  let step = b - a, stepBefore = b - a;
  for (; iterations < 500; iterations++) {
    if (!(b - a > 1e-16 * b)) return { alpha: x, iterations, stop: "bracket" };
    const { d1, d2 } = derivatives(x);
    if (d1 === 0) return { alpha: x, iterations, stop: "stationary" };
    if (d1 < 0) a = x;
    else b = x;
    const newton = x - d1 / d2;
    // A Newton step below rounding means x is the root to machine precision.
    if (d2 > 0 && Math.abs(newton - x) <= 4 * Number.EPSILON * Math.abs(x)) {
      return { alpha: x, iterations, stop: "newton" };
    }
    const fast = Math.abs(newton - x) <= 0.5 * Math.abs(stepBefore);
    const next = d2 > 0 && newton > a && newton < b && fast ? newton : 0.5 * (a + b);
    stepBefore = step;
    step = next - x;
    if (Math.abs(next - x) <= 1e-16 * Math.abs(x)) {
      return { alpha: next, iterations: iterations + 1, stop: "bracket" };
    }
    x = next;
  }
  return { alpha: x, iterations, stop: "iterations" };
}
