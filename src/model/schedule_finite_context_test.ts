/**
 * The finite-context comparison of a schedule with the tied model: its per-prompt excesses are
 * the spectral formula's (sum_j (u_j^T x_q)(u_j^T mu_hat) (1 - p_T(lambda_j))/lambda_j against
 * w^T x_q), at L_te = Infinity the means estimate the population excess E_T, the paired
 * difference is the difference of the means, equal steps give a zero difference (control), and
 * bad options are refused naming the option.
 */
import assert from "node:assert/strict";
import { fc, fcParameters } from "../../testkit/config.ts";
import { optimalSchedule, scheduleExcess } from "../theory/optimal_schedule.ts";
import { optimalDepthStep } from "../theory/optimal_depth_step.ts";
import { bayesTarget, samplePromptStatistics, spectralStatistics } from "./prompt_statistics.ts";
import {
  compareScheduleOnStatistics,
  FINITE_CONTEXTS,
  finiteContextScheduleComparison,
} from "./schedule_finite_context.ts";

const LAW = { kind: "uniform", low: 0.5, high: 4 } as const;
const OPTIMUM = optimalSchedule(LAW, 4).alphas;
const TIED = optimalDepthStep(LAW, 4);

/** Per-prompt excesses by the spectral formula (no recursion over the layers). */
function spectralExcess(
  stats: ReturnType<typeof samplePromptStatistics>,
  alphas: readonly number[],
): Float64Array {
  const spectral = spectralStatistics(stats);
  const target = bayesTarget(stats);
  const d = spectral.dim;
  return Float64Array.from(target, (bayes, n) => {
    let y = 0;
    for (let j = 0; j < d; j++) {
      const lambda = spectral.lambda[n * d + j];
      const p = alphas.reduce((product, alpha) => product * (1 - alpha * lambda), 1);
      y += spectral.weight[n * d + j] * (1 - p) / lambda;
    }
    return (y - bayes) ** 2;
  });
}

Deno.test("per-prompt excesses equal the spectral formula's, for the schedule and the tied model", () => {
  fc.assert(
    fc.property(
      fc.constantFrom(32, 64, 256, Infinity),
      fc.nat({ max: 1000 }),
      (context, seed) => {
        const stats = samplePromptStatistics({ prompts: 50, context, seed, stream: 1 });
        const row = compareScheduleOnStatistics(stats, OPTIMUM, TIED);
        const schedule = spectralExcess(stats, OPTIMUM);
        const tied = spectralExcess(stats, [TIED, TIED, TIED, TIED]);
        const mean = (v: Float64Array) => v.reduce((a, b) => a + b, 0) / v.length;
        // Two evaluations of the same polynomial (recursion against eigen-decomposition): the
        // eigen-decomposition's error ~ 1e-15 relative, amplified by at most the condition of
        // the residual near the root; 1e-9 relative is far above rounding and far below any bug.
        for (const [estimate, direct] of [[row.schedule, schedule], [row.tied, tied]] as const) {
          assert.ok(
            Math.abs(estimate.mean - mean(direct)) <= 1e-9 * mean(direct),
            `L=${context}: ${estimate.mean} vs ${mean(direct)}`,
          );
        }
        assert.ok(
          Math.abs(row.difference.mean - (row.schedule.mean - row.tied.mean)) <=
            1e-12 * (row.schedule.mean + row.tied.mean),
        );
      },
    ),
    fcParameters(20),
  );
});

Deno.test("control: the spectral formula with one step changed disagrees", () => {
  const stats = samplePromptStatistics({ prompts: 50, context: 64, seed: 3, stream: 1 });
  const row = compareScheduleOnStatistics(stats, OPTIMUM, TIED);
  const moved = spectralExcess(stats, [OPTIMUM[0] * 1.01, ...OPTIMUM.slice(1)]);
  const mean = moved.reduce((a, b) => a + b, 0) / moved.length;
  assert.ok(Math.abs(row.schedule.mean - mean) > 1e-6 * mean, `${row.schedule.mean} vs ${mean}`);
});

Deno.test("at L_te = Infinity the means estimate the population excess E_T (5 SE)", () => {
  const result = finiteContextScheduleComparison({
    alphas: OPTIMUM,
    tiedAlpha: TIED,
    contexts: [Infinity],
    prompts: 4000,
  });
  const [row] = result.rows;
  const population = [
    [row.schedule, scheduleExcess(LAW, OPTIMUM)],
    [row.tied, scheduleExcess(LAW, [TIED, TIED, TIED, TIED])],
  ] as const;
  for (const [estimate, exact] of population) {
    assert.ok(
      Math.abs(estimate.mean - exact) <= 5 * estimate.standardError,
      `${estimate.mean} ± ${estimate.standardError} vs ${exact}`,
    );
  }
  // The paired difference resolves the gain (about 9x at T = 4): here about -17 SE.
  assert.ok(row.difference.mean < -10 * row.difference.standardError, JSON.stringify(row));
});

Deno.test("defaults: L_te 64, 256, 1024 on 4000 test prompts (stream 1), steps kept as given", () => {
  const result = finiteContextScheduleComparison({ alphas: OPTIMUM, tiedAlpha: TIED });
  assert.deepEqual(result.rows.map((row) => row.context), [...FINITE_CONTEXTS]);
  assert.deepEqual(FINITE_CONTEXTS, [64, 256, 1024]);
  assert.equal(result.prompts, 4000);
  assert.deepEqual(result.alphas, OPTIMUM);
  assert.equal(result.depth, 4);
  for (const row of result.rows) assert.equal(row.schedule.samples, 4000);
  // The same prompts as samplePromptStatistics on the test stream with seed 0.
  const stats = samplePromptStatistics({ prompts: 4000, context: 256, seed: 0, stream: 1 });
  assert.deepEqual(result.rows[1], compareScheduleOnStatistics(stats, OPTIMUM, TIED));
});

Deno.test("control: equal steps are the tied model, with a zero paired difference", () => {
  const result = finiteContextScheduleComparison({
    alphas: [TIED, TIED, TIED, TIED],
    tiedAlpha: TIED,
    contexts: [64],
    prompts: 100,
    seed: 5,
  });
  const [row] = result.rows;
  assert.equal(row.difference.mean, 0);
  assert.equal(row.difference.standardError, 0);
  assert.deepEqual(row.schedule, row.tied);
});

Deno.test("task options reach the sampler: another law gives other prompts", () => {
  const base = { alphas: OPTIMUM, tiedAlpha: TIED, contexts: [128], prompts: 50 };
  const uniform = finiteContextScheduleComparison(base);
  const beta = finiteContextScheduleComparison({ ...base, law: "beta:2:5", d1: 1, d2: 3 });
  assert.notDeepEqual(uniform.rows[0].schedule, beta.rows[0].schedule);
});

Deno.test("bad options are refused, naming the option", () => {
  const ok = { alphas: OPTIMUM, tiedAlpha: TIED, prompts: 10 };
  const cases: [unknown, RegExp][] = [
    [{ ...ok, alphas: [] }, /^RangeError: alphas must hold at least one step/],
    [{ ...ok, alphas: [0.3, Number.NaN] }, /alphas/],
    [{ ...ok, tiedAlpha: Infinity }, /tiedAlpha/],
    [{ ...ok, contexts: [] }, /^RangeError: contexts must be a non-empty array/],
    [{ ...ok, contexts: [64, 0] }, /contexts\[1\]/],
    [{ ...ok, prompts: 1 }, /^RangeError: prompts must be at least 2/],
    [{ ...ok, seed: -1 }, /seed/],
    [{ ...ok, depth: 4 }, /depth/],
    [null, /^TypeError: options must be an object/],
  ];
  for (const [options, pattern] of cases) {
    assert.throws(
      () =>
        finiteContextScheduleComparison(
          options as Parameters<typeof finiteContextScheduleComparison>[0],
        ),
      (e: unknown) => pattern.test(String(e)),
      JSON.stringify(options),
    );
  }
});
