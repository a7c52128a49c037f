/**
 * The result of checking one claim, and {@linkcode claimResult}, which assembles it
 * from the claim's metadata and checked parts.
 *
 * @module
 */

import type { CheckSize, ClaimPart } from "./claim_part.ts";
import type { ResolvedCheck } from "./resolve_check.ts";

/** The result of checking one claim. */
export interface ClaimResult {
  /** Claim id: `C1` .. `C12`, `E1` .. `E3`, or a user claim's. */
  id: string;
  /** Short title of the claim. */
  title: string;
  /** The statement checked. */
  statement: string;
  /** The paper's result it checks, e.g. "Theorem 4.1". */
  theorem: string;
  /** The checked parts, in order. */
  parts: ClaimPart[];
  /** True when there is at least one part and every part passed. */
  passed: boolean;
  /** Wall-clock time of the check, in seconds. */
  seconds: number;
  /** The check size it ran at. */
  size: CheckSize;
  /** The seed it ran with. */
  seed: number;
  /** The backend the Monte Carlo parts ran on. */
  backend: { name: string; adapter: string; precision: string };
  /** Extra data a claim records (JSON-serialisable), e.g. C10's alpha_hat curve. */
  details?: Record<string, unknown>;
}

/**
 * Assembles a claim result.
 *
 * @example A claim with one passing part
 * ```ts
 * import assert from "node:assert/strict";
 * import { claimResult } from "./claim_result.ts";
 * import { resolveCheck } from "./resolve_check.ts";
 * const meta = { id: "U1", title: "t", statement: "s", theorem: "user claim" };
 * const part = { name: "p", measured: "1", target: "1", margin: "exact", passed: true };
 * const result = claimResult(meta, resolveCheck(), performance.now(), [part]);
 * assert.equal(result.passed, true);
 * assert.equal(result.size, "quick");
 * // No part is not a pass.
 * assert.equal(claimResult(meta, resolveCheck(), performance.now(), []).passed, false);
 * ```
 */
export function claimResult(
  meta: { id: string; title: string; statement: string; theorem: string },
  check: ResolvedCheck,
  started: number,
  parts: ClaimPart[],
): ClaimResult {
  return {
    ...meta,
    parts,
    passed: parts.length > 0 && parts.every((p) => p.passed),
    seconds: (performance.now() - started) / 1000,
    size: check.size,
    seed: check.seed,
    backend: check.backend,
  };
}
