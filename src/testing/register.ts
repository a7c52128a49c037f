/**
 * Registers a claim as a `Deno.test` with one step per checked part, so a
 * user's claim runs under Deno's test runner with the same report as the built-in
 * proofs: a failing part fails its own step with its measured value, target,
 * margin and replay command.
 *
 * @module
 */

import type { Claim } from "../claims/define.ts";
import type { ClaimResult } from "../claims/claim_result.ts";
import type { CheckOptions } from "../claims/resolve_check.ts";

/** Options of {@linkcode testClaim}. */
export interface TestClaimOptions extends CheckOptions {
  /** Test name (default: `<id>: <statement>`). */
  name?: string;
  /** Deno.test's `ignore` (default false). */
  ignore?: boolean;
  /**
   * Expect the claim to fail (a negative control): the test passes only if at
   * least one part fails, and, when `failingPart` is set, that part fails
   * (default false).
   */
  expectFailure?: boolean;
  /** With `expectFailure`, the part that must fail. */
  failingPart?: string;
}

/** Describes a part for a step's failure message. */
function describePart(result: ClaimResult, index: number): string {
  const part = result.parts[index];
  return `${result.id} ${part.name}: ${part.measured}\n  target: ${part.target}\n  margin: ${part.margin}` +
    (part.property ? `\n  replay: ${part.property.replay}` : "");
}

/**
 * Checks `claim` once and reports each part as a test step.
 *
 * @example Steps of a claim inside a test
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkClaimSteps } from "./register.ts";
 * import { C7_CLAIM } from "../claims/c7_support_only.ts";
 * Deno.test("C7 as steps", async (t) => {
 *   const result = await checkClaimSteps(t, C7_CLAIM, { size: "quick", seed: 0 });
 *   assert.deepEqual(result.parts.map((part) => part.name), [
 *     "alpha-star-equal",
 *     "gamma-star-moves",
 *     "alpha-t-moves",
 *   ]);
 * });
 * ```
 */
export async function checkClaimSteps(
  t: Deno.TestContext,
  claim: Claim<unknown>,
  options: CheckOptions = {},
): Promise<ClaimResult> {
  const result = await claim.check(options);
  for (let i = 0; i < result.parts.length; i++) {
    await t.step(`${result.id} ${result.parts[i].name}`, () => {
      if (!result.parts[i].passed) throw new Error(describePart(result, i));
    });
  }
  if (result.parts.length === 0) throw new Error(`${result.id} has no parts`);
  return result;
}

/**
 * Registers `claim` as a `Deno.test` with one step per part. With
 * `expectFailure` it is a negative control instead.
 *
 * @example A claim in a test file, and a negative control
 * ```ts
 * import assert from "node:assert/strict";
 * import { testClaim } from "./register.ts";
 * import { defineClaim } from "../claims/define.ts";
 * import { C7_CLAIM } from "../claims/c7_support_only.ts";
 * testClaim(C7_CLAIM, { size: "quick", seed: 0 });
 * // A claim that must fail: the test passes only if its part "equal" fails.
 * const wrong = defineClaim({
 *   id: "W1",
 *   title: "wrong on purpose",
 *   theorem: "user claim",
 *   statement: "1 = 2",
 *   parts: () =>
 *     Promise.resolve([{ name: "equal", measured: "1", target: "2", margin: "exact", passed: false }]),
 * });
 * testClaim(wrong, { expectFailure: true, failingPart: "equal" });
 * Deno.test("testClaim refuses what defineClaim did not make", () => {
 *   assert.throws(() => testClaim({ id: "W2" } as never), TypeError);
 * });
 * ```
 */
export function testClaim(claim: Claim<unknown>, options: TestClaimOptions = {}): void {
  if (claim === null || typeof claim !== "object" || typeof claim.check !== "function") {
    throw new TypeError(`claim must be a claim made by defineClaim, got ${String(claim)}`);
  }
  const { name, ignore, expectFailure, failingPart, ...check } = options;
  Deno.test({
    name: name ?? `${claim.id}: ${claim.statement}`,
    ignore: ignore ?? false,
    async fn(t) {
      if (!expectFailure) {
        await checkClaimSteps(t, claim, check);
        return;
      }
      const result = await claim.check(check);
      if (result.passed) {
        throw new Error(`${claim.id}: the negative control was not caught (every part held)`);
      }
      if (failingPart !== undefined) {
        const part = result.parts.find((p) => p.name === failingPart);
        if (!part) throw new Error(`${claim.id} has no part ${failingPart}`);
        if (part.passed) {
          throw new Error(`${claim.id}: part ${failingPart} did not catch the control`);
        }
      }
    },
  });
}
