/**
 * Library fuzz property: exported functions fed generated bad arguments (wrong
 * lengths, NaN, infinities, negative or fractional sizes, wrong types, unknown
 * option keys) throw a TypeError or RangeError whose message names the
 * parameter; they never return (and so never return NaN).
 *
 * The table imports each function from its own module (not mod.ts, whose export
 * list is curated separately), one entry per function: add a row to extend it.
 * Each row gives valid arguments and, per parameter, bad values and the name the
 * message must contain. A control checks every row's valid arguments run.
 */

import assert from "node:assert/strict";
import fc from "npm:fast-check@^4";
import { fcParameters } from "../testkit/config.ts";
import { lawQuantile, parseSpikeLaw, type SpikeLaw } from "../src/model/law.ts";
import { samplePromptBatch } from "../src/model/task.ts";
import {
  bayesTarget,
  samplePromptStatistics,
  statisticsFromBatch,
} from "../src/model/prompt_statistics.ts";
import { lsaFromGamma, oneParameterLca } from "../src/model/models.ts";
import {
  bayesPredict,
  deepLsaPredict,
  deepLsaTokenPredict,
  lcaPredict,
  lcaTokenPredict,
  lcaWithoutSkipStreamPredict,
  lsaPredict,
  lsaReducedPredict,
  lsaTokenPredict,
  olsPredict,
  sampleMeanPredict,
} from "../src/model/predictors.ts";
import { estimateMean, pairedExcess, squaredRisk } from "../src/model/risk.ts";
import {
  alphaStar,
  bayesRisk,
  bestAlphaForBeta,
  contractionRate,
  deepLsaExcess,
  gammaStar,
  geometricBound,
  lcaExcess,
  lcaExcessWithDerivatives,
  lsaGap,
  oneParameterExcess,
  optimalDepthStep,
  populationSummary,
  rhoStar,
  twoParameterOptimum,
  zeroPredictorExcess,
} from "../src/theory/population.ts";
import { train } from "../src/training/training.ts";
import { gradientDescent } from "../src/training/optimizer.ts";
import { philox4x32 } from "../src/numeric/random.ts";
import { formatSpikeLaw } from "../src/model/law.ts";
import { claimsOfModule, selectClaims, verifyClaims } from "../src/claims/claims.ts";
import { defineClaim } from "../src/claims/define.ts";
import { createBackend } from "../src/backends/backend.ts";
import { CpuBackend } from "../src/backends/cpu/cpu_backend.ts";
import { trainOnBackend } from "../src/training/training_backend.ts";

const LAW: SpikeLaw = { kind: "uniform", low: 0.5, high: 4 };
const STATS = samplePromptStatistics({ prompts: 3, context: 8, seed: 1 });
const BATCH = samplePromptBatch({ prompts: 3, context: 8, seed: 1 });
const LCA = { alpha: 0.3, beta: -0.3, depth: 3 };
const LSA = lsaFromGamma(0.27, 4);
const GAMMA = new Float64Array(16).map((_, i) => (i % 5 === 0 ? 0.27 : 0));
const SMALL_TRAIN = { model: "lca1" as const, prompts: 20, context: 10, steps: 3, testPrompts: 5 };
const OBJECTIVE = (t: Float64Array) => ({
  loss: (t[0] - 1) ** 2,
  gradient: new Float64Array([2 * (t[0] - 1)]),
});

/** Bad values of one kind, each a thunk so mutable inputs are fresh. */
type Bad = () => unknown;
const NOT_FINITE: Bad[] = [() => NaN, () => Infinity, () => -Infinity, () => "1", () => null];
const BAD_COUNT: Bad[] = [...NOT_FINITE, () => 0, () => -2, () => 2.5];
const BAD_NONNEGATIVE: Bad[] = [...NOT_FINITE, () => -0.5];
const BAD_UNIT: Bad[] = [...NOT_FINITE, () => -0.1, () => 1.5];
const BAD_LAW: Bad[] = [
  () => ({ kind: "uniform", low: 4, high: 1 }),
  () => ({ kind: "uniform", low: NaN, high: 1 }),
  () => ({ kind: "beta", a: -1, b: 2, low: 0, high: 1 }),
  () => ({ kind: "point", value: -1 }),
  () => ({ kind: "gauss" }),
  () => null,
  () => "uniform",
];
const withNaN = (a: ArrayLike<number>, at = 0) => {
  const copy = Float64Array.from(a);
  copy[at] = NaN;
  return copy;
};
const BAD_STATS: Bad[] = [
  () => ({ ...STATS, prompts: STATS.prompts + 1 }), // mismatched prompt count
  () => ({ ...STATS, prompts: 0 }),
  () => ({ ...STATS, muHat: STATS.muHat.subarray(1) }),
  () => ({ ...STATS, sigmaHat: withNaN(STATS.sigmaHat, 5) }),
  () => ({ ...STATS, query: withNaN(STATS.query) }),
  () => null,
];
const BAD_LAYER: Bad[] = [
  () => ({ ...LCA, alpha: NaN }),
  () => ({ ...LCA, beta: Infinity }),
  () => ({ ...LCA, depth: 0 }),
  () => ({ ...LCA, depth: 1.5 }),
  () => ({ ...LCA, depth: -3 }),
  () => null,
];
const BAD_ARRAY = (length: number): Bad[] => [
  () => new Float64Array(length + 1),
  () => new Float64Array(Math.max(0, length - 1)),
  () => withNaN(new Float64Array(length).fill(1)),
  () => null,
];
const UNKNOWN_KEY = (valid: Record<string, unknown>): Bad[] => [
  () => ({ ...valid, bogus: 1 }),
  () => ({ ...valid, lr: -1 }),
  () => ({ ...valid, Depth: 3 }),
];

/** One bad argument: its position, the bad values, and what the message must name. */
interface Mutation {
  at: number;
  bad: Bad[];
  names: RegExp;
}

/** One exported function. */
interface Row {
  name: string;
  call: (...args: unknown[]) => unknown;
  valid: () => unknown[];
  mutations: Mutation[];
}

// deno-lint-ignore no-explicit-any
const f = (fn: (...args: any[]) => unknown) => fn as (...args: unknown[]) => unknown;
// A law's support is named by its parameters m_lo, m_hi (the fields low, high).
const lawArg = (at: number): Mutation => ({ at, bad: BAD_LAW, names: /law|m_lo|m_hi/ });
const statsArg = (at = 0): Mutation => ({ at, bad: BAD_STATS, names: /stats/ });
const quadrature = (at: number): Mutation => ({
  at,
  bad: [() => ({ nodes: 0 }), () => ({ nodes: NaN }), () => ({ nodes: 2.5 }), ...UNKNOWN_KEY({})],
  names: /nodes|options|bogus|lr|Depth/,
});

/** The table: every exported function of the model, theory, training and RNG modules. */
export const ROWS: Row[] = [
  {
    name: "parseSpikeLaw",
    call: f(parseSpikeLaw),
    valid: () => ["uniform", 0.5, 4],
    mutations: [
      { at: 0, bad: [() => "gauss", () => "beta:0:1", () => "point:-1", () => 3], names: /law/ },
      { at: 1, bad: [() => NaN, () => -1, () => 5], names: /m_lo/ },
      { at: 2, bad: [() => NaN, () => Infinity, () => 0.1], names: /m_(lo|hi)/ },
    ],
  },
  {
    name: "formatSpikeLaw",
    call: f(formatSpikeLaw),
    valid: () => [LAW],
    mutations: [lawArg(0)],
  },
  {
    name: "selectClaims",
    call: f(selectClaims),
    valid: () => [["C1"]],
    mutations: [{ at: 0, bad: [() => ["C99"], () => "C1", () => [3]], names: /claims/ }],
  },
  {
    name: "claimsOfModule",
    call: f(claimsOfModule),
    valid: () => [{ C1: selectClaims(["C1"])[0] }],
    mutations: [{ at: 0, bad: [() => ({}), () => ({ x: 1 })], names: /module|claim/ }],
  },
  {
    name: "defineClaim",
    call: f(defineClaim),
    valid: () => [{
      id: "U1",
      title: "t",
      theorem: "th",
      statement: "s",
      parts: () => Promise.resolve([]),
    }],
    mutations: [{
      at: 0,
      bad: [
        () => ({ id: "", title: "t", theorem: "th", statement: "s", parts: () => [] }),
        () => ({ id: "U1", title: "t", theorem: "th", statement: "s", parts: 3 }),
        () => null,
      ],
      names: /id|parts|definition/,
    }],
  },
  {
    name: "lawQuantile",
    call: f(lawQuantile),
    valid: () => [LAW, 0.5],
    mutations: [lawArg(0), { at: 1, bad: BAD_UNIT, names: /\bu\b/ }],
  },
  {
    name: "philox4x32",
    call: f(philox4x32),
    valid: () => [0, 0, 0, 0, 0, 0, new Uint32Array(4)],
    mutations: [
      {
        at: 6,
        bad: [() => new Uint32Array(3), () => new Float64Array(4), () => null],
        names: /out/,
      },
      { at: 0, bad: [() => NaN, () => -1, () => 2 ** 32, () => 1.5], names: /c0/ },
      { at: 5, bad: [() => NaN, () => -1, () => 2 ** 32], names: /k1/ },
    ],
  },
  {
    name: "samplePromptStatistics",
    call: f(samplePromptStatistics),
    valid: () => [{ prompts: 2, context: 5, seed: 0 }],
    mutations: [{
      at: 0,
      bad: [
        () => ({ prompts: 0, context: 5, seed: 0 }),
        () => ({ prompts: 2, context: -1, seed: 0 }),
        () => ({ prompts: 2, context: 5, seed: NaN }),
        () => ({ prompts: 2.5, context: 5, seed: 0 }),
        () => ({ prompts: 2, context: 5, seed: 0, sigma: -1 }),
        () => ({ prompts: 2, context: 5, seed: 0, d1: 0 }),
      ],
      names: /prompts|context|seed|sigma|d1/,
    }],
  },
  {
    name: "samplePromptBatch",
    call: f(samplePromptBatch),
    valid: () => [{ prompts: 2, context: 5, seed: 0 }],
    mutations: [{
      at: 0,
      bad: [
        () => ({ prompts: -1, context: 5, seed: 0 }),
        () => ({ prompts: 2, context: Infinity, seed: 0 }),
        () => ({ prompts: 2, context: 5, seed: -1 }),
      ],
      names: /prompts|context|seed/,
    }],
  },
  {
    name: "statisticsFromBatch",
    call: f(statisticsFromBatch),
    valid: () => [BATCH],
    mutations: [{
      at: 0,
      bad: [
        () => ({ ...BATCH, prompts: 4 }),
        () => ({ ...BATCH, x: BATCH.x.subarray(1) }),
        () => ({ ...BATCH, y: withNaN(BATCH.y) }),
        () => null,
      ],
      names: /batch/,
    }],
  },
  {
    name: "bayesTarget",
    call: f(bayesTarget),
    valid: () => [STATS],
    mutations: [{
      at: 0,
      bad: [
        () => ({ ...STATS, prompts: STATS.prompts + 1 }),
        () => ({ ...STATS, strength: withNaN(STATS.strength) }),
        () => ({ ...STATS, spike: STATS.spike.subarray(2) }),
        () => ({ ...STATS, query: withNaN(STATS.query) }),
        () => null,
      ],
      names: /stats/,
    }],
  },
  {
    name: "lsaFromGamma",
    call: f(lsaFromGamma),
    valid: () => [0.3, 4],
    mutations: [{ at: 0, bad: NOT_FINITE, names: /gamma/ }, {
      at: 1,
      bad: BAD_COUNT,
      names: /dim/,
    }],
  },
  {
    name: "oneParameterLca",
    call: f(oneParameterLca),
    valid: () => [0.3, 4],
    mutations: [{ at: 0, bad: NOT_FINITE, names: /alpha/ }, {
      at: 1,
      bad: BAD_COUNT,
      names: /depth/,
    }],
  },
  { name: "bayesPredict", call: f(bayesPredict), valid: () => [STATS], mutations: [statsArg()] },
  {
    name: "sampleMeanPredict",
    call: f(sampleMeanPredict),
    valid: () => [STATS],
    mutations: [statsArg()],
  },
  { name: "olsPredict", call: f(olsPredict), valid: () => [STATS], mutations: [statsArg()] },
  {
    name: "lsaReducedPredict",
    call: f(lsaReducedPredict),
    valid: () => [STATS, GAMMA],
    mutations: [statsArg(), { at: 1, bad: BAD_ARRAY(16), names: /gamma/ }],
  },
  {
    name: "lsaPredict",
    call: f(lsaPredict),
    valid: () => [STATS, LSA],
    mutations: [statsArg(), {
      at: 1,
      bad: [
        () => ({ ...LSA, p: LSA.p.subarray(1) }),
        () => ({ ...LSA, k: withNaN(LSA.k) }),
        () => null,
      ],
      names: /\bp\b|\bk\b|params/,
    }],
  },
  ...(
    [
      ["lcaPredict", lcaPredict],
      ["lcaWithoutSkipStreamPredict", lcaWithoutSkipStreamPredict],
      ["deepLsaPredict", deepLsaPredict],
    ] as const
  ).map(([name, fn]): Row => ({
    name,
    call: f(fn),
    valid: () => [STATS, LCA],
    mutations: [statsArg(), { at: 1, bad: BAD_LAYER, names: /alpha|beta|depth|param/ }],
  })),
  {
    name: "lcaTokenPredict",
    call: f(lcaTokenPredict),
    valid: () => [BATCH, LCA, {}],
    mutations: [
      { at: 1, bad: BAD_LAYER, names: /alpha|beta|depth|param/ },
      { at: 2, bad: UNKNOWN_KEY({}), names: /bogus|lr|Depth/ },
    ],
  },
  {
    name: "deepLsaTokenPredict",
    call: f(deepLsaTokenPredict),
    valid: () => [BATCH, LCA],
    mutations: [{ at: 1, bad: BAD_LAYER, names: /alpha|beta|depth|param/ }],
  },
  {
    name: "lsaTokenPredict",
    call: f(lsaTokenPredict),
    valid: () => [BATCH, LSA],
    mutations: [{ at: 1, bad: [() => ({ ...LSA, p: new Float64Array(2) })], names: /\bp\b/ }],
  },
  {
    name: "estimateMean",
    call: f(estimateMean),
    valid: () => [[1, 2, 3]],
    mutations: [{ at: 0, bad: [() => [], () => [1], () => [1, NaN], () => null], names: /values/ }],
  },
  {
    name: "squaredRisk",
    call: f(squaredRisk),
    valid: () => [[1, 2], [1, 3]],
    mutations: [
      { at: 1, bad: [() => [1], () => [1, NaN], () => null], names: /labels/ },
      { at: 0, bad: [() => [1, Infinity], () => null], names: /predictions/ },
    ],
  },
  {
    name: "pairedExcess",
    call: f(pairedExcess),
    valid: () => [[1, 2], [1, 2.5], [1, 3]],
    mutations: [
      { at: 1, bad: [() => [1], () => [NaN, 1]], names: /reference/ },
      { at: 2, bad: [() => [1, 2, 3], () => [1, NaN]], names: /labels/ },
    ],
  },
  ...(
    [
      ["alphaStar", alphaStar],
      ["rhoStar", rhoStar],
    ] as const
  ).map(([name, fn]): Row => ({ name, call: f(fn), valid: () => [LAW], mutations: [lawArg(0)] })),
  ...(
    [
      ["gammaStar", gammaStar],
      ["lsaGap", lsaGap],
      ["zeroPredictorExcess", zeroPredictorExcess],
    ] as const
  ).map(([name, fn]): Row => ({
    name,
    call: f(fn),
    valid: () => [LAW, {}],
    mutations: [lawArg(0), quadrature(1)],
  })),
  {
    name: "contractionRate",
    call: f(contractionRate),
    valid: () => [LAW, 0.3],
    mutations: [lawArg(0), { at: 1, bad: NOT_FINITE, names: /alpha/ }],
  },
  {
    name: "bayesRisk",
    call: f(bayesRisk),
    valid: () => [LAW, 0.1, {}],
    mutations: [lawArg(0), { at: 1, bad: BAD_NONNEGATIVE, names: /sigma/ }, quadrature(2)],
  },
  {
    name: "geometricBound",
    call: f(geometricBound),
    valid: () => [LAW, 10, {}],
    mutations: [lawArg(0), { at: 1, bad: BAD_COUNT, names: /depth/ }, quadrature(2)],
  },
  {
    name: "lcaExcess",
    call: f(lcaExcess),
    valid: () => [LAW, LCA, {}],
    mutations: [
      lawArg(0),
      { at: 1, bad: BAD_LAYER, names: /alpha|beta|depth|param/ },
      quadrature(2),
    ],
  },
  {
    name: "lcaExcessWithDerivatives",
    call: f(lcaExcessWithDerivatives),
    valid: () => [LAW, LCA, {}],
    mutations: [
      lawArg(0),
      { at: 1, bad: BAD_LAYER, names: /alpha|beta|depth|param/ },
      quadrature(2),
    ],
  },
  {
    name: "deepLsaExcess",
    call: f(deepLsaExcess),
    valid: () => [LAW, LCA, {}],
    mutations: [
      lawArg(0),
      { at: 1, bad: BAD_LAYER, names: /alpha|beta|depth|param/ },
      quadrature(2),
    ],
  },
  {
    name: "oneParameterExcess",
    call: f(oneParameterExcess),
    valid: () => [LAW, 0.3, 10, {}],
    mutations: [
      lawArg(0),
      { at: 1, bad: NOT_FINITE, names: /alpha/ },
      { at: 2, bad: BAD_COUNT, names: /depth/ },
      quadrature(3),
    ],
  },
  {
    name: "optimalDepthStep",
    call: f(optimalDepthStep),
    valid: () => [LAW, 10, {}],
    mutations: [lawArg(0), { at: 1, bad: BAD_COUNT, names: /depth/ }, quadrature(2)],
  },
  {
    name: "bestAlphaForBeta",
    call: f(bestAlphaForBeta),
    valid: () => [LAW, -0.3, 10, {}],
    mutations: [
      lawArg(0),
      { at: 1, bad: NOT_FINITE, names: /beta/ },
      { at: 2, bad: BAD_COUNT, names: /depth/ },
      quadrature(3),
    ],
  },
  {
    name: "twoParameterOptimum",
    call: f(twoParameterOptimum),
    valid: () => [LAW, 3, {}],
    mutations: [lawArg(0), { at: 1, bad: BAD_COUNT, names: /depth/ }, quadrature(2)],
  },
  {
    name: "populationSummary",
    call: f(populationSummary),
    valid: () => [LAW, 0.1, 3, {}],
    mutations: [
      lawArg(0),
      { at: 1, bad: BAD_NONNEGATIVE, names: /sigma/ },
      { at: 2, bad: BAD_COUNT, names: /depth/ },
      quadrature(3),
    ],
  },
  {
    name: "train",
    call: f(train),
    valid: () => [SMALL_TRAIN],
    mutations: [{
      at: 0,
      bad: [
        ...UNKNOWN_KEY(SMALL_TRAIN),
        () => ({ ...SMALL_TRAIN, depth: 0 }),
        () => ({ ...SMALL_TRAIN, prompts: NaN }),
        () => ({ ...SMALL_TRAIN, testPrompts: 1 }),
        () => ({ ...SMALL_TRAIN, learningRate: -1 }),
        () => ({ ...SMALL_TRAIN, sigma: -1 }),
        () => ({ ...SMALL_TRAIN, model: "gpt" }),
      ],
      names: /bogus|lr|Depth|depth|prompts|testPrompts|sigma|model/,
    }],
  },
  {
    name: "gradientDescent",
    call: f(gradientDescent),
    valid: () => [OBJECTIVE, new Float64Array([0]), { steps: 3 }],
    mutations: [
      { at: 0, bad: [() => null, () => 3], names: /objective/ },
      {
        at: 1,
        bad: [() => new Float64Array([NaN]), () => new Float64Array(0), () => [0]],
        names: /initial/,
      },
      {
        at: 2,
        bad: [...UNKNOWN_KEY({ steps: 3 }), () => ({ steps: 0 }), () => ({ learningRate: -1 })],
        names: /bogus|lr|Depth|steps/,
      },
    ],
  },
];

/** Asynchronous exported functions: a bad argument must reject with a TypeError/RangeError naming it. */
const CPU = new CpuBackend();
export const ASYNC_ROWS: Row[] = [
  {
    name: "createBackend",
    call: f(createBackend),
    valid: () => ["cpu", {}],
    mutations: [
      { at: 0, bad: [() => "tpu", () => 3, () => null], names: /backend/ },
      {
        at: 1,
        bad: [() => ({ bogus: 1 }), () => ({ cpuChunkElements: -1 })],
        names: /bogus|cpuChunkElements/,
      },
    ],
  },
  {
    name: "trainOnBackend",
    call: f(trainOnBackend),
    valid: () => [SMALL_TRAIN, CPU],
    mutations: [
      {
        at: 0,
        bad: [() => ({ ...SMALL_TRAIN, lr: -1 }), () => ({ ...SMALL_TRAIN, prompts: 0 })],
        names: /lr|prompts/,
      },
      { at: 1, bad: [() => null, () => ({})], names: /backend/ },
    ],
  },
  {
    name: "verifyClaims",
    call: f(verifyClaims),
    valid: () => [["C3"], { seed: 1 }],
    mutations: [
      { at: 0, bad: [() => ["C99"], () => "C3"], names: /claims/ },
      {
        at: 1,
        bad: [() => ({ seed: -1 }), () => ({ seed: 1.5 }), () => ({ size: "huge" })],
        names: /seed|size/,
      },
    ],
  },
];

Deno.test("fuzz: bad arguments to asynchronous exported functions reject naming the parameter", async () => {
  // control: the valid arguments of the cheap rows resolve
  const backend = await createBackend("cpu", {});
  assert.equal(backend.name, "cpu");
  backend.dispose();
  const failures: string[] = [];
  for (const row of ASYNC_ROWS) {
    for (const m of row.mutations) {
      for (const [i, bad] of m.bad.entries()) {
        const args = row.valid();
        const value = bad();
        args[m.at] = value;
        try {
          const out = await row.call(...args);
          failures.push(
            `${row.name} argument ${m.at} #${i} (${describe(value)}): resolved ${describe(out)}`,
          );
        } catch (error) {
          if (
            !(error instanceof TypeError || error instanceof RangeError) ||
            !m.names.test(error.message)
          ) {
            failures.push(
              `${row.name} argument ${m.at} #${i} (${describe(value)}): ${(error as Error).name}: ${
                (error as Error).message
              }`,
            );
          }
        }
      }
    }
  }
  assert.deepEqual(failures, []);
});

Deno.test("fuzz control: every row's valid arguments run and return no NaN", () => {
  for (const row of ROWS) {
    const value = row.call(...row.valid());
    assert.ok(!containsNaN(value), `${row.name} returned NaN on valid input`);
  }
});

function containsNaN(value: unknown, depth = 0): boolean {
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

/** Generated bad counts: non-positive, fractional, non-finite. */
const badCountArbitrary: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: -1e9, max: 0 }),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }).filter((x) => !Number.isInteger(x)),
  fc.constantFrom(NaN, Infinity, -Infinity),
);

Deno.test("fuzz: bad arguments to exported functions throw TypeError/RangeError naming the parameter", () => {
  const cases = ROWS.flatMap((row) =>
    row.mutations.flatMap((m) => m.bad.map((bad, i) => ({ row, m, bad, i })))
  );
  // Every listed bad value once, then generated ones: a random row, parameter and value.
  const failures: string[] = [];
  for (const { row, m, bad, i } of cases) {
    const value = bad();
    if (Deno.env.get("FUZZ_TRACE")) console.error(`trace ${row.name} ${m.at} #${i}`);
    const why = fuzzOnce(row, m, value);
    if (why !== undefined) {
      failures.push(`${row.name} argument ${m.at} bad value #${i} (${describe(value)}): ${why}`);
    }
  }
  assert.deepEqual(failures, []);
  const counts = cases.filter((c) => c.m.bad === BAD_COUNT);
  fc.assert(
    fc.property(
      fc.constantFrom(...counts),
      badCountArbitrary,
      ({ row, m }, value) => {
        const why = fuzzOnce(row, m, value);
        if (why !== undefined) {
          throw new Error(`${row.name} argument ${m.at} = ${describe(value)}: ${why}`);
        }
      },
    ),
    fcParameters(300),
  );
});

function describe(value: unknown): string {
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
