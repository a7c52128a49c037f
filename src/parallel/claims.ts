/**
 * Claims in Web Workers: each claim runs in a worker of the pool (`pool.ts`), which
 * imports the claims registry and runs the claim by id. The results come back in the
 * order of `ids` and are identical (apart from `seconds`) for any number of workers,
 * because every claim derives all its randomness from the seed in its options.
 *
 * @module
 */

import { CLAIMS, selectClaims } from "../claims/claims.ts";
import type { CheckSize, ClaimResult } from "../claims/result.ts";
import type { BackendKind } from "../backends/backend.ts";
import { defaultJobs, mapInWorkers } from "./pool.ts";

/** Options of one claim job (structured-clone values only). */
export interface ClaimJobOptions {
  /** quick (default) or full. */
  size?: CheckSize;
  /** Seed for fast-check and every sampled batch (default 0). */
  seed?: number;
  /** Replay paths for properties, keyed by part name. */
  paths?: Record<string, string>;
  /** Backend each worker creates for the Monte Carlo parts (default `cpu`). */
  backend?: BackendKind;
}

/** Options of {@linkcode runClaimsInWorkers}. */
export interface RunClaimsOptions extends ClaimJobOptions {
  /** Progress lines of each claim, with its id. */
  onProgress?: (id: string, message: string) => void;
  /** Called with each claim's result as soon as it is known (completion order). */
  onResult?: (result: ClaimResult) => void;
}

/**
 * Measured full-size seconds per claim (one core), used only to start the longest
 * claims first; it changes the schedule, never the results.
 */
const COST_HINT: Record<string, number> = {
  C1: 10,
  C2: 3,
  C3: 1,
  C4: 1,
  C5: 5,
  C6: 0.2,
  C7: 1,
  C8: 4,
  C9: 4,
  C10: 6,
};

/**
 * Runs the claims `ids` (default: all, in registry order) in `jobs` workers (default:
 * the number of cores; 1 runs in-process) and returns their results in the order of
 * `ids`.
 *
 * @example
 * ```ts
 * import { runClaimsInWorkers } from "./claims.ts";
 * const results = await runClaimsInWorkers(["C3", "C6"], { size: "quick", seed: 0 }, 2);
 * results.map((r) => r.passed); // [true, true]
 * ```
 */
export async function runClaimsInWorkers(
  ids: readonly string[] | undefined,
  options: RunClaimsOptions = {},
  jobs: number = defaultJobs(),
): Promise<ClaimResult[]> {
  const claims = ids === undefined ? [...CLAIMS] : selectClaims(ids);
  const order = claims.map((_, i) => i).sort((a, b) =>
    (COST_HINT[claims[b].id] ?? 1) - (COST_HINT[claims[a].id] ?? 1) || a - b
  );
  const job: ClaimJobOptions = {
    size: options.size,
    seed: options.seed,
    paths: options.paths,
    backend: options.backend,
  };
  const module = new URL("./_claim_job.ts", import.meta.url).href;
  const scheduled = await mapInWorkers<ClaimResult>(
    order.map((i) => ({ module, name: "runClaimById", args: [claims[i].id, job] })),
    {
      jobs,
      onProgress: (k, message) => options.onProgress?.(claims[order[k]].id, message),
      onResult: (_, value) => options.onResult?.(value as ClaimResult),
    },
  );
  const results: ClaimResult[] = new Array(claims.length);
  order.forEach((i, k) => (results[i] = scheduled[k]));
  return results;
}
