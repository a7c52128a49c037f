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
  gammaStar,
  lcaExcess,
  lcaExcessWithDerivatives,
  lsaGap,
  optimalDepthStep,
  populationSummary,
  rhoStar,
  twoParameterOptimum,
} from "./population.ts";
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
