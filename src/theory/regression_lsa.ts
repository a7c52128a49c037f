/**
 * Closed forms of the single-layer linear self-attention on the `regression` family
 * (x ~ N(0, Lambda) with Lambda diagonal, w ~ N(0, I_d), y = w^T x + eps, eps ~ N(0, sigma^2);
 * derivations in docs/derivations.md):
 *
 * - second moment of the context statistic: E[mu_hat mu_hat^T] = Lambda M with
 *   M = (1 + 1/L) Lambda + (tr Lambda + sigma^2)/L I (Wishart moments);
 * - risk of reduced LSA y_hat = x_q^T Gamma mu_hat:
 *   R(Gamma) = tr(Lambda Gamma Lambda M Gamma^T) - 2 tr(Lambda Gamma Lambda) + tr Lambda + sigma^2;
 * - E1 (Zhang, Frei & Bartlett 2024; Ahn et al. 2023): Gamma* = M^{-1};
 * - E2: R(Gamma*) = tr Lambda - tr(Lambda Gamma* Lambda) + sigma^2, which for Lambda = I is
 *   d (d + 1 + sigma^2)/(L + d + 1 + sigma^2) + sigma^2;
 * - E3 (von Oswald et al. 2023): for Lambda = I, Gamma* = eta* I with
 *   eta* = L/(L + d + 1 + sigma^2), one gradient step from w = 0 on the in-context least squares.
 *
 * `L = Infinity` gives the limits M = Lambda, Gamma* = Lambda^{-1}, R = sigma^2.
 *
 * @module
 */

import {
  requireAllFinite,
  requireLength,
  requireNonNegative,
  requirePositive,
} from "../validation/errors.ts";

function validate(covariance: ArrayLike<number>, context: number, sigma: number): void {
  if (covariance.length === 0) throw new RangeError("covariance must be non-empty, got length 0");
  for (let j = 0; j < covariance.length; j++) requirePositive(`covariance[${j}]`, covariance[j]);
  if (context !== Infinity) requirePositive("context", context);
  requireNonNegative("sigma", sigma);
}

function traceOf(covariance: ArrayLike<number>): number {
  let t = 0;
  for (let j = 0; j < covariance.length; j++) t += covariance[j];
  return t;
}

/** The diagonal of M = (1 + 1/L) Lambda + (tr Lambda + sigma^2)/L I. */
export function contextMoment(
  covariance: ArrayLike<number>,
  context: number,
  sigma: number,
): Float64Array {
  validate(covariance, context, sigma);
  const extra = context === Infinity ? 0 : (traceOf(covariance) + sigma * sigma) / context;
  const inv = context === Infinity ? 0 : 1 / context;
  return Float64Array.from(covariance, (l) => (1 + inv) * l + extra);
}

/** E1: the optimal reduced-LSA matrix Gamma* = M^{-1}, d x d row-major (diagonal). */
export function regressionLsaGamma(
  covariance: ArrayLike<number>,
  context: number,
  sigma: number,
): Float64Array {
  const m = contextMoment(covariance, context, sigma);
  const d = m.length;
  const gamma = new Float64Array(d * d);
  for (let j = 0; j < d; j++) gamma[j * d + j] = 1 / m[j];
  return gamma;
}

/** The risk R(Gamma) of reduced LSA x_q^T Gamma mu_hat against the noisy query label. */
export function regressionLsaRiskAt(
  covariance: ArrayLike<number>,
  context: number,
  sigma: number,
  gamma: ArrayLike<number>,
): number {
  const m = contextMoment(covariance, context, sigma);
  const d = m.length;
  requireAllFinite("gamma", requireLength("gamma", gamma, d * d));
  let risk = traceOf(covariance) + sigma * sigma;
  for (let a = 0; a < d; a++) {
    risk -= 2 * covariance[a] * covariance[a] * gamma[a * d + a];
    for (let b = 0; b < d; b++) {
      risk += gamma[a * d + b] ** 2 * covariance[a] * covariance[b] * m[b];
    }
  }
  return risk;
}

/** E2: the risk at the optimum, tr Lambda - tr(Lambda Gamma* Lambda) + sigma^2. */
export function regressionLsaRisk(
  covariance: ArrayLike<number>,
  context: number,
  sigma: number,
): number {
  const m = contextMoment(covariance, context, sigma);
  let risk = sigma * sigma;
  for (let j = 0; j < m.length; j++) risk += covariance[j] - covariance[j] ** 2 / m[j];
  return risk;
}

/** E2 for Lambda = I: d (d + 1 + sigma^2)/(L + d + 1 + sigma^2) + sigma^2. */
export function isotropicLsaRisk(dim: number, context: number, sigma: number): number {
  validate([1], context, sigma);
  if (context === Infinity) return sigma * sigma;
  const s2 = sigma * sigma;
  return dim * (dim + 1 + s2) / (context + dim + 1 + s2) + s2;
}

/** E3: the step eta* = L/(L + d + 1 + sigma^2) of one gradient step from w = 0 (Lambda = I). */
export function gradientStepSize(dim: number, context: number, sigma: number): number {
  validate([1], context, sigma);
  return context === Infinity ? 1 : context / (context + dim + 1 + sigma * sigma);
}

/**
 * One gradient-descent step from w = 0 with step eta on the in-context least squares
 * (1/(2L)) sum_i (y_i - w^T x_i)^2, computed from the tokens: w_1 = (eta/L) sum_i y_i x_i;
 * returns the predictions w_1^T x_q (N).
 */
export function oneStepGradientPredict(
  batch: {
    prompts: number;
    context: number;
    task: { dim: number };
    x: Float64Array;
    y: Float64Array;
    query: Float64Array;
  },
  eta: number,
): Float64Array {
  const d = batch.task.dim;
  const L = batch.context;
  const out = new Float64Array(batch.prompts);
  const w = new Float64Array(d);
  for (let n = 0; n < batch.prompts; n++) {
    w.fill(0);
    for (let i = 0; i < L; i++) {
      // gradient of (1/2L) (y_i - w^T x_i)^2 at w = 0 is -(1/L) y_i x_i
      const y = batch.y[n * L + i];
      for (let a = 0; a < d; a++) w[a] += eta * y * batch.x[(n * L + i) * d + a] / L;
    }
    let pred = 0;
    for (let a = 0; a < d; a++) pred += w[a] * batch.query[n * d + a];
    out[n] = pred;
  }
  return out;
}
