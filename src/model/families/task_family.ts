/**
 * What a task family defines: how its tasks, tokens and statistics are drawn, its
 * Bayes predictor, and the facts the rest of the toolkit asks of it (whether it takes
 * a covariance, whether the WebGPU kernels sample it, how its population quantities
 * are computed). The families are listed in `FAMILIES` (`families.ts`); every
 * family-dependent step dispatches through that table.
 *
 * @module
 */

import type {
  PromptBatch,
  PromptStatistics,
  ResolvedSample,
  TaskBatch,
  TaskConfig,
  TaskFamily,
  TaskOptions,
} from "../model_types.ts";

/** The definition of a task family (see the module documentation). */
export interface TaskFamilyDefinition {
  /** The family's name (`TaskOptions.family`). */
  readonly name: TaskFamily;
  /** Whether the family takes a `covariance` option (`--covariance`). */
  readonly acceptsCovariance: boolean;
  /** Whether the WebGPU kernels sample this family's prompts (else the backend refuses it). */
  readonly webGpuSampling: boolean;
  /**
   * Whether the family's population quantities are closed forms at a finite context
   * length L (`population --context`), rather than L -> infinity limits over the spike law.
   */
  readonly finiteContextPopulation: boolean;
  /**
   * Completes a validated task (dimensions, law, sigma) with the family's fields; throws
   * a RangeError or TypeError naming `covariance` when the option is invalid or refused.
   */
  resolve(config: TaskConfig, covariance: unknown): TaskConfig;
  /** The task options that select this family (none for the default family). */
  taskOptions(covariance?: string): Pick<TaskOptions, "family" | "covariance">;
  /** Draws the task of each prompt (`spike` and `strength` of the batch). */
  sampleTasks(sample: ResolvedSample): TaskBatch;
  /** Draws every context token and the query of each prompt. */
  samplePromptBatch(sample: ResolvedSample): PromptBatch;
  /** Draws each prompt's sufficient statistics (the sampler of `sample`). */
  sampleStatistics(sample: ResolvedSample): PromptStatistics;
  /**
   * The statistics of the same prompts at strictly increasing context lengths (finite
   * ones, then possibly `Infinity`), in one pass; absent when the family cannot nest.
   */
  readonly sampleNestedStatistics?: (
    sample: ResolvedSample,
    contexts: readonly number[],
  ) => PromptStatistics[];
  /** The Bayes prediction of each prompt's query (the task is known in simulation). */
  bayesTarget(tasks: TaskBatch & { query: Float64Array }): Float64Array;
  /**
   * The population Bayes risk when the family has it in closed form, else `undefined`
   * (the paper's family: a quadrature over the spike law, `bayesRisk` of
   * `theory/population.ts`, which builds on the model rather than the reverse).
   */
  closedFormBayesRisk(task: TaskConfig): number | undefined;
}
