/**
 * Laws of the spike strength s = |m|^2: `uniform`, `beta:A:B` (a Beta(A, B) shape
 * rescaled to [m_lo, m_hi]) and `point:S` (the degenerate control).
 *
 * @module
 */

import { describeValue, requireNonNegative, requirePositive } from "../validation/errors.ts";
import { inverseRegularizedIncompleteBeta } from "../numeric/special.ts";

/** A law of the spike strength s on [low, high] (for a point mass low = high = value). */
export type SpikeLaw =
  | { kind: "uniform"; low: number; high: number }
  | { kind: "beta"; a: number; b: number; low: number; high: number }
  | { kind: "point"; value: number };

/** Names accepted by {@linkcode parseSpikeLaw}. */
export const LAW_SYNTAX = "uniform, beta:A:B (A, B > 0) or point:S (S >= 0)";

/** Checks the support [low, high]: finite, 0 <= low < high. */
export function validateSupport(low: number, high: number): void {
  requireNonNegative("m_lo", low);
  requireNonNegative("m_hi", high);
  if (!(low < high)) {
    throw new RangeError(`m_lo must be less than m_hi, got m_lo=${low}, m_hi=${high}`);
  }
}

/**
 * Parses a law name on the support [low, high]. For `point:S` the support is {S}
 * and `low`, `high` are not used.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseSpikeLaw } from "./law.ts";
 * const law = parseSpikeLaw("beta:2:5", 0.5, 4);
 * assert.deepEqual(law, { kind: "beta", a: 2, b: 5, low: 0.5, high: 4 });
 * ```
 */
export function parseSpikeLaw(spec: unknown, low: number, high: number): SpikeLaw {
  if (typeof spec !== "string") {
    throw new TypeError(`law must be one of ${LAW_SYNTAX}, got ${describeValue(spec)}`);
  }
  const parts = spec.trim().split(":");
  const bad = () => new RangeError(`law must be one of ${LAW_SYNTAX}, got ${describeValue(spec)}`);
  const num = (text: string) => (text.trim() === "" ? NaN : Number(text));
  switch (parts[0]) {
    case "uniform":
      if (parts.length !== 1) throw bad();
      validateSupport(low, high);
      return { kind: "uniform", low, high };
    case "beta": {
      if (parts.length !== 3) throw bad();
      const a = num(parts[1]);
      const b = num(parts[2]);
      if (!(Number.isFinite(a) && a > 0 && Number.isFinite(b) && b > 0)) throw bad();
      validateSupport(low, high);
      return { kind: "beta", a, b, low, high };
    }
    case "point": {
      if (parts.length !== 2) throw bad();
      const value = num(parts[1]);
      if (!(Number.isFinite(value) && value >= 0)) throw bad();
      return { kind: "point", value };
    }
    default:
      throw bad();
  }
}

/** Validates a law object (as built by hand rather than parsed). */
export function validateSpikeLaw(law: SpikeLaw): SpikeLaw {
  if (law === null || typeof law !== "object") {
    throw new TypeError(`law must be a SpikeLaw object, got ${describeValue(law)}`);
  }
  switch (law.kind) {
    case "uniform":
      validateSupport(law.low, law.high);
      return law;
    case "beta":
      requirePositive("law.a", law.a);
      requirePositive("law.b", law.b);
      validateSupport(law.low, law.high);
      return law;
    case "point":
      requireNonNegative("law.value", law.value);
      return law;
    default:
      throw new RangeError(
        `law.kind must be one of uniform, beta, point, got ${
          describeValue((law as { kind: unknown }).kind)
        }`,
      );
  }
}

/** The support endpoints [low, high] of the law (equal for a point mass). */
export function lawSupport(law: SpikeLaw): { low: number; high: number } {
  return law.kind === "point" ? { low: law.value, high: law.value } : law;
}

/**
 * The law written back in the CLI syntax, with its support.
 *
 * @example Round trip with parseSpikeLaw
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatSpikeLaw, parseSpikeLaw } from "./law.ts";
 * assert.equal(formatSpikeLaw(parseSpikeLaw("beta:2:5", 0.2, 3)), "beta(2, 5)[0.2, 3]");
 * ```
 */
export function formatSpikeLaw(law: SpikeLaw): string {
  validateSpikeLaw(law);
  switch (law.kind) {
    case "uniform":
      return `uniform[${law.low}, ${law.high}]`;
    case "beta":
      return `beta(${law.a}, ${law.b})[${law.low}, ${law.high}]`;
    case "point":
      return `point(${law.value})`;
  }
}

/** True when the law is a point mass (the premise of Theorem 4.1 fails). */
export function isDegenerate(law: SpikeLaw): boolean {
  return law.kind === "point";
}

/** The u-quantile of the law, u in (0, 1): how a uniform draw becomes a spike strength. */
export function lawQuantile(law: SpikeLaw, u: number): number {
  validateSpikeLaw(law);
  if (typeof u !== "number" || !(u >= 0 && u <= 1)) {
    throw new RangeError(`u must be a probability in [0, 1], got ${describeValue(u)}`);
  }
  return lawQuantileUnchecked(law, u);
}

/**
 * {@linkcode lawQuantile} without validation (internal: for the per-prompt sampling
 * loop, whose law was validated once by `resolveTask` and whose u is a generator's
 * uniform in [0, 1)).
 */
export function lawQuantileUnchecked(law: SpikeLaw, u: number): number {
  switch (law.kind) {
    case "uniform":
      return law.low + (law.high - law.low) * u;
    case "beta":
      return law.low + (law.high - law.low) * inverseRegularizedIncompleteBeta(law.a, law.b, u);
    case "point":
      return law.value;
  }
}
