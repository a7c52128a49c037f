/**
 * The optimum of the isotropic reduced LSA y_hat = gamma x_q^T mu_hat in the population
 * (L -> infinity): its weight gamma* and the gap of its risk over Bayes (Theorem 4.1).
 *
 * @module
 */

import type { SpikeLaw } from "../model/law.ts";
import { RESPONSE_LOADING } from "../model/reconstructed.ts";
import { requireFiniteResult } from "../validation/finite_result.ts";
import { expectation } from "./quadrature.ts";
import { lawArgument, populationRule, type QuadratureOptions } from "./population.ts";

const LOADING2 = RESPONSE_LOADING * RESPONSE_LOADING;

/**
 * gamma* = E[s] / E[s (1 + s)], the optimal isotropic reduced-LSA weight.
 *
 * @example The optimal isotropic LSA weight
 * ```ts
 * import assert from "node:assert/strict";
 * import { gammaStar } from "./gamma_star.ts";
 * // E[s] / E[s(1 + s)] = 2.25 / (25 / 3) = 0.27, up to quadrature rounding.
 * assert.ok(Math.abs(gammaStar({ kind: "uniform", low: 0.5, high: 4 }) - 0.27) < 1e-14);
 * ```
 */
export function gammaStar(law: SpikeLaw, options: QuadratureOptions = {}): number {
  const rule = populationRule(law, 1, options);
  const m2 = requireFiniteResult(
    expectation(rule, (s) => s * (1 + s)),
    "E[s (1+s)]",
    lawArgument(law),
  );
  // s = 0 almost surely (point:0): every gamma is optimal; report 0.
  return m2 > 0 ? expectation(rule, (s) => s) / m2 : 0;
}

/**
 * The LSA gap R_LSA* - R_Bayes = E[s/(1+s)] - E[s]^2 / E[s(1+s)] (0 for a point mass).
 *
 * @example Theorem 4.1's gap, zero for a point mass
 * ```ts
 * import assert from "node:assert/strict";
 * import { lsaGap } from "./gamma_star.ts";
 * // Uniform[0.5, 4]: (1 - ln(10/3) / 3.5) - 2.25 * 0.27 = 0.04851, up to quadrature rounding.
 * const exact = 1 - Math.log(10 / 3) / 3.5 - 2.25 * 0.27;
 * assert.ok(Math.abs(lsaGap({ kind: "uniform", low: 0.5, high: 4 }) - exact) < 1e-14);
 * assert.ok(Math.abs(lsaGap({ kind: "point", value: 2 })) < 1e-15); // 2/3 - 4/6, up to rounding
 * ```
 */
export function lsaGap(law: SpikeLaw, options: QuadratureOptions = {}): number {
  const rule = populationRule(law, 1, options);
  const m1 = expectation(rule, (s) => s);
  const m2 = requireFiniteResult(
    expectation(rule, (s) => s * (1 + s)),
    "E[s (1+s)]",
    lawArgument(law),
  );
  // m1 (m1 / m2), not m1^2 / m2: m1^2 underflows for tiny s (a point mass at 1e-300 gave a gap
  // of 1e-300 instead of 0).
  const gap = expectation(rule, (s) => s / (1 + s)) - (m2 > 0 ? m1 * (m1 / m2) : 0);
  return LOADING2 * Math.max(gap, 0);
}
