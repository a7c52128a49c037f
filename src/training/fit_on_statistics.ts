/**
 * Fitting any trainable model on sufficient statistics on the CPU (float64): a table with one
 * fitter per model name, so that a new model is one entry here (and its fitter in its own
 * module).
 *
 * @module
 */

import type { PromptStatistics } from "../model/prompt_statistics.ts";
import type { ModelName, ResolvedTrain } from "./train_options.ts";
import type { Fit } from "./trained_parameters.ts";
import { fitLca } from "./fit_lca.ts";
import { fitDeepLsa } from "./fit_deep_lsa.ts";
import { fitLsa } from "./fit_lsa.ts";
import { fitUntied } from "./fit_untied.ts";
import { fitSchedule } from "./fit_schedule.ts";
import { fitSoftmax } from "./fit_softmax.ts";

/**
 * Fits one model on the training statistics and targets of a resolved run (the softmax
 * models fit on the tokens of the same training prompts, sampled again from the run's stream).
 */
export type Fitter = (r: ResolvedTrain, stats: PromptStatistics, targets: Float64Array) => Fit;

/**
 * The fitter of each model: gradient descent (or SGD) for lca1 and lca2, gradient descent for
 * deep-lsa, the schedule models and the softmax models (on the tokens), the least-squares fits
 * for lsa and Levenberg-Marquardt for the untied LCA.
 *
 * @example One fitter per model name
 * ```ts
 * import assert from "node:assert/strict";
 * import { FITTERS } from "./fit_on_statistics.ts";
 * import { MODELS } from "./train_options.ts";
 * assert.deepEqual(Object.keys(FITTERS).sort(), [...MODELS].sort());
 * ```
 */
export const FITTERS: Readonly<Record<ModelName, Fitter>> = {
  lca1: (r, stats, targets) => fitLca("lca1", r, stats, targets),
  lca2: (r, stats, targets) => fitLca("lca2", r, stats, targets),
  lsa: fitLsa,
  "deep-lsa": fitDeepLsa,
  "lca-full": (r, stats, targets) => fitUntied("lca-full", r, stats, targets),
  "lca-full-layerwise": (r, stats, targets) => fitUntied("lca-full-layerwise", r, stats, targets),
  "lca-schedule": (r, stats, targets) => fitSchedule("lca-schedule", r, stats, targets),
  "lca2-schedule": (r, stats, targets) => fitSchedule("lca2-schedule", r, stats, targets),
  sca: (r, stats, targets) => fitSoftmax("sca", r, stats, targets),
  "sca-centred": (r, stats, targets) => fitSoftmax("sca-centred", r, stats, targets),
  "sca-layerwise": (r, stats, targets) => fitSoftmax("sca-layerwise", r, stats, targets),
};

/**
 * Fits the model of a resolved run on sufficient statistics on the CPU (float64), by its
 * entry of {@linkcode FITTERS}.
 *
 * @example lca1 on 200 prompts
 * ```ts
 * import assert from "node:assert/strict";
 * import { fitOnStatistics } from "./fit_on_statistics.ts";
 * import { resolveTrain, trainingSample } from "./train_options.ts";
 * import { samplePromptStatistics } from "../model/prompt_statistics.ts";
 * const r = resolveTrain({ model: "lca1", prompts: 200, steps: 200 });
 * const stats = samplePromptStatistics(trainingSample(r));
 * const fit = fitOnStatistics(r, stats, Float64Array.from(stats.queryLabel));
 * assert.ok(fit.parameters.model === "lca1" && fit.parameters.lca.beta === -fit.parameters.lca.alpha);
 * ```
 */
export function fitOnStatistics(
  r: ResolvedTrain,
  stats: PromptStatistics,
  targets: Float64Array,
): Fit {
  return FITTERS[r.model](r, stats, targets);
}
