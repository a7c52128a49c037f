/**
 * Rows of the library fuzz property for the theory, training, backend and claim-running
 * functions (the last three asynchronous).
 *
 * @module
 */

import { bayesRisk, contractionRate, geometricBound } from "../src/theory/population.ts";
import { bestAlphaForBeta, lcaExcess, lcaExcessWithDerivatives } from "../src/theory/lca_excess.ts";
import { deepLsaExcess } from "../src/theory/deep_lsa_excess.ts";
import { oneParameterExcess } from "../src/theory/one_parameter_excess.ts";
import { optimalDepthStep } from "../src/theory/optimal_depth_step.ts";
import { populationSummary } from "../src/theory/population_summary.ts";
import { twoParameterOptimum } from "../src/theory/two_parameter_optimum.ts";
import { train } from "../src/training/training.ts";
import { gradientDescent } from "../src/training/optimizer.ts";
import { verifyClaims } from "../src/claims/claims.ts";
import { createBackend } from "../src/backends/create_backend.ts";
import { CpuBackend } from "../src/backends/cpu/cpu_backend.ts";
import { trainOnBackend } from "../src/training/training_backend.ts";
import {
  BAD_COUNT,
  BAD_LAYER,
  BAD_NONNEGATIVE,
  f,
  LAW,
  lawArg,
  LCA,
  NOT_FINITE,
  OBJECTIVE,
  quadrature,
  type Row,
  SMALL_TRAIN,
  UNKNOWN_KEY,
} from "./fuzz_cases.ts";

/** The synchronous rows of the theory and training modules. */
export const THEORY_ROWS: Row[] = [
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

/** The CPU backend the asynchronous rows train on. */
export const CPU = new CpuBackend();
/** Asynchronous exported functions: a bad argument must reject with a TypeError/RangeError naming it. */
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
