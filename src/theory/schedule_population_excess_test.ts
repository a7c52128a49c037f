import assert from "node:assert/strict";
import { fc, fcParameters } from "../../testkit/config.ts";
import { spikeLaws } from "../testing/arbitraries.ts";
import type { SpikeLaw } from "../model/law.ts";
import { samplePromptStatistics } from "../model/prompt_statistics.ts";
import { bayesPredict } from "../model/predictors.ts";
import { schedulePredict, tiedSchedule } from "../model/schedule_models.ts";
import { lcaExcess } from "./lca_excess.ts";
import { optimalSchedule, scheduleExcess } from "./optimal_schedule.ts";
import { schedulePopulationExcess } from "./schedule_population_excess.ts";

const UNIFORM: SpikeLaw = { kind: "uniform", low: 0.5, high: 4 };
const relative = (a: number, b: number) => Math.abs(a / b - 1);

Deno.test("constant steps give the tied model's excess (lcaExcess), for any law", () => {
  fc.assert(
    fc.property(
      spikeLaws({ kinds: ["uniform", "beta"] }),
      fc.double({ min: 0.05, max: 0.4, noNaN: true }),
      fc.double({ min: -0.4, max: -0.05, noNaN: true }),
      fc.integer({ min: 1, max: 8 }),
      (law, alpha, beta, depth) => {
        const tied = lcaExcess(law, { alpha, beta, depth });
        const schedule = schedulePopulationExcess(law, tiedSchedule(alpha, depth, beta));
        assert.ok(relative(schedule, tied) <= 1e-10, `${schedule} against ${tied}`);
      },
    ),
    fcParameters(100),
  );
});

Deno.test("with betas = -alphas it is scheduleExcess; a free beta changes it (control)", () => {
  const alphas = optimalSchedule(UNIFORM, 4).alphas;
  const betas = alphas.map((a) => -a);
  const one = scheduleExcess(UNIFORM, alphas);
  assert.ok(relative(schedulePopulationExcess(UNIFORM, { alphas, betas }), one) <= 1e-9);
  assert.equal(schedulePopulationExcess(UNIFORM, { alphas }), one);
  const moved = schedulePopulationExcess(UNIFORM, { alphas, betas: [...betas.slice(0, 3), -0.3] });
  assert.ok(moved > 1.5 * one, `${moved} against ${one}`);
  // beta_1 multiplies Sigma q_0 = 0: it never acts.
  const first = schedulePopulationExcess(UNIFORM, { alphas, betas: [5, ...betas.slice(1)] });
  assert.ok(relative(first, one) <= 1e-9);
});

Deno.test("the excess is the mean (y_hat - f_Bayes)^2 over exact-statistics prompts", () => {
  const stats = samplePromptStatistics({ prompts: 20000, context: Infinity, seed: 4 });
  const params = { alphas: [0.5, 0.3, 0.2], betas: [-0.4, -0.35, -0.2] };
  const predictions = schedulePredict(stats, params);
  const bayes = bayesPredict(stats);
  let sum = 0, sumSquares = 0;
  for (let n = 0; n < stats.prompts; n++) {
    const gap = (predictions[n] - bayes[n]) ** 2;
    sum += gap;
    sumSquares += gap * gap;
  }
  const mean = sum / stats.prompts;
  const se = Math.sqrt((sumSquares / stats.prompts - mean * mean) / stats.prompts);
  const population = schedulePopulationExcess(UNIFORM, params);
  assert.ok(Math.abs(mean - population) <= 4 * se, `${mean} ± ${se} against ${population}`);
  // Control: another schedule's excess is many standard errors away.
  const other = schedulePopulationExcess(UNIFORM, { alphas: [0.3, 0.3, 0.3] });
  assert.ok(Math.abs(mean - other) > 10 * se, `${mean} ± ${se} against ${other}`);
});

Deno.test("an overflowing excess is refused, naming the steps", () => {
  assert.throws(
    () => schedulePopulationExcess(UNIFORM, { alphas: [1e200, 1e200], betas: [0, 1e200] }),
    /^RangeError: law = .* alphas = \[1e\+200, 1e\+200\] and betas = \[0, 1e\+200\] make the population excess of the schedule overflow/,
  );
});
