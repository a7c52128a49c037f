/**
 * Derived float32 error bounds of the WebGPU token-level forward passes that C13 evaluates:
 * softmax cross-attention (`softmaxForward`, `backends/webgpu/softmax_kernels.ts`), propagated per
 * prompt along the float64 trace of `softmaxPromptForward`, and the tied LCA at token level
 * (`lcaForward`), by the absolute-valued twin evaluation. Both bound |y_gpu - y| with y the exact
 * model on the host's float64 tokens; the GPU samples its own float32 tokens in-kernel from the
 * same Philox stream, which differ by at most `tokenDelta`.
 *
 * Notation: u = 2^-24 + 2^-53 (float32, plus float64 for the host's trace and twins, as in
 * `float32_forward_bound.ts`), gamma_K = K u / (1 - K u), delta the token error, X = |x_ic|,
 * Xd = X + delta (and Y, |x_q| likewise), F = 2^-126 (flushed subnormal parameters). The
 * softmax derivation, step by step (moments; scores; the max-shifted exp with WGSL's 3 + 2 |x|
 * ulp accuracy of f32 exp; normalised weights; attention; update; readout), is the header of
 * props/webgpu_softmax_parity_test.ts, which checks it against the real kernels. The LCA's is
 * the header of props/webgpu_parity_test.ts: |F_gpu - F| <= [F_abs(|v| + delta) - F_abs(|v|)] +
 * gamma_K F_abs(|v| + delta), with K the longest chain of roundings in the kernel's order of
 * summation ({@linkcode lcaTokenForwardBound}).
 *
 * @module
 */

import type { LcaParameters } from "../model/models.ts";
import type { PromptBatch } from "../model/model_types.ts";
import {
  allocateSoftmaxTrace,
  type SoftmaxParameters,
  softmaxPromptForward,
  type SoftmaxTrace,
} from "../model/softmax_models.ts";
import { lcaTokenPredict } from "../model/token_predictors.ts";
import { chunkCount } from "../backends/webgpu/common.ts";
import { GRAM_LANES } from "../backends/webgpu/token_kernels.ts";
import { FLOAT32_FLUSH, FLOAT32_UNIT_ROUNDOFF } from "./float32_forward_bound.ts";

const U = FLOAT32_UNIT_ROUNDOFF;
const FLUSH = FLOAT32_FLUSH;
/** The tail bound of a standard normal drawn by Box-Muller from 24-bit uniforms. */
const RHO = Math.sqrt(48 * Math.LN2);
/** Roundings of one float32 normal draw (Box-Muller with the WGSL log and sincos). */
const C_Z = 8;
const gamma = (k: number): number => k * U / (1 - k * U);
/** The float64 gamma_k per term, k 2^-53 / (1 - 2^-30), valid for k <= 2^23. */
const G64 = 2 ** -53 / (1 - 2 ** -30);
/** WGSL's f32 division is accurate to 2.5 ulp (an ulp is at most 2 u relative): 5 u. */
const DIVISION = 5 * U;
/** gamma_k of float64 (the host's partial sums). */
const gamma64 = (k: number): number => k * 2 ** -53 / (1 - k * 2 ** -53);

/**
 * The token error bound delta: a float32 token x_j = h m_j + xi_j of the in-kernel sampler
 * differs from the host's float64 one by at most (C_Z + 3) rho u (1 + max(|m|_inf, sigma)).
 *
 * @example Of the order of 1e-6 for unit spikes
 * ```ts
 * import assert from "node:assert/strict";
 * import { tokenDelta } from "./softmax_float32_bound.ts";
 * const delta = tokenDelta({ spike: new Float64Array([1, -1]), task: { sigma: 0.5 } });
 * assert.ok(delta > 1e-6 && delta < 1e-5);
 * ```
 */
export function tokenDelta(batch: { spike: Float64Array; task: { sigma: number } }): number {
  let m = batch.task.sigma;
  for (const v of batch.spike) m = Math.max(m, Math.abs(v));
  return (C_Z + 3) * RHO * U * (1 + m);
}

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
  let top = -Infinity, epsMax = 0;
  for (let i = 0; i < eps.length; i++) {
    top = Math.max(top, scaled[i]);
    epsMax = Math.max(epsMax, eps[i]);
  }
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
  const grow = new Float64Array(phi.length), shrink = new Float64Array(phi.length);
  for (let i = 0; i < p.length; i++) {
    grow[i] = Math.exp(phi[i]);
    shrink[i] = Math.exp(-phi[i]);
    sPlus += p[i] * grow[i];
    if (!flushable[i]) sMinus += p[i] * shrink[i];
  }
  const kappa = new Float64Array(phi.length);
  for (let i = 0; i < phi.length; i++) {
    const down = flushable[i] ? 1 : 1 - shrink[i] / sPlus;
    kappa[i] = Math.max(grow[i] / sMinus - 1, down);
  }
  return kappa;
}

/**
 * The running error of a sequential float32 sum (the kernels' token loops): after term k, with
 * S_k the exact partial sum, A_k = sum_{j<=k} |t_j| and dt_k the error of the k-th term as it
 * enters, E_k = (1 + u) (E_{k-1} + dt_k) + u (|S_k~| + g64_k A_k) bounds |S^_k - S_k|
 * (S^_k = fl(S^_{k-1} + t~_k), one rounding, an fma's too; S_k~ the float64 partial sum, g64_k
 * its error). Add `term` per token, read `error`.
 */
class RunningSum {
  error = 0;
  #sum = 0;
  #abs = 0;
  #k = 0;
  term(t: number, dt: number): void {
    this.#sum += t;
    this.#abs += Math.abs(t);
    this.#k++;
    // gamma64(k) <= k 2^-53 / (1 - 2^-30) for k <= 2^23 tokens.
    const sum = Math.abs(this.#sum) + this.#k * G64 * this.#abs;
    this.error = (1 + U) * (this.error + dt) + U * sum;
  }
}

/** e_xbar and e_mu of prompt n: the smaller of the any-order and the running-error bounds. */
function momentBounds(batch: PromptBatch, n: number, delta: number) {
  const d = batch.task.dim, L = batch.context, xs = batch.x, ys = batch.y, base = n * L * d;
  const eXbar = new Float64Array(d), eMu = new Float64Array(d);
  for (let c = 0; c < d; c++) {
    let sxd = 0, sx = 0, syd = 0, sy = 0;
    const runX = new RunningSum(), runY = new RunningSum();
    for (let i = 0; i < L; i++) {
      const yv = ys[n * L + i], xv = xs[base + i * d + c];
      const y = Math.abs(yv), X = Math.abs(xv);
      sxd += X + delta;
      sx += X;
      syd += (y + delta) * (X + delta);
      sy += y * X;
      runX.term(xv, delta);
      runY.term(yv * xv, (y + X) * delta + delta * delta);
    }
    // The sum times fl(1/L): two roundings more.
    const scale = (run: RunningSum, abs: number) =>
      ((1 + U) ** 2 * run.error + ((1 + U) ** 2 - 1) * abs) / L;
    eXbar[c] = Math.min(((1 + gamma(L + 2)) * sxd - sx) / L, scale(runX, sx));
    eMu[c] = Math.min(((1 + gamma(L + 2)) * syd - sy) / L, scale(runY, sy));
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
  const d = batch.task.dim, L = batch.context, delta = tokenDelta(batch);
  const xs = batch.x, base = n * L * d;
  const q = tr.q.subarray(t * d, (t + 1) * d);
  const eps = new Float64Array(L), scaled = new Float64Array(L);
  for (let i = 0; i < L; i++) {
    let big = 0, nominal = 0;
    for (let c = 0; c < d; c++) {
      const X = Math.abs(xs[base + i * d + c]);
      big += (X + delta) * (Math.abs(q[c]) + eq[c]);
      nominal += X * Math.abs(q[c]);
    }
    eps[i] = tau * ((1 + gamma(d + 2)) * big - nominal);
    scaled[i] = tau * tr.r[t * L + i];
  }
  const { phi, flushable } = weightPerturbations(eps, scaled);
  const kappa = weightKappas(tr.p.subarray(t * L, (t + 1) * L), phi, flushable);
  return { eps, kappa, phi, flushable };
}

/**
 * The running-error bound of A_t[c] = (sum_i w~_i x~_ic) / z~ (the kernel's two sequential token
 * loops and a division), in units of Omega = sum_i exp(tau r_i - m~) where w~_i / Omega =
 * p_i e^{phi_i} (0 if flushable): a term enters with |w~_i x~_ic / Omega - p_i x_ic| <=
 * p_i (f_i Xd_ic + delta), f_i = e^{|phi_i|} - 1 (or 1 if flushable and larger), and z~'s terms
 * with p_i f_i,
 * so {@linkcode RunningSum} bounds |a~ / Omega - A| by E_a and |z~ / Omega - 1| by E_z, and
 * |A~ - A| <= (1 + u_div) (E_a + |A| E_z) / (1 - E_z) + u_div |A|, u_div = 5 u the division's
 * accuracy (WGSL: 2.5 ulp).
 */
function attentionRunningBound(
  batch: PromptBatch,
  n: number,
  t: number,
  tr: SoftmaxTrace,
  weights: { phi: Float64Array; flushable: boolean[] },
): Float64Array {
  const d = batch.task.dim, L = batch.context, delta = tokenDelta(batch);
  const p = tr.p.subarray(t * L, (t + 1) * L);
  const f = new Float64Array(L);
  for (let i = 0; i < L; i++) {
    const e = Math.expm1(weights.phi[i]);
    f[i] = weights.flushable[i] ? Math.max(e, 1) : e;
  }
  const z = new RunningSum();
  for (let i = 0; i < L; i++) z.term(p[i], p[i] * f[i] + FLUSH);
  // The numerators' running sums (RunningSum's recursion, inlined: one per component).
  const err = new Float64Array(d), sum = new Float64Array(d), abs = new Float64Array(d);
  const xs = batch.x, base = n * L * d;
  for (let i = 0; i < L; i++) {
    const pi = p[i], fi = f[i], row = base + i * d, k = (i + 1) * G64;
    for (let c = 0; c < d; c++) {
      const x = xs[row + c], ax = Math.abs(x);
      sum[c] += pi * x;
      abs[c] += pi * ax;
      const dt = pi * (fi * (ax + delta) + delta) + 2 * FLUSH;
      err[c] = (1 + U) * (err[c] + dt) + U * (Math.abs(sum[c]) + k * abs[c]);
    }
  }
  const out = new Float64Array(d);
  for (let c = 0; c < d; c++) {
    const value = Math.abs(tr.a[t * d + c]) + gamma64(L + 1) * abs[c];
    out[c] = z.error < 1
      ? (1 + DIVISION) * (err[c] + value * z.error) / (1 - z.error) + DIVISION * value
      : Infinity;
  }
  return out;
}

/** e_q of layer t + 1 from layer t's (the update of the module header), and the layer bounds. */
function layerBound(
  batch: PromptBatch,
  n: number,
  t: number,
  params: SoftmaxParameters,
  tr: SoftmaxTrace,
  eq: Float64Array,
  eXbar: Float64Array,
): { next: Float64Array; layer: SoftmaxLayerBound } {
  const d = batch.task.dim, L = batch.context, delta = tokenDelta(batch);
  const xs = batch.x, base = n * L * d;
  const c0 = params.centred ? 1 : 0, tau = params.taus[t], q = tr.q.subarray(t * d, (t + 1) * d);
  const { eps, kappa, phi, flushable } = attentionBounds(batch, n, t, tau, tr, eq);
  const running = attentionRunningBound(batch, n, t, tr, { phi, flushable });
  const p = tr.p.subarray(t * L, (t + 1) * L);
  const alpha = Math.abs(params.alphas[t]), beta = Math.abs(params.betas[t]);
  const next = new Float64Array(d), eA = new Float64Array(d), eV = new Float64Array(d);
  for (let c = 0; c < d; c++) {
    let absA = 0;
    for (let i = 0; i < L; i++) {
      const Xd = Math.abs(xs[base + i * d + c]) + delta;
      eA[c] += p[i] * (kappa[i] * Xd + delta);
      absA += p[i] * (1 + kappa[i]) * Xd;
    }
    eA[c] = Math.min(eA[c] + gamma(2 * L + 5) * absA, running[c]);
    const v = Math.abs(tr.a[t * d + c] - c0 * tr.xBar[c]);
    eV[c] = (eA[c] + c0 * eXbar[c]) * (1 + U) + U * v;
    const xq = Math.abs(batch.query[n * d + c]);
    const aAlpha = (alpha * (1 + U) + FLUSH) * (xq + delta) * (1 + U);
    const wV = (beta * (1 + U) + FLUSH) / (tau * (1 - U)) * (1 + U) * (1 + DIVISION) *
      (v + eV[c]);
    const big = Math.abs(q[c]) + eq[c] + aAlpha + wV;
    next[c] = (1 + gamma(2)) * big - (Math.abs(q[c]) + alpha * xq + beta / tau * v);
  }
  return { next, layer: { eps, kappa, eA, eV } };
}

/**
 * The forward bound of prompt n (the header of props/webgpu_softmax_parity_test.ts): a bound
 * on |y_gpu - y| for the WebGPU softmax forward, with the float64 trace it was propagated along.
 *
 * @example Of the order of 1e-4 at L = 64 (the prediction is of order 0.1)
 * ```ts
 * import assert from "node:assert/strict";
 * import { samplePromptBatch } from "../model/task.ts";
 * import { tiedSoftmax } from "../model/softmax_models.ts";
 * import { softmaxForwardBound } from "./softmax_float32_bound.ts";
 * const batch = samplePromptBatch({ prompts: 1, context: 64, seed: 1 });
 * const bound = softmaxForwardBound(batch, 0, tiedSoftmax(0.3, -0.3, 0.5, 2, false));
 * assert.ok(bound.pred > 0 && bound.pred < 1e-3);
 * ```
 */
export function softmaxForwardBound(
  batch: PromptBatch,
  n: number,
  params: SoftmaxParameters,
): SoftmaxPromptBound {
  const d = batch.task.dim, L = batch.context, T = params.alphas.length;
  const tr = allocateSoftmaxTrace(T, L, d);
  const y = softmaxPromptForward(batch, n, params, tr);
  const { eXbar, eMu } = momentBounds(batch, n, tokenDelta(batch));
  const layers: SoftmaxLayerBound[] = [];
  let eq: Float64Array = new Float64Array(d);
  for (let t = 0; t < T; t++) {
    const { next, layer } = layerBound(batch, n, t, params, tr, eq, eXbar);
    layers.push(layer);
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

/**
 * Per prompt of `batch`, the bound of {@linkcode softmaxForwardBound} on |y_gpu - y| for the
 * WebGPU softmax forward on the same prompts.
 *
 * @example One bound per prompt
 * ```ts
 * import assert from "node:assert/strict";
 * import { samplePromptBatch } from "../model/task.ts";
 * import { tiedSoftmax } from "../model/softmax_models.ts";
 * import { softmaxPredictionTolerance } from "./softmax_float32_bound.ts";
 * const batch = samplePromptBatch({ prompts: 3, context: 32, seed: 2 });
 * const bound = softmaxPredictionTolerance(batch, tiedSoftmax(0.3, -0.3, 0.5, 2, true));
 * assert.equal(bound.length, 3);
 * assert.ok(bound.every((b) => b > 0 && b < 1e-3));
 * ```
 */
export function softmaxPredictionTolerance(
  batch: PromptBatch,
  params: SoftmaxParameters,
): Float64Array {
  return Float64Array.from(
    { length: batch.prompts },
    (_, n) => softmaxForwardBound(batch, n, params).pred,
  );
}

/** The batch with every token value replaced by |v| + delta. */
function absBatch(batch: PromptBatch, delta: number): PromptBatch {
  const up = (a: Float64Array) => {
    const out = new Float64Array(a.length);
    for (let i = 0; i < a.length; i++) out[i] = Math.abs(a[i]) + delta;
    return out;
  };
  return { ...batch, x: up(batch.x), y: up(batch.y), query: up(batch.query) };
}

/**
 * Per prompt of `batch`, a bound on |y_gpu - y| for the WebGPU token-level LCA (`lcaForward`,
 * with the skip stream) on the same prompts: [F_abs(|v| + delta) - F_abs(|v|)] + gamma_K
 * F_abs(|v| + delta), F_abs `lcaTokenPredict` on the absolute-valued tokens and steps (the steps
 * rounded to float32, |v| (1 + u) + 2^-126) and K the longest chain of roundings of the kernel's
 * order: a token's term passes through its lane's fma chain (ceil(L / lanes) tokens at most),
 * the lanes' and the chunks' sums (`token_kernels.ts`, `forward_kernels.ts`), so
 * K = (T + 1) (d + 6 + ceil(L / lanes) + lanes + chunks), or the any-order
 * T (d + L + 4) + d + L + 4 of props/webgpu_parity_test.ts where that is smaller (short contexts).
 *
 * @example Small next to the prediction scale
 * ```ts
 * import assert from "node:assert/strict";
 * import { samplePromptBatch } from "../model/task.ts";
 * import { lcaTokenForwardBound } from "./softmax_float32_bound.ts";
 * const batch = samplePromptBatch({ prompts: 4, context: 64, seed: 1 });
 * const bound = lcaTokenForwardBound(batch, { alpha: 0.3, beta: -0.3, depth: 2 });
 * assert.ok(bound.every((b) => b > 0 && b < 1e-3));
 * ```
 */
export function lcaTokenForwardBound(batch: PromptBatch, params: LcaParameters): Float64Array {
  const d = batch.task.dim, L = batch.context, T = params.depth;
  // Per layer: the score z . q (d + 1 fma), a lane's fma chain over its tokens (at most
  // ceil(L / lanes)), the lanes' sums in order (lanes), the chunks' (at most chunkCount(1, L), the
  // most over N), 1/L and its product (2), beta (1), the update's two additions (2).
  const chain = d + 6 + Math.ceil(L / GRAM_LANES) + GRAM_LANES + chunkCount(1, L);
  const abs = (v: number, rounded: boolean) =>
    rounded ? Math.abs(v) * (1 + U) + FLUSH : Math.abs(v);
  const twin = (delta: number, rounded: boolean) =>
    lcaTokenPredict(absBatch(batch, delta), {
      alpha: abs(params.alpha, rounded),
      beta: abs(params.beta, rounded),
      depth: T,
    });
  const plus = twin(tokenDelta(batch), true), nominal = twin(0, false);
  const k = gamma(Math.min((T + 1) * chain, T * (d + L + 4) + d + L + 4));
  return plus.map((p, n) => {
    const b = (p - nominal[n]) + k * p + 1e-30;
    return Number.isNaN(b) ? Infinity : b;
  });
}
