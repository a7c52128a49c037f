/**
 * Training the schedule models (claim C12): on exact statistics with the Bayes target the
 * trained steps reach the optimal schedule's excess, the tied model does not (control), and
 * a tied start stays tied (why the default start is the Chebyshev schedule).
 */
import assert from "node:assert/strict";
import { bayesTarget, samplePromptStatistics } from "../model/prompt_statistics.ts";
import { chebyshevSchedule, optimalSchedule, scheduleExcess } from "../theory/optimal_schedule.ts";
import { optimalDepthStep } from "../theory/optimal_depth_step.ts";
import { fitSchedule, scheduleInitial } from "./fit_schedule.ts";
import { resolveTrain, trainingSample } from "./train_options.ts";
import { train } from "./training.ts";

/** `train --model M --depth 4 --context inf --target bayes` with the CLI's defaults. */
const ACCEPTANCE = { depth: 4, context: Infinity, target: "bayes" } as const;

Deno.test("acceptance: lca-schedule at T = 4 reaches the optimal excess within 2 SE; lca1 does not (control)", () => {
  const schedule = train({ model: "lca-schedule", ...ACCEPTANCE });
  const law = resolveTrain({ model: "lca-schedule", ...ACCEPTANCE }).task.law;
  const optimum = optimalSchedule(law, 4);
  const measured = schedule.conditionalTestExcess;
  assert.equal(measured.samples, 1000);
  assert.ok(
    Math.abs(measured.mean - optimum.excess) <= 2 * measured.standardError,
    `${measured.mean} ± ${measured.standardError} against ${optimum.excess}`,
  );
  assert.equal(schedule.stop.reason, "converged");
  // Its population excess is the optimum's to 2%, its steps the optimal steps to 0.01.
  const population = schedule.populationExcess;
  assert.ok(population !== undefined);
  assert.equal(population.optimalSchedule, optimum.excess);
  assert.ok(Math.abs(population.trained / optimum.excess - 1) < 0.02, `${population.trained}`);
  assert.ok(schedule.parameters.model === "lca-schedule");
  schedule.parameters.schedule.alphas.forEach((a, t) =>
    assert.ok(Math.abs(a - optimum.alphas[t]) < 0.01, `layer ${t + 1}: ${a}`)
  );
  // Control: the tied model on the same prompts stays far above the optimum (about 9 times),
  // and the start (the Chebyshev schedule) was well above it too: the descent closed the gap.
  const tied = train({ model: "lca1", ...ACCEPTANCE }).conditionalTestExcess;
  assert.ok(
    tied.mean - optimum.excess > 5 * tied.standardError,
    `${tied.mean} ± ${tied.standardError} against ${optimum.excess}`,
  );
  assert.ok(population.tiedAlphaT > 5 * optimum.excess);
  assert.ok(scheduleExcess(law, chebyshevSchedule(law, 4).alphas) > 1.5 * optimum.excess);
});

Deno.test("lca2-schedule reaches the same optimum (its residuals include lca-schedule's)", () => {
  const result = train({ model: "lca2-schedule", ...ACCEPTANCE, testPrompts: 200 });
  const e = result.populationExcess;
  assert.ok(e !== undefined && Math.abs(e.trained / e.optimalSchedule - 1) < 0.03, `${e?.trained}`);
  assert.ok(result.parameters.model === "lca2-schedule");
  const { alphas, betas } = result.parameters.schedule;
  assert.ok(betas !== undefined && betas.length === 4 && alphas.length === 4);
  // beta_1 multiplies Sigma_hat q_0 = 0: its gradient is 0 and it keeps its start.
  const law = resolveTrain({ model: "lca2-schedule" }).task.law;
  assert.equal(betas[0], -chebyshevSchedule(law, 4).alphas[0]);
});

Deno.test("a tied start stays tied: the loss is symmetric in the steps (control for the default start)", () => {
  const r0 = resolveTrain({ model: "lca-schedule", ...ACCEPTANCE });
  const alphaT = optimalDepthStep(r0.task.law, 4);
  const r = resolveTrain({ ...r0.options, alphasInit: [alphaT, alphaT, alphaT, alphaT] });
  const stats = samplePromptStatistics(trainingSample(r));
  const fit = fitSchedule("lca-schedule", r, stats, bayesTarget(stats));
  assert.ok(fit.parameters.model === "lca-schedule");
  const alphas = fit.parameters.schedule.alphas;
  const spread = Math.max(...alphas) - Math.min(...alphas);
  assert.ok(spread < 1e-9, `spread ${spread}`);
  const optimum = optimalSchedule(r.task.law, 4).excess;
  assert.ok(scheduleExcess(r.task.law, alphas) > 5 * optimum);
  // Control: the default start on the same prompts leaves the tied line and reaches it.
  const free = fitSchedule("lca-schedule", r0, stats, bayesTarget(stats));
  assert.ok(free.parameters.model === "lca-schedule");
  assert.ok(scheduleExcess(r.task.law, free.parameters.schedule.alphas) < 1.05 * optimum);
});

Deno.test("the paper's loss: finite context and noisy labels train, and the run reports its stop", () => {
  const result = train({
    model: "lca-schedule",
    depth: 3,
    prompts: 400,
    context: 40,
    testPrompts: 200,
    steps: 300,
  });
  assert.equal(result.target, "label");
  assert.ok(result.trainLoss < result.trajectory[0].loss);
  assert.ok(["converged", "stagnation", "step-cap"].includes(result.stop.reason));
  assert.ok(result.testRisk.mean > 0 && Number.isFinite(result.conditionalTestExcess.mean));
  assert.ok(result.populationExcess !== undefined && result.populationExcess.trained > 0);
});

Deno.test("scheduleInitial: given lists, else the Chebyshev schedule; betas default to -alpha_t", () => {
  const given = resolveTrain({
    model: "lca2-schedule",
    depth: 2,
    alphasInit: [0.5, 0.25],
    betasInit: [-0.4, -0.2],
  });
  assert.deepEqual([...scheduleInitial(given)], [0.5, 0.25, -0.4, -0.2]);
  const one = resolveTrain({ model: "lca-schedule", depth: 2, alphasInit: [0.5, 0.25] });
  assert.deepEqual([...scheduleInitial(one)], [0.5, 0.25]);
  const r = resolveTrain({ model: "lca-schedule", depth: 3 });
  assert.deepEqual([...scheduleInitial(r)], chebyshevSchedule(r.task.law, 3).alphas);
});
