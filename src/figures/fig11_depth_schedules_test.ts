import assert from "node:assert/strict";
import { FIGURE_LAW, testFigureContext } from "../../testkit/figure_context.ts";
import { QUICK_SIZES, resolveSizes } from "../experiments/figure_sizes.ts";
import { scheduleDepths } from "../experiments/schedule_depths.ts";
import { readabilityProblems, svgWidthOf } from "../rendering/readability.ts";
import { writeFigure } from "./figure_files.ts";
import { depthSchedulesFigure, SCHEDULE_SERIES } from "./fig11_depth_schedules.ts";

const sizes = resolveSizes({ scheduleDepths: [1, 2, 4, 8], scheduleTestPrompts: 300 }, QUICK_SIZES);
const CTX = testFigureContext({ sizes, seed: 3 });
const rows = scheduleDepths({
  task: { d1: 2, d2: 2, law: FIGURE_LAW, sigma: 0.1 },
  maxDepth: 8,
  depths: sizes.scheduleDepths,
  prompts: 300,
  steps: 500,
  testPrompts: sizes.scheduleTestPrompts,
  contexts: sizes.scheduleContexts,
  seed: 3,
});

Deno.test("depthSchedulesFigure: population curves at every T, trained at its depths, a panel per L_te", () => {
  const def = depthSchedulesFigure(CTX, rows);
  assert.equal(def.id, "fig11_depth_schedules");
  assert.equal(def.chart.yLog, true);
  const of = (label: string) => def.chart.points.filter((p) => p.series === label);
  assert.deepEqual(of(SCHEDULE_SERIES.optimum).map((p) => p.x), [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.deepEqual(of(SCHEDULE_SERIES.optimum).map((p) => p.y), rows.theory.map((r) => r.optimum));
  assert.deepEqual(of(SCHEDULE_SERIES.trained).map((p) => p.x), [1, 2, 4, 8]);
  for (const label of Object.values(SCHEDULE_SERIES)) {
    assert.ok(def.chart.styles.some((s) => s.label === label), label);
  }
  const panel = def.panels![0];
  assert.equal(panel.styles.length, 2 * sizes.scheduleContexts.length);
  assert.equal(panel.points.length, 2 * sizes.scheduleContexts.length * 4);
  // The caption's numbers are the rows' (the deepest theory row).
  const last = rows.theory.at(-1)!;
  assert.ok(def.caption.includes(`At T = ${last.depth} the optimal schedule's excess is`));
  assert.match(def.caption, /quick size\)/);
  // Control: a trained point moved off its row changes the plotted value.
  const moved = structuredClone(rows);
  moved.trained[0].population *= 10;
  const other = depthSchedulesFigure(CTX, moved);
  assert.notDeepEqual(other.chart.points, def.chart.points);
});

Deno.test("depthSchedulesFigure: the written figure passes the readability checks", async () => {
  const files = new Map<string, string>();
  const def = depthSchedulesFigure(CTX, rows);
  await writeFigure(def, { sizes }, (name, text) => Promise.resolve(void files.set(name, text)));
  const data = JSON.parse(files.get(`${def.id}.json`)!);
  const svg = files.get(`${def.id}.svg`)!;
  assert.deepEqual(await readabilityProblems({ ...data, svgWidth: svgWidthOf(svg) }), []);
});
