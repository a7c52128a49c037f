/**
 * Fitting the untied LCA (lca-full: one W_S = A and W_V = B for every layer;
 * lca-full-layerwise: one pair per layer) on sufficient statistics, by `trainUntied`
 * (`untied_training.ts`).
 *
 * @module
 */

import type { PromptStatistics } from "../model/prompt_statistics.ts";
import type { ResolvedTrain } from "./train_options.ts";
import type { Fit } from "./trained_parameters.ts";
import { trainUntied } from "./untied_training.ts";

/**
 * Fits lca-full or lca-full-layerwise (`model`) by `trainUntied` from random matrices of
 * scale `initScale`, seeded by the training seed.
 *
 * @example The untied LCA with two layers
 * ```ts
 * import assert from "node:assert/strict";
 * import { fitUntied } from "./fit_untied.ts";
 * import { resolveTrain, trainingSample } from "./train_options.ts";
 * import { samplePromptStatistics } from "../model/prompt_statistics.ts";
 * const r = resolveTrain({ model: "lca-full", d1: 2, d2: 1, prompts: 100, depth: 2, steps: 20 });
 * const stats = samplePromptStatistics(trainingSample(r));
 * const fit = fitUntied("lca-full", r, stats, Float64Array.from(stats.queryLabel));
 * assert.ok(fit.parameters.model === "lca-full" && fit.parameters.untied.a.length === 9);
 * ```
 */
export function fitUntied(
  model: "lca-full" | "lca-full-layerwise",
  r: ResolvedTrain,
  stats: PromptStatistics,
  targets: Float64Array,
): Fit {
  const { depth } = r;
  const fit = trainUntied(stats, targets, {
    depth,
    layerwise: model === "lca-full-layerwise",
    scale: r.options.initScale,
    seed: r.seed,
    steps: r.steps,
  });
  const u = fit.parameters;
  return {
    run: fit.run,
    parameters: {
      model,
      untied: {
        dim: u.dim,
        depth: u.depth,
        layerwise: u.layerwise,
        a: Array.from(u.a),
        b: Array.from(u.b),
      },
    },
  };
}
