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
  });
  assert.ok(r.converged);
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
