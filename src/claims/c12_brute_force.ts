/**
 * Claim C12's own brute force over depth schedules, and the float64 rounding bound of the
 * excess it is compared with. The brute force knows nothing of orthogonal polynomials: it
 * minimises E_T(alpha_1..alpha_T) = E_s[prod_t (1 - alpha_t (1+s))^2 s/(1+s)] on the law's
 * Gauss rule (the rule `scheduleExcess` integrates with) from several starts, by exact
 * coordinate minimisation (the excess is a quadratic in each step) followed by Newton steps
 * with the exact Hessian and a backtracking line search. Every stationary point with distinct
 * steps is the global optimum (the derivatives lambda prod_{u != t} (1 - alpha_u lambda) span
 * lambda times the polynomials of degree below T), so a converged start with distinct steps
 * reaches it; the best start is kept.
 *
 * @module
 */

import { requireNumbers, requirePositiveInteger } from "../validation/errors.ts";
import type { SpikeLaw } from "../model/law.ts";
import { RESPONSE_LOADING } from "../model/reconstructed.ts";
import { choleskySolve } from "../numeric/linalg.ts";
import { populationRule } from "../theory/population.ts";
import { FLOAT64_UNIT_ROUNDOFF } from "./margins.ts";

const U = FLOAT64_UNIT_ROUNDOFF;

/** The schedule objective's rule: lambda_i = 1 + s_i and weights c_i = l^2 w_i s_i/(1 + s_i). */
interface ScheduleRule {
  lambdas: Float64Array;
  weights: Float64Array;
}

/** The Gauss rule of `law` at depth T (the one `scheduleExcess` uses), as a schedule rule. */
function scheduleRule(law: SpikeLaw, depth: number): ScheduleRule {
  const rule = populationRule(law, depth);
  const loading2 = RESPONSE_LOADING * RESPONSE_LOADING;
  return {
    lambdas: Float64Array.from(rule.nodes, (s) => 1 + s),
    weights: Float64Array.from(rule.nodes, (s, i) => loading2 * rule.weights[i] * s / (1 + s)),
  };
}

/** prod_{v not in skip} (1 - alpha_v lambda). */
function productWithout(factors: Float64Array, skip1: number, skip2 = -1): number {
  let p = 1;
  for (let v = 0; v < factors.length; v++) if (v !== skip1 && v !== skip2) p *= factors[v];
  return p;
}

/** The excess, its gradient and Hessian in the steps (row-major T x T). */
function objective(
  rule: ScheduleRule,
  alphas: Float64Array,
): { value: number; gradient: Float64Array; hessian: Float64Array } {
  const depth = alphas.length;
  const gradient = new Float64Array(depth), hessian = new Float64Array(depth * depth);
  const factors = new Float64Array(depth), others = new Float64Array(depth);
  let value = 0;
  for (let i = 0; i < rule.lambdas.length; i++) {
    const lambda = rule.lambdas[i], c = rule.weights[i];
    for (let t = 0; t < depth; t++) factors[t] = 1 - alphas[t] * lambda;
    const r = productWithout(factors, -1);
    value += c * r * r;
    for (let t = 0; t < depth; t++) others[t] = productWithout(factors, t);
    const l2 = 2 * c * lambda * lambda;
    for (let t = 0; t < depth; t++) {
      gradient[t] -= 2 * c * r * lambda * others[t];
      hessian[t * depth + t] += l2 * others[t] * others[t];
      for (let u = t + 1; u < depth; u++) {
        const h = l2 * (others[t] * others[u] + r * productWithout(factors, t, u));
        hessian[t * depth + u] += h;
        hessian[u * depth + t] += h;
      }
    }
  }
  return { value, gradient, hessian };
}

/** The excess alone. */
function excessOn(rule: ScheduleRule, alphas: Float64Array): number {
  let value = 0;
  for (let i = 0; i < rule.lambdas.length; i++) {
    let r = 1;
    for (const alpha of alphas) r *= 1 - alpha * rule.lambdas[i];
    value += rule.weights[i] * r * r;
  }
  return value;
}

/**
 * One sweep of exact coordinate minimisation: with the other steps fixed the excess is
 * sum_i c_i R_i^2 (1 - a lambda_i)^2, least at a = sum c R^2 lambda / sum c R^2 lambda^2.
 */
function coordinateSweep(rule: ScheduleRule, alphas: Float64Array): void {
  const factors = new Float64Array(alphas.length);
  for (let t = 0; t < alphas.length; t++) {
    let numerator = 0, denominator = 0;
    for (let i = 0; i < rule.lambdas.length; i++) {
      const lambda = rule.lambdas[i];
      for (let v = 0; v < alphas.length; v++) factors[v] = 1 - alphas[v] * lambda;
      const others = productWithout(factors, t);
      const w = rule.weights[i] * others * others * lambda;
      numerator += w;
      denominator += w * lambda;
    }
    if (denominator > 0) alphas[t] = numerator / denominator;
  }
}

/** A Newton step with backtracking; returns its decrement g^T H^-1 g, or null (no descent). */
function newtonStep(rule: ScheduleRule, alphas: Float64Array): number | null {
  const { value, gradient, hessian } = objective(rule, alphas);
  let step: Float64Array;
  try {
    step = choleskySolve(hessian, gradient.map((g) => -g), alphas.length);
  } catch {
    return null; // not positive definite here
  }
  const decrement = -step.reduce((sum, d, t) => sum + d * gradient[t], 0);
  if (!(decrement > 0)) return null;
  for (let scale = 1; scale > 1e-6; scale /= 2) {
    const trial = alphas.map((a, t) => a + scale * step[t]);
    if (excessOn(rule, trial) < value) {
      alphas.set(trial);
      return decrement;
    }
  }
  return decrement <= 2 * value * 64 * U ? decrement : null;
}

/** The result of {@linkcode bruteForceSchedule}. */
export interface BruteForceSchedule {
  /** The best steps found. */
  alphas: number[];
  /** Their excess (on the same rule as `scheduleExcess`). */
  excess: number;
  /**
   * The optimisation accuracy at the best start: half the Newton decrement g^T H^-1 g over
   * the excess, the quadratic model's estimate of (E - E_min)/E (Infinity: not converged).
   */
  gap: number;
  /** Starts run. */
  starts: number;
}

/** Minimises from one start; returns the steps, excess and relative Newton gap. */
function descend(rule: ScheduleRule, start: readonly number[]) {
  const alphas = Float64Array.from(start);
  for (let sweep = 0; sweep < 3; sweep++) coordinateSweep(rule, alphas);
  let gap = Infinity;
  for (let iteration = 0; iteration < 200; iteration++) {
    const decrement = newtonStep(rule, alphas);
    if (decrement === null) {
      coordinateSweep(rule, alphas);
      continue;
    }
    gap = decrement / (2 * excessOn(rule, alphas));
    if (gap <= 4 * U) break;
  }
  const final = objective(rule, alphas);
  try {
    const step = choleskySolve(final.hessian, final.gradient, alphas.length);
    gap = step.reduce((sum, d, t) => sum + d * final.gradient[t], 0) / (2 * final.value);
  } catch {
    gap = Infinity;
  }
  return { alphas: Array.from(alphas), excess: final.value, gap };
}

/**
 * The best schedule of `depth` steps found from `starts` (each `depth` steps), by coordinate
 * minimisation and Newton steps on the Gauss rule of `law` at that depth.
 *
 * @example The brute force at T = 2 reaches the optimal schedule
 * ```ts
 * import assert from "node:assert/strict";
 * import { bruteForceSchedule } from "./c12_brute_force.ts";
 * import { optimalSchedule, scheduleExcess } from "../theory/optimal_schedule.ts";
 * const law = { kind: "uniform", low: 0.5, high: 4 } as const;
 * const found = bruteForceSchedule(law, 2, [[0.6, 0.5], [0.25, 0.3]]);
 * const optimum = scheduleExcess(law, optimalSchedule(law, 2).alphas);
 * assert.ok(Math.abs(found.excess / optimum - 1) < 1e-12);
 * ```
 */
export function bruteForceSchedule(
  law: SpikeLaw,
  depth: number,
  starts: readonly (readonly number[])[],
): BruteForceSchedule {
  requirePositiveInteger("depth", depth);
  if (starts.length === 0) throw new RangeError("starts must hold at least one start, got 0");
  starts.forEach((start, k) => requireNumbers(`starts[${k}]`, start, depth));
  const rule = scheduleRule(law, depth);
  let best = descend(rule, starts[0]);
  for (const start of starts.slice(1)) {
    const run = descend(rule, start);
    if (run.excess < best.excess) best = run;
  }
  return { ...best, starts: starts.length };
}

/**
 * A bound on the float64 rounding error of `scheduleExcess(law, alphas)`, relative to the
 * excess, from a first-order analysis of its arithmetic on the Gauss rule: each factor 1 -
 * alpha_t lambda carries at most u |1 - alpha_t lambda| + 2u |alpha_t lambda| (lambda = 1 + s
 * and the product alpha lambda rounded), the product of T factors (T - 1) u more, the square,
 * weights and scaling at most 8 u, and the sum of N positive terms gamma_{N-1}. The nodes and
 * weights are the rule's: both sides of every comparison integrate with the same rule.
 *
 * @example The bound is a few hundred units of roundoff
 * ```ts
 * import assert from "node:assert/strict";
 * import { scheduleRoundingBound } from "./c12_brute_force.ts";
 * import { optimalSchedule } from "../theory/optimal_schedule.ts";
 * const law = { kind: "uniform", low: 0.5, high: 4 } as const;
 * const bound = scheduleRoundingBound(law, optimalSchedule(law, 4).alphas);
 * assert.ok(bound > 1e-14 && bound < 1e-12);
 * ```
 */
export function scheduleRoundingBound(law: SpikeLaw, alphas: readonly number[]): number {
  requireNumbers("alphas", alphas);
  const rule = scheduleRule(law, alphas.length);
  const depth = alphas.length;
  const factors = new Float64Array(depth);
  let value = 0, error = 0;
  for (let i = 0; i < rule.lambdas.length; i++) {
    const lambda = rule.lambdas[i], c = rule.weights[i];
    for (let t = 0; t < depth; t++) factors[t] = 1 - alphas[t] * lambda;
    const r = productWithout(factors, -1);
    // |d(r^2)| <= 2 |r| sum_t |dF_t| prod_{v != t} |F_v|, |dF_t| <= u|F_t| + 2u|alpha_t lambda|.
    let dr = 0;
    for (let t = 0; t < depth; t++) {
      dr += Math.abs(productWithout(factors, t)) * 2 * U * Math.abs(alphas[t] * lambda);
    }
    const term = c * r * r;
    value += term;
    error += 2 * c * Math.abs(r) * dr + term * (2 * depth + 8) * U;
  }
  const n = rule.lambdas.length;
  const gamma = (n - 1) * U / (1 - (n - 1) * U);
  return value > 0 ? error / value + gamma : 0;
}
