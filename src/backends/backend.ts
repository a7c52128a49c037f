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
 * `createBackend("auto")` picks WebGPU when a hardware adapter exists (never a
 * software rasteriser such as llvmpipe). Asking for
 * `webgpu` without an adapter throws; there is never a silent CPU fallback.
 * Nothing here touches `navigator.gpu` at import time.
 *
 * @module
 */

import { requireChoice, requireKnownKeys } from "../validation/errors.ts";
import type { LossAndGradient } from "../model/losses.ts";
import type { DeepLsaParameters, LcaParameters, LsaParameters } from "../model/models.ts";
import type { PromptStatistics } from "../model/prompt_statistics.ts";
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
/** A backend name, or `auto` (WebGPU on a hardware adapter, else CPU). */
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

/** A backend with the reason it was chosen. */
export interface BackendSelection {
  /** The backend. */
  backend: Backend;
  /** What was asked for: cpu, webgpu or auto. */
  requested: BackendKind;
  /** Why this backend runs, in one sentence. */
  reason: string;
}

/** Adapter descriptions of software rasterisers, which `auto` never picks. */
const SOFTWARE_ADAPTER = /llvmpipe|lavapipe|swiftshader|softpipe|warp|basic render/i;

/** Whether an adapter is a software (fallback) adapter: flagged so, or named like a software rasteriser. */
export function isSoftwareAdapter(
  info: { description?: string; vendor?: string; architecture?: string; device?: string },
  isFallbackAdapter = false,
): boolean {
  const text = [info.description, info.vendor, info.architecture, info.device]
    .filter((s) => s).join(" ");
  return isFallbackAdapter || SOFTWARE_ADAPTER.test(text);
}

/**
 * Chooses and creates a backend, and says why. `auto` picks WebGPU only on a
 * hardware adapter: never a fallback adapter (`isFallbackAdapter`) nor one whose
 * description names llvmpipe, lavapipe or SwiftShader (software rasterisers run
 * the kernels about 12x slower than the CPU reference).
 */
export async function selectBackend(
  kind: BackendKind = "auto",
  options: BackendOptions = {},
): Promise<BackendSelection> {
  requireChoice("backend", kind, BACKEND_KINDS);
  requireKnownKeys("options", options, ["powerPreference", "cpuChunkElements"]);
  if (kind === "cpu") {
    return { backend: new CpuBackend(options), requested: kind, reason: "cpu asked for" };
  }
  if (kind === "auto") {
    const adapter = await requestAdapter(options.powerPreference).catch(() => null);
    if (adapter === null) {
      return {
        backend: new CpuBackend(options),
        requested: kind,
        reason: "auto: no WebGPU adapter, so the float64 CPU reference",
      };
    }
    const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
    const fallback = info.isFallbackAdapter ??
      (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter ?? false;
    if (isSoftwareAdapter(info, fallback)) {
      const name = info.description || [info.vendor, info.architecture, info.device]
        .filter((s) => s).join(" ") ||
        "unknown";
      return {
        backend: new CpuBackend(options),
        requested: kind,
        reason: `auto: the only WebGPU adapter is a software rasteriser (${name}${
          fallback ? ", isFallbackAdapter" : ""
        }), slower than the CPU, so the float64 CPU reference`,
      };
    }
    const backend = await WebGpuBackend.create(options);
    return {
      backend,
      requested: kind,
      reason: `auto: hardware WebGPU adapter ${backend.adapter}`,
    };
  }
  return {
    backend: await WebGpuBackend.create(options),
    requested: kind,
    reason: "webgpu asked for",
  };
}

/**
 * Creates a backend: `cpu`, `webgpu` (throws an Error when no adapter exists),
 * or `auto` (WebGPU on a hardware adapter, else CPU; see {@linkcode selectBackend}).
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
  return (await selectBackend(kind, options)).backend;
}
