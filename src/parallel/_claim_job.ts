/**
 * The worker side of {@linkcode runClaimsInWorkers} (`claims.ts`): runs one claim by
 * id with structured-clone options, on a backend created inside the worker.
 *
 * @module
 */

import { selectClaims } from "../claims/claims.ts";
import type { ClaimResult } from "../claims/result.ts";
import { type BackendKind, createBackend } from "../backends/backend.ts";
import { reportProgress } from "./_progress.ts";
import type { ClaimJobOptions } from "./claims.ts";

/** Runs claim `id` (the registry's `check`) and returns its result. */
export async function runClaimById(id: string, options: ClaimJobOptions): Promise<ClaimResult> {
  const [claim] = selectClaims([id]);
  const kind: BackendKind = options.backend ?? "cpu";
  const backend = kind === "cpu" ? undefined : await createBackend(kind);
  try {
    return await claim.check({
      size: options.size,
      seed: options.seed,
      paths: options.paths,
      backend,
      onProgress: reportProgress,
    });
  } finally {
    backend?.dispose();
  }
}
