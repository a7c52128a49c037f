/**
 * The worst measured value across property runs, with its text ({@linkcode WorstCase}).
 *
 * @module
 */

/**
 * Tracks the worst measured value across property runs.
 *
 * @example Track the worst ratio over draws
 * ```ts
 * import assert from "node:assert/strict";
 * import { WorstCase } from "./worst_case.ts";
 * const worst = new WorstCase();
 * for (const ratio of [0.2, 0.9, 0.5]) worst.record(ratio, `ratio ${ratio}`);
 * assert.equal(worst.text, "ratio 0.9");
 * ```
 */
export class WorstCase {
  #value = -Infinity;
  #text = "no runs";
  /** Records a value where larger is worse (e.g. measured / bound). */
  record(value: number, text: string): void {
    if (value > this.#value || this.#text === "no runs") {
      this.#value = value;
      this.#text = text;
    }
  }
  /** Text of the worst case. */
  get text(): string {
    return this.#text;
  }
}
