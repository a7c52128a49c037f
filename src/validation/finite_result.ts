/**
 * Results that would not be finite are refused, naming the arguments that make them so:
 * a public function returns a number you can use, or throws a RangeError that says what to
 * change (`alpha = 1e300, beta = -1e300, depth = 10 make the excess E_T overflow
 * (Infinity)`), never a silent Infinity or NaN. The population functions of `src/theory/`
 * check their results with it. The losses and predictors do not: an infinite loss or
 * prediction is how a diverging fit shows (gradient descent backs off from it, training
 * reports it), and the theory's optimisers use the unchecked `lcaExcessTerms` for the same
 * reason.
 *
 * @module
 */

/** Formats the arguments of a call as `a = 1, b = 2 and c = 3` (strings as given). */
function describeArguments(args: Readonly<Record<string, unknown>>): string {
  const parts = Object.entries(args).map(([name, value]) =>
    `${name} = ${typeof value === "string" ? value : String(value)}`
  );
  return parts.length <= 1
    ? parts.join("")
    : `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
}

/**
 * Returns `value` when every number of it is finite, else throws a RangeError naming
 * `args` (the arguments that determine `what`) and the value reached.
 *
 * @example A finite value passes, an overflow names the arguments
 * ```ts
 * import assert from "node:assert/strict";
 * import { requireFiniteResult } from "./finite_result.ts";
 * assert.equal(requireFiniteResult(2, "the square", { x: 1.4142 }), 2);
 * assert.throws(
 *   () => requireFiniteResult(1e300 * 1e300, "the square", { x: 1e300 }),
 *   /^RangeError: x = 1e\+300 makes the square overflow \(Infinity\)$/,
 * );
 * ```
 */
export function requireFiniteResult<T extends number | readonly number[]>(
  value: T,
  what: string,
  args: Readonly<Record<string, unknown>>,
): T {
  const numbers: readonly number[] = typeof value === "number" ? [value] : value;
  const bad = numbers.find((x) => !Number.isFinite(x));
  if (bad === undefined) return value;
  const verb = Object.keys(args).length === 1 ? "makes" : "make";
  const outcome = Number.isNaN(bad)
    ? "undefined (NaN: an overflow cancelled)"
    : `overflow (${bad})`;
  throw new RangeError(`${describeArguments(args)} ${verb} ${what} ${outcome}`);
}
