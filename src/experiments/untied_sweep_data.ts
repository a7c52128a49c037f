/**
 * The prompts of the C11 sweep: training statistics (stream 0, context L_tr) with their
 * targets, and the test statistics (stream 1) with exact task moments and, with a finite
 * L_tr, the same test tasks and queries at L_te = L_tr.
 *
 * @module
 */

import {
  type PromptStatistics,
  samplePromptStatistics,
  samplePromptStatisticsNested,
} from "../model/prompt_statistics.ts";
import { trainingTargets } from "../training/training.ts";
import { resolveUntiedSweep, type UntiedSweepOptions } from "./untied_sweep_options.ts";

/** The prompts of a sweep: training statistics and targets, and the test statistics. */
export interface UntiedSweepData {
  /** Training statistics (context L_tr, stream 0). */
  train: PromptStatistics;
  /** Training targets (Bayes prediction or noisy label). */
  target: Float64Array;
  /** Test statistics with exact task moments (stream 1): the population excess. */
  test: PromptStatistics;
  /** With a finite L_tr: the same test tasks and queries at context L_te = L_tr. */
  testFinite?: PromptStatistics;
}

/** Samples the prompts of a sweep (the same as `train()` for the same options). */
export function untiedSweepData(options: UntiedSweepOptions): UntiedSweepData {
  const o = resolveUntiedSweep(options);
  // Law and sigma are validated where the prompts are sampled (resolveTask).
  const task = {
    d1: o.d1,
    d2: o.d2,
    ...(o.law === undefined ? {} : { law: o.law }),
    ...(o.sigma === undefined ? {} : { sigma: o.sigma }),
  };
  const train = samplePromptStatistics({
    ...task,
    prompts: o.prompts,
    context: o.context,
    seed: o.seed,
    stream: 0,
    sampler: o.sampler,
  });
  const target = trainingTargets(train, o.target);
  if (o.context === Infinity) {
    const test = samplePromptStatistics({
      ...task,
      prompts: o.testPrompts,
      context: Infinity,
      seed: o.seed,
      stream: 1,
    });
    return { train, target, test };
  }
  const [testFinite, test] = samplePromptStatisticsNested(
    { ...task, prompts: o.testPrompts, seed: o.seed, stream: 1, sampler: o.sampler },
    [o.context, Infinity],
  );
  return { train, target, test, testFinite };
}
