/**
 * The population excess of LCA over Bayes (L -> infinity). Along the spike LCA(alpha, beta, T)
 * predicts c_T(s) x_q^T m with c_T(s) = alpha sum_{k<T} (1 + beta (1 + s))^k, so
 *   E_T(alpha, beta) = E_s[(c_T(s) - 1/(1+s))^2 s (1+s)],
 * here with its exact gradient and Hessian, the cancellation-free residual
 * c_T(s) - 1/(1+s), and the best alpha for a fixed beta (c_T is linear in alpha).
 *
 * @module
 */

import {
  requireFinite as requireFiniteNumber,
  requirePositiveInteger,
} from "../validation/errors.ts";
import type { SpikeLaw } from "../model/law.ts";
import type { LcaParameters } from "../model/models.ts";
import { validateLayerParameters } from "../model/models.ts";
import { RESPONSE_LOADING } from "../model/reconstructed.ts";
import { requireFiniteResult } from "../validation/finite_result.ts";
import { lawArgument, populationRule, type QuadratureOptions } from "./population.ts";

const LOADING2 = RESPONSE_LOADING * RESPONSE_LOADING;

/**
 * Below this |1 - u| the closed forms of sum_{k<T} u^k and its derivatives lose digits to
 * cancellation (errors grow like eps / |1 - u|^3), so the O(T) sums are used instead.
 */
const CLOSED_FORM_MIN_GAP = 0.05;

/**
 * G(u) = sum_{k<T} u^k and its derivatives in u. With v = 1 - u != 0 they have closed
 * forms, O(1) whatever T: G = (1 - u^T)/v, G' = (G - T u^(T-1))/v and
 * G'' = (2 G' - T(T-1) u^(T-2))/v; near u = 1 the sums are taken term by term.
 */
function geometricSums(u: number, depth: number): { g: number; g1: number; g2: number } {
  const v = 1 - u;
  if (Math.abs(v) >= CLOSED_FORM_MIN_GAP) {
    const p2 = depth >= 2 ? Math.pow(u, depth - 2) : 0;
    const p1 = depth >= 2 ? p2 * u : 1;
    const p = p1 * u;
    const g = (1 - p) / v;
    const g1 = (g - depth * p1) / v;
    const g2 = (2 * g1 - depth * (depth - 1) * p2) / v;
    return { g, g1, g2 };
  }
  let g = 0, g1 = 0, g2 = 0, power = 1, powerM1 = 0, powerM2 = 0;
  for (let k = 0; k < depth; k++) {
    g += power;
    g1 += k * powerM1;
    g2 += k * (k - 1) * powerM2;
    powerM2 = powerM1;
    powerM1 = power;
    power *= u;
  }
  return { g, g1, g2 };
}

/** c_T(s) and its first and second derivatives in (alpha, beta). */
function lcaCoefficient(alpha: number, beta: number, depth: number, s: number) {
  const { g, g1, g2 } = geometricSums(1 + beta * (1 + s), depth);
  const a = 1 + s;
  return {
    c: alpha * g,
    cAlpha: g,
    cBeta: alpha * g1 * a,
    cAlphaBeta: g1 * a,
    cBetaBeta: alpha * g2 * a * a,
  };
}

/** Population excess risk over Bayes, with gradient and Hessian in (alpha, beta). */
export interface ExcessWithDerivatives {
  /** E_T(alpha, beta). */
  value: number;
  /** (dE_T/d alpha, dE_T/d beta). */
  gradient: [number, number];
  /** Second derivatives, rows and columns ordered (alpha, beta). */
  hessian: [[number, number], [number, number]];
}

/**
 * E_T(alpha, beta) of LCA.
 *
 * @example E_T at the two-parameter point
 * ```ts
 * import assert from "node:assert/strict";
 * import { lcaExcess } from "./lca_excess.ts";
 * const law = { kind: "uniform", low: 0.5, high: 4 } as const;
 * const excess = lcaExcess(law, { alpha: 0.3, beta: -0.3, depth: 10 });
 * assert.ok(Math.abs(excess - 7.5955e-8) < 5e-13); // 7.5955e-8 to the digits shown
 * ```
 */
export function lcaExcess(
  law: SpikeLaw,
  params: LcaParameters,
  options: QuadratureOptions = {},
): number {
  const { value } = lcaExcessTerms(law, params, options);
  return requireFiniteResult(value, "the excess E_T", lcaArguments(law, params));
}

/** The arguments of an LCA excess, for an error message. */
function lcaArguments(law: SpikeLaw, params: LcaParameters): Record<string, unknown> {
  return { alpha: params.alpha, beta: params.beta, depth: params.depth, ...lawArgument(law) };
}

/**
 * The residual c_T(s) - 1/(1+s) without cancellation. With u = 1 + beta(1+s) and
 * beta != 0, sum_{k<T} u^k = (1 - u^T)/(1 - u) and 1 - u = -beta(1+s), so
 * c_T - 1/(1+s) = ((alpha + beta)/(-beta) - (alpha/(-beta)) u^T) / (1+s):
 * accurate even when the excess is 1e-40 (one-parameter: -u^T/(1+s)).
 *
 * @example On the line beta = -alpha the residual is -u^T/(1+s), u = 1 - alpha(1+s)
 * ```ts
 * import assert from "node:assert/strict";
 * import { lcaResidual } from "./lca_excess.ts";
 * const residual = lcaResidual(0.3, -0.3, 10, 1); // u = 0.4
 * assert.ok(Math.abs(residual + 0.4 ** 10 / 2) <= 1e-15);
 * ```
 */
export function lcaResidual(alpha: number, beta: number, depth: number, s: number): number {
  const u = 1 + beta * (1 + s);
  if (beta !== 0 && Math.abs(1 - u) >= CLOSED_FORM_MIN_GAP) {
    // Far from u = 1 the closed form is the accurate one (and O(1) in T).
    return ((alpha + beta) / -beta - (alpha / -beta) * Math.pow(u, depth)) / (1 + s);
  }
  let sum = 0, absoluteSum = 0, power = 1;
  for (let k = 0; k < depth; k++) {
    sum += power;
    absoluteSum += Math.abs(power);
    power *= u;
  }
  const direct = alpha * sum - 1 / (1 + s);
  if (beta === 0) return direct;
  // Rounding error of each form (up to a common factor eps): the direct sum errs
  // by ~ T |alpha| sum |u|^k + 1/(1+s); the closed form by ~ (|alpha/beta| (1 + |u|^T)
  // + |(alpha + beta)/beta|)/(1+s). Use the more accurate one.
  const directError = depth * Math.abs(alpha) * absoluteSum + 1 / (1 + s);
  const closedError =
    (Math.abs(alpha / beta) * (1 + Math.abs(power)) + Math.abs((alpha + beta) / beta)) / (1 + s);
  return closedError < directError
    ? ((alpha + beta) / -beta - (alpha / -beta) * power) / (1 + s)
    : direct;
}

/**
 * E_T(alpha, beta) with its exact gradient and Hessian (quadrature of the
 * analytic derivatives of c_T, with the cancellation-free residual).
 *
 * @example Value, gradient and Hessian
 * ```ts
 * import assert from "node:assert/strict";
 * import { lcaExcess, lcaExcessWithDerivatives } from "./lca_excess.ts";
 * const law = { kind: "uniform", low: 0.5, high: 4 } as const;
 * const at = (alpha: number) => lcaExcess(law, { alpha, beta: -0.3, depth: 10 });
 * const e = lcaExcessWithDerivatives(law, { alpha: 0.3, beta: -0.3, depth: 10 });
 * assert.ok(Math.abs(e.value - at(0.3)) <= 1e-12 * at(0.3));
 * assert.equal(e.hessian[0][1], e.hessian[1][0]);
 * // E_T is quadratic in alpha, so a central difference is exact up to rounding.
 * const h = 1e-4;
 * const difference = (at(0.3 + h) - at(0.3 - h)) / (2 * h);
 * assert.ok(Math.abs(difference - e.gradient[0]) < 1e-9 * Math.abs(e.gradient[0]));
 * ```
 */
export function lcaExcessWithDerivatives(
  law: SpikeLaw,
  params: LcaParameters,
  options: QuadratureOptions = {},
): ExcessWithDerivatives {
  const e = lcaExcessTerms(law, params, options);
  requireFiniteResult(
    [e.value, ...e.gradient, ...e.hessian[0], ...e.hessian[1]],
    "E_T or its derivatives",
    lcaArguments(law, params),
  );
  return e;
}

/**
 * {@linkcode lcaExcessWithDerivatives} without the finiteness check (internal): the
 * objective of optimisers, which back off from an overflow (Infinity) rather than stop.
 */
export function lcaExcessTerms(
  law: SpikeLaw,
  params: LcaParameters,
  options: QuadratureOptions = {},
): ExcessWithDerivatives {
  validateLayerParameters(params);
  const { alpha, beta, depth } = params;
  const rule = populationRule(law, depth, options);
  let value = 0, ga = 0, gb = 0, haa = 0, hab = 0, hbb = 0;
  for (let i = 0; i < rule.nodes.length; i++) {
    const s = rule.nodes[i];
    const w = rule.weights[i] * s * (1 + s);
    const k = lcaCoefficient(alpha, beta, depth, s);
    const residual = lcaResidual(alpha, beta, depth, s);
    value += w * residual * residual;
    ga += 2 * w * residual * k.cAlpha;
    gb += 2 * w * residual * k.cBeta;
    haa += 2 * w * k.cAlpha * k.cAlpha;
    hab += 2 * w * (k.cAlpha * k.cBeta + residual * k.cAlphaBeta);
    hbb += 2 * w * (k.cBeta * k.cBeta + residual * k.cBetaBeta);
  }
  return {
    value: LOADING2 * value,
    gradient: [LOADING2 * ga, LOADING2 * gb],
    hessian: [[LOADING2 * haa, LOADING2 * hab], [LOADING2 * hab, LOADING2 * hbb]],
  };
}

/**
 * The loss-minimising alpha for a fixed beta (closed form, since c_T is linear in
 * alpha): alpha*(beta) = E[g (1/(1+s)) w] / E[g^2 w], g = sum_{k<T} (1 + beta(1+s))^k,
 * w = s (1 + s). This is the two-parameter initialisation rule alpha_0 = alpha*(beta_0).
 *
 * @example The two-parameter initialisation alpha_0 = alpha*(beta_0)
 * ```ts
 * import assert from "node:assert/strict";
 * import { bestAlphaForBeta, lcaExcess } from "./lca_excess.ts";
 * const law = { kind: "uniform", low: 0.5, high: 4 } as const;
 * const alpha0 = bestAlphaForBeta(law, -0.2, 10); // about 0.2003
 * const at = (alpha: number) => lcaExcess(law, { alpha, beta: -0.2, depth: 10 });
 * assert.ok(at(alpha0) < at(1.01 * alpha0) && at(alpha0) < at(0.99 * alpha0));
 * ```
 */
export function bestAlphaForBeta(
  law: SpikeLaw,
  beta: number,
  depth: number,
  options: QuadratureOptions = {},
): number {
  requireFiniteNumber("beta", beta);
  requirePositiveInteger("depth", depth);
  const rule = populationRule(law, depth, options);
  let num = 0, den = 0;
  for (let i = 0; i < rule.nodes.length; i++) {
    const s = rule.nodes[i];
    const g = lcaCoefficient(1, beta, depth, s).c;
    const w = rule.weights[i] * s * (1 + s);
    num += w * g / (1 + s);
    den += w * g * g;
  }
  requireFiniteResult([num, den], "E[g^2 s (1+s)]", { beta, depth, ...lawArgument(law) });
  return den > 0 ? num / den : 0;
}
