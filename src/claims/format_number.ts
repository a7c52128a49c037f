/**
 * Compact number formatting for the measured and target texts of parts ({@linkcode fmt}).
 *
 * @module
 */

/**
 * Formats a number compactly for measured/target text.
 *
 * @example Four significant digits, exponents outside [1e-3, 1e5)
 * ```ts
 * import assert from "node:assert/strict";
 * import { fmt } from "./format_number.ts";
 * assert.deepEqual([fmt(0.123456), fmt(123456), fmt(0)], ["0.1235", "1.235e+5", "0"]);
 * ```
 */
export function fmt(value: number, digits = 4): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return "0";
  const abs = Math.abs(value);
  return abs >= 1e-3 && abs < 1e5
    ? Number(value.toPrecision(digits)).toString()
    : value.toExponential(digits - 1);
}
