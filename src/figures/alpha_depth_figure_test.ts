import assert from "node:assert/strict";
import { testFigureContext } from "../../testkit/figure_context.ts";
import { lineChart } from "../rendering/charts.ts";
import type { AlphaDepthRow } from "./parameters.ts";
import { alphaDepthFigure } from "./alpha_depth_figure.ts";

const CTX = testFigureContext();

function row(depth: number, populationAlpha: number, exact: number): AlphaDepthRow {
  return {
    depth,
    populationAlpha,
    exactBayes: { mean: exact, sd: 0.001, values: [exact] },
    labels: { mean: exact / 3, sd: 0.002, values: [exact / 3] },
  };
}

Deno.test("alphaDepthFigure: three series per depth, error bars mean +- sd", () => {
  const rows = [row(1, 0.1, 0.1), row(2, 0.2, 0.2005)];
  const def = alphaDepthFigure(CTX, rows);
  assert.equal(def.id, "fig7_alpha_vs_depth");
  const { points } = def.chart;
  assert.equal(points.length, 6);
  const exact = points.filter((p) => p.series.startsWith("trained α_T (exact"));
  assert.deepEqual(exact.map((p) => [p.x, p.y, p.lower, p.upper]), [
    [1, 0.1, 0.1 - 0.001, 0.1 + 0.001],
    [2, 0.2005, 0.2005 - 0.001, 0.2005 + 0.001],
  ]);
  assert.deepEqual(def.chart.rules!.map((r) => r.y), [CTX.constants.alphaStar]);
  assert.equal(lineChart(def.chart).notes.informative.length, 3);
  assert.ok(!def.caption.includes("stops short"), def.caption);
});

Deno.test("alphaDepthFigure: the caption names the depths where the fit stops short of alpha_T", () => {
  const def = alphaDepthFigure(CTX, [row(1, 0.1, 0.1), row(8, 0.3, 0.25)]);
  assert.match(def.caption, /At T = 8 the trained alpha \(0\.25\) stops short of alpha_T/);
  // Control: within max(3 sd, 0.01) is not short.
  assert.ok(!alphaDepthFigure(CTX, [row(8, 0.3, 0.291)]).caption.includes("stops short"));
});
