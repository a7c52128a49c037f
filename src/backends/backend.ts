/**
 * Compute backends: one interface, two implementations.
 *
 * - `cpu`: the float64 reference, wrapping the functions of `statistics.ts`,
 *   `predictors.ts` and `losses.ts` (token-level passes in prompt chunks so memory
 *   stays bounded);
 * - `webgpu`: float32 kernels (`./webgpu/`) that sample the prompts inside the
 *   kernels from the same Philox counter stream, so both backends see the same
 *   prompts for the same seed and stream, up to float32 rounding.
 *
 * `createBackend("auto")` picks WebGPU when an adapter exists. Asking for
 * `webgpu` without an adapter throws; there is never a silent CPU fallback.
 * Nothing here touches `navigator.gpu` at import time.
 *
 * @module
 */

import { requireChoice } from "../validation/errors.ts";
import type { LossAndGradient } from "../model/losses.ts";
import type { DeepLsaParameters, LcaParameters, LsaParameters } from "../model/models.ts";
import type { PromptStatistics } from "../model/statistics.ts";
import type { SampleOptions } from "../model/task.ts";
import { CpuBackend } from "./cpu/cpu_backend.ts";
import { requestAdapter } from "./webgpu/context.ts";
import { WebGpuBackend } from "./webgpu/webgpu_backend.ts";

/**
 * Names of the backends.
 *
 * @example Backend names
 * ```ts
 * import { BACKEND_KINDS } from "./backend.ts";
 * console.log(BACKEND_KINDS); // ["cpu", "webgpu", "auto"]
 * ```
 */
export const BACKEND_KINDS = ["cpu", "webgpu", "auto"] as const;
/** A backend name, or `auto` (WebGPU when an adapter exists, else CPU). */
export type BackendKind = typeof BACKEND_KINDS[number];

/** Options of {@linkcode createBackend}. */
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
  /** Keeps a batch of statistics (and targets) for repeated LCA loss/gradient evaluations. */
  lcaTrainer(stats: PromptStatistics, target: ArrayLike<number>): Promise<LcaTrainer>;
  /** Releases the device. Idempotent. */
  dispose(): void;
}

/**
 * True when a WebGPU adapter can be obtained (requests one; does not keep it).
 *
 * @example Is there a WebGPU adapter?
 * ```ts
 * import { webGpuAvailable } from "./backend.ts";
 * console.log(await webGpuAvailable());
 * ```
 */
export async function webGpuAvailable(): Promise<boolean> {
  try {
    return (await requestAdapter()) !== null;
  } catch {
    return false;
  }
}

/**
 * Creates a backend: `cpu`, `webgpu` (throws an Error when no adapter exists),
 * or `auto` (WebGPU when an adapter exists, else CPU).
 *
 * @example
 * ```ts
 * import { createBackend } from "./backend.ts";
 * const backend = await createBackend("cpu");
 * const stats = await backend.statistics({ prompts: 2, context: 10, seed: 1 });
 * backend.dispose();
 * ```
 */
export async function createBackend(
  kind: BackendKind = "auto",
  options: BackendOptions = {},
): Promise<Backend> {
  requireChoice("backend", kind, BACKEND_KINDS);
  if (kind === "cpu") return new CpuBackend(options);
  if (kind === "auto") {
    const adapter = await requestAdapter(options.powerPreference).catch(() => null);
    if (adapter === null) return new CpuBackend(options);
  }
  return await WebGpuBackend.create(options);
}
