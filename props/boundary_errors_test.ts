/**
 * Bad input throws a TypeError (wrong kind of value) or a RangeError (right kind, wrong
 * range) whose message names the parameter and the value it got.
 *
 * @module
 */

import assert from "node:assert/strict";
import { parseSpikeLaw } from "../src/model/law.ts";
import {
  deepLsaSpectralLoss,
  lcaSpectralLoss,
  lcaTokenLoss,
  lsaLoss,
} from "../src/model/losses.ts";
import { lcaExcess } from "../src/theory/lca_excess.ts";
import { optimalDepthStep } from "../src/theory/optimal_depth_step.ts";
import { lcaPredict, lsaPredict, lsaReducedPredict } from "../src/model/predictors.ts";
import {
  samplePromptStatistics,
  spectralStatistics,
  statisticsFromBatch,
} from "../src/model/prompt_statistics.ts";
import { samplePromptBatch } from "../src/model/task.ts";
import { train } from "../src/training/training.ts";
import type { TrainOptions } from "../src/training/train_options.ts";
import {
  bayesRisk,
  contractionRate,
  geometricBound,
  zeroPredictorExcess,
} from "../src/theory/population.ts";
import { bestAlphaForBeta, lcaExcessWithDerivatives } from "../src/theory/lca_excess.ts";
import { deepLsaExcess } from "../src/theory/deep_lsa_excess.ts";
import { gammaStar, lsaGap } from "../src/theory/gamma_star.ts";
import { oneParameterExcess } from "../src/theory/one_parameter_excess.ts";
import { twoParameterOptimum } from "../src/theory/two_parameter_optimum.ts";
import { populationSummary } from "../src/theory/population_summary.ts";
import { selectClaims, verifyClaims } from "../src/claims/claims.ts";

const base = { prompts: 2, context: 5, seed: 0 };
const stats = samplePromptStatistics(base);
const batch = samplePromptBatch(base);

type Case = [string, () => unknown, typeof TypeError | typeof RangeError, string, string];

const cases: Case[] = [
  ["prompts 0", () => samplePromptBatch({ ...base, prompts: 0 }), RangeError, "prompts", "0"],
  ["prompts 1.5", () => samplePromptBatch({ ...base, prompts: 1.5 }), RangeError, "prompts", "1.5"],
  [
    "prompts -3",
    () => samplePromptStatistics({ ...base, prompts: -3 }),
    RangeError,
    "prompts",
    "-3",
  ],
  ["prompts NaN", () => samplePromptBatch({ ...base, prompts: NaN }), RangeError, "prompts", "NaN"],
  [
    "prompts Infinity",
    () => samplePromptBatch({ ...base, prompts: Infinity }),
    RangeError,
    "prompts",
    "Infinity",
  ],
  [
    "prompts string",
    () => samplePromptBatch({ ...base, prompts: "5" as unknown as number }),
    TypeError,
    "prompts",
    '"5"',
  ],
  ["context 0", () => samplePromptBatch({ ...base, context: 0 }), RangeError, "context", "0"],
  [
    "context Infinity for stored tokens",
    () => samplePromptBatch({ ...base, context: Infinity }),
    RangeError,
    "context",
    "Infinity",
  ],
  ["seed -1", () => samplePromptBatch({ ...base, seed: -1 }), RangeError, "seed", "-1"],
  ["seed 0.5", () => samplePromptBatch({ ...base, seed: 0.5 }), RangeError, "seed", "0.5"],
  [
    "stream 2^32",
    () => samplePromptBatch({ ...base, stream: 2 ** 32 }),
    RangeError,
    "stream",
    "4294967296",
  ],
  [
    "promptOffset -1",
    () => samplePromptBatch({ ...base, promptOffset: -1 }),
    RangeError,
    "promptOffset",
    "-1",
  ],
  ["m_lo = m_hi", () => samplePromptBatch({ ...base, mMin: 4, mMax: 4 }), RangeError, "m_lo", "4"],
  ["m_lo > m_hi", () => samplePromptBatch({ ...base, mMin: 5, mMax: 4 }), RangeError, "m_hi", "4"],
  ["negative m_lo", () => samplePromptBatch({ ...base, mMin: -0.5 }), RangeError, "m_lo", "-0.5"],
  ["m_hi NaN", () => samplePromptBatch({ ...base, mMax: NaN }), RangeError, "m_hi", "NaN"],
  [
    "negative sigma",
    () => samplePromptBatch({ ...base, sigma: -0.1 }),
    RangeError,
    "sigma",
    "-0.1",
  ],
  [
    "sigma Infinity",
    () => samplePromptBatch({ ...base, sigma: Infinity }),
    RangeError,
    "sigma",
    "Infinity",
  ],
  ["d1 0", () => samplePromptBatch({ ...base, d1: 0 }), RangeError, "d1", "0"],
  ["d2 2.5", () => samplePromptBatch({ ...base, d2: 2.5 }), RangeError, "d2", "2.5"],
  ["unknown law", () => samplePromptBatch({ ...base, law: "gauss" }), RangeError, "law", '"gauss"'],
  ["beta law without b", () => parseSpikeLaw("beta:1", 0, 1), RangeError, "law", '"beta:1"'],
  ["beta law with a < 0", () => parseSpikeLaw("beta:-1:2", 0, 1), RangeError, "law", '"beta:-1:2"'],
  ["point law below 0", () => parseSpikeLaw("point:-1", 0, 1), RangeError, "law", '"point:-1"'],
  ["law not a string", () => parseSpikeLaw(5, 0, 1), TypeError, "law", "5"],
  [
    "unknown model",
    () => train({ model: "lca3" } as unknown as TrainOptions),
    RangeError,
    "model",
    '"lca3"',
  ],
  [
    "missing model",
    () => train({} as unknown as TrainOptions),
    TypeError,
    "model",
    "undefined",
  ],
  ["train depth 0", () => train({ model: "lca1", depth: 0 }), RangeError, "depth", "0"],
  ["train steps -1", () => train({ model: "lca1", steps: -1 }), RangeError, "steps", "-1"],
  ["train lr 0", () => train({ model: "lca1", learningRate: 0 }), RangeError, "lr", "0"],
  [
    "train target",
    () => train({ model: "lca1", target: "noisy" as "label" }),
    RangeError,
    "target",
    '"noisy"',
  ],
  [
    "train testContext 0",
    () => train({ model: "lca1", testContext: 0 }),
    RangeError,
    "testContext",
    "0",
  ],
  [
    "train alphaInit NaN",
    () => train({ model: "lca1", alphaInit: NaN, prompts: 5, testPrompts: 5 }),
    RangeError,
    "alphaInit",
    "NaN",
  ],
  [
    "alpha NaN",
    () => lcaPredict(stats, { alpha: NaN, beta: 0, depth: 2 }),
    RangeError,
    "alpha",
    "NaN",
  ],
  [
    "depth 1.5",
    () => lcaPredict(stats, { alpha: 0.1, beta: 0, depth: 1.5 }),
    RangeError,
    "depth",
    "1.5",
  ],
  [
    "population depth 0",
    () => optimalDepthStep(parseSpikeLaw("uniform", 0.5, 4), 0),
    RangeError,
    "depth",
    "0",
  ],
  [
    "quadrature nodes 0",
    () =>
      lcaExcess(parseSpikeLaw("uniform", 0.5, 4), { alpha: 0.3, beta: -0.3, depth: 2 }, {
        nodes: 0,
      }),
    RangeError,
    "nodes",
    "0",
  ],
  [
    "target length",
    () => lcaSpectralLoss(spectralStatistics(stats), [1], { alpha: 0.1, beta: -0.1, depth: 2 }),
    RangeError,
    "target",
    "length 1",
  ],
  [
    "LSA p length",
    () => lsaPredict(stats, { p: new Float64Array(4), k: new Float64Array(20) }),
    RangeError,
    "p",
    "length 4",
  ],
  [
    "LSA k NaN",
    () => lsaPredict(stats, { p: new Float64Array(5), k: new Float64Array(20).fill(NaN) }),
    RangeError,
    "k",
    "NaN",
  ],
  ["Gamma length", () => lsaReducedPredict(stats, [1, 0, 0, 1]), RangeError, "gamma", "length 4"],
  [
    "batch.x length",
    () => statisticsFromBatch({ ...batch, x: batch.x.subarray(1) }),
    RangeError,
    "batch.x",
    `length ${batch.x.length - 1}`,
  ],
];

// The exported losses validate their targets but not their parameters: a wrong p length or a
// NaN alpha gives a silent NaN loss, a depth 0 or 2.5 runs 0 or 3 layers. These fail until
// losses.ts validates its parameters like the predictors do.
const lossCases: Case[] = [
  [
    "lsaLoss p length",
    () => lsaLoss(stats, stats.queryLabel, { p: new Float64Array(3), k: new Float64Array(20) }),
    RangeError,
    "p",
    "length 3",
  ],
  [
    "lcaSpectralLoss alpha NaN",
    () =>
      lcaSpectralLoss(spectralStatistics(stats), stats.queryLabel, {
        alpha: NaN,
        beta: 0,
        depth: 2,
      }),
    RangeError,
    "alpha",
    "NaN",
  ],
  [
    "lcaTokenLoss depth 0",
    () => lcaTokenLoss(batch, batch.queryLabel, { alpha: 0.1, beta: -0.1, depth: 0 }),
    RangeError,
    "depth",
    "0",
  ],
  [
    "deepLsaSpectralLoss depth 2.5",
    () =>
      deepLsaSpectralLoss(spectralStatistics(stats), stats.queryLabel, {
        alpha: 0.1,
        beta: -0.1,
        depth: 2.5,
      }),
    RangeError,
    "depth",
    "2.5",
  ],
];

function check([label, fn, type, name, value]: Case) {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof type, `${label}: expected ${type.name}, got ${e}`);
    assert.ok(
      (e as Error).message.includes(name) && (e as Error).message.includes(value),
      `${label}: message ${JSON.stringify((e as Error).message)} should name ${name} and ${value}`,
    );
    return true;
  });
}

Deno.test("bad input throws TypeError/RangeError naming the parameter and the value", async (t) => {
  for (const c of cases) await t.step(c[0], () => check(c));
});

Deno.test("losses reject bad parameters (NaN, non-integer depth, wrong lengths)", async (t) => {
  for (const c of lossCases) await t.step(c[0], () => check(c));
});

const LAW = parseSpikeLaw("uniform", 0.5, 4);
const WIDE = parseSpikeLaw("uniform", 0, 1e200);

/**
 * The library's boundary (issue point 7): resource limits, results that would not be finite,
 * and the claim registry, each refused naming the argument, each with a control (valid
 * nearby input passes).
 */
const boundaryCases: [...Case, () => unknown][] = [
  [
    "a billion prompts of statistics",
    () => samplePromptStatistics({ ...base, prompts: 1e9 }),
    RangeError,
    "prompts",
    "1e9",
    () => samplePromptStatistics({ ...base, prompts: 1e5 }),
  ],
  [
    "a million tokens of context in every stored prompt",
    () => samplePromptBatch({ ...base, prompts: 1e3, context: 1e6 }),
    RangeError,
    "context",
    "1e6",
    () => samplePromptBatch({ ...base, prompts: 1e3, context: 1e3 }),
  ],
  [
    "ten million training steps",
    () => train({ model: "lca1", steps: 1e7 }),
    RangeError,
    "steps",
    "1e7",
    () => train({ model: "lca1", steps: 1e7, prompts: 20, testPrompts: 2, limits: "none" }),
  ],
  [
    "a million quadrature nodes",
    () => lcaExcess(LAW, { alpha: 0.3, beta: -0.3, depth: 2 }, { nodes: 1e6 }),
    RangeError,
    "nodes",
    "1000000",
    () => lcaExcess(LAW, { alpha: 0.3, beta: -0.3, depth: 2 }, { nodes: 8192 }),
  ],
  [
    "lcaExcess overflows at alpha 1e300",
    () => lcaExcess(LAW, { alpha: 1e300, beta: -1e300, depth: 10 }),
    RangeError,
    "alpha = 1e+300",
    "overflow (Infinity)",
    () => lcaExcess(LAW, { alpha: 1e3, beta: -1e3, depth: 10 }),
  ],
  [
    "lcaExcessWithDerivatives overflows at depth 300 outside the stable range",
    () => lcaExcessWithDerivatives(LAW, { alpha: 1, beta: -1, depth: 300 }),
    RangeError,
    "depth = 300",
    "Infinity",
    () => lcaExcessWithDerivatives(LAW, { alpha: 1, beta: -1, depth: 30 }),
  ],
  [
    "bestAlphaForBeta overflows at beta -1, depth 400",
    () => bestAlphaForBeta(LAW, -1, 400),
    RangeError,
    "beta = -1",
    "depth = 400",
    () => bestAlphaForBeta(LAW, -1, 40),
  ],
  [
    "oneParameterExcess overflows at alpha 1, depth 1000",
    () => oneParameterExcess(LAW, 1, 1000),
    RangeError,
    "alpha = 1",
    "depth = 1000",
    () => oneParameterExcess(LAW, 0.3, 1000),
  ],
  [
    "deepLsaExcess overflows at alpha 1e200",
    () => deepLsaExcess(LAW, { alpha: 1e200, beta: 0, depth: 3 }),
    RangeError,
    "alpha = 1e+200",
    "Infinity",
    () => deepLsaExcess(LAW, { alpha: 1e30, beta: 0, depth: 3 }),
  ],
  [
    "bayesRisk overflows at sigma 1e200",
    () => bayesRisk(LAW, 1e200),
    RangeError,
    "sigma = 1e+200",
    "Infinity",
    () => bayesRisk(LAW, 1e150),
  ],
  [
    "contractionRate overflows at alpha 1e308",
    () => contractionRate(LAW, 1e308),
    RangeError,
    "alpha = 1e+308",
    "Infinity",
    () => contractionRate(LAW, 1e307),
  ],
  [
    "gammaStar: E[s (1 + s)] overflows on [0, 1e200]",
    () => gammaStar(WIDE),
    RangeError,
    "law = uniform[0, 1e+200]",
    "E[s (1+s)]",
    () => gammaStar(parseSpikeLaw("uniform", 0, 1e150)),
  ],
  [
    "lsaGap: E[s (1 + s)] overflows on [0, 1e200]",
    () => lsaGap(WIDE),
    RangeError,
    "law = uniform[0, 1e+200]",
    "Infinity",
    () => lsaGap(parseSpikeLaw("uniform", 0, 1e150)),
  ],
  [
    "twoParameterOptimum from a start at 1e200",
    () => twoParameterOptimum(LAW, 10, { start: { alpha: 1e200, beta: 1e200 } }),
    RangeError,
    "start.alpha = 1e+200",
    "Infinity",
    () => twoParameterOptimum(LAW, 10, { start: { alpha: 0.3, beta: -0.3 } }),
  ],
  [
    "populationSummary overflows at sigma 1e200",
    () => populationSummary(LAW, 1e200, 10),
    RangeError,
    "sigma = 1e+200",
    "Infinity",
    () => populationSummary(LAW, 1e150, 10),
  ],
  [
    "selectClaims: an unknown id among all built-in claims",
    () => selectClaims(["C11", "E4"]),
    RangeError,
    "claims",
    '"E4"',
    () => selectClaims(["C11", "E1", "E2", "E3"]),
  ],
];

Deno.test("the library's boundary: limits, non-finite results and the registry name the argument", async (t) => {
  for (const [label, fn, type, name, value, control] of boundaryCases) {
    await t.step(label, () => {
      check([label, fn, type, name, value]);
      const ok = control();
      assert.ok(ok !== undefined, `${label}: the control returned nothing`);
    });
  }
  // The functions whose results cannot overflow (bounded by 1) stay finite at the extremes.
  assert.ok(Number.isFinite(zeroPredictorExcess(WIDE)));
  assert.ok(Number.isFinite(geometricBound(LAW, 1e6)));
  assert.equal((await verifyClaims(["E3"], { size: "quick", seed: 0 }))[0].id, "E3");
});
