/**
 * Softmax cross-attention: the stable pass equals a literal softmax, the layer-wise model with
 * equal parameters is `sca` exactly, `sca-centred` tends to LCA on the centred covariance with
 * a gap linear in tau, and `sca` grows like 1/tau as tau -> 0.
 */
import assert from "node:assert/strict";
import { fc, fcParameters } from "../../testkit/config.ts";
import { samplePromptBatch } from "./task.ts";
import { statisticsFromBatch } from "./prompt_statistics.ts";
import { lcaPredict } from "./predictors.ts";
import type { PromptBatch } from "./model_types.ts";
import {
  SOFTMAX_MODELS,
  type SoftmaxParameters,
  softmaxTokenPredict,
  tiedSoftmax,
  validateSoftmaxParameters,
} from "./softmax_models.ts";

const batch = samplePromptBatch({ prompts: 6, context: 20, seed: 11 });

/** The model written out with a literal softmax exp(s_i) / sum_j exp(s_j) (no max shift). */
function literalPredict(b: PromptBatch, p: SoftmaxParameters): number[] {
  const d = b.task.dim, L = b.context;
  const out: number[] = [];
  for (let n = 0; n < b.prompts; n++) {
    const x = (i: number, c: number) => b.x[(n * L + i) * d + c];
    let q = new Array<number>(d).fill(0);
    const xBar = Array.from({ length: d }, (_, c) => {
      let s = 0;
      for (let i = 0; i < L; i++) s += x(i, c);
      return s / L;
    });
    for (let t = 0; t < p.alphas.length; t++) {
      const e = Array.from({ length: L }, (_, i) => {
        let s = 0;
        for (let c = 0; c < d; c++) s += x(i, c) * q[c];
        return Math.exp(p.taus[t] * s);
      });
      const z = e.reduce((a, v) => a + v, 0);
      q = q.map((qc, c) => {
        let a = 0;
        for (let i = 0; i < L; i++) a += (e[i] / z) * x(i, c);
        if (p.centred) a -= xBar[c];
        return qc + p.alphas[t] * b.query[n * d + c] + (p.betas[t] / p.taus[t]) * a;
      });
    }
    let y = 0;
    for (let i = 0; i < L; i++) {
      for (let c = 0; c < d; c++) y += (q[c] * x(i, c) * b.y[n * L + i]) / L;
    }
    out.push(y);
  }
  return out;
}

const layer = (T: number, min: number, max: number) =>
  fc.array(fc.double({ min, max, noNaN: true }), { minLength: T, maxLength: T });
const softmaxParams = fc.integer({ min: 1, max: 5 }).chain((T) =>
  fc.record({
    alphas: layer(T, 0, 0.5),
    betas: layer(T, -0.6, 0.2),
    taus: layer(T, 0.05, 2),
    centred: fc.boolean(),
  })
);

Deno.test("softmaxTokenPredict equals the literal softmax recursion to rounding", () => {
  fc.assert(
    fc.property(softmaxParams, fc.integer({ min: 0, max: 1000 }), (p, seed) => {
      const b = samplePromptBatch({ prompts: 2, context: 9, seed, d1: 1, d2: 2 });
      const stable = softmaxTokenPredict(b, p), literal = literalPredict(b, p);
      literal.forEach((y, n) => assert.ok(Math.abs(stable[n] - y) <= 1e-12 * (1 + Math.abs(y))));
    }),
    fcParameters(40),
  );
});

Deno.test("softmaxTokenPredict: the stable log-sum-exp stays finite where exp overflows", () => {
  const p = tiedSoftmax(0.3, -0.3, 800, 3);
  assert.ok(literalPredict(batch, p).some((y) => !Number.isFinite(y))); // exp(800 s) overflows
  assert.ok(softmaxTokenPredict(batch, p).every(Number.isFinite));
});

Deno.test("sca-layerwise with equal per-layer parameters is sca exactly", () => {
  const tied = softmaxTokenPredict(batch, tiedSoftmax(0.25, -0.4, 0.6, 4));
  const layerwise = softmaxTokenPredict(batch, {
    alphas: [0.25, 0.25, 0.25, 0.25],
    betas: Float64Array.of(-0.4, -0.4, -0.4, -0.4),
    taus: [0.6, 0.6, 0.6, 0.6],
  });
  assert.deepEqual(layerwise, tied);
  // ...and unequal layers do differ.
  const other = softmaxTokenPredict(batch, {
    alphas: [0.25, 0.25, 0.25, 0.25],
    betas: [-0.4, -0.4, -0.4, -0.4],
    taus: [0.6, 0.6, 0.6, 0.9],
  });
  assert.ok(other.some((y, n) => y !== tied[n]));
});

/** The two-parameter LCA on the centred covariance Sigma_hat - x_bar x_bar^T. */
function centredLca(b: PromptBatch, alpha: number, beta: number, depth: number): Float64Array {
  const stats = statisticsFromBatch(b);
  const d = b.task.dim, L = b.context;
  for (let n = 0; n < b.prompts; n++) {
    const xBar = new Float64Array(d);
    for (let i = 0; i < L; i++) {
      for (let c = 0; c < d; c++) xBar[c] += b.x[(n * L + i) * d + c] / L;
    }
    for (let r = 0; r < d; r++) {
      for (let c = 0; c < d; c++) stats.sigmaHat[n * d * d + r * d + c] -= xBar[r] * xBar[c];
    }
  }
  return lcaPredict(stats, { alpha, beta, depth });
}

const maxGap = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));

Deno.test("sca-centred -> LCA on the centred covariance as tau -> 0, with a gap linear in tau", () => {
  // A_t - x_bar = tau (Sigma_hat - x_bar x_bar^T) q_t + O(tau^2), times beta/tau: gap O(tau).
  const [alpha, beta, T] = [0.3, -0.3, 5];
  const lca = centredLca(batch, alpha, beta, T);
  const gaps = [1e-2, 5e-3, 2.5e-3, 1.25e-3].map((tau) =>
    maxGap(softmaxTokenPredict(batch, tiedSoftmax(alpha, beta, tau, T, true)), lca)
  );
  for (let k = 0; k + 1 < gaps.length; k++) {
    const ratio = gaps[k] / gaps[k + 1]; // halving tau halves a linear gap
    assert.ok(ratio > 1.9 && ratio < 2.1, `gap ratio ${ratio} at k = ${k}`);
  }
  assert.ok(gaps[0] / 1e-2 < 10 && gaps[0] > 0); // gap / tau bounded
  // Control: the uncentred sca is nowhere near it (it keeps (beta/tau) x_bar).
  assert.ok(maxGap(softmaxTokenPredict(batch, tiedSoftmax(alpha, beta, 1e-3, T)), lca) > 1);
});

Deno.test("sca grows like 1/tau as tau -> 0: tau y_hat tends to a non-zero limit", () => {
  // With u_t = tau q_t: u_{t+1} = u_t + tau alpha x_q + beta softmax-mean(x_i^T u_t), so at
  // alpha = 0 tau y_hat does not depend on tau, and tau y_hat(alpha) tends to it with gap O(tau).
  const [alpha, beta, T] = [0.3, -0.3, 4];
  const limit = softmaxTokenPredict(batch, tiedSoftmax(0, beta, 1, T));
  const at = (tau: number) =>
    Array.from(softmaxTokenPredict(batch, tiedSoftmax(alpha, beta, tau, T)), (y) => tau * y);
  const scaled = softmaxTokenPredict(batch, tiedSoftmax(0, beta, 1e-3, T)).map((y) => 1e-3 * y);
  assert.ok(maxGap(scaled, limit) <= 1e-12 * (1 + Math.max(...limit.map(Math.abs))));
  const gaps = [1e-2, 1e-3, 1e-4].map((tau) => maxGap(at(tau), limit));
  assert.ok(gaps[1] < gaps[0] / 8 && gaps[2] < gaps[1] / 8, `gaps ${gaps}`);
  assert.ok(Math.min(...limit.map(Math.abs)) > 1e-3); // so |y_hat| ~ |limit| / tau
  const y = softmaxTokenPredict(batch, tiedSoftmax(alpha, beta, 1e-4, T));
  y.forEach((v, n) => assert.ok(Math.abs(v) > 0.5 * Math.abs(limit[n]) / 1e-4));
});

Deno.test("validateSoftmaxParameters refuses malformed parameters, naming them", () => {
  assert.equal(SOFTMAX_MODELS.length, 3);
  const ok = { alphas: [0.3], betas: [-0.3], taus: [0.5] };
  assert.equal(validateSoftmaxParameters(ok), 1);
  assert.throws(() => validateSoftmaxParameters({ ...ok, alphas: [] }), /^RangeError: alphas/);
  assert.throws(() => validateSoftmaxParameters({ ...ok, betas: [1, 2] }), /^RangeError: betas/);
  assert.throws(() => validateSoftmaxParameters({ ...ok, taus: [-1] }), /^RangeError: taus/);
  assert.throws(() => validateSoftmaxParameters({ ...ok, taus: [NaN] }), /^RangeError: taus/);
  assert.throws(
    () => validateSoftmaxParameters({ ...ok, centred: 1 as never }),
    /^TypeError: centred/,
  );
  assert.throws(
    () => validateSoftmaxParameters({ ...ok, tau: 1 } as never),
    /^TypeError: parameters/,
  );
  assert.throws(() => tiedSoftmax(0.3, -0.3, 0, 2), /^RangeError: taus/);
  assert.throws(() => softmaxTokenPredict(null as never, ok), /^TypeError: batch/);
});
