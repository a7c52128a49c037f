/**
 * The population excess of the two-parameter deep LSA over Bayes (L -> infinity): along the
 * spike the prediction is c(s) x_q^T mu, with c(s) given by the layer recursion
 * ({@linkcode deepLsaCoefficient}), and
 *   E = E_s[(c(s) - 1/(1+s))^2 s (1+s)].
 *
 * @module
 */

import type { SpikeLaw } from "../model/law.ts";
import type { DeepLsaParameters } from "../model/models.ts";
import { validateLayerParameters } from "../model/models.ts";
import { RESPONSE_LOADING } from "../model/reconstructed.ts";
import { requireFiniteResult } from "../validation/finite_result.ts";
import { expectation } from "./quadrature.ts";
import { lawArgument, populationRule, type QuadratureOptions } from "./population.ts";

const LOADING2 = RESPONSE_LOADING * RESPONSE_LOADING;

/**
 * Deep-LSA coefficient along the spike: y_hat = c(s) x_q^T mu with lambda_0 = 1 + s.
 *
 * @example At T = 1 the coefficient is alpha
 * ```ts
 * import assert from "node:assert/strict";
 * import { deepLsaCoefficient } from "./deep_lsa_excess.ts";
 * assert.equal(deepLsaCoefficient({ alpha: 0.27, beta: 0.5, depth: 1 }, 2), 0.27);
 * ```
 */
export function deepLsaCoefficient(params: DeepLsaParameters, lambda0: number): number {
  let lambda = lambda0, m = 1, gamma = 1, c = 0;
  for (let t = 0; t < params.depth; t++) {
    c += params.alpha * m * gamma;
    const shrink = 1 + params.beta * lambda;
    gamma *= shrink * (1 + params.alpha * lambda);
    m *= shrink;
    lambda *= shrink * shrink;
  }
  return c;
}

/**
 * Population excess risk of the two-parameter deep LSA.
 *
 * @example Population excess of deep LSA
 * ```ts
 * import assert from "node:assert/strict";
 * import { deepLsaExcess } from "./deep_lsa_excess.ts";
 * import { lsaGap } from "./gamma_star.ts";
 * const law = { kind: "uniform", low: 0.5, high: 4 } as const;
 * // One layer with beta = 0 is reduced LSA; at gamma* = 0.27 its excess is the LSA gap (0.0485).
 * const excess = deepLsaExcess(law, { alpha: 0.27, beta: 0, depth: 1 });
 * assert.ok(Math.abs(excess - lsaGap(law)) < 1e-14);
 * ```
 */
export function deepLsaExcess(
  law: SpikeLaw,
  params: DeepLsaParameters,
  options: QuadratureOptions = {},
): number {
  validateLayerParameters(params);
  const rule = populationRule(law, params.depth, options);
  const excess = LOADING2 * expectation(rule, (s) => {
    const r = deepLsaCoefficient(params, 1 + s) - 1 / (1 + s);
    return r * r * s * (1 + s);
  });
  const { alpha, beta, depth } = params;
  return requireFiniteResult(excess, "the deep-LSA excess", {
    alpha,
    beta,
    depth,
    ...lawArgument(law),
  });
}
