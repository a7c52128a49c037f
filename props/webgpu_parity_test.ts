/**
 * Parity of the WebGPU backend (float32) with the CPU reference (float64).
 *
 * Tolerances are derived, not tuned. Notation: u = 2^-24 (f32 unit roundoff),
 * gamma_K = K u / (1 - K u), rho = sqrt(48 ln 2) ~ 5.77 (largest Box-Muller radius
 * for the 23-bit uniforms).
 *
 * 1. Normals: the WGSL Box-Muller (own log and sincos, a few ulp each) satisfies
 *    |z_gpu - z| <= C_Z u rho with C_Z = 8 (asserted by the first property).
 * 2. Tokens: x_j = h m_j + xi_j in f32 with m_j rounded to f32 gives
 *    |dx_j| <= delta := (C_Z + 3) rho u (1 + max(|m|_inf, sigma)); the same bounds |dy|.
 * 3. Every quantity compared is a polynomial F in the token values (and parameters)
 *    evaluated by sums of products. For such F, with F_abs the same expression
 *    evaluated on absolute values (|x|, |y|, |alpha|, |beta|, |p|, |K|), the standard
 *    forward error bound is
 *        |F_gpu - F| <= [F_abs(|v| + delta) - F_abs(|v|)] + gamma_K F_abs(|v| + delta),
 *    the first term for the perturbed inputs, the second for the rounding of a
 *    computation whose longest chain of dependent roundings has length K
 *    (K = L + chunks + 3 for a statistic summed over L tokens; T (d + L + 4) + d + L + 4
 *    for the T-layer LCA pass; L + 2d + 4 for the LSA pass; T (2d + 2) + d + 3 for the
 *    LCA loss on statistics, whose inputs carry a relative rounding u).
 *    F_abs is computed by running the CPU reference on the absolute-valued batch.
 * These are worst-case bounds: the measured errors are one to three orders of magnitude
 * below them (the report at the end prints the largest error / tolerance ratio).
 *
 * @module
 */

import assert from "node:assert/strict";
import { createBackend } from "../src/backends/create_backend.ts";
import type { LcaParameters, LsaParameters } from "../src/model/models.ts";
import { deepLsaPredict, lcaTokenPredict, lsaTokenPredict } from "../src/model/predictors.ts";
import { boxMuller, philox4x32 } from "../src/numeric/random.ts";
import {
  bayesTarget,
  type PromptStatistics,
  samplePromptStatistics,
  statisticsFromBatch,
} from "../src/model/prompt_statistics.ts";
import { type PromptBatch, samplePromptBatch } from "../src/model/task.ts";
import { fc, fcParameters } from "../testkit/config.ts";
import {
  integerShapes,
  openParityChecks,
  PARITY_SEEDS as seeds,
  tokenSampleOptions,
} from "../testkit/parity_kit.ts";
import {
  absBatch,
  absParams,
  C_Z,
  gamma,
  lcaHorner,
  RHO,
  tokenDelta,
  tolerance,
  U,
} from "../testkit/float32_bounds.ts";

const { backend, gpuTest, within: assertWithin, reportWorst } = await openParityChecks(
  "webgpu parity",
);
const cpu = await createBackend("cpu");

/** Draws (N, L, d): mostly small, sometimes large-but-thin. */
const shapes = integerShapes(
  { weight: 8, ranges: [[1, 24], [1, 200], [2, 16]] },
  { weight: 1, ranges: [[1, 2], [1024, 4096], [32, 64]] },
  { weight: 1, ranges: [[1024, 4096], [1, 4], [2, 4]] },
);

gpuTest("webgpu parity: Philox u32 stream is bit-exact and normals within C_Z u rho", async () => {
  await fc.assert(
    fc.asyncProperty(
      seeds,
      fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.nat()), { minLength: 1, maxLength: 300 }),
      async (seed, counterList) => {
        const counters = new Uint32Array(counterList.length * 4);
        counterList.forEach((c, i) => {
          counters[4 * i] = (c[0] * 2654435761) >>> 0;
          counters[4 * i + 1] = c[1] >>> 0;
          counters[4 * i + 2] = (c[2] * 40503) >>> 0;
          counters[4 * i + 3] = c[3] >>> 0;
        });
        // include the query token and the stream tags
        counters[0] = 0xffffffff;
        const { bits, normals } = await backend!.philox(seed, counters);
        const out = new Uint32Array(4);
        const z = new Float64Array(4);
        const k0 = seed % 4294967296 >>> 0, k1 = Math.floor(seed / 4294967296) >>> 0;
        const tol = new Float64Array(4).fill(C_Z * U * RHO);
        for (let i = 0; i < counterList.length; i++) {
          philox4x32(
            counters[4 * i],
            counters[4 * i + 1],
            counters[4 * i + 2],
            counters[4 * i + 3],
            k0,
            k1,
            out,
          );
          assert.deepEqual(Array.from(bits.subarray(4 * i, 4 * i + 4)), Array.from(out));
          boxMuller(out, z);
          assertWithin("normals", normals.subarray(4 * i, 4 * i + 4), z, tol);
        }
      },
    ),
    fcParameters(60),
  );
});

function statisticsTolerance(batch: PromptBatch, chunksBound: number) {
  const delta = tokenDelta(batch);
  const nominal = statisticsFromBatch(absBatch(batch, 0));
  const plus = statisticsFromBatch(absBatch(batch, delta));
  const k = batch.context + chunksBound + 3;
  return {
    sigmaHat: tolerance(plus.sigmaHat, nominal.sigmaHat, k),
    muHat: tolerance(plus.muHat, nominal.muHat, k),
    meanY: tolerance(plus.meanY, nominal.meanY, k),
    meanY2: tolerance(plus.meanY2, nominal.meanY2, k),
    query: new Float64Array(batch.query.length).fill(delta),
    queryLabel: new Float64Array(batch.prompts).fill(delta),
  };
}

gpuTest("webgpu parity: sampled statistics match samplePromptStatistics", async () => {
  await fc.assert(
    fc.asyncProperty(shapes, seeds, async ([N, L, d], seed) => {
      const options = tokenSampleOptions(N, L, d, seed);
      const gpu = await backend!.statistics(options);
      const ref = samplePromptStatistics(options);
      const tol = statisticsTolerance(samplePromptBatch(options), 32);
      assert.deepEqual(gpu.strength, ref.strength);
      for (const key of ["sigmaHat", "muHat", "meanY", "meanY2", "query", "queryLabel"] as const) {
        assertWithin(`statistics.${key}`, gpu[key], ref[key], tol[key]);
      }
    }),
    fcParameters(40),
  );
});

gpuTest("webgpu parity: statistics with context Infinity are the exact task moments", async () => {
  const options = { ...tokenSampleOptions(5, 1, 6, 3), context: Infinity };
  const gpu = await backend!.statistics(options);
  const ref = samplePromptStatistics(options);
  const rel = (a: ArrayLike<number>) => Array.from(a, (v) => 2 * U * (1 + Math.abs(v)));
  assertWithin("exact.sigmaHat", gpu.sigmaHat, ref.sigmaHat, rel(ref.sigmaHat));
  assertWithin("exact.muHat", gpu.muHat, ref.muHat, rel(ref.muHat));
});

const layerParams = (maxDepth: number) =>
  fc.record({
    alpha: fc.double({ min: -0.5, max: 0.5, noNaN: true }),
    beta: fc.double({ min: -0.3, max: 0.3, noNaN: true }),
    depth: fc.integer({ min: 1, max: maxDepth }),
  });

gpuTest(
  "webgpu parity: token-level LCA (with and without S_t) matches lcaTokenPredict",
  async () => {
    await fc.assert(
      fc.asyncProperty(
        shapes,
        seeds,
        layerParams(12),
        fc.boolean(),
        async ([N, L, d], seed, params, without) => {
          // large shapes: fewer layers keep the run time of the file modest
          if (N * L * d > 200000) params = { ...params, depth: Math.min(params.depth, 3) };
          const options = tokenSampleOptions(N, L, d, seed);
          const batch = samplePromptBatch(options);
          const forward = { withoutSkipStream: without };
          const gpu = await backend!.lcaForward(options, params, forward);
          const ref = lcaTokenPredict(batch, params, forward);
          const delta = tokenDelta(batch);
          const pa = absParams(params);
          const tol = tolerance(
            lcaTokenPredict(absBatch(batch, delta), absParams(params, true), forward),
            lcaTokenPredict(absBatch(batch, 0), pa, forward),
            params.depth * (d + L + 4) + d + L + 4,
          );
          assertWithin("lcaForward", gpu, ref, tol);
        },
      ),
      fcParameters(40),
    );
  },
);

gpuTest("webgpu parity: deep LCA, T up to 50, one long prompt", async () => {
  const options = tokenSampleOptions(2, 2048, 8, 11);
  const batch = samplePromptBatch(options);
  const params = { alpha: 0.3, beta: -0.05, depth: 50 };
  const gpu = await backend!.lcaForward(options, params);
  const ref = lcaTokenPredict(batch, params);
  const delta = tokenDelta(batch);
  const tol = tolerance(
    lcaTokenPredict(absBatch(batch, delta), absParams(params, true)),
    lcaTokenPredict(absBatch(batch, 0), absParams(params)),
    50 * (8 + 2048 + 4) + 8 + 2048 + 4,
  );
  assertWithin("lcaForward.T50", gpu, ref, tol);
});

gpuTest("webgpu parity: token-level full LSA matches lsaTokenPredict", async () => {
  await fc.assert(
    fc.asyncProperty(
      shapes,
      seeds,
      fc.integer({ min: 0, max: 2 ** 30 }),
      async ([N, L, d], seed, ps) => {
        const options = tokenSampleOptions(N, L, d, seed);
        const batch = samplePromptBatch(options);
        const e = d + 1;
        const rnd = (i: number) => Math.sin(ps + 12.9898 * i) * 0.5;
        const params: LsaParameters = {
          p: Float64Array.from({ length: e }, (_, i) => rnd(i)),
          k: Float64Array.from({ length: e * d }, (_, i) => rnd(1000 + i)),
        };
        const abs: LsaParameters = { p: params.p.map(Math.abs), k: params.k.map(Math.abs) };
        const gpu = await backend!.lsaForward(options, params);
        const ref = lsaTokenPredict(batch, params);
        const delta = tokenDelta(batch);
        const tol = tolerance(
          lsaTokenPredict(absBatch(batch, delta), abs),
          lsaTokenPredict(absBatch(batch, 0), abs),
          L + 2 * d + 40,
        );
        assertWithin("lsaForward", gpu, ref, tol);
      },
    ),
    fcParameters(40),
  );
});

/** Statistics with every entry replaced by |v| + bound (for the deep-LSA propagation). */
function absStatistics(stats: PromptStatistics, tol?: ReturnType<typeof statisticsTolerance>) {
  const up = (a: Float64Array, t?: Float64Array) => a.map((v, i) => Math.abs(v) + (t ? t[i] : 0));
  return {
    ...stats,
    sigmaHat: up(stats.sigmaHat, tol?.sigmaHat),
    muHat: up(stats.muHat, tol?.muHat),
    query: up(stats.query, tol?.query),
  };
}

gpuTest("webgpu parity: deep LSA matches deepLsaPredict", async () => {
  await fc.assert(
    fc.asyncProperty(shapes, seeds, layerParams(5), async ([N, L, d], seed, params) => {
      const options = tokenSampleOptions(N, L, d, seed);
      const gpu = await backend!.deepLsaForward(options, params);
      const ref = await cpu.deepLsaForward(options, params);
      // The recursion runs in float64 on the f32 statistics: propagate the statistics
      // bound E through the polynomial: |dF| <= F_abs(|S| + E) - F_abs(|S|).
      const stats = samplePromptStatistics(options);
      const tol = statisticsTolerance(samplePromptBatch(options), 32);
      const pa = absParams(params);
      const bound = tolerance(
        deepLsaPredict(absStatistics(stats, tol), absParams(params, true)),
        deepLsaPredict(absStatistics(stats), pa),
        0,
      ).map((v, i) => v + 1e-12 * (1 + Math.abs(ref[i])));
      assertWithin("deepLsaForward", gpu, ref, bound);
    }),
    fcParameters(30),
  );
});

/** The WebGPU LCA training step against the CPU's, within the derived float32 bounds. */
async function checkTrainer(
  [N, L, d]: [number, number, number],
  seed: number,
  params: LcaParameters,
  bayes: boolean,
): Promise<void> {
  if (L > 1000) L = 100; // the trainer works on statistics; keep sampling cheap
  const options = tokenSampleOptions(N, L, d, seed);
  const stats = samplePromptStatistics(options);
  const target = bayes ? bayesTarget(stats) : stats.queryLabel;
  const trainer = await backend!.lcaTrainer(stats, target);
  const ref = await (await cpu.lcaTrainer(stats, target)).lossAndGradient(params);
  const gpu = await trainer.lossAndGradient(params);
  trainer.dispose();
  // per-prompt bounds on pred, d/dalpha, d/dbeta from the abs evaluations
  const k = params.depth * (2 * d + 2) + d + 3;
  const nominal = lcaHorner(stats, params, 0);
  const absNom = lcaHorner(stats, params, 1e-300);
  const absUp = lcaHorner(stats, params, U);
  const e = (key: "pred" | "da" | "db", n: number) =>
    absUp[key][n] - absNom[key][n] + gamma(k) * absUp[key][n];
  let tl = 0, ta = 0, tb = 0;
  for (let n = 0; n < N; n++) {
    const res = nominal.pred[n] - target[n];
    const dres = e("pred", n) + U * Math.abs(target[n]) + U * (Math.abs(res) + e("pred", n));
    tl += 2 * Math.abs(res) * dres + dres * dres + 2 * U * res * res;
    const ga = (dx: number, x: number) =>
      2 * (dres * Math.abs(x) + (Math.abs(res) + dres) * dx) + 4 * U * Math.abs(res * x);
    ta += ga(e("da", n), nominal.da[n]);
    tb += ga(e("db", n), nominal.db[n]);
  }
  const slack = (v: number) => v / N;
  assertWithin("lcaTrainer.loss", [gpu.loss], [ref.loss], [
    slack(tl) + 1e-9 * Math.abs(ref.loss),
  ]);
  assertWithin("lcaTrainer.alpha", [gpu.alpha], [ref.alpha], [
    slack(ta) + 1e-9 * Math.abs(ref.alpha),
  ]);
  assertWithin("lcaTrainer.beta", [gpu.beta], [ref.beta], [
    slack(tb) + 1e-9 * Math.abs(ref.beta),
  ]);
}

gpuTest("webgpu parity: LCA training step (loss and gradient) matches the CPU", async () => {
  await fc.assert(
    fc.asyncProperty(shapes, seeds, layerParams(12), fc.boolean(), checkTrainer),
    fcParameters(40),
  );
});

// Regression: llvmpipe caps the loop iterations of one invocation (about 65535, all loops
// counted), so a single dispatch of T (d^2 + d) > 65535 iterations stopped early without an
// error (at d = 64 the loss for T = 40 equalled T = 20's); the layers now run in several
// dispatches. A small beta keeps the abs-valued bound informative at this size.
gpuTest(
  "webgpu parity: the training step at d = 64 and T = 40 (many dispatches)",
  () => checkTrainer([64, 100, 64], 5, { alpha: 0.01, beta: -0.001, depth: 40 }, false),
);

reportWorst("webgpu parity: report of the largest error / tolerance ratios");
