/**
 * Task configuration and prompt sampling: validation of the task and sampling
 * options (with their defaults), and the entry points that draw a batch's tasks
 * and tokens through the task's family (`families/families.ts`; the paper's
 * model is described in `families/paper_tasks.ts`).
 *
 * @module
 */

import {
  requireChoice,
  requireNonNegative,
  requireNonNegativeInteger,
  requirePositiveInteger,
} from "../validation/errors.ts";
import { checkSamplingBudget, resolveLimits } from "../validation/resource_limits.ts";
import { parseSpikeLaw, validateSpikeLaw } from "./law.ts";
import type {
  PromptBatch,
  ResolvedSample,
  SampleOptions,
  StatisticsSampler,
  TaskBatch,
  TaskConfig,
  TaskOptions,
} from "./model_types.ts";
import { FAMILIES, familyOf, requireFamily } from "./families/families.ts";

export type {
  PromptBatch,
  ResolvedSample,
  SampleOptions,
  StatisticsSampler,
  TaskBatch,
  TaskConfig,
  TaskOptions,
} from "./model_types.ts";

/**
 * Defaults of MODEL.md: d1 = d2 = 2, sigma = 0.1, s ~ Uniform[0.5, 4].
 *
 * @example The default task
 * ```ts
 * import assert from "node:assert/strict";
 * import { TASK_DEFAULTS } from "./task.ts";
 * assert.equal(TASK_DEFAULTS.d1 + TASK_DEFAULTS.d2, 4);
 * assert.equal(TASK_DEFAULTS.sigma, 0.1);
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

/**
 * The keys of {@linkcode TaskOptions}, for the known-key checks of the options objects that
 * extend them.
 *
 * @example Eight task options
 * ```ts
 * import assert from "node:assert/strict";
 * import { TASK_OPTION_KEYS } from "./task.ts";
 * assert.equal(TASK_OPTION_KEYS.length, 8);
 * assert.ok(TASK_OPTION_KEYS.includes("covariance"));
 * ```
 */
export const TASK_OPTION_KEYS: readonly (keyof TaskOptions)[] = [
  "d1",
  "d2",
  "mMin",
  "mMax",
  "law",
  "sigma",
  "family",
  "covariance",
];

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
  const family = FAMILIES[requireFamily(options.family)];
  return family.resolve({ d1, d2, dim: d1 + d2, law, sigma }, options.covariance);
}

/** Names of the statistics samplers. */
export const STATISTICS_SAMPLERS: readonly StatisticsSampler[] = ["tokens", "wishart", "auto"];

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
  const sampler = resolveSampler(options.sampler, context, task.dim);
  return { task, prompts, context, key: { seed, stream }, promptOffset, sampler };
}

/**
 * The statistics sampler a request runs (`auto` resolved: `wishart` when d + 2 <= L <
 * Infinity; exact task moments, L = Infinity, need no Wishart draw).
 */
export function resolveSampler(
  requested: unknown,
  context: number,
  dim: number,
): "tokens" | "wishart" {
  const choice = requireChoice("sampler", requested ?? "auto", STATISTICS_SAMPLERS);
  return choice === "auto"
    ? (wishartApplies(context, dim) ? "wishart" : "tokens")
    : choice === "wishart" && context === Infinity
    ? "tokens" // exact task moments: nothing to sample
    : choice;
}

/**
 * Checks one sampling call against its budgets (`options.limits`, default
 * `RESOURCE_LIMITS`): the memory of what it keeps (statistics, or every token for
 * `storage: "tokens"`) and its sampling work; the RangeError names prompts and context.
 */
export function checkSampleBudget(
  sample: ResolvedSample,
  limits: unknown,
  storage: "statistics" | "tokens",
): void {
  checkSamplingBudget(
    [{
      prompts: sample.prompts,
      context: sample.context,
      promptsName: "prompts",
      contextName: "context",
      sampler: storage === "tokens" ? "tokens" : sample.sampler,
      storage,
    }],
    sample.task.dim,
    resolveLimits(limits),
    {
      memory: ' (or raise limits.memoryBytes, or pass limits: "none")',
      sampling: storage === "tokens"
        ? ' (or raise limits.samplingWork, or pass limits: "none")'
        : ', or use context: Infinity (exact task statistics) or limits: "none"',
    },
  );
}

/**
 * Samples the task of each prompt of a batch (the paper's family: (s, m); regression: w).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolveSample, sampleTaskBatch } from "./task.ts";
 * const tasks = sampleTaskBatch(resolveSample({ prompts: 3, context: 10, seed: 1 }));
 * assert.equal(tasks.strength.length, 3);
 * assert.ok(tasks.strength.every((s) => s >= 0.5 && s <= 4)); // s ~ Uniform[0.5, 4]
 * ```
 */
export function sampleTaskBatch(sample: ResolvedSample): TaskBatch {
  return familyOf(sample.task).sampleTasks(sample);
}

/**
 * Samples N prompts of L context examples and a query, storing every token
 * (O(N L d) memory; use {@linkcode samplePromptStatistics} for large L).
 *
 * @example Tokens of two prompts
 * ```ts
 * import assert from "node:assert/strict";
 * import { samplePromptBatch } from "./task.ts";
 * const batch = samplePromptBatch({ prompts: 2, context: 8, seed: 1 });
 * assert.equal(batch.x.length, 2 * 8 * 4); // 2 prompts x 8 tokens x d = 4
 * ```
 */
export function samplePromptBatch(options: SampleOptions): PromptBatch {
  const sample = resolveSample(options, false);
  checkSampleBudget(sample, options.limits, "tokens");
  return familyOf(sample.task).samplePromptBatch(sample);
}

/**
 * Names of the two training targets: the noisy label y_q or the Bayes prediction w^T x_q.
 *
 * @example Training targets
 * ```ts
 * import assert from "node:assert/strict";
 * import { TARGETS } from "./task.ts";
 * assert.deepEqual(TARGETS, ["label", "bayes"]);
 * ```
 */
export const TARGETS = ["label", "bayes"] as const;
/** A training target. */
export type Target = typeof TARGETS[number];

/** Validates a target name. */
export function requireTarget(value: unknown): Target {
  return requireChoice("target", value, TARGETS);
}
