/**
 * Untied (full-matrix) linearised cross-attention: the query-state recursion of the tied
 * LCA with W_S = A and W_V = B full d x d matrices,
 *   q_0 = 0,  q_{t+1} = q_t + A_t x_q + B_t Sigma_hat q_t,  y_hat = q_T^T mu_hat,
 * where Sigma_hat q_t = (1/L) sum_i x_i (x_i^T q_t) is the cross-attention A_t of MODEL.md.
 * - `lca-full`: one (A, B) shared by all T layers (2 d^2 parameters);
 * - `lca-full-layerwise`: (A_t, B_t) per layer (2 T d^2 parameters).
 * A = alpha I, B = beta I is the tied two-parameter model.
 *
 * Both have a statistics form (O(T d^2) per prompt) and a token-level form (the literal
 * attention over the stored tokens, O(T L d)); exact gradients come from the adjoint
 * recursion lambda_T = dl/dq_T = 2 r mu_hat, dA_t += lambda_{t+1} x_q^T,
 * dB_t += lambda_{t+1} (Sigma_hat q_t)^T, lambda_t = lambda_{t+1} + Sigma_hat B_t^T lambda_{t+1}.
 *
 * @module
 */

import { requireLength } from "../validation/errors.ts";
import type { PromptBatch, PromptStatistics } from "./model_types.ts";
import { untiedBlocks, type UntiedLcaParameters, validateUntied } from "./models.ts";
import { tokenReadout } from "./schedule_models.ts";

export { exactExcess, taskExcess } from "./exact_excess.ts";
export {
  untiedBlocks,
  untiedFromTied,
  type UntiedLcaParameters,
  validateUntied,
} from "./models.ts";

/** out = M v for the d x d block of `m` at offset `o`. */
function matVec(m: Float64Array, o: number, v: Float64Array, d: number, out: Float64Array): void {
  for (let r = 0; r < d; r++) {
    let s = 0;
    for (let c = 0; c < d; c++) s += m[o + r * d + c] * v[c];
    out[r] = s;
  }
}

/** Predictions of the untied LCA from sufficient statistics. */
export function untiedPredict(stats: PromptStatistics, params: UntiedLcaParameters): Float64Array {
  const { forward } = untiedAdjoint(stats, params, checkedUntied(stats, params));
  const out = new Float64Array(stats.prompts);
  for (let n = 0; n < stats.prompts; n++) out[n] = forward(n);
  return out;
}

/**
 * The untied LCA at token level: per layer the cross-attention A_t = (1/L) sum_i x_i (x_i^T q_t)
 * over the stored tokens, q_{t+1} = q_t + A x_q + B A_t, and the readout
 * y_hat = (1/L) sum_i (q_T^T x_i) y_i. O(T L d + T d^2) per prompt.
 */
export function untiedTokenPredict(batch: PromptBatch, params: UntiedLcaParameters): Float64Array {
  const d = batch.task.dim;
  validateUntied(params);
  if (params.dim !== d) {
    throw new RangeError(`dim must equal the task's d = ${d}, got ${params.dim}`);
  }
  const L = batch.context;
  const out = new Float64Array(batch.prompts);
  const q = new Float64Array(d), att = new Float64Array(d);
  const bAtt = new Float64Array(d), ax = new Float64Array(d);
  const dd = d * d;
  for (let n = 0; n < batch.prompts; n++) {
    q.fill(0);
    const xq = batch.query.subarray(n * d, (n + 1) * d);
    for (let t = 0; t < params.depth; t++) {
      att.fill(0);
      for (let i = 0; i < L; i++) {
        const o = (n * L + i) * d;
        let score = 0;
        for (let j = 0; j < d; j++) score += batch.x[o + j] * q[j];
        for (let j = 0; j < d; j++) att[j] += batch.x[o + j] * score / L;
      }
      const o = params.layerwise ? t * dd : 0;
      matVec(params.b, o, att, d, bAtt);
      matVec(params.a, o, xq, d, ax);
      for (let j = 0; j < d; j++) q[j] += ax[j] + bAtt[j];
    }
    out[n] = tokenReadout(batch, n, q);
  }
  return out;
}

/** Loss (1/N) sum_n (y_hat_n - target_n)^2 and its gradient in (A, B). */
export interface UntiedLossAndGradient {
  /** The loss. */
  loss: number;
  /** d loss / d A (layout of `params.a`). */
  a: Float64Array;
  /** d loss / d B (layout of `params.b`). */
  b: Float64Array;
}

/** Validates untied parameters against the statistics (internal). */
function checkedUntied(stats: PromptStatistics, params: UntiedLcaParameters): number {
  const d = stats.task.dim;
  validateUntied(params);
  if (params.dim !== d) {
    throw new RangeError(`dim must equal the task's d = ${d}, got ${params.dim}`);
  }
  return d;
}

/** Scratch of the forward recursion, kept for its adjoint (one prompt at a time). */
interface AdjointScratch {
  /** q_0..q_T, (T + 1) x d. */
  qs: Float64Array;
  /** Sigma_hat q_t, T x d. */
  us: Float64Array;
  /** A x_q (shared: once per prompt). */
  ax: Float64Array;
  /** B_t^T lambda_{t+1}. */
  tmp: Float64Array;
  /** The adjoint lambda_t. */
  lambda: Float64Array;
  /** Shared weights: sum_t lambda_{t+1}, for dA. */
  lambdaSum: Float64Array;
}

/** Adds scale * d y_hat_n / d(A, B) into `ga`, `gb` at `offset` (layout of `params.a`). */
type AdjointPass = (
  n: number,
  scale: number,
  ga: Float64Array,
  gb: Float64Array,
  offset: number,
) => void;

/**
 * The forward recursion and its adjoint for one prompt at a time (internal): `forward(n)`
 * runs q_0 = 0, q_{t+1} = q_t + A_t x_q + B_t Sigma_hat q_t and returns y_hat_n = q_T^T
 * mu_hat (keeping q_t and Sigma_hat q_t); `backward(n, scale, ga, gb, offset)` then adds
 * scale * d y_hat_n / d(A, B) into `ga`, `gb` at `offset` (layout of `params.a`), by
 * lambda_T = mu_hat, dA_t += lambda_{t+1} x_q^T, dB_t += lambda_{t+1} (Sigma_hat q_t)^T,
 * lambda_t = lambda_{t+1} + Sigma_hat B_t^T lambda_{t+1}. O(T d^2) each.
 */
function untiedAdjoint(
  stats: PromptStatistics,
  params: UntiedLcaParameters,
  d: number,
): { forward: (n: number) => number; backward: AdjointPass } {
  const T = params.depth;
  const scratch: AdjointScratch = {
    qs: new Float64Array((T + 1) * d),
    us: new Float64Array(T * d),
    ax: new Float64Array(d),
    tmp: new Float64Array(d),
    lambda: new Float64Array(d),
    lambdaSum: new Float64Array(d),
  };
  return {
    forward: untiedForward(stats, params, d, scratch),
    backward: untiedBackward(stats, params, d, scratch),
  };
}

/** The forward recursion of {@linkcode untiedAdjoint}: y_hat_n, keeping q_t and Sigma_hat q_t. */
function untiedForward(
  stats: PromptStatistics,
  params: UntiedLcaParameters,
  d: number,
  scratch: AdjointScratch,
): (n: number) => number {
  const T = params.depth;
  const dd = d * d;
  const shared = !params.layerwise;
  const pa = params.a, pb = params.b;
  const { sigmaHat, muHat, query } = stats;
  const { qs, us, ax } = scratch;
  return (n: number): number => {
    const xo = n * d, so = n * dd;
    qs.fill(0, 0, d);
    for (let t = 0; t < T; t++) {
      const o = shared ? 0 : t * dd;
      const qo = t * d;
      for (let r = 0; r < d; r++) {
        let sum = 0;
        for (let c = 0; c < d; c++) sum += sigmaHat[so + r * d + c] * qs[qo + c];
        us[qo + r] = sum;
      }
      if (t === 0 || !shared) {
        for (let r = 0; r < d; r++) {
          let sum = 0;
          for (let c = 0; c < d; c++) sum += pa[o + r * d + c] * query[xo + c];
          ax[r] = sum;
        }
      }
      for (let r = 0; r < d; r++) {
        let sum = 0;
        for (let c = 0; c < d; c++) sum += pb[o + r * d + c] * us[qo + c];
        qs[qo + d + r] = qs[qo + r] + sum + ax[r];
      }
    }
    let pred = 0;
    for (let j = 0; j < d; j++) pred += qs[T * d + j] * muHat[xo + j];
    return pred;
  };
}

/** The adjoint pass of {@linkcode untiedAdjoint}, after the forward pass of the same prompt. */
function untiedBackward(
  stats: PromptStatistics,
  params: UntiedLcaParameters,
  d: number,
  scratch: AdjointScratch,
): AdjointPass {
  const T = params.depth;
  const dd = d * d;
  const shared = !params.layerwise;
  const pb = params.b;
  const { sigmaHat, muHat, query } = stats;
  const { us, tmp, lambda, lambdaSum } = scratch;
  return (n, scale, ga, gb, offset) => {
    const xo = n * d, so = n * dd;
    for (let j = 0; j < d; j++) lambda[j] = scale * muHat[xo + j];
    if (shared) lambdaSum.fill(0);
    for (let t = T - 1; t >= 0; t--) {
      const o = offset + (shared ? 0 : t * dd);
      const po = shared ? 0 : t * dd;
      const uo = t * d;
      for (let r = 0; r < d; r++) {
        const l = lambda[r];
        if (l === 0) continue;
        if (shared) lambdaSum[r] += l;
        else for (let c = 0; c < d; c++) ga[o + r * d + c] += l * query[xo + c];
        for (let c = 0; c < d; c++) gb[o + r * d + c] += l * us[uo + c];
      }
      if (t > 0) {
        // lambda_t = lambda_{t+1} + Sigma_hat B_t^T lambda_{t+1} (Sigma_hat symmetric)
        tmp.fill(0);
        for (let r = 0; r < d; r++) {
          const l = lambda[r];
          for (let c = 0; c < d; c++) tmp[c] += pb[po + r * d + c] * l;
        }
        for (let r = 0; r < d; r++) {
          let sum = 0;
          for (let c = 0; c < d; c++) sum += sigmaHat[so + r * d + c] * tmp[c];
          lambda[r] += sum;
        }
      }
    }
    if (shared) {
      for (let r = 0; r < d; r++) {
        const l = lambdaSum[r];
        for (let c = 0; c < d; c++) ga[offset + r * d + c] += l * query[xo + c];
      }
    }
  };
}

/**
 * The untied LCA loss and its exact gradient by the adjoint (reverse-mode) recursion,
 * O(N T d^2) per evaluation.
 */
export function untiedLoss(
  stats: PromptStatistics,
  target: ArrayLike<number>,
  params: UntiedLcaParameters,
): UntiedLossAndGradient {
  const d = checkedUntied(stats, params);
  requireLength("target", target, stats.prompts);
  const ga = new Float64Array(params.a.length);
  const gb = new Float64Array(params.b.length);
  const { forward, backward } = untiedAdjoint(stats, params, d);
  let loss = 0;
  const N = stats.prompts;
  for (let n = 0; n < N; n++) {
    const res = forward(n) - target[n];
    loss += res * res;
    backward(n, 2 * res / N, ga, gb, 0);
  }
  return { loss: loss / N, a: ga, b: gb };
}

/** Predictions of the untied LCA and their Jacobian in (A, B). */
export interface UntiedJacobian {
  /** y_hat_n, one per prompt. */
  predictions: Float64Array;
  /** d y_hat_n / d A: N rows of `params.a.length` (row-major). */
  a: Float64Array;
  /** d y_hat_n / d B: same layout. */
  b: Float64Array;
}

/**
 * The predictions and their exact Jacobian in (A, B), one adjoint pass per prompt
 * (O(N T d^2) time, O(N |A|) memory): the rows that Gauss-Newton and Levenberg-Marquardt
 * training need (`training/untied_training.ts`).
 *
 * @example The Jacobian of the tied model at depth 2
 * ```ts
 * import assert from "node:assert/strict";
 * import { samplePromptStatistics } from "./prompt_statistics.ts";
 * import { untiedFromTied, untiedJacobian } from "./untied.ts";
 * const stats = samplePromptStatistics({ prompts: 3, context: Infinity, seed: 0 });
 * const j = untiedJacobian(stats, untiedFromTied(0.3, -0.3, stats.task.dim, 2));
 * assert.equal(j.a.length, 3 * 16); // 3 prompts x 16 entries of A (4 x 4)
 * ```
 */
export function untiedJacobian(
  stats: PromptStatistics,
  params: UntiedLcaParameters,
): UntiedJacobian {
  const d = checkedUntied(stats, params);
  const size = params.a.length;
  const N = stats.prompts;
  const predictions = new Float64Array(N);
  const ja = new Float64Array(N * size);
  const jb = new Float64Array(N * size);
  const { forward, backward } = untiedAdjoint(stats, params, d);
  for (let n = 0; n < N; n++) {
    predictions[n] = forward(n);
    backward(n, 1, ja, jb, n * size);
  }
  return { predictions, a: ja, b: jb };
}

/**
 * Structure of an untied solution: the scalar parts tr A/d, tr B/d and the Frobenius
 * distances of A and B from the nearest scalar matrices (tr M/d) I, split into the
 * symmetric traceless part and the skew-symmetric part (relative to |tr M/d| sqrt(d)).
 * For layerwise parameters, the worst layer.
 */
export interface UntiedStructure {
  /** tr A/d (shared) or its mean over layers (layerwise). */
  alpha: number;
  /** tr B/d (shared) or its mean over layers. */
  beta: number;
  /** max over layers of |sym(A) - (tr A/d) I|_F / (|tr A/d| sqrt d). */
  aSymmetric: number;
  /** max over layers of |skew(A)|_F / (|tr A/d| sqrt d). */
  aSkew: number;
  /** As `aSymmetric` for B. */
  bSymmetric: number;
  /** As `aSkew` for B. */
  bSkew: number;
}

function blockStructure(m: Float64Array, o: number, d: number): [number, number, number] {
  let trace = 0;
  for (let j = 0; j < d; j++) trace += m[o + j * d + j];
  const s = trace / d;
  let sym = 0, skew = 0;
  for (let r = 0; r < d; r++) {
    for (let c = 0; c < d; c++) {
      const x = m[o + r * d + c], y = m[o + c * d + r];
      const symPart = (x + y) / 2 - (r === c ? s : 0);
      sym += symPart * symPart;
      skew += ((x - y) / 2) ** 2;
    }
  }
  const scale = Math.abs(s) * Math.sqrt(d);
  return [s, Math.sqrt(sym) / scale, Math.sqrt(skew) / scale];
}

/** The structure measures of {@linkcode UntiedStructure}. */
export function untiedStructure(params: UntiedLcaParameters): UntiedStructure {
  const d = params.dim;
  const blocks = untiedBlocks(params);
  const out = { alpha: 0, beta: 0, aSymmetric: 0, aSkew: 0, bSymmetric: 0, bSkew: 0 };
  for (let t = 0; t < blocks; t++) {
    const [sa, syA, skA] = blockStructure(params.a, t * d * d, d);
    const [sb, syB, skB] = blockStructure(params.b, t * d * d, d);
    out.alpha += sa / blocks;
    out.beta += sb / blocks;
    out.aSymmetric = Math.max(out.aSymmetric, syA);
    out.aSkew = Math.max(out.aSkew, skA);
    out.bSymmetric = Math.max(out.bSymmetric, syB);
    out.bSkew = Math.max(out.bSkew, skB);
  }
  return out;
}

/** A -> R A R^T, B -> R B R^T (every layer) for an orthogonal d x d matrix R. */
export function rotateUntied(
  params: UntiedLcaParameters,
  rotation: Float64Array,
): UntiedLcaParameters {
  const d = params.dim;
  requireLength("rotation", rotation, d * d);
  const conj = (m: Float64Array) => {
    const out = new Float64Array(m.length);
    const tmp = new Float64Array(d * d);
    for (let t = 0; t < m.length / (d * d); t++) {
      const o = t * d * d;
      for (let r = 0; r < d; r++) {
        for (let c = 0; c < d; c++) {
          let s = 0;
          for (let k = 0; k < d; k++) s += rotation[r * d + k] * m[o + k * d + c];
          tmp[r * d + c] = s;
        }
      }
      for (let r = 0; r < d; r++) {
        for (let c = 0; c < d; c++) {
          let s = 0;
          for (let k = 0; k < d; k++) s += tmp[r * d + k] * rotation[c * d + k];
          out[o + r * d + c] = s;
        }
      }
    }
    return out;
  };
  return { ...params, a: conj(params.a), b: conj(params.b) };
}
