/**
 * Parity of the WebGPU schedule models (float32, `src/backends/webgpu/schedule_kernels.ts`) with
 * the float64 CPU reference (`scheduleTokenPredict`, `schedulePredict`), for `lca-schedule`
 * (beta_t = -alpha_t) and `lca2-schedule` (free beta_t).
 *
 * Tolerances are derived as in props/webgpu_parity_test.ts, not tuned: u = 2^-24,
 * gamma_K = K u / (1 - K u), and for a polynomial F of the inputs evaluated by sums of products,
 * with F_abs the same expression on absolute values,
 *     |F_gpu - F| <= [F_abs(|v| + e) - F_abs(|v|)] + gamma_K F_abs(|v| + e),
 * e the input error and K the longest chain of dependent roundings. F_abs is the CPU reference
 * itself run on the absolute-valued inputs and steps.
 *
 * - Token level: the tokens carry the error delta of `tokenDelta` (Box-Muller and token
 *   assembly), the steps their float32 rounding |v| (1 + u) + 2^-126 (flushed subnormals). A
 *   layer rounds z . q_t (d + 1 fma), x_i (z . q_t) (1), the sum over the L tokens in any tree
 *   of lanes and chunks (at most L - 1 additions on any path), the factor 1/L (1), beta_t (1)
 *   and the two additions of the update (2): d + L + 4; the readout at most as many, so
 *   K = T (d + L + 4) + d + L + 4 (the tied LCA's K with a step per layer).
 * - Closed form on statistics: Sigma_hat, mu_hat, x_q and the steps are rounded to float32 on
 *   upload, e = u |v| + 2^-126; a layer rounds the row products of Sigma_hat q (d fma),
 *   alpha_t x_q and beta_t u (1 each on a path) and the two additions (2): d + 3; the readout
 *   q . mu_hat d more, so K = T (d + 3) + d.
 *
 * Controls: a wrong layer index injected into the WGSL (layer 1 reads the step of layer 2, a
 * mutation of the `layer_step` accessor through the pipeline cache of the real backend) fails
 * both parities, and a relative change of 1e-3 (closed form) or 1e-2 (token level) in one step
 * of the float64 reference falls outside the tolerance (the bounds are not vacuous where they are checked).
 *
 * @module
 */

import assert from "node:assert/strict";
import { samplePromptStatistics } from "../src/model/prompt_statistics.ts";
import {
  scheduleLayers,
  type ScheduleParameters,
  schedulePredict,
  scheduleTokenPredict,
} from "../src/model/schedule_models.ts";
import type { PromptStatistics, SampleOptions } from "../src/model/model_types.ts";
import { samplePromptBatch } from "../src/model/task.ts";
import { optimalSchedule } from "../src/theory/optimal_schedule.ts";
import { fc, fcParameters } from "../testkit/config.ts";
import {
  integerShapes,
  largestExcursion as excursion,
  openParityChecks,
  PARITY_SEEDS as seeds,
  tokenSampleOptions,
  withKernelMutation,
} from "../testkit/parity_kit.ts";
import { absBatch, tokenDelta, tolerance, U } from "../testkit/float32_bounds.ts";

const { backend, gpuTest, within: assertWithin, reportWorst } = await openParityChecks(
  "webgpu schedule parity",
);

const FLUSH = 2 ** -126;

/** |alpha_t|, |beta_t| (betas explicit), or with `rounded` their float32 rounding bound. */
function absSchedule(params: ScheduleParameters, rounded = false): ScheduleParameters {
  const r = (v: number) => rounded ? Math.abs(v) * (1 + U) + FLUSH : Math.abs(v);
  const { alphas, betas } = scheduleLayers(params);
  return { alphas: alphas.map(r), betas: betas.map(r) };
}

/** Statistics with Sigma_hat, mu_hat, x_q replaced by |v| (or their float32 bound). */
function absStatistics(stats: PromptStatistics, rounded = false): PromptStatistics {
  const r = (a: Float64Array) =>
    a.map((v) => rounded ? Math.abs(v) * (1 + U) + FLUSH : Math.abs(v));
  return { ...stats, sigmaHat: r(stats.sigmaHat), muHat: r(stats.muHat), query: r(stats.query) };
}

/** The token-level tolerance of the header. */
function tokenTolerance(options: SampleOptions, params: ScheduleParameters): Float64Array {
  const batch = samplePromptBatch(options);
  const d = batch.task.dim, L = batch.context, T = params.alphas.length;
  return tolerance(
    scheduleTokenPredict(absBatch(batch, tokenDelta(batch)), absSchedule(params, true)),
    scheduleTokenPredict(absBatch(batch, 0), absSchedule(params)),
    T * (d + L + 4) + d + L + 4,
  );
}

/** The closed-form tolerance of the header. */
function statisticsTolerance(stats: PromptStatistics, params: ScheduleParameters): Float64Array {
  const d = stats.task.dim, T = params.alphas.length;
  return tolerance(
    schedulePredict(absStatistics(stats, true), absSchedule(params, true)),
    schedulePredict(absStatistics(stats), absSchedule(params)),
    T * (d + 3) + d,
  );
}

/** Schedules of 1..maxDepth layers, with or without betas. */
const schedules = (maxDepth: number): fc.Arbitrary<ScheduleParameters> =>
  fc.integer({ min: 1, max: maxDepth }).chain((T) => {
    const steps = (bound: number) =>
      fc.array(fc.double({ min: -bound, max: bound, noNaN: true }), {
        minLength: T,
        maxLength: T,
      });
    return fc.oneof(
      fc.record({ alphas: steps(0.5) }),
      fc.record({ alphas: steps(0.5), betas: steps(0.3) }),
    );
  });

/** Token-level parity of one case (throws when outside the tolerance). */
async function checkToken(options: SampleOptions, params: ScheduleParameters): Promise<void> {
  const gpu = await backend!.scheduleForward(options, params);
  const ref = scheduleTokenPredict(samplePromptBatch(options), params);
  assertWithin("scheduleForward", gpu, ref, tokenTolerance(options, params));
}

/** Closed-form parity of one case (throws when outside the tolerance). */
async function checkStatistics(stats: PromptStatistics, params: ScheduleParameters) {
  const gpu = await backend!.scheduleStatisticsForward(stats, params);
  assertWithin(
    "scheduleStatisticsForward",
    gpu,
    schedulePredict(stats, params),
    statisticsTolerance(stats, params),
  );
}

gpuTest("webgpu schedule parity: token level matches scheduleTokenPredict", async () => {
  const shapes = integerShapes(
    { weight: 8, ranges: [[1, 24], [1, 200], [2, 16]] },
    { weight: 1, ranges: [[1, 2], [1024, 4096], [8, 32]] },
  );
  await fc.assert(
    fc.asyncProperty(shapes, seeds, schedules(12), async ([N, L, d], seed, params) => {
      // large shapes: at most 3 layers keep the run time of the file modest
      const T = N * L * d > 100000 ? Math.min(3, params.alphas.length) : params.alphas.length;
      const cut = (a: ArrayLike<number>) => Array.from(a).slice(0, T);
      const layers = params.betas === undefined
        ? { alphas: cut(params.alphas) }
        : { alphas: cut(params.alphas), betas: cut(params.betas) };
      await checkToken(tokenSampleOptions(N, L, d, seed), layers);
    }),
    fcParameters(30),
  );
});

gpuTest("webgpu schedule parity: closed form on statistics matches schedulePredict", async () => {
  const shapes = fc.tuple(
    fc.integer({ min: 1, max: 300 }),
    fc.oneof(fc.integer({ min: 1, max: 64 }), fc.constant(Infinity)),
    fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 2, max: 12 }) }, {
      weight: 1,
      arbitrary: fc.integer({ min: 13, max: 84 }),
    }),
  );
  await fc.assert(
    fc.asyncProperty(shapes, seeds, schedules(16), async ([N, L, d], seed, params) => {
      if (d > 12) N = Math.min(N, 8);
      await checkStatistics(samplePromptStatistics(tokenSampleOptions(N, L, d, seed)), params);
    }),
    fcParameters(40),
  );
});

gpuTest("webgpu schedule parity: the optimal schedule, T = 8, both layer orders", async () => {
  const law = { kind: "uniform", low: 0.5, high: 4 } as const;
  for (const order of ["descending", "ascending"] as const) {
    const params = { alphas: optimalSchedule(law, 8, { order }).alphas };
    await checkToken(tokenSampleOptions(3, 512, 4, 7), params);
    await checkStatistics(
      samplePromptStatistics({ ...tokenSampleOptions(256, 1, 4, 8), context: Infinity }),
      params,
    );
  }
});

gpuTest(
  "webgpu schedule parity: closed form at d = 84, T = 200 (one dispatch per layer)",
  async () => {
    // An earlier kernel looped over the layers inside one invocation and ended early on llvmpipe
    // (from d = 70, T = 13 on): here the state must survive 199 layers of zero steps.
    const stats = samplePromptStatistics({ ...tokenSampleOptions(4, 1, 84, 9), context: Infinity });
    const alphas = new Array<number>(200).fill(0);
    alphas[199] = 1;
    await checkStatistics(stats, { alphas, betas: new Array<number>(200).fill(0) });
    await checkStatistics(stats, { alphas: alphas.map((_, t) => 0.01 * (t % 3)) });
  },
);

/** Every schedule kernel's `layer_step(t)` as written, and reading layer max(t, 1) instead. */
const LAYER_STEP = "fn layer_step(t: u32) -> vec2<f32> { return steps[t]; }";
const WRONG_LAYER_STEP = "fn layer_step(t: u32) -> vec2<f32> { return steps[max(t, 1u)]; }";

gpuTest(
  "webgpu schedule parity: controls (wrong layer index; one step off by 1e-3 or 1e-2)",
  async () => {
    const options = tokenSampleOptions(4, 64, 4, 5);
    const batch = samplePromptBatch(options);
    const stats = samplePromptStatistics(options);
    const cases: { alphas: number[]; betas?: number[] }[] = [
      { alphas: [0.45, 0.3, 0.2, 0.1] },
      { alphas: [0.45, 0.3, 0.2], betas: [0.2, -0.25, -0.1] },
    ];
    for (const params of cases) {
      await checkToken(options, params);
      await checkStatistics(stats, params);
      await withKernelMutation(backend!, "schedule", LAYER_STEP, WRONG_LAYER_STEP, async () => {
        await assert.rejects(() => checkToken(options, params), /\|err\|/);
        await assert.rejects(() => checkStatistics(stats, params), /\|err\|/);
      });
      // The tolerances are not vacuous here: the float64 reference with alpha_2 changed by a
      // relative 1e-3 (closed form) or 1e-2 (token level) leaves them.
      const nudge = (factor: number) => ({
        ...params,
        alphas: params.alphas.map((a, t) => t === 1 ? a * factor : a),
      });
      const closed = excursion(
        schedulePredict(stats, nudge(1.001)),
        schedulePredict(stats, params),
        statisticsTolerance(stats, params),
      );
      const token = excursion(
        scheduleTokenPredict(batch, nudge(1.01)),
        scheduleTokenPredict(batch, params),
        tokenTolerance(options, params),
      );
      console.log(
        `a step off: ${closed.toFixed(1)} (closed form), ${token.toFixed(1)} (token) tolerances`,
      );
      assert.ok(closed > 1 && token > 1, `closed form ${closed}, token level ${token}`);
    }
  },
);

reportWorst("webgpu schedule parity: report of the largest error / tolerance ratios");
