/**
 * A-posteriori float32 error bounds of the WebGPU softmax cross-attention kernels
 * (`src/backends/webgpu/softmax_kernels.ts`, `softmax_train_kernels.ts`), propagated per prompt
 * along the float64 trace of `softmaxPromptForward`. The forward bound lives in
 * src/claims/softmax_float32_bound.ts (C13 adds it to its margins on WebGPU) and is re-exported
 * here; the reverse pass (the trainer's loss and gradient) is here. The derivation is in the module docs of
 * props/webgpu_softmax_parity_test.ts (forward) and props/webgpu_softmax_trainer_parity_test.ts
 * (reverse pass); the notation (u, gamma_K, delta, X, Xd, F) is theirs.
 *
 * @module
 */

import type { PromptBatch } from "../src/model/model_types.ts";
import type { SoftmaxParameters } from "../src/model/softmax_models.ts";
import {
  softmaxForwardBound,
  type SoftmaxPromptBound,
} from "../src/claims/softmax_float32_bound.ts";
import { gamma, tokenDelta, U } from "./float32_bounds.ts";

export {
  softmaxForwardBound,
  type SoftmaxLayerBound,
  softmaxPredictionTolerance,
  type SoftmaxPromptBound,
} from "../src/claims/softmax_float32_bound.ts";

const FLUSH = 2 ** -126;

/** |x_ic| of prompt n. */
const absToken = (batch: PromptBatch, n: number) => (i: number, c: number) =>
  Math.abs(batch.x[(n * batch.context + i) * batch.task.dim + c]);

/** A nominal (abs-valued, >= |exact|) and upper (>= |computed|) pair: error <= hi - lo. */
interface Pair {
  lo: number;
  hi: number;
}

/** sum_c a_c b_c over pairs with K roundings: lo = sum lo lo, hi = (1 + gamma_K) sum hi hi. */
function dot(a: Pair[], b: Pair[], k: number): Pair {
  let lo = 0, hi = 0;
  for (let c = 0; c < a.length; c++) {
    lo += a[c].lo * b[c].lo;
    hi += a[c].hi * b[c].hi;
  }
  return { lo, hi: (1 + gamma(k)) * hi };
}

/** The reverse pass of one layer: the derivative pairs, and g updated in place. */
function reverseLayer(
  batch: PromptBatch,
  n: number,
  t: number,
  params: SoftmaxParameters,
  fwd: SoftmaxPromptBound,
  g: Pair[],
) {
  const d = batch.task.dim, L = batch.context, delta = tokenDelta(batch), X = absToken(batch, n);
  const tr = fwd.trace, lb = fwd.layers[t], c0 = params.centred ? 1 : 0;
  const tau = params.taus[t], beta = Math.abs(params.betas[t]);
  const inv = { lo: 1 / tau, hi: 1 / (tau * (1 - U)) };
  const w = { lo: beta / tau, hi: (beta * (1 + U) + FLUSH) * inv.hi * (1 + U) };
  const xq = Array.from({ length: d }, (_, c) => {
    const v = Math.abs(batch.query[n * d + c]);
    return { lo: v, hi: v + delta };
  });
  const vPair = Array.from({ length: d }, (_, c) => {
    const v = Math.abs(tr.a[t * d + c] - c0 * tr.xBar[c]);
    return { lo: v, hi: v + lb.eV[c] };
  });
  const aPair = Array.from({ length: d }, (_, c) => {
    const v = Math.abs(tr.a[t * d + c]);
    return { lo: v, hi: v + lb.eA[c] };
  });
  const dAlpha = dot(g, xq, d), gd = dot(g, vPair, d), ga = dot(g, aPair, d);
  const dBeta = { lo: gd.lo * inv.lo, hi: gd.hi * inv.hi * (1 + U) };
  const gt = { lo: w.lo * gd.lo * inv.lo, hi: w.hi * gd.hi * inv.hi * (1 + U) ** 2 };
  let etLo = 0, etHi = 0;
  const accLo = new Float64Array(d), accHi = new Float64Array(d);
  for (let j = 0; j < L; j++) {
    const xj = Array.from({ length: d }, (_, c) => ({ lo: X(j, c), hi: X(j, c) + delta }));
    const gx = dot(g, xj, d), p = tr.p[t * L + j];
    const pHi = p * (1 + lb.kappa[j]) * (1 + gamma(L + 1));
    const eLo = w.lo * p * (gx.lo + ga.lo);
    const eHi = w.hi * pHi * (gx.hi + ga.hi) * (1 + U) ** 3;
    const s = Math.abs(tau * tr.r[t * L + j]);
    etLo += eLo * s;
    etHi += eHi * (s + lb.eps[j]);
    for (let c = 0; c < d; c++) {
      accLo[c] += eLo * xj[c].lo;
      accHi[c] += eHi * xj[c].hi;
    }
  }
  const dTau = {
    lo: gt.lo + etLo * inv.lo,
    hi: (gt.hi + (1 + gamma(L)) * etHi * inv.hi * (1 + U)) * (1 + U),
  };
  for (let c = 0; c < d; c++) {
    g[c] = {
      lo: g[c].lo + tau * accLo[c],
      hi: (g[c].hi + tau * (1 + U) * (1 + gamma(L)) * accHi[c] * (1 + U)) * (1 + U),
    };
  }
  return { dAlpha, dBeta, dTau };
}

/** Tolerances of the loss and the per-layer gradient of the softmax trainer. */
export function softmaxGradientTolerance(
  batch: PromptBatch,
  target: ArrayLike<number>,
  params: SoftmaxParameters,
): { loss: number; alphas: Float64Array; betas: Float64Array; taus: Float64Array } {
  const N = batch.prompts, T = params.alphas.length, d = batch.task.dim;
  const tol = { loss: 0, alphas: new Float64Array(T), betas: new Float64Array(T) };
  const taus = new Float64Array(T);
  for (let n = 0; n < N; n++) {
    const fwd = softmaxForwardBound(batch, n, params);
    const res = Math.abs(fwd.y - target[n]), ep = fwd.pred;
    tol.loss += (2 * res * ep + ep * ep) / N;
    const g = Array.from({ length: d }, (_, c) => {
      const mu = Math.abs(fwd.trace.mu[c]);
      return { lo: mu, hi: mu + fwd.eMu[c] };
    });
    const add = (out: Float64Array, t: number, pair: Pair) => {
      out[t] += 2 / N * ((res + ep) * pair.hi - res * pair.lo);
    };
    for (let t = T - 1; t >= 0; t--) {
      const { dAlpha, dBeta, dTau } = reverseLayer(batch, n, t, params, fwd, g);
      add(tol.alphas, t, dAlpha);
      add(tol.betas, t, dBeta);
      add(taus, t, dTau);
    }
  }
  const fix = (v: number) => Number.isNaN(v) ? Infinity : v + 1e-30;
  return {
    loss: fix(tol.loss),
    alphas: tol.alphas.map(fix),
    betas: tol.betas.map(fix),
    taus: taus.map(fix),
  };
}
