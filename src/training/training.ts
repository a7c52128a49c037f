/**
 * Training the models on the empirical loss l_{N,L_tr}, and evaluating them on fresh test
 * prompts: the options are resolved (`train_options.ts`), the training and test prompts
 * sampled, the model fitted on the training statistics by its fitter (`fit_on_statistics.ts`:
 * gradient descent for the LCA and deep-LSA scalars, Levenberg-Marquardt for full LSA and the
 * untied LCA unless a fixed `learningRate` asks for plain gradient descent), and the fit
 * summarised with its test risks (`summarize_training.ts`).
 *
 * @module
 */

import {
  bayesTarget,
  type PromptStatistics,
  samplePromptStatistics,
} from "../model/prompt_statistics.ts";
import type { Target } from "../model/task.ts";
import { resolveTrain, testSample, trainingSample, type TrainOptions } from "./train_options.ts";
import { fitOnStatistics } from "./fit_on_statistics.ts";
import { predictFittedOnSample } from "./trained_parameters.ts";
import { summarizeTraining, type TrainResult } from "./summarize_training.ts";

/** Per-prompt training targets. */
export function trainingTargets(stats: PromptStatistics, target: Target): Float64Array {
  return target === "bayes" ? bayesTarget(stats) : Float64Array.from(stats.queryLabel);
}

/**
 * Trains a model on N sampled prompts and evaluates it on fresh test prompts
 * (float64 CPU reference; see `trainOnBackend` for WebGPU).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { train } from "./training.ts";
 * const result = train({ model: "lca1", prompts: 200, context: 50, steps: 200 });
 * const p = result.parameters;
 * assert.ok(p.model === "lca1" && p.lca.beta === -p.lca.alpha && p.lca.depth === 10);
 * ```
 */
export function train(options: TrainOptions): TrainResult {
  const r = resolveTrain(options);
  const stats = samplePromptStatistics(trainingSample(r));
  const targets = trainingTargets(stats, r.target);
  const sample = testSample(r);
  const test = samplePromptStatistics(sample);
  const fit = fitOnStatistics(r, stats, targets);
  return summarizeTraining(r, fit, test, predictFittedOnSample(fit.parameters, test, sample));
}
