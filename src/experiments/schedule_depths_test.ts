/**
 * The rows of Fig. 11: the population curves keep their order (optimal schedule <= tied
 * optimum <= tied bound, optimum <= Chebyshev bound, equal at T = 1), the trained schedule is
 * `train({ model: "lca-schedule" })` and never below the population optimum, and the
 * finite-context rows are `finiteContextScheduleComparison` of the optimal steps against
 * alpha_T. Controls: the tied optimum is far above the schedule at T = 6; a wrong law moves the
 * population curves.
 *
 * @module
 */

import assert from "node:assert/strict";
import { scheduleDepths, scheduleTheory } from "./schedule_depths.ts";
import { optimalSchedule } from "../theory/optimal_schedule.ts";
import { train } from "../training/training.ts";
import { finiteContextScheduleComparison } from "../model/schedule_finite_context.ts";

const law = { kind: "uniform", low: 0.5, high: 4 } as const;
const task = { d1: 1, d2: 1, law, sigma: 0.1 };

Deno.test("scheduleTheory: optimum <= tied <= tied bound, optimum <= Chebyshev bound, equal at T = 1", () => {
  const rows = scheduleTheory(law, 8);
  assert.deepEqual(rows.map((r) => r.depth), [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.ok(Math.abs(rows[0].optimum / rows[0].tied - 1) < 1e-9);
  for (const r of rows) {
    assert.ok(r.optimum <= r.tied * (1 + 1e-12), `T = ${r.depth}`);
    assert.ok(r.tied <= r.tiedBound && r.optimum <= r.chebyshevBound, `T = ${r.depth}`);
    assert.equal(r.optimum, optimalSchedule(law, r.depth).excess);
  }
  // Control: the gain of the schedule is large by T = 6, and another law moves the curves.
  assert.ok(rows[5].optimum < rows[5].tied / 10);
  const other = scheduleTheory({ kind: "uniform", low: 0.5, high: 8 }, 2);
  assert.ok(other[1].optimum > rows[1].optimum);
});

Deno.test("scheduleDepths: trained rows are train(lca-schedule); finite rows compare on the same prompts", () => {
  const o = {
    task,
    maxDepth: 3,
    depths: [1, 3],
    prompts: 200,
    steps: 300,
    testPrompts: 100,
    contexts: [64, 256],
    seed: 2,
  };
  const e = scheduleDepths(o);
  assert.equal(e.theory.length, 3);
  const reference = train({
    model: "lca-schedule",
    ...task,
    depth: 3,
    prompts: 200,
    context: Infinity,
    target: "bayes",
    steps: 300,
    testPrompts: 100,
    seed: 2,
  });
  assert.equal(e.trained[1].population, reference.populationExcess!.trained);
  for (const r of e.trained) {
    assert.ok(r.population >= e.theory[r.depth - 1].optimum * (1 - 1e-9), `T = ${r.depth}`);
  }
  const finite = finiteContextScheduleComparison({
    ...task,
    alphas: optimalSchedule(law, 3).alphas,
    tiedAlpha: e.theory[2].tiedAlpha,
    contexts: [64, 256],
    prompts: 100,
    seed: 2,
  });
  assert.deepEqual(e.finite[1].rows, finite.rows);
  // At T = 1 the optimal schedule is the tied step gamma*: the paired difference vanishes.
  for (const r of e.finite[0].rows) assert.ok(Math.abs(r.difference.mean) < 1e-12);
  // Control: at T = 3 the two differ on the same prompts.
  assert.ok(e.finite[1].rows.some((r) => Math.abs(r.difference.mean) > 1e-8));
});

Deno.test("scheduleDepths: the sampler reaches the finite-context test prompts", () => {
  const o = {
    task,
    maxDepth: 2,
    depths: [2],
    prompts: 50,
    steps: 5,
    testPrompts: 50,
    contexts: [64],
    seed: 4,
  };
  const auto = scheduleDepths(o).finite[0].rows;
  assert.deepEqual(scheduleDepths({ ...o, sampler: "wishart" }).finite[0].rows, auto);
  // Control: the token sampler draws other statistics from the same seed.
  assert.notDeepEqual(scheduleDepths({ ...o, sampler: "tokens" }).finite[0].rows, auto);
});
