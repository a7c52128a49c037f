/**
 * Population quantities (L -> infinity), exact up to quadrature error by
 * Gauss-Jacobi rules over the spike law (`quadrature.ts`).
 *
 * Along the spike, LCA(alpha, beta, T) predicts c_T(s) x_q^T m with
 * c_T(s) = alpha sum_{k<T} (1 + beta (1 + s))^k, while Bayes predicts x_q^T m / (1 + s), so
 *   E_T(alpha, beta) = E_s[(c_T(s) - 1/(1+s))^2 s (1+s)]
 * and for beta = -alpha, E_T = E_s[(1 - alpha (1+s))^{2T} s / (1+s)].
 *
 * @module
 */

import {
  requireFinite as requireFiniteNumber,
  requireKnownKeys,
  requireNonNegative,
  requirePositiveInteger,
} from "../validation/errors.ts";
import { lawSupport, type SpikeLaw, validateSpikeLaw } from "../model/law.ts";
import type { DeepLsaParameters, LcaParameters } from "../model/models.ts";
import { validateLayerParameters } from "../model/models.ts";
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
}

function ruleFor(law: SpikeLaw, depth: number, options: QuadratureOptions = {}): QuadratureRule {
  validateSpikeLaw(law);
  requireKnownKeys("options", options, ["nodes", "start"]);
  const nodes = options.nodes === undefined
    ? defaultNodeCount(depth)
    : requirePositiveInteger("nodes", options.nodes);
  return quadratureRule(law, nodes);
}

/**
 * alpha* = 2 / (2 + m_lo + m_hi): depends on the law only through its support.
 *
 * @example The minimax step for s ~ Uniform[0.5, 4]
 * ```ts
 * import { alphaStar } from "./population.ts";
 * console.log(alphaStar({ kind: "uniform", low: 0.5, high: 4 })); // 0.3076923076923077
 * ```
 */
export function alphaStar(law: SpikeLaw): number {
  const { low, high } = lawSupport(validateSpikeLaw(law));
  return minimaxStep(low, high);
}

/**
 * rho* = (m_hi - m_lo) / (2 + m_lo + m_hi), the contraction rate at alpha*.
 *
 * @example The contraction rate at alpha*
 * ```ts
 * import { rhoStar } from "./population.ts";
 * console.log(rhoStar({ kind: "uniform", low: 0.5, high: 4 })); // 0.5384615384615384
 * ```
 */
export function rhoStar(law: SpikeLaw): number {
  const { low, high } = lawSupport(validateSpikeLaw(law));
  return minimaxRate(low, high);
}

/**
 * rho(alpha) = max over the support of |1 - alpha (1 + s)|.
 *
 * @example rho(alpha) is smallest at alpha*
 * ```ts
 * import { contractionRate, rhoStar } from "./population.ts";
 * const law = { kind: "uniform", low: 0.5, high: 4 } as const;
 * console.log(contractionRate(law, 0.25) > rhoStar(law)); // true
 * ```
 */
export function contractionRate(law: SpikeLaw, alpha: number): number {
  requireFiniteNumber("alpha", alpha);
  const { low, high } = lawSupport(validateSpikeLaw(law));
  return Math.max(Math.abs(1 - alpha * (1 + low)), Math.abs(1 - alpha * (1 + high)));
}

/**
 * R_Bayes = sigma^2 + E[1 / (1 + s)].
 *
 * @example R_Bayes = sigma^2 + E[1/(1+s)]
 * ```ts
 * import { bayesRisk } from "./population.ts";
 * console.log(bayesRisk({ kind: "uniform", low: 0.5, high: 4 }, 0.1)); // 0.35399...
 * ```
 */
export function bayesRisk(law: SpikeLaw, sigma: number, options: QuadratureOptions = {}): number {
  requireNonNegative("sigma", sigma);
  const rule = ruleFor(law, 1, options);
  return sigma * sigma + LOADING2 * expectation(rule, (s) => 1 / (1 + s));
}

/**
 * gamma* = E[s] / E[s (1 + s)], the optimal isotropic reduced-LSA weight.
 *
 * @example The optimal isotropic LSA weight
 * ```ts
 * import { gammaStar } from "./population.ts";
 * console.log(gammaStar({ kind: "uniform", low: 0.5, high: 4 })); // 0.27
 * ```
 */
export function gammaStar(law: SpikeLaw, options: QuadratureOptions = {}): number {
  const rule = ruleFor(law, 1, options);
  const m2 = expectation(rule, (s) => s * (1 + s));
  // s = 0 almost surely (point:0): every gamma is optimal; report 0.
  return m2 > 0 ? expectation(rule, (s) => s) / m2 : 0;
}

/**
 * The LSA gap R_LSA* - R_Bayes = E[s/(1+s)] - E[s]^2 / E[s(1+s)] (0 for a point mass).
 *
 * @example Theorem 4.1's gap, zero for a point mass
 * ```ts
 * import { lsaGap } from "./population.ts";
 * console.log(lsaGap({ kind: "uniform", low: 0.5, high: 4 })); // 0.04851
 * console.log(lsaGap({ kind: "point", value: 2 })); // 0 (up to rounding)
 * ```
 */
export function lsaGap(law: SpikeLaw, options: QuadratureOptions = {}): number {
  const rule = ruleFor(law, 1, options);
  const m1 = expectation(rule, (s) => s);
  const m2 = expectation(rule, (s) => s * (1 + s));
  // m1 (m1 / m2), not m1^2 / m2: m1^2 underflows for tiny s (a point mass at 1e-300 gave a gap
  // of 1e-300 instead of 0).
  const gap = expectation(rule, (s) => s / (1 + s)) - (m2 > 0 ? m1 * (m1 / m2) : 0);
  return LOADING2 * Math.max(gap, 0);
}

/**
 * E[s / (1 + s)], the excess risk of the zero predictor over Bayes.
 *
 * @example E[s/(1+s)]
 * ```ts
 * import { zeroPredictorExcess } from "./population.ts";
 * console.log(zeroPredictorExcess({ kind: "point", value: 1 })); // 0.5
 * ```
 */
export function zeroPredictorExcess(law: SpikeLaw, options: QuadratureOptions = {}): number {
  return LOADING2 * expectation(ruleFor(law, 1, options), (s) => s / (1 + s));
}

/**
 * The bound rho*^{2T} E[s/(1+s)] on E_T(alpha*) (C3).
 *
 * @example The bound on E_T(alpha*)
 * ```ts
 * import { geometricBound, lcaExcess } from "./population.ts";
 * const law = { kind: "uniform", low: 0.5, high: 4 } as const;
 * const excess = lcaExcess(law, { alpha: 2 / 6.5, beta: -2 / 6.5, depth: 10 });
 * console.log(excess <= geometricBound(law, 10)); // true
 * ```
 */
export function geometricBound(
  law: SpikeLaw,
  depth: number,
  options: QuadratureOptions = {},
): number {
  requirePositiveInteger("depth", depth);
  requireKnownKeys("options", options, ["nodes"]);
  return rhoStar(law) ** (2 * depth) * zeroPredictorExcess(law, options);
}

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
 * import { lcaExcess } from "./population.ts";
 * console.log(lcaExcess({ kind: "uniform", low: 0.5, high: 4 }, { alpha: 0.3, beta: -0.3, depth: 10 }));
 * ```
 */
export function lcaExcess(
  law: SpikeLaw,
  params: LcaParameters,
  options: QuadratureOptions = {},
): number {
  return lcaExcessWithDerivatives(law, params, options).value;
}

/**
 * The residual c_T(s) - 1/(1+s) without cancellation. With u = 1 + beta(1+s) and
 * beta != 0, sum_{k<T} u^k = (1 - u^T)/(1 - u) and 1 - u = -beta(1+s), so
 * c_T - 1/(1+s) = ((alpha + beta)/(-beta) - (alpha/(-beta)) u^T) / (1+s):
 * accurate even when the excess is 1e-40 (one-parameter: -u^T/(1+s)).
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
 * import { lcaExcessWithDerivatives } from "./population.ts";
 * const law = { kind: "uniform", low: 0.5, high: 4 } as const;
 * const e = lcaExcessWithDerivatives(law, { alpha: 0.3, beta: -0.3, depth: 10 });
 * console.log(e.value, e.gradient, e.hessian);
 * ```
 */
export function lcaExcessWithDerivatives(
  law: SpikeLaw,
  params: LcaParameters,
  options: QuadratureOptions = {},
): ExcessWithDerivatives {
  validateLayerParameters(params);
  const { alpha, beta, depth } = params;
  const rule = ruleFor(law, depth, options);
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
 * The one-parameter excess E_T(alpha, -alpha) = E[r^{2T} s/(1+s)], r = 1 - alpha(1+s),
 * and its first and second derivatives in alpha (-2T E[r^{2T-1} s] and
 * 2T(2T-1) E[r^{2T-2} s(1+s)]), all divided by exp(logScale) with
 * logScale = max_i (2T - 2) log|r_i| over the nodes, so that they stay representable
 * when E_T is far below 1e-300 (true value = scaled value * exp(logScale)).
 */
export function oneParameterExcessScaled(
  law: SpikeLaw,
  alpha: number,
  depth: number,
  options: QuadratureOptions = {},
): { value: number; derivative: number; second: number; logScale: number } {
  validateSpikeLaw(law);
  requireFiniteNumber("alpha", alpha);
  requirePositiveInteger("depth", depth);
  const rule = ruleFor(law, depth, options);
  let logScale = -Infinity;
  for (let i = 0; i < rule.nodes.length; i++) {
    const r = Math.abs(1 - alpha * (1 + rule.nodes[i]));
    if (r > 0) logScale = Math.max(logScale, (2 * depth - 2) * Math.log(r));
  }
  if (!Number.isFinite(logScale)) logScale = 0;
  let value = 0, derivative = 0, second = 0;
  for (let i = 0; i < rule.nodes.length; i++) {
    const s = rule.nodes[i];
    const r = 1 - alpha * (1 + s);
    const rp = depth === 1
      ? 1
      : r === 0
      ? 0
      : Math.exp((2 * depth - 2) * Math.log(Math.abs(r)) - logScale);
    value += rule.weights[i] * rp * r * r * s / (1 + s);
    derivative += rule.weights[i] * -2 * depth * rp * r * s;
    second += rule.weights[i] * 2 * depth * (2 * depth - 1) * rp * s * (1 + s);
  }
  return {
    value: LOADING2 * value,
    derivative: LOADING2 * derivative,
    second: LOADING2 * second,
    logScale: depth === 1 ? 0 : logScale,
  };
}

/**
 * The one-parameter excess E_T(alpha, -alpha) with its first and second
 * derivatives in alpha, in closed form (accurate when the excess is far below
 * 1e-16; values below 1e-308 underflow to 0, see {@linkcode oneParameterExcessScaled}).
 *
 * @example E_T(alpha, -alpha) and its derivatives in alpha
 * ```ts
 * import { oneParameterExcess } from "./population.ts";
 * console.log(oneParameterExcess({ kind: "uniform", low: 0.5, high: 4 }, 0.3, 10));
 * ```
 */
export function oneParameterExcess(
  law: SpikeLaw,
  alpha: number,
  depth: number,
  options: QuadratureOptions = {},
): { value: number; derivative: number; second: number } {
  const r = oneParameterExcessScaled(law, alpha, depth, options);
  const scale = Math.exp(r.logScale);
  return { value: r.value * scale, derivative: r.derivative * scale, second: r.second * scale };
}

/**
 * The one-parameter population minimiser alpha_T = argmin_alpha E_T(alpha, -alpha).
 * E_T is convex in alpha (an even power of an affine function, averaged), so a
 * safeguarded Newton iteration on its derivative over [0, 2/(1+m_lo)] finds it to
 * machine precision.
 *
 * @example alpha_T approaches alpha* from below
 * ```ts
 * import { optimalDepthStep } from "./population.ts";
 * const law = { kind: "uniform", low: 0.5, high: 4 } as const;
 * console.log(optimalDepthStep(law, 1), optimalDepthStep(law, 10)); // 0.27 0.30003
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

/**
 * The loss-minimising alpha for a fixed beta (closed form, since c_T is linear in
 * alpha): alpha*(beta) = E[g (1/(1+s)) w] / E[g^2 w], g = sum_{k<T} (1 + beta(1+s))^k,
 * w = s (1 + s). This is the two-parameter initialisation rule alpha_0 = alpha*(beta_0).
 *
 * @example The two-parameter initialisation alpha_0 = alpha*(beta_0)
 * ```ts
 * import { bestAlphaForBeta } from "./population.ts";
 * console.log(bestAlphaForBeta({ kind: "uniform", low: 0.5, high: 4 }, -0.2, 10));
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
  const rule = ruleFor(law, depth, options);
  let num = 0, den = 0;
  for (let i = 0; i < rule.nodes.length; i++) {
    const s = rule.nodes[i];
    const g = lcaCoefficient(1, beta, depth, s).c;
    const w = rule.weights[i] * s * (1 + s);
    num += w * g / (1 + s);
    den += w * g * g;
  }
  return den > 0 ? num / den : 0;
}

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
 * import { twoParameterOptimum } from "./population.ts";
 * const { alpha, beta } = twoParameterOptimum({ kind: "uniform", low: 0.5, high: 4 }, 10);
 * console.log(alpha, beta); // 0.30065 -0.30061
 * ```
 */
export function twoParameterOptimum(
  law: SpikeLaw,
  depth: number,
  options: TwoParameterOptions = {},
): TwoParameterOptimum {
  requirePositiveInteger("depth", depth);
  const rule = ruleFor(law, depth, options);
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
  const result = (stop: TwoParameterOptimum["stop"]): TwoParameterOptimum => ({
    alpha,
    beta: delta - alpha,
    excess: LOADING2 * current.value,
    iterations,
    stop,
  });
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

/** Deep-LSA coefficient along the spike: y_hat = c(s) x_q^T mu with lambda_0 = 1 + s. */
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
 * import { deepLsaExcess } from "./population.ts";
 * console.log(deepLsaExcess({ kind: "uniform", low: 0.5, high: 4 }, { alpha: 0.27, beta: 0, depth: 1 })); // the LSA gap at gamma*
 * ```
 */
export function deepLsaExcess(
  law: SpikeLaw,
  params: DeepLsaParameters,
  options: QuadratureOptions = {},
): number {
  validateLayerParameters(params);
  const rule = ruleFor(law, params.depth, options);
  return LOADING2 * expectation(rule, (s) => {
    const r = deepLsaCoefficient(params, 1 + s) - 1 / (1 + s);
    return r * r * s * (1 + s);
  });
}

/** The summary printed by the `population` command (these exact JSON keys). */
export interface PopulationSummary {
  /** alpha* = 2 / (2 + m_lo + m_hi), the minimax step. */
  alphaStar: number;
  /** rho* = (m_hi - m_lo) / (2 + m_lo + m_hi), the contraction rate at alpha*. */
  rhoStar: number;
  /** R_Bayes = sigma^2 + E[1 / (1 + s)]. */
  bayesRisk: number;
  /** gamma* = E[s] / E[s (1 + s)], the optimal isotropic reduced-LSA weight. */
  gammaStar: number;
  /** R_LSA* - R_Bayes = E[s/(1+s)] - E[s]^2 / E[s(1+s)] (0 for a point mass). */
  lsaGap: number;
  /** alpha_T, the minimiser of the one-parameter E_T(alpha, -alpha) at depth T. */
  alphaT: number;
  /** E_T(alpha_T, -alpha_T). */
  excessAtAlphaT: number;
  /** E_T(alpha*, -alpha*). */
  excessAtAlphaStar: number;
  /** The two-parameter optimum (alpha, beta) of E_T. */
  twoParam: { alpha: number; beta: number };
  /** rho*^{2T} E[s/(1+s)], the bound on excessAtAlphaStar. */
  geometricBound: number;
  /** E_T at the two-parameter optimum. */
  twoParamExcess: number;
}

/**
 * Every population quantity for a law, noise level and depth.
 *
 * @example
 * ```ts
 * import { populationSummary } from "./population.ts";
 * const p = populationSummary({ kind: "uniform", low: 0.5, high: 4 }, 0.1, 10);
 * p.alphaStar; // 0.3076923...
 * ```
 */
export function populationSummary(
  law: SpikeLaw,
  sigma: number,
  depth: number,
  options: QuadratureOptions = {},
): PopulationSummary {
  requireNonNegative("sigma", sigma);
  requirePositiveInteger("depth", depth);
  const aStar = alphaStar(law);
  const alphaT = optimalDepthStep(law, depth, options);
  const two = twoParameterOptimum(law, depth, options);
  return {
    alphaStar: aStar,
    rhoStar: rhoStar(law),
    bayesRisk: bayesRisk(law, sigma, options),
    gammaStar: gammaStar(law, options),
    lsaGap: lsaGap(law, options),
    alphaT,
    excessAtAlphaT: lcaExcess(law, { alpha: alphaT, beta: -alphaT, depth }, options),
    excessAtAlphaStar: lcaExcess(law, { alpha: aStar, beta: -aStar, depth }, options),
    twoParam: { alpha: two.alpha, beta: two.beta },
    geometricBound: geometricBound(law, depth, options),
    twoParamExcess: two.excess,
  };
}
