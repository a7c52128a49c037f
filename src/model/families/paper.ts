/**
 * The `paper` task family (the default): the spiked multi-modal model of the paper,
 * x = h m + xi, y = l h + sigma eps with the spike m drawn from the law of s = |m|^2
 * (`paper_tasks.ts`). Its statistics come from the token sampler
 * (`token_statistics.ts`) or the exact Wishart sampler (`wishart.ts`), at one or
 * several nested context lengths; the WebGPU kernels sample it too.
 *
 * @module
 */

import { RESPONSE_LOADING } from "../reconstructed.ts";
import type { PromptStatistics, ResolvedSample, TaskBatch, TaskConfig } from "../model_types.ts";
import { sampleTokenStatistics } from "../token_statistics.ts";
import { sampleWishartStatistics } from "../wishart.ts";
import { samplePaperPromptBatch, samplePaperTasks } from "./paper_tasks.ts";
import type { TaskFamilyDefinition } from "./task_family.ts";

/** A paper-family task is complete as validated; a covariance is refused (RangeError). */
export function resolvePaperTask(config: TaskConfig, covariance: unknown): TaskConfig {
  if (covariance !== undefined) {
    throw new RangeError(
      `covariance applies to family "regression" only, got family "paper" with covariance ${
        JSON.stringify(covariance)
      }`,
    );
  }
  return config;
}

/**
 * Statistics of the same prompts at strictly increasing context lengths (validated by
 * the caller): the finite ones from one pass of the sample's sampler, then the exact
 * moments for a final `Infinity`.
 */
export function samplePaperNestedStatistics(
  sample: ResolvedSample,
  contexts: readonly number[],
): PromptStatistics[] {
  const finite = contexts.filter((L) => L !== Infinity);
  const out: PromptStatistics[] = [];
  if (finite.length > 0) {
    out.push(
      ...(sample.sampler === "wishart"
        ? sampleWishartStatistics(sample, finite)
        : sampleTokenStatistics(sample, finite)),
    );
  }
  if (finite.length < contexts.length) {
    out.push(sampleTokenStatistics({ ...sample, context: Infinity }, [Infinity])[0]);
  }
  return out;
}

/** Statistics at the sample's own context length, with the sample's sampler. */
export function samplePaperStatistics(sample: ResolvedSample): PromptStatistics {
  if (sample.sampler === "wishart") return sampleWishartStatistics(sample, [sample.context])[0];
  return sampleTokenStatistics(sample, [sample.context])[0];
}

/**
 * The Bayes prediction w^T x_q = l m^T x_q / (1 + s) of each prompt (the task is known;
 * unvalidated: `bayesTarget` of `prompt_statistics.ts` validates the batch).
 */
export function paperBayesTarget(tasks: TaskBatch & { query: Float64Array }): Float64Array {
  const d = tasks.task.dim;
  const out = new Float64Array(tasks.prompts);
  for (let n = 0; n < tasks.prompts; n++) {
    let dot = 0;
    for (let j = 0; j < d; j++) dot += tasks.spike[n * d + j] * tasks.query[n * d + j];
    out[n] = RESPONSE_LOADING * dot / (1 + tasks.strength[n]);
  }
  return out;
}

/**
 * The `paper` family's definition (see the module documentation): no covariance,
 * population quantities as L -> infinity quadratures over the spike law
 * (`theory/population.ts`, which also gives its Bayes risk), sampled by WebGPU too.
 */
export const PAPER_FAMILY: TaskFamilyDefinition = {
  name: "paper",
  acceptsCovariance: false,
  webGpuSampling: true,
  finiteContextPopulation: false,
  resolve: resolvePaperTask,
  taskOptions: () => ({}),
  sampleTasks: samplePaperTasks,
  samplePromptBatch: samplePaperPromptBatch,
  sampleStatistics: samplePaperStatistics,
  sampleNestedStatistics: samplePaperNestedStatistics,
  bayesTarget: paperBayesTarget,
  closedFormBayesRisk: () => undefined,
};
