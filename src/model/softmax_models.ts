/**
 * Softmax cross-attention (MODEL.md, "Softmax cross-attention"): the LCA's linear attention
 * A_t = (1/L) sum_i x_i (x_i^T q_t) replaced by
 *   A_t = sum_i x_i softmax_i(tau_t x_i^T q_t),  tau_t > 0,
 * the rest unchanged: q_0 = 0, q_{t+1} = q_t + alpha_t x_q + (beta_t / tau_t) A_t (W_S =
 * alpha_t, W_V = beta_t / tau_t, so that beta keeps its LCA meaning), y_hat = q_T^T mu_hat.
 * - `sca`: alpha, beta, tau shared by the layers;
 * - `sca-centred`: A_t - x_bar in place of A_t (x_bar the context mean), shared parameters;
 * - `sca-layerwise`: alpha_t, beta_t, tau_t per layer (uncentred).
 * For small tau, softmax_i(tau r_i) = (1 + tau (r_i - r_bar))/L + O(tau^2), so
 * A_t = x_bar + tau (Sigma_hat - x_bar x_bar^T) q_t + O(tau^2): `sca-centred` tends to the
 * two-parameter LCA on the centred covariance with a gap linear in tau, while `sca` keeps
 * (beta/tau) x_bar and grows like 1/tau. Only the query attends: O(T L d) per prompt; the
 * softmax is computed stably (the largest score subtracted before exp). The loss and its
 * exact gradient are in `softmax_loss.ts`.
 *
 * @module
 */

import {
  describeValue,
  requireBatch,
  requireFinite,
  requireKnownKeys,
  requireNumbers,
  requirePositiveInteger,
} from "../validation/errors.ts";
import type { PromptBatch } from "./model_types.ts";

/**
 * The softmax cross-attention models.
 *
 * @example Three models
 * ```ts
 * import assert from "node:assert/strict";
 * import { SOFTMAX_MODELS } from "./softmax_models.ts";
 * assert.deepEqual(SOFTMAX_MODELS, ["sca", "sca-centred", "sca-layerwise"]);
 * ```
 */
export const SOFTMAX_MODELS = ["sca", "sca-centred", "sca-layerwise"] as const;

/** A softmax cross-attention model name. */
export type SoftmaxModel = typeof SOFTMAX_MODELS[number];

/** Parameters of a T-layer softmax cross-attention stack (T = alphas.length). */
export interface SoftmaxParameters {
  /** W_S = alpha_t Id in layer t = 1..T. */
  alphas: ArrayLike<number>;
  /** W_V = (beta_t / tau_t) Id in layer t. */
  betas: ArrayLike<number>;
  /** Softmax temperature tau_t > 0 of layer t. */
  taus: ArrayLike<number>;
  /** Attend with A_t - x_bar (the `sca-centred` model). Default false. */
  centred?: boolean;
}

/**
 * Validates softmax parameters: `alphas`, `betas` and `taus` non-empty arrays of finite
 * numbers of one length, every tau_t > 0, `centred` a boolean if present; other keys are a
 * TypeError. Returns the depth T.
 *
 * @example A tau of zero is refused
 * ```ts
 * import assert from "node:assert/strict";
 * import { validateSoftmaxParameters } from "./softmax_models.ts";
 * assert.equal(validateSoftmaxParameters({ alphas: [0.3, 0.3], betas: [-0.3, -0.3], taus: [1, 1] }), 2);
 * assert.throws(() => validateSoftmaxParameters({ alphas: [0.3], betas: [-0.3], taus: [0] }), /^RangeError: taus/);
 * ```
 */
export function validateSoftmaxParameters(params: SoftmaxParameters): number {
  if (params === null || typeof params !== "object" || Array.isArray(params)) {
    throw new TypeError(`parameters must be an object, got ${describeValue(params)}`);
  }
  requireKnownKeys("parameters", params, ["alphas", "betas", "taus", "centred"]);
  const depth = requireNumbers("alphas", params.alphas).length;
  if (depth === 0) {
    throw new RangeError(
      `alphas must hold at least one layer, got ${describeValue(params.alphas)}`,
    );
  }
  requireNumbers("betas", params.betas, depth);
  const taus = requireNumbers("taus", params.taus, depth);
  for (let t = 0; t < depth; t++) {
    if (!(taus[t] > 0)) {
      throw new RangeError(`taus must hold temperatures > 0, got ${taus[t]} at index ${t}`);
    }
  }
  if (params.centred !== undefined && typeof params.centred !== "boolean") {
    throw new TypeError(`centred must be a boolean, got ${describeValue(params.centred)}`);
  }
  return depth;
}

/**
 * The shared-parameter models as per-layer parameters: alpha, beta, tau in every layer
 * (`sca`, or `sca-centred` with `centred`).
 *
 * @example sca at depth 2
 * ```ts
 * import assert from "node:assert/strict";
 * import { tiedSoftmax } from "./softmax_models.ts";
 * assert.deepEqual(tiedSoftmax(0.3, -0.3, 0.5, 2), {
 *   alphas: [0.3, 0.3], betas: [-0.3, -0.3], taus: [0.5, 0.5], centred: false,
 * });
 * ```
 */
export function tiedSoftmax(
  alpha: number,
  beta: number,
  tau: number,
  depth: number,
  centred = false,
): { alphas: number[]; betas: number[]; taus: number[]; centred: boolean } {
  requireFinite("alpha", alpha);
  requireFinite("beta", beta);
  requireFinite("tau", tau);
  requirePositiveInteger("depth", depth);
  const fill = (v: number) => new Array<number>(depth).fill(v);
  const params = { alphas: fill(alpha), betas: fill(beta), taus: fill(tau), centred };
  validateSoftmaxParameters(params);
  return params;
}

/**
 * What the forward pass of one prompt keeps for the adjoint pass (`softmax_loss.ts`):
 * per layer the query state q_t, the raw scores r_i = x_i^T q_t, the attention weights p_i
 * and A_t; and the prompt's x_bar and mu_hat.
 */
export interface SoftmaxTrace {
  /** q_0..q_T, (T + 1) x d. */
  q: Float64Array;
  /** r_{t,i} = x_i^T q_t, T x L. */
  r: Float64Array;
  /** p_{t,i} = softmax_i(tau_t r_{t,i}), T x L. */
  p: Float64Array;
  /** A_t = sum_i p_{t,i} x_i, T x d. */
  a: Float64Array;
  /** The context mean x_bar, d. */
  xBar: Float64Array;
  /** mu_hat = (1/L) sum_i y_i x_i, d. */
  mu: Float64Array;
}

/** Buffers of a trace for depth T, context L, dimension d. */
export function allocateSoftmaxTrace(depth: number, context: number, dim: number): SoftmaxTrace {
  return {
    q: new Float64Array((depth + 1) * dim),
    r: new Float64Array(depth * context),
    p: new Float64Array(depth * context),
    a: new Float64Array(depth * dim),
    xBar: new Float64Array(dim),
    mu: new Float64Array(dim),
  };
}

/** One layer's attention: scores, stable softmax weights and A_t into the trace. */
function attend(batch: PromptBatch, n: number, t: number, tau: number, tr: SoftmaxTrace): void {
  const d = batch.task.dim, L = batch.context;
  const q = tr.q.subarray(t * d, (t + 1) * d);
  const r = tr.r.subarray(t * L, (t + 1) * L), p = tr.p.subarray(t * L, (t + 1) * L);
  let max = -Infinity;
  for (let i = 0; i < L; i++) {
    const o = (n * L + i) * d;
    let score = 0;
    for (let c = 0; c < d; c++) score += batch.x[o + c] * q[c];
    r[i] = score;
    if (tau * score > max) max = tau * score;
  }
  let z = 0;
  for (let i = 0; i < L; i++) {
    p[i] = Math.exp(tau * r[i] - max);
    z += p[i];
  }
  const a = tr.a.subarray(t * d, (t + 1) * d);
  a.fill(0);
  for (let i = 0; i < L; i++) {
    p[i] /= z;
    const o = (n * L + i) * d;
    for (let c = 0; c < d; c++) a[c] += p[i] * batch.x[o + c];
  }
}

/**
 * The forward pass of prompt n with validated per-layer parameters, filling `trace`;
 * returns y_hat = q_T^T mu_hat.
 */
export function softmaxPromptForward(
  batch: PromptBatch,
  n: number,
  params: SoftmaxParameters,
  trace: SoftmaxTrace,
): number {
  const d = batch.task.dim, L = batch.context, T = params.alphas.length;
  const c0 = params.centred ? 1 : 0;
  trace.xBar.fill(0);
  trace.mu.fill(0);
  for (let i = 0; i < L; i++) {
    const o = (n * L + i) * d, y = batch.y[n * L + i];
    for (let c = 0; c < d; c++) {
      trace.xBar[c] += batch.x[o + c] / L;
      trace.mu[c] += y * batch.x[o + c] / L;
    }
  }
  trace.q.fill(0, 0, d);
  for (let t = 0; t < T; t++) {
    const tau = params.taus[t], w = params.betas[t] / tau;
    attend(batch, n, t, tau, trace);
    for (let c = 0; c < d; c++) {
      const value = trace.a[t * d + c] - c0 * trace.xBar[c];
      trace.q[(t + 1) * d + c] = trace.q[t * d + c] + params.alphas[t] * batch.query[n * d + c] +
        w * value;
    }
  }
  let pred = 0;
  for (let c = 0; c < d; c++) pred += trace.q[T * d + c] * trace.mu[c];
  return pred;
}

/**
 * Token-level predictions of softmax cross-attention: per layer the query state attends
 * over the context tokens with softmax weights at temperature tau_t, q_{t+1} = q_t +
 * alpha_t x_q + (beta_t/tau_t) (A_t - [centred] x_bar), y_hat = q_T^T mu_hat. O(T L d).
 *
 * @example At a small temperature sca-centred is close to LCA on the centred covariance
 * ```ts
 * import assert from "node:assert/strict";
 * import { samplePromptBatch } from "./task.ts";
 * import { softmaxTokenPredict, tiedSoftmax } from "./softmax_models.ts";
 * const batch = samplePromptBatch({ prompts: 3, context: 32, seed: 1 });
 * const y = softmaxTokenPredict(batch, tiedSoftmax(0.3, -0.3, 1e-4, 4, true));
 * const y2 = softmaxTokenPredict(batch, tiedSoftmax(0.3, -0.3, 2e-4, 4, true));
 * assert.ok(Math.abs(y[0] - y2[0]) < 1e-3);
 * ```
 */
export function softmaxTokenPredict(batch: PromptBatch, params: SoftmaxParameters): Float64Array {
  requireBatch("batch", batch);
  const depth = validateSoftmaxParameters(params);
  const trace = allocateSoftmaxTrace(depth, batch.context, batch.task.dim);
  const out = new Float64Array(batch.prompts);
  for (let n = 0; n < batch.prompts; n++) out[n] = softmaxPromptForward(batch, n, params, trace);
  return out;
}

/**
 * Whether a model name is one of {@linkcode SOFTMAX_MODELS}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isSoftmaxModel } from "./softmax_models.ts";
 * assert.equal(isSoftmaxModel("sca-centred"), true);
 * assert.equal(isSoftmaxModel("lca2"), false);
 * ```
 */
export function isSoftmaxModel(model: string): model is SoftmaxModel {
  return (SOFTMAX_MODELS as readonly string[]).includes(model);
}
