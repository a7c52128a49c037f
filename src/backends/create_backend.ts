/**
 * Backend selection: `cpu`, `webgpu` or `auto`.
 *
 * - `cpu`: the float64 reference (`cpu/cpu_backend.ts`), wrapping the functions of
 *   `prompt_statistics.ts`, `predictors.ts` and `losses.ts` (token-level passes in
 *   prompt chunks so memory stays bounded);
 * - `webgpu`: float32 kernels (`./webgpu/`) that sample the prompts inside the
 *   kernels from the same Philox counter stream, so both backends see the same
 *   prompts for the same seed and stream, up to float32 rounding.
 *
 * `createBackend("auto")` picks WebGPU when a hardware adapter exists (never a
 * software rasteriser such as llvmpipe). Asking for
 * `webgpu` without an adapter throws; there is never a silent CPU fallback.
 * The WebGPU backend module is loaded only when it is chosen, and nothing here
 * touches `navigator.gpu` at import time.
 *
 * @module
 */

import { requireChoice, requireKnownKeys } from "../validation/errors.ts";
import type { Backend, BackendKind, BackendOptions } from "./backend.ts";
import { CpuBackend } from "./cpu/cpu_backend.ts";
import { requestAdapter } from "./webgpu/context.ts";

/**
 * Names of the backends.
 *
 * @example Backend names
 * ```ts
 * import assert from "node:assert/strict";
 * import { BACKEND_KINDS } from "./create_backend.ts";
 * assert.deepEqual(BACKEND_KINDS, ["cpu", "webgpu", "auto"]);
 * ```
 */
export const BACKEND_KINDS = ["cpu", "webgpu", "auto"] as const;

/**
 * True when a WebGPU adapter can be obtained (requests one; does not keep it).
 *
 * @example Is there a WebGPU adapter?
 * ```ts
 * import assert from "node:assert/strict";
 * import { webGpuAvailable } from "./create_backend.ts";
 * const available = await webGpuAvailable(); // false, not an error, without an adapter
 * assert.equal(typeof available, "boolean");
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
    const backend = await createWebGpuBackend(options);
    return {
      backend,
      requested: kind,
      reason: `auto: hardware WebGPU adapter ${backend.adapter}`,
    };
  }
  return {
    backend: await createWebGpuBackend(options),
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
 * import assert from "node:assert/strict";
 * import { createBackend } from "./create_backend.ts";
 * const backend = await createBackend("cpu");
 * const stats = await backend.statistics({ prompts: 2, context: 10, seed: 1 });
 * assert.equal(backend.name, "cpu");
 * assert.equal(stats.prompts, 2);
 * backend.dispose();
 * ```
 */
export async function createBackend(
  kind: BackendKind = "auto",
  options: BackendOptions = {},
): Promise<Backend> {
  return (await selectBackend(kind, options)).backend;
}

/** Loads the WebGPU backend module (on first use) and acquires an adapter and device. */
async function createWebGpuBackend(options: BackendOptions): Promise<Backend> {
  const { WebGpuBackend } = await import("./webgpu/webgpu_backend.ts");
  return await WebGpuBackend.create(options);
}
