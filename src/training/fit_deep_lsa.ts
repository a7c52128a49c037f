/**
 * Fitting the two-parameter deep LSA (alpha, beta) on sufficient statistics by gradient
 * descent on its empirical loss (`deepLsaSpectralLoss`), from `alphaInit` and `betaInit`
 * (default 0).
 *
 * @module
 */

import { deepLsaSpectralLossUnchecked } from "../model/losses.ts";
import { type PromptStatistics, spectralStatistics } from "../model/prompt_statistics.ts";
import { gradientDescent } from "./optimizer.ts";
import { descentOptions, type ResolvedTrain } from "./train_options.ts";
import type { Fit } from "./trained_parameters.ts";

/**
 * Fits deep LSA by gradient descent from (alphaInit, betaInit), default (0, 0).
 *
 * @example Deep LSA with two layers
 * ```ts
 * import assert from "node:assert/strict";
 * import { fitDeepLsa } from "./fit_deep_lsa.ts";
 * import { resolveTrain, trainingSample } from "./train_options.ts";
 * import { samplePromptStatistics } from "../model/prompt_statistics.ts";
 * const r = resolveTrain({ model: "deep-lsa", prompts: 300, depth: 2, steps: 100 });
 * const stats = samplePromptStatistics(trainingSample(r));
 * const fit = fitDeepLsa(r, stats, Float64Array.from(stats.queryLabel));
 * assert.ok(fit.parameters.model === "deep-lsa" && fit.parameters.deepLsa.depth === 2);
 * ```
 */
export function fitDeepLsa(r: ResolvedTrain, stats: PromptStatistics, targets: Float64Array): Fit {
  const { depth } = r;
  const spectral = spectralStatistics(stats);
  const initial = new Float64Array([r.options.alphaInit ?? 0, r.options.betaInit ?? 0]);
  const run = gradientDescent(
    (theta) => {
      const loss = deepLsaSpectralLossUnchecked(spectral, targets, {
        alpha: theta[0],
        beta: theta[1],
        depth,
      });
      return { loss: loss.loss, gradient: new Float64Array([loss.alpha, loss.beta]) };
    },
    initial,
    descentOptions(r),
  );
  return {
    run,
    parameters: {
      model: "deep-lsa",
      deepLsa: { alpha: run.parameters[0], beta: run.parameters[1], depth },
    },
  };
}
