import assert from "node:assert/strict";
import type { Backend } from "../src/backends/backend.ts";
import { CpuBackend } from "../src/backends/cpu/cpu_backend.ts";
import { samplePromptStatistics } from "../src/model/prompt_statistics.ts";
import { schedulePredict } from "../src/model/schedule_models.ts";
import { optimalSchedule } from "../src/theory/optimal_schedule.ts";
import {
  exactPredictions,
  float32OrderData,
  meanSquare,
  orderedSteps,
  spectralPredictions,
  stepProducts,
} from "./schedule_float32_record.ts";

const law = { kind: "uniform", low: 0.5, high: 4 } as const;

Deno.test("orderedSteps: descending, ascending and Leja orders of the same steps", () => {
  const roots = [1.5, 2, 3, 4, 5];
  assert.deepEqual(orderedSteps(roots, "descending"), roots.map((r) => 1 / r));
  assert.deepEqual(orderedSteps(roots, "ascending"), [...roots].reverse().map((r) => 1 / r));
  assert.deepEqual(orderedSteps(roots, "leja"), [5, 1.5, 3, 4, 2].map((r) => 1 / r));
  assert.equal(meanSquare([1, 3], [1, 1]), 2);
  // One step 1/2 on [1, 3]: |1 - lambda/2| <= 1/2 everywhere.
  assert.deepEqual(stepProducts([0.5], 0, 2), { partial: 0.5, tail: 0.5 });
});

Deno.test("the order-free references equal the float64 recursion where it is accurate", () => {
  const alphas = optimalSchedule(law, 6).alphas;
  const exactStats = samplePromptStatistics({ prompts: 20, context: Infinity, seed: 3, law });
  const finiteStats = samplePromptStatistics({ prompts: 20, context: 64, seed: 3, law });
  for (
    const [stats, reference] of [
      [exactStats, exactPredictions(exactStats, alphas)],
      [finiteStats, spectralPredictions(finiteStats, alphas)],
    ] as const
  ) {
    const recursion = schedulePredict(stats, { alphas });
    reference.prediction.forEach((y, n) => {
      assert.ok(Math.abs(y - recursion[n]) < 1e-12 * (1 + Math.abs(y)), `prompt ${n}`);
      assert.ok(Math.abs(reference.residual[n] - (y - reference.bayes[n])) < 1e-12);
    });
  }
});

Deno.test("float32OrderData at small sizes: the shape, and the float64 CPU is exact (control)", async () => {
  const cpu = new CpuBackend();
  const sizes = { laws: [law], depths: [4, 8], contexts: [Infinity, 64], prompts: 32, seed: 1 };
  const data = await float32OrderData(cpu, cpu, sizes);
  assert.equal(data.rows.length, 4);
  for (const row of data.rows) {
    assert.deepEqual(row.orders.map((o) => o.order), ["descending", "ascending", "leja"]);
    for (const entry of row.orders) assert.ok(entry.relativeError < 1e-8, JSON.stringify(entry));
  }
  assert.equal(data.rows[0].context, "Infinity");
  // Control: a backend that drops the last layer is far off.
  const dropping = {
    ...cpu,
    name: "cpu",
    adapter: "test",
    precision: "float64",
    scheduleStatisticsForward: (stats, params) =>
      cpu.scheduleStatisticsForward(stats, { alphas: Array.from(params.alphas).slice(0, -1) }),
  } as Backend;
  const wrong = await float32OrderData(dropping, cpu, { ...sizes, contexts: [Infinity] });
  assert.ok(wrong.rows.every((row) => row.orders.every((o) => o.relativeError > 1)));
});
