/**
 * Schedule models: the attention over tokens equals the statistics form to rounding; constant
 * steps are the tied LCA; for beta_t = -alpha_t the error along each eigenvector of Sigma_hat is
 * prod_t (1 - alpha_t lambda_j). Rounding tolerances are gamma_k M, with M the same
 * computation on absolute values (|x|, |y|, |alpha_t|, |beta_t|) and k the operations per entry.
 */
import assert from "node:assert/strict";
import { fc, fcParameters } from "../../testkit/config.ts";
import { sampleOptions } from "../testing/arbitraries.ts";
import { samplePromptBatch } from "./task.ts";
import { samplePromptStatistics, statisticsFromBatch } from "./prompt_statistics.ts";
import { lcaPredict } from "./predictors.ts";
import { lcaTokenPredict } from "./token_predictors.ts";
import { symmetricEigen } from "../numeric/linalg.ts";
import type { PromptBatch } from "./model_types.ts";
import {
  SCHEDULE_MODELS,
  scheduleLayers,
  type ScheduleParameters,
  schedulePredict,
  scheduleTokenPredict,
  tiedSchedule,
  validateScheduleParameters,
} from "./schedule_models.ts";

const EPS = Number.EPSILON / 2;
const step = fc.double({ min: -0.6, max: 0.6, noNaN: true });

/** Per-layer steps, with betas (lca2-schedule) or without (lca-schedule). */
const schedules: fc.Arbitrary<ScheduleParameters> = fc.integer({ min: 1, max: 6 }).chain((T) =>
  fc.oneof(
    fc.record({ alphas: fc.array(step, { minLength: T, maxLength: T }) }),
    fc.record({
      alphas: fc.array(step, { minLength: T, maxLength: T }),
      betas: fc.array(step, { minLength: T, maxLength: T }),
    }),
  )
);

/** The batch with every entry replaced by its absolute value. */
function absBatch(batch: PromptBatch): PromptBatch {
  return {
    ...batch,
    x: batch.x.map(Math.abs),
    y: batch.y.map(Math.abs),
    query: batch.query.map(Math.abs),
  };
}

/** |alpha_t| and |beta_t| (betas made explicit). */
function absParams(params: ScheduleParameters): ScheduleParameters {
  const { alphas, betas } = scheduleLayers(params);
  return { alphas: alphas.map(Math.abs), betas: betas.map(Math.abs) };
}

const options = sampleOptions({ maxPrompts: 4, maxContext: 24, maxModalityDim: 2 });

Deno.test("token-level attention equals the statistics form to rounding", () => {
  fc.assert(
    fc.property(options, schedules, (sample, params) => {
      const batch = samplePromptBatch(sample);
      const token = scheduleTokenPredict(batch, params);
      const closed = schedulePredict(statisticsFromBatch(batch), params);
      const magnitude = scheduleTokenPredict(absBatch(batch), absParams(params));
      const T = params.alphas.length, L = batch.context, d = batch.task.dim;
      const k = T * (L + 3 * d + 6) + L + d + 4;
      token.forEach((y, n) => {
        const bound = 2 * k * EPS / (1 - k * EPS) * magnitude[n] + 1e-300;
        assert.ok(Math.abs(y - closed[n]) <= bound, `${Math.abs(y - closed[n])} > ${bound}`);
      });
    }),
    fcParameters(60),
  );
  // Control: another schedule gives other predictions.
  const batch = samplePromptBatch({ prompts: 3, context: 16, seed: 1 });
  const a = schedulePredict(statisticsFromBatch(batch), { alphas: [0.5, 0.2] });
  const b = scheduleTokenPredict(batch, { alphas: [0.2, 0.5], betas: [-0.5, -0.2] });
  assert.ok(a.some((v, n) => Math.abs(v - b[n]) > 1e-6));
});

Deno.test("constant steps are the tied LCA (lcaPredict) to rounding", () => {
  const tied = fc.record({
    alpha: step,
    beta: fc.option(step, { nil: undefined }),
    depth: fc.integer({ min: 1, max: 8 }),
  });
  fc.assert(
    fc.property(options, tied, (sample, { alpha, beta, depth }) => {
      const stats = statisticsFromBatch(samplePromptBatch(sample));
      const schedule = schedulePredict(stats, tiedSchedule(alpha, depth, beta));
      const lca = lcaPredict(stats, { alpha, beta: beta ?? -alpha, depth });
      const magnitude = scheduleTokenPredict(
        absBatch(samplePromptBatch(sample)),
        absParams(tiedSchedule(alpha, depth, beta ?? -alpha)),
      );
      const k = depth * (3 * stats.task.dim + 6) + 2 * stats.context + 8;
      schedule.forEach((y, n) => {
        assert.ok(Math.abs(y - lca[n]) <= 4 * k * EPS * magnitude[n] + 1e-300);
      });
    }),
    fcParameters(60),
  );
});

Deno.test("beta_t = -alpha_t: the error along each eigenvector of Sigma_hat is prod_t (1 - alpha_t lambda)", () => {
  // With mu_hat = u_j the readout is u_j^T q_T = (u_j^T x_q) (1 - p(lambda_j)) / lambda_j.
  const residuals = (params: ScheduleParameters, seed: number) => {
    const stats = samplePromptStatistics({ prompts: 1, context: 12, seed, d1: 2, d2: 2 });
    const d = stats.task.dim;
    const { values, vectors } = symmetricEigen(stats.sigmaHat, d);
    const out: { lambda: number; measured: number }[] = [];
    for (let j = 0; j < d; j++) {
      const u = Float64Array.from({ length: d }, (_, r) => vectors[r * d + j]);
      let ux = 0;
      u.forEach((v, r) => (ux += v * stats.query[r]));
      const y = schedulePredict({ ...stats, muHat: u }, params)[0];
      out.push({ lambda: values[j], measured: 1 - values[j] * y / ux });
    }
    return out;
  };
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: 0.05, max: 0.6, noNaN: true }), { minLength: 1, maxLength: 10 }),
      fc.nat(),
      (alphas, seed) => {
        for (const { lambda, measured } of residuals({ alphas }, seed)) {
          let p = 1, magnitude = 1;
          for (const a of alphas) {
            p *= 1 - a * lambda;
            magnitude *= 1 + a * lambda;
          }
          assert.ok(Math.abs(measured - p) <= 1e-12 * magnitude, `${measured} vs ${p}`);
        }
      },
    ),
    fcParameters(40),
  );
  // Control: free betas (beta_t != -alpha_t) break the product form (beta_1 acts on q_0 = 0, so
  // it is beta_2 that differs here).
  const broken = residuals({ alphas: [0.3, 0.2], betas: [-0.3, -0.25] }, 3);
  assert.ok(
    broken.some(({ lambda, measured }) =>
      Math.abs(measured - (1 - 0.3 * lambda) * (1 - 0.2 * lambda)) > 1e-6
    ),
  );
});

Deno.test("schedule parameters: the two models, and bad parameters named", () => {
  assert.deepEqual(SCHEDULE_MODELS, ["lca-schedule", "lca2-schedule"]);
  assert.deepEqual(scheduleLayers({ alphas: [0.1, 0.2], betas: [0.3, 0.4] }).betas, [0.3, 0.4]);
  const stats = samplePromptStatistics({ prompts: 2, context: 8, seed: 0 });
  const batch = samplePromptBatch({ prompts: 2, context: 8, seed: 0 });
  const cases: [() => unknown, RegExp][] = [
    [() => validateScheduleParameters(null as never), /^TypeError: parameters must be an object/],
    [() => validateScheduleParameters({ alphas: [] }), /^RangeError: alphas must hold at least/],
    [() => validateScheduleParameters({ alphas: [0.1, Infinity] }), /^RangeError: alphas must/],
    [() => validateScheduleParameters({ alphas: "0.1" as never }), /^TypeError: alphas must be/],
    [
      () => validateScheduleParameters({ alphas: [0.1], betas: [0.1, 0.2] }),
      /^RangeError: betas must have length 1/,
    ],
    [
      () => validateScheduleParameters({ alphas: [0.1], gammas: [1] } as never),
      /^TypeError: parameters has an unknown option "gammas"/,
    ],
    [() => tiedSchedule(0.3, 0), /^RangeError: depth must be a positive integer/],
    [() => tiedSchedule(NaN, 2), /^RangeError: alpha must be a finite number/],
    [() => tiedSchedule(0.3, 2, Infinity), /^RangeError: beta must be a finite number/],
    [() => schedulePredict({} as never, { alphas: [0.1] }), /^TypeError: stats\.prompts/],
    [() => schedulePredict(stats, { alphas: [] }), /^RangeError: alphas/],
    [() => scheduleTokenPredict({} as never, { alphas: [0.1] }), /^TypeError: batch\.prompts/],
    [() => scheduleTokenPredict(batch, { alphas: [0.1], betas: [] }), /^RangeError: betas/],
  ];
  for (const [call, pattern] of cases) assert.throws(call, pattern);
});

Deno.test("a tied schedule at token level is lcaTokenPredict, with and without the skip stream", () => {
  const batch = samplePromptBatch({ prompts: 3, context: 9, seed: 6 });
  const params = { alpha: 0.4, beta: -0.25, depth: 3 };
  const tied = tiedSchedule(params.alpha, params.depth, params.beta);
  for (const withoutSkipStream of [false, true]) {
    // The same recursion: equal to the bit, not to rounding.
    assert.deepEqual(
      scheduleTokenPredict(batch, tied, { withoutSkipStream }),
      lcaTokenPredict(batch, params, { withoutSkipStream }),
    );
  }
  // Control: dropping the skip stream changes every prediction.
  const plain = scheduleTokenPredict(batch, tied);
  const ablated = scheduleTokenPredict(batch, tied, { withoutSkipStream: true });
  plain.forEach((y, n) => assert.ok(Math.abs(y - ablated[n]) > 1e-6, `prompt ${n}`));
  assert.throws(
    () => scheduleTokenPredict(batch, tied, { withoutSkip: true } as never),
    /^TypeError: options has an unknown option "withoutSkip"/,
  );
});
