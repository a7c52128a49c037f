/**
 * The `--backend` flag of the sampling commands: the WebGPU backend when one was
 * chosen (`webgpu`, or `auto` on a hardware adapter), else the float64 CPU
 * reference, with the record of what ran and why.
 *
 * @module
 */

import type { Backend, BackendKind } from "../backends/backend.ts";
import { selectBackend } from "../backends/create_backend.ts";
import type { BackendRecord } from "./record.ts";

/** The backend a command runs on: a WebGPU backend, or undefined for the CPU reference. */
export interface ResolvedBackendFlag {
  /** The WebGPU backend (the caller disposes it); undefined means the CPU reference. */
  backend: Backend | undefined;
  /** What ran, what was asked for, and why. */
  device: BackendRecord;
}

/** Resolves `--backend cpu|webgpu|auto`; a CPU backend that `auto` picked is disposed here. */
export async function resolveBackendFlag(
  requested: BackendKind,
): Promise<ResolvedBackendFlag> {
  const selection = requested === "cpu" ? undefined : await selectBackend(requested);
  const backend = selection?.backend.name === "webgpu" ? selection.backend : undefined;
  if (selection && !backend) selection.backend.dispose();
  const device: BackendRecord = backend
    ? {
      name: backend.name,
      adapter: backend.adapter,
      precision: backend.precision,
      requested,
      reason: selection!.reason,
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
