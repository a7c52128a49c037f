import assert from "node:assert/strict";
import { parseSpikeLaw } from "../model/law.ts";
import { alphaStar } from "./population.ts";
import { gammaStar } from "./gamma_star.ts";
import { bestAlphaForBeta, lcaExcess, lcaExcessWithDerivatives } from "./lca_excess.ts";
import { optimalDepthStep } from "./optimal_depth_step.ts";
import { excessInValleyCoordinates, twoParameterOptimum } from "./two_parameter_optimum.ts";
import { quadratureRule } from "./quadrature.ts";
import {
  LAWS,
  referenceTwoParameter,
  relClose,
  UNIFORM,
} from "../../testkit/population_reference.ts";

Deno.test("twoParameterOptimum: agrees with an independent quadrature and 1-D search to 1e-6", () => {
  for (const [name, low, high] of LAWS) {
    const law = parseSpikeLaw(name, low, high);
    const what = (q: string) => `${name}[${low}, ${high}] ${q}`;
    const two = twoParameterOptimum(law, 10);
    const a = alphaStar(law);
    const ref = referenceTwoParameter(law, 10, -1.2 * a, -0.8 * a);
    relClose(two.alpha, ref.alpha, 1e-6, what("two-parameter alpha"));
    relClose(two.beta, ref.beta, 1e-6, what("two-parameter beta"));
  }
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

Deno.test("twoParameterOptimum: damped Newton converges quadratically (few steps, a tiny decrement)", () => {
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
});

Deno.test("twoParameterOptimum: restarts, far starts, and the stops it reports", () => {
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
