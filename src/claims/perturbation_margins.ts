/**
 * Controlled perturbations for power controls and calibration. A perturbation names
 * the part whose checked quantity is shifted, and by how many of its margins.
 *
 * @module
 */

/**
 * A controlled perturbation for power controls and calibration: the checked
 * quantity of `part` ("*": every part) is shifted by `margins` times its own
 * margin in the adverse direction (up for `at-most`, `equal` and `rounding`,
 * down for `at-least`) before it is compared.
 */
export interface Perturbation {
  /** Part name, or "*" for every part of the claim. */
  part: string;
  /** Shift in units of the part's margin (>= 0). */
  margins: number;
}

/**
 * The number of margins by which `part`'s checked quantity is shifted (0 without a perturbation).
 *
 * @example The named part, or every part with "*"
 * ```ts
 * import assert from "node:assert/strict";
 * import { perturbationMargins } from "./perturbation_margins.ts";
 * const check = { perturb: { part: "bound", margins: 2 } };
 * assert.equal(perturbationMargins(check, "bound"), 2);
 * assert.equal(perturbationMargins(check, "other"), 0);
 * assert.equal(perturbationMargins({ perturb: { part: "*", margins: 3 } }, "other"), 3);
 * ```
 */
export function perturbationMargins(
  check: { perturb?: Perturbation },
  part: string,
): number {
  const p = check.perturb;
  return p && (p.part === "*" || p.part === part) ? p.margins : 0;
}
