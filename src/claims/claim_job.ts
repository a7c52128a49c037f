/**
 * The worker side of {@linkcode runClaimsInWorkers} (`parallel.ts`): runs one claim
 * by id, from the built-in registry or from a claims module, with structured-clone
 * options, on a backend created inside the worker.
 *
 * @module
 */

import { ALL_CLAIMS, type AnyClaim, loadClaimsModule, selectClaims } from "./claims.ts";
import type { ClaimResult } from "./claim_result.ts";
import type { BackendKind } from "../backends/backend.ts";
import { createBackend } from "../backends/create_backend.ts";
import { reportProgress } from "../parallel/worker_progress.ts";
import type { ClaimJobOptions } from "./parallel.ts";

/** Runs claim `id` (the registry's `check`) and returns its result. */
export async function runClaimById(id: string, options: ClaimJobOptions): Promise<ClaimResult> {
  const registry: readonly AnyClaim[] = options.moduleUrl === undefined
    ? ALL_CLAIMS
    : await loadClaimsModule(options.moduleUrl);
  const [claim] = selectClaims([id], registry);
  const kind: BackendKind = options.backend ?? "cpu";
  const backend = kind === "cpu" ? undefined : await createBackend(kind);
  try {
    return await claim.check({
      size: options.size,
      seed: options.seed,
      paths: options.paths,
      backend,
      claimsModule: options.claimsModule,
      onProgress: reportProgress,
    });
  } finally {
    backend?.dispose();
  }
}
