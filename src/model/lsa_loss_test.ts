import assert from "node:assert/strict";
import {
  lsaLoss,
  lsaLossValue,
  lsaResidualCurvature,
  lsaResidualJacobian,
  lsaResidualRows,
} from "./lsa_loss.ts";
import { samplePromptStatistics } from "./prompt_statistics.ts";
import { lsaPredict } from "./predictors.ts";

const stats = samplePromptStatistics({ prompts: 200, context: 30, seed: 5, stream: 0 });
const d = stats.task.dim, e = d + 1, n = e + e * d;
const theta = Float64Array.from({ length: n }, (_, i) => 0.4 * Math.sin(0.9 * i + 0.3));
const params = { p: theta.subarray(0, e), k: theta.subarray(e) };
const target = stats.queryLabel;
const U = Number.EPSILON / 2;

Deno.test("lsaResidualJacobian: (2/N) J^T r is lsaLoss's gradient and mean r^2 its loss", () => {
  const { residuals, jacobian } = lsaResidualJacobian(stats, target, params);
  const loss = lsaLoss(stats, target, params);
  const N = stats.prompts;
  let squares = 0;
  for (const r of residuals) squares += r * r;
  // The same per-prompt arithmetic: equal to the bit.
  assert.equal(squares / N, loss.loss);
  assert.equal(lsaLossValue(stats, target, params), loss.loss);
  const gradient = [...loss.p, ...loss.k];
  // Two N-term sums of products in different orders: gamma_{N+2} times the absolute sum.
  let worst = 0;
  for (let i = 0; i < n; i++) {
    let g = 0, abs = 0;
    for (let m = 0; m < N; m++) {
      g += (2 / N) * residuals[m] * jacobian[m * n + i];
      abs += (2 / N) * Math.abs(residuals[m] * jacobian[m * n + i]);
    }
    const bound = 2 * ((N + 2) * U) * abs + Number.MIN_VALUE;
    worst = Math.max(worst, Math.abs(g - gradient[i]) / bound);
  }
  assert.ok(worst <= 1, `worst |J^T r - gradient| / bound = ${worst}`);
});

Deno.test("lsaResidualJacobian: each column is the exact change of r along its coordinate", () => {
  // r is linear in p for fixed K and in K for fixed p, so r(theta + e_i) - r(theta) equals
  // column i up to rounding (a few ulps of |G| |K x| |p| per prompt); control: a column
  // scaled by 1 + 1e-6 is caught.
  const { residuals, jacobian } = lsaResidualJacobian(stats, target, params);
  const base = Float64Array.from(residuals);
  const J = Float64Array.from(jacobian);
  for (const i of [0, e - 1, e, n - 1]) {
    const moved = Float64Array.from(theta);
    moved[i] += 1;
    const next = lsaResidualJacobian(stats, target, {
      p: moved.subarray(0, e),
      k: moved.subarray(e),
    });
    let worst = 0, wrong = 0;
    for (let m = 0; m < stats.prompts; m++) {
      const change = next.residuals[m] - base[m];
      const scale = 1e-12 * (1 + Math.abs(base[m]) + Math.abs(J[m * n + i]));
      worst = Math.max(worst, Math.abs(change - J[m * n + i]) / scale);
      wrong = Math.max(wrong, Math.abs(change - J[m * n + i] * (1 + 1e-6)) / scale);
    }
    assert.ok(worst <= 1, `column ${i}: ${worst}`);
    assert.ok(wrong > 1, `column ${i} control: ${wrong}`);
  }
});

Deno.test("lsaResidualJacobian: refuses a wrong-length target or output buffer", () => {
  assert.throws(() => lsaResidualJacobian(stats, new Float64Array(3), params), /target/);
  assert.throws(
    () =>
      lsaResidualJacobian(stats, target, params, {
        residuals: new Float64Array(stats.prompts),
        jacobian: new Float64Array(5),
      }),
    /out\.jacobian/,
  );
});

Deno.test("lsaResidualCurvature: (2/N)(J^T J + sum r d^2 r) is the Hessian of lsaLoss", () => {
  const N = stats.prompts;
  const { jacobian } = lsaResidualJacobian(stats, target, params);
  const h = new Float64Array(n * n);
  for (let m = 0; m < N; m++) {
    for (let a = 0; a < n; a++) {
      for (let b = 0; b <= a; b++) h[a * n + b] += jacobian[m * n + a] * jacobian[m * n + b];
    }
  }
  const gaussNewton = Float64Array.from(h);
  lsaResidualCurvature(stats, target, params, h);
  const full = (m: Float64Array) => (a: number, b: number) =>
    (2 / N) * (a >= b ? m[a * n + b] : m[b * n + a]);
  const hessian = full(h), gnOnly = full(gaussNewton);
  // The gradient is a cubic polynomial in t along any direction u, so Richardson's
  // (4 D(h/2) - D(h)) / 3 of central differences is H u exactly, up to rounding
  // (~ eps |g| / h ~ 1e-13 relative at h = 1e-3); 1e-8 leaves five decades.
  const gradientAt = (t: number, u: Float64Array) => {
    const moved = theta.map((v, i) => v + t * u[i]);
    const r = lsaLoss(stats, target, { p: moved.subarray(0, e), k: moved.subarray(e) });
    return [...r.p, ...r.k];
  };
  const u = Float64Array.from({ length: n }, (_, i) => Math.cos(2.1 * i + 0.5));
  const step = 1e-3;
  const central = (s: number) => {
    const plus = gradientAt(s, u), minus = gradientAt(-s, u);
    return plus.map((v, i) => (v - minus[i]) / (2 * s));
  };
  const d1 = central(step), d2 = central(step / 2);
  const exact = d1.map((v, i) => (4 * d2[i] - v) / 3);
  let worst = 0, worstGn = 0, scale = 0;
  for (let a = 0; a < n; a++) {
    let hu = 0, gu = 0;
    for (let b = 0; b < n; b++) {
      hu += hessian(a, b) * u[b];
      gu += gnOnly(a, b) * u[b];
    }
    scale = Math.max(scale, Math.abs(exact[a]));
    worst = Math.max(worst, Math.abs(hu - exact[a]));
    worstGn = Math.max(worstGn, Math.abs(gu - exact[a]));
  }
  assert.ok(worst <= 1e-8 * scale, `|H u - Richardson| = ${worst} (scale ${scale})`);
  // Control: Gauss-Newton alone (without the residual curvature) misses it by far more.
  assert.ok(worstGn > 1e-4 * scale, `Gauss-Newton alone: ${worstGn}`);
});

Deno.test("lsaResidualRows without a Jacobian, and the curvature from given residuals, change nothing", () => {
  // The residual-only path (trial losses) and the curvature fed the residuals that
  // Levenberg-Marquardt already has must be the same arithmetic: equal to the bit.
  // Control: residuals off by one ulp in one prompt move the curvature.
  const N = stats.prompts;
  const { residuals } = lsaResidualJacobian(stats, target, params);
  const only = new Float64Array(N);
  lsaResidualRows(stats, target, params, 0, N, only, null);
  assert.deepEqual(only, residuals);
  const computed = new Float64Array(n * n), given = new Float64Array(n * n);
  lsaResidualCurvature(stats, target, params, computed);
  lsaResidualCurvature(stats, target, params, given, residuals);
  assert.deepEqual(given, computed);
  const nudged = Float64Array.from(residuals);
  nudged[7] *= 1 + Number.EPSILON;
  const moved = new Float64Array(n * n);
  lsaResidualCurvature(stats, target, params, moved, nudged);
  assert.notDeepEqual(moved, computed);
});

Deno.test("lsaLoss: the mean squared residual of lsaPredict's predictions; p has d + 1 entries", () => {
  const predictions = lsaPredict(stats, params);
  let expected = 0;
  for (let m = 0; m < stats.prompts; m++) expected += (predictions[m] - target[m]) ** 2;
  expected /= stats.prompts;
  const loss = lsaLoss(stats, target, params);
  assert.ok(Math.abs(loss.loss - expected) <= 1e-12 * expected, `${loss.loss} vs ${expected}`);
  assert.equal(lsaLossValue(stats, target, params), loss.loss);
  assert.equal(loss.p.length, e);
  assert.equal(loss.k.length, e * d);
  const { residuals } = lsaResidualJacobian(stats, target, params);
  residuals.forEach((r, m) => assert.ok(Math.abs(r - (predictions[m] - target[m])) <= 1e-12));
  assert.throws(
    () =>
      lsaResidualJacobian(stats, target, params, {
        residuals: new Float64Array(3),
        jacobian: new Float64Array(stats.prompts * n),
      }),
    /^RangeError: out\.residuals must have length 200, got length 3$/,
  );
  assert.throws(
    () => lsaLoss(stats, new Float64Array(7), params),
    /^RangeError: target must have length \d+, got length 7$/,
  );
  assert.throws(() => lsaLoss(stats, target, { p: params.p, k: params.k.subarray(1) }), /k must/);
});
