/**
 * Claims in Web Workers: each claim runs in a worker of the pool
 * (`../parallel/pool.ts`), which imports the claims registry (or the claims
 * module) and runs the claim by id. The results come back in the
 * order of `ids` and are identical (apart from `seconds`) for any number of workers,
 * because every claim derives all its randomness from the seed in its options.
 *
 * @module
 */

import { ALL_CLAIMS, type AnyClaim, selectClaims } from "./claims.ts";
import type { CheckSize, ReplaySpec } from "./claim_part.ts";
import type { ClaimResult } from "./claim_result.ts";
import { replayCall } from "./replay_call.ts";
import type { BackendKind } from "../backends/backend.ts";
import { defaultJobs, mapInWorkers } from "../parallel/pool.ts";

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
  /** The claims module as the user gave it (for replays; default: built-in claims). */
  claimsModule?: string;
  /** The claims module's absolute URL, which each worker imports (default: none). */
  moduleUrl?: string;
}

/** Options of {@linkcode runClaimsInWorkers}. */
export interface RunClaimsOptions extends ClaimJobOptions {
  /** Progress lines of each claim, with its id. */
  onProgress?: (id: string, message: string) => void;
  /** Called with each claim's result as soon as it is known (completion order). */
  onResult?: (result: ClaimResult) => void;
  /**
   * The claims to choose from (default: the built-in claims). With `moduleUrl`, the
   * claims that module exports (each worker imports it again).
   */
  registry?: readonly AnyClaim[];
  /** Formats replays (default the library call); applied to the results in this thread. */
  formatReplay?: (spec: ReplaySpec) => string;
}

/**
 * Seconds per claim measured on one core (`verify --jobs 1 --json`, stop 10), used only to
 * start the longest claims first (longest-processing-time order); it changes the schedule,
 * never the results. Claims not listed (a user's) count 1 s.
 */
const COST_HINT: Record<CheckSize, Record<string, number>> = {
  quick: {
    C1: 1.05,
    C2: 0.12,
    C3: 0.04,
    C4: 0.04,
    C5: 0.12,
    C6: 0.08,
    C7: 0.05,
    C8: 0.24,
    C9: 0.35,
    C10: 0.2,
    C11: 0.7,
    C12: 1.6,
    E1: 0.23,
    E2: 0.13,
    E3: 0.06,
  },
  full: {
    C1: 5.2,
    C2: 2.1,
    C3: 0.29,
    C4: 0.31,
    C5: 0.98,
    C6: 0.45,
    C7: 0.24,
    C8: 1.5,
    C9: 2.7,
    C10: 0.58,
    C11: 2.5,
    C12: 6.4,
    E1: 1.6,
    E2: 1.2,
    E3: 0.56,
  },
};

/** Re-formats the replays of a result that came back from a worker. */
function reformatWith(format: (spec: ReplaySpec) => string) {
  return (result: ClaimResult): ClaimResult => {
    for (const part of result.parts) {
      if (part.property) part.property.replay = format(part.property.replaySpec);
    }
    return result;
  };
}

/**
 * Runs the claims `ids` (default: all, in registry order) in `jobs` workers (default:
 * the number of cores; 1 runs in-process) and returns their results in the order of
 * `ids`.
 *
 * @example Two claims in two workers
 * ```ts
 * import assert from "node:assert/strict";
 * import { runClaimsInWorkers } from "./parallel.ts";
 * const results = await runClaimsInWorkers(["C3", "C6"], { size: "quick", seed: 0 }, 2);
 * assert.deepEqual(results.map((r) => [r.id, r.passed]), [["C3", true], ["C6", true]]);
 * ```
 */
export async function runClaimsInWorkers(
  ids: readonly string[] | undefined,
  options: RunClaimsOptions = {},
  jobs: number = defaultJobs(),
): Promise<ClaimResult[]> {
  const reformat = reformatWith(options.formatReplay ?? replayCall);
  const registry = options.registry ?? ALL_CLAIMS;
  if (options.moduleUrl === undefined && options.registry !== undefined) {
    throw new TypeError("moduleUrl must name the module the registry came from");
  }
  const claims = selectClaims(ids, registry);
  const hint = COST_HINT[options.size ?? "quick"] ?? COST_HINT.quick;
  const order = claims.map((_, i) => i).sort((a, b) =>
    (hint[claims[b].id] ?? 1) - (hint[claims[a].id] ?? 1) || a - b
  );
  const job: ClaimJobOptions = {
    size: options.size,
    seed: options.seed,
    paths: options.paths,
    backend: options.backend,
    claimsModule: options.claimsModule,
    moduleUrl: options.moduleUrl,
  };
  const module = new URL("./claim_job.ts", import.meta.url).href;
  const scheduled = await mapInWorkers<ClaimResult>(
    order.map((i) => ({ module, name: "runClaimById", args: [claims[i].id, job] })),
    {
      jobs,
      onProgress: (k, message) => options.onProgress?.(claims[order[k]].id, message),
      onResult: (_, value) => options.onResult?.(reformat(value as ClaimResult)),
    },
  );
  const results: ClaimResult[] = new Array(claims.length);
  order.forEach((i, k) => (results[i] = reformat(scheduled[k])));
  return results;
}
