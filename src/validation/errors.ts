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
 * import assert from "node:assert/strict";
 * import { requirePositiveInteger } from "./errors.ts";
 * assert.equal(requirePositiveInteger("depth", 10), 10);
 * assert.throws(() => requirePositiveInteger("depth", 0), RangeError);
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

/**
 * Checks that `value` is a plain options object (or undefined) whose keys are all in
 * `known`: a misspelt or foreign option is an error, never silently ignored.
 */
export function requireKnownKeys(
  name: string,
  value: unknown,
  known: readonly string[],
): void {
  if (value === undefined) return;
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new TypeError(`${name} must be an options object, got ${describeValue(value)}`);
  }
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw new TypeError(
        `${name} has an unknown option ${JSON.stringify(key)} (known: ${known.join(", ")})`,
      );
    }
  }
}

/**
 * Checks the shape of prompt statistics: a positive prompt count N, a task with
 * dimension d, and per-prompt arrays of N d^2 (sigmaHat), N d (muHat, query) and
 * N (meanY, meanY2, queryLabel) finite numbers.
 */
export function requireStatistics(name: string, stats: unknown): void {
  if (stats === null || typeof stats !== "object") {
    throw new TypeError(`${name} must be prompt statistics, got ${describeValue(stats)}`);
  }
  const s = stats as Record<string, unknown> & { task?: { dim?: unknown } };
  const n = requirePositiveInteger(`${name}.prompts`, s.prompts);
  if (s.task === null || typeof s.task !== "object") {
    throw new TypeError(`${name}.task must be a task, got ${describeValue(s.task)}`);
  }
  const d = requirePositiveInteger(`${name}.task.dim`, s.task.dim);
  const sizes: [string, number][] = [
    ["sigmaHat", n * d * d],
    ["muHat", n * d],
    ["query", n * d],
    ["meanY", n],
    ["meanY2", n],
    ["queryLabel", n],
  ];
  for (const [key, size] of sizes) {
    const field = `${name}.${key}`;
    requireLength(field, s[key] as ArrayLike<number>, size);
    requireAllFinite(field, s[key] as ArrayLike<number>);
  }
}

/** Checks that `value` is an array-like of finite numbers (any length, or exactly `length`). */
export function requireNumbers(name: string, value: unknown, length?: number): ArrayLike<number> {
  if (
    value === null || typeof value !== "object" ||
    typeof (value as ArrayLike<number>).length !== "number"
  ) {
    throw new TypeError(`${name} must be an array of numbers, got ${describeValue(value)}`);
  }
  const array = value as ArrayLike<number>;
  if (length !== undefined) requireLength(name, array, length);
  return requireAllFinite(name, array);
}

/** Checks that an array-like holds numbers and no NaN (infinities pass: they report divergence). */
export function requireNoNaN(name: string, value: unknown): ArrayLike<number> {
  if (
    value === null || typeof value !== "object" ||
    typeof (value as ArrayLike<number>).length !== "number"
  ) {
    throw new TypeError(`${name} must be an array of numbers, got ${describeValue(value)}`);
  }
  const array = value as ArrayLike<number>;
  for (let i = 0; i < array.length; i++) {
    if (typeof array[i] !== "number" || Number.isNaN(array[i])) {
      throw new RangeError(`${name} must not contain NaN, got ${array[i]} at index ${i}`);
    }
  }
  return array;
}

/**
 * Checks the task part of a batch or of statistics: prompts N, task.dim d,
 * strength (N) and spike (N d), and the query covariates (N d), all finite.
 */
export function requireTasks(name: string, tasks: unknown): void {
  if (tasks === null || typeof tasks !== "object") {
    throw new TypeError(`${name} must be a batch of prompts, got ${describeValue(tasks)}`);
  }
  const t = tasks as Record<string, unknown> & { task?: { dim?: unknown } };
  const n = requirePositiveInteger(`${name}.prompts`, t.prompts);
  if (t.task === null || typeof t.task !== "object") {
    throw new TypeError(`${name}.task must be a task, got ${describeValue(t.task)}`);
  }
  const d = requirePositiveInteger(`${name}.task.dim`, t.task.dim);
  requireNumbers(`${name}.strength`, t.strength, n);
  requireNumbers(`${name}.spike`, t.spike, n * d);
  requireNumbers(`${name}.query`, t.query, n * d);
}

/** Checks a stored batch: the tasks, context L, x (N L d), y (N L), queryLabel (N), all finite. */
export function requireBatch(name: string, batch: unknown): void {
  requireTasks(name, batch);
  const b = batch as Record<string, unknown> & { prompts: number; task: { dim: number } };
  const L = requirePositiveInteger(`${name}.context`, b.context);
  requireNumbers(`${name}.x`, b.x, b.prompts * L * b.task.dim);
  requireNumbers(`${name}.y`, b.y, b.prompts * L);
  requireNumbers(`${name}.queryLabel`, b.queryLabel, b.prompts);
}
