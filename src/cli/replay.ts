/**
 * The `verify` command line that replays one property run, runnable verbatim from a
 * clone's root on a machine with only Node.js and npm.
 *
 * @module
 */

import type { ReplaySpec } from "../claims/claim_part.ts";
import { DENO_RUNNER } from "../claims/replay_call.ts";

/** Quotes a shell word when it holds characters the shell would interpret. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * Formats a replay as
 * `npx -y deno@2.9.6 run -A mod.ts verify --claims ID --seed S ... --path PART=PATH`.
 *
 * @example The command of a failing property
 * ```ts
 * import assert from "node:assert/strict";
 * import { replayCommand } from "./replay.ts";
 * assert.equal(
 *   replayCommand({ claim: "C3", seed: 7, size: "quick", backend: "cpu", part: "bound", path: "1:0" }),
 *   "npx -y deno@2.9.6 run -A mod.ts verify --claims C3 --seed 7 --quick --path bound=1:0",
 * );
 * ```
 */
export function replayCommand(spec: ReplaySpec): string {
  return `${DENO_RUNNER} run -A mod.ts verify --claims ${spec.claim} --seed ${spec.seed}` +
    (spec.claimsModule ? ` --claims-module ${shellQuote(spec.claimsModule)}` : "") +
    (spec.size === "full" ? " --full" : " --quick") +
    (spec.backend === "cpu" ? "" : ` --backend ${spec.backend}`) +
    (spec.path ? ` --path ${shellQuote(`${spec.part}=${spec.path}`)}` : "");
}
