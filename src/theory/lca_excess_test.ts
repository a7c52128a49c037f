import assert from "node:assert/strict";
import { parseSpikeLaw, type SpikeLaw } from "../model/law.ts";
import { lcaPredict } from "../model/predictors.ts";
import { alphaStar } from "./population.ts";
import {
  bestAlphaForBeta,
  lcaExcess,
  lcaExcessWithDerivatives,
  lcaResidual,
} from "./lca_excess.ts";
import { quadratureRule } from "./quadrature.ts";
import {
  checkCoefficientAtExactStatistics,
  expect,
  geometric,
  LAWS,
  referenceAlphaT,
  relClose,
  UNIFORM,
} from "../../testkit/population_reference.ts";

Deno.test("lcaExcess: E_T(alpha_T, -alpha_T) agrees with an independent quadrature to 1e-6", () => {
  for (const [name, low, high] of LAWS) {
    const law = parseSpikeLaw(name, low, high);
    const what = (q: string) => `${name}[${low}, ${high}] ${q}`;
    for (const T of [1, 3, 10]) {
      const ref = referenceAlphaT(law, T);
      const excess = expect(law, (s) => (1 - ref * (1 + s)) ** (2 * T) * s / (1 + s));
      relClose(lcaExcess(law, { alpha: ref, beta: -ref, depth: T }), excess, 1e-6, what(`E_${T}`));
    }
  }
});

Deno.test("lcaExcess: E_T is accurate for small |beta| (continuity at beta = 0)", () => {
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

Deno.test("LCA coefficient: what lcaPredict and lcaResidual give at exact task statistics", () => {
  checkCoefficientAtExactStatistics(
    "lca",
    lcaPredict,
    (params, s) => geometric(1 + params.beta * (1 + s), params.depth).g * params.alpha,
    (params, s, c) =>
      assert.ok(
        Math.abs(lcaResidual(params.alpha, params.beta, params.depth, s) - (c - 1 / (1 + s))) <=
          1e-12,
      ),
  );
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

Deno.test("lcaExcessWithDerivatives: a symmetric Hessian", () => {
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
