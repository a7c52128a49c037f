/**
 * The `verify` command line that replays one property run.
 *
 * @module
 */

import type { ReplaySpec } from "../claims/claim_part.ts";

/** Quotes a shell word when it holds characters the shell would interpret. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** Formats a replay as `deno task verify --claims ID --seed S ... --path PART=PATH`. */
export function replayCommand(spec: ReplaySpec): string {
  return `deno task verify --claims ${spec.claim} --seed ${spec.seed}` +
    (spec.claimsModule ? ` --claims-module ${shellQuote(spec.claimsModule)}` : "") +
    (spec.size === "full" ? " --full" : " --quick") +
    (spec.backend === "cpu" ? "" : ` --backend ${spec.backend}`) +
    (spec.path ? ` --path ${shellQuote(`${spec.part}=${spec.path}`)}` : "");
}
