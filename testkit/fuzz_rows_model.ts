/**
 * Rows of the library fuzz property for the model, sampling, law, RNG and claims-registry
 * functions: valid arguments and, per parameter, bad values and the name the message must
 * contain.
 *
 * @module
 */

import { lawQuantile, parseSpikeLaw } from "../src/model/law.ts";
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
import { alphaStar, rhoStar, zeroPredictorExcess } from "../src/theory/population.ts";
import { gammaStar, lsaGap } from "../src/theory/gamma_star.ts";
import { philox4x32 } from "../src/numeric/random.ts";
import { formatSpikeLaw } from "../src/model/law.ts";
import { claimsOfModule, selectClaims } from "../src/claims/claims.ts";
import { defineClaim } from "../src/claims/define.ts";
import {
  BAD_ARRAY,
  BAD_COUNT,
  BAD_LAYER,
  BAD_UNIT,
  BATCH,
  f,
  GAMMA,
  LAW,
  lawArg,
  LCA,
  LSA,
  NOT_FINITE,
  quadrature,
  type Row,
  STATS,
  statsArg,
  UNKNOWN_KEY,
  withNaN,
} from "./fuzz_cases.ts";

/** The synchronous rows of the model, sampling, law, RNG and claims-registry modules. */
export const MODEL_ROWS: Row[] = [
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
];
