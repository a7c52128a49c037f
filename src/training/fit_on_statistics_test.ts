import assert from "node:assert/strict";
import { bayesTarget, samplePromptStatistics } from "../model/prompt_statistics.ts";
import { MODELS, resolveTrain, trainingSample } from "./train_options.ts";
import type { Fit } from "./trained_parameters.ts";
import { fitLca } from "./fit_lca.ts";
import { fitDeepLsa } from "./fit_deep_lsa.ts";
import { fitLsa } from "./fit_lsa.ts";
import { fitUntied } from "./fit_untied.ts";
import { fitSchedule } from "./fit_schedule.ts";
import { fitSoftmax } from "./fit_softmax.ts";
import { isSoftmaxModel } from "../model/softmax_models.ts";
import { fitOnStatistics, FITTERS } from "./fit_on_statistics.ts";

const STATS = samplePromptStatistics({ d1: 2, d2: 1, prompts: 300, context: 30, seed: 3 });
const TARGETS = bayesTarget(STATS);

Deno.test("FITTERS: one fitter per model name", () => {
  assert.deepEqual(Object.keys(FITTERS).sort(), [...MODELS].sort());
  for (const model of MODELS) assert.equal(typeof FITTERS[model], "function", model);
});

Deno.test("fitOnStatistics: each model's fit is its own fitter's (same parameters and loss)", () => {
  for (const model of MODELS) {
    // The softmax models fit on the tokens of the run's own training prompts.
    const tokens = isSoftmaxModel(model) ? { prompts: 40, context: 12 } : {};
    const options = { model, d1: 2, d2: 1, depth: 2, steps: 30, lsaInits: 2, seed: 4, ...tokens };
    const r = resolveTrain(options);
    const stats = isSoftmaxModel(model) ? samplePromptStatistics(trainingSample(r)) : STATS;
    const fit = fitOnStatistics(r, stats, bayesTarget(stats));
    let direct: Fit;
    if (isSoftmaxModel(model)) direct = fitSoftmax(model, r, stats, bayesTarget(stats));
    else if (model === "lca1" || model === "lca2") direct = fitLca(model, r, STATS, TARGETS);
    else if (model === "deep-lsa") direct = fitDeepLsa(r, STATS, TARGETS);
    else if (model === "lsa") direct = fitLsa(r, STATS, TARGETS);
    else if (model === "lca-schedule" || model === "lca2-schedule") {
      direct = fitSchedule(model, r, STATS, TARGETS);
    } else direct = fitUntied(model, r, STATS, TARGETS);
    assert.equal(fit.parameters.model, model);
    assert.deepEqual(fit.parameters, direct.parameters, model);
    assert.equal(fit.run.loss, direct.run.loss, model);
    assert.deepEqual(fit.initLosses, direct.initLosses, model);
  }
});

Deno.test("fitOnStatistics: lca1 with batchSize is SGD, lca2 ignores batchSize", () => {
  const options = { d1: 2, d2: 1, depth: 2, steps: 30, batchSize: 20, learningRate: 0.005 };
  const sgd = fitOnStatistics(resolveTrain({ model: "lca1", ...options }), STATS, TARGETS);
  assert.match(sgd.run.stop.rule, /^SGD runs its 30 steps/);
  const lca2 = fitOnStatistics(resolveTrain({ model: "lca2", ...options }), STATS, TARGETS);
  assert.doesNotMatch(lca2.run.stop.rule, /SGD/);
});

Deno.test("fitOnStatistics: a softmax model refuses statistics of other prompts than the run's", () => {
  const r = resolveTrain({ model: "sca", d1: 2, d2: 1, prompts: 300, context: 30, seed: 4 });
  assert.throws(
    () => fitOnStatistics(r, STATS, TARGETS),
    /^RangeError: stats must summarise the run's training prompts/,
  );
});
