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

import { requireFinite as requireFiniteNumber, requirePositiveInteger } from "./errors.ts";
import { lawSupport, type SpikeLaw, validateSpikeLaw } from "./law.ts";
import type { DeepLsaParameters, LcaParameters } from "./models.ts";
import { validateLayerParameters } from "./models.ts";
import {
  defaultNodeCount,
  expectation,
  type QuadratureRule,
  quadratureRule,
} from "./quadrature.ts";
import { minimaxRate, minimaxStep, RESPONSE_LOADING } from "./reconstructed.ts";

const LOADING2 = RESPONSE_LOADING * RESPONSE_LOADING;

/** Optional quadrature size for every population function (default `defaultNodeCount(depth)`). */
export interface QuadratureOptions {
  /** Number of Gauss nodes. */
  nodes?: number;
}

function ruleFor(law: SpikeLaw, depth: number, options: QuadratureOptions = {}): QuadratureRule {
  validateSpikeLaw(law);
  const nodes = options.nodes === undefined
    ? defaultNodeCount(depth)
    : requirePositiveInteger("nodes", options.nodes);
  return quadratureRule(law, nodes);
}

/** alpha* = 2 / (2 + m_lo + m_hi): depends on the law only through its support. */
export function alphaStar(law: SpikeLaw): number {
  const { low, high } = lawSupport(validateSpikeLaw(law));
  return minimaxStep(low, high);
}

/** rho* = (m_hi - m_lo) / (2 + m_lo + m_hi), the contraction rate at alpha*. */
export function rhoStar(law: SpikeLaw): number {
  const { low, high } = lawSupport(validateSpikeLaw(law));
  return minimaxRate(low, high);
}

/** rho(alpha) = max over the support of |1 - alpha (1 + s)|. */
export function contractionRate(law: SpikeLaw, alpha: number): number {
  const { low, high } = lawSupport(validateSpikeLaw(law));
  return Math.max(Math.abs(1 - alpha * (1 + low)), Math.abs(1 - alpha * (1 + high)));
}

/** R_Bayes = sigma^2 + E[1 / (1 + s)]. */
export function bayesRisk(law: SpikeLaw, sigma: number, options: QuadratureOptions = {}): number {
  const rule = ruleFor(law, 1, options);
  return sigma * sigma + LOADING2 * expectation(rule, (s) => 1 / (1 + s));
}

/** gamma* = E[s] / E[s (1 + s)], the optimal isotropic reduced-LSA weight. */
export function gammaStar(law: SpikeLaw, options: QuadratureOptions = {}): number {
  const rule = ruleFor(law, 1, options);
  const m2 = expectation(rule, (s) => s * (1 + s));
  // s = 0 almost surely (point:0): every gamma is optimal; report 0.
  return m2 > 0 ? expectation(rule, (s) => s) / m2 : 0;
}

/** The LSA gap R_LSA* - R_Bayes = E[s/(1+s)] - E[s]^2 / E[s(1+s)] (0 for a point mass). */
export function lsaGap(law: SpikeLaw, options: QuadratureOptions = {}): number {
  const rule = ruleFor(law, 1, options);
  const m1 = expectation(rule, (s) => s);
  const m2 = expectation(rule, (s) => s * (1 + s));
  const gap = expectation(rule, (s) => s / (1 + s)) - (m2 > 0 ? m1 * m1 / m2 : 0);
  return LOADING2 * Math.max(gap, 0);
}

/** E[s / (1 + s)], the excess risk of the zero predictor over Bayes. */
export function zeroPredictorExcess(law: SpikeLaw, options: QuadratureOptions = {}): number {
  return LOADING2 * expectation(ruleFor(law, 1, options), (s) => s / (1 + s));
}

/** The bound rho*^{2T} E[s/(1+s)] on E_T(alpha*) (C3). */
export function geometricBound(
  law: SpikeLaw,
  depth: number,
  options: QuadratureOptions = {},
): number {
  return rhoStar(law) ** (2 * depth) * zeroPredictorExcess(law, options);
}

/** c_T(s) and its first and second derivatives in (alpha, beta). */
function lcaCoefficient(alpha: number, beta: number, depth: number, s: number) {
  const u = 1 + beta * (1 + s);
  let g = 0, g1 = 0, g2 = 0, power = 1, powerM1 = 0, powerM2 = 0;
  for (let k = 0; k < depth; k++) {
    g += power;
    g1 += k * powerM1;
    g2 += k * (k - 1) * powerM2;
    powerM2 = powerM1;
    powerM1 = power;
    power *= u;
  }
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
  value: number;
  gradient: [number, number];
  hessian: [[number, number], [number, number]];
}

/** E_T(alpha, beta) of LCA. */
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
 * with its first and second derivatives in alpha, each in closed form
 * (-2T E[r^{2T-1} s] and 2T(2T-1) E[r^{2T-2} s (1+s)]) so that they stay
 * accurate when the excess is far below 1e-16.
 */
export function oneParameterExcess(
  law: SpikeLaw,
  alpha: number,
  depth: number,
  options: QuadratureOptions = {},
): { value: number; derivative: number; second: number } {
  requirePositiveInteger("depth", depth);
  const rule = ruleFor(law, depth, options);
  let value = 0, derivative = 0, second = 0;
  for (let i = 0; i < rule.nodes.length; i++) {
    const s = rule.nodes[i];
    const r = 1 - alpha * (1 + s);
    const rp = depth === 1 ? 1 : r ** (2 * depth - 2);
    value += rule.weights[i] * rp * r * r * s / (1 + s);
    derivative += rule.weights[i] * -2 * depth * rp * r * s;
    second += rule.weights[i] * 2 * depth * (2 * depth - 1) * rp * s * (1 + s);
  }
  return { value: LOADING2 * value, derivative: LOADING2 * derivative, second: LOADING2 * second };
}

/**
 * The one-parameter population minimiser alpha_T = argmin_alpha E_T(alpha, -alpha).
 * E_T is convex in alpha (an even power of an affine function, averaged), so a
 * safeguarded Newton iteration on its derivative over [0, 2/(1+m_lo)] finds it to
 * machine precision.
 */
export function optimalDepthStep(
  law: SpikeLaw,
  depth: number,
  options: QuadratureOptions = {},
): number {
  requirePositiveInteger("depth", depth);
  const { low } = lawSupport(law);
  const derivatives = (alpha: number) => {
    const r = oneParameterExcess(law, alpha, depth, options);
    return { d1: r.derivative, d2: r.second };
  };
  let a = 0;
  let b = 2 / (1 + low);
  if (!(derivatives(a).d1 < 0)) return alphaStar(law); // s = 0 a.s.: E_T is identically 0
  let x = alphaStar(law);
  for (let iteration = 0; iteration < 500 && b - a > 1e-16 * b; iteration++) {
    const { d1, d2 } = derivatives(x);
    if (d1 === 0) return x;
    if (d1 < 0) a = x;
    else b = x;
    const newton = x - d1 / d2;
    const next = d2 > 0 && newton > a && newton < b ? newton : 0.5 * (a + b);
    if (Math.abs(next - x) <= 1e-16 * Math.abs(x)) return next;
    x = next;
  }
  return x;
}

/**
 * The loss-minimising alpha for a fixed beta (closed form, since c_T is linear in
 * alpha): alpha*(beta) = E[g (1/(1+s)) w] / E[g^2 w], g = sum_{k<T} (1 + beta(1+s))^k,
 * w = s (1 + s). This is the two-parameter initialisation rule alpha_0 = alpha*(beta_0).
 */
export function bestAlphaForBeta(
  law: SpikeLaw,
  beta: number,
  depth: number,
  options: QuadratureOptions = {},
): number {
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

/**
 * E_T in the coordinates (alpha, delta = alpha + beta) with its gradient and
 * Gauss-Newton matrix. With B = -beta = alpha - delta and u = 1 - B(1+s), the
 * residual is R = (delta/B - (alpha/B) u^T)/(1+s) and
 *   dR/d alpha = (-(delta/B^2)(1 - u^T) + (alpha/B) T (1+s) u^{T-1}) / (1+s),
 *   dR/d delta = ((alpha/B^2)(1 - u^T) - (alpha/B) T (1+s) u^{T-1}) / (1+s),
 * both free of cancellation on the valley delta ~ 0, where the (alpha, beta)
 * gradient loses its component along alpha = -beta to rounding.
 */
function excessInValleyCoordinates(
  rule: QuadratureRule,
  alpha: number,
  delta: number,
  depth: number,
): { value: number; gradient: [number, number]; gaussNewton: [number, number, number] } {
  const b = alpha - delta;
  let value = 0, ga = 0, gd = 0, h11 = 0, h12 = 0, h22 = 0;
  for (let i = 0; i < rule.nodes.length; i++) {
    const s = rule.nodes[i];
    const w = rule.weights[i] * s * (1 + s);
    let r: number, ra: number, rd: number;
    if (b === 0) {
      r = alpha * depth - 1 / (1 + s);
      ra = depth; // c_T = alpha T at beta = 0; dc/dbeta = alpha T(T-1)(1+s)/2
      rd = alpha * depth * (depth - 1) * (1 + s) / 2;
      ra -= rd;
    } else {
      const u = 1 - b * (1 + s);
      const uT1 = depth === 1 ? 1 : u ** (depth - 1);
      const uT = uT1 * u;
      r = (delta / b - (alpha / b) * uT) / (1 + s);
      ra = (-(delta / (b * b)) * (1 - uT) + (alpha / b) * depth * (1 + s) * uT1) / (1 + s);
      rd = ((alpha / (b * b)) * (1 - uT) - (alpha / b) * depth * (1 + s) * uT1) / (1 + s);
    }
    value += w * r * r;
    ga += 2 * w * r * ra;
    gd += 2 * w * r * rd;
    h11 += 2 * w * ra * ra;
    h12 += 2 * w * ra * rd;
    h22 += 2 * w * rd * rd;
  }
  return { value, gradient: [ga, gd], gaussNewton: [h11, h12, h22] };
}

/**
 * The two-parameter optimum argmin_{alpha, beta} E_T(alpha, beta), by
 * Levenberg-Marquardt (damped Gauss-Newton) iterations in the valley
 * coordinates (alpha, alpha + beta), from the one-parameter optimum
 * (alpha_T, -alpha_T) unless `start` is given. Second order because the valley
 * along alpha = -beta has condition numbers up to 1e20 at moderate T.
 */
export function twoParameterOptimum(
  law: SpikeLaw,
  depth: number,
  options: TwoParameterOptions = {},
): { alpha: number; beta: number; excess: number } {
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
  let damping = 1e-3;
  for (let iteration = 0; iteration < 1000 && current.value > 0; iteration++) {
    const [ga, gd] = current.gradient;
    const [h11, h12, h22] = current.gaussNewton;
    let accepted = false;
    for (let attempt = 0; attempt < 40; attempt++) {
      const a11 = h11 * (1 + damping);
      const a22 = h22 * (1 + damping);
      const det = a11 * a22 - h12 * h12;
      if (!(det > 0)) {
        damping *= 10;
        continue;
      }
      const stepA = (a22 * ga - h12 * gd) / det;
      const stepD = (a11 * gd - h12 * ga) / det;
      const trial = excessInValleyCoordinates(rule, alpha - stepA, delta - stepD, depth);
      const gradientNorm = Math.hypot(ga, gd);
      const better = trial.value < current.value ||
        (trial.value <= current.value * (1 + 1e-12) &&
          Math.hypot(...trial.gradient) < gradientNorm);
      if (better) {
        alpha -= stepA;
        delta -= stepD;
        current = trial;
        damping = Math.max(damping / 10, 1e-12);
        accepted = true;
        if (Math.abs(stepA) + Math.abs(stepD) <= 1e-15 * Math.abs(alpha)) {
          return { alpha, beta: delta - alpha, excess: LOADING2 * current.value };
        }
        break;
      }
      damping *= 10;
    }
    if (!accepted) break;
  }
  return { alpha, beta: delta - alpha, excess: LOADING2 * current.value };
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

/** Population excess risk of the two-parameter deep LSA. */
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
  alphaStar: number;
  rhoStar: number;
  bayesRisk: number;
  gammaStar: number;
  lsaGap: number;
  alphaT: number;
  excessAtAlphaT: number;
  excessAtAlphaStar: number;
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
