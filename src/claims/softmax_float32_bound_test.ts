import assert from "node:assert/strict";
import { lcaTokenPredict } from "../model/token_predictors.ts";
import type { PromptBatch } from "../model/model_types.ts";
import {
  type SoftmaxParameters,
  softmaxTokenPredict,
  tiedSoftmax,
} from "../model/softmax_models.ts";
import { samplePromptBatch } from "../model/task.ts";
import { fc, fcParameters } from "../../testkit/config.ts";
import { GRAM_LANES } from "../backends/webgpu/token_kernels.ts";
import { lcaTokenForwardBound, softmaxPredictionTolerance } from "./softmax_float32_bound.ts";

const f = Math.fround;

/**
 * The softmax kernel's order emulated on the host in float32 (an fma as a multiply then an add:
 * two roundings, the worst case), on the float32-rounded tokens (|fl(x) - x| <= u |x| <= delta).
 * `scale` multiplies every attention vector (a control: 1 is the kernel).
 */
function emulateSoftmax(batch: PromptBatch, params: SoftmaxParameters, scale = 1): Float64Array {
  const d = batch.task.dim, L = batch.context, T = params.alphas.length;
  const out = new Float64Array(batch.prompts);
  for (let n = 0; n < batch.prompts; n++) {
    const x = (i: number, c: number) => f(batch.x[(n * L + i) * d + c]);
    const xBar = new Array<number>(d).fill(0), mu = new Array<number>(d).fill(0);
    const invL = f(1 / L);
    for (let c = 0; c < d; c++) {
      for (let i = 0; i < L; i++) {
        xBar[c] = f(xBar[c] + x(i, c));
        mu[c] = f(mu[c] + f(f(batch.y[n * L + i]) * x(i, c)));
      }
      xBar[c] = f(xBar[c] * invL);
      mu[c] = f(mu[c] * invL);
    }
    let q = new Array<number>(d).fill(0);
    for (let t = 0; t < T; t++) {
      const tau = f(params.taus[t]);
      const s = Array.from({ length: L }, (_, i) => {
        let v = 0;
        for (let c = 0; c < d; c++) v = f(v + f(x(i, c) * q[c]));
        return f(tau * v);
      });
      const m = Math.max(...s);
      const w = s.map((v) => f(Math.exp(f(v - m))));
      let z = 0;
      for (const v of w) z = f(z + v);
      const alpha = f(params.alphas[t]), w_ = f(f(params.betas[t]) / tau);
      q = q.map((qc, c) => {
        let a = 0;
        for (let i = 0; i < L; i++) a = f(a + f(w[i] * x(i, c)));
        const v = f(f(f(a / z) * scale) - (params.centred ? xBar[c] : 0));
        return f(f(qc + f(alpha * f(batch.query[n * d + c]))) + f(w_ * v));
      });
    }
    let pred = 0;
    for (let c = 0; c < d; c++) pred = f(pred + f(q[c] * mu[c]));
    out[n] = pred;
  }
  return out;
}

/** The LCA kernel's order in float32: per lane a sum over every GRAM_LANES-th token, lanes in order. */
function emulateLca(batch: PromptBatch, alpha: number, beta: number, depth: number): Float64Array {
  const d = batch.task.dim, L = batch.context, out = new Float64Array(batch.prompts);
  for (let n = 0; n < batch.prompts; n++) {
    const x = (i: number, c: number) => f(batch.x[(n * L + i) * d + c]);
    const project = (u: number[], col: (i: number, c: number) => number) => {
      const lanes = new Array<number>(GRAM_LANES).fill(0);
      for (let i = 0; i < L; i++) {
        let s = 0;
        for (let c = 0; c < d; c++) s = f(s + f(x(i, c) * u[c]));
        lanes[i % GRAM_LANES] = f(lanes[i % GRAM_LANES] + f(col(i, 0) * s));
      }
      return f(lanes.reduce((sum, v) => f(sum + v), 0) * f(1 / L));
    };
    let q = new Array<number>(d).fill(0);
    for (let t = 0; t < depth; t++) {
      const a = q.map((_, c) => project(q, (i) => x(i, c)));
      q = q.map((qc, c) => f(f(qc + f(f(alpha) * f(batch.query[n * d + c]))) + f(f(beta) * a[c])));
    }
    out[n] = project(q, (i) => f(batch.y[n * L + i]));
  }
  return out;
}

/** max_n |emulated - float64| / bound. */
const worstRatio = (emulated: Float64Array, exact: Float64Array, bound: Float64Array) =>
  Math.max(...emulated.map((v, n) => Math.abs(v - exact[n]) / bound[n]));

Deno.test("softmax and LCA token bounds hold for the kernels' order emulated in float32", () => {
  const draws = fc.record({
    seed: fc.nat({ max: 2 ** 31 }),
    context: fc.constantFrom(1, 7, 64, 300, 1500),
    tau: fc.constantFrom(0.05, 0.5, 4),
    centred: fc.boolean(),
  });
  fc.assert(
    fc.property(draws, ({ seed, context, tau, centred }) => {
      const batch = samplePromptBatch({ prompts: 3, context, seed, d1: 2, d2: 1 });
      const params = tiedSoftmax(0.3, -0.3, tau, 2, centred);
      const soft = worstRatio(
        emulateSoftmax(batch, params),
        softmaxTokenPredict(batch, params),
        softmaxPredictionTolerance(batch, params),
      );
      assert.ok(soft <= 1, `softmax: ${soft}`);
      const lca = { alpha: 0.3, beta: -0.3, depth: 2 };
      const ratio = worstRatio(
        emulateLca(batch, 0.3, -0.3, 2),
        lcaTokenPredict(batch, lca),
        lcaTokenForwardBound(batch, lca),
      );
      assert.ok(ratio <= 1, `lca: ${ratio}`);
    }),
    fcParameters(15),
  );
});

Deno.test("controls: an attention or a step off by 2^-10 leaves the bounds", () => {
  const batch = samplePromptBatch({ prompts: 8, context: 256, seed: 4 });
  const params = tiedSoftmax(0.3, -0.3, 0.5, 2, false);
  const exact = softmaxTokenPredict(batch, params);
  const bound = softmaxPredictionTolerance(batch, params);
  assert.ok(worstRatio(emulateSoftmax(batch, params), exact, bound) <= 1);
  assert.ok(worstRatio(emulateSoftmax(batch, params, 1 + 2 ** -10), exact, bound) > 1);
  const lca = { alpha: 0.3, beta: -0.3, depth: 2 };
  const lcaExact = lcaTokenPredict(batch, lca), lcaBound = lcaTokenForwardBound(batch, lca);
  assert.ok(worstRatio(emulateLca(batch, 0.3, -0.3, 2), lcaExact, lcaBound) <= 1);
  assert.ok(worstRatio(emulateLca(batch, 0.3 * (1 + 2 ** -10), -0.3, 2), lcaExact, lcaBound) > 1);
});

Deno.test("the running-error bounds are far below the any-order ones at L = 4096", () => {
  // At L = 4096 gamma_L is 2.4e-4: the any-order bounds of a few 1e-3 would be of the size of
  // the C13 differences; the kernel-order and running-error bounds are an order smaller.
  const batch = samplePromptBatch({ prompts: 4, context: 4096, seed: 2 });
  const soft = softmaxPredictionTolerance(batch, tiedSoftmax(0.3, -0.3, 0.5, 2, false));
  const lca = lcaTokenForwardBound(batch, { alpha: 0.3, beta: -0.3, depth: 2 });
  for (const b of [...soft, ...lca]) assert.ok(b > 0 && b < 2e-3, `${b}`);
});
