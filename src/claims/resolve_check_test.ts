import assert from "node:assert/strict";
import type { Backend } from "../backends/backend.ts";
import { replayCall } from "./replay_call.ts";
import { resolveCheck } from "./resolve_check.ts";
import { CpuBackend } from "../backends/cpu/cpu_backend.ts";
import { lcaPredict } from "../model/predictors.ts";
import { type PromptStatistics, samplePromptStatistics } from "../model/prompt_statistics.ts";
import type { ScheduleParameters } from "../model/schedule_models.ts";

Deno.test("user claims: comparisonPart with the ResolvedCheck honours the perturbation", async () => {
  const { comparisonPart, meanEquals } = await import("../testing/assertions.ts");
  const values = [0.98, 1.02, 1.01, 0.99];
  const plain = comparisonPart("m", meanEquals(values, 1), resolveCheck({}));
  assert.equal(plain.passed, true);
  const shifted = comparisonPart(
    "m",
    meanEquals(values, 1),
    resolveCheck({ perturb: { part: "m", margins: 3 } }),
  );
  assert.equal(shifted.passed, false);
  assert.ok(shifted.measuredValue! > 1 + shifted.marginValue!);
});

// Tests added from the mutation run of result.ts (docs/mutation.md).

Deno.test("resolveCheck: CPU defaults sample and train; a backend is used for both", async () => {
  const cpu = resolveCheck({});
  assert.deepEqual(cpu.backend, { name: "cpu", adapter: "CPU (float64)", precision: "float64" });
  const stats = await cpu.sample({ prompts: 3, context: 5, seed: 1 });
  assert.equal(stats.prompts, 3);
  const trained = await cpu.train({
    model: "lca1",
    prompts: 20,
    context: 10,
    steps: 2,
    testPrompts: 5,
  });
  assert.equal(trained.parameters.model, "lca1");
  const calls: string[] = [];
  const fake = {
    name: "fake",
    adapter: "test adapter",
    precision: "float32",
    statistics: (o: { prompts: number }) => {
      calls.push(`statistics ${o.prompts}`);
      return Promise.reject(new Error("fake backend"));
    },
  } as unknown as Backend;
  const viaBackend = resolveCheck({ backend: fake });
  assert.deepEqual(viaBackend.backend, {
    name: "fake",
    adapter: "test adapter",
    precision: "float32",
  });
  await assert.rejects(
    () => viaBackend.sample({ prompts: 2, context: 3, seed: 0 }),
    /fake backend/,
  );
  assert.deepEqual(calls, ["statistics 2"]);
  const training = viaBackend.train({ model: "lca1", prompts: 4, context: 3, steps: 1 });
  assert.ok(training instanceof Promise);
  await training.catch(() => {});
  assert.ok(calls.length > 1, "training on the backend asks it for statistics");
});

Deno.test("resolveCheck: the defaults are quick size, seed 0, no paths and a silent progress", () => {
  const check = resolveCheck({});
  assert.equal(check.size, "quick");
  assert.equal(check.seed, 0);
  assert.deepEqual(check.paths, {});
  assert.equal(check.progress("a message"), undefined);
  assert.equal(check.backend.name, "cpu");
  // Given values are kept (control: the defaults do not override them).
  const given = resolveCheck({ size: "full", seed: 7 });
  assert.equal(given.size, "full");
  assert.equal(given.seed, 7);
});

Deno.test("resolveCheck: a bad size or seed is refused with the option's name", () => {
  assert.throws(
    () => resolveCheck({ size: "huge" as "quick" }),
    (e: unknown) => e instanceof RangeError && /^size must be one of/.test(e.message),
  );
  for (const seed of [-1, 1.5]) {
    assert.throws(
      () => resolveCheck({ seed }),
      (e: unknown) => e instanceof RangeError && /^seed must be/.test(e.message),
      `seed ${seed}`,
    );
  }
});

Deno.test("resolveCheck: replays default to replayCall; given options pass through", () => {
  const check = resolveCheck({});
  assert.equal(check.formatReplay, replayCall);
  assert.equal(check.claimsModule, undefined);
  assert.equal(check.perturb, undefined);
  const messages: string[] = [];
  const formatReplay = () => "replay";
  const perturb = { part: "p", margins: 1 };
  const given = resolveCheck({
    paths: { p: "1:2" },
    onProgress: (m) => messages.push(m),
    claimsModule: "./m.ts",
    formatReplay,
    perturb,
  });
  given.progress("hello");
  assert.deepEqual(messages, ["hello"]);
  assert.deepEqual(given.paths, { p: "1:2" });
  assert.equal(given.claimsModule, "./m.ts");
  assert.equal(given.formatReplay, formatReplay);
  assert.equal(given.perturb, perturb);
});

Deno.test("resolveCheck: models are evaluated by the host's float64 functions on the CPU", async () => {
  const stats = samplePromptStatistics({ prompts: 5, context: 32, seed: 2 });
  const params = { alpha: 0.3, beta: -0.3, depth: 6 };
  for (const check of [resolveCheck(), resolveCheck({ backend: new CpuBackend() })]) {
    assert.equal(check.evaluate.where, "host (float64)");
    const { predictions, bound } = await check.evaluate.lca(stats, params);
    assert.deepEqual(predictions, lcaPredict(stats, params), "bit-identical to lcaPredict");
    assert.equal(bound, null);
  }
  // Control: a float32 backend routes the evaluation to its kernels, with a rounding bound.
  const cpu = new CpuBackend();
  const float32 = {
    name: "cpu",
    adapter: "test",
    precision: "float32",
    scheduleStatisticsForward: (s: PromptStatistics, p: ScheduleParameters) =>
      cpu.scheduleStatisticsForward(s, p),
  } as unknown as Backend;
  const check = resolveCheck({ backend: float32 });
  assert.equal(check.evaluate.where, "cpu kernels (float32)");
  const { predictions, bound } = await check.evaluate.lca(stats, params);
  assert.ok(bound !== null && bound.every((b) => b > 0));
  predictions.forEach((y, n) => assert.ok(Math.abs(y - lcaPredict(stats, params)[n]) <= bound[n]));
});
