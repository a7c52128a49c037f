/**
 * The float32 WebGPU backend: kernels (in this folder) that sample the prompts
 * inside the kernels from the same Philox counter stream as the CPU, so both
 * backends see the same prompts for the same seed and stream, up to float32
 * rounding. Statistics honour `SampleOptions.sampler` exactly as the CPU does (`auto`, the
 * default, is the exact sampler for d + 2 <= L < Infinity): the exact sampler's kernels
 * (`wishart_kernels.ts`) draw the CPU's Bartlett factors and chi-square attempts from the same
 * Philox streams, the token sampler's kernels reduce every token. The forward passes
 * (`lcaForward`, `lsaForward`, `scheduleForward`, `softmaxForward`) and the softmax trainer
 * attend over the tokens and always sample tokens, on both backends; `deepLsaForward` and the
 * LCA trainer work on statistics and follow the sampler. Nothing here touches `navigator.gpu`
 * at import time.
 *
 * @module
 */

import { requireLength } from "../../validation/errors.ts";
import {
  type DeepLsaParameters,
  type LcaParameters,
  type LsaParameters,
  validateLayerParameters,
  validateLsaParameters,
} from "../../model/models.ts";
import { deepLsaPredict } from "../../model/predictors.ts";
import type { PromptStatistics, ResolvedSample, SampleOptions } from "../../model/model_types.ts";
import { resolveSample, sampleTaskBatch } from "../../model/task.ts";
import { FAMILIES, familyOf, TASK_FAMILIES } from "../../model/families/families.ts";
import type {
  Backend,
  BackendOptions,
  LcaForwardOptions,
  LcaTrainer,
  SoftmaxTrainer,
} from "../backend.ts";
import { createSoftmaxTrainer } from "./softmax_train_kernels.ts";
import { attempt } from "../attempt.ts";
import { dispatchPromptBlocks } from "./common.ts";
import { GpuContext, GpuScope, NO_ADAPTER_MESSAGE, requestAdapter } from "./context.ts";
import { encodeLsaForward } from "./forward_kernels.ts";
import { PHILOX_BITS_KERNEL_WGSL } from "./philox_wgsl.ts";
import { encodeQuery, encodeStatistics, exactMoments } from "./statistics_kernels.ts";
import { MAX_WEBGPU_DIM } from "./token_kernels.ts";
import { sampleWishartStatisticsGpu } from "./wishart_kernels.ts";
import { encodeScheduleForward, encodeScheduleStatistics } from "./schedule_kernels.ts";
import { encodeLsaStatistics } from "./lsa_statistics_kernel.ts";
import {
  type ScheduleParameters,
  tiedSchedule,
  validateScheduleParameters,
} from "../../model/schedule_models.ts";
import { encodeSoftmaxForward, softmaxChunkPrompts } from "./softmax_kernels.ts";
import { type SoftmaxParameters, validateSoftmaxParameters } from "../../model/softmax_models.ts";
import { layersPerDispatch, lcaLossKernelWgsl, trainPromptsPerGroup } from "./training_kernels.ts";

/** Validates a sample for the WebGPU kernels (dimension and u32 ranges). */
function resolveGpuSample(options: SampleOptions, allowInfinite: boolean): ResolvedSample {
  const sample = resolveSample(options, allowInfinite);
  const family = familyOf(sample.task);
  if (!family.webGpuSampling) {
    const sampled = TASK_FAMILIES.filter((name) => FAMILIES[name].webGpuSampling);
    throw new RangeError(
      `family must be ${sampled.map((name) => `"${name}"`).join(" or ")} on webgpu ` +
        `(the kernels sample only the paper's family), got "${family.name}"`,
    );
  }
  const d = sample.task.dim;
  if (d > MAX_WEBGPU_DIM) {
    throw new RangeError(`d1 + d2 must be at most ${MAX_WEBGPU_DIM} on webgpu, got ${d}`);
  }
  if (sample.context !== Infinity && sample.context > 2 ** 31) {
    throw new RangeError(`context must be at most 2^31 on webgpu, got ${sample.context}`);
  }
  if (sample.prompts * (d + 1) > 65535 * 64) {
    throw new RangeError(
      `prompts must be at most ${
        Math.floor(65535 * 64 / (d + 1))
      } for d = ${d} on webgpu, got ${sample.prompts}`,
    );
  }
  return sample;
}

/**
 * The float32 WebGPU backend.
 *
 * @example Sample statistics in WebGPU kernels (float32)
 * ```ts
 * import assert from "node:assert/strict";
 * import { WebGpuBackend } from "./webgpu_backend.ts";
 * import { webGpuAvailable } from "../create_backend.ts";
 * if (await webGpuAvailable()) { // create() throws when there is no adapter
 *   const backend = await WebGpuBackend.create();
 *   const stats = await backend.statistics({ prompts: 2, context: 10, seed: 1 });
 *   assert.equal(backend.name, "webgpu");
 *   assert.equal(stats.prompts, 2);
 *   backend.dispose();
 * }
 * ```
 */
export class WebGpuBackend implements Backend {
  readonly name = "webgpu" as const;
  readonly precision = "float32" as const;
  /** @ignore The device context (pipeline cache, buffer pool); internal, used by the tests. */
  readonly gpu: GpuContext;

  private constructor(gpu: GpuContext) {
    this.gpu = gpu;
  }

  /** Acquires an adapter and device; throws an Error when there is no adapter. */
  static async create(options: BackendOptions = {}): Promise<WebGpuBackend> {
    const adapter = await requestAdapter(options.powerPreference);
    if (adapter === null) throw new Error(`webgpu backend requested but ${NO_ADAPTER_MESSAGE}`);
    return new WebGpuBackend(await GpuContext.create(options));
  }

  get adapter(): string {
    return this.gpu.adapterDescription;
  }

  /**
   * Raw Philox4x32-10 blocks and their Box-Muller normals for explicit counters
   * (4 u32 each) under a seed, computed by the WGSL of the kernels (for tests).
   */
  philox(
    seed: number,
    counters: Uint32Array,
  ): Promise<{ bits: Uint32Array; normals: Float32Array }> {
    if (counters.length % 4 !== 0 || counters.length === 0) {
      throw new RangeError(
        `counters must have a positive multiple of 4 entries, got ${counters.length}`,
      );
    }
    const count = counters.length / 4;
    return this.gpu.run(async (scope) => {
      const pipeline = await this.gpu.pipeline(PHILOX_BITS_KERNEL_WGSL, "philoxBits");
      const input = scope.upload(Uint32Array.from(counters), "counters");
      const bits = scope.storage(count * 16, "bits");
      const normals = scope.storage(count * 16, "normals");
      const params = scope.uniform(
        new Uint32Array([seed % 4294967296 >>> 0, Math.floor(seed / 4294967296) >>> 0, count, 0])
          .buffer,
      );
      const encoder = this.gpu.device.createCommandEncoder();
      for (let base = 0; base < count; base += 64 * 65535) {
        if (base > 0) throw new RangeError(`counters must hold at most ${64 * 65535} blocks`);
        scope.dispatch(encoder, pipeline, [params, input, bits, normals], Math.ceil(count / 64));
      }
      this.gpu.device.queue.submit([encoder.finish()]);
      const b = Uint32Array.from(await scope.readU32(bits, count * 4));
      const z = await scope.readF32(normals, count * 4);
      return { bits: b, normals: z };
    });
  }

  statistics(options: SampleOptions): Promise<PromptStatistics> {
    return attempt(() => this.#statistics(options));
  }

  /**
   * Statistics with the sample's sampler, resolved as on the CPU (`resolveSampler`: `auto` is the
   * exact sampler for d + 2 <= L < Infinity): `wishart` draws them in the kernels of
   * `wishart_kernels.ts` from the CPU's streams, `tokens` samples and reduces every token;
   * L = Infinity gives the exact task moments.
   */
  async #statistics(options: SampleOptions): Promise<PromptStatistics> {
    const sample = resolveGpuSample(options, true);
    const tasks = sampleTaskBatch(sample);
    if (sample.sampler === "wishart") {
      const drawn = await sampleWishartStatisticsGpu(this.gpu, sample, tasks, [sample.context]);
      return drawn.statistics[0];
    }
    const d = tasks.task.dim;
    const N = sample.prompts;
    return this.gpu.run(async (scope) => {
      const encoder = this.gpu.device.createCommandEncoder();
      let sigma: Float32Array, mu: Float32Array, moments: Float32Array;
      let query: Float32Array, queryLabel: Float32Array;
      if (sample.context === Infinity) {
        const q = await encodeQuery(scope, encoder, sample, tasks);
        this.gpu.device.queue.submit([encoder.finish()]);
        ({ sigmaHat: sigma, muHat: mu, moments } = exactMoments(tasks));
        query = await scope.readF32(q.query, N * d);
        queryLabel = await scope.readF32(q.queryLabel, N);
      } else {
        const b = await encodeStatistics(scope, encoder, sample, tasks);
        this.gpu.device.queue.submit([encoder.finish()]);
        sigma = await scope.readF32(b.sigmaHat, N * d * d);
        mu = await scope.readF32(b.muHat, N * d);
        moments = await scope.readF32(b.moments, N * 2);
        query = await scope.readF32(b.query, N * d);
        queryLabel = await scope.readF32(b.queryLabel, N);
      }
      const meanY = new Float64Array(N), meanY2 = new Float64Array(N);
      for (let n = 0; n < N; n++) {
        meanY[n] = moments[2 * n];
        meanY2[n] = moments[2 * n + 1];
      }
      return {
        ...tasks,
        context: sample.context,
        sigmaHat: Float64Array.from(sigma),
        muHat: Float64Array.from(mu),
        meanY,
        meanY2,
        query: Float64Array.from(query),
        queryLabel: Float64Array.from(queryLabel),
      };
    });
  }

  /**
   * Runs one command buffer: `encode` records a pass (validating its inputs first) that returns
   * its buffer of `prompts()` float32 predictions, which come back as float64.
   */
  #predict(
    prompts: () => number,
    encode: (scope: GpuScope, encoder: GPUCommandEncoder) => Promise<GPUBuffer>,
  ): Promise<Float64Array> {
    return this.gpu.run(async (scope) => {
      const encoder = this.gpu.device.createCommandEncoder();
      const out = await encode(scope, encoder);
      this.gpu.device.queue.submit([encoder.finish()]);
      return Float64Array.from(await scope.readF32(out, prompts()));
    });
  }

  lcaForward(
    options: SampleOptions,
    params: LcaParameters,
    forward: LcaForwardOptions = {},
  ): Promise<Float64Array> {
    return attempt(() => this.#lcaForward(options, params, forward));
  }

  #lcaForward(
    options: SampleOptions,
    params: LcaParameters,
    forward: LcaForwardOptions,
  ): Promise<Float64Array> {
    validateLayerParameters(params);
    const sample = resolveGpuSample(options, false);
    const tasks = sampleTaskBatch(sample);
    const schedule = tiedSchedule(params.alpha, params.depth, params.beta);
    return this.#predict(
      () => sample.prompts,
      (scope, encoder) => encodeScheduleForward(scope, encoder, sample, tasks, schedule, forward),
    );
  }

  lsaForward(options: SampleOptions, params: LsaParameters): Promise<Float64Array> {
    return attempt(() => this.#lsaForward(options, params));
  }

  #lsaForward(options: SampleOptions, params: LsaParameters): Promise<Float64Array> {
    const sample = resolveGpuSample(options, false);
    validateLsaParameters(params, sample.task.dim);
    const tasks = sampleTaskBatch(sample);
    return this.#predict(
      () => sample.prompts,
      (scope, encoder) => encodeLsaForward(scope, encoder, sample, tasks, params),
    );
  }

  scheduleForward(options: SampleOptions, params: ScheduleParameters): Promise<Float64Array> {
    return attempt(() => {
      validateScheduleParameters(params);
      const sample = resolveGpuSample(options, false);
      const tasks = sampleTaskBatch(sample);
      return this.#predict(
        () => sample.prompts,
        (scope, encoder) => encodeScheduleForward(scope, encoder, sample, tasks, params),
      );
    });
  }

  /**
   * Softmax cross-attention (`softmax_kernels.ts`), in prompt chunks whose tokens fit one
   * storage binding (one prompt's L (d + 1) floats at most the device's binding limit).
   */
  softmaxForward(options: SampleOptions, params: SoftmaxParameters): Promise<Float64Array> {
    return attempt(async () => {
      validateSoftmaxParameters(params);
      const sample = resolveGpuSample(options, false);
      const N = sample.prompts;
      const per = softmaxChunkPrompts(N, sample.context, sample.task.dim, this.gpu.maxBinding);
      const out = new Float64Array(N);
      for (let start = 0; start < N; start += per) {
        const prompts = Math.min(per, N - start);
        const part = resolveGpuSample(
          { ...options, prompts, promptOffset: sample.promptOffset + start },
          false,
        );
        const tasks = sampleTaskBatch(part);
        out.set(
          await this.gpu.run(async (scope) => {
            const encoder = this.gpu.device.createCommandEncoder();
            const y = await encodeSoftmaxForward(scope, encoder, part, tasks, params);
            this.gpu.device.queue.submit([encoder.finish()]);
            return await scope.readF32(y, prompts);
          }),
          start,
        );
      }
      return out;
    });
  }

  /**
   * Softmax trainer (`softmax_train_kernels.ts`): the tokens stay on the device; at most 65535
   * prompts, and the trace (2 T N L floats) within one storage binding.
   */
  softmaxTrainer(options: SampleOptions, target: ArrayLike<number>): Promise<SoftmaxTrainer> {
    return attempt(() => {
      const sample = resolveGpuSample(options, false);
      return createSoftmaxTrainer(this.gpu, sample, sampleTaskBatch(sample), target);
    });
  }

  /** The closed form on statistics in float32: the statistics are uploaded rounded to float32. */
  scheduleStatisticsForward(
    stats: PromptStatistics,
    params: ScheduleParameters,
  ): Promise<Float64Array> {
    return attempt(() =>
      this.#predict(
        () => stats.prompts,
        (scope, encoder) => encodeScheduleStatistics(scope, encoder, stats, params),
      )
    );
  }

  lsaStatisticsForward(stats: PromptStatistics, params: LsaParameters): Promise<Float64Array> {
    return attempt(() =>
      this.#predict(
        () => stats.prompts,
        (scope, encoder) => encodeLsaStatistics(scope, encoder, stats, params),
      )
    );
  }

  /**
   * Deep LSA: the statistics are sampled and reduced on the GPU; the O(T d^3)
   * per-prompt layer recursion (`deepLsaPredict`, exact by associativity) runs on
   * the host in float64 on those float32 statistics.
   */
  async deepLsaForward(options: SampleOptions, params: DeepLsaParameters): Promise<Float64Array> {
    validateLayerParameters(params);
    resolveGpuSample(options, false);
    return deepLsaPredict(await this.statistics(options), params);
  }

  async lcaTrainer(stats: PromptStatistics, target: ArrayLike<number>): Promise<LcaTrainer> {
    const N = stats.prompts;
    const d = stats.task.dim;
    requireLength("target", target, N);
    requireLength("stats.sigmaHat", stats.sigmaHat, N * d * d);
    requireLength("stats.muHat", stats.muHat, N * d);
    requireLength("stats.query", stats.query, N * d);
    const gpu = this.gpu;
    gpu.ensureAlive();
    const pipeline = await gpu.pipeline(lcaLossKernelWgsl(d), `lcaLoss(d=${d})`);
    const keep = new GpuScope(gpu);
    let sigma: GPUBuffer, mu: GPUBuffer, query: GPUBuffer, tgt: GPUBuffer;
    let scratch: GPUBuffer, terms: GPUBuffer;
    try {
      sigma = keep.upload(Float32Array.from(stats.sigmaHat), "sigmaHat");
      mu = keep.upload(Float32Array.from(stats.muHat), "muHat");
      query = keep.upload(Float32Array.from(stats.query), "query");
      tgt = keep.upload(Float32Array.from(target), "target");
      scratch = keep.storage(N * d * 16, "trainScratch"); // 2 buffers x vec2 per row
      terms = keep.storage(N * 16, "lossTerms");
    } catch (error) {
      keep.releaseAll();
      throw error;
    }
    const groups = Math.ceil(N / trainPromptsPerGroup(d));
    let disposed = false;
    return {
      prompts: N,
      lossAndGradient: (params: LcaParameters) => {
        try {
          validateLayerParameters(params);
        } catch (error) {
          return Promise.reject(error);
        }
        if (disposed) return Promise.reject(new Error("the LCA trainer was disposed"));
        return gpu.run(async (scope) => {
          const encoder = gpu.device.createCommandEncoder();
          const step = layersPerDispatch(d);
          for (let first = 0; first < params.depth; first += step) {
            const layers = {
              alpha: params.alpha,
              beta: params.beta,
              flag: first,
              count: Math.min(step, params.depth - first),
              chunks: params.depth,
              prompts: N,
            };
            const buffers = [sigma, mu, query, tgt, scratch, terms];
            dispatchPromptBlocks(scope, encoder, pipeline, groups, layers, buffers);
          }
          gpu.device.queue.submit([encoder.finish()]);
          const t = await scope.readF32(terms, N * 4);
          let loss = 0, ga = 0, gb = 0;
          for (let n = 0; n < N; n++) {
            loss += t[4 * n];
            ga += t[4 * n + 1];
            gb += t[4 * n + 2];
          }
          return { loss: loss / N, alpha: ga / N, beta: gb / N };
        });
      },
      dispose: () => {
        if (disposed) return;
        disposed = true;
        keep.releaseAll();
      },
    };
  }

  dispose(): void {
    this.gpu.dispose();
  }
}
