import assert from "node:assert/strict";
import { choleskySolve } from "../numeric/linalg.ts";
import { bayesTarget, samplePromptStatistics } from "../model/prompt_statistics.ts";
import { untiedJacobian, untiedLoss } from "../model/untied.ts";
import { trainUntied } from "./untied_training.ts";

const stats = samplePromptStatistics({ prompts: 400, context: Infinity, seed: 3, stream: 0 });
const target = bayesTarget(stats);
const d = stats.task.dim;

/**
 * At T = 1 the untied prediction is linear in A (y_hat = mu_hat^T A x_q) and B is unused, so
 * the least-squares A has a closed form: the normal equations of the d^2 features
 * vec(mu_hat x_q^T). Returns its entries.
 */
function leastSquaresA(): Float64Array {
  const p = d * d;
  const gram = new Float64Array(p * p), rhs = new Float64Array(p);
  for (let n = 0; n < stats.prompts; n++) {
    const phi = new Float64Array(p);
    for (let r = 0; r < d; r++) {
      for (let c = 0; c < d; c++) phi[r * d + c] = stats.muHat[n * d + r] * stats.query[n * d + c];
    }
    for (let a = 0; a < p; a++) {
      rhs[a] += phi[a] * target[n];
      for (let b = 0; b < p; b++) gram[a * p + b] += phi[a] * phi[b];
    }
  }
  return choleskySolve(gram, rhs, p);
}

/** Largest |a - b| / max|b| over the entries. */
function relativeDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0, scale = 0;
  for (let i = 0; i < b.length; i++) {
    worst = Math.max(worst, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return worst / scale;
}

// The closed form's own rounding error: Cholesky on a Gram matrix of condition ~1e2-1e3 in
// float64 gives ~1e-13 relative; 1e-9 leaves four decades for LM's stopping rule
// (|delta| <= 1e-10 |theta|).
const T1_TOLERANCE = 1e-9;

Deno.test("trainUntied (Levenberg-Marquardt): at T = 1 it finds the closed-form least-squares A", () => {
  const run = trainUntied(stats, target, { depth: 1, seed: 4 });
  assert.notEqual(run.run.stop.reason, "step-cap", run.run.stop.rule);
  const exact = leastSquaresA();
  const distance = relativeDistance(run.parameters.a, exact);
  assert.ok(distance <= T1_TOLERANCE, `|A - A_ls| / |A_ls| = ${distance}`);
  // Control near the margin: the closed form moved by 3 tolerances is rejected.
  const moved = exact.map((v, i) => v + (i === 0 ? 3 * T1_TOLERANCE * Math.max(...exact) : 0));
  assert.ok(relativeDistance(moved, exact) > T1_TOLERANCE);
  // Control: 20 gradient-descent steps are far from it (descent needs hundreds to thousands).
  const gd = trainUntied(stats, target, {
    depth: 1,
    seed: 4,
    steps: 20,
    method: "gradient-descent",
  });
  assert.ok(relativeDistance(gd.parameters.a, exact) > T1_TOLERANCE);
});

Deno.test("trainUntied (Levenberg-Marquardt): at T = 3 from random starts it stops on a certificate at a stationary point", () => {
  for (const seed of [1, 2]) {
    const run = trainUntied(stats, target, { depth: 3, seed, scale: 0.3 });
    assert.ok(
      run.run.stop.reason === "converged" || run.run.stop.reason === "stagnation",
      run.run.stop.rule,
    );
    assert.ok(run.run.steps < 500, `${run.run.steps} iterations`);
    // Stationarity, scale-free: |grad| |theta| / loss at the rounding level of the loss
    // (N = 400 terms: ~N eps relative), far below a point that is still descending.
    const g = untiedLoss(stats, target, run.parameters);
    const norm = (v: Float64Array) => Math.hypot(...v);
    const theta = Math.hypot(norm(run.parameters.a), norm(run.parameters.b));
    const stationarity = Math.hypot(norm(g.a), norm(g.b)) * theta / g.loss;
    assert.ok(stationarity < 1e-6, `|g| |theta| / loss = ${stationarity}`);
    // Control: three iterations are not stationary by the same measure.
    const early = trainUntied(stats, target, { depth: 3, seed, scale: 0.3, steps: 3 });
    assert.equal(early.run.stop.reason, "step-cap");
    const ge = untiedLoss(stats, target, early.parameters);
    const te = Math.hypot(norm(early.parameters.a), norm(early.parameters.b));
    assert.ok(Math.hypot(norm(ge.a), norm(ge.b)) * te / ge.loss > 1e-6);
  }
});

Deno.test("untiedJacobian: its rows give untiedLoss's gradient (2/N) J^T r", () => {
  const run = trainUntied(stats, target, { depth: 2, seed: 1, steps: 2 });
  const j = untiedJacobian(stats, run.parameters);
  const loss = untiedLoss(stats, target, run.parameters);
  const size = run.parameters.a.length;
  const ga = new Float64Array(size);
  for (let n = 0; n < stats.prompts; n++) {
    const r = j.predictions[n] - target[n];
    for (let i = 0; i < size; i++) ga[i] += 2 * r * j.a[n * size + i] / stats.prompts;
  }
  const distance = relativeDistance(ga, loss.a);
  assert.ok(distance < 1e-12, `relative distance ${distance}`);
  // Control: one Jacobian row dropped changes the gradient beyond the tolerance.
  const dropped = Float64Array.from(ga);
  const r0 = j.predictions[0] - target[0];
  for (let i = 0; i < size; i++) dropped[i] -= 2 * r0 * j.a[i] / stats.prompts;
  assert.ok(relativeDistance(dropped, loss.a) > 1e-12);
});

Deno.test("trainUntied: a bad method is a RangeError naming it", () => {
  assert.throws(
    () =>
      trainUntied(stats, target, {
        depth: 1,
        method: "newton" as unknown as "gradient-descent",
      }),
    /method must be "levenberg-marquardt" or "gradient-descent", got newton/,
  );
});
