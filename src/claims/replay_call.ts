/**
 * The default replay of a property run: a shell command that makes the library call
 * reproducing it, runnable verbatim from a clone's root on a machine with only Node.js
 * and npm. The Deno version every printed command pins is {@linkcode DENO_VERSION}.
 *
 * @module
 */

import type { ReplaySpec } from "./claim_part.ts";

/** The Deno version that printed commands pin (the one CI installs, `.ci/run`). */
export const DENO_VERSION = "2.9.6";

/**
 * How printed commands start Deno: through npm, so they run where only Node.js and npm
 * are installed (the first run downloads Deno into npm's cache).
 */
export const DENO_RUNNER = `npx -y deno@${DENO_VERSION}`;

/** The module a replay imports, relative to the repository root where it runs. */
const ENTRY_POINT = "./mod.ts";

/** Quotes a word for a POSIX shell (single quotes) unless it is plain. */
function quoted(word: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * The library call that reproduces the run, e.g.
 * `verifyClaims(["C3"], { size: "quick", seed: 7, paths: { "bound": "17:1:0" } })`.
 *
 * @example The call of a replayed path
 * ```ts
 * import assert from "node:assert/strict";
 * import { replayLibraryCall } from "./replay_call.ts";
 * assert.equal(
 *   replayLibraryCall({ claim: "C3", seed: 7, size: "quick", backend: "cpu", part: "bound", path: "17:1:0" }),
 *   'verifyClaims(["C3"], { size: "quick", seed: 7, paths: { "bound": "17:1:0" } })',
 * );
 * ```
 */
export function replayLibraryCall(spec: ReplaySpec): string {
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

/**
 * The default replay: a shell command, run from a clone's root, that evaluates the
 * library call ({@linkcode replayLibraryCall}) with `deno eval`, prints the claim's result
 * as JSON and exits 1 when the claim fails. The CLI passes its own formatter, which writes
 * the `verify` command line.
 *
 * @example The command that replays a run
 * ```ts
 * import assert from "node:assert/strict";
 * import { replayCall } from "./replay_call.ts";
 * const command = replayCall({ claim: "C3", seed: 7, size: "quick", backend: "cpu", part: "bound" });
 * assert.equal(
 *   command,
 *   `npx -y deno@2.9.6 eval 'import { verifyClaims } from "./mod.ts"; ` +
 *     `const [result] = await verifyClaims(["C3"], { size: "quick", seed: 7 }); ` +
 *     `console.log(JSON.stringify(result, null, 2)); Deno.exit(result.passed ? 0 : 1);'`,
 * );
 * ```
 */
export function replayCall(spec: ReplaySpec): string {
  const imports = ["verifyClaims"];
  if (spec.backend !== "cpu") imports.push("createBackend");
  if (spec.claimsModule !== undefined) imports.push("loadClaimsModule");
  const script = `import { ${imports.join(", ")} } from ${JSON.stringify(ENTRY_POINT)}; ` +
    `const [result] = await ${replayLibraryCall(spec)}; ` +
    "console.log(JSON.stringify(result, null, 2)); Deno.exit(result.passed ? 0 : 1);";
  return `${DENO_RUNNER} eval ${quoted(script)}`;
}
