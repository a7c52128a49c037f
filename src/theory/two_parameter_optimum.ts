/**
 * The two-parameter population optimum argmin_{alpha, beta} E_T(alpha, beta) of LCA, by
 * damped Newton in the valley coordinates (alpha, delta = alpha + beta), where E_T, its
 * gradient and its Hessian are free of the cancellation that the (alpha, beta) gradient
 * suffers along the valley alpha = -beta.
 *
 * @module
 */

import {
  requireFinite as requireFiniteNumber,
  requirePositiveInteger,
} from "../validation/errors.ts";
import type { SpikeLaw } from "../model/law.ts";
import { RESPONSE_LOADING } from "../model/reconstructed.ts";
import type { QuadratureRule } from "./quadrature.ts";
import { requireFiniteResult } from "../validation/finite_result.ts";
import { lawArgument, populationRule, type QuadratureOptions } from "./population.ts";
import { optimalDepthStep } from "./optimal_depth_step.ts";

const LOADING2 = RESPONSE_LOADING * RESPONSE_LOADING;

/** Options of {@linkcode twoParameterOptimum}. */
export interface TwoParameterOptions extends QuadratureOptions {
  /** Starting point (default: the one-parameter optimum (alpha_T, -alpha_T)). */
  start?: { alpha: number; beta: number };
}

/** The result of {@linkcode twoParameterOptimum}. */
export interface TwoParameterOptimum {
  /** The optimal alpha. */
  alpha: number;
  /** The optimal beta. */
  beta: number;
  /** The population excess E_T(alpha, beta) there. */
  excess: number;
  /** Damped-Newton iterations taken (accepted steps). */
  iterations: number;
  /**
   * Why the iteration stopped: `"step"` (an accepted step below 1e-15 |alpha|),
   * `"no-descent"` (60 dampings found no step that lowers E_T or, at equal E_T to
   * 1e-12, its scaled gradient: the minimum to rounding), `"zero"` (E_T = 0 exactly),
   * `"degenerate"` (a Hessian diagonal that is not positive, e.g. T = 1, where beta
   * does not enter) or `"iterations"` (2000 steps).
   */
  stop: "step" | "no-descent" | "zero" | "degenerate" | "iterations";
}

/**
 * E_T in the coordinates (alpha, delta = alpha + beta) with its gradient and exact
 * Hessian. With x = 1 + s, B = -beta = alpha - delta, u = 1 - B x, P = delta/B,
 * Q = alpha/B, V = T x u^{T-1} and W = T(T-1) x^2 u^{T-2}, the residual is
 * R = (P - Q u^T)/x and, with A = -delta/B^2 = dP/d alpha = dQ/d alpha and
 * D = alpha/B^2 = dP/d delta = dQ/d delta,
 *   x dR/d alpha = A (1 - u^T) + Q V,       x dR/d delta = D (1 - u^T) - Q V,
 *   x d2R/d alpha2 = (2 delta/B^3)(1 - u^T) + 2 A V - Q W,
 *   x d2R/d alpha d delta = -((B + 2 delta)/B^3)(1 - u^T) + (D - A) V + Q W,
 *   x d2R/d delta2 = (2 alpha/B^3)(1 - u^T) - 2 D V - Q W,
 * all free of cancellation on the valley delta ~ 0, where the (alpha, beta)
 * gradient loses its component along alpha = -beta to rounding.
 *
 * @example At delta = 0 (beta = -alpha) the value is E_T(alpha, -alpha)
 * ```ts
 * import assert from "node:assert/strict";
 * import { excessInValleyCoordinates } from "./two_parameter_optimum.ts";
 * import { lcaExcess } from "./lca_excess.ts";
 * import { quadratureRule } from "./quadrature.ts";
 * const law = { kind: "uniform", low: 0.5, high: 4 } as const;
 * const v = excessInValleyCoordinates(quadratureRule(law, 64), 0.3, 0, 10);
 * const excess = lcaExcess(law, { alpha: 0.3, beta: -0.3, depth: 10 }, { nodes: 64 });
 * assert.ok(Math.abs(v.value - excess) <= 1e-9 * excess);
 * ```
 */
export function excessInValleyCoordinates(
  rule: QuadratureRule,
  alpha: number,
  delta: number,
  depth: number,
): { value: number; gradient: [number, number]; hessian: [number, number, number] } {
  const b = alpha - delta;
  let value = 0, ga = 0, gd = 0, h11 = 0, h12 = 0, h22 = 0;
  for (let i = 0; i < rule.nodes.length; i++) {
    const s = rule.nodes[i];
    const x = 1 + s;
    const w = rule.weights[i] * s * x;
    let r: number, ra: number, rd: number, raa: number, rad: number, rdd: number;
    if (b === 0) {
      // beta = 0: c_T = alpha T, with dc/d beta = alpha T(T-1) x/2 (first order only).
      r = alpha * depth - 1 / x;
      rd = alpha * depth * (depth - 1) * x / 2;
      ra = depth - rd;
      raa = rad = rdd = 0;
    } else {
      const u = 1 - b * x;
      const uT2 = depth <= 1 ? 0 : depth === 2 ? 1 : u ** (depth - 2);
      const uT1 = depth === 1 ? 1 : uT2 * u;
      const uT = uT1 * u;
      const p = delta / b, q = alpha / b;
      const a = -delta / (b * b), dd = alpha / (b * b);
      const v = depth * x * uT1, ww = depth * (depth - 1) * x * x * uT2;
      const one = 1 - uT;
      r = (p - q * uT) / x;
      ra = (a * one + q * v) / x;
      rd = (dd * one - q * v) / x;
      raa = ((2 * delta / (b * b * b)) * one + 2 * a * v - q * ww) / x;
      rad = (-((b + 2 * delta) / (b * b * b)) * one + (dd - a) * v + q * ww) / x;
      rdd = ((2 * alpha / (b * b * b)) * one - 2 * dd * v - q * ww) / x;
    }
    value += w * r * r;
    ga += 2 * w * r * ra;
    gd += 2 * w * r * rd;
    h11 += 2 * w * (ra * ra + r * raa);
    h12 += 2 * w * (ra * rd + r * rad);
    h22 += 2 * w * (rd * rd + r * rdd);
  }
  return { value, gradient: [ga, gd], hessian: [h11, h12, h22] };
}

/**
 * The two-parameter optimum argmin_{alpha, beta} E_T(alpha, beta), by damped
 * Newton (Levenberg-Marquardt on the exact Hessian) iterations in the valley
 * coordinates (alpha, alpha + beta), from the one-parameter optimum
 * (alpha_T, -alpha_T) unless `start` is given. Second order because the valley
 * along alpha = -beta has condition numbers up to 1e20 at moderate T.
 *
 * @example The two-parameter optimum at T = 10
 * ```ts
 * import assert from "node:assert/strict";
 * import { twoParameterOptimum } from "./two_parameter_optimum.ts";
 * const { alpha, beta } = twoParameterOptimum({ kind: "uniform", low: 0.5, high: 4 }, 10);
 * assert.ok(Math.abs(alpha - 0.30065) < 5e-6 && Math.abs(beta + 0.30061) < 5e-6); // to 5 digits
 * assert.ok(alpha + beta > 0); // just off the one-parameter line beta = -alpha
 * ```
 */
export function twoParameterOptimum(
  law: SpikeLaw,
  depth: number,
  options: TwoParameterOptions = {},
): TwoParameterOptimum {
  requirePositiveInteger("depth", depth);
  const rule = populationRule(law, depth, options);
  let alpha: number, delta: number;
  if (options.start) {
    alpha = requireFiniteNumber("start.alpha", options.start.alpha);
    delta = alpha + requireFiniteNumber("start.beta", options.start.beta);
  } else {
    alpha = optimalDepthStep(law, depth, options);
    delta = 0;
  }
  let current = excessInValleyCoordinates(rule, alpha, delta, depth);
  let damping = 0;
  let iterations = 0;
  const result = (stop: TwoParameterOptimum["stop"]): TwoParameterOptimum => {
    const found = { alpha, beta: delta - alpha, excess: LOADING2 * current.value };
    requireFiniteResult([found.alpha, found.beta, found.excess], "the two-parameter optimum", {
      depth,
      ...(options.start
        ? { "start.alpha": options.start.alpha, "start.beta": options.start.beta }
        : {}),
      ...lawArgument(law),
    });
    return { ...found, iterations, stop };
  };
  for (; iterations < 2000; iterations++) {
    if (!(current.value > 0)) return result("zero");
    // Jacobi scaling: with s_i = sqrt(|H_ii|) the scaled Hessian has unit diagonal
    // magnitudes, so the damping is relative in each direction (the curvature along
    // alpha can be 1e-60 of that along delta) and nothing underflows.
    const s1 = Math.sqrt(Math.abs(current.hessian[0])),
      s2 = Math.sqrt(Math.abs(current.hessian[2]));
    if (!(s1 > 0 && s2 > 0)) return result("degenerate");
    const ga = current.gradient[0] / s1, gd = current.gradient[1] / s2;
    const h11 = current.hessian[0] / (s1 * s1);
    const h12 = current.hessian[1] / (s1 * s2);
    const h22 = current.hessian[2] / (s2 * s2);
    let accepted = false;
    for (let attempt = 0; attempt < 60; attempt++) {
      const a11 = h11 + damping;
      const a22 = h22 + damping;
      const det = a11 * a22 - h12 * h12;
      if (!(det > 0 && a11 > 0)) {
        damping = Math.max(1e-9, damping * 10);
        continue;
      }
      const stepA = (a22 * ga - h12 * gd) / det / s1;
      const stepD = (a11 * gd - h12 * ga) / det / s2;
      const trial = excessInValleyCoordinates(rule, alpha - stepA, delta - stepD, depth);
      const better = trial.value < current.value ||
        (trial.value <= current.value * (1 + 1e-12) &&
          Math.hypot(trial.gradient[0] / s1, trial.gradient[1] / s2) < Math.hypot(ga, gd));
      if (better) {
        alpha -= stepA;
        delta -= stepD;
        current = trial;
        damping = damping < 1e-12 ? 0 : damping / 10;
        accepted = true;
        if (Math.abs(stepA) + Math.abs(stepD) <= 1e-15 * Math.abs(alpha)) {
          iterations++;
          return result("step");
        }
        break;
      }
      damping = Math.max(1e-9, damping * 10);
    }
    if (!accepted) return result("no-descent");
  }
  return result("iterations");
}
