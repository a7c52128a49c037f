import assert from "node:assert/strict";
import { samplePromptStatistics } from "../model/prompt_statistics.ts";
import { deepLsaPredict, lcaPredict, lsaPredict } from "../model/predictors.ts";
import { untiedPredict } from "../model/untied.ts";
import { schedulePredict } from "../model/schedule_models.ts";
import { predictFitted, predictFittedOnSample } from "./trained_parameters.ts";
import { softmaxTokenPredict } from "../model/softmax_models.ts";
import { samplePromptBatch } from "../model/task.ts";

Deno.test("predictFitted: each model's own predictor", () => {
  const test = samplePromptStatistics({ d1: 2, d2: 1, prompts: 20, context: 30, seed: 4 });
  const lca = { alpha: 0.3, beta: -0.2, depth: 3 };
  assert.deepEqual(predictFitted({ model: "lca2", lca }, test), lcaPredict(test, lca));
  assert.deepEqual(predictFitted({ model: "lca1", lca }, test), lcaPredict(test, lca));
  assert.deepEqual(
    predictFitted({ model: "deep-lsa", deepLsa: lca }, test),
    deepLsaPredict(test, lca),
  );
  const p = [0.1, -0.2, 0.3, 0.4], k = Array.from({ length: 12 }, (_, i) => (i - 5) / 10);
  const gamma = Array.from({ length: 9 }, (_, i) => i / 10);
  assert.deepEqual(
    predictFitted({ model: "lsa", gamma, full: { p, k } }, test),
    lsaPredict(test, { p: Float64Array.from(p), k: Float64Array.from(k) }),
  );
  for (const [model, layerwise] of [["lca-full", false], ["lca-full-layerwise", true]] as const) {
    const a = Array.from({ length: (layerwise ? 2 : 1) * 9 }, (_, i) => (i % 5) / 20);
    const b = Array.from({ length: (layerwise ? 2 : 1) * 9 }, (_, i) => -(i % 3) / 30);
    const untied = { dim: 3, depth: 2, layerwise, a, b };
    assert.deepEqual(
      predictFitted({ model, untied }, test),
      untiedPredict(test, { ...untied, a: Float64Array.from(a), b: Float64Array.from(b) }),
    );
  }
  const schedule = { alphas: [0.5, 0.3, 0.2], betas: [-0.4, -0.3, -0.1] };
  assert.deepEqual(
    predictFitted({ model: "lca2-schedule", schedule }, test),
    schedulePredict(test, schedule),
  );
  const one = { alphas: [0.5, 0.3, 0.2] };
  assert.deepEqual(
    predictFitted({ model: "lca-schedule", schedule: one }, test),
    schedulePredict(test, one),
  );
  // Control: constant steps are the tied model, but a per-layer schedule is not.
  const tied = predictFitted(
    { model: "lca-schedule", schedule: { alphas: [0.3, 0.3, 0.3] } },
    test,
  );
  const lcaTied = lcaPredict(test, { alpha: 0.3, beta: -0.3, depth: 3 });
  tied.forEach((y, n) => assert.ok(Math.abs(y - lcaTied[n]) < 1e-12));
  assert.notDeepEqual(predictFitted({ model: "lca-schedule", schedule: one }, test), lcaTied);
});

Deno.test("predictFittedOnSample: the softmax models at token level; predictFitted refuses them", () => {
  const sample = { prompts: 5, context: 10, seed: 2, stream: 1, sampler: "tokens" as const };
  const test = samplePromptStatistics(sample);
  const softmax = { alphas: [0.3, 0.2], betas: [-0.3, -0.2], taus: [0.5, 0.8], centred: true };
  const expected = softmaxTokenPredict(samplePromptBatch(sample), softmax);
  assert.deepEqual(
    predictFittedOnSample({ model: "sca-layerwise", softmax }, test, sample),
    expected,
  );
  assert.throws(
    () => predictFitted({ model: "sca", softmax }, test),
    /^RangeError: parameters of model sca predict from the prompts' tokens/,
  );
  // The other models: predictFitted.
  const lca = { alpha: 0.3, beta: -0.2, depth: 3 };
  assert.deepEqual(
    predictFittedOnSample({ model: "lca2", lca }, test, sample),
    lcaPredict(test, lca),
  );
});
