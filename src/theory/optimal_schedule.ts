/**
 * Layer-wise steps (schedules) of the one-parameter LCA: a step alpha_t in layer t and
 * beta_t = -alpha_t, so that the error along an eigenvalue lambda = 1 + s of the covariance
 * is the polynomial p_T(lambda) = prod_t (1 - alpha_t lambda) with p_T(0) = 1, and the
 * population excess is
 *   E_T(alpha_1..alpha_T) = E_s[p_T(1 + s)^2 s/(1 + s)].
 * Choosing the steps is the semi-iterative (polynomial acceleration) problem:
 * - the exact optimum over all schedules minimises int p^2 dmu, mu = s/(1+s) dP, over degree-T
 *   polynomials with p(0) = 1; it is the kernel polynomial K_T(lambda, 0)/K_T(0, 0) of mu, and
 *   K_T(lambda, 0) is the degree-T orthogonal polynomial of lambda dmu = s dP, so the optimal
 *   steps are the reciprocals alpha_t = 1/lambda_t of the T-point Gauss nodes lambda_t of
 *   s dP(s) (in lambda = 1 + s), and the least excess is 1/K_T(0, 0) (docs/reference/schedules.md);
 * - the minimax (worst-case) schedule takes the roots of the Chebyshev polynomial shifted to
 *   [1 + m_lo, 1 + m_hi]: E_T <= (2 rho_c^T / (1 + rho_c^{2T}))^2 E[s/(1+s)] with
 *   rho_c = (sqrt(kappa) - 1)/(sqrt(kappa) + 1), kappa = (1 + m_hi)/(1 + m_lo).
 *
 * @module
 */

import {
  describeValue,
  requireChoice,
  requireKnownKeys,
  requireNumbers,
  requirePositiveInteger,
} from "../validation/errors.ts";
import { lawSupport, type SpikeLaw, validateSpikeLaw } from "../model/law.ts";
import { RESPONSE_LOADING } from "../model/reconstructed.ts";
import { populationRule, zeroPredictorExcess } from "./population.ts";
import { gaussRuleOfJacobi, lanczosJacobi, logChristoffelSum } from "./lanczos_jacobi.ts";

const LOADING2 = RESPONSE_LOADING * RESPONSE_LOADING;

/**
 * The order of the steps over the layers: `"descending"` puts the largest step alpha_t =
 * 1/lambda_min in layer 1 (the roots lambda_t ascending); `"ascending"` the reverse. The
 * order does not change the polynomial, only rounding: a rounding error made in layer t is
 * multiplied by the remaining factors prod_{u>t} (1 - alpha_u lambda). Descending leaves
 * the small, contracting steps for last, and these tail products stayed within 1 on
 * [1, 1 + m_hi] (measured up to T = 256, kappa = 21); ascending multiplied them by up to
 * 1e41 at T = 128 (float64 then loses every digit).
 */
export type ScheduleOrder = "descending" | "ascending";

/**
 * The orders {@linkcode ScheduleOrder} accepts; the polynomial prod_t (1 - alpha_t lambda) is
 * the same in each.
 *
 * @example Each order lists the same steps
 * ```ts
 * import assert from "node:assert/strict";
 * import { optimalSchedule, SCHEDULE_ORDERS } from "./optimal_schedule.ts";
 * const law = { kind: "uniform", low: 0.5, high: 4 } as const;
 * const [first, second] = SCHEDULE_ORDERS.map((order) => optimalSchedule(law, 3, { order }));
 * assert.deepEqual(first.alphas, [...second.alphas].reverse());
 * ```
 */
export const SCHEDULE_ORDERS: readonly ScheduleOrder[] = ["descending", "ascending"];

/** Options of the schedule functions. */
export interface ScheduleOptions {
  /** Gauss nodes of the law's quadrature rule (default 256 + 2T, at least T + 2). */
  nodes?: number;
  /** Layer order of the steps (default `"descending"`: largest step first). */
  order?: ScheduleOrder;
}

/** A schedule of T steps. */
export interface Schedule {
  /** alpha_1 .. alpha_T in layer order (see {@linkcode ScheduleOrder}). */
  alphas: number[];
  /** The roots lambda_t = 1/alpha_t of p_T, ascending. */
  roots: number[];
  /** rho_c = (sqrt(kappa) - 1)/(sqrt(kappa) + 1), the Chebyshev rate of the support. */
  rate: number;
}

/** The optimal schedule and its population excess. */
export interface OptimalSchedule extends Schedule {
  /** min over schedules of E_T = 1/K_T(0, 0), K_T the kernel of s/(1+s) dP in lambda. */
  excess: number;
  /** log(excess), finite where `excess` underflows float64 (-Infinity for a point mass). */
  logExcess: number;
}

/** The minimax schedule and its guaranteed bound. */
export interface ChebyshevSchedule extends Schedule {
  /** (2 rho_c^T / (1 + rho_c^{2T}))^2 E[s/(1+s)] >= E_T(Chebyshev steps). */
  bound: number;
}

/**
 * rho_c = (sqrt(kappa) - 1)/(sqrt(kappa) + 1) with kappa = (1 + m_hi)/(1 + m_lo): the rate
 * per layer of the Chebyshev schedule (0 for a point mass). Compare rho* = (kappa - 1)/(kappa
 * + 1) of the single step alpha*.
 *
 * @example For s in [0.5, 4], kappa = 10/3 and rho_c = 0.2922 < rho* = 0.5385
 * ```ts
 * import assert from "node:assert/strict";
 * import { scheduleRate } from "./optimal_schedule.ts";
 * const kappa = 5 / 1.5;
 * const rate = scheduleRate({ kind: "uniform", low: 0.5, high: 4 });
 * assert.ok(Math.abs(rate - (Math.sqrt(kappa) - 1) / (Math.sqrt(kappa) + 1)) < 1e-15);
 * ```
 */
export function scheduleRate(law: SpikeLaw): number {
  const { low, high } = lawSupport(validateSpikeLaw(law));
  const root = Math.sqrt((1 + high) / (1 + low));
  return (root - 1) / (root + 1);
}

/** The steps 1/lambda_t of ascending roots, in the requested layer order. */
function stepsInOrder(roots: readonly number[], order: ScheduleOrder): number[] {
  const steps = roots.map((root) => 1 / root);
  return order === "descending" ? steps : steps.reverse();
}

/** Validated options: the order and the quadrature nodes (at least T + 2). */
function scheduleOptions(
  depth: number,
  options: ScheduleOptions,
): { order: ScheduleOrder; nodes?: number } {
  requireKnownKeys("options", options, ["nodes", "order"]);
  const order = options.order === undefined
    ? "descending"
    : requireChoice("options.order", options.order, SCHEDULE_ORDERS);
  if (options.nodes !== undefined) {
    const nodes = requirePositiveInteger("options.nodes", options.nodes);
    if (nodes < depth + 2) {
      throw new RangeError(`options.nodes must be at least depth + 2 = ${depth + 2}, got ${nodes}`);
    }
  }
  return { order, nodes: options.nodes };
}

/**
 * E_T(schedule) = E_s[prod_t (1 - alpha_t (1+s))^2 s/(1+s)] by Gauss quadrature of the law
 * (256 + 2T nodes by default: the integrand is a polynomial of degree 2T times s/(1+s)). The
 * product is carried with a separate exponent, so the result is accurate until it underflows
 * float64 (below 1e-308). Independent of the order of the steps.
 *
 * @example T = 1 at gamma* = E[s]/E[s(1+s)] is the LSA gap E[s/(1+s)] - E[s]^2/E[s(1+s)]
 * ```ts
 * import assert from "node:assert/strict";
 * import { scheduleExcess } from "./optimal_schedule.ts";
 * import { gammaStar, lsaGap } from "./gamma_star.ts";
 * const law = { kind: "uniform", low: 0.5, high: 4 } as const;
 * const excess = scheduleExcess(law, [gammaStar(law)]);
 * assert.ok(Math.abs(excess - lsaGap(law)) < 1e-14);
 * ```
 */
export function scheduleExcess(
  law: SpikeLaw,
  alphas: readonly number[],
  options: { nodes?: number } = {},
): number {
  validateSpikeLaw(law);
  requireNumbers("alphas", alphas);
  if (alphas.length === 0) {
    throw new RangeError(`alphas must hold at least one step, got ${describeValue(alphas)}`);
  }
  requireKnownKeys("options", options, ["nodes"]);
  const rule = populationRule(law, alphas.length, options);
  const n = rule.nodes.length;
  const mantissa = new Float64Array(n);
  const exponent = new Float64Array(n); // log of the scale of each |p(lambda_i)|^2
  let logScale = -Infinity;
  for (let i = 0; i < n; i++) {
    const lambda = 1 + rule.nodes[i];
    let p = 1, logP = 0;
    for (const alpha of alphas) {
      p *= 1 - alpha * lambda;
      if (p !== 0 && (Math.abs(p) < 1e-150 || Math.abs(p) > 1e150)) {
        logP += Math.log(Math.abs(p));
        p = Math.sign(p);
      }
    }
    mantissa[i] = p * p;
    exponent[i] = 2 * logP;
    if (p !== 0) logScale = Math.max(logScale, exponent[i] + Math.log(p * p));
  }
  if (logScale === -Infinity) return 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const s = rule.nodes[i];
    if (mantissa[i] === 0) continue;
    sum += rule.weights[i] * mantissa[i] * Math.exp(exponent[i] - logScale) * s / (1 + s);
  }
  return LOADING2 * sum * Math.exp(logScale);
}

/**
 * The minimax schedule: alpha_t = 1/lambda_t with lambda_t = (a + b)/2 + (b - a)/2
 * cos((2t - 1) pi/(2T)) the roots of the Chebyshev polynomial T_T shifted to [a, b] =
 * [1 + m_lo, 1 + m_hi]. Its residual is p(lambda) = T_T((a + b - 2 lambda)/(b - a)) /
 * T_T((b + a)/(b - a)), of modulus at most 1/T_T((kappa + 1)/(kappa - 1)) = 2 rho_c^T /
 * (1 + rho_c^{2T}) on [a, b], which gives the bound.
 *
 * @example The Chebyshev schedule keeps its bound
 * ```ts
 * import assert from "node:assert/strict";
 * import { chebyshevSchedule, scheduleExcess } from "./optimal_schedule.ts";
 * const law = { kind: "uniform", low: 0.5, high: 4 } as const;
 * const chebyshev = chebyshevSchedule(law, 8);
 * assert.ok(scheduleExcess(law, chebyshev.alphas) <= chebyshev.bound);
 * ```
 */
export function chebyshevSchedule(
  law: SpikeLaw,
  depth: number,
  options: ScheduleOptions = {},
): ChebyshevSchedule {
  const { low, high } = lawSupport(validateSpikeLaw(law));
  requirePositiveInteger("depth", depth);
  const { order, nodes } = scheduleOptions(depth, options);
  const a = 1 + low, b = 1 + high;
  const roots = Array.from(
    { length: depth },
    (_, k) => (a + b) / 2 - (b - a) / 2 * Math.cos((2 * k + 1) * Math.PI / (2 * depth)),
  );
  const rate = scheduleRate(law);
  const power = rate ** depth;
  const bound = (2 * power / (1 + power * power)) ** 2 *
    zeroPredictorExcess(law, nodes === undefined ? {} : { nodes });
  return { alphas: stepsInOrder(roots, order), roots, rate, bound };
}

/**
 * The exact optimum over all schedules of depth T: alpha_t = 1/lambda_t with lambda_t = 1 +
 * sigma_t and sigma_t the T-point Gauss nodes of the measure s dP(s), and the least excess
 * 1/K_T(0, 0) = 1/sum_{k<=T} phi_k(-1)^2 with phi_k the orthonormal polynomials (in s) of
 * s/(1+s) dP(s). Both Jacobi matrices come from the Lanczos process on the law's Gauss rule
 * (`lanczos_jacobi.ts`), exact for s dP once the rule has T + 1 nodes; the nodes are all
 * inside (m_lo, m_hi). For a point mass at s0 every step is 1/(1 + s0) and the excess is 0
 * (one layer already reaches Bayes). Cost O(N T^2) with N = 256 + 2T nodes.
 *
 * @example T = 1 gives gamma* = E[s]/E[s(1+s)]; T = 8 beats the best tied step
 * ```ts
 * import assert from "node:assert/strict";
 * import { optimalSchedule } from "./optimal_schedule.ts";
 * import { gammaStar } from "./gamma_star.ts";
 * import { optimalDepthStep } from "./optimal_depth_step.ts";
 * import { oneParameterExcess } from "./one_parameter_excess.ts";
 * const law = { kind: "uniform", low: 0.5, high: 4 } as const;
 * assert.ok(Math.abs(optimalSchedule(law, 1).alphas[0] - gammaStar(law)) < 1e-14);
 * const tied = oneParameterExcess(law, optimalDepthStep(law, 8), 8).value;
 * assert.ok(optimalSchedule(law, 8).excess < tied);
 * ```
 */
export function optimalSchedule(
  law: SpikeLaw,
  depth: number,
  options: ScheduleOptions = {},
): OptimalSchedule {
  validateSpikeLaw(law);
  requirePositiveInteger("depth", depth);
  const { order, nodes } = scheduleOptions(depth, options);
  const rate = scheduleRate(law);
  if (law.kind === "point") {
    const roots = new Array<number>(depth).fill(1 + law.value);
    return { alphas: stepsInOrder(roots, order), roots, rate, excess: 0, logExcess: -Infinity };
  }
  const rule = populationRule(law, depth, nodes === undefined ? {} : { nodes });
  const s = rule.nodes;
  const spike = Float64Array.from(s, (si, i) => rule.weights[i] * si);
  const gauss = gaussRuleOfJacobi(lanczosJacobi(s, spike, depth));
  const roots = gauss.nodes.map((node) => 1 + node);
  const weighted = Float64Array.from(s, (si, i) => spike[i] / (1 + si));
  const logKernel = logChristoffelSum(lanczosJacobi(s, weighted, depth + 1), -1);
  const logExcess = Math.log(LOADING2) - logKernel;
  return {
    alphas: stepsInOrder(roots, order),
    roots,
    rate,
    excess: Math.exp(logExcess),
    logExcess,
  };
}
