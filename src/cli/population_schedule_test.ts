import assert from "node:assert/strict";
import type { SpikeLaw } from "../model/law.ts";
import { defaultNodeCount } from "../theory/quadrature.ts";
import { chebyshevSchedule, optimalSchedule, scheduleExcess } from "../theory/optimal_schedule.ts";
import { optimalDepthStep } from "../theory/optimal_depth_step.ts";
import { oneParameterExcess } from "../theory/one_parameter_excess.ts";
import { populationSchedule, SCHEDULE_MAX_DEPTH, scheduleRows } from "./population_schedule.ts";

const UNIFORM: SpikeLaw = { kind: "uniform", low: 0.5, high: 4 };

Deno.test("populationSchedule: the optimal schedule in its layer order, below the Chebyshev bound and the tied step", () => {
  for (const depth of [1, 2, 4, 10]) {
    const nodes = defaultNodeCount(depth);
    const s = populationSchedule(UNIFORM, depth, nodes);
    assert.ok(s !== undefined);
    const optimum = optimalSchedule(UNIFORM, depth);
    assert.deepEqual(s.alphas, optimum.alphas);
    assert.equal(s.excess, optimum.excess);
    assert.ok(Math.abs(scheduleExcess(UNIFORM, s.alphas) / s.excess - 1) < 1e-9);
    assert.ok(Math.abs(s.chebyshevBound / chebyshevSchedule(UNIFORM, depth).bound - 1) < 1e-12);
    assert.ok(s.excess <= s.chebyshevBound);
    const tied = oneParameterExcess(UNIFORM, optimalDepthStep(UNIFORM, depth), depth).value;
    assert.ok(depth === 1 ? Math.abs(s.excess / tied - 1) < 1e-12 : s.excess < tied);
    for (let t = 1; t < depth; t++) assert.ok(s.alphas[t] < s.alphas[t - 1], "largest step first");
  }
});

Deno.test("populationSchedule: logExcess where the excess underflows, none for a point mass", () => {
  const deep = populationSchedule(UNIFORM, 400, defaultNodeCount(400));
  assert.ok(deep !== undefined && deep.excess === 0 && deep.logExcess !== undefined);
  assert.ok(deep.logExcess < -745);
  const point = populationSchedule({ kind: "point", value: 2 }, 3, defaultNodeCount(3));
  assert.deepEqual(point, { alphas: [1 / 3, 1 / 3, 1 / 3], excess: 0, rate: 0, chebyshevBound: 0 });
});

Deno.test("populationSchedule: none above the depth limit or with fewer than T + 2 nodes (controls)", () => {
  assert.equal(populationSchedule(UNIFORM, SCHEDULE_MAX_DEPTH + 1, 4000), undefined);
  assert.equal(populationSchedule(UNIFORM, 10, 11), undefined);
  assert.ok(populationSchedule(UNIFORM, 10, 12) !== undefined);
  assert.deepEqual(scheduleRows(undefined, 600), [
    ["schedule", `not computed (T > ${SCHEDULE_MAX_DEPTH} or fewer than T + 2 nodes)`],
  ]);
});

Deno.test("scheduleRows: every field, the steps elided past 12 layers", () => {
  const rows = scheduleRows(populationSchedule(UNIFORM, 2, 260), 2);
  assert.deepEqual(rows.map(([k]) => k), [
    "schedule.alphas",
    "schedule.excess",
    "schedule.logExcess",
    "schedule.rate",
    "schedule.chebyshevBound",
  ]);
  const long = scheduleRows(populationSchedule(UNIFORM, 20, 296), 20);
  assert.match(long[0][1], /^(\S+, ){6}\.\.\. \(20\)$/);
});
