/**
 * The default replay of a property run, the library call that reproduces it.
 *
 * @module
 */

import type { ReplaySpec } from "./claim_part.ts";

/**
 * The default replay: the library call that reproduces the run, e.g.
 * `verifyClaims(["C3"], { size: "quick", seed: 7, paths: { bound: "17:1:0" } })`.
 * The CLI passes its own formatter, which writes the `verify` command line.
 *
 * @example The library call that replays a run
 * ```ts
 * import { replayCall } from "./replay_call.ts";
 * console.log(replayCall({ claim: "C3", seed: 7, size: "quick", backend: "cpu", part: "bound", path: "17:1:0" }));
 * ```
 */
export function replayCall(spec: ReplaySpec): string {
  const options: string[] = [`size: "${spec.size}"`, `seed: ${spec.seed}`];
  if (spec.path !== undefined) {
    options.push(`paths: { ${JSON.stringify(spec.part)}: ${JSON.stringify(spec.path)} }`);
  }
  if (spec.backend !== "cpu") options.push(`backend: await createBackend("${spec.backend}")`);
  const registry = spec.claimsModule === undefined
    ? ""
    : `, await loadClaimsModule(${JSON.stringify(spec.claimsModule)})`;
  return `verifyClaims([${JSON.stringify(spec.claim)}], { ${options.join(", ")} }${registry})`;
}
