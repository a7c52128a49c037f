/**
 * Shared helpers for the proofs: every claim check runs with the shared
 * fast-check seed (testkit/config.ts, FC_SEED) and reports each part as a step.
 *
 * @module
 */

import assert from "node:assert/strict";
import { FC_SEED, fcParameters } from "./config.ts";
import type { ClaimResult } from "../src/claims/claim_result.ts";
import fc from "npm:fast-check@^4";
import type { TaskDraw } from "../src/claims/law_arbitraries.ts";
import type { SpikeLaw } from "../src/model/law.ts";

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

/**
 * Tasks on the support [1, 1.004] (d = 8): rho* ~ 1e-3, so E_T / E[s/(1+s)] is ~1e-12 at
 * T = 2 (resolvable) and far below (1000 x 4 d T u)^2 ~ 1e-22 at T = 5: the resolvability
 * guard of C5's and C6's empirical parts must skip T = 5 and check T = 2.
 */
export const narrowSupportTasks: fc.Arbitrary<TaskDraw> = fc.record({
  law: fc.constant<SpikeLaw>({ kind: "uniform", low: 1, high: 1.004 }),
  d1: fc.constant(4),
  d2: fc.constant(4),
  sigma: fc.constant(0.1),
  seed: fc.nat({ max: 1000 }),
});

/** Asserts a report ends "k of 2k depth checks skipped (T=5, ...)": every T = 5, no T = 2. */
export function assertEveryT5Skipped(measured: string): void {
  const counts = measured.match(/; (\d+) of (\d+) depth checks skipped \(T=5(?:, T=5)*\)$/);
  assert.ok(counts, measured);
  assert.equal(2 * Number(counts[1]), Number(counts[2]), "half the checks (every T = 5)");
}
