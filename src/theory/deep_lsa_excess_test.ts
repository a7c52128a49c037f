import assert from "node:assert/strict";
import { samplePromptStatistics } from "../model/prompt_statistics.ts";
import { deepLsaPredict } from "../model/predictors.ts";
import { gammaStar, lsaGap } from "./gamma_star.ts";
import { deepLsaCoefficient, deepLsaExcess } from "./deep_lsa_excess.ts";
import { expect, relClose, UNIFORM } from "../../testkit/population_reference.ts";

Deno.test("deepLsaCoefficient: what the deep-LSA predictor gives at exact task statistics", () => {
  const stats = samplePromptStatistics({ d1: 2, d2: 2, prompts: 6, context: Infinity, seed: 8 });
  const d = 4;
  for (
    const params of [
      { alpha: 0.3, beta: -0.25, depth: 1 },
      { alpha: 0.3, beta: -0.25, depth: 3 },
      { alpha: 0.2, beta: 0.1, depth: 4 },
    ]
  ) {
    const deep = deepLsaPredict(stats, params);
    for (let n = 0; n < 6; n++) {
      let along = 0; // x_q^T mu_hat
      for (let j = 0; j < d; j++) along += stats.query[n * d + j] * stats.muHat[n * d + j];
      const s = stats.strength[n];
      const c = deepLsaCoefficient(params, 1 + s) * along;
      assert.ok(Math.abs(deep[n] - c) <= 1e-12 * (1 + Math.abs(c)), `deep ${deep[n]} vs ${c}`);
    }
  }
});

Deno.test("deepLsaExcess: the LSA gap at T = 1, the independent quadrature at T = 3", () => {
  // Depth one: deep LSA is LSA, whose excess at gamma* is the LSA gap.
  relClose(
    deepLsaExcess(UNIFORM, { alpha: gammaStar(UNIFORM), beta: 0.7, depth: 1 }),
    lsaGap(UNIFORM),
    1e-9,
    "deep LSA at T = 1",
  );
  const params = { alpha: 0.25, beta: -0.1, depth: 3 };
  const reference = expect(
    UNIFORM,
    (s) => (deepLsaCoefficient(params, 1 + s) - 1 / (1 + s)) ** 2 * s * (1 + s),
  );
  relClose(deepLsaExcess(UNIFORM, params), reference, 1e-8, "deep LSA excess");
  assert.throws(() => deepLsaExcess(UNIFORM, { ...params, depth: 0 }), /depth/);
});
