/**
 * LCA with layer-wise steps (schedules): layer t has its own W_S = alpha_t Id and W_V = beta_t
 * Id, so the query state follows
 *   q_0 = 0,  q_{t+1} = q_t + alpha_t x_q + beta_t A_t,  A_t = (1/L) sum_i x_i (x_i^T q_t)
 *     = q_t + alpha_t x_q + beta_t Sigma_hat q_t,
 * and the readout is y_hat = q_T^T mu_hat = x_q^T P(Sigma_hat) mu_hat, P a polynomial of
 * degree T - 1 (P(S) = sum_t alpha_t prod_{u>t} (I + beta_u S), from the recursion).
 * - `lca-schedule`: beta_t = -alpha_t (each layer a Richardson step with its own step), so
 *   I - Sigma_hat P(Sigma_hat) = prod_t (I - alpha_t Sigma_hat): the error along an
 *   eigenvalue lambda of Sigma_hat is prod_t (1 - alpha_t lambda);
 * - `lca2-schedule`: alpha_t and beta_t free. beta_1 multiplies Sigma_hat q_0 = 0, so it
 *   never matters: 2T - 1 parameters act.
 * Constant steps are the tied models `lca1` (alpha, -alpha) and `lca2` (alpha, beta).
 * Predictions on sufficient statistics (O(T d^2) per prompt) and on stored tokens (the
 * attention written out, O(T L d)); the loss and its exact gradient are in `schedule_loss.ts`.
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
  requireStatistics,
} from "../validation/errors.ts";
import type { PromptBatch, PromptStatistics } from "./model_types.ts";

/**
 * The schedule models: `lca-schedule` (alpha_t per layer, beta_t = -alpha_t) and
 * `lca2-schedule` (alpha_t and beta_t per layer).
 *
 * @example Parameters without betas describe the first model
 * ```ts
 * import assert from "node:assert/strict";
 * import { SCHEDULE_MODELS, validateScheduleParameters } from "./schedule_models.ts";
 * assert.equal(validateScheduleParameters({ alphas: [0.3] }), SCHEDULE_MODELS[0]);
 * ```
 */
export const SCHEDULE_MODELS = ["lca-schedule", "lca2-schedule"] as const;

/** A schedule model name. */
export type ScheduleModel = typeof SCHEDULE_MODELS[number];

/** Parameters of a T-layer LCA with per-layer weights (T = alphas.length). */
export interface ScheduleParameters {
  /** W_S = alpha_t Id in layer t = 1..T. */
  alphas: ArrayLike<number>;
  /** W_V = beta_t Id in layer t; absent: beta_t = -alpha_t (`lca-schedule`). */
  betas?: ArrayLike<number>;
}

/**
 * Validates schedule parameters: an object with a non-empty array `alphas` of finite numbers
 * and, optionally, `betas` of the same length; any other key is a TypeError. Returns the
 * model the parameters describe.
 *
 * @example One-parameter steps are `lca-schedule`, with betas `lca2-schedule`
 * ```ts
 * import assert from "node:assert/strict";
 * import { validateScheduleParameters } from "./schedule_models.ts";
 * assert.equal(validateScheduleParameters({ alphas: [0.6, 0.2] }), "lca-schedule");
 * assert.equal(validateScheduleParameters({ alphas: [0.3], betas: [-0.2] }), "lca2-schedule");
 * assert.throws(() => validateScheduleParameters({ alphas: [] }), /^RangeError: alphas/);
 * ```
 */
export function validateScheduleParameters(params: ScheduleParameters): ScheduleModel {
  if (params === null || typeof params !== "object" || Array.isArray(params)) {
    throw new TypeError(`parameters must be an object, got ${describeValue(params)}`);
  }
  requireKnownKeys("parameters", params, ["alphas", "betas"]);
  const depth = requireNumbers("alphas", params.alphas).length;
  if (depth === 0) {
    throw new RangeError(`alphas must hold at least one step, got ${describeValue(params.alphas)}`);
  }
  if (params.betas === undefined) return "lca-schedule";
  requireNumbers("betas", params.betas, depth);
  return "lca2-schedule";
}

/**
 * The per-layer (alpha_t, beta_t) of validated parameters: beta_t = -alpha_t when `betas`
 * is absent.
 *
 * @example beta_t = -alpha_t for the one-parameter schedule
 * ```ts
 * import assert from "node:assert/strict";
 * import { scheduleLayers } from "./schedule_models.ts";
 * assert.deepEqual(scheduleLayers({ alphas: [0.5, 0.25] }).betas, [-0.5, -0.25]);
 * ```
 */
export function scheduleLayers(params: ScheduleParameters): { alphas: number[]; betas: number[] } {
  validateScheduleParameters(params);
  const alphas = Array.from(params.alphas);
  const betas = params.betas === undefined ? alphas.map((a) => -a) : Array.from(params.betas);
  return { alphas, betas };
}

/**
 * The tied model as a schedule: alpha_t = alpha and beta_t = beta in every layer (`betas`
 * omitted when beta is not given, the one-parameter model).
 *
 * @example The one-parameter tied model at depth 3
 * ```ts
 * import assert from "node:assert/strict";
 * import { tiedSchedule } from "./schedule_models.ts";
 * assert.deepEqual(tiedSchedule(0.3, 3), { alphas: [0.3, 0.3, 0.3] });
 * assert.deepEqual(tiedSchedule(0.3, 2, -0.2).betas, [-0.2, -0.2]);
 * ```
 */
export function tiedSchedule(alpha: number, depth: number, beta?: number): ScheduleParameters {
  requireFinite("alpha", alpha);
  requirePositiveInteger("depth", depth);
  const alphas = new Array<number>(depth).fill(alpha);
  if (beta === undefined) return { alphas };
  requireFinite("beta", beta);
  return { alphas, betas: new Array<number>(depth).fill(beta) };
}

/**
 * Predictions from sufficient statistics: q_0 = 0, q_{t+1} = q_t + alpha_t x_q + beta_t
 * Sigma_hat q_t, y_hat = q_T^T mu_hat (= x_q^T P(Sigma_hat) mu_hat). O(T d^2) per prompt.
 *
 * @example Constant steps are the tied LCA
 * ```ts
 * import assert from "node:assert/strict";
 * import { samplePromptStatistics } from "./prompt_statistics.ts";
 * import { lcaPredict } from "./predictors.ts";
 * import { schedulePredict, tiedSchedule } from "./schedule_models.ts";
 * const stats = samplePromptStatistics({ prompts: 3, context: 32, seed: 2 });
 * const schedule = schedulePredict(stats, tiedSchedule(0.3, 5));
 * const tied = lcaPredict(stats, { alpha: 0.3, beta: -0.3, depth: 5 });
 * schedule.forEach((y, n) => assert.ok(Math.abs(y - tied[n]) < 1e-12));
 * ```
 */
export function schedulePredict(
  stats: PromptStatistics,
  params: ScheduleParameters,
): Float64Array {
  requireStatistics("stats", stats);
  const { alphas, betas } = scheduleLayers(params);
  const d = stats.task.dim;
  const out = new Float64Array(stats.prompts);
  const q = new Float64Array(d);
  const u = new Float64Array(d);
  for (let n = 0; n < stats.prompts; n++) {
    const so = n * d * d, xo = n * d;
    q.fill(0);
    for (let t = 0; t < alphas.length; t++) {
      for (let r = 0; r < d; r++) {
        let sum = 0;
        for (let c = 0; c < d; c++) sum += stats.sigmaHat[so + r * d + c] * q[c];
        u[r] = sum;
      }
      for (let r = 0; r < d; r++) q[r] += alphas[t] * stats.query[xo + r] + betas[t] * u[r];
    }
    let pred = 0;
    for (let r = 0; r < d; r++) pred += q[r] * stats.muHat[xo + r];
    out[n] = pred;
  }
  return out;
}

/** Options of the token-level recursions ({@linkcode scheduleTokenPredict}, `lcaTokenPredict`). */
export interface LcaTokenOptions {
  /** Drop the re-injection W_S S_t and start from q_0 = x_q (the ablation). Default false. */
  withoutSkipStream?: boolean;
}

/**
 * Predictions at token level, layer by layer: the cross-attention A_t = (1/L) sum_i x_i
 * (x_i^T q_t) over the stored context tokens (query q_t, keys and values the raw x_i),
 * q_{t+1} = q_t + alpha_t x_q + beta_t A_t from q_0 = 0, and the self-attention readout
 * y_hat = (1/L) sum_i (q_T^T x_i) y_i. Without S_t: q_0 = x_q and q_{t+1} = q_t + beta_t A_t.
 * O(T L d) per prompt.
 *
 * @example The attention over tokens equals the statistics form
 * ```ts
 * import assert from "node:assert/strict";
 * import { samplePromptBatch } from "./task.ts";
 * import { statisticsFromBatch } from "./prompt_statistics.ts";
 * import { schedulePredict, scheduleTokenPredict } from "./schedule_models.ts";
 * const batch = samplePromptBatch({ prompts: 2, context: 16, seed: 5 });
 * const params = { alphas: [0.6, 0.4, 0.2] };
 * const token = scheduleTokenPredict(batch, params);
 * const closed = schedulePredict(statisticsFromBatch(batch), params);
 * token.forEach((y, n) => assert.ok(Math.abs(y - closed[n]) < 1e-12));
 * ```
 */
export function scheduleTokenPredict(
  batch: PromptBatch,
  params: ScheduleParameters,
  options: LcaTokenOptions = {},
): Float64Array {
  requireBatch("batch", batch);
  requireKnownKeys("options", options, ["withoutSkipStream"]);
  return scheduleTokenForward(batch, scheduleLayers(params), options);
}

/**
 * The token-level recursion of {@linkcode scheduleTokenPredict} on inputs the caller has
 * validated (`lcaTokenPredict` runs it on the tied steps): one (alpha_t, beta_t) per layer,
 * T = alphas.length.
 *
 * @example Without the skip stream and with zero steps, q_T = x_q
 * ```ts
 * import assert from "node:assert/strict";
 * import { samplePromptBatch } from "./task.ts";
 * import { scheduleTokenForward, tokenReadout } from "./schedule_models.ts";
 * const batch = samplePromptBatch({ prompts: 2, context: 16, seed: 5 });
 * const layers = { alphas: [0, 0], betas: [0, 0] };
 * const out = scheduleTokenForward(batch, layers, { withoutSkipStream: true });
 * assert.equal(out[1], tokenReadout(batch, 1, batch.query.subarray(4, 8)));
 * ```
 */
export function scheduleTokenForward(
  batch: PromptBatch,
  layers: { alphas: ArrayLike<number>; betas: ArrayLike<number> },
  options: LcaTokenOptions = {},
): Float64Array {
  const { alphas, betas } = layers;
  const d = batch.task.dim;
  const L = batch.context;
  const out = new Float64Array(batch.prompts);
  const q = new Float64Array(d);
  const attention = new Float64Array(d);
  for (let n = 0; n < batch.prompts; n++) {
    const xq = batch.query.subarray(n * d, (n + 1) * d);
    if (options.withoutSkipStream) q.set(xq);
    else q.fill(0);
    for (let t = 0; t < alphas.length; t++) {
      attention.fill(0);
      for (let i = 0; i < L; i++) {
        const o = (n * L + i) * d;
        let score = 0;
        for (let a = 0; a < d; a++) score += batch.x[o + a] * q[a];
        for (let a = 0; a < d; a++) attention[a] += batch.x[o + a] * score;
      }
      for (let a = 0; a < d; a++) {
        const skip = options.withoutSkipStream ? 0 : alphas[t] * xq[a];
        q[a] += skip + betas[t] * attention[a] / L;
      }
    }
    out[n] = tokenReadout(batch, n, q);
  }
  return out;
}

/**
 * The self-attention readout y_hat = (1/L) sum_i (q^T x_i) y_i of prompt `n` of a batch,
 * for a final query state q (d numbers).
 *
 * @example The readout of q = e_1 is the mean of x_i1 y_i
 * ```ts
 * import assert from "node:assert/strict";
 * import { samplePromptBatch } from "./task.ts";
 * import { tokenReadout } from "./schedule_models.ts";
 * const batch = samplePromptBatch({ prompts: 1, context: 4, seed: 5 });
 * let sum = 0;
 * for (let i = 0; i < 4; i++) sum += batch.x[i * 4] * batch.y[i];
 * assert.equal(tokenReadout(batch, 0, Float64Array.of(1, 0, 0, 0)), sum / 4);
 * ```
 */
export function tokenReadout(batch: PromptBatch, n: number, q: ArrayLike<number>): number {
  const d = batch.task.dim;
  const L = batch.context;
  let pred = 0;
  for (let i = 0; i < L; i++) {
    const o = (n * L + i) * d;
    let score = 0;
    for (let a = 0; a < d; a++) score += q[a] * batch.x[o + a];
    pred += score * batch.y[n * L + i];
  }
  return pred / L;
}
