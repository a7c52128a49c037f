/**
 * Shared helpers for the proofs: every claim check runs with the shared
 * fast-check seed (props/config.ts, FC_SEED) and reports each part as a step.
 *
 * @module
 */

import assert from "node:assert/strict";
import { FC_SEED, fcParameters } from "../props/config.ts";
import type { ClaimResult } from "../src/claims/result.ts";

fcParameters(1); // prints the seed once per process

/** The seed every proof passes to its checker. */
export const PROOF_SEED: number = FC_SEED >>> 0;

/** Reports each part of a claim result as a test step that fails with the part's numbers. */
export async function stepParts(t: Deno.TestContext, result: ClaimResult): Promise<void> {
  for (const part of result.parts) {
    await t.step(`${result.id} ${part.name}`, () => {
      assert.ok(
        part.passed,
        `${part.measured}\n  target: ${part.target}\n  margin: ${part.margin}` +
          (part.property ? `\n  replay: ${part.property.replay}` : ""),
      );
    });
  }
}

/** Asserts that a negative control made the checker fail (and names the part that caught it). */
export function assertCaught(result: ClaimResult, part?: string): void {
  assert.equal(
    result.passed,
    false,
    `negative control was not caught: ${JSON.stringify(result.parts.map((p) => p.measured))}`,
  );
  if (part) {
    const caught = result.parts.find((p) => p.name === part);
    assert.ok(caught, `no part ${part}`);
    assert.equal(caught.passed, false, `part ${part} did not catch the control`);
  }
}

/**
 * Asserts that a power control (a perturbation of k <= 3 margins) made exactly the
 * expected parts fail, each for its own reason: the part's failure message must
 * match `reasons[part]`, and every part not listed must still hold.
 */
export function assertPowerControl(
  result: ClaimResult,
  margins: number,
  reasons: Record<string, RegExp>,
): void {
  assert.ok(margins <= 3, `a power control perturbs by at most 3 margins, got ${margins}`);
  for (const part of result.parts) {
    const reason = reasons[part.name];
    if (reason) {
      assert.equal(part.passed, false, `${part.name} held under a ${margins}-margin perturbation`);
      assert.match(part.measured, reason, `${part.name} failed for another reason`);
      assert.match(part.measured, /perturbed by \d+(\.\d+)? margins/);
    } else {
      assert.ok(part.passed, `${part.name} failed although it was not perturbed: ${part.measured}`);
    }
  }
  for (const name of Object.keys(reasons)) {
    assert.ok(result.parts.some((p) => p.name === name), `no part ${name}`);
  }
}
