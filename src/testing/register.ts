/**
 * Registers a claim as a `Deno.test` with one step per checked part, so a
 * user's claim runs under `deno test` with the same report as the built-in
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
 * ```ts ignore
 * import { checkClaimSteps } from "./register.ts";
 * import { CLAIMS } from "../claims/claims.ts";
 * Deno.test("C7 as steps", async (t) => {
 *   await checkClaimSteps(t, CLAIMS[6], { size: "quick", seed: 0 });
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
 * @example A user claim in a test file
 * ```ts ignore
 * import { testClaim } from "./register.ts";
 * import { MY_CLAIM } from "./my_claims.ts";
 * testClaim(MY_CLAIM, { size: "quick", seed: 0 });
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
