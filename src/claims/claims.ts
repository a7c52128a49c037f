/**
 * The registry of the built-in claims (C1..C10, group `paper`), and the runner
 * that checks a selection of claims, built-in or from a user's module.
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
 * The paper's claims, C1..C10 (group `paper`).
 *
 * @example The built-in claims
 * ```ts
 * import { CLAIMS } from "./claims.ts";
 * console.log(CLAIMS.map((claim) => claim.id).join(" ")); // C1 C2 ... C10
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

/** The prior work's theorems on its own regression setting, E1..E3 (group `external`). */
export const EXTERNAL_CLAIMS: readonly AnyClaim[] = [
  E1_CLAIM,
  E2_CLAIM,
  E3_CLAIM,
] as readonly AnyClaim[];

/** Questions beyond the paper, C11 (group `beyond`: untied full-matrix cross-attention). */
export const BEYOND_CLAIMS: readonly AnyClaim[] = [C11_CLAIM] as readonly AnyClaim[];

/**
 * Every built-in claim, by group: paper (C1..C10), beyond (C11), external (E1..E3).
 * What `verify` lists and runs by default.
 */
export const ALL_CLAIMS: readonly AnyClaim[] = [...CLAIMS, ...BEYOND_CLAIMS, ...EXTERNAL_CLAIMS];

/**
 * Looks up claims by id (case-insensitive) in `registry` (default: the built-in
 * claims). Repeated ids are kept once, in first-seen order. No ids (or an empty
 * list) selects every claim of the registry. Throws a RangeError naming an
 * unknown id and listing the known ones.
 *
 * @example Select two claims
 * ```ts
 * import { selectClaims } from "./claims.ts";
 * console.log(selectClaims(["c3", "C1", "C3"]).map((c) => c.id)); // ["C3", "C1"]
 * ```
 */
export function selectClaims(
  ids?: readonly string[],
  registry: readonly AnyClaim[] = CLAIMS,
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
 * import { claimsOfModule } from "./claims.ts";
 * import * as builtIn from "./c7_support_only.ts";
 * console.log(claimsOfModule(builtIn).map((c) => c.id)); // ["C7"]
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
 * @example
 * ```ts
 * import { claimsModuleUrl } from "./claims.ts";
 * console.log(claimsModuleUrl("https://example.org/claims.ts")); // https://example.org/claims.ts
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
 * @example Load a user's claim module
 * ```ts ignore
 * import { loadClaimsModule } from "./claims.ts";
 * const claims = await loadClaimsModule("./examples/depth_doubling_claims.ts");
 * console.log(claims.map((c) => c.id));
 * ```
 */
export async function loadClaimsModule(specifier: string): Promise<AnyClaim[]> {
  const url = claimsModuleUrl(specifier);
  const module = await import(url) as Record<string, unknown>;
  return claimsOfModule(module, specifier);
}

/**
 * Runs the selected claims in order (default: every built-in claim) and returns
 * their results.
 *
 * @example Check one claim
 * ```ts
 * import { verifyClaims } from "./claims.ts";
 * const [result] = await verifyClaims(["C7"], { size: "quick", seed: 0 });
 * console.log(result.id, result.passed); // C7 true
 * ```
 */
export async function verifyClaims(
  ids: readonly string[] | undefined,
  options: CheckOptions = {},
  registry: readonly AnyClaim[] = CLAIMS,
): Promise<ClaimResult[]> {
  const results: ClaimResult[] = [];
  for (const claim of selectClaims(ids, registry)) results.push(await claim.check(options));
  return results;
}
