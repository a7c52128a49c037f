/**
 * The shared comparison of a part's measured value with its target under a margin
 * ({@linkcode Gauge}), which applies the part's perturbation and records the comparison
 * nearest to failing.
 *
 * @module
 */

import type { ClaimPart, PartSense } from "./claim_part.ts";
import { type Perturbation, perturbationMargins } from "./perturbation_margins.ts";

/**
 * The shared comparison of one part: compares a measured value with a target
 * under a margin, according to the part's sense, after shifting the measured
 * value by the part's perturbation (k margins in the adverse direction). It
 * records the comparison nearest to failing (in units of its margin) for the
 * part's numeric fields. Every checker compares through this, so a perturbation
 * reaches every part, user-defined claims included.
 *
 * @example A two-sided comparison, then the same under a 3-margin perturbation
 * ```ts
 * import assert from "node:assert/strict";
 * import { Gauge } from "./gauge.ts";
 * import { resolveCheck } from "./resolve_check.ts";
 * const plain = new Gauge(resolveCheck(), "mean", "equal");
 * assert.equal(plain.compare(1.02, 1, 0.05), true);
 * const shifted = new Gauge(resolveCheck({ perturb: { part: "mean", margins: 3 } }), "mean", "equal");
 * assert.equal(shifted.compare(1.02, 1, 0.05), false);
 * ```
 */
export class Gauge {
  /** The part's name. */
  readonly part: string;
  /** The part's sense. */
  readonly sense: PartSense;
  #margins: number;
  #score = -Infinity;
  #values: { measuredValue: number; targetValue: number; marginValue: number } | null = null;

  readonly #down: boolean;
  /** Whether the margin is statistical (see {@linkcode ClaimPart.statistical}). */
  readonly statistical: boolean;

  /**
   * `statistical`: whether the margin comes from standard errors (default: true for
   * at-most, at-least and equal, false for rounding and property). `direction` matters for
   * `rounding` and `property` parts only: "up" (default) compares like `at-most`, "down"
   * like `at-least`.
   */
  constructor(
    check: { perturb?: Perturbation },
    part: string,
    sense: PartSense,
    options: { direction?: "up" | "down"; statistical?: boolean } = {},
  ) {
    const direction = options.direction ?? (sense === "at-least" ? "down" : "up");
    this.part = part;
    this.sense = sense;
    this.statistical = options.statistical ??
      (sense === "at-most" || sense === "at-least" || sense === "equal");
    this.#down = sense === "at-least" ||
      (sense !== "at-most" && sense !== "equal" && direction === "down");
    this.#margins = perturbationMargins(check, part);
  }

  /** The applied shift, in margins. */
  get margins(): number {
    return this.#margins;
  }

  /**
   * True when `measured` (shifted by the perturbation) satisfies the part's sense
   * against `target` and `margin`: at-most / rounding / property: measured <= target + margin;
   * at-least: measured >= target - margin; equal: |measured - target| <= margin.
   */
  compare(measured: number, target: number, margin: number): boolean {
    const down = this.#down;
    const shifted = measured + (down ? -1 : 1) * this.#margins * margin;
    const excess = this.sense === "equal"
      ? Math.abs(shifted - target)
      : down
      ? target - shifted
      : shifted - target;
    const score = margin > 0 ? excess / margin : excess > 0 ? Infinity : excess < 0 ? -Infinity : 0;
    const passed = excess <= margin;
    if (score > this.#score || this.#values === null || Number.isNaN(score)) {
      this.#score = Number.isNaN(score) ? Infinity : score;
      this.#values = { measuredValue: shifted, targetValue: target, marginValue: margin };
    }
    return passed && !Number.isNaN(score);
  }

  /** Distance past the target in margins of the comparison nearest to failing (> 1: failed). */
  get score(): number {
    return this.#score;
  }

  /** The numeric fields of the part (nulls before any comparison). */
  fields(): Pick<
    ClaimPart,
    "measuredValue" | "targetValue" | "marginValue" | "sense" | "statistical"
  > {
    return {
      statistical: this.statistical,
      measuredValue: this.#values?.measuredValue ?? null,
      targetValue: this.#values?.targetValue ?? null,
      marginValue: this.#values?.marginValue ?? null,
      sense: this.sense,
    };
  }
}
