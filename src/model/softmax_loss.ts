/**
 * The empirical loss of softmax cross-attention (`softmax_models.ts`) on a batch of stored
 * prompts, l = (1/N) sum_n (y_hat_n - target_n)^2, with its exact gradient in every layer's
 * alpha_t, beta_t and tau_t (sum over the layers for the shared-parameter models).
 *
 * The gradient is derived by hand (reverse mode through the T layers and the softmax): with
 * g = d y_hat / d q_{t+1} (g = mu_hat at t + 1 = T), w_t = beta_t / tau_t, D_t = A_t -
 * [centred] x_bar and the softmax Jacobian d A_t / d s_j = p_j (x_j - A_t) of the scores
 * s_j = tau_t r_j, r_j = x_j^T q_t, put e_j = w_t p_j (g^T x_j - g^T A_t). Then
 *   d y_hat / d alpha_t = g^T x_q,   d y_hat / d beta_t = g^T D_t / tau_t,
 *   d y_hat / d tau_t   = -(beta_t / tau_t^2) g^T D_t + sum_j e_j r_j,
 *   d y_hat / d q_t     = g + tau_t sum_j e_j x_j          (x_bar does not depend on q_t).
 * It is written out by hand because no maintained float64 automatic-differentiation library
 * for Deno or npm serves this better: the loops are O(T L d) per prompt and allocation-free,
 * exactly the forward pass's, while the tape-based npm libraries trace every scalar or need
 * a float32 tensor runtime. The tests check the result against central differences to 1e-7.
 *
 * @module
 */

import { requireBatch, requireLength } from "../validation/errors.ts";
import type { PromptBatch } from "./model_types.ts";
import {
  allocateSoftmaxTrace,
  type SoftmaxParameters,
  softmaxPromptForward,
  type SoftmaxTrace,
  validateSoftmaxParameters,
} from "./softmax_models.ts";

/** The loss and its gradient in every layer's parameters. */
export interface SoftmaxLossAndGradient {
  /** (1/N) sum_n (y_hat_n - target_n)^2. */
  loss: number;
  /** d loss / d alpha_t, t = 1..T. */
  alphas: Float64Array;
  /** d loss / d beta_t. */
  betas: Float64Array;
  /** d loss / d tau_t. */
  taus: Float64Array;
}

/** Per-layer gradient accumulators. */
interface Gradients {
  alphas: Float64Array;
  betas: Float64Array;
  taus: Float64Array;
}

/**
 * Adds scale * d y_hat_n / d(alpha_t, beta_t, tau_t) into `grad`, after
 * `softmaxPromptForward` of prompt n filled `tr`.
 */
function backward(
  batch: PromptBatch,
  n: number,
  params: SoftmaxParameters,
  tr: SoftmaxTrace,
  scale: number,
  grad: Gradients,
): void {
  const d = batch.task.dim, L = batch.context, c0 = params.centred ? 1 : 0;
  const g = Float64Array.from(tr.mu, (m) => scale * m);
  const dq = new Float64Array(d);
  for (let t = params.alphas.length - 1; t >= 0; t--) {
    const tau = params.taus[t], w = params.betas[t] / tau;
    let gx = 0, gd = 0, ga = 0;
    for (let c = 0; c < d; c++) {
      gx += g[c] * batch.query[n * d + c];
      gd += g[c] * (tr.a[t * d + c] - c0 * tr.xBar[c]);
      ga += g[c] * tr.a[t * d + c];
    }
    grad.alphas[t] += gx;
    grad.betas[t] += gd / tau;
    let gTau = -w * gd / tau;
    dq.fill(0);
    for (let j = 0; j < L; j++) {
      const o = (n * L + j) * d;
      let gxj = 0;
      for (let c = 0; c < d; c++) gxj += g[c] * batch.x[o + c];
      const e = w * tr.p[t * L + j] * (gxj - ga);
      gTau += e * tr.r[t * L + j];
      for (let c = 0; c < d; c++) dq[c] += e * batch.x[o + c];
    }
    grad.taus[t] += gTau;
    for (let c = 0; c < d; c++) g[c] += tau * dq[c];
  }
}

/**
 * The loss (1/N) sum_n (y_hat_n - target_n)^2 of softmax cross-attention on stored prompts
 * and its exact per-layer gradient (reverse mode, derived by hand; see the module docs).
 *
 * @example The gradient in tau matches a central difference
 * ```ts
 * import assert from "node:assert/strict";
 * import { samplePromptBatch } from "./task.ts";
 * import { softmaxLoss } from "./softmax_loss.ts";
 * import { tiedSoftmax } from "./softmax_models.ts";
 * const batch = samplePromptBatch({ prompts: 6, context: 24, seed: 3 });
 * const target = Float64Array.from(batch.queryLabel);
 * const at = (tau: number) => softmaxLoss(batch, target, tiedSoftmax(0.3, -0.3, tau, 3)).loss;
 * const h = 1e-5;
 * const numeric = (at(0.5 + h) - at(0.5 - h)) / (2 * h);
 * const exact = softmaxLoss(batch, target, tiedSoftmax(0.3, -0.3, 0.5, 3)).taus;
 * const total = exact.reduce((s, v) => s + v, 0); // tied: the sum over the layers
 * assert.ok(Math.abs(numeric - total) <= 1e-6 * Math.abs(total));
 * ```
 */
export function softmaxLoss(
  batch: PromptBatch,
  target: ArrayLike<number>,
  params: SoftmaxParameters,
): SoftmaxLossAndGradient {
  requireBatch("batch", batch);
  requireLength("target", target, batch.prompts);
  const T = validateSoftmaxParameters(params), N = batch.prompts;
  const trace = allocateSoftmaxTrace(T, batch.context, batch.task.dim);
  const grad = {
    alphas: new Float64Array(T),
    betas: new Float64Array(T),
    taus: new Float64Array(T),
  };
  let loss = 0;
  for (let n = 0; n < N; n++) {
    const residual = softmaxPromptForward(batch, n, params, trace) - target[n];
    loss += residual * residual;
    backward(batch, n, params, trace, 2 * residual / N, grad);
  }
  return { loss: loss / N, ...grad };
}

/**
 * The gradient of the shared-parameter models (`sca`, `sca-centred`) in (alpha, beta, tau):
 * each per-layer gradient summed over the layers (the chain rule for alpha_t = alpha, ...).
 *
 * @example Sums over the layers
 * ```ts
 * import assert from "node:assert/strict";
 * import { tiedSoftmaxGradient } from "./softmax_loss.ts";
 * const g = { loss: 1, alphas: Float64Array.of(1, 2), betas: Float64Array.of(3, 4), taus: Float64Array.of(5, 6) };
 * assert.deepEqual([...tiedSoftmaxGradient(g)], [3, 7, 11]);
 * ```
 */
export function tiedSoftmaxGradient(g: SoftmaxLossAndGradient): Float64Array {
  const sum = (v: Float64Array) => v.reduce((s, x) => s + x, 0);
  return Float64Array.of(sum(g.alphas), sum(g.betas), sum(g.taus));
}
