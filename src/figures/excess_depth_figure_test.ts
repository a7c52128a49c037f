import assert from "node:assert/strict";
import { FIGURE_LAW, testFigureContext } from "../../testkit/figure_context.ts";
import { QUICK_SIZES } from "../experiments/figure_sizes.ts";
import { excessAgainstDepth } from "../experiments/population_curve.ts";
import { lineChart } from "../rendering/charts.ts";
import { excessDepthFigure } from "./excess_depth_figure.ts";

const CTX = testFigureContext();

Deno.test("excessDepthFigure: the three excess curves and the bound at every depth, log y", () => {
  const rows = excessAgainstDepth(FIGURE_LAW, 4);
  const def = excessDepthFigure(CTX, rows);
  assert.equal(def.id, "fig8_excess_vs_depth");
  assert.equal(def.chart.yLog, true);
  assert.equal(def.chart.points.length, 4 * rows.length);
  const bound = def.chart.points.filter((p) => p.series === "bound ρ*^{2T} E[s/(1+s)]");
  assert.deepEqual(bound.map((p) => p.y), rows.map((r) => r.bound));
  const atAlphaT = def.chart.points.filter((p) => p.series === "E_T(α_T)");
  assert.deepEqual(atAlphaT.map((p) => [p.x, p.y]), rows.map((r) => [r.depth, r.atAlphaT]));
  assert.equal(lineChart(def.chart).notes.informative.length, 4);
  assert.match(def.caption, new RegExp(`T = 1\\.\\.${QUICK_SIZES.excessMaxDepth}`));
  assert.deepEqual(def.data, { rows });
});
