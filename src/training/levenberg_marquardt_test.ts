import assert from "node:assert/strict";
import { choleskySolve } from "../numeric/linalg.ts";
import { type LeastSquaresProblem, levenbergMarquardt } from "./levenberg_marquardt.ts";

/**
 * A linear least-squares problem r = X theta - y with a fixed 150 x 4 design (more rows than
 * one block of the accumulation, so the block boundaries are exercised).
 */
function linearProblem(): { problem: LeastSquaresProblem; exact: Float64Array } {
  const N = 150, n = 4;
  const x = Float64Array.from({ length: N * n }, (_, i) => Math.sin(1.3 * i + 0.4) + (i % 3));
  const y = Float64Array.from({ length: N }, (_, i) => Math.cos(0.7 * i) + 0.5 * i / N);
  const residuals = (theta: Float64Array) =>
    Float64Array.from({ length: N }, (_, p) => {
      let s = -y[p];
      for (let a = 0; a < n; a++) s += x[p * n + a] * theta[a];
      return s;
    });
  const gram = new Float64Array(n * n), rhs = new Float64Array(n);
  for (let p = 0; p < N; p++) {
    for (let a = 0; a < n; a++) {
      rhs[a] += x[p * n + a] * y[p];
      for (let b = 0; b < n; b++) gram[a * n + b] += x[p * n + a] * x[p * n + b];
    }
  }
  return {
    problem: {
      residualCount: N,
      rows: (theta, start, count, r, jacobian) => {
        r.set(residuals(theta).subarray(start, start + count));
        jacobian.set(x.subarray(start * n, (start + count) * n));
      },
      loss: (theta) => residuals(theta).reduce((s, r) => s + r * r, 0) / N,
    },
    exact: choleskySolve(gram, rhs, n),
  };
}

const relativeError = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let worst = 0, scale = 0;
  for (let i = 0; i < b.length; i++) {
    worst = Math.max(worst, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return worst / scale;
};

// The normal equations' own rounding (condition ~1e2, eps 2e-16) is ~1e-13 relative; the
// stopping rule |delta| <= 1e-10 |theta| leaves at most ~1e-10 (a Gauss-Newton step on a
// linear problem is exact, so the last step's size bounds the error). 1e-9 sits above both.
const LINEAR_TOLERANCE = 1e-9;

Deno.test("levenbergMarquardt: a linear problem ends at the normal-equation solution, converged", () => {
  const { problem, exact } = linearProblem();
  const run = levenbergMarquardt(problem, new Float64Array(4));
  assert.equal(run.stop.reason, "converged", run.stop.rule);
  assert.ok(run.steps < 20, `${run.steps} iterations`);
  const error = relativeError(run.parameters, exact);
  assert.ok(error <= LINEAR_TOLERANCE, `relative error ${error}`);
  // Control near the margin: the solution moved by 3 tolerances is rejected.
  const moved = exact.map((v, i) => (i === 0 ? v + 3 * LINEAR_TOLERANCE * Math.max(...exact) : v));
  assert.ok(relativeError(moved, exact) > LINEAR_TOLERANCE);
  // Control: one iteration (a damped step at mu = 1e-3) is not the solution and is a step cap.
  const one = levenbergMarquardt(problem, new Float64Array(4), { iterations: 1 });
  assert.equal(one.stop.reason, "step-cap");
  assert.ok(relativeError(one.parameters, exact) > LINEAR_TOLERANCE);
});

Deno.test("levenbergMarquardt: Rosenbrock's valley (r = [10 (y - x^2), 1 - x]) ends at (1, 1)", () => {
  const residuals = (t: Float64Array) => new Float64Array([10 * (t[1] - t[0] * t[0]), 1 - t[0]]);
  const rows = (dYdY: number): LeastSquaresProblem["rows"] => (t, start, count, r, jacobian) => {
    r.set(residuals(t).subarray(start, start + count));
    jacobian.set(
      new Float64Array([-20 * t[0], dYdY, -1, 0]).subarray(2 * start, 2 * (start + count)),
    );
  };
  const problem: LeastSquaresProblem = {
    residualCount: 2,
    rows: rows(10),
    loss: (t) => residuals(t).reduce((s, r) => s + r * r, 0) / 2,
  };
  const run = levenbergMarquardt(problem, new Float64Array([-1.2, 1]));
  assert.equal(run.stop.reason, "converged", run.stop.rule);
  // Quadratic convergence at a zero-residual minimum: the last step bounds the error.
  assert.ok(Math.abs(run.parameters[0] - 1) <= 1e-9 && Math.abs(run.parameters[1] - 1) <= 1e-9);
  assert.ok(run.loss <= 1e-20, `loss ${run.loss}`);
  // Control: a wrong Jacobian entry (d r_1 / dy = 5, not 10) does not reach the minimum in
  // the same iterations.
  const wrong = levenbergMarquardt({ ...problem, rows: rows(5) }, new Float64Array([-1.2, 1]), {
    iterations: run.steps,
  });
  assert.ok(
    Math.abs(wrong.parameters[0] - 1) > 1e-9 || wrong.stop.reason !== "converged",
    `${wrong.parameters} ${wrong.stop.rule}`,
  );
});

Deno.test("levenbergMarquardt: at the minimum a light damping certifies it, a heavy one is stagnation", () => {
  const { problem, exact } = linearProblem();
  const light = levenbergMarquardt(problem, exact);
  assert.equal(light.stop.reason, "converged", light.stop.rule);
  assert.ok(light.steps <= 2, `${light.steps}`);
  // mu = 1e6: the damped step is shrunk a millionfold, so its smallness certifies nothing.
  const heavy = levenbergMarquardt(problem, exact, { damping: 1e6 });
  assert.equal(heavy.stop.reason, "stagnation", heavy.stop.rule);
  assert.match(heavy.stop.rule, /mu = 1\.0e\+6 > 1/);
});

Deno.test("levenbergMarquardt: the residual curvature turns linear convergence into Newton's", () => {
  // r = [t^2 - 1, 2 t - 5]: at the minimum (t^3 + t - 5 = 0) both residuals stay
  // large, so the Gauss-Newton matrix misses 2 r_1 of the Hessian and converges linearly.
  const residuals = (t: Float64Array) => new Float64Array([t[0] * t[0] - 1, 2 * t[0] - 5]);
  const problem: LeastSquaresProblem = {
    residualCount: 2,
    rows: (t, start, count, r, jacobian) => {
      r.set(residuals(t).subarray(start, start + count));
      jacobian.set(new Float64Array([2 * t[0], 2]).subarray(start, start + count));
    },
    loss: (t) => residuals(t).reduce((s, r) => s + r * r, 0) / 2,
  };
  const newton = levenbergMarquardt(
    { ...problem, residualCurvature: (t, h) => (h[0] += 2 * residuals(t)[0]) },
    new Float64Array([3]),
  );
  const gaussNewton = levenbergMarquardt(problem, new Float64Array([3]));
  // The minimiser solves l'(t) = 2 t (t^2 - 1) + 2 (2 t - 5) = 0, i.e. t^3 + t - 5 = 0.
  const root = newton.parameters[0];
  assert.ok(Math.abs(root ** 3 + root - 5) <= 1e-12, `${root}`);
  assert.equal(newton.stop.reason, "converged", newton.stop.rule);
  assert.ok(Math.abs(gaussNewton.parameters[0] - root) <= 1e-8);
  // Control: Gauss-Newton alone needs more iterations on the same problem.
  assert.ok(
    newton.steps < gaussNewton.steps,
    `Newton ${newton.steps} vs Gauss-Newton ${gaussNewton.steps}`,
  );
});
