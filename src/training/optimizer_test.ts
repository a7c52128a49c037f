import assert from "node:assert/strict";
import { gradientDescent, resolveLearningRate } from "./optimizer.ts";

/** f = 1/2 (theta - c)^T A (theta - c) with A = diag(values). */
function quadratic(values: number[], c: number[]) {
  return (t: Float64Array) => {
    let loss = 0;
    const gradient = new Float64Array(t.length);
    for (let i = 0; i < t.length; i++) {
      loss += 0.5 * values[i] * (t[i] - c[i]) ** 2;
      gradient[i] = values[i] * (t[i] - c[i]);
    }
    return { loss, gradient };
  };
}

Deno.test("gradientDescent: fixed step converges linearly to the minimiser", () => {
  const r = gradientDescent(quadratic([1, 4], [3, -2]), new Float64Array([0, 0]), {
    steps: 5000,
    learningRate: 0.2,
    gradientTolerance: 1e-13,
    newtonTolerance: 0,
  });
  assert.ok(r.converged);
  assert.equal(r.stop.reason, "converged");
  assert.match(r.stop.rule, /\|gradient\|/);
  assert.ok(Math.abs(r.parameters[0] - 3) < 1e-12 && Math.abs(r.parameters[1] + 2) < 1e-12);
  // Each step contracts the slow coordinate by exactly 1 - lr * 1 = 0.8.
  const r5 = gradientDescent(quadratic([1], [1]), new Float64Array([0]), {
    steps: 5,
    learningRate: 0.2,
  });
  assert.ok(Math.abs(r5.parameters[0] - (1 - 0.8 ** 5)) < 1e-15);
  assert.equal(r5.steps, 5);
  assert.equal(r5.trajectory[0].step, 0);
  assert.equal(r5.trajectory.at(-1)!.step, 5);
});

Deno.test("gradientDescent: auto steps reach the minimiser of an ill-conditioned quadratic", () => {
  const r = gradientDescent(quadratic([1e-4, 1, 100], [1, 2, 3]), new Float64Array(3), {
    steps: 3000,
    gradientTolerance: 1e-12,
    newtonTolerance: 0,
  });
  assert.ok(r.converged, `not converged: |g| = ${r.gradientNorm}`);
  // |theta - c|_i <= |g|_i / a_i.
  assert.ok(Math.abs(r.parameters[0] - 1) <= 1e-12 / 1e-4);
  assert.ok(Math.abs(r.parameters[2] - 3) <= 1e-12 / 100);
});

Deno.test("gradientDescent: auto steps on the Rosenbrock function", () => {
  const rosen = (t: Float64Array) => ({
    loss: (1 - t[0]) ** 2 + 100 * (t[1] - t[0] ** 2) ** 2,
    gradient: new Float64Array([
      -2 * (1 - t[0]) - 400 * t[0] * (t[1] - t[0] ** 2),
      200 * (t[1] - t[0] ** 2),
    ]),
  });
  const r = gradientDescent(rosen, new Float64Array([-1.2, 1]), { steps: 20000 });
  assert.ok(Math.abs(r.parameters[0] - 1) < 1e-6 && Math.abs(r.parameters[1] - 1) < 1e-6);
});

Deno.test("gradientDescent: a divergent fixed step throws a RangeError naming lr", () => {
  assert.throws(
    () =>
      gradientDescent(quadratic([1], [0]), new Float64Array([1]), {
        steps: 5000,
        learningRate: 3,
      }),
    (e: unknown) => e instanceof RangeError && /lr/.test(e.message),
  );
  assert.throws(() => resolveLearningRate(-1), RangeError);
  assert.throws(() => resolveLearningRate("fast"), TypeError);
  assert.equal(resolveLearningRate(undefined), "auto");
});

Deno.test("gradientDescent: the Newton certificate stops near the minimiser, not at the cap", () => {
  // Minimiser 0.3 of a loss whose minimum value is 0.35 (an absolute gradient norm of
  // 1e-12 is below its rounding floor): |theta - 0.3| <= |g|/lambda_min <= 1e-10 |theta|
  // up to the secant estimate of the curvature (curvature 2e4 (1 + 6 e^2)).
  const f = (t: Float64Array) => {
    const e = t[0] - 0.3;
    return {
      loss: 0.35 + 1e4 * (e * e + e ** 4),
      gradient: new Float64Array([1e4 * (2 * e + 4 * e ** 3)]),
    };
  };
  const r = gradientDescent(f, new Float64Array([0]), { steps: 3000 });
  assert.equal(r.stop.reason, "converged", r.stop.rule);
  assert.match(r.stop.rule, /Newton step/);
  assert.ok(r.steps < 200, `took ${r.steps} steps`);
  assert.ok(Math.abs(r.parameters[0] - 0.3) <= 2e-10 * 0.3, `${r.parameters[0]}`);
  // Control: without the certificate, the absolute gradient rule never fires at this
  // loss scale, so the same run ends on stagnation or at the cap, never "converged".
  const control = gradientDescent(f, new Float64Array([0]), {
    steps: 3000,
    newtonTolerance: 0,
    gradientTolerance: -1,
  });
  assert.notEqual(control.stop.reason, "converged");
  assert.equal(control.converged, false);
});

Deno.test("gradientDescent: stagnation at the rounding floor; float32 floor; step cap", () => {
  // A loss that is flat to rounding beyond |t - 1| < 1e-5 (quantised to 1e-14 relative).
  const quantised = (t: Float64Array) => {
    const exact = 1 + (t[0] - 1) ** 2;
    return { loss: Math.round(exact * 1e14) / 1e14, gradient: new Float64Array([2 * (t[0] - 1)]) };
  };
  const r = gradientDescent(quantised, new Float64Array([0]), {
    steps: 5000,
    newtonTolerance: 0,
    gradientTolerance: -1,
  });
  assert.equal(r.stop.reason, "stagnation", r.stop.rule);
  assert.equal(r.converged, false);
  assert.ok(r.steps < 5000);
  const r32 = gradientDescent(quantised, new Float64Array([0]), {
    steps: 5000,
    newtonTolerance: 0,
    gradientTolerance: -1,
    lossPrecision: "float32",
  });
  assert.equal(r32.stop.reason, "float32-noise-floor", r32.stop.rule);
  // Control: a run cut short while the loss still falls stops at its cap.
  const capped = gradientDescent(quantised, new Float64Array([0]), {
    steps: 3,
    learningRate: 0.01,
  });
  assert.equal(capped.stop.reason, "step-cap");
  assert.equal(capped.converged, false);
});
