import assert from "node:assert/strict";
import { bayesTarget, samplePromptStatistics } from "../model/prompt_statistics.ts";
import { resolveTrain } from "./train_options.ts";
import { trainUntied } from "./untied_training.ts";
import { fitUntied } from "./fit_untied.ts";

const STATS = samplePromptStatistics({ d1: 2, d2: 1, prompts: 300, context: 30, seed: 3 });
const TARGETS = bayesTarget(STATS);

Deno.test("fitUntied: lca-full and lca-full-layerwise are trainUntied's fits", () => {
  for (const model of ["lca-full", "lca-full-layerwise"] as const) {
    const r = resolveTrain({ model, d1: 2, d2: 1, depth: 2, steps: 30, initScale: 0.2, seed: 7 });
    const fit = fitUntied(model, r, STATS, TARGETS);
    const direct = trainUntied(STATS, TARGETS, {
      depth: 2,
      layerwise: model === "lca-full-layerwise",
      scale: 0.2,
      seed: 7,
      steps: 30,
    });
    assert.ok(fit.parameters.model === model);
    assert.deepEqual(fit.parameters.untied, {
      dim: 3,
      depth: 2,
      layerwise: model === "lca-full-layerwise",
      a: Array.from(direct.parameters.a),
      b: Array.from(direct.parameters.b),
    });
    assert.equal(fit.run.loss, direct.run.loss);
    assert.equal(fit.parameters.untied.a.length, (model === "lca-full" ? 1 : 2) * 9);
  }
});
