import assert from "node:assert/strict";
import { samplePromptStatistics } from "../model/prompt_statistics.ts";
import { bayesPredict, lcaPredict, lsaReducedPredict } from "../model/predictors.ts";
import { bayesRisk } from "../theory/population.ts";
import { resolveTrain } from "./train_options.ts";
import type { Fit } from "./trained_parameters.ts";
import { schedulePopulationOf, summarizeTraining } from "./summarize_training.ts";
import { optimalSchedule } from "../theory/optimal_schedule.ts";
import { optimalDepthStep } from "../theory/optimal_depth_step.ts";
import { lcaExcess } from "../theory/lca_excess.ts";

Deno.test("summarizeTraining: depth 1 for LSA, risks on the test prompts, the population Bayes risk", () => {
  const test = samplePromptStatistics({
    d1: 2,
    d2: 1,
    prompts: 40,
    context: 30,
    seed: 5,
    stream: 1,
  });
  const r = resolveTrain({ model: "lca2", depth: 3, sigma: 0.2 });
  const lca = { alpha: 0.3, beta: -0.3, depth: 3 };
  const fit: Fit = {
    run: {
      parameters: new Float64Array([0.3, -0.3]),
      loss: 0.5,
      gradientNorm: 0,
      steps: 4,
      converged: true,
      stop: { reason: "converged", rule: "test" },
      trajectory: [],
      elapsedMs: 10,
    },
    parameters: { model: "lca2", lca },
  };
  const predictions = lcaPredict(test, lca);
  const summary = summarizeTraining(r, fit, test, predictions);
  assert.equal(summary.depth, 3);
  assert.equal(summary.msPerStep, 2.5);
  assert.equal(summary.trainLoss, 0.5);
  assert.equal(summary.reducedTestRisk, undefined);
  assert.equal(summary.bayesRisk.population, bayesRisk(r.task.law, 0.2));
  let risk = 0, bayes = 0;
  const bp = bayesPredict(test);
  for (let n = 0; n < 40; n++) {
    risk += (predictions[n] - test.queryLabel[n]) ** 2 / 40;
    bayes += (bp[n] - test.queryLabel[n]) ** 2 / 40;
  }
  assert.ok(Math.abs(summary.testRisk.mean - risk) <= 1e-14);
  assert.ok(Math.abs(summary.bayesRisk.test.mean - bayes) <= 1e-14);
  assert.ok(Math.abs(summary.testExcess.mean - (risk - bayes)) <= 1e-14);
  let conditional = 0;
  for (let n = 0; n < 40; n++) conditional += (predictions[n] - bp[n]) ** 2 / 40;
  assert.ok(Math.abs(summary.conditionalTestExcess.mean - conditional) <= 1e-15);
  assert.equal(summary.populationExcess, undefined, "lca2 has no schedule");
  const none = summarizeTraining(r, { ...fit, run: { ...fit.run, steps: 0 } }, test, predictions);
  assert.equal(none.msPerStep, 0);
  // LSA: one layer whatever depth says, and the reduced fit's test risk.
  const gamma = Array.from({ length: 9 }, (_, i) => (i % 4 === 0 ? 0.3 : 0));
  const lsaSummary = summarizeTraining(
    resolveTrain({ model: "lsa", depth: 5 }),
    {
      ...fit,
      parameters: { model: "lsa", gamma, full: { p: [0, 0, 0, 1], k: Array(12).fill(0) } },
    },
    test,
    predictions,
  );
  assert.equal(lsaSummary.depth, 1);
  let reduced = 0;
  const rp = lsaReducedPredict(test, gamma);
  for (let n = 0; n < 40; n++) reduced += (rp[n] - test.queryLabel[n]) ** 2 / 40;
  assert.ok(Math.abs(lsaSummary.reducedTestRisk!.mean - reduced) <= 1e-14);
  // The regression family's Bayes risk is the label noise sigma^2.
  const regression = resolveTrain({ model: "lca2", family: "regression", sigma: 0.3 });
  assert.equal(summarizeTraining(regression, fit, test, predictions).bayesRisk.population, 0.09);
});

Deno.test("schedulePopulationOf: the trained steps' E_T beside the optimum and the tied alpha_T", () => {
  const r = resolveTrain({ model: "lca-schedule", depth: 3 });
  const law = r.task.law;
  const optimum = optimalSchedule(law, 3);
  const at = schedulePopulationOf(r, {
    model: "lca-schedule",
    schedule: { alphas: optimum.alphas },
  });
  assert.ok(at !== undefined);
  assert.ok(Math.abs(at.trained / optimum.excess - 1) < 1e-9);
  assert.equal(at.optimalSchedule, optimum.excess);
  const alphaT = optimalDepthStep(law, 3);
  assert.equal(at.tiedAlphaT, lcaExcess(law, { alpha: alphaT, beta: -alphaT, depth: 3 }));
  const two = schedulePopulationOf(resolveTrain({ model: "lca2-schedule", depth: 3 }), {
    model: "lca2-schedule",
    schedule: { alphas: [0.3, 0.3, 0.3], betas: [-0.2, -0.2, -0.2] },
  });
  assert.ok(two !== undefined);
  assert.ok(
    Math.abs(two.trained / lcaExcess(law, { alpha: 0.3, beta: -0.2, depth: 3 }) - 1) < 1e-10,
  );
  // Controls: another model, or another family, has none.
  assert.equal(
    schedulePopulationOf(r, { model: "lca1", lca: { alpha: 0.3, beta: -0.3, depth: 3 } }),
    undefined,
  );
  const regression = resolveTrain({ model: "lca-schedule", depth: 3, family: "regression" });
  assert.equal(
    schedulePopulationOf(regression, {
      model: "lca-schedule",
      schedule: { alphas: [0.3, 0.3, 0.3] },
    }),
    undefined,
  );
});
