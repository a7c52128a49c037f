/**
 * Per-prompt sufficient statistics: Sigma_hat = (1/L) sum x_i x_i^T,
 * mu_hat = (1/L) sum y_i x_i, the mean and mean square of the labels, plus the
 * query. Every closed-form predictor and the fast training path need only these
 * (O(N d^2) memory). With `context: Infinity` the statistics are the exact task
 * moments Sigma = I + m m^T, mu = m.
 *
 * @module
 */

import {
  requireBatch,
  requireLength,
  requirePositiveInteger,
  requireTasks,
} from "../validation/errors.ts";
import { EigenWorkspace, symmetricEigenInto } from "../numeric/linalg.ts";
import type {
  PromptBatch,
  PromptStatistics,
  SampleOptions,
  SpectralStatistics,
  TaskBatch,
} from "./model_types.ts";
import { allocateStatistics } from "./prompt_storage.ts";
import { checkSampleBudget, resolveSample } from "./task.ts";
import { FAMILIES, familyOf, TASK_FAMILIES } from "./families/families.ts";

export type { PromptStatistics, SpectralStatistics } from "./model_types.ts";

/**
 * Samples prompts and reduces each to its sufficient statistics. With the `tokens`
 * sampler these are exactly the prompts of `samplePromptBatch` for the same options;
 * with `wishart` (the default `auto` when d + 2 <= L < Infinity) they are drawn exactly
 * from the same joint law without tokens (`wishart.ts`), with the same tasks and
 * queries. `context: Infinity` gives exact task moments and a sampled query.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { samplePromptStatistics } from "./prompt_statistics.ts";
 * const stats = samplePromptStatistics({ prompts: 2, context: 100, seed: 7 });
 * assert.equal(stats.sigmaHat.length, 2 * 4 * 4); // one 4 x 4 Sigma_hat per prompt
 * ```
 */
export function samplePromptStatistics(options: SampleOptions): PromptStatistics {
  const sample = resolveSample(options, true);
  checkSampleBudget(sample, options.limits, "statistics");
  return familyOf(sample.task).sampleStatistics(sample);
}

/**
 * Statistics of the same prompts at several context lengths in one pass (nested:
 * the contexts of a shorter length are part of those of a longer one). With the
 * `tokens` sampler each result equals `samplePromptStatistics` at that length (prefix
 * snapshots of one token pass); with `wishart` each length adds an independent
 * increment to the previous one, so the joint law over lengths is that of nested
 * token prefixes. `options.context` is ignored; `auto` picks `wishart` when every
 * finite length is at least d + 2. An `Infinity` entry (last) gives exact moments.
 */
export function samplePromptStatisticsNested(
  options: Omit<SampleOptions, "context">,
  contexts: readonly number[],
): PromptStatistics[] {
  if (!Array.isArray(contexts) || contexts.length === 0) {
    throw new TypeError(`contexts must be a non-empty array, got ${String(contexts)}`);
  }
  const finite = contexts.filter((L) => L !== Infinity);
  const smallest = finite.length > 0 ? Math.min(...finite) : Infinity;
  const sample = resolveSample({ ...options, context: smallest } as SampleOptions, true);
  const family = familyOf(sample.task);
  const nested = family.sampleNestedStatistics;
  if (nested === undefined) {
    const nesting = TASK_FAMILIES.filter((name) => FAMILIES[name].sampleNestedStatistics);
    throw new RangeError(
      `family must be ${nesting.join(" or ")} for nested context lengths, got ${family.name} ` +
        "(sample each length)",
    );
  }
  for (let i = 0; i < contexts.length; i++) {
    const L = contexts[i];
    if (L !== Infinity) requirePositiveInteger(`contexts[${i}]`, L);
    if (i > 0 && !(L > contexts[i - 1])) {
      throw new RangeError(
        `contexts must be strictly increasing, got ${contexts[i - 1]} then ${L} at index ${i}`,
      );
    }
  }
  return nested(sample, contexts);
}

/**
 * Reduces a stored batch to its sufficient statistics.
 *
 * @example Token-level statistics equal the streamed ones
 * ```ts
 * import assert from "node:assert/strict";
 * import { samplePromptBatch } from "./task.ts";
 * import { samplePromptStatistics, statisticsFromBatch } from "./prompt_statistics.ts";
 * const options = { prompts: 3, context: 16, seed: 2 };
 * const fromTokens = statisticsFromBatch(samplePromptBatch(options));
 * const streamed = samplePromptStatistics({ ...options, sampler: "tokens" });
 * assert.equal(fromTokens.sigmaHat.length, 3 * 4 * 4);
 * // The same prompts, summed in another order: equal up to rounding.
 * fromTokens.sigmaHat.forEach((v, i) => assert.ok(Math.abs(v - streamed.sigmaHat[i]) < 1e-12));
 * ```
 */
export function statisticsFromBatch(batch: PromptBatch): PromptStatistics {
  requireBatch("batch", batch);
  const stats = allocateStatistics(batch, batch.context);
  const d = batch.task.dim;
  const L = batch.context;
  requireLength("batch.x", batch.x, batch.prompts * L * d);
  requireLength("batch.y", batch.y, batch.prompts * L);
  for (let n = 0; n < batch.prompts; n++) {
    const sig = n * d * d;
    let sumY = 0, sumY2 = 0;
    for (let i = 0; i < L; i++) {
      const xo = (n * L + i) * d;
      const y = batch.y[n * L + i];
      sumY += y;
      sumY2 += y * y;
      for (let a = 0; a < d; a++) {
        stats.muHat[n * d + a] += y * batch.x[xo + a] / L;
        for (let b = 0; b < d; b++) {
          stats.sigmaHat[sig + a * d + b] += batch.x[xo + a] * batch.x[xo + b] / L;
        }
      }
    }
    stats.meanY[n] = sumY / L;
    stats.meanY2[n] = sumY2 / L;
  }
  stats.query.set(batch.query);
  stats.queryLabel.set(batch.queryLabel);
  return stats;
}

/**
 * The Bayes prediction of each prompt (the task is known): w^T x_q = m^T x_q / (1 + s) for
 * the paper's family, w^T x_q for regression (the family's `bayesTarget`).
 *
 * @example The Bayes prediction w^T x_q of each prompt
 * ```ts
 * import assert from "node:assert/strict";
 * import { bayesTarget, samplePromptStatistics } from "./prompt_statistics.ts";
 * const stats = samplePromptStatistics({ prompts: 4, context: 32, seed: 3 });
 * assert.equal(bayesTarget(stats).length, 4);
 * ```
 */
export function bayesTarget(tasks: TaskBatch & { query: Float64Array }): Float64Array {
  requireTasks("stats", tasks);
  return familyOf(tasks.task).bayesTarget(tasks);
}

/** Diagonalises every Sigma_hat of a batch (O(N d^3), done once). */
export function spectralStatistics(stats: PromptStatistics): SpectralStatistics {
  const n = stats.prompts;
  const d = stats.task.dim;
  const lambda = new Float64Array(n * d);
  const weight = new Float64Array(n * d);
  const workspace = new EigenWorkspace(d);
  const { values, vectors } = workspace;
  for (let p = 0; p < n; p++) {
    symmetricEigenInto(stats.sigmaHat, p * d * d, workspace);
    for (let j = 0; j < d; j++) {
      let xq = 0, mu = 0;
      for (let r = 0; r < d; r++) {
        xq += vectors[r * d + j] * stats.query[p * d + r];
        mu += vectors[r * d + j] * stats.muHat[p * d + r];
      }
      lambda[p * d + j] = values[j];
      weight[p * d + j] = xq * mu;
    }
  }
  return { prompts: n, dim: d, lambda, weight };
}
