/**
 * An independent computation of population quantities for the tests of `src/theory/`:
 * tanh-sinh (double exponential) quadrature over the law's density on [m_lo, m_hi] (it handles
 * the endpoint singularities of Beta densities with a < 1 or b < 1; the density is normalised
 * by integrating it with the same rule, so no Beta function is needed), and one-dimensional
 * root finding by bisection on the derivative (the optimum of a convex function in one
 * variable). It shares no code with the Gauss-Jacobi rules and Newton searches under test.
 *
 * @module
 */

import assert from "node:assert/strict";
import { parseSpikeLaw, type SpikeLaw } from "../src/model/law.ts";
import type { LcaParameters } from "../src/model/models.ts";
import type { PromptStatistics } from "../src/model/model_types.ts";
import { samplePromptStatistics } from "../src/model/prompt_statistics.ts";

/** E[f(s)] for the law, by tanh-sinh quadrature in u = (s - low) / (high - low). */
export function expect(law: SpikeLaw, f: (s: number) => number): number {
  if (law.kind === "point") return f(law.value);
  const a = law.kind === "beta" ? law.a : 1;
  const b = law.kind === "beta" ? law.b : 1;
  const h = 1 / 64;
  let num = 0, den = 0;
  for (let k = -320; k <= 320; k++) {
    const t = k * h;
    const e = Math.PI * Math.sinh(t);
    const u = 1 / (1 + Math.exp(-e)); // = (1 + tanh(e / 2)) / 2
    const v = 1 / (1 + Math.exp(e)); // 1 - u without cancellation
    const du = (Math.PI / 2) * Math.cosh(t) * u * v;
    if (!(u > 0 && v > 0 && du > 0)) continue;
    const density = Math.exp((a - 1) * Math.log(u) + (b - 1) * Math.log(v)) * du;
    num += density * f(law.low + (law.high - law.low) * u);
    den += density;
  }
  return num / den;
}

/** Root of an increasing function on [lo, hi] by bisection to the last bit. */
function bisect(g: (x: number) => number, lo: number, hi: number): number {
  for (let i = 0; i < 2000; i++) {
    const mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break;
    if (g(mid) < 0) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/** alpha_T: root of d/d alpha E[(1 - alpha(1+s))^(2T) s/(1+s)] = -2T E[(1 - alpha(1+s))^(2T-1) s]. */
export function referenceAlphaT(law: SpikeLaw, T: number): number {
  const low = law.kind === "point" ? law.value : law.low;
  return bisect(
    (alpha) => -expect(law, (s) => (1 - alpha * (1 + s)) ** (2 * T - 1) * s),
    0,
    2 / (1 + low),
  );
}

/** sum_{k<T} k^(j) u^(k-j) for j = 0, 1. */
export function geometric(u: number, T: number): { g: number; g1: number } {
  let g = 0, g1 = 0;
  for (let k = 0; k < T; k++) {
    g += u ** k;
    if (k > 0) g1 += k * u ** (k - 1);
  }
  return { g, g1 };
}

/**
 * The two-parameter optimum: for fixed beta the best alpha is E[g w/(1+s)] / E[g^2 w]
 * (w = s(1+s)); the profile's derivative in beta is, by the envelope theorem,
 * dE/dbeta = 2 E[w r alpha g1 (1+s)] at that alpha (r = alpha g - 1/(1+s)); bisect on it.
 */
export function referenceTwoParameter(law: SpikeLaw, T: number, lo: number, hi: number) {
  const bestAlpha = (beta: number) =>
    expect(law, (s) => geometric(1 + beta * (1 + s), T).g * s) /
    expect(law, (s) => geometric(1 + beta * (1 + s), T).g ** 2 * s * (1 + s));
  const slope = (beta: number) => {
    const alpha = bestAlpha(beta);
    return expect(law, (s) => {
      const { g, g1 } = geometric(1 + beta * (1 + s), T);
      return 2 * s * (1 + s) * (alpha * g - 1 / (1 + s)) * alpha * g1 * (1 + s);
    });
  };
  const beta = bisect(slope, lo, hi);
  return { alpha: bestAlpha(beta), beta };
}

/** Asserts |actual - expected| <= rel |expected|, naming `what` and both values otherwise. */
export function relClose(actual: number, expected: number, rel: number, what: string) {
  assert.ok(
    Math.abs(actual - expected) <= rel * Math.abs(expected),
    `${what}: got ${actual}, expected ${expected} (rel ${rel})`,
  );
}

/** Uniform[0.5, 4], the law of the published reference values. */
export const UNIFORM = parseSpikeLaw("uniform", 0.5, 4);

/** Laws of several shapes (name, m_lo, m_hi), Beta densities singular at an end included. */
export const LAWS: [string, number, number][] = [
  ["uniform", 0.5, 4],
  ["beta:2:5", 0.2, 3],
  ["beta:0.5:0.5", 0, 2],
  ["beta:3:1.5", 1, 5],
];

/** The layer parameters at which a predictor is compared with its coefficient along the spike. */
export const COEFFICIENT_CASES: readonly { alpha: number; beta: number; depth: number }[] = [
  { alpha: 0.3, beta: -0.25, depth: 1 },
  { alpha: 0.3, beta: -0.25, depth: 3 },
  { alpha: 0.2, beta: 0.1, depth: 4 },
];

/**
 * On six prompts of exact task statistics (d = 4), at each of {@linkcode COEFFICIENT_CASES},
 * checks that `predict(stats, params)[n]` is `coefficient(params, s_n) x_q^T mu_hat` to 1e-12
 * relative (plus 1e-12 absolute); `extra(params, s, coefficient)` may check more per prompt.
 */
export function checkCoefficientAtExactStatistics(
  name: string,
  predict: (stats: PromptStatistics, params: LcaParameters) => Float64Array,
  coefficient: (params: LcaParameters, s: number) => number,
  extra: (params: LcaParameters, s: number, coefficient: number) => void = () => {},
): void {
  const stats = samplePromptStatistics({ d1: 2, d2: 2, prompts: 6, context: Infinity, seed: 8 });
  const d = 4;
  for (const params of COEFFICIENT_CASES) {
    const predicted = predict(stats, params);
    for (let n = 0; n < 6; n++) {
      let along = 0; // x_q^T mu_hat
      for (let j = 0; j < d; j++) along += stats.query[n * d + j] * stats.muHat[n * d + j];
      const s = stats.strength[n];
      const c = coefficient(params, s);
      const expected = c * along;
      assert.ok(
        Math.abs(predicted[n] - expected) <= 1e-12 * (1 + Math.abs(expected)),
        `${name} ${predicted[n]} vs ${expected}`,
      );
      extra(params, s, c);
    }
  }
}
