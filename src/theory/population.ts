/**
 * Population quantities (L -> infinity), exact up to quadrature error by
 * Gauss-Jacobi rules over the spike law (`quadrature.ts`): those of the law itself
 * (alpha*, rho*, rho(alpha), R_Bayes, the zero predictor's excess, the geometric bound)
 * and the quadrature rule every population function integrates with.
 *
 * Along the spike, LCA(alpha, beta, T) predicts c_T(s) x_q^T m with
 * c_T(s) = alpha sum_{k<T} (1 + beta (1 + s))^k, while Bayes predicts x_q^T m / (1 + s), so
 *   E_T(alpha, beta) = E_s[(c_T(s) - 1/(1+s))^2 s (1+s)]
 * and for beta = -alpha, E_T = E_s[(1 - alpha (1+s))^{2T} s / (1+s)].
 * E_T is in `lca_excess.ts` (its one-parameter form in `one_parameter_excess.ts`), its
 * minimisers in `optimal_depth_step.ts` and `two_parameter_optimum.ts`, the LSA optimum in
 * `gamma_star.ts`, deep LSA in `deep_lsa_excess.ts` and the `population` command's summary
 * in `population_summary.ts`.
 *
 * @module
 */

import {
  requireFinite as requireFiniteNumber,
  requireKnownKeys,
  requireNonNegative,
  requirePositiveInteger,
} from "../validation/errors.ts";
import { requireFiniteResult } from "../validation/finite_result.ts";
import {
  checkNodeBudget,
  type LimitsOption,
  resolveLimits,
} from "../validation/resource_limits.ts";
import { formatSpikeLaw, lawSupport, type SpikeLaw, validateSpikeLaw } from "../model/law.ts";
import {
  defaultNodeCount,
  expectation,
  type QuadratureRule,
  quadratureRule,
} from "./quadrature.ts";
import { minimaxRate, minimaxStep, RESPONSE_LOADING } from "../model/reconstructed.ts";

const LOADING2 = RESPONSE_LOADING * RESPONSE_LOADING;

/** Optional quadrature size for every population function (default `defaultNodeCount(depth)`). */
export interface QuadratureOptions {
  /** Number of Gauss nodes. */
  nodes?: number;
  /**
   * Budgets (`validation/resource_limits.ts`): only `nodes` applies here (default 65536, about
   * 20 s; the default rule never exceeds 8192). `"none"` lifts it.
   */
  limits?: LimitsOption;
}

/**
 * The rule a population function at depth T integrates with: the Gauss-Jacobi rule of the
 * validated law with `options.nodes` nodes, by default defaultNodeCount(T) = 256 + 2T
 * (capped at 8192). `options` may carry only `nodes` (and `start`, the two-parameter start).
 *
 * @example The default rule at T = 10 has 256 + 2 * 10 = 276 nodes
 * ```ts
 * import assert from "node:assert/strict";
 * import { populationRule } from "./population.ts";
 * assert.equal(populationRule({ kind: "uniform", low: 0.5, high: 4 }, 10).nodes.length, 276);
 * ```
 */
export function populationRule(
  law: SpikeLaw,
  depth: number,
  options: QuadratureOptions = {},
): QuadratureRule {
  validateSpikeLaw(law);
  requireKnownKeys("options", options, ["nodes", "start", "limits"]);
  const nodes = options.nodes === undefined
    ? defaultNodeCount(depth)
    : requirePositiveInteger("nodes", options.nodes);
  checkNodeBudget(nodes, resolveLimits(options.limits));
  return quadratureRule(law, nodes);
}

/** The law as an argument of an error message (`law = uniform[0.5, 4]`). */
export function lawArgument(law: SpikeLaw): Record<string, string> {
  return { law: formatSpikeLaw(law) };
}

/** The support [m_lo, m_hi], refused when 2 + m_lo + m_hi overflows (alpha*, rho*). */
function finiteSupport(law: SpikeLaw): { low: number; high: number } {
  const { low, high } = lawSupport(validateSpikeLaw(law));
  requireFiniteResult(2 + low + high, "2 + m_lo + m_hi", lawArgument(law));
  return { low, high };
}

/**
 * alpha* = 2 / (2 + m_lo + m_hi): depends on the law only through its support.
 *
 * @example The minimax step for s ~ Uniform[0.5, 4]
 * ```ts
 * import assert from "node:assert/strict";
 * import { alphaStar } from "./population.ts";
 * // 2 / (2 + 0.5 + 4) = 0.3076923076923077, up to rounding
 * assert.ok(Math.abs(alphaStar({ kind: "uniform", low: 0.5, high: 4 }) - 2 / 6.5) < 1e-15);
 * ```
 */
export function alphaStar(law: SpikeLaw): number {
  const { low, high } = finiteSupport(law);
  return minimaxStep(low, high);
}

/**
 * rho* = (m_hi - m_lo) / (2 + m_lo + m_hi), the contraction rate at alpha*.
 *
 * @example The contraction rate at alpha*
 * ```ts
 * import assert from "node:assert/strict";
 * import { rhoStar } from "./population.ts";
 * // (4 - 0.5) / (2 + 0.5 + 4) = 0.5384615384615384, up to rounding
 * assert.ok(Math.abs(rhoStar({ kind: "uniform", low: 0.5, high: 4 }) - 3.5 / 6.5) < 1e-15);
 * ```
 */
export function rhoStar(law: SpikeLaw): number {
  const { low, high } = finiteSupport(law);
  return minimaxRate(low, high);
}

/**
 * rho(alpha) = max over the support of |1 - alpha (1 + s)|.
 *
 * @example rho(alpha) is smallest at alpha*
 * ```ts
 * import assert from "node:assert/strict";
 * import { alphaStar, contractionRate, rhoStar } from "./population.ts";
 * const law = { kind: "uniform", low: 0.5, high: 4 } as const;
 * assert.equal(contractionRate(law, 0.25), 0.625); // max(|1 - 0.25 * 1.5|, |1 - 0.25 * 5|)
 * assert.ok(contractionRate(law, 0.25) > rhoStar(law));
 * assert.ok(contractionRate(law, 0.35) > rhoStar(law));
 * assert.ok(Math.abs(contractionRate(law, alphaStar(law)) - rhoStar(law)) < 1e-15);
 * ```
 */
export function contractionRate(law: SpikeLaw, alpha: number): number {
  requireFiniteNumber("alpha", alpha);
  const { low, high } = lawSupport(validateSpikeLaw(law));
  const rate = Math.max(Math.abs(1 - alpha * (1 + low)), Math.abs(1 - alpha * (1 + high)));
  return requireFiniteResult(rate, "rho(alpha)", { alpha, ...lawArgument(law) });
}

/**
 * R_Bayes = sigma^2 + E[1 / (1 + s)].
 *
 * @example R_Bayes = sigma^2 + E[1/(1+s)]
 * ```ts
 * import assert from "node:assert/strict";
 * import { bayesRisk } from "./population.ts";
 * // 0.1^2 + ln(5 / 1.5) / 3.5 = 0.35399..., up to quadrature rounding
 * const exact = 0.01 + Math.log(5 / 1.5) / 3.5;
 * assert.ok(Math.abs(bayesRisk({ kind: "uniform", low: 0.5, high: 4 }, 0.1) - exact) < 1e-14);
 * ```
 */
export function bayesRisk(law: SpikeLaw, sigma: number, options: QuadratureOptions = {}): number {
  requireNonNegative("sigma", sigma);
  const rule = populationRule(law, 1, options);
  const risk = sigma * sigma + LOADING2 * expectation(rule, (s) => 1 / (1 + s));
  return requireFiniteResult(risk, "R_Bayes = sigma^2 + E[1/(1+s)]", { sigma });
}

/**
 * E[s / (1 + s)], the excess risk of the zero predictor over Bayes.
 *
 * @example E[s/(1+s)]
 * ```ts
 * import assert from "node:assert/strict";
 * import { zeroPredictorExcess } from "./population.ts";
 * assert.equal(zeroPredictorExcess({ kind: "point", value: 1 }), 0.5); // 1 / (1 + 1)
 * ```
 */
export function zeroPredictorExcess(law: SpikeLaw, options: QuadratureOptions = {}): number {
  return LOADING2 * expectation(populationRule(law, 1, options), (s) => s / (1 + s));
}

/**
 * The bound rho*^{2T} E[s/(1+s)] on E_T(alpha*) (C3).
 *
 * @example The bound on E_T(alpha*)
 * ```ts
 * import assert from "node:assert/strict";
 * import { geometricBound } from "./population.ts";
 * import { lcaExcess } from "./lca_excess.ts";
 * const law = { kind: "uniform", low: 0.5, high: 4 } as const;
 * const excess = lcaExcess(law, { alpha: 2 / 6.5, beta: -2 / 6.5, depth: 10 });
 * assert.ok(excess <= geometricBound(law, 10)); // 1.2e-7 <= 2.8e-6
 * ```
 */
export function geometricBound(
  law: SpikeLaw,
  depth: number,
  options: QuadratureOptions = {},
): number {
  requirePositiveInteger("depth", depth);
  requireKnownKeys("options", options, ["nodes", "limits"]);
  return rhoStar(law) ** (2 * depth) * zeroPredictorExcess(law, options);
}
