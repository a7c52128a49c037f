/**
 * The compute backend interface: what every backend offers (sampling statistics,
 * forward passes, the LCA and softmax trainers) and its options. Types only: the implementations
 * are `cpu/cpu_backend.ts` (the float64 reference) and `webgpu/webgpu_backend.ts`
 * (float32 kernels that sample the prompts from the same Philox counter stream), and
 * `create_backend.ts` chooses one.
 *
 * @module
 */

import type { LossAndGradient } from "../model/losses.ts";
import type { DeepLsaParameters, LcaParameters, LsaParameters } from "../model/models.ts";
import type { PromptStatistics, SampleOptions } from "../model/model_types.ts";
import type { ScheduleParameters } from "../model/schedule_models.ts";
import type { SoftmaxParameters } from "../model/softmax_models.ts";
import type { SoftmaxLossAndGradient } from "../model/softmax_loss.ts";

/** A backend name, or `auto` (WebGPU on a hardware adapter, else CPU). */
export type BackendKind = "cpu" | "webgpu" | "auto";

/** Options of `createBackend` (`create_backend.ts`) and of the backends' constructors. */
export interface BackendOptions {
  /** WebGPU adapter power preference (default: the implementation's choice). */
  powerPreference?: GPUPowerPreference;
  /**
   * CPU token-level passes store at most this many covariate numbers at a time
   * (prompt chunks; default 2^22).
   */
  cpuChunkElements?: number;
}

/** Options of the LCA forward pass. */
export interface LcaForwardOptions {
  /** The ablation: drop W_S S_t and start from q_0 = x_q (default false). */
  withoutSkipStream?: boolean;
}

/** Loss and gradient of the LCA on a fixed batch of statistics (kept on the device). */
export interface LcaTrainer {
  /** Number of prompts N. */
  readonly prompts: number;
  /** l = (1/N) sum_n (y_hat_n - target_n)^2 and its exact gradient in (alpha, beta). */
  lossAndGradient(params: LcaParameters): Promise<LossAndGradient>;
  /** Releases the device buffers. Idempotent. */
  dispose(): void;
}

/** Loss and gradient of softmax cross-attention on a fixed batch of prompts (token level). */
export interface SoftmaxTrainer {
  /** Number of prompts N. */
  readonly prompts: number;
  /**
   * l = (1/N) sum_n (y_hat_n - target_n)^2 and its exact gradient in every layer's alpha_t,
   * beta_t and tau_t (`softmaxLoss` of `model/softmax_loss.ts`).
   */
  lossAndGradient(params: SoftmaxParameters): Promise<SoftmaxLossAndGradient>;
  /** Releases the device buffers. Idempotent. */
  dispose(): void;
}

/** A compute backend. Every method validates its inputs (TypeError / RangeError naming the parameter). */
export interface Backend {
  /** `cpu` or `webgpu`. */
  readonly name: "cpu" | "webgpu";
  /** Description of the device, e.g. "llvmpipe (LLVM 15.0.6, 256 bits)" or "CPU (float64)". */
  readonly adapter: string;
  /** Arithmetic of the backend. */
  readonly precision: "float64" | "float32";
  /** Samples prompts and reduces them to sufficient statistics (`samplePromptStatistics`). */
  statistics(options: SampleOptions): Promise<PromptStatistics>;
  /** Token-level T-layer LCA predictions y_hat_n for the prompts of `options`. */
  lcaForward(
    options: SampleOptions,
    params: LcaParameters,
    forward?: LcaForwardOptions,
  ): Promise<Float64Array>;
  /** Full single-layer LSA predictions p^T G K x_q (token level). */
  lsaForward(options: SampleOptions, params: LsaParameters): Promise<Float64Array>;
  /** Deep (two-parameter) LSA predictions (sampled statistics + the layer recursion). */
  deepLsaForward(options: SampleOptions, params: DeepLsaParameters): Promise<Float64Array>;
  /**
   * Token-level predictions of the T-layer LCA with per-layer steps (alpha_t, beta_t)
   * (`scheduleTokenPredict` of `model/schedule_models.ts`) for the prompts of `options`: every
   * layer attends over the context tokens, q_{t+1} = q_t + alpha_t x_q + beta_t A_t.
   */
  scheduleForward(options: SampleOptions, params: ScheduleParameters): Promise<Float64Array>;
  /**
   * Predictions of the schedule models in closed form on given statistics (`schedulePredict`):
   * q_{t+1} = q_t + alpha_t x_q + beta_t Sigma_hat q_t from q_0 = 0, y_hat = q_T^T mu_hat.
   */
  scheduleStatisticsForward(
    stats: PromptStatistics,
    params: ScheduleParameters,
  ): Promise<Float64Array>;
  /**
   * Full single-layer LSA on given statistics (`lsaPredict` of `model/predictors.ts`):
   * y_hat = p^T G K x_q with G = [[Sigma_hat, mu_hat], [mu_hat^T, meanY2]] (reduced LSA
   * x_q^T Gamma mu_hat is p = e_{d+1}, K = [Gamma^T; 0]).
   */
  lsaStatisticsForward(stats: PromptStatistics, params: LsaParameters): Promise<Float64Array>;
  /**
   * Token-level predictions of softmax cross-attention (`softmaxTokenPredict` of
   * `model/softmax_models.ts`) for the prompts of `options`: per layer the query attends over
   * the context tokens with softmax weights at temperature tau_t, q_{t+1} = q_t + alpha_t x_q +
   * (beta_t / tau_t) (A_t - [centred] x_bar), y_hat = q_T^T mu_hat.
   */
  softmaxForward(options: SampleOptions, params: SoftmaxParameters): Promise<Float64Array>;
  /** Keeps the prompts of `options` (their tokens) for repeated softmax loss/gradient evaluations. */
  softmaxTrainer(options: SampleOptions, target: ArrayLike<number>): Promise<SoftmaxTrainer>;
  /** Keeps a batch of statistics (and targets) for repeated LCA loss/gradient evaluations. */
  lcaTrainer(stats: PromptStatistics, target: ArrayLike<number>): Promise<LcaTrainer>;
  /** Releases the device. Idempotent. */
  dispose(): void;
}
