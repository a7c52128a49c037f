/**
 * The registries of the built-in claims (C1..C10, group `paper`; C11..C13, group `beyond`;
 * E1..E3, group `external`), and the runner that checks a selection of claims,
 * built-in or from a user's module. Selection and verification default to every
 * built-in claim ({@linkcode ALL_CLAIMS}), as the CLI's `verify` does.
 *
 * @module
 */

import { C1_CLAIM } from "./c1_lsa_gap.ts";
import { C2_CLAIM } from "./c2_bayes.ts";
import { C3_CLAIM, C4_CLAIM } from "./c3_c4_geometric.ts";
import { C5_CLAIM } from "./c5_one_parameter.ts";
import { C6_CLAIM } from "./c6_two_parameter.ts";
import { C7_CLAIM } from "./c7_support_only.ts";
import { C8_CLAIM } from "./c8_depth_one_and_ablation.ts";
import { C9_CLAIM } from "./c9_finite_context.ts";
import { C10_CLAIM } from "./c10_training_context.ts";
import { C11_CLAIM } from "./c11_untied.ts";
import { C12_CLAIM } from "./c12_depth_schedules.ts";
import { C13_CLAIM } from "./c13_softmax_attention.ts";
import { E1_CLAIM } from "./e1_lsa_optimum.ts";
import { E2_CLAIM } from "./e2_lsa_risk.ts";
import { E3_CLAIM } from "./e3_gradient_step.ts";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { type Claim, isClaim } from "./define.ts";
import type { ClaimResult } from "./claim_result.ts";
import type { CheckOptions } from "./resolve_check.ts";

/** A claim of any controls type (what registries and runners hold). */
export type AnyClaim = Claim<unknown>;

/**
 * The paper's claims, C1..C10 (group `paper`). Every built-in claim, C11..C13 and E1..E3
 * included, is {@linkcode ALL_CLAIMS}.
 *
 * @example The paper's claims
 * ```ts
 * import assert from "node:assert/strict";
 * import { CLAIMS } from "./claims.ts";
 * assert.deepEqual(CLAIMS.map((claim) => claim.id), [
 *   "C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "C9", "C10",
 * ]);
 * ```
 */
export const CLAIMS: readonly AnyClaim[] = [
  C1_CLAIM,
  C2_CLAIM,
  C3_CLAIM,
  C4_CLAIM,
  C5_CLAIM,
  C6_CLAIM,
  C7_CLAIM,
  C8_CLAIM,
  C9_CLAIM,
  C10_CLAIM,
] as readonly AnyClaim[];

/**
 * The prior work's theorems on its own regression setting, E1..E3 (group `external`).
 *
 * @example The external claims
 * ```ts
 * import assert from "node:assert/strict";
 * import { EXTERNAL_CLAIMS } from "./claims.ts";
 * assert.deepEqual(EXTERNAL_CLAIMS.map((claim) => claim.id), ["E1", "E2", "E3"]);
 * ```
 */
export const EXTERNAL_CLAIMS: readonly AnyClaim[] = [
  E1_CLAIM,
  E2_CLAIM,
  E3_CLAIM,
] as readonly AnyClaim[];

/**
 * Questions beyond the paper (group `beyond`): C11, untied full-matrix cross-attention,
 * C12, per-layer steps (depth schedules), and C13, softmax cross-attention.
 *
 * @example The claims beyond the paper
 * ```ts
 * import assert from "node:assert/strict";
 * import { BEYOND_CLAIMS } from "./claims.ts";
 * assert.deepEqual(BEYOND_CLAIMS.map((claim) => claim.id), ["C11", "C12", "C13"]);
 * ```
 */
export const BEYOND_CLAIMS: readonly AnyClaim[] = [
  C11_CLAIM,
  C12_CLAIM,
  C13_CLAIM,
] as readonly AnyClaim[];

/**
 * Every built-in claim, by group: paper (C1..C10), beyond (C11..C13), external (E1..E3).
 * The default registry of {@linkcode selectClaims} and {@linkcode verifyClaims}, and what
 * the CLI's `verify` lists and runs by default.
 *
 * @example Every built-in claim
 * ```ts
 * import assert from "node:assert/strict";
 * import { ALL_CLAIMS } from "./claims.ts";
 * assert.equal(ALL_CLAIMS.length, 16);
 * assert.deepEqual(ALL_CLAIMS.slice(10).map((claim) => claim.id), [
 *   "C11", "C12", "C13", "E1", "E2", "E3",
 * ]);
 * ```
 */
export const ALL_CLAIMS: readonly AnyClaim[] = [...CLAIMS, ...BEYOND_CLAIMS, ...EXTERNAL_CLAIMS];

/**
 * Looks up claims by id (case-insensitive) in `registry` (default: every built-in
 * claim, {@linkcode ALL_CLAIMS}). Repeated ids are kept once, in first-seen order. No
 * ids (or an empty list) selects every claim of the registry. Throws a RangeError
 * naming an unknown id and listing the known ones.
 *
 * @example Select claims, C11 and E1 included
 * ```ts
 * import assert from "node:assert/strict";
 * import { selectClaims } from "./claims.ts";
 * assert.deepEqual(selectClaims(["c3", "C1", "C3", "e1", "C11"]).map((c) => c.id), [
 *   "C3", "C1", "E1", "C11",
 * ]);
 * ```
 */
export function selectClaims(
  ids?: readonly string[],
  registry: readonly AnyClaim[] = ALL_CLAIMS,
): AnyClaim[] {
  if (ids !== undefined && !Array.isArray(ids)) {
    throw new TypeError(`claims must be an array of claim ids, got ${typeof ids}`);
  }
  if (!ids || ids.length === 0) return [...registry];
  const chosen: AnyClaim[] = [];
  for (const raw of ids) {
    if (typeof raw !== "string") {
      throw new TypeError(`claims must be claim ids (strings), got ${typeof raw}`);
    }
    const id = raw.trim().toUpperCase();
    const claim = registry.find((c) => c.id.toUpperCase() === id);
    if (!claim) {
      throw new RangeError(
        `claims must be a comma-separated list of ${registry.map((c) => c.id).join(", ")}, got ${
          JSON.stringify(raw)
        }`,
      );
    }
    if (!chosen.includes(claim)) chosen.push(claim);
  }
  return chosen;
}

/**
 * The claims a module exports: every export made by `defineClaim` (plain exports,
 * or arrays of claims such as a `CLAIMS` list), in export order, each once.
 * Throws a TypeError when the module exports no claim, and a RangeError when two
 * different claims share an id.
 *
 * @example The claims a module namespace exports
 * ```ts
 * import assert from "node:assert/strict";
 * import { claimsOfModule } from "./claims.ts";
 * import * as builtIn from "./c7_support_only.ts";
 * assert.deepEqual(claimsOfModule(builtIn).map((c) => c.id), ["C7"]);
 * ```
 */
export function claimsOfModule(module: Record<string, unknown>, source = "module"): AnyClaim[] {
  const found: AnyClaim[] = [];
  const add = (value: unknown) => {
    if (isClaim(value) && !found.includes(value)) found.push(value);
  };
  for (const value of Object.values(module)) {
    if (Array.isArray(value)) value.forEach(add);
    else add(value);
  }
  if (found.length === 0) {
    throw new TypeError(`${source} exports no claim made by defineClaim`);
  }
  const seen = new Map<string, AnyClaim>();
  for (const claim of found) {
    const key = claim.id.toUpperCase();
    if (seen.has(key)) {
      throw new RangeError(`${source} exports two claims with the id ${claim.id}`);
    }
    seen.set(key, claim);
  }
  return found;
}

/**
 * The absolute URL of a claims module given as a path (relative to the current
 * working directory) or a URL.
 *
 * @example URLs are kept, paths resolved against the working directory
 * ```ts
 * import assert from "node:assert/strict";
 * import { claimsModuleUrl } from "./claims.ts";
 * assert.equal(claimsModuleUrl("https://example.org/claims.ts"), "https://example.org/claims.ts");
 * assert.ok(claimsModuleUrl("./my_claims.ts").startsWith("file:///"));
 * ```
 */
export function claimsModuleUrl(specifier: string): string {
  if (typeof specifier !== "string" || specifier.trim() === "") {
    throw new TypeError(`claims module must be a path or URL, got ${JSON.stringify(specifier)}`);
  }
  // A scheme of two or more characters is a URL; "C:/..." or "C:\\..." is a Windows path.
  return /^[a-z][a-z0-9+.-]+:/i.test(specifier)
    ? new URL(specifier).href
    : pathToFileURL(resolve(specifier)).href;
}

/**
 * Imports a claim module by path or URL and returns the claims it exports
 * (see {@linkcode claimsOfModule}). A relative or absolute path is resolved
 * against the current working directory.
 *
 * @example Load a claims module by URL (a path works the same, from the working directory)
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadClaimsModule } from "./claims.ts";
 * const claims = await loadClaimsModule(import.meta.resolve("./c7_support_only.ts"));
 * assert.deepEqual(claims.map((c) => c.id), ["C7"]);
 * ```
 */
export async function loadClaimsModule(specifier: string): Promise<AnyClaim[]> {
  const url = claimsModuleUrl(specifier);
  const module = await import(url) as Record<string, unknown>;
  return claimsOfModule(module, specifier);
}

/**
 * Runs the selected claims in order (default: every built-in claim of `registry`,
 * itself by default {@linkcode ALL_CLAIMS}) and returns their results.
 *
 * @example Check one claim
 * ```ts
 * import assert from "node:assert/strict";
 * import { verifyClaims } from "./claims.ts";
 * const [result] = await verifyClaims(["C7"], { size: "quick", seed: 0 });
 * assert.equal(result.id, "C7");
 * assert.equal(result.passed, true);
 * ```
 */
export async function verifyClaims(
  ids: readonly string[] | undefined,
  options: CheckOptions = {},
  registry: readonly AnyClaim[] = ALL_CLAIMS,
): Promise<ClaimResult[]> {
  const results: ClaimResult[] = [];
  for (const claim of selectClaims(ids, registry)) results.push(await claim.check(options));
  return results;
}
