/**
 * Task configuration and prompt sampling (MODEL.md, "Data: one prompt").
 *
 * For prompt n of a batch, with the counter stream of `random.ts`:
 * 1. s = quantile(u) with u the strength uniform of prompt n;
 * 2. v = g / |g| with g the d direction Gaussians of prompt n; m = sqrt(s) v;
 * 3. for each token (context i = 0..L-1, query = QUERY_TOKEN) the Gaussians
 *    (h, xi_1..xi_d, eps) give x = h m + xi and y = h + sigma eps.
 * Context examples of a smaller L are a prefix of those of a larger L, and the
 * query does not depend on L.
 *
 * @module
 */

import {
  requireChoice,
  requireNonNegative,
  requireNonNegativeInteger,
  requirePositiveInteger,
} from "../validation/errors.ts";
import { lawQuantileUnchecked, parseSpikeLaw, type SpikeLaw, validateSpikeLaw } from "./law.ts";
import { CounterStream, type StreamKey, StreamTag } from "../numeric/random.ts";
import { RESPONSE_LOADING, spikeNormFromStrength } from "./reconstructed.ts";
import { storePromptBatch } from "./prompt_storage.ts";
import {
  sampleRegressionPromptBatch,
  sampleRegressionTasks,
  type TaskFamily,
  withFamily,
} from "./families/regression.ts";

/**
 * Defaults of MODEL.md: d1 = d2 = 2, sigma = 0.1, s ~ Uniform[0.5, 4].
 *
 * @example The default task
 * ```ts
 * import { TASK_DEFAULTS } from "./task.ts";
 * console.log(TASK_DEFAULTS.d1 + TASK_DEFAULTS.d2, TASK_DEFAULTS.sigma); // 4 0.1
 * ```
 */
export const TASK_DEFAULTS = {
  d1: 2,
  d2: 2,
  mMin: 0.5,
  mMax: 4,
  law: "uniform",
  sigma: 0.1,
} as const;

/** Options that describe the task distribution; every field has a default. */
export interface TaskOptions {
  /** Dimension of the first modality (default 2). */
  d1?: number;
  /** Dimension of the second modality (default 2). */
  d2?: number;
  /** Lower end m_lo of the support of s = |m|^2 (default 0.5). */
  mMin?: number;
  /** Upper end m_hi of the support of s (default 4). */
  mMax?: number;
  /** Law of s: a SpikeLaw or `uniform`, `beta:A:B`, `point:S` (default `uniform`). */
  law?: SpikeLaw | string;
  /** Label noise standard deviation (default 0.1). */
  sigma?: number;
  /** Task family: `paper` (default) or `regression` (x ~ N(0, Lambda), w ~ N(0, I); `regression.ts`). */
  family?: TaskFamily;
  /** Regression only: diagonal of Lambda, `"identity"` (default, d = d1 + d2) or e.g. `[4, 2, 1, 0.5]`. */
  covariance?: readonly number[] | Float64Array | string;
}

/** A validated task distribution. */
export interface TaskConfig {
  /** Dimension d1 of the first modality z1. */
  d1: number;
  /** Dimension d2 of the second modality z2. */
  d2: number;
  /** d = d1 + d2. */
  dim: number;
  /** Law P of the spike strength s = |m|^2. */
  law: SpikeLaw;
  /** Label noise standard deviation sigma. */
  sigma: number;
  /** `regression` for the prior-work family (absent: the paper's family; the law is then unused). */
  family?: TaskFamily;
  /** Regression only: the diagonal of Lambda (length d). */
  covariance?: Float64Array;
}

/** Validates task options and fills in defaults. */
export function resolveTask(options: TaskOptions = {}): TaskConfig {
  const d1 = requirePositiveInteger("d1", options.d1 ?? TASK_DEFAULTS.d1);
  const d2 = requirePositiveInteger("d2", options.d2 ?? TASK_DEFAULTS.d2);
  const sigma = requireNonNegative("sigma", options.sigma ?? TASK_DEFAULTS.sigma);
  const lawOption = options.law ?? TASK_DEFAULTS.law;
  const law = typeof lawOption === "string"
    ? parseSpikeLaw(
      lawOption,
      options.mMin ?? TASK_DEFAULTS.mMin,
      options.mMax ?? TASK_DEFAULTS.mMax,
    )
    : validateSpikeLaw(lawOption);
  return withFamily({ d1, d2, dim: d1 + d2, law, sigma }, options.family, options.covariance);
}

/** Options for sampling a batch of prompts. */
export interface SampleOptions extends TaskOptions {
  /** Number of prompts N (positive integer). */
  prompts: number;
  /** Context length L (positive integer), or `Infinity` for exact task statistics. */
  context: number;
  /** Seed (non-negative safe integer). */
  seed: number;
  /** Sub-stream: 0 for training prompts (default), 1 for test prompts, any u32. */
  stream?: number;
  /** Index of the first prompt within the stream (default 0), for chunked sampling. */
  promptOffset?: number;
  /**
   * How sufficient statistics are drawn (`samplePromptStatistics`; token-level passes
   * always draw tokens): `tokens` reduces the Philox token stream (the reference, and
   * the stream WebGPU reproduces); `wishart` draws them exactly from their joint law
   * without tokens (`model/wishart.ts`, O(d^3) per prompt whatever L); `auto` (default)
   * is `wishart` when 2 <= d + 2 <= L < Infinity and `tokens` otherwise.
   */
  sampler?: StatisticsSampler;
}

/** A statistics sampler name (see {@linkcode SampleOptions.sampler}). */
export type StatisticsSampler = "tokens" | "wishart" | "auto";
/** Names of the statistics samplers. */
export const STATISTICS_SAMPLERS: readonly StatisticsSampler[] = ["tokens", "wishart", "auto"];

/** Validated sampling options. */
export interface ResolvedSample {
  /** The validated task distribution. */
  task: TaskConfig;
  /** Number of prompts N. */
  prompts: number;
  /** Context length L (`Infinity` for exact task statistics). */
  context: number;
  /** Seed and sub-stream of the counter stream. */
  key: StreamKey;
  /** Index of the first prompt within the stream. */
  promptOffset: number;
  /** The statistics sampler, `auto` resolved: `wishart` or `tokens`. */
  sampler: "tokens" | "wishart";
}

/** Whether `auto` picks the exact statistics sampler: d + 2 <= L < Infinity. */
export function wishartApplies(context: number, dim: number): boolean {
  return Number.isFinite(context) && context >= dim + 2;
}

/** Validates sampling options. `allowInfiniteContext` accepts `context: Infinity`. */
export function resolveSample(options: SampleOptions, allowInfiniteContext = true): ResolvedSample {
  if (options === null || typeof options !== "object") {
    throw new TypeError(`options must be an object, got ${String(options)}`);
  }
  const task = resolveTask(options);
  const prompts = requirePositiveInteger("prompts", options.prompts);
  const context = allowInfiniteContext && options.context === Infinity
    ? Infinity
    : requirePositiveInteger("context", options.context);
  const seed = requireNonNegativeInteger("seed", options.seed);
  const stream = requireNonNegativeInteger("stream", options.stream ?? 0);
  if (stream > 0xffffffff) throw new RangeError(`stream must be a u32, got ${stream}`);
  const promptOffset = requireNonNegativeInteger("promptOffset", options.promptOffset ?? 0);
  if (promptOffset + prompts > 0xffffffff) {
    throw new RangeError(
      `promptOffset + prompts must be at most 2^32 - 1, got ${promptOffset + prompts}`,
    );
  }
  const requested = requireChoice("sampler", options.sampler ?? "auto", STATISTICS_SAMPLERS);
  const sampler = requested === "auto"
    ? (wishartApplies(context, task.dim) ? "wishart" : "tokens")
    : requested === "wishart" && context === Infinity
    ? "tokens" // exact task moments: nothing to sample
    : requested;
  return { task, prompts, context, key: { seed, stream }, promptOffset, sampler };
}

/** The tasks of a batch: spike strengths s_n and spike vectors m_n. */
export interface TaskBatch {
  /** The task distribution the batch was drawn from. */
  task: TaskConfig;
  /** Number of prompts N. */
  prompts: number;
  /** s_n = |m_n|^2, length N. */
  strength: Float64Array;
  /** m_n, N x d row-major. */
  spike: Float64Array;
}

/**
 * Samples the task (s, m) of each prompt of a batch.
 *
 * @example
 * ```ts
 * import { resolveSample, sampleTaskBatch } from "./task.ts";
 * const tasks = sampleTaskBatch(resolveSample({ prompts: 3, context: 10, seed: 1 }));
 * tasks.strength.length; // 3
 * ```
 */
export function sampleTaskBatch(sample: ResolvedSample): TaskBatch {
  if (sample.task.family === "regression") return sampleRegressionTasks(sample);
  const { task, prompts, key, promptOffset } = sample;
  const d = task.dim;
  const generator = new CounterStream(key);
  const strength = new Float64Array(prompts);
  const spike = new Float64Array(prompts * d);
  const g = new Float64Array(d);
  for (let n = 0; n < prompts; n++) {
    const p = promptOffset + n;
    const s = lawQuantileUnchecked(task.law, generator.uniform(p, 0, StreamTag.strength));
    generator.normals(p, 0, StreamTag.direction, d, g);
    let norm2 = 0;
    for (let j = 0; j < d; j++) norm2 += g[j] * g[j];
    const scale = spikeNormFromStrength(s) / Math.sqrt(norm2);
    strength[n] = s;
    for (let j = 0; j < d; j++) spike[n * d + j] = g[j] * scale;
  }
  return { task, prompts, strength, spike };
}

/**
 * Writes token `token` of prompt `prompt` (x into `x[xOffset..]`, returns y), given its spike m.
 * `normals` is scratch of length >= d + 2.
 */
export function sampleToken(
  generator: CounterStream,
  prompt: number,
  token: number,
  spike: Float64Array,
  spikeOffset: number,
  dim: number,
  sigma: number,
  normals: Float64Array,
  x: Float64Array,
  xOffset: number,
): number {
  generator.normals(prompt, token, StreamTag.token, dim + 2, normals);
  const h = normals[0];
  for (let j = 0; j < dim; j++) x[xOffset + j] = h * spike[spikeOffset + j] + normals[1 + j];
  return RESPONSE_LOADING * h + sigma * normals[dim + 1];
}

/** A batch of prompts with every token stored (the token-level reference path). */
export interface PromptBatch extends TaskBatch {
  /** Context length L. */
  context: number;
  /** Context covariates, N x L x d row-major. */
  x: Float64Array;
  /** Context labels, N x L. */
  y: Float64Array;
  /** Query covariates x_q, N x d. */
  query: Float64Array;
  /** Query labels y_q, N. */
  queryLabel: Float64Array;
}

/**
 * Samples N prompts of L context examples and a query, storing every token
 * (O(N L d) memory; use {@linkcode samplePromptStatistics} for large L).
 *
 * @example Tokens of two prompts
 * ```ts
 * import { samplePromptBatch } from "./task.ts";
 * const batch = samplePromptBatch({ prompts: 2, context: 8, seed: 1 });
 * console.log(batch.x.length); // 2 prompts x 8 tokens x d = 4: 64
 * ```
 */
export function samplePromptBatch(options: SampleOptions): PromptBatch {
  const sample = resolveSample(options, false);
  if (sample.task.family === "regression") return sampleRegressionPromptBatch(sample);
  const tasks = sampleTaskBatch(sample);
  const d = tasks.task.dim;
  const sigma = tasks.task.sigma;
  return storePromptBatch(
    sample,
    tasks,
    (generator, p, n, token, normals, x, xOffset) =>
      sampleToken(generator, p, token, tasks.spike, n * d, d, sigma, normals, x, xOffset),
  );
}

/**
 * Names of the two training targets: the noisy label y_q or the Bayes prediction w^T x_q.
 *
 * @example Training targets
 * ```ts
 * import { TARGETS } from "./task.ts";
 * console.log(TARGETS); // ["label", "bayes"]
 * ```
 */
export const TARGETS = ["label", "bayes"] as const;
/** A training target. */
export type Target = typeof TARGETS[number];

/** Validates a target name. */
export function requireTarget(value: unknown): Target {
  return requireChoice("target", value, TARGETS);
}
