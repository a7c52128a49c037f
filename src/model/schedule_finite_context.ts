/**
 * A depth schedule against the tied model at a finite test context L_te: on the same fresh
 * prompts, the excess over the Bayes predictor of `lca-schedule` with the given steps and of
 * the tied one-parameter LCA (one step alpha in each of the same T layers), each the mean of
 * (y_hat - w^T x_q)^2 over the prompts (the excess given each prompt's task, without the label
 * noise), and their paired difference. As L_te -> infinity the excesses tend to the population
 * values E_T of `theory/optimal_schedule.ts`; at a finite L_te, Sigma_hat has eigenvalues
 * outside the support [1 + m_lo, 1 + m_hi] of the population spectrum, where the residual
 * prod_t (1 - alpha_t lambda) of a schedule can grow faster than the tied (1 - alpha
 * lambda)^T. The steps are inputs (this module sits below `theory/`): pass
 * `optimalSchedule(law, T).alphas` and `optimalDepthStep(law, T)` for the optima.
 *
 * @module
 */

import {
  describeValue,
  requireFinite,
  requireKnownKeys,
  requireNonNegativeInteger,
  requireNumbers,
  requirePositiveInteger,
} from "../validation/errors.ts";
import type { PromptStatistics, StatisticsSampler, TaskOptions } from "./model_types.ts";
import { bayesTarget, samplePromptStatistics } from "./prompt_statistics.ts";
import { type Estimate, estimateMean } from "./risk.ts";
import { schedulePredict, tiedSchedule } from "./schedule_models.ts";
import { TASK_OPTION_KEYS } from "./task.ts";

/** Options of {@linkcode finiteContextScheduleComparison}; the task options default as in `train`. */
export interface FiniteContextScheduleOptions extends TaskOptions {
  /** The steps alpha_1..alpha_T of `lca-schedule` in layer order (beta_t = -alpha_t). */
  alphas: readonly number[];
  /** The tied model's step: W_S = alpha, W_V = -alpha in each of the same T layers. */
  tiedAlpha: number;
  /** Test contexts L_te (default [64, 256, 1024]); `Infinity` gives exact task statistics. */
  contexts?: readonly number[];
  /** Test prompts per context (default 4000, at least 2). */
  prompts?: number;
  /** Seed of the prompts (default 0). */
  seed?: number;
  /** Sub-stream of the prompts (default 1, the test stream). */
  stream?: number;
  /** Statistics sampler (default `auto`, see `samplePromptStatistics`). */
  sampler?: StatisticsSampler;
}

/** The comparison at one test context. */
export interface ScheduleContextRow {
  /** Test context L_te (`Infinity`: exact task statistics). */
  context: number;
  /** Excess of the schedule: mean of (y_hat - w^T x_q)^2, with its standard error. */
  schedule: Estimate;
  /** Excess of the tied model on the same prompts. */
  tied: Estimate;
  /** Paired difference schedule - tied (negative: the schedule keeps its advantage). */
  difference: Estimate;
}

/** The result of {@linkcode finiteContextScheduleComparison}. */
export interface FiniteContextScheduleComparison {
  /** Layers T. */
  depth: number;
  /** The schedule's steps, as given. */
  alphas: number[];
  /** The tied model's step, as given. */
  tiedAlpha: number;
  /** Prompts per context. */
  prompts: number;
  /** One row per test context, in the order given. */
  rows: ScheduleContextRow[];
}

/** The default test contexts. */
export const FINITE_CONTEXTS: readonly number[] = [64, 256, 1024];

/**
 * The comparison on given prompts: the schedule's and the tied model's excess over the Bayes
 * prediction w^T x_q and their paired difference (at least 2 prompts).
 *
 * @example On exact statistics the optimal schedule is far below the tied optimum at T = 4
 * ```ts
 * import assert from "node:assert/strict";
 * import { samplePromptStatistics } from "./prompt_statistics.ts";
 * import { compareScheduleOnStatistics } from "./schedule_finite_context.ts";
 * const stats = samplePromptStatistics({ prompts: 500, context: Infinity, seed: 1, stream: 1 });
 * // The optimal steps and tied step of Uniform[0.5, 4] at T = 4 (theory/optimal_schedule.ts).
 * const row = compareScheduleOnStatistics(stats, [0.5449, 0.3527, 0.2518, 0.2089], 0.2913);
 * assert.equal(row.context, Infinity);
 * assert.ok(row.difference.mean < -5 * row.difference.standardError); // about -5.6 SE here
 * assert.ok(row.schedule.mean < row.tied.mean / 5);
 * ```
 */
export function compareScheduleOnStatistics(
  stats: PromptStatistics,
  alphas: readonly number[],
  tiedAlpha: number,
): ScheduleContextRow {
  requireNumbers("alphas", alphas);
  if (alphas.length === 0) {
    throw new RangeError(`alphas must hold at least one step, got ${describeValue(alphas)}`);
  }
  requireFinite("tiedAlpha", tiedAlpha);
  const target = bayesTarget(stats);
  const schedule = schedulePredict(stats, { alphas });
  const tied = schedulePredict(stats, tiedSchedule(tiedAlpha, alphas.length));
  const n = stats.prompts;
  const es = new Float64Array(n), et = new Float64Array(n), diff = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    es[i] = (schedule[i] - target[i]) ** 2;
    et[i] = (tied[i] - target[i]) ** 2;
    diff[i] = es[i] - et[i];
  }
  return {
    context: stats.context,
    schedule: estimateMean(es),
    tied: estimateMean(et),
    difference: estimateMean(diff),
  };
}

/**
 * Per test context L_te, the excess over the Bayes predictor of `lca-schedule` with steps
 * `alphas` and of the tied model with step `tiedAlpha` (same T layers) on the same fresh
 * prompts, with standard errors and their paired difference. Prompts of every context come
 * from the same seed and stream (`samplePromptStatistics`).
 *
 * @example A schedule against the tied model at L_te = 256 and exact statistics
 * ```ts
 * import assert from "node:assert/strict";
 * import { finiteContextScheduleComparison } from "./schedule_finite_context.ts";
 * const result = finiteContextScheduleComparison({
 *   alphas: [0.5449, 0.3527, 0.2518, 0.2089],
 *   tiedAlpha: 0.2913,
 *   contexts: [256, Infinity],
 *   prompts: 400,
 * });
 * assert.deepEqual(result.rows.map((row) => row.context), [256, Infinity]);
 * assert.equal(result.depth, 4);
 * // The finite context dominates the excess: about 1e-3 against 3e-5 at L_te = Infinity.
 * assert.ok(result.rows[0].schedule.mean > 10 * result.rows[1].schedule.mean);
 * ```
 */
export function finiteContextScheduleComparison(
  options: FiniteContextScheduleOptions,
): FiniteContextScheduleComparison {
  if (options === null || typeof options !== "object") {
    throw new TypeError(`options must be an object, got ${describeValue(options)}`);
  }
  const { alphas, tiedAlpha, contexts, prompts, seed, stream, sampler, ...task } = options;
  requireKnownKeys("options", options, [
    "alphas",
    "tiedAlpha",
    "contexts",
    "prompts",
    "seed",
    "stream",
    "sampler",
    ...TASK_OPTION_KEYS,
  ]);
  const steps = Array.from(requireNumbers("alphas", alphas));
  if (steps.length === 0) {
    throw new RangeError(`alphas must hold at least one step, got ${describeValue(alphas)}`);
  }
  requireFinite("tiedAlpha", tiedAlpha);
  const lengths = resolveContexts(contexts);
  const count = requirePositiveInteger("prompts", prompts ?? 4000);
  if (count < 2) {
    throw new RangeError(`prompts must be at least 2 (a standard error needs 2), got ${count}`);
  }
  const base = {
    ...task,
    prompts: count,
    seed: requireNonNegativeInteger("seed", seed ?? 0),
    stream: requireNonNegativeInteger("stream", stream ?? 1),
    ...(sampler === undefined ? {} : { sampler }),
  };
  const rows = lengths.map((context) =>
    compareScheduleOnStatistics(samplePromptStatistics({ ...base, context }), steps, tiedAlpha)
  );
  return { depth: steps.length, alphas: steps, tiedAlpha, prompts: count, rows };
}

/** The test contexts: positive integers or Infinity, at least one (default FINITE_CONTEXTS). */
function resolveContexts(contexts: readonly number[] | undefined): number[] {
  if (contexts === undefined) return [...FINITE_CONTEXTS];
  if (!Array.isArray(contexts) || contexts.length === 0) {
    throw new RangeError(
      `contexts must be a non-empty array of test contexts, got ${describeValue(contexts)}`,
    );
  }
  return contexts.map((context, k) =>
    context === Infinity ? Infinity : requirePositiveInteger(`contexts[${k}]`, context)
  );
}
