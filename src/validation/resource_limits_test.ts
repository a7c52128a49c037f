import assert from "node:assert/strict";
import {
  checkNodeBudget,
  checkSamplingBudget,
  checkTrainingBudget,
  formatCount,
  LSA_MAX_DIMENSION,
  resolveLimits,
  RESOURCE_LIMITS,
  samplingWork,
  statisticsBytes,
  tokenBytes,
} from "./resource_limits.ts";

const LIBRARY = { promptsName: "prompts", contextName: "context" };

Deno.test("the defaults: 2 GiB, 2e9 token-units, 2e10 training work, 65536 nodes, frozen", () => {
  assert.deepEqual({ ...RESOURCE_LIMITS }, {
    memoryBytes: 2 ** 31,
    samplingWork: 2e9,
    trainingWork: 2e10,
    nodes: 65536,
  });
  assert.ok(Object.isFrozen(RESOURCE_LIMITS));
  assert.equal(LSA_MAX_DIMENSION, 32);
});

Deno.test("resolveLimits: default, none, partial numbers; bad values named", () => {
  assert.equal(resolveLimits(undefined), RESOURCE_LIMITS);
  assert.equal(resolveLimits("default"), RESOURCE_LIMITS);
  assert.deepEqual(Object.values(resolveLimits("none")), [Infinity, Infinity, Infinity, Infinity]);
  const raised = resolveLimits({ samplingWork: 1e12, nodes: Infinity });
  assert.deepEqual([raised.samplingWork, raised.nodes, raised.memoryBytes], [
    1e12,
    Infinity,
    2 ** 31,
  ]);
  assert.equal(RESOURCE_LIMITS.samplingWork, 2e9, "the defaults are not changed");
  assert.throws(() => resolveLimits("all"), /^TypeError: limits must be "default", "none" or/);
  assert.throws(() => resolveLimits({ steps: 1 }), /limits has an unknown key "steps"/);
  for (const bad of [0, -1, NaN, "1e9"]) {
    assert.throws(
      () => resolveLimits({ memoryBytes: bad }),
      (e: unknown) => e instanceof RangeError && e.message.startsWith("limits.memoryBytes must be"),
    );
  }
});

Deno.test("work and memory formulas: tokens, Wishart draws, statistics, stored tokens", () => {
  assert.equal(samplingWork(10, 99, 4), 10 * 100 * 20);
  assert.equal(samplingWork(10, Infinity, 4), 10 * 20, "exact statistics: the query only");
  assert.equal(samplingWork(10, 1e12, 4, "wishart"), 10 * 6 ** 3, "whatever L");
  assert.equal(statisticsBytes(10, 4), 80 * (32 + 20 + 6));
  assert.equal(tokenBytes(10, 100, 4), 80 * (500 + 16));
  assert.deepEqual([formatCount(999999), formatCount(2e13)], ["999999", "2e13"]);
});

Deno.test("checkSamplingBudget: over memory names the prompts; nearby under passes", () => {
  const perPrompt = statisticsBytes(1, 4);
  const most = Math.floor(2 ** 31 / perPrompt);
  checkSamplingBudget([{ ...LIBRARY, prompts: most, context: Infinity }], 4); // control
  assert.throws(
    () => checkSamplingBudget([{ ...LIBRARY, prompts: most + 1, context: Infinity }], 4),
    (e: unknown) =>
      e instanceof RangeError &&
      e.message.startsWith(`prompts ${formatCount(most + 1)} need about 2.00 GiB`) &&
      e.message.endsWith("over the memory limit of 2 GiB: lower prompts"),
  );
  const stored = { ...LIBRARY, prompts: 1e5, context: 1e4, storage: "tokens" as const };
  assert.throws(
    () => checkSamplingBudget([stored], 4),
    /stored tokens .*: lower prompts or context/,
  );
  checkSamplingBudget([stored], 4, resolveLimits("none")); // lifted
});

Deno.test("checkSamplingBudget: over the work names every size, Wishart phases by prompts only", () => {
  const phase = { ...LIBRARY, prompts: 2000, context: 1e6 };
  assert.throws(
    () => checkSamplingBudget([phase], 4, RESOURCE_LIMITS, { sampling: " (advice)" }),
    (e: unknown) =>
      e instanceof RangeError &&
      e.message ===
        "sampling prompts 2000 x (context 1e6 + 1) tokens at d = 4 is 4e10 token-units " +
          "(tokens x (d^2 + d)), over the limit of 2e9 (about 2 minutes): lower prompts, " +
          "context (advice)",
  );
  // Control: the Wishart sampler costs (d + 2)^3 a prompt whatever L.
  checkSamplingBudget([{ ...phase, sampler: "wishart" }], 4);
  // At d = 16: 4e5 draws of 18^3 = 2.3e9 units, within the memory (1.8 GiB).
  assert.throws(
    () => checkSamplingBudget([{ ...phase, prompts: 4e5, sampler: "wishart" }], 16),
    /^RangeError: sampling prompts 400000 Wishart draws at d = 16 .*\(draws x \(d \+ 2\)\^3\).*lower prompts$/,
  );
});

Deno.test("checkTrainingBudget and checkNodeBudget: the names given, with controls", () => {
  const names = { steps: "--steps", prompts: "--prompts", depth: "--depth" };
  const run = { steps: 2000, prompts: 2000, dim: 4, depth: 1250, factor: 1, names };
  checkTrainingBudget(run); // exactly 2e10: at the limit, not over
  assert.throws(
    () => checkTrainingBudget({ ...run, depth: 1251 }),
    /^RangeError: training work --steps 2000 x --prompts 2000 x d 4 x --depth 1251 = 2e10 is over/,
  );
  assert.throws(() => checkTrainingBudget({ ...run, factor: 4 }), /x 4 \(cost per layer\)/);
  checkNodeBudget(65536);
  assert.throws(
    () => checkNodeBudget(65537, RESOURCE_LIMITS, "n"),
    /^RangeError: n = 65537 is over/,
  );
  checkNodeBudget(1e6, resolveLimits({ nodes: 1e6 }));
});
