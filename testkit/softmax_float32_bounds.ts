/**
 * A-posteriori float32 error bounds of the WebGPU softmax cross-attention kernels
 * (`src/backends/webgpu/softmax_kernels.ts`, `softmax_train_kernels.ts`), propagated per prompt
 * along the float64 trace of `softmaxPromptForward`. The derivation is in the module docs of
 * props/webgpu_softmax_parity_test.ts (forward) and props/webgpu_softmax_trainer_parity_test.ts
 * (reverse pass); the notation (u, gamma_K, delta, X, Xd, F) is theirs.
 *
 * @module
 */

import type { PromptBatch } from "../src/model/model_types.ts";
import {
  allocateSoftmaxTrace,
  type SoftmaxParameters,
  softmaxPromptForward,
  type SoftmaxTrace,
} from "../src/model/softmax_models.ts";
import { gamma, tokenDelta, U } from "./float32_bounds.ts";

const FLUSH = 2 ** -126;

/** The forward bounds of one layer that the reverse pass needs. */
export interface SoftmaxLayerBound {
  /** eps_i: |s~_i - tau r_i|. */
  eps: Float64Array;
  /** kappa_i: |P~_i - p_i| <= kappa_i p_i. */
  kappa: Float64Array;
  /** e_A per component. */
  eA: Float64Array;
  /** e_v per component (v = A - [centred] x_bar). */
  eV: Float64Array;
}

/** The forward bound of one prompt with what the reverse pass reuses. */
export interface SoftmaxPromptBound {
  /** The bound on |y_gpu - y|. */
  pred: number;
  /** e_mu per component. */
  eMu: Float64Array;
  /** Per layer. */
  layers: SoftmaxLayerBound[];
  /** The float64 trace. */
  trace: SoftmaxTrace;
  /** The float64 prediction. */
  y: number;
}

/** The log-perturbations |phi_i| of one layer's weights and whether each may flush to 0. */
function weightPerturbations(eps: Float64Array, scaled: Float64Array) {
  const top = Math.max(...scaled), epsMax = Math.max(...eps);
  const phi = new Float64Array(eps.length), flushable: boolean[] = [];
  for (let i = 0; i < eps.length; i++) {
    const a = top - scaled[i] + 2 * epsMax;
    const eta = 2 * U * (3 + 2 * a);
    phi[i] = eps[i] + U * a + eta / (1 - eta);
    flushable.push(a > 87);
  }
  return { phi, flushable };
}

/** The bound kappa_i on |P~_i - p_i| / p_i. */
function weightKappas(p: Float64Array, phi: Float64Array, flushable: boolean[]): Float64Array {
  let sPlus = 0, sMinus = 0;
  for (let i = 0; i < p.length; i++) {
    sPlus += p[i] * Math.exp(phi[i]);
    if (!flushable[i]) sMinus += p[i] * Math.exp(-phi[i]);
  }
  return phi.map((f, i) => {
    const up = Math.exp(f) / sMinus - 1;
    const down = flushable[i] ? 1 : 1 - Math.exp(-f) / sPlus;
    return Math.max(up, down);
  });
}

/** |x_ic| of prompt n. */
const absToken = (batch: PromptBatch, n: number) => (i: number, c: number) =>
  Math.abs(batch.x[(n * batch.context + i) * batch.task.dim + c]);

/** e_xbar and e_mu of prompt n. */
function momentBounds(batch: PromptBatch, n: number, delta: number) {
  const d = batch.task.dim, L = batch.context, X = absToken(batch, n);
  const eXbar = new Float64Array(d), eMu = new Float64Array(d);
  for (let c = 0; c < d; c++) {
    let sxd = 0, sx = 0, syd = 0, sy = 0;
    for (let i = 0; i < L; i++) {
      const y = Math.abs(batch.y[n * L + i]);
      sxd += X(i, c) + delta;
      sx += X(i, c);
      syd += (y + delta) * (X(i, c) + delta);
      sy += y * X(i, c);
    }
    eXbar[c] = ((1 + gamma(L + 2)) * sxd - sx) / L;
    eMu[c] = ((1 + gamma(L + 2)) * syd - sy) / L;
  }
  return { eXbar, eMu };
}

/** Layer t's score bounds eps_i and weight bounds kappa_i, given e_q. */
function attentionBounds(
  batch: PromptBatch,
  n: number,
  t: number,
  tau: number,
  tr: SoftmaxTrace,
  eq: Float64Array,
) {
  const d = batch.task.dim, L = batch.context, X = absToken(batch, n), delta = tokenDelta(batch);
  const q = tr.q.subarray(t * d, (t + 1) * d);
  const eps = new Float64Array(L), scaled = new Float64Array(L);
  for (let i = 0; i < L; i++) {
    let big = 0, nominal = 0;
    for (let c = 0; c < d; c++) {
      big += (X(i, c) + delta) * (Math.abs(q[c]) + eq[c]);
      nominal += X(i, c) * Math.abs(q[c]);
    }
    eps[i] = tau * ((1 + gamma(d + 2)) * big - nominal);
    scaled[i] = tau * tr.r[t * L + i];
  }
  const { phi, flushable } = weightPerturbations(eps, scaled);
  return { eps, kappa: weightKappas(tr.p.subarray(t * L, (t + 1) * L), phi, flushable) };
}

/** The forward bound of prompt n (the header of props/webgpu_softmax_parity_test.ts). */
export function softmaxForwardBound(
  batch: PromptBatch,
  n: number,
  params: SoftmaxParameters,
): SoftmaxPromptBound {
  const d = batch.task.dim, L = batch.context, T = params.alphas.length;
  const delta = tokenDelta(batch), c0 = params.centred ? 1 : 0, X = absToken(batch, n);
  const tr = allocateSoftmaxTrace(T, L, d);
  const y = softmaxPromptForward(batch, n, params, tr);
  const { eXbar, eMu } = momentBounds(batch, n, delta);
  const layers: SoftmaxLayerBound[] = [];
  let eq = new Float64Array(d);
  for (let t = 0; t < T; t++) {
    const tau = params.taus[t], q = tr.q.subarray(t * d, (t + 1) * d);
    const { eps, kappa } = attentionBounds(batch, n, t, tau, tr, eq);
    const p = tr.p.subarray(t * L, (t + 1) * L);
    const alpha = Math.abs(params.alphas[t]), beta = Math.abs(params.betas[t]);
    const next = new Float64Array(d), eA = new Float64Array(d), eV = new Float64Array(d);
    for (let c = 0; c < d; c++) {
      let absA = 0;
      for (let i = 0; i < L; i++) {
        eA[c] += p[i] * (kappa[i] * (X(i, c) + delta) + delta);
        absA += p[i] * (1 + kappa[i]) * (X(i, c) + delta);
      }
      eA[c] += gamma(2 * L + 1) * absA;
      const v = Math.abs(tr.a[t * d + c] - c0 * tr.xBar[c]);
      eV[c] = (eA[c] + c0 * eXbar[c]) * (1 + U) + U * v;
      const xq = Math.abs(batch.query[n * d + c]);
      const aAlpha = (alpha * (1 + U) + FLUSH) * (xq + delta) * (1 + U);
      const wV = (beta * (1 + U) + FLUSH) / (tau * (1 - U)) * (1 + U) ** 2 * (v + eV[c]);
      const big = Math.abs(q[c]) + eq[c] + aAlpha + wV;
      next[c] = (1 + gamma(2)) * big - (Math.abs(q[c]) + alpha * xq + beta / tau * v);
    }
    layers.push({ eps, kappa, eA, eV });
    eq = next;
  }
  let big = 0, nominal = 0;
  for (let c = 0; c < d; c++) {
    const q = Math.abs(tr.q[T * d + c]), mu = Math.abs(tr.mu[c]);
    big += (q + eq[c]) * (mu + eMu[c]);
    nominal += q * mu;
  }
  const bound = (1 + gamma(d)) * big - nominal + 1e-30;
  return { pred: Number.isNaN(bound) ? Infinity : bound, eMu, layers, trace: tr, y };
}

/** Tolerances of the N predictions of a batch. */
export function softmaxPredictionTolerance(
  batch: PromptBatch,
  params: SoftmaxParameters,
): Float64Array {
  return Float64Array.from(
    { length: batch.prompts },
    (_, n) => softmaxForwardBound(batch, n, params).pred,
  );
}

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
