/**
 * What a training run fits: the trained parameters of each model, the fit (the descent run
 * with its parameters), and the closed-form predictions of the fitted model on test prompts.
 *
 * @module
 */

import type { DeepLsaParameters, LcaParameters } from "../model/models.ts";
import type { PromptStatistics } from "../model/prompt_statistics.ts";
import { deepLsaPredict, lcaPredict, lsaPredict } from "../model/predictors.ts";
import { untiedPredict } from "../model/untied.ts";
import { schedulePredict } from "../model/schedule_models.ts";
import { softmaxTokenPredict } from "../model/softmax_models.ts";
import { samplePromptBatch } from "../model/task.ts";
import type { SampleOptions } from "../model/model_types.ts";
import type { GradientDescentResult } from "./optimizer.ts";

/** The per-layer weights of a schedule model: alpha_t, and beta_t for lca2-schedule. */
export interface ScheduleArrays {
  /** W_S = alpha_t Id in layer t = 1..T. */
  alphas: number[];
  /** W_V = beta_t Id (lca2-schedule; lca-schedule has beta_t = -alpha_t). */
  betas?: number[];
}

/**
 * The per-layer weights of a softmax model (`model/softmax_models.ts`): alpha_t, beta_t, tau_t
 * (equal in every layer for sca and sca-centred) and whether the attention is centred.
 */
export interface SoftmaxArrays {
  /** W_S = alpha_t Id in layer t = 1..T. */
  alphas: number[];
  /** W_V = (beta_t / tau_t) Id. */
  betas: number[];
  /** The softmax temperature tau_t > 0. */
  taus: number[];
  /** A_t - x_bar in place of A_t (sca-centred). */
  centred: boolean;
}

/** Trained parameters, by model. */
export type TrainedParameters =
  | { model: "lca1" | "lca2"; lca: LcaParameters }
  | { model: "deep-lsa"; deepLsa: DeepLsaParameters }
  | { model: "lsa"; gamma: number[]; full: { p: number[]; k: number[] } }
  | {
    model: "lca-full" | "lca-full-layerwise";
    /** W_S = A and W_V = B (d x d row-major, per layer for lca-full-layerwise); `model/untied.ts`. */
    untied: { dim: number; depth: number; layerwise: boolean; a: number[]; b: number[] };
  }
  | { model: "lca-schedule" | "lca2-schedule"; schedule: ScheduleArrays }
  | { model: "sca" | "sca-centred" | "sca-layerwise"; softmax: SoftmaxArrays };

/** A fitted model: the descent run, the parameters and, for LSA, the per-init losses. */
export interface Fit {
  /** The descent run (lsa: the best initialisation). */
  run: GradientDescentResult;
  /** The fitted parameters. */
  parameters: TrainedParameters;
  /** Final training losses of each full-LSA initialisation (lsa only). */
  initLosses?: number[];
}

/**
 * Closed-form predictions of a fitted model on test statistics. The softmax models have no
 * closed form on statistics (they attend over the tokens): a RangeError points to
 * {@linkcode predictFittedOnSample}.
 */
export function predictFitted(parameters: TrainedParameters, test: PromptStatistics): Float64Array {
  switch (parameters.model) {
    case "lca1":
    case "lca2":
      return lcaPredict(test, parameters.lca);
    case "deep-lsa":
      return deepLsaPredict(test, parameters.deepLsa);
    case "lca-full":
    case "lca-full-layerwise":
      return untiedPredict(test, {
        ...parameters.untied,
        a: Float64Array.from(parameters.untied.a),
        b: Float64Array.from(parameters.untied.b),
      });
    case "lca-schedule":
    case "lca2-schedule":
      return schedulePredict(test, parameters.schedule);
    case "lsa":
      return lsaPredict(test, {
        p: Float64Array.from(parameters.full.p),
        k: Float64Array.from(parameters.full.k),
      });
    case "sca":
    case "sca-centred":
    case "sca-layerwise":
      throw new RangeError(
        `parameters of model ${parameters.model} predict from the prompts' tokens, not from ` +
          `statistics: use predictFittedOnSample with the test prompts' sampling options`,
      );
  }
}

/**
 * Predictions of a fitted model on the test prompts `test` summarises, which `sample` draws:
 * the softmax models at token level on the prompts sampled again from `sample` (float64,
 * `softmaxTokenPredict`), the others by {@linkcode predictFitted}.
 *
 * @example sca on four test prompts
 * ```ts
 * import assert from "node:assert/strict";
 * import { predictFittedOnSample } from "./trained_parameters.ts";
 * import { samplePromptStatistics } from "../model/prompt_statistics.ts";
 * const sample = { prompts: 4, context: 16, seed: 1, stream: 1, sampler: "tokens" as const };
 * const softmax = { alphas: [0.3], betas: [-0.3], taus: [0.5], centred: false };
 * const y = predictFittedOnSample({ model: "sca", softmax }, samplePromptStatistics(sample), sample);
 * assert.equal(y.length, 4);
 * ```
 */
export function predictFittedOnSample(
  parameters: TrainedParameters,
  test: PromptStatistics,
  sample: SampleOptions,
): Float64Array {
  const model = parameters.model;
  if (model === "sca" || model === "sca-centred" || model === "sca-layerwise") {
    return softmaxTokenPredict(samplePromptBatch(sample), parameters.softmax);
  }
  return predictFitted(parameters, test);
}
