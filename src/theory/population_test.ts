/**
 * Population quantities against an independent computation: tanh-sinh (double exponential)
 * quadrature over the law's density on [m_lo, m_hi] (it handles the endpoint singularities
 * of Beta densities with a < 1 or b < 1; the density is normalised by integrating it with
 * the same rule, so no Beta function is needed), and one-dimensional root finding by
 * bisection on the derivative (the optimum of a convex function in one variable).
 *
 * @module
 */

import assert from "node:assert/strict";
import { parseSpikeLaw, type SpikeLaw } from "../model/law.ts";
import {
  alphaStar,
  bayesRisk,
  bestAlphaForBeta,
  contractionRate,
  deepLsaCoefficient,
  deepLsaExcess,
  excessInValleyCoordinates,
  gammaStar,
  geometricBound,
  lcaExcess,
  lcaExcessWithDerivatives,
  lcaResidual,
  lsaGap,
  oneParameterExcess,
  oneParameterExcessScaled,
  optimalDepthStep,
  optimalDepthStepSearch,
  populationSummary,
  rhoStar,
  twoParameterOptimum,
  zeroPredictorExcess,
} from "./population.ts";
import { samplePromptStatistics } from "../model/prompt_statistics.ts";
import { deepLsaPredict, lcaPredict } from "../model/predictors.ts";
import { quadratureRule } from "./quadrature.ts";

/** E[f(s)] for the law, by tanh-sinh quadrature in u = (s - low) / (high - low). */
function expect(law: SpikeLaw, f: (s: number) => number): number {
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
function referenceAlphaT(law: SpikeLaw, T: number): number {
  const low = law.kind === "point" ? law.value : law.low;
  return bisect(
    (alpha) => -expect(law, (s) => (1 - alpha * (1 + s)) ** (2 * T - 1) * s),
    0,
    2 / (1 + low),
  );
}

/** sum_{k<T} k^(j) u^(k-j) for j = 0, 1. */
function geometric(u: number, T: number): { g: number; g1: number } {
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
function referenceTwoParameter(law: SpikeLaw, T: number, lo: number, hi: number) {
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

function relClose(actual: number, expected: number, rel: number, what: string) {
  assert.ok(
    Math.abs(actual - expected) <= rel * Math.abs(expected),
    `${what}: got ${actual}, expected ${expected} (rel ${rel})`,
  );
}

const UNIFORM = parseSpikeLaw("uniform", 0.5, 4);

Deno.test("population: reference values for uniform [0.5, 4], sigma 0.1, T = 10", () => {
  const p = populationSummary(UNIFORM, 0.1, 10);
  // The published values, to their printed digits (half a unit in the last place).
  assert.ok(Math.abs(p.alphaStar - 0.307692) <= 5e-7);
  assert.ok(Math.abs(p.rhoStar - 0.53846) <= 5e-6);
  assert.ok(Math.abs(p.lsaGap - 0.04851) <= 5e-6);
  assert.ok(Math.abs(p.gammaStar - 0.2700) <= 5e-5);
  assert.ok(Math.abs(p.alphaT - 0.30003) <= 5e-6, `alphaT ${p.alphaT}`);
  assert.ok(Math.abs(p.twoParam.alpha - 0.30065) <= 5e-6, `two alpha ${p.twoParam.alpha}`);
  assert.ok(Math.abs(p.twoParam.beta + 0.30061) <= 5e-6, `two beta ${p.twoParam.beta}`);
  for (const [T, value] of [[1, 0.2700], [2, 0.2814], [5, 0.2939], [20, 0.3036], [50, 0.3060]]) {
    assert.ok(Math.abs(optimalDepthStep(UNIFORM, T) - value) <= 5e-5, `alpha_${T}`);
  }
  // Excess at alpha* is below the geometric bound; alpha_T beats alpha*.
  assert.ok(p.excessAtAlphaStar <= p.geometricBound);
  assert.ok(p.excessAtAlphaT <= p.excessAtAlphaStar);
  assert.ok(p.twoParamExcess <= p.excessAtAlphaT);
});

const LAWS: [string, number, number][] = [
  ["uniform", 0.5, 4],
  ["beta:2:5", 0.2, 3],
  ["beta:0.5:0.5", 0, 2],
  ["beta:3:1.5", 1, 5],
];

Deno.test("population: agrees with an independent quadrature and 1-D search to 1e-6", () => {
  for (const [name, low, high] of LAWS) {
    const law = parseSpikeLaw(name, low, high);
    const what = (q: string) => `${name}[${low}, ${high}] ${q}`;
    assert.equal(alphaStar(law), 2 / (2 + low + high));
    assert.equal(rhoStar(law), (high - low) / (2 + low + high));
    const m1 = expect(law, (s) => s), m2 = expect(law, (s) => s * (1 + s));
    relClose(gammaStar(law), m1 / m2, 1e-6, what("gammaStar"));
    relClose(lsaGap(law), expect(law, (s) => s / (1 + s)) - (m1 * m1) / m2, 1e-6, what("lsaGap"));
    relClose(bayesRisk(law, 0.3), 0.09 + expect(law, (s) => 1 / (1 + s)), 1e-6, what("bayesRisk"));
    for (const T of [1, 3, 10]) {
      const ref = referenceAlphaT(law, T);
      relClose(optimalDepthStep(law, T), ref, 1e-6, what(`alpha_${T}`));
      const excess = expect(law, (s) => (1 - ref * (1 + s)) ** (2 * T) * s / (1 + s));
      relClose(lcaExcess(law, { alpha: ref, beta: -ref, depth: T }), excess, 1e-6, what(`E_${T}`));
    }
    const two = twoParameterOptimum(law, 10);
    const a = alphaStar(law);
    const ref = referenceTwoParameter(law, 10, -1.2 * a, -0.8 * a);
    relClose(two.alpha, ref.alpha, 1e-6, what("two-parameter alpha"));
    relClose(two.beta, ref.beta, 1e-6, what("two-parameter beta"));
  }
});

Deno.test("population: a point mass has no LSA gap and alpha_T = 1/(1+s)", () => {
  const law = parseSpikeLaw("point:1.5", 0, 1);
  assert.equal(lsaGap(law), 0);
  relClose(gammaStar(law), 1 / 2.5, 1e-15, "gammaStar");
  relClose(optimalDepthStep(law, 7), 1 / 2.5, 1e-12, "alpha_T");
});

Deno.test("population: the reference computation itself is sensitive (negative control)", () => {
  // The independent quadrature distinguishes a law of the same support but another shape.
  const other = parseSpikeLaw("beta:2:5", 0.5, 4);
  assert.ok(
    Math.abs(gammaStar(UNIFORM) - expect(other, (s) => s) / expect(other, (s) => s * (1 + s))) >
      1e-3,
  );
  assert.ok(Math.abs(optimalDepthStep(UNIFORM, 10) - referenceAlphaT(UNIFORM, 9)) > 1e-5);
});

Deno.test("population: E_T is accurate for small |beta| (continuity at beta = 0)", () => {
  // E_T(alpha, beta) is a polynomial in beta, so |E(beta) - E(0)| <= |beta| sup |dE/dbeta|,
  // and at beta = 1e-12 the two must agree to ~1e-12 relative. The residual
  // ((alpha + beta)/(-beta) - (alpha/(-beta)) u^T)/(1+s) cancels terms of size |alpha/beta|,
  // which loses eps |alpha / beta| ~ 1e-4 absolute here; this fails until lcaResidual falls
  // back to the direct sum for small |beta (1+s)|.
  const law = parseSpikeLaw("uniform", 0, 0.1);
  for (const depth of [1, 3]) {
    const at0 = lcaExcess(law, { alpha: 0.2, beta: 0, depth }, { nodes: 16 });
    const near = lcaExcess(law, { alpha: 0.2, beta: 1e-12, depth }, { nodes: 16 });
    const slope = Math.abs(
      lcaExcess(law, { alpha: 0.2, beta: 1e-3, depth }, { nodes: 16 }) - at0,
    ) / 1e-3;
    const tolerance = 1e-12 * 2 * slope + 64 * Number.EPSILON * at0;
    assert.ok(
      Math.abs(near - at0) <= tolerance,
      `T=${depth}: E(beta=1e-12) = ${near}, E(0) = ${at0}, tolerance ${tolerance}`,
    );
  }
});

/** E_T, gradient and Hessian by term-by-term sums over k < T (the O(T) reference). */
function excessBySums(law: SpikeLaw, alpha: number, beta: number, depth: number, nodes: number) {
  const rule = quadratureRule(law, nodes);
  let value = 0, ga = 0, gb = 0, haa = 0, hab = 0, hbb = 0;
  for (let i = 0; i < rule.nodes.length; i++) {
    const s = rule.nodes[i], x = 1 + s, u = 1 + beta * x;
    let g = 0, g1 = 0, g2 = 0;
    for (let k = 0; k < depth; k++) {
      g += u ** k;
      if (k >= 1) g1 += k * u ** (k - 1);
      if (k >= 2) g2 += k * (k - 1) * u ** (k - 2);
    }
    const w = rule.weights[i] * s * x;
    const r = alpha * g - 1 / x, ca = g, cb = alpha * g1 * x;
    value += w * r * r;
    ga += 2 * w * r * ca;
    gb += 2 * w * r * cb;
    haa += 2 * w * ca * ca;
    hab += 2 * w * (ca * cb + r * g1 * x);
    hbb += 2 * w * (cb * cb + r * alpha * g2 * x * x);
  }
  return [value, ga, gb, haa, hab, hbb];
}

Deno.test("lcaExcessWithDerivatives: O(1)-per-node closed forms equal the term-by-term sums", () => {
  const law = parseSpikeLaw("beta:2:3", 0.5, 4);
  const close = (depthShift: number) => {
    let worst = 0;
    for (const depth of [1, 2, 3, 7, 40]) {
      // beta = -0.02 puts |1 - u| on both sides of the closed-form threshold 0.05.
      for (const [alpha, beta] of [[0.3, -0.3], [0.25, -0.31], [0.1, -0.02], [0.4, -0.2]]) {
        const r = lcaExcessWithDerivatives(law, { alpha, beta, depth }, { nodes: 64 });
        const got = [r.value, ...r.gradient, r.hessian[0][0], r.hessian[0][1], r.hessian[1][1]];
        const ref = excessBySums(law, alpha, beta, depth + depthShift, 64);
        // Both are sums of O(T^2)-term polynomials evaluated in float64: 1e-9 relative to the
        // largest entry is far above their rounding (T^2 eps |terms|) and far below a change.
        const scale = Math.max(...ref.map(Math.abs));
        got.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - ref[i]) / scale)));
      }
    }
    return worst;
  };
  assert.ok(close(0) <= 1e-9, `closed forms differ from the sums by ${close(0)}`);
  // Control: the sums one layer deeper differ far beyond the tolerance.
  assert.ok(close(1) > 1e-3);
});

Deno.test("contractionRate, zeroPredictorExcess and geometricBound: their definitions", () => {
  for (const [name, low, high] of LAWS) {
    const law = parseSpikeLaw(name, low, high);
    const what = (q: string) => `${name}[${low}, ${high}] ${q}`;
    // rho(alpha) = max over the support of |1 - alpha(1+s)|: the low end rules for small alpha,
    // the high end for large, and the two meet at alpha* with rho* (exactly, by construction).
    for (const alpha of [0.05, 0.2, 0.45, 0.9, -0.1]) {
      const expected = Math.max(Math.abs(1 - alpha * (1 + low)), Math.abs(1 - alpha * (1 + high)));
      assert.equal(contractionRate(law, alpha), expected, what(`rho(${alpha})`));
    }
    relClose(contractionRate(law, alphaStar(law)), rhoStar(law), 1e-15, what("rho(alpha*)"));
    const zero = expect(law, (s) => s / (1 + s));
    relClose(zeroPredictorExcess(law), zero, 1e-8, what("E[s/(1+s)]"));
    for (const T of [1, 4, 25]) {
      relClose(geometricBound(law, T), rhoStar(law) ** (2 * T) * zero, 1e-8, what(`bound T=${T}`));
    }
  }
  assert.throws(() => contractionRate(UNIFORM, NaN), /^RangeError: alpha must be a finite number/);
  assert.throws(() => geometricBound(UNIFORM, 0), /^RangeError: depth must be a positive integer/);
  assert.throws(
    () => geometricBound(UNIFORM, 2, { nodes: 8, start: 1 } as never),
    /^TypeError: options has an unknown option "start" \(known: nodes\)$/,
  );
  assert.equal(geometricBound(UNIFORM, 3, { nodes: 8 }) > 0, true);
});

Deno.test("oneParameterExcess: value, first and second derivative in alpha, at any T", () => {
  for (const [name, low, high] of LAWS) {
    const law = parseSpikeLaw(name, low, high);
    for (const T of [1, 2, 5, 12]) {
      for (const alpha of [0.2, alphaStar(law), 0.6]) {
        const r = (s: number) => 1 - alpha * (1 + s);
        const got = oneParameterExcess(law, alpha, T);
        const what = `${name} T=${T} alpha=${alpha}`;
        const value = expect(law, (s) => r(s) ** (2 * T) * s / (1 + s));
        const first = expect(law, (s) => -2 * T * r(s) ** (2 * T - 1) * s);
        const second = expect(law, (s) => 2 * T * (2 * T - 1) * r(s) ** (2 * T - 2) * s * (1 + s));
        relClose(got.value, value, 1e-7, `${what} value`);
        // The first derivative can vanish (at alpha_T); compare it on the scale of the second.
        assert.ok(
          Math.abs(got.derivative - first) <= 1e-7 * (Math.abs(first) + Math.abs(second)),
          `${what} derivative ${got.derivative} vs ${first}`,
        );
        relClose(got.second, second, 1e-7, `${what} second`);
        // E_T(alpha, -alpha) is lcaExcess on the line beta = -alpha.
        relClose(lcaExcess(law, { alpha, beta: -alpha, depth: T }), value, 1e-7, `${what} E_T`);
      }
    }
  }
});

Deno.test("oneParameterExcessScaled: representable where E_T underflows; the scale is exact", () => {
  const law = parseSpikeLaw("beta:2:5", 0.2, 3);
  const alpha = alphaStar(law), T = 1500;
  const scaled = oneParameterExcessScaled(law, alpha, T);
  assert.equal(oneParameterExcess(law, alpha, T).value, 0); // 1e-300 and below underflows
  assert.ok(scaled.value > 0 && Number.isFinite(scaled.logScale) && scaled.logScale < -700);
  // log E_T by the independent quadrature, each term shifted by the largest log before exp.
  const logTerm = (s: number) => 2 * T * Math.log(Math.abs(1 - alpha * (1 + s)));
  const shift = Math.max(logTerm(0.2), logTerm(3));
  const reference = Math.log(expect(law, (s) => Math.exp(logTerm(s) - shift) * s / (1 + s))) +
    shift;
  const got = Math.log(scaled.value) + scaled.logScale;
  assert.ok(Math.abs(got - reference) <= 1e-6, `log E_T ${got} vs ${reference}`);
  // At moderate T the scaled triple times exp(logScale) is the unscaled one.
  const moderate = oneParameterExcessScaled(law, 0.3, 6), plain = oneParameterExcess(law, 0.3, 6);
  relClose(moderate.value * Math.exp(moderate.logScale), plain.value, 1e-14, "value");
  relClose(moderate.second * Math.exp(moderate.logScale), plain.second, 1e-14, "second");
  // T = 1: no scaling at all; r = 0 at some node contributes 0, not NaN.
  assert.equal(oneParameterExcessScaled(law, 0.3, 1).logScale, 0);
  const point = parseSpikeLaw("point:1", 0, 1);
  const exact = oneParameterExcess(point, 0.5, 3); // r = 0 at the only node
  assert.ok(
    exact.value === 0 && exact.derivative === 0 && exact.second === 0,
    JSON.stringify(exact),
  );
  assert.throws(() => oneParameterExcess(law, Infinity, 3), /alpha must be a finite number/);
  assert.throws(() => oneParameterExcess(law, 0.3, 1.5), /depth must be a positive integer/);
});

Deno.test("bestAlphaForBeta: E[g s] / E[g^2 s (1+s)] with g = sum_k (1 + beta(1+s))^k", () => {
  for (const [name, low, high] of LAWS) {
    const law = parseSpikeLaw(name, low, high);
    for (const T of [1, 3, 10]) {
      for (const beta of [0, -0.1, -alphaStar(law), 0.05]) {
        const g = (s: number) => geometric(1 + beta * (1 + s), T).g;
        const expected = expect(law, (s) => g(s) * s) /
          expect(law, (s) => g(s) ** 2 * s * (1 + s));
        relClose(bestAlphaForBeta(law, beta, T), expected, 1e-7, `${name} T=${T} beta=${beta}`);
      }
    }
  }
  // s = 0 almost surely: nothing to fit, 0.
  assert.equal(bestAlphaForBeta(parseSpikeLaw("point:0", 0, 1), -0.2, 3), 0);
  assert.throws(() => bestAlphaForBeta(UNIFORM, NaN, 3), /^RangeError: beta must be a finite/);
  assert.throws(() => bestAlphaForBeta(UNIFORM, -0.2, 0), /^RangeError: depth must be a positive/);
});

Deno.test("twoParameterOptimum: the same optimum from another start; its excess is E_T there", () => {
  for (const [name, low, high] of LAWS) {
    const law = parseSpikeLaw(name, low, high);
    for (const T of [2, 6]) {
      const best = twoParameterOptimum(law, T);
      const a = alphaStar(law);
      const ref = referenceTwoParameter(law, T, -1.6 * a, -0.5 * a);
      relClose(best.alpha, ref.alpha, 1e-6, `${name} T=${T} alpha`);
      relClose(best.beta, ref.beta, 1e-6, `${name} T=${T} beta`);
      relClose(best.excess, lcaExcess(law, { ...best, depth: T }), 1e-9, `${name} T=${T} excess`);
      const beta0 = -1 / (1 + high);
      const from = twoParameterOptimum(law, T, {
        start: { alpha: bestAlphaForBeta(law, beta0, T), beta: beta0 },
      });
      relClose(from.alpha, best.alpha, 1e-7, `${name} T=${T} alpha from the paper's start`);
      relClose(from.beta, best.beta, 1e-7, `${name} T=${T} beta from the paper's start`);
      // The optimum is stationary: both partial derivatives vanish on the scale of the Hessian.
      const d = lcaExcessWithDerivatives(law, { ...best, depth: T });
      const scale = Math.hypot(d.hessian[0][0], d.hessian[1][1]) * Math.abs(best.alpha);
      assert.ok(Math.hypot(...d.gradient) <= 1e-7 * scale, `${name} T=${T} gradient`);
    }
  }
  // T = 1: beta does not enter, so alpha is gamma* (the reduced LSA weight) whatever beta.
  const one = twoParameterOptimum(UNIFORM, 1, { start: { alpha: 0.1, beta: -0.2 } });
  relClose(one.alpha, gammaStar(UNIFORM), 1e-9, "T = 1 alpha");
  assert.throws(
    () => twoParameterOptimum(UNIFORM, 3, { start: { alpha: 0.1, beta: NaN } }),
    /^RangeError: start\.beta must be a finite number/,
  );
  assert.throws(
    () => twoParameterOptimum(UNIFORM, 3, { start: { alpha: NaN, beta: 0 } }),
    /^RangeError: start\.alpha must be a finite number/,
  );
  assert.throws(() => twoParameterOptimum(UNIFORM, 0), /^RangeError: depth must be a positive/);
});

Deno.test("optimalDepthStep: safeguarded Newton from alpha* reaches a bracketed root in few steps", () => {
  // E_T is convex in alpha, so Newton on dE/dalpha from alpha* converges; a Newton step that
  // leaves the bracket or is longer than half the step before last is replaced by bisection
  // (rtsafe). 1-26 steps measured for T = 1..1000 on these laws.
  const certify = (law: SpikeLaw, T: number, maxSteps: number, what: string) => {
    const search = optimalDepthStepSearch(law, T);
    const text = `${what} T=${T}: ${search.iterations} steps, stop ${search.stop}`;
    assert.equal(search.stop, "newton", text);
    assert.ok(search.iterations >= 1 && search.iterations <= maxSteps, text);
    assert.equal(optimalDepthStep(law, T), search.alpha);
    // The root is bracketed: dE/dalpha changes sign across alpha (1 -+ 1e-9).
    const slope = (alpha: number) => oneParameterExcessScaled(law, alpha, T).derivative;
    assert.ok(slope(search.alpha * (1 - 1e-9)) < 0 && slope(search.alpha * (1 + 1e-9)) > 0, text);
    return search.alpha;
  };
  for (const [name, low, high] of LAWS) {
    const law = parseSpikeLaw(name, low, high);
    for (const T of [1, 2, 3, 6, 10, 20, 50, 100, 1000]) certify(law, T, 30, name);
  }
  // Skewed laws on supports spanning 1e5, at T = 2000: E_T is a polynomial of degree 4000 and
  // plain Newton from alpha* shrinks its steps by ~1/4000 each (before the bisection fallback,
  // 500 steps ended 3.4% and 1.4% from the root, unreported); now 22 steps.
  for (const name of ["beta:0.3:5", "beta:1:20", "beta:5:0.3"]) {
    certify(parseSpikeLaw(name, 0.01, 1000), 2000, 60, `${name}[0.01, 1000]`);
  }
  // Control: the certificate rejects the old stall point (500 Newton steps, 0.0020712 against
  // the root 0.0020035): the slope is positive on both sides of it.
  const law = parseSpikeLaw("beta:0.3:5", 0.01, 1000);
  const slope = (alpha: number) => oneParameterExcessScaled(law, alpha, 2000).derivative;
  const stalled = 0.002071242591931053;
  assert.ok(slope(stalled * (1 - 1e-9)) > 0 && slope(stalled * (1 + 1e-9)) > 0);
  assert.ok(Math.abs(optimalDepthStep(law, 2000) / stalled - 1) > 0.03);
  // A point mass: E_T(alpha) = (1 - alpha (1 + s))^(2T) s/(1+s) has its root at alpha* exactly.
  assert.deepEqual(optimalDepthStepSearch(parseSpikeLaw("point:1.5", 0, 1), 5), {
    alpha: 1 / 2.5,
    iterations: 0,
    stop: "stationary",
  });
  // s = 0 almost surely: E_T is identically 0; alpha* is returned.
  assert.deepEqual(optimalDepthStepSearch(parseSpikeLaw("point:0", 0, 1), 5), {
    alpha: 1,
    iterations: 0,
    stop: "flat",
  });
});

Deno.test("twoParameterOptimum: damped Newton converges quadratically, and says why it stopped", () => {
  // From the one-parameter optimum the damped-Newton iteration is in its quadratic phase: at
  // most 8 accepted steps for T = 2..50 (3-6 measured). A wrong step (sign or determinant),
  // an acceptance test that accepts every trial, or damping that never relaxes converges
  // linearly at best and needs many more.
  for (const [name, low, high] of LAWS) {
    const law = parseSpikeLaw(name, low, high);
    const rule = quadratureRule(law, 96);
    for (const T of [2, 3, 6, 10, 20, 50]) {
      const best = twoParameterOptimum(law, T, { nodes: 96 });
      const what = `${name} T=${T}: ${best.iterations} iterations, stop ${best.stop}`;
      assert.ok(best.stop === "step" || best.stop === "no-descent", what);
      assert.ok(best.iterations >= 1 && best.iterations <= 8, what);
      if (T === 50) continue; // there one ulp of alpha moves E_T by more (valley width ~1e-15)
      // The Newton decrement g^T H^-1 g in the valley coordinates (alpha, alpha + beta), the
      // reduction of E_T a further Newton step would promise: 1e-31..1e-18 of E_T measured for
      // T <= 20 (at the start, the one-parameter optimum, 0.13-0.82 for the uniform law).
      const v = excessInValleyCoordinates(rule, best.alpha, best.alpha + best.beta, T);
      const [h11, h12, h22] = v.hessian;
      const [g1, g2] = v.gradient;
      const det = h11 * h22 - h12 * h12;
      assert.ok(det > 0 && h11 > 0, `${what}: Hessian not positive definite`);
      const decrement = (h22 * g1 * g1 - 2 * h12 * g1 * g2 + h11 * g2 * g2) / det;
      assert.ok(decrement <= 1e-16 * v.value, `${what}: decrement ${decrement} vs E ${v.value}`);
    }
  }
  // Control: at the start (alpha_T, -alpha_T) the decrement is a large share of E_T.
  const start = excessInValleyCoordinates(
    quadratureRule(UNIFORM, 96),
    optimalDepthStep(UNIFORM, 10, { nodes: 96 }),
    0,
    10,
  );
  const [s11, s12, s22] = start.hessian;
  const [t1, t2] = start.gradient;
  const startDecrement = (s22 * t1 * t1 - 2 * s12 * t1 * t2 + s11 * t2 * t2) /
    (s11 * s22 - s12 * s12);
  assert.ok(startDecrement > 0.1 * start.value, `${startDecrement} vs ${start.value}`);
  // Restarted at its own result, the iteration stops at once (a start that is read wrongly,
  // e.g. delta = alpha - beta, would start 2 alpha away and need many steps).
  const best10 = twoParameterOptimum(UNIFORM, 10);
  const again = twoParameterOptimum(UNIFORM, 10, {
    start: { alpha: best10.alpha, beta: best10.beta },
  });
  // One accepted step, below 1e-15 alpha: "step" after exactly one iteration.
  assert.deepEqual([again.iterations, again.stop], [1, "step"]);
  relClose(again.alpha, best10.alpha, 1e-12, "restart alpha");
  // Far starts, where the Hessian is not positive definite or plain Newton overshoots: the
  // damping, the determinant test and the acceptance test bring each back to the optimum.
  for (
    const [T, alpha, beta] of [
      [3, 0.01, 0.3],
      [3, 0.05, -0.9],
      [3, 0.5, -0.5],
      [10, 0.9, -0.05],
      [10, 0.6, 0],
      [10, 0.01, 0.3],
      [10, 1.2, -1],
    ]
  ) {
    const from = twoParameterOptimum(UNIFORM, T, { start: { alpha, beta } });
    const what = `T=${T} from (${alpha}, ${beta}): ${from.iterations} iterations, ${from.stop}`;
    assert.ok(from.stop === "step" || from.stop === "no-descent", what);
    relClose(from.alpha, twoParameterOptimum(UNIFORM, T).alpha, 1e-7, what);
  }
  // Not every start works, and the result says so: from (0.05, -0.9) at T = 10 the iteration
  // drifts to alpha ~ 0 and stops at its cap of 2000 steps.
  const stuck = twoParameterOptimum(UNIFORM, 10, { start: { alpha: 0.05, beta: -0.9 } });
  assert.equal(stuck.stop, "iterations");
  assert.equal(stuck.iterations, 2000);
  // A Hessian diagonal that is not positive is reported, not divided by: a point mass at T = 1
  // from (0.4, -0.5), where E_T is rounding (1.8e-33) and flat along beta.
  const point1 = twoParameterOptimum(parseSpikeLaw("point:1.5", 0, 1), 1, {
    start: { alpha: 0.4, beta: -0.5 },
  });
  assert.deepEqual([point1.alpha, point1.iterations, point1.stop], [0.4, 0, "degenerate"]);
  // A point mass has E_T = 0 at the one-parameter optimum: no iteration is needed.
  const point = twoParameterOptimum(parseSpikeLaw("point:1.5", 0, 1), 6);
  assert.deepEqual([point.iterations, point.stop, point.excess], [0, "zero", 0]);
  // Control: from a far start (the paper's beta_0) the same optimum takes more steps.
  const far = twoParameterOptimum(UNIFORM, 20, {
    start: { alpha: bestAlphaForBeta(UNIFORM, -0.2, 20), beta: -0.2 },
  });
  assert.equal(far.stop, "step");
  assert.ok(far.iterations > 8, `${far.iterations} iterations from the far start`);
  relClose(far.alpha, twoParameterOptimum(UNIFORM, 20).alpha, 1e-9, "far start alpha");
});

Deno.test("deep LSA and LCA coefficients: what the predictors give at exact task statistics", () => {
  const stats = samplePromptStatistics({ d1: 2, d2: 2, prompts: 6, context: Infinity, seed: 8 });
  const d = 4;
  for (
    const params of [
      { alpha: 0.3, beta: -0.25, depth: 1 },
      { alpha: 0.3, beta: -0.25, depth: 3 },
      { alpha: 0.2, beta: 0.1, depth: 4 },
    ]
  ) {
    const deep = deepLsaPredict(stats, params);
    const lca = lcaPredict(stats, params);
    for (let n = 0; n < 6; n++) {
      let along = 0; // x_q^T mu_hat
      for (let j = 0; j < d; j++) along += stats.query[n * d + j] * stats.muHat[n * d + j];
      const s = stats.strength[n];
      const c = deepLsaCoefficient(params, 1 + s) * along;
      assert.ok(Math.abs(deep[n] - c) <= 1e-12 * (1 + Math.abs(c)), `deep ${deep[n]} vs ${c}`);
      const g = geometric(1 + params.beta * (1 + s), params.depth).g * params.alpha * along;
      assert.ok(Math.abs(lca[n] - g) <= 1e-12 * (1 + Math.abs(g)), `lca ${lca[n]} vs ${g}`);
      assert.ok(
        Math.abs(
          lcaResidual(params.alpha, params.beta, params.depth, s) - (g / along - 1 / (1 + s)),
        ) <=
          1e-12,
      );
    }
  }
  // Depth one: deep LSA is LSA, whose excess at gamma* is the LSA gap.
  relClose(
    deepLsaExcess(UNIFORM, { alpha: gammaStar(UNIFORM), beta: 0.7, depth: 1 }),
    lsaGap(UNIFORM),
    1e-9,
    "deep LSA at T = 1",
  );
  const params = { alpha: 0.25, beta: -0.1, depth: 3 };
  const reference = expect(
    UNIFORM,
    (s) => (deepLsaCoefficient(params, 1 + s) - 1 / (1 + s)) ** 2 * s * (1 + s),
  );
  relClose(deepLsaExcess(UNIFORM, params), reference, 1e-8, "deep LSA excess");
  assert.throws(() => deepLsaExcess(UNIFORM, { ...params, depth: 0 }), /depth/);
});

Deno.test("lcaResidual: c_T(s) - 1/(1+s) on both sides of the closed-form threshold", () => {
  for (const [alpha, beta] of [[0.3, -0.3], [0.3, 0], [0.2, -0.01], [0.2, 0.01], [0.1, 0.3]]) {
    for (const T of [1, 2, 7]) {
      for (const s of [0, 0.5, 3]) {
        const direct = alpha * geometric(1 + beta * (1 + s), T).g - 1 / (1 + s);
        const got = lcaResidual(alpha, beta, T, s);
        assert.ok(
          Math.abs(got - direct) <= 1e-13,
          `(${alpha}, ${beta}, ${T}, ${s}): ${got} vs ${direct}`,
        );
      }
    }
  }
});

Deno.test("populationSummary: each field is its function's value", () => {
  const law = parseSpikeLaw("beta:2:5", 0.2, 3);
  const p = populationSummary(law, 0.2, 6);
  const alphaT = optimalDepthStep(law, 6), a = alphaStar(law), two = twoParameterOptimum(law, 6);
  assert.deepEqual(p, {
    alphaStar: a,
    rhoStar: rhoStar(law),
    bayesRisk: bayesRisk(law, 0.2),
    gammaStar: gammaStar(law),
    lsaGap: lsaGap(law),
    alphaT,
    excessAtAlphaT: lcaExcess(law, { alpha: alphaT, beta: -alphaT, depth: 6 }),
    excessAtAlphaStar: lcaExcess(law, { alpha: a, beta: -a, depth: 6 }),
    twoParam: { alpha: two.alpha, beta: two.beta },
    geometricBound: geometricBound(law, 6),
    twoParamExcess: two.excess,
  });
  assert.throws(() => populationSummary(law, -0.1, 6), /^RangeError: sigma must be/);
  assert.throws(() => populationSummary(law, 0.1, 0), /^RangeError: depth must be/);
  // The quadrature size is an option: 8 nodes give a different (cruder) summary.
  assert.notDeepEqual(populationSummary(law, 0.2, 6, { nodes: 3 }), p);
  assert.throws(() => populationSummary(law, 0.2, 6, { nodes: 0 }), /^RangeError: nodes must be/);
});

Deno.test("excessInValleyCoordinates: E_T, its gradient and Hessian in (alpha, delta = alpha + beta)", () => {
  const law = parseSpikeLaw("beta:2:3", 0.5, 4);
  const rule = quadratureRule(law, 64);
  const f = (alpha: number, delta: number, depth: number) =>
    excessInValleyCoordinates(rule, alpha, delta, depth);
  for (const depth of [1, 2, 3, 8]) {
    for (const [alpha, delta] of [[0.3, 0.002], [0.25, -0.05], [0.28, 0.1]]) {
      const at = f(alpha, delta, depth);
      const what = `T=${depth} (${alpha}, ${delta})`;
      // The value is E_T at beta = delta - alpha (the excess with loading^2 = 1).
      relClose(
        at.value,
        lcaExcess(law, { alpha, beta: delta - alpha, depth }, { nodes: 64 }),
        1e-9,
        what,
      );
      // Central differences of the value and of the gradient, step h: O(h^2) truncation.
      const h = 1e-5;
      const da = (f(alpha + h, delta, depth).value - f(alpha - h, delta, depth).value) / (2 * h);
      const dd = (f(alpha, delta + h, depth).value - f(alpha, delta - h, depth).value) / (2 * h);
      const scale = Math.abs(at.gradient[0]) + Math.abs(at.gradient[1]) + 1e-3 * at.value;
      assert.ok(
        Math.abs(at.gradient[0] - da) <= 1e-6 * scale,
        `${what} d/d alpha ${at.gradient[0]} vs ${da}`,
      );
      assert.ok(
        Math.abs(at.gradient[1] - dd) <= 1e-6 * scale,
        `${what} d/d delta ${at.gradient[1]} vs ${dd}`,
      );
      const up = f(alpha + h, delta, depth), down = f(alpha - h, delta, depth);
      const upD = f(alpha, delta + h, depth), downD = f(alpha, delta - h, depth);
      const h11 = (up.gradient[0] - down.gradient[0]) / (2 * h);
      const h12 = (up.gradient[1] - down.gradient[1]) / (2 * h);
      const h21 = (upD.gradient[0] - downD.gradient[0]) / (2 * h);
      const h22 = (upD.gradient[1] - downD.gradient[1]) / (2 * h);
      const hs = Math.abs(at.hessian[0]) + Math.abs(at.hessian[1]) + Math.abs(at.hessian[2]);
      for (
        const [got, fd, name] of [
          [at.hessian[0], h11, "h11"],
          [at.hessian[1], h12, "h12"],
          [at.hessian[1], h21, "h21"],
          [at.hessian[2], h22, "h22"],
        ] as const
      ) {
        assert.ok(Math.abs(got - fd) <= 1e-6 * hs, `${what} ${name} ${got} vs ${fd}`);
      }
    }
  }
  // beta = 0 (delta = alpha): c_T = alpha T; the value and gradient (first order) still hold.
  for (const depth of [1, 4]) {
    const at = f(0.2, 0.2, depth);
    relClose(
      at.value,
      lcaExcess(law, { alpha: 0.2, beta: 0, depth }, { nodes: 64 }),
      1e-12,
      "beta 0",
    );
    const h = 1e-6;
    const dd = (f(0.2, 0.2 + h, depth).value - f(0.2, 0.2 - h, depth).value) / (2 * h);
    const da = (f(0.2 + h, 0.2, depth).value - f(0.2 - h, 0.2, depth).value) / (2 * h);
    const scale = Math.abs(at.gradient[0]) + Math.abs(at.gradient[1]);
    assert.ok(Math.abs(at.gradient[1] - dd) <= 1e-5 * scale, `T=${depth} beta 0 d/d delta`);
    assert.ok(Math.abs(at.gradient[0] - da) <= 1e-5 * scale, `T=${depth} beta 0 d/d alpha`);
  }
});

Deno.test("population functions: names in errors, s = 0 a.s., and a symmetric Hessian", () => {
  assert.throws(
    () => lsaGap(UNIFORM, { knots: 3 } as never),
    /^TypeError: options has an unknown option "knots"/,
  );
  assert.throws(() => bayesRisk(UNIFORM, -0.1), /^RangeError: sigma must be a finite number >= 0/);
  assert.throws(
    () => optimalDepthStep(UNIFORM, 0),
    /^RangeError: depth must be a positive integer/,
  );
  const zero = parseSpikeLaw("point:0", 0, 1);
  assert.equal(gammaStar(zero), 0);
  assert.equal(lsaGap(zero), 0);
  assert.equal(optimalDepthStep(zero, 3), alphaStar(zero));
  const d = lcaExcessWithDerivatives(UNIFORM, { alpha: 0.3, beta: -0.25, depth: 4 });
  assert.equal(d.hessian[1][0], d.hessian[0][1]);
});

Deno.test("lcaResidual: near u = 1 at large T it picks the form without cancellation", () => {
  // beta = -alpha with u = 1 - alpha(1+s) = 0.96 (below the closed-form threshold 0.05): the
  // residual is exactly -u^T/(1+s). The direct sum alpha sum_k u^k - 1/(1+s) cancels to ~u^T and
  // loses ~T^2 alpha eps absolute (6e-10 relative at T = 200); the closed form keeps ~eps.
  for (const depth of [50, 200, 400]) {
    const s = 1, alpha = 0.02;
    const exact = -Math.pow(1 - alpha * (1 + s), depth) / (1 + s);
    const got = lcaResidual(alpha, -alpha, depth, s);
    assert.ok(
      Math.abs(got - exact) <= 64 * Number.EPSILON * Math.abs(exact),
      `T=${depth}: ${got} vs ${exact} (relative ${Math.abs(got - exact) / Math.abs(exact)})`,
    );
  }
});
