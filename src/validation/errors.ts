/**
 * Input validation shared by the whole toolkit.
 *
 * Every check throws a `TypeError` (wrong kind of value) or a `RangeError`
 * (right kind, wrong range) whose message names the parameter and the value it
 * got, e.g. `depth must be a positive integer, got 0`. The CLI prints that one
 * line and exits with code 2.
 *
 * @module
 */

/** Formats a value for an error message: numbers as JS prints them, strings quoted. */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") {
    return String(value);
  }
  if (value === undefined) return "undefined";
  if (value === null) return "null";
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  return typeof value;
}

function requireNumber(name: string, value: unknown, what: string): number {
  if (typeof value !== "number") {
    throw new TypeError(`${name} must be ${what}, got ${describeValue(value)}`);
  }
  if (!Number.isFinite(value)) {
    throw new RangeError(`${name} must be ${what}, got ${describeValue(value)}`);
  }
  return value;
}

/**
 * Checks that `value` is a positive safe integer.
 *
 * @example
 * ```ts
 * import { requirePositiveInteger } from "./errors.ts";
 * requirePositiveInteger("depth", 10); // 10
 * ```
 */
export function requirePositiveInteger(name: string, value: unknown): number {
  const v = requireNumber(name, value, "a positive integer");
  if (!Number.isSafeInteger(v) || v <= 0) {
    throw new RangeError(`${name} must be a positive integer, got ${describeValue(value)}`);
  }
  return v;
}

/** Checks that `value` is a non-negative safe integer. */
export function requireNonNegativeInteger(name: string, value: unknown): number {
  const v = requireNumber(name, value, "a non-negative integer");
  if (!Number.isSafeInteger(v) || v < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${describeValue(value)}`);
  }
  return v;
}

/** Checks that `value` is a finite number. */
export function requireFinite(name: string, value: unknown): number {
  return requireNumber(name, value, "a finite number");
}

/** Checks that `value` is a finite number `>= 0`. */
export function requireNonNegative(name: string, value: unknown): number {
  const v = requireNumber(name, value, "a finite number >= 0");
  if (v < 0) throw new RangeError(`${name} must be a finite number >= 0, got ${describeValue(v)}`);
  return v;
}

/** Checks that `value` is a finite number `> 0`. */
export function requirePositive(name: string, value: unknown): number {
  const v = requireNumber(name, value, "a finite number > 0");
  if (v <= 0) throw new RangeError(`${name} must be a finite number > 0, got ${describeValue(v)}`);
  return v;
}

/** Checks that an array-like has exactly `expected` entries. */
export function requireLength(
  name: string,
  value: ArrayLike<number>,
  expected: number,
): ArrayLike<number> {
  if (value === null || typeof value !== "object" || typeof value.length !== "number") {
    throw new TypeError(`${name} must be an array of numbers, got ${describeValue(value)}`);
  }
  if (value.length !== expected) {
    throw new RangeError(`${name} must have length ${expected}, got length ${value.length}`);
  }
  return value;
}

/** Checks that every entry of an array-like is finite. */
export function requireAllFinite(name: string, value: ArrayLike<number>): ArrayLike<number> {
  for (let i = 0; i < value.length; i++) {
    if (!Number.isFinite(value[i])) {
      throw new RangeError(
        `${name} must contain only finite numbers, got ${value[i]} at index ${i}`,
      );
    }
  }
  return value;
}

/** Checks that `value` is one of `choices`. */
export function requireChoice<T extends string>(
  name: string,
  value: unknown,
  choices: readonly T[],
): T {
  if (typeof value !== "string") {
    throw new TypeError(
      `${name} must be one of ${choices.join(", ")}, got ${describeValue(value)}`,
    );
  }
  if (!(choices as readonly string[]).includes(value)) {
    throw new RangeError(
      `${name} must be one of ${choices.join(", ")}, got ${describeValue(value)}`,
    );
  }
  return value as T;
}
