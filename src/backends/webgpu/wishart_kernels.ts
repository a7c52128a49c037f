/**
 * Host code of the exact statistics sampler on WebGPU (WGSL in `wishart_wgsl.ts`): draws each
 * prompt's statistics at one or several nested context lengths from the Philox streams of the
 * CPU's `sampleWishartStatistics` (`model/wishart.ts`), so that from the same seed the
 * statistics agree to float32 rounding (apart from the rare float32 accept/reject flips that
 * `wishart_wgsl.ts` analyses). Tasks and queries are those of the token sampler (the same query
 * kernel). Scratch (the factors and W, O(R p^2) floats per prompt for R contexts) is bounded
 * by running the prompts in chunks.
 *
 * @module
 */

import type { PromptStatistics, ResolvedSample, TaskBatch } from "../../model/model_types.ts";
import { encodeParams, sampleParams } from "./common.ts";
import type { GpuContext, GpuScope } from "./context.ts";
import { encodeQuery } from "./statistics_kernels.ts";
import {
  WISHART_GAMMA_BLOCKS,
  wishartFactorKernelWgsl,
  wishartGramKernelWgsl,
  wishartMapKernelWgsl,
} from "./wishart_wgsl.ts";

/** Scratch bytes per chunk of prompts (factors and W). */
const SCRATCH_BYTES = 64 * 1024 * 1024;

/** Statistics from the WebGPU exact sampler, with the number of attempts of each chi-square. */
export interface WishartGpuStatistics {
  /** One batch per context length (float32 values widened to float64). */
  statistics: PromptStatistics[];
  /**
   * Marsaglia-Tsang attempts of each chi-square, N x R x p (prompt, increment, Bartlett row);
   * 0 where an increment has fewer than p + 1 tokens (no chi-square).
   */
  attempts: Uint32Array;
}

/** Validates nested context lengths: strictly increasing integers in [1, 2^31]. */
function requireContexts(contexts: readonly number[]): Uint32Array<ArrayBuffer> {
  if (!Array.isArray(contexts) || contexts.length === 0) {
    throw new RangeError(`contexts must be a non-empty array, got ${JSON.stringify(contexts)}`);
  }
  contexts.forEach((L, i) => {
    if (!Number.isInteger(L) || L < 1 || L > 2 ** 31 || (i > 0 && L <= contexts[i - 1])) {
      throw new RangeError(
        `contexts must be strictly increasing integers in [1, 2^31] on webgpu, got ${
          JSON.stringify(contexts)
        }`,
      );
    }
  });
  return Uint32Array.from(contexts);
}

/** A 2D dispatch of 64-wide workgroups covering `count` invocations. */
function grid(count: number): [number, number] {
  const groups = Math.ceil(count / 64);
  const x = Math.min(groups, 65535);
  return [x, Math.ceil(groups / x)];
}

/** The three pipelines for dimension d. */
async function pipelines(gpu: GpuContext, d: number) {
  const p = d + 2;
  return {
    factor: await gpu.pipeline(wishartFactorKernelWgsl(p), `wishartFactor(p=${p})`),
    gram: await gpu.pipeline(wishartGramKernelWgsl(p), `wishartGram(p=${p})`),
    map: await gpu.pipeline(wishartMapKernelWgsl(d), `wishartMap(d=${d})`),
  };
}

/** Output buffers of the exact sampler (context-major: R x N x ...). */
interface WishartBuffers {
  sigmaHat: GPUBuffer;
  muHat: GPUBuffer;
  moments: GPUBuffer;
  attempts: GPUBuffer;
  query: GPUBuffer;
  queryLabel: GPUBuffer;
}

/** Encodes the query kernel and, chunk by chunk, the factor, gram and map kernels. */
async function encodeWishart(
  scope: GpuScope,
  encoder: GPUCommandEncoder,
  sample: ResolvedSample,
  tasks: TaskBatch,
  contexts: Uint32Array<ArrayBuffer>,
): Promise<WishartBuffers> {
  const d = tasks.task.dim, p = d + 2, N = sample.prompts, R = contexts.length;
  const kernels = await pipelines(scope.ctx, d);
  const { spike, query, queryLabel } = await encodeQuery(scope, encoder, sample, tasks);
  const ctx = scope.upload(contexts, "contexts");
  const sigmaHat = scope.storage(R * N * d * d * 4, "sigmaHat");
  const muHat = scope.storage(R * N * d * 4, "muHat");
  const moments = scope.storage(R * N * 2 * 4, "moments");
  const attempts = scope.storage(N * R * p * 4, "gammaAttempts");
  const limit = Math.min(SCRATCH_BYTES, scope.ctx.maxBinding);
  const per = Math.max(1, Math.min(N, Math.floor(limit / (R * p * p * 4))));
  const gvec = scope.storage(per * R * p * 4, "wishartG");
  const factor = scope.storage(per * R * p * p * 4, "wishartFactor");
  const wsum = scope.storage(per * R * p * p * 4, "wishartW");
  const ssum = scope.storage(per * R * p * 4, "wishartS");
  for (let base = 0; base < N; base += per) {
    const prompts = Math.min(per, N - base);
    const params = scope.uniform(encodeParams({
      ...sampleParams(sample),
      prompts,
      promptBase: base,
      count: R,
      flag: N,
    }));
    const e = d * d + d + 2;
    scope.dispatch(
      encoder,
      kernels.factor,
      [params, ctx, gvec, factor, attempts],
      ...grid(prompts * R * p),
    );
    scope.dispatch(
      encoder,
      kernels.gram,
      [params, ctx, gvec, factor, wsum, ssum],
      ...grid(prompts * p * p),
    );
    scope.dispatch(
      encoder,
      kernels.map,
      [params, ctx, spike, wsum, ssum, sigmaHat, muHat, moments],
      ...grid(prompts * R * e),
    );
  }
  return { sigmaHat, muHat, moments, attempts, query, queryLabel };
}

/**
 * Exact statistics of the prompts of a validated paper-family sample at each of the strictly
 * increasing finite context lengths `contexts` (each length adds an independent increment, as
 * `sampleWishartStatistics`), sampled and reduced in WebGPU kernels; with the chi-squares'
 * numbers of attempts (for the parity tests). Rejects with a RangeError for invalid `contexts`, and
 * when a chi-square exhausts its 1024 attempts, as the CPU throws.
 */
export async function sampleWishartStatisticsGpu(
  gpu: GpuContext,
  sample: ResolvedSample,
  tasks: TaskBatch,
  contexts: readonly number[],
): Promise<WishartGpuStatistics> {
  const lengths = requireContexts(contexts);
  const d = tasks.task.dim, N = sample.prompts, R = lengths.length;
  return await gpu.run(async (scope) => {
    const encoder = gpu.device.createCommandEncoder();
    const b = await encodeWishart(scope, encoder, sample, tasks, lengths);
    gpu.device.queue.submit([encoder.finish()]);
    const sigma = await scope.readF32(b.sigmaHat, R * N * d * d);
    const mu = await scope.readF32(b.muHat, R * N * d);
    const moments = await scope.readF32(b.moments, R * N * 2);
    const attempts = Uint32Array.from(await scope.readU32(b.attempts, N * R * (d + 2)));
    const query = Float64Array.from(await scope.readF32(b.query, N * d));
    const queryLabel = Float64Array.from(await scope.readF32(b.queryLabel, N));
    if (attempts.some((a) => a > WISHART_GAMMA_BLOCKS)) {
      throw new RangeError(
        `gamma sampler exhausted ${WISHART_GAMMA_BLOCKS} attempts on webgpu; the stream is broken`,
      );
    }
    const statistics = Array.from(lengths, (L, r): PromptStatistics => {
      const meanY = new Float64Array(N), meanY2 = new Float64Array(N);
      for (let n = 0; n < N; n++) {
        meanY[n] = moments[2 * (r * N + n)];
        meanY2[n] = moments[2 * (r * N + n) + 1];
      }
      return {
        ...tasks,
        context: L,
        sigmaHat: Float64Array.from(sigma.subarray(r * N * d * d, (r + 1) * N * d * d)),
        muHat: Float64Array.from(mu.subarray(r * N * d, (r + 1) * N * d)),
        meanY,
        meanY2,
        query: r === 0 ? query : query.slice(),
        queryLabel: r === 0 ? queryLabel : queryLabel.slice(),
      };
    });
    return { statistics, attempts };
  });
}
