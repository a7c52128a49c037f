import assert from "node:assert/strict";
import { testFigureContext } from "../../testkit/figure_context.ts";
import { QUICK_SIZES } from "../experiments/figure_sizes.ts";
import { lineChart } from "../rendering/charts.ts";
import type { TrajectoryRow } from "./parameters.ts";
import { trajectoryFigure } from "./trajectory_figure.ts";

const CTX = testFigureContext();

const PARAMETERS = [["lca1", "alpha"], ["lca2", "alpha"], ["lca2", "beta"]] as const;
const ROWS: TrajectoryRow[] = (["exact-bayes", "labels"] as const).flatMap((training) =>
  PARAMETERS.flatMap(([model, parameter]) =>
    [0, 1, 2].map((step) => ({ training, model, parameter, step, value: step / 10, loss: 1 }))
  )
);

Deno.test("trajectoryFigure: one series per training and parameter, solid for exact statistics", () => {
  const def = trajectoryFigure(CTX, ROWS);
  assert.equal(def.id, "fig6_parameter_trajectories");
  const { styles, points } = def.chart;
  assert.equal(styles.length, 6);
  assert.equal(points.length, ROWS.length);
  const labels = styles.map((s) => s.label);
  assert.deepEqual(new Set(points.map((p) => p.series)), new Set(labels));
  assert.equal(labels[0], "lca1 α (exact statistics, Bayes target)");
  assert.equal(labels[5], `lca2 β (L_tr labels = ${QUICK_SIZES.trainContext})`);
  assert.deepEqual(styles.map((s) => s.dash), [...Array(3).fill([1, 0]), ...Array(3).fill([3, 3])]);
  // The same parameter has the same colour in both trainings.
  assert.deepEqual(styles.slice(0, 3).map((s) => s.color), styles.slice(3).map((s) => s.color));
  // Reference lines at +-alpha*, and the chart draws (every point's series is styled).
  const alphaStar = CTX.constants.alphaStar;
  assert.deepEqual(def.chart.rules!.map((r) => r.y), [alphaStar, -alphaStar]);
  assert.equal(lineChart(def.chart).notes.informative.length, 6);
  assert.match(def.caption, /Task: test\.$/);
  assert.deepEqual(def.data, { rows: ROWS });
});
