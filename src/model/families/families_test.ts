import assert from "node:assert/strict";
import { resolveSample } from "../task.ts";
import { statisticsFromBatch } from "../prompt_statistics.ts";
import { DEFAULT_FAMILY, FAMILIES, familyOf, requireFamily, TASK_FAMILIES } from "./families.ts";

Deno.test("FAMILIES: each definition under its own name; paper is the default", () => {
  assert.deepEqual(TASK_FAMILIES, ["paper", "regression"]);
  for (const name of TASK_FAMILIES) assert.equal(FAMILIES[name].name, name);
  assert.equal(DEFAULT_FAMILY, "paper");
  assert.equal(familyOf({}), FAMILIES.paper);
  assert.equal(familyOf({ family: "regression" }), FAMILIES.regression);
  assert.equal(requireFamily(undefined), "paper");
  assert.equal(requireFamily("regression"), "regression");
  assert.throws(
    () => requireFamily("lasso"),
    /^RangeError: family must be one of paper, regression, got "lasso"$/,
  );
});

Deno.test("every family: its tokens reduce to its token statistics, with its own tasks", () => {
  for (const name of TASK_FAMILIES) {
    const family = FAMILIES[name];
    const options = { family: name, d1: 2, d2: 1, prompts: 3, context: 7, seed: 2 };
    const sample = resolveSample({ ...options, sampler: "tokens" }, false);
    assert.equal(familyOf(sample.task), family, name);
    const batch = family.samplePromptBatch(sample);
    const tasks = family.sampleTasks(sample);
    assert.deepEqual(batch.spike, tasks.spike, name);
    const fromTokens = statisticsFromBatch(batch);
    const streamed = family.sampleStatistics(sample);
    for (const key of ["sigmaHat", "muHat", "meanY2", "query", "queryLabel"] as const) {
      streamed[key].forEach((v, i) => {
        const w = fromTokens[key][i];
        assert.ok(Math.abs(v - w) <= 1e-13 * (1 + Math.abs(w)), `${name} ${key}[${i}]`);
      });
    }
    assert.equal(family.bayesTarget(streamed).length, 3, name);
    if (family.acceptsCovariance) {
      assert.deepEqual(family.taskOptions("1,2"), { family: name, covariance: "1,2" });
    } else {
      assert.throws(() => family.resolve(sample.task, [1, 2]), /covariance/, name);
    }
  }
});

Deno.test("the facts other layers ask of a family", () => {
  assert.equal(FAMILIES.paper.webGpuSampling, true);
  assert.equal(FAMILIES.regression.webGpuSampling, false);
  assert.equal(FAMILIES.paper.finiteContextPopulation, false);
  assert.equal(FAMILIES.regression.finiteContextPopulation, true);
  const task = resolveSample({ family: "regression", prompts: 1, context: 3, seed: 0, sigma: 0.5 })
    .task;
  assert.equal(FAMILIES.regression.closedFormBayesRisk(task), 0.25);
  assert.equal(FAMILIES.paper.sampleNestedStatistics !== undefined, true);
  assert.equal(FAMILIES.regression.sampleNestedStatistics, undefined);
});
