/**
 * Predictors on stored tokens: the literal token-level attention computations of the
 * LCA, the deep LSA and the full single-layer LSA (O(T L d) or O(T L^2 d) per prompt),
 * kept as the reference that the closed forms on sufficient statistics
 * (`predictors.ts`) and the WebGPU kernels are checked against.
 *
 * @module
 */

import { requireBatch, requireKnownKeys } from "../validation/errors.ts";
import {
  type DeepLsaParameters,
  type LcaParameters,
  lsaKeyQueryInto,
  type LsaParameters,
  validateLayerParameters,
  validateLsaParameters,
} from "./models.ts";
import type { PromptBatch } from "./model_types.ts";
import {
  type LcaTokenOptions,
  scheduleLayers,
  scheduleTokenForward,
  tiedSchedule,
} from "./schedule_models.ts";

export type { LcaTokenOptions } from "./schedule_models.ts";

/**
 * LCA at token level, layer by layer: A_t = (1/L) sum_i x_i (x_i^T q_t),
 * q_{t+1} = q_t + alpha x_q + beta A_t (q_0 = 0), y_hat = (1/L) sum_i (q_T^T x_i) y_i.
 * Without S_t: q_0 = x_q and q_{t+1} = q_t + beta A_t. O(T L d) per prompt: the schedule
 * recursion (`schedule_models.ts`) with alpha_t = alpha and beta_t = beta in every layer.
 *
 * @example Token-level attention equals the closed form
 * ```ts
 * import assert from "node:assert/strict";
 * import { samplePromptBatch } from "./task.ts";
 * import { statisticsFromBatch } from "./prompt_statistics.ts";
 * import { lcaPredict } from "./predictors.ts";
 * import { lcaTokenPredict } from "./token_predictors.ts";
 * const batch = samplePromptBatch({ prompts: 2, context: 16, seed: 5 });
 * const params = { alpha: 0.3, beta: -0.3, depth: 4 };
 * const token = lcaTokenPredict(batch, params);
 * const closed = lcaPredict(statisticsFromBatch(batch), params);
 * assert.ok(Math.abs(token[0] - closed[0]) < 1e-12); // equal up to rounding
 * ```
 */
export function lcaTokenPredict(
  batch: PromptBatch,
  params: LcaParameters,
  options: LcaTokenOptions = {},
): Float64Array {
  requireBatch("batch", batch);
  requireKnownKeys("options", options, ["withoutSkipStream"]);
  validateLayerParameters(params);
  // The tied LCA is the schedule with the same (alpha, beta) in every layer.
  const layers = scheduleLayers(tiedSchedule(params.alpha, params.depth, params.beta));
  return scheduleTokenForward(batch, layers, options);
}

/**
 * Deep LSA at token level: all L + 1 tokens carry (x_k, f_k); per layer, with the
 * L x (L + 1) attention scores s_ik = x_i^T x_k of the current covariates,
 * x_k += beta (1/L) sum_i x_i s_ik and f_k += alpha (1/L) sum_i f_i s_ik.
 * O(T L^2 d) per prompt: the literal reference.
 *
 * @example Token-level deep LSA
 * ```ts
 * import assert from "node:assert/strict";
 * import { samplePromptBatch } from "./task.ts";
 * import { statisticsFromBatch } from "./prompt_statistics.ts";
 * import { deepLsaPredict } from "./predictors.ts";
 * import { deepLsaTokenPredict } from "./token_predictors.ts";
 * const batch = samplePromptBatch({ prompts: 2, context: 16, seed: 5 });
 * const params = { alpha: 0.3, beta: -0.1, depth: 2 };
 * const token = deepLsaTokenPredict(batch, params);
 * assert.equal(token.length, 2);
 * // The closed form on statistics, up to rounding.
 * assert.ok(Math.abs(token[0] - deepLsaPredict(statisticsFromBatch(batch), params)[0]) < 1e-12);
 * ```
 */
export function deepLsaTokenPredict(batch: PromptBatch, params: DeepLsaParameters): Float64Array {
  requireBatch("batch", batch);
  validateLayerParameters(params);
  const d = batch.task.dim;
  const L = batch.context;
  const tokens = L + 1;
  const out = new Float64Array(batch.prompts);
  let x = new Float64Array(tokens * d);
  let f = new Float64Array(tokens);
  let nx = new Float64Array(tokens * d);
  let nf = new Float64Array(tokens);
  for (let n = 0; n < batch.prompts; n++) {
    x.set(batch.x.subarray(n * L * d, (n + 1) * L * d));
    x.set(batch.query.subarray(n * d, (n + 1) * d), L * d);
    f.set(batch.y.subarray(n * L, (n + 1) * L));
    f[L] = 0;
    for (let t = 0; t < params.depth; t++) {
      nx.set(x);
      nf.set(f);
      for (let k = 0; k < tokens; k++) {
        for (let i = 0; i < L; i++) {
          let score = 0;
          for (let a = 0; a < d; a++) score += x[i * d + a] * x[k * d + a];
          const w = score / L;
          for (let a = 0; a < d; a++) nx[k * d + a] += params.beta * w * x[i * d + a];
          nf[k] += params.alpha * w * f[i];
        }
      }
      [x, nx] = [nx, x];
      [f, nf] = [nf, f];
    }
    out[n] = f[L];
  }
  return out;
}

/**
 * Full LSA at token level from the embedding E = [[x_1..x_L, x_q], [y_1..y_L, 0]]:
 * y_hat = [E + W_PV E M E^T W_KQ E / L]_{d+1, L+1} = (1/L) sum_i (p^T e_i)(e_i^T K x_q).
 *
 * @example Token-level single-layer LSA
 * ```ts
 * import assert from "node:assert/strict";
 * import { samplePromptBatch } from "./task.ts";
 * import { statisticsFromBatch } from "./prompt_statistics.ts";
 * import { lsaPredict } from "./predictors.ts";
 * import { lsaTokenPredict } from "./token_predictors.ts";
 * import { lsaFromGamma } from "./models.ts";
 * const batch = samplePromptBatch({ prompts: 2, context: 16, seed: 5 });
 * const params = lsaFromGamma(0.27, 4);
 * const token = lsaTokenPredict(batch, params);
 * assert.equal(token.length, 2);
 * // The closed form on statistics, up to rounding.
 * assert.ok(Math.abs(token[1] - lsaPredict(statisticsFromBatch(batch), params)[1]) < 1e-12);
 * ```
 */
export function lsaTokenPredict(batch: PromptBatch, params: LsaParameters): Float64Array {
  requireBatch("batch", batch);
  const d = batch.task.dim;
  validateLsaParameters(params, d);
  const L = batch.context;
  const out = new Float64Array(batch.prompts);
  const kx = new Float64Array(d + 1);
  for (let n = 0; n < batch.prompts; n++) {
    lsaKeyQueryInto(params, batch.query, n, kx);
    let pred = 0;
    for (let i = 0; i < L; i++) {
      const o = (n * L + i) * d;
      const y = batch.y[n * L + i];
      let value = params.p[d] * y;
      let score = kx[d] * y;
      for (let a = 0; a < d; a++) {
        value += params.p[a] * batch.x[o + a];
        score += batch.x[o + a] * kx[a];
      }
      pred += value * score;
    }
    out[n] = pred / L; // the (d+1, L+1) entry of E itself is 0
  }
  return out;
}
