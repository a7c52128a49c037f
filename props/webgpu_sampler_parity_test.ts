/**
 * One sampler on every backend: the WebGPU statistics equal the CPU's for both samplers, to
 * float32 rounding, and training on either backend gives the same parameters.
 *
 * - The exact sampler (`wishart`, `auto` for d + 2 <= L < Infinity) against a float64 replay of
 *   the CPU's draws (`testkit/wishart_replay.ts`, itself checked against
 *   `sampleWishartStatistics`), at d = 2, 4, 8, 24 and 64, context lengths below d + 2 (outer
 *   products), at d + 2 and d + 3 (the first Bartlett increment, a chi-square of shape 1/2), up
 *   to 2^30 (where float32 needs the series form of the acceptance bound), and nested
 *   increments. Tolerances are the replay's float32 bounds. A chi-square's accept/reject
 *   decision may differ in float32 only when it lies within its float32 margin: a prompt whose
 *   attempts differ must be one the replay marks at risk (else the test fails), it is left out
 *   of the elementwise comparison, and the number of prompts at risk is bounded by the margin
 *   analysis (at most 1e-4 per attempt, `backends/webgpu/wishart_wgsl.ts`) and reported.
 * - `statistics()` honours `sampler` as the CPU does: `auto` and `wishart` through the exact
 *   kernels, `tokens` through the token kernels (bound of `props/webgpu_parity_test.ts`).
 * - Trained parameters: `trainOnBackend` on the CPU (float64) and on WebGPU (float32) for both
 *   samplers, within 1e-3 (the acceptance threshold; the measured differences are
 *   reported) at the size and two others.
 * - Controls: WGSL mutations (the direct, cancelling form of the acceptance bound; a Bartlett
 *   normal off by one; a chi-square missing its factor 2) make the checks fail, for the stated
 *   reason.
 *
 * @module
 */

import assert from "node:assert/strict";
import { createBackend } from "../src/backends/create_backend.ts";
import { sampleWishartStatisticsGpu } from "../src/backends/webgpu/wishart_kernels.ts";
import { resolveSample, samplePromptBatch, sampleTaskBatch } from "../src/model/task.ts";
import type { SampleOptions } from "../src/model/model_types.ts";
import { sampleWishartStatistics } from "../src/model/wishart.ts";
import { statisticsFromBatch } from "../src/model/prompt_statistics.ts";
import { trainOnBackend } from "../src/training/training_backend.ts";
import type { TrainOptions } from "../src/training/train_options.ts";
import { FC_SEED } from "../testkit/config.ts";
import { absBatch, tokenDelta, tolerance } from "../testkit/float32_bounds.ts";
import {
  openParitySuite,
  toleranceCheck,
  withKernelMutation,
  type WorstRatios,
} from "../testkit/parity_kit.ts";
import { replayWishart, type StatisticName } from "../testkit/wishart_replay.ts";

const { backend, gpuTest } = await openParitySuite("webgpu sampler parity");
const cpu = await createBackend("cpu");
const worst: WorstRatios = {};
const assertWithin = toleranceCheck(worst);
const tally = { prompts: 0, chiSquares: 0, atRisk: 0, differing: 0 };
const trained: Record<string, number> = {};

/** A seed of this run (FC_SEED) for case `i`. */
const seedOf = (i: number) => (FC_SEED + 7919 * i) & 0x7fffffff;

/** Sampling options of N prompts in dimension d (d1 = ceil(d / 2)). */
function options(prompts: number, context: number, d: number, seed: number): SampleOptions {
  const d1 = Math.ceil(d / 2);
  return { prompts, context, seed, d1, d2: d - d1, stream: seed % 3 };
}

/** A case of the exact sampler: dimension, prompts, nested contexts. */
interface Case {
  d: number;
  prompts: number;
  contexts: number[];
}

const CASES: Case[] = [
  { d: 2, prompts: 300, contexts: [100] },
  { d: 2, prompts: 200, contexts: [1, 3, 4, 5, 20] },
  { d: 4, prompts: 300, contexts: [5, 6, 7, 100, 1000] },
  { d: 8, prompts: 300, contexts: [100] },
  { d: 8, prompts: 100, contexts: [3, 11, 50, 2 ** 20] },
  { d: 24, prompts: 40, contexts: [10, 26, 27, 500] },
  { d: 64, prompts: 6, contexts: [66, 67, 4096] },
  { d: 4, prompts: 200, contexts: [2 ** 30] },
];

/**
 * The kernels' exact statistics against the replay: attempts, then every statistic of the
 * prompts whose attempts agree; returns the number of prompts whose attempts differ.
 */
async function checkExact(c: Case, seed: number): Promise<number> {
  const label = `d=${c.d} L=${c.contexts.join(",")} seed=${seed}`;
  const sample = resolveSample(
    { ...options(c.prompts, c.contexts[c.contexts.length - 1], c.d, seed), sampler: "wishart" },
    false,
  );
  const tasks = sampleTaskBatch(sample);
  const gpu = await sampleWishartStatisticsGpu(backend!.gpu, sample, tasks, c.contexts);
  const ref = sampleWishartStatistics(sample, c.contexts);
  const replay = replayWishart(sample, tasks.spike, c.contexts);
  const N = c.prompts, per = gpu.attempts.length / N;
  const differs = new Uint8Array(N);
  for (let n = 0; n < N; n++) {
    for (let i = n * per; i < (n + 1) * per; i++) {
      if (gpu.attempts[i] !== replay.attempts[i]) differs[n] = 1;
    }
    if (differs[n] && !replay.atRisk[n]) {
      assert.fail(
        `${label}: prompt ${n}: a chi-square's attempts differ (gpu ${
          gpu.attempts.subarray(n * per, (n + 1) * per).join(",")
        } vs cpu ${
          replay.attempts.subarray(n * per, (n + 1) * per).join(",")
        }) outside the float32 margin`,
      );
    }
  }
  c.contexts.forEach((_, r) => {
    for (const key of ["sigmaHat", "muHat", "meanY", "meanY2"] as const satisfies StatisticName[]) {
      const want = ref[r][key], got = gpu.statistics[r][key], mine = replay.contexts[r].values[key];
      assertWithin("replay", mine, want, want.map((v) => 1e-9 * (1 + Math.abs(v))));
      const k = want.length / N;
      const tol = replay.contexts[r].tolerance[key].map((t, i) =>
        differs[Math.floor(i / k)] ? Infinity : t
      );
      assertWithin(`exact.${key}`, got, want, tol);
    }
    const delta = tokenDelta(tasks);
    assertWithin(
      "exact.query",
      gpu.statistics[r].query,
      ref[r].query,
      ref[r].query.map(() => delta),
    );
  });
  tally.prompts += N;
  tally.chiSquares += replay.chiSquares;
  tally.atRisk += replay.atRisk.reduce((s, v) => s + v, 0);
  const count = differs.reduce((s, v) => s + v, 0);
  tally.differing += count;
  return count;
}

gpuTest("webgpu sampler parity: exact statistics equal the CPU's to float32 rounding", async () => {
  for (const [i, c] of CASES.entries()) await checkExact(c, seedOf(i));
  // At most 1e-4 of the attempts are within their float32 margin (wishart_wgsl.ts), about
  // 1.05 attempts per chi-square: the count at risk within 5 binomial standard deviations.
  const expected = 1e-4 * 1.05 * tally.chiSquares;
  assert.ok(
    tally.atRisk <= expected + 5 * Math.sqrt(expected) + 3,
    `prompts at risk ${tally.atRisk} exceed the margin analysis (${expected} expected at most)`,
  );
});

/** Statistics tolerance of the token sampler (the bound of `props/webgpu_parity_test.ts`). */
function tokenTolerance(o: SampleOptions): Record<StatisticName, Float64Array> {
  const batch = samplePromptBatch({ ...o, sampler: "tokens" });
  const delta = tokenDelta(batch);
  const nominal = statisticsFromBatch(absBatch(batch, 0));
  const plus = statisticsFromBatch(absBatch(batch, delta));
  const k = batch.context + 32 + 3;
  const of = (key: StatisticName) => tolerance(plus[key], nominal[key], k);
  return { sigmaHat: of("sigmaHat"), muHat: of("muHat"), meanY: of("meanY"), meanY2: of("meanY2") };
}

gpuTest("webgpu sampler parity: statistics() honours sampler as the CPU does", async () => {
  const shapes: [number, number, number][] = [[50, 100, 4], [40, 5, 4], [30, 10, 8], [20, 6, 4]];
  for (const [i, [N, L, d]] of shapes.entries()) {
    for (const sampler of ["auto", "wishart", "tokens"] as const) {
      const o = { ...options(N, L, d, seedOf(100 + i)), sampler };
      const exact = sampler === "wishart" || (sampler === "auto" && L >= d + 2);
      const sample = resolveSample(o, false);
      assert.equal(sample.sampler, exact ? "wishart" : "tokens");
      const got = await backend!.statistics(o);
      const want = await cpu.statistics(o);
      const replay = exact ? replayWishart(sample, want.spike, [L]) : undefined;
      const tol = replay?.contexts[0].tolerance ?? tokenTolerance(o);
      for (const key of ["sigmaHat", "muHat", "meanY", "meanY2"] as const) {
        // Prompts at risk of a float32 accept/reject flip are left out (see the first test).
        const k = want[key].length / N;
        const bound = tol[key].map((t, i) => replay?.atRisk[Math.floor(i / k)] ? Infinity : t);
        assertWithin(`statistics.${sampler}.${key}`, got[key], want[key], bound);
      }
    }
  }
});

// The direct form x^2 / 2 + dd (1 - v + ln v) in float32 errs by about 3 u dd |c x| ~ 1e-3 |x| at
// L = 2^31 (dd ~ 2^30), so about 1e-3 of the attempts that reach the log test flip: with 20000
// chi-squares, some do (about 20 expected; none with probability e^-20).
gpuTest(
  "webgpu sampler parity: control: the direct acceptance bound cancels at L = 2^31",
  async () => {
    await assert.rejects(
      withKernelMutation(
        backend!,
        "exact sampler",
        "if (abs(y) <= 0.25) {",
        "if (abs(y) <= -1.0) {",
        () => checkExact({ d: 8, prompts: 2000, contexts: [2 ** 31] }, seedOf(0)).then(() => {}),
      ),
      /attempts differ .* outside the float32 margin/,
    );
  },
);

gpuTest("webgpu sampler parity: control: a Bartlett normal off by one fails", async () => {
  await assert.rejects(
    withKernelMutation(
      backend!,
      "exact sampler",
      "let first = P + (j * j - j) / 2u;",
      "let first = P + (j * j + j) / 2u;",
      () => checkExact({ d: 4, prompts: 50, contexts: [100] }, seedOf(1)).then(() => {}),
    ),
    /exact\.(sigmaHat|muHat|meanY2)\[\d+\]: gpu/,
  );
});

/** The training runs: the size and two others (seeds of this run). */
const TRAIN_RUNS: TrainOptions[] = [
  { model: "lca2", depth: 10, prompts: 2000, context: 100, steps: 200, seed: 7 },
  {
    model: "lca1",
    depth: 6,
    prompts: 1000,
    context: 30,
    steps: 150,
    d1: 3,
    d2: 3,
    seed: seedOf(200),
  },
  {
    model: "lca2",
    depth: 4,
    prompts: 600,
    context: 12,
    steps: 150,
    d1: 4,
    d2: 4,
    target: "bayes",
    seed: seedOf(201),
  },
];

/** max |theta_cpu - theta_gpu| of one training run on both backends. */
async function trainedDifference(o: TrainOptions): Promise<number> {
  const a = (await trainOnBackend(o, cpu)).parameters;
  const b = (await trainOnBackend(o, backend!)).parameters;
  assert.ok(a.model === b.model && "lca" in a && "lca" in b, "an lca model");
  return Math.max(Math.abs(a.lca.alpha - b.lca.alpha), Math.abs(a.lca.beta - b.lca.beta));
}

gpuTest("webgpu sampler parity: trained parameters on cpu and webgpu within 1e-3", async () => {
  for (const run of TRAIN_RUNS) {
    for (const sampler of ["auto", "tokens"] as const) {
      const diff = await trainedDifference({ ...run, sampler });
      const name = `${run.model} N=${run.prompts} L=${run.context} d=${
        (run.d1 ?? 2) + (run.d2 ?? 2)
      } ${sampler}`;
      trained[name] = diff;
      assert.ok(diff <= 1e-3, `${name}: trained parameters differ by ${diff} > 1e-3`);
    }
  }
});

gpuTest(
  "webgpu sampler parity: control: a chi-square missing its factor 2 moves training",
  async () => {
    let diff = 0;
    await withKernelMutation(
      backend!,
      "exact sampler",
      "value = sqrt(2.0 * draw.x);",
      "value = sqrt(draw.x);",
      async () => {
        diff = await trainedDifference({ ...TRAIN_RUNS[0], sampler: "auto" });
      },
    );
    assert.ok(diff > 1e-3, `the mutated sampler trained within ${diff} of the CPU`);
  },
);

gpuTest("webgpu sampler parity: report", () => {
  console.log("largest |error| / tolerance:", JSON.stringify(worst));
  console.log("exact sampler draws:", JSON.stringify(tally));
  console.log("max |theta_cpu - theta_webgpu|:", JSON.stringify(trained));
  return Promise.resolve();
});

globalThis.addEventListener("unload", () => backend?.dispose());
