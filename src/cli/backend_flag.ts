/**
 * The `--backend` flag of the sampling commands: the WebGPU backend when one was
 * chosen (`webgpu`, or `auto` on a hardware adapter), else the float64 CPU
 * reference, with the record of what ran and why. `--backend webgpu` without a
 * WebGPU adapter is a usage error (exit code 2) saying what to install or which
 * flag to change.
 *
 * @module
 */

import type { Backend, BackendKind } from "../backends/backend.ts";
import {
  type BackendSelection,
  selectBackend,
  webGpuAvailable,
} from "../backends/create_backend.ts";
import type { CliIo } from "./io.ts";
import { UsageError } from "./options.ts";
import type { BackendRecord } from "./record.ts";

/** The one-line message of `--backend webgpu` without an adapter. */
export const NO_ADAPTER_USAGE = "--backend webgpu found no WebGPU adapter: install a Vulkan " +
  "driver (e.g. Mesa's llvmpipe: apt install mesa-vulkan-drivers) or a GPU driver, or use " +
  "--backend cpu (the float64 reference) or --backend auto";

/** The backend a command runs on: a WebGPU backend, or undefined for the CPU reference. */
export interface ResolvedBackendFlag {
  /** The WebGPU backend (the caller disposes it); undefined means the CPU reference. */
  backend: Backend | undefined;
  /** What ran, what was asked for, and why. */
  device: BackendRecord;
}

/**
 * Selects the backend of `--backend` (undefined for `cpu`); `webgpu` without an adapter
 * (as `io.hasWebGpuAdapter` reports, default: ask `navigator.gpu`) is a usage error.
 */
export async function selectBackendFlag(
  requested: BackendKind,
  io: Pick<CliIo, "hasWebGpuAdapter">,
): Promise<BackendSelection | undefined> {
  if (requested === "cpu") return undefined;
  if (requested === "webgpu" && !(await (io.hasWebGpuAdapter ?? webGpuAvailable)())) {
    throw new UsageError(NO_ADAPTER_USAGE);
  }
  try {
    return await selectBackend(requested);
  } catch (error) {
    // The adapter went away between the check and the request.
    if (error instanceof Error && /no WebGPU adapter/.test(error.message)) {
      throw new UsageError(NO_ADAPTER_USAGE);
    }
    throw error;
  }
}

/** Resolves `--backend cpu|webgpu|auto`; a CPU backend that `auto` picked is disposed here. */
export async function resolveBackendFlag(
  requested: BackendKind,
  io: Pick<CliIo, "hasWebGpuAdapter"> = {},
): Promise<ResolvedBackendFlag> {
  const selection = await selectBackendFlag(requested, io);
  const backend = selection?.backend.name === "webgpu" ? selection.backend : undefined;
  if (selection && !backend) selection.backend.dispose();
  const device: BackendRecord = backend && selection
    ? {
      name: backend.name,
      adapter: backend.adapter,
      precision: backend.precision,
      requested,
      reason: selection.reason,
    }
    : {
      name: "cpu",
      adapter: "CPU (float64)",
      precision: "float64",
      requested,
      reason: selection?.reason ?? "--backend cpu (the default): the float64 reference",
    };
  return { backend, device };
}
