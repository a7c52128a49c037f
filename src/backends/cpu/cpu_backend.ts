/**
 * The float64 CPU reference backend: wraps the functions of `model/prompt_statistics.ts`,
 * `model/predictors.ts`, `model/schedule_models.ts`, `model/softmax_models.ts` and `model/losses.ts` (token-level passes
 * in prompt chunks so memory stays bounded).
 *
 * @module
 */

import { requireLength, requirePositiveInteger } from "../../validation/errors.ts";
import { lcaSpectralLoss } from "../../model/losses.ts";
import {
  type DeepLsaParameters,
  type LcaParameters,
  type LsaParameters,
  validateLayerParameters,
  validateLsaParameters,
} from "../../model/models.ts";
import { deepLsaPredict, lsaPredict } from "../../model/predictors.ts";
import { lcaTokenPredict, lsaTokenPredict } from "../../model/token_predictors.ts";
import {
  type ScheduleParameters,
  schedulePredict,
  scheduleTokenPredict,
  validateScheduleParameters,
} from "../../model/schedule_models.ts";
import {
  type SoftmaxParameters,
  softmaxTokenPredict,
  validateSoftmaxParameters,
} from "../../model/softmax_models.ts";
import type {
  PromptBatch,
  PromptStatistics,
  ResolvedSample,
  SampleOptions,
} from "../../model/model_types.ts";
import { samplePromptStatistics, spectralStatistics } from "../../model/prompt_statistics.ts";
import { resolveSample, samplePromptBatch } from "../../model/task.ts";
import { softmaxLoss } from "../../model/softmax_loss.ts";
import type {
  Backend,
  BackendOptions,
  LcaForwardOptions,
  LcaTrainer,
  SoftmaxTrainer,
} from "../backend.ts";
import { attempt } from "../attempt.ts";

/**
 * A CPU token-level pass in prompt chunks of about `elements` covariates each (so memory stays
 * bounded): `predict` on each chunk's prompt batch, the predictions put together in order.
 */
function predictInChunks(
  sample: ResolvedSample,
  options: SampleOptions,
  elements: number,
  predict: (batch: PromptBatch) => Float64Array,
): Float64Array {
  const out = new Float64Array(sample.prompts);
  const per = Math.max(1, Math.floor(elements / (sample.context * sample.task.dim)));
  for (let start = 0; start < sample.prompts; start += per) {
    const prompts = Math.min(per, sample.prompts - start);
    const chunk = { ...options, prompts, promptOffset: sample.promptOffset + start };
    out.set(predict(samplePromptBatch(chunk)), start);
  }
  return out;
}

/**
 * The float64 CPU reference backend.
 *
 * @example The float64 reference backend
 * ```ts
 * import assert from "node:assert/strict";
 * import { CpuBackend } from "./cpu_backend.ts";
 * const backend = new CpuBackend();
 * const stats = await backend.statistics({ prompts: 2, context: 10, seed: 1 });
 * assert.equal(stats.prompts, 2);
 * assert.equal(stats.sigmaHat.length, 2 * 4 * 4); // one 4 x 4 Sigma_hat per prompt (d = 4)
 * backend.dispose();
 * ```
 */
export class CpuBackend implements Backend {
  readonly name = "cpu" as const;
  readonly adapter = "CPU (float64)";
  readonly precision = "float64" as const;
  readonly #chunk: number;

  /** Creates the CPU backend. */
  constructor(options: BackendOptions = {}) {
    this.#chunk = requirePositiveInteger("cpuChunkElements", options.cpuChunkElements ?? 2 ** 22);
  }

  statistics(options: SampleOptions): Promise<PromptStatistics> {
    return attempt(() => samplePromptStatistics(options));
  }

  lcaForward(
    options: SampleOptions,
    params: LcaParameters,
    forward: LcaForwardOptions = {},
  ): Promise<Float64Array> {
    return attempt(() => {
      validateLayerParameters(params);
      const sample = resolveSample(options, false);
      return predictInChunks(
        sample,
        options,
        this.#chunk,
        (batch) => lcaTokenPredict(batch, params, forward),
      );
    });
  }

  lsaForward(options: SampleOptions, params: LsaParameters): Promise<Float64Array> {
    return attempt(() => {
      const sample = resolveSample(options, false);
      validateLsaParameters(params, sample.task.dim);
      return predictInChunks(
        sample,
        options,
        this.#chunk,
        (batch) => lsaTokenPredict(batch, params),
      );
    });
  }

  deepLsaForward(options: SampleOptions, params: DeepLsaParameters): Promise<Float64Array> {
    return attempt(() => {
      validateLayerParameters(params);
      resolveSample(options, false);
      return deepLsaPredict(samplePromptStatistics(options), params);
    });
  }

  scheduleForward(options: SampleOptions, params: ScheduleParameters): Promise<Float64Array> {
    return attempt(() => {
      validateScheduleParameters(params);
      const sample = resolveSample(options, false);
      return predictInChunks(
        sample,
        options,
        this.#chunk,
        (batch) => scheduleTokenPredict(batch, params),
      );
    });
  }

  scheduleStatisticsForward(
    stats: PromptStatistics,
    params: ScheduleParameters,
  ): Promise<Float64Array> {
    return attempt(() => schedulePredict(stats, params));
  }

  lsaStatisticsForward(stats: PromptStatistics, params: LsaParameters): Promise<Float64Array> {
    return attempt(() => lsaPredict(stats, params));
  }

  softmaxForward(options: SampleOptions, params: SoftmaxParameters): Promise<Float64Array> {
    return attempt(() => {
      validateSoftmaxParameters(params);
      const sample = resolveSample(options, false);
      return predictInChunks(
        sample,
        options,
        this.#chunk,
        (batch) => softmaxTokenPredict(batch, params),
      );
    });
  }

  softmaxTrainer(options: SampleOptions, target: ArrayLike<number>): Promise<SoftmaxTrainer> {
    return attempt(() => {
      const batch = samplePromptBatch(options);
      requireLength("target", target, batch.prompts);
      const copy = Float64Array.from(target);
      return {
        prompts: batch.prompts,
        lossAndGradient: (params: SoftmaxParameters) =>
          attempt(() => softmaxLoss(batch, copy, params)),
        dispose: () => {},
      };
    });
  }

  lcaTrainer(stats: PromptStatistics, target: ArrayLike<number>): Promise<LcaTrainer> {
    return attempt(() => {
      requireLength("target", target, stats.prompts);
      const spectral = spectralStatistics(stats);
      const copy = Float64Array.from(target);
      return {
        prompts: stats.prompts,
        lossAndGradient: (params: LcaParameters) =>
          attempt(() => lcaSpectralLoss(spectral, copy, validateLayerParameters(params))),
        dispose: () => {},
      };
    });
  }

  dispose(): void {}
}
