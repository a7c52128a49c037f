/**
 * Report snapshots: each claim's full quick-size report at one fixed seed, pinned in
 * `proofs/snapshots/<id>.json` and compared by every proof. A checker bug that changes any
 * reported number or text (a margin's Bonferroni count, a measured value's formula, a part's
 * target or margin description, its progress messages, its recorded details) fails the proof
 * with the first differing path, even when the claim still holds. Numbers compare within
 * `SNAPSHOT_RELATIVE` (1e-12: the arithmetic is deterministic IEEE-754 on the pinned Deno, so
 * only a deliberate change moves them); text compares exactly.
 *
 * Regenerate after a deliberate change with `deno task snapshots` (tools/update_snapshots.ts)
 * and review the diff: it is the list of every number the change moved.
 *
 * @module
 */

import assert from "node:assert/strict";
import type { AnyClaim } from "../src/claims/claims.ts";
import type { ClaimResult } from "../src/claims/claim_result.ts";

/** The seed of every snapshot (fixed, independent of FC_SEED). */
export const SNAPSHOT_SEED = 0;

/** Relative tolerance of numbers in a snapshot comparison. */
export const SNAPSHOT_RELATIVE = 1e-12;

/** A claim's report as pinned: everything but wall-clock times, plus its progress messages. */
export interface Snapshot {
  /** Claim id. */
  id: string;
  /** The result without `seconds`. */
  result: Omit<ClaimResult, "seconds">;
  /** Every progress message the check emitted, in order. */
  progress: string[];
}

/** Runs `claim` at quick size and the snapshot seed on the CPU and returns its snapshot. */
export async function takeSnapshot(claim: AnyClaim): Promise<Snapshot> {
  const progress: string[] = [];
  const result = await claim.check({
    size: "quick",
    seed: SNAPSHOT_SEED,
    onProgress: (message: string) => progress.push(message),
  });
  const { seconds: _seconds, ...rest } = result;
  return JSON.parse(JSON.stringify({ id: claim.id, result: rest, progress }));
}

/** The path of a claim's snapshot file. */
export function snapshotUrl(id: string): URL {
  return new URL(`../proofs/snapshots/${id}.json`, import.meta.url);
}

/**
 * The first difference between two JSON values, as "path: actual vs expected", or null:
 * numbers within SNAPSHOT_RELATIVE (relative to the larger magnitude), everything else equal.
 */
export function snapshotDifference(actual: unknown, expected: unknown, path = "$"): string | null {
  if (typeof actual === "number" && typeof expected === "number") {
    const scale = Math.max(Math.abs(actual), Math.abs(expected));
    return actual === expected || Math.abs(actual - expected) <= SNAPSHOT_RELATIVE * scale
      ? null
      : `${path}: ${actual} vs ${expected}`;
  }
  if (Array.isArray(actual) && Array.isArray(expected)) {
    if (actual.length !== expected.length) {
      return `${path}: length ${actual.length} vs ${expected.length}`;
    }
    for (let i = 0; i < actual.length; i++) {
      const d = snapshotDifference(actual[i], expected[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (
    actual !== null && expected !== null && typeof actual === "object" &&
    typeof expected === "object" && !Array.isArray(actual) && !Array.isArray(expected)
  ) {
    const a = actual as Record<string, unknown>, e = expected as Record<string, unknown>;
    const keys = new Set([...Object.keys(a), ...Object.keys(e)]);
    for (const key of [...keys].sort()) {
      if (!(key in a)) return `${path}.${key}: missing (expected ${JSON.stringify(e[key])})`;
      if (!(key in e)) return `${path}.${key}: unexpected ${JSON.stringify(a[key])}`;
      const d = snapshotDifference(a[key], e[key], `${path}.${key}`);
      if (d) return d;
    }
    return null;
  }
  return actual === expected
    ? null
    : `${path}: ${JSON.stringify(actual)} vs ${JSON.stringify(expected)}`;
}

/** A proof step: the claim's report equals its pinned snapshot. */
export async function assertSnapshot(t: Deno.TestContext, claim: AnyClaim): Promise<void> {
  await t.step(`${claim.id} report equals proofs/snapshots/${claim.id}.json`, async () => {
    const expected = JSON.parse(await Deno.readTextFile(snapshotUrl(claim.id)));
    const difference = snapshotDifference(await takeSnapshot(claim), expected);
    assert.equal(
      difference,
      null,
      `the report moved (regenerate with \`deno task snapshots\` if deliberate): ${difference}`,
    );
  });
}
