/**
 * The fixtures of the library fuzz property (props/validation_fuzz_test.ts): valid inputs,
 * families of bad values, the row and mutation types of the tables in
 * `fuzz_rows_model.ts` and `fuzz_rows_theory.ts`, and the runner of one bad call.
 *
 * @module
 */

import type { SpikeLaw } from "../src/model/law.ts";
import { samplePromptBatch } from "../src/model/task.ts";
import { samplePromptStatistics } from "../src/model/prompt_statistics.ts";
import { lsaFromGamma } from "../src/model/models.ts";

/** The valid law of every row. */
export const LAW: SpikeLaw = { kind: "uniform", low: 0.5, high: 4 };
export const STATS = samplePromptStatistics({ prompts: 3, context: 8, seed: 1 });
export const BATCH = samplePromptBatch({ prompts: 3, context: 8, seed: 1 });
export const LCA = { alpha: 0.3, beta: -0.3, depth: 3 };
export const LSA = lsaFromGamma(0.27, 4);
export const GAMMA = new Float64Array(16).map((_, i) => (i % 5 === 0 ? 0.27 : 0));
export const SMALL_TRAIN = {
  model: "lca1" as const,
  prompts: 20,
  context: 10,
  steps: 3,
  testPrompts: 5,
};
export const OBJECTIVE = (t: Float64Array) => ({
  loss: (t[0] - 1) ** 2,
  gradient: new Float64Array([2 * (t[0] - 1)]),
});

/** Bad values of one kind, each a thunk so mutable inputs are fresh. */
export type Bad = () => unknown;
export const NOT_FINITE: Bad[] = [
  () => NaN,
  () => Infinity,
  () => -Infinity,
  () => "1",
  () => null,
];
export const BAD_COUNT: Bad[] = [...NOT_FINITE, () => 0, () => -2, () => 2.5];
export const BAD_NONNEGATIVE: Bad[] = [...NOT_FINITE, () => -0.5];
export const BAD_UNIT: Bad[] = [...NOT_FINITE, () => -0.1, () => 1.5];
export const BAD_LAW: Bad[] = [
  () => ({ kind: "uniform", low: 4, high: 1 }),
  () => ({ kind: "uniform", low: NaN, high: 1 }),
  () => ({ kind: "beta", a: -1, b: 2, low: 0, high: 1 }),
  () => ({ kind: "point", value: -1 }),
  () => ({ kind: "gauss" }),
  () => null,
  () => "uniform",
];
export const withNaN = (a: ArrayLike<number>, at = 0) => {
  const copy = Float64Array.from(a);
  copy[at] = NaN;
  return copy;
};
export const BAD_STATS: Bad[] = [
  () => ({ ...STATS, prompts: STATS.prompts + 1 }), // mismatched prompt count
  () => ({ ...STATS, prompts: 0 }),
  () => ({ ...STATS, muHat: STATS.muHat.subarray(1) }),
  () => ({ ...STATS, sigmaHat: withNaN(STATS.sigmaHat, 5) }),
  () => ({ ...STATS, query: withNaN(STATS.query) }),
  () => null,
];
export const BAD_LAYER: Bad[] = [
  () => ({ ...LCA, alpha: NaN }),
  () => ({ ...LCA, beta: Infinity }),
  () => ({ ...LCA, depth: 0 }),
  () => ({ ...LCA, depth: 1.5 }),
  () => ({ ...LCA, depth: -3 }),
  () => null,
];
export const BAD_ARRAY = (length: number): Bad[] => [
  () => new Float64Array(length + 1),
  () => new Float64Array(Math.max(0, length - 1)),
  () => withNaN(new Float64Array(length).fill(1)),
  () => null,
];
export const UNKNOWN_KEY = (valid: Record<string, unknown>): Bad[] => [
  () => ({ ...valid, bogus: 1 }),
  () => ({ ...valid, lr: -1 }),
  () => ({ ...valid, Depth: 3 }),
];

/** One bad argument: its position, the bad values, and what the message must name. */
export interface Mutation {
  at: number;
  bad: Bad[];
  names: RegExp;
}

/** One exported function. */
export interface Row {
  name: string;
  call: (...args: unknown[]) => unknown;
  valid: () => unknown[];
  mutations: Mutation[];
}

// deno-lint-ignore no-explicit-any
export const f = (fn: (...args: any[]) => unknown) => fn as (...args: unknown[]) => unknown;
// A law's support is named by its parameters m_lo, m_hi (the fields low, high).
export const lawArg = (at: number): Mutation => ({ at, bad: BAD_LAW, names: /law|m_lo|m_hi/ });
export const statsArg = (at = 0): Mutation => ({ at, bad: BAD_STATS, names: /stats/ });
export const quadrature = (at: number): Mutation => ({
  at,
  bad: [() => ({ nodes: 0 }), () => ({ nodes: NaN }), () => ({ nodes: 2.5 }), ...UNKNOWN_KEY({})],
  names: /nodes|options|bogus|lr|Depth/,
});

/** Whether a value (number, typed array or object, 3 levels deep) holds a NaN. */
export function containsNaN(value: unknown, depth = 0): boolean {
  if (typeof value === "number") return Number.isNaN(value);
  if (depth > 3 || value === null || typeof value !== "object") return false;
  if (ArrayBuffer.isView(value)) {
    return Array.from(value as unknown as ArrayLike<number>).some((v) => Number.isNaN(v));
  }
  return Object.values(value).some((v) => containsNaN(v, depth + 1));
}

/** Runs one row with one bad argument; returns why it is wrong, or undefined when it threw right. */
export function fuzzOnce(row: Row, mutation: Mutation, bad: unknown): string | undefined {
  const args = row.valid();
  args[mutation.at] = bad;
  let value: unknown;
  try {
    value = row.call(...args);
  } catch (error) {
    if (!(error instanceof TypeError || error instanceof RangeError)) {
      return `threw ${(error as Error).name}: ${(error as Error).message}`;
    }
    return mutation.names.test(error.message)
      ? undefined
      : `message does not name ${mutation.names}: ${error.message}`;
  }
  return `returned ${containsNaN(value) ? "NaN" : "without throwing"}`;
}

/** A short JSON description of a value for failure messages. */
export function describe(value: unknown): string {
  try {
    const text = JSON.stringify(
      value,
      (_k, v) =>
        typeof v === "number" && !Number.isFinite(v)
          ? String(v)
          : ArrayBuffer.isView(v)
          ? `[${v.constructor.name}]`
          : v,
    );
    return (text ?? String(value)).slice(0, 80);
  } catch {
    return String(value);
  }
}
