/**
 * Assertions inside properties ({@linkcode expect}), which throw a
 * {@linkcode ClaimViolation} with the violated statement's numbers.
 *
 * @module
 */

/** Thrown inside a property to report a violated statement with its numbers. */
export class ClaimViolation extends Error {
  /** The error's name. */
  override name = "ClaimViolation";
}

/**
 * Asserts a statement inside a property.
 *
 * @example Assert inside a property
 * ```ts
 * import assert from "node:assert/strict";
 * import { expect } from "./expect.ts";
 * expect(1 + 1 === 2, () => "arithmetic is broken"); // holds: nothing thrown
 * assert.throws(() => expect(1 + 1 === 3, () => "1 + 1 is not 3"), /1 \+ 1 is not 3/);
 * ```
 */
export function expect(condition: boolean, message: () => string): void {
  if (!condition) throw new ClaimViolation(message());
}
