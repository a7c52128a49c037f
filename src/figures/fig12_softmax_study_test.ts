import assert from "node:assert/strict";
import { readabilityProblems, svgWidthOf } from "../rendering/readability.ts";
import type { SoftmaxStudy } from "../training/softmax_study.ts";
import { writeFigure } from "./figure_files.ts";
import {
  SOFTMAX_FIGURE_DEPTHS,
  softmaxSeriesLabel,
  softmaxStudyFigure,
  tauSeriesLabel,
} from "./fig12_softmax_study.ts";

const RECORD = new URL("../../docs/records/softmax-study.json", import.meta.url);
const study = JSON.parse(Deno.readTextFileSync(RECORD)).data as SoftmaxStudy;
const cell = (context: number, depth: number) =>
  study.cells.find((c) => c.context === context && c.depth === depth)!;

Deno.test("softmaxStudyFigure: the series of both panels, values from the record", () => {
  const def = softmaxStudyFigure(study);
  assert.equal(def.id, "fig12_softmax_study");
  assert.equal(def.chart.xLog, true);
  assert.equal(def.chart.yLog, true);
  assert.deepEqual(def.chart.xValues, [16, 32, 64, 128, 256]);
  const models = ["lca2", "sca", "sca-centred", "optimal schedule"];
  assert.deepEqual(
    def.chart.styles.map((s) => s.label),
    SOFTMAX_FIGURE_DEPTHS.flatMap((t) => models.map((m) => softmaxSeriesLabel(m, t))),
  );
  const at = (series: string, x: number) =>
    def.chart.points.find((p) => p.series === series && p.x === x)!;
  const sca8 = at(softmaxSeriesLabel("sca", 8), 64);
  const c = cell(64, 8);
  assert.equal(sca8.y, c.sca.excess.mean);
  assert.equal(sca8.upper, c.sca.excess.mean + c.sca.excess.standardError);
  assert.equal(sca8.lower, c.sca.excess.mean - c.sca.excess.standardError);
  assert.equal(at(softmaxSeriesLabel("lca2", 2), 256).y, cell(256, 2).lca2.excess.mean);
  assert.equal(at(softmaxSeriesLabel("sca-centred", 2), 16).y, cell(16, 2).scaCentred.excess.mean);
  assert.equal(at(softmaxSeriesLabel("optimal schedule", 8), 16).informative, false);
  assert.equal(def.chart.points.length, 2 * 4 * 5);
  const tau = def.panels![0];
  assert.equal(tau.yLog, true);
  assert.deepEqual(
    tau.styles.map((s) => s.label),
    SOFTMAX_FIGURE_DEPTHS.flatMap((
      t,
    ) => [tauSeriesLabel("sca", t), tauSeriesLabel("sca-centred", t)]),
  );
  const tauAt = tau.points.find((p) => p.series === tauSeriesLabel("sca", 2) && p.x === 128)!;
  assert.equal(tauAt.y, cell(128, 2).sca.tau);
  assert.deepEqual(def.data.dropped, []);
  assert.match(def.caption, /none is left out/);
});

Deno.test("softmaxStudyFigure: control: non-positive cells are left out and named", () => {
  const changed = structuredClone(study);
  const c = changed.cells.find((c) => c.context === 32 && c.depth === 2)!;
  c.sca.excess.mean = -0.001;
  c.scaCentred.tau = 0;
  const def = softmaxStudyFigure(changed);
  assert.equal(def.chart.points.length, 2 * 4 * 5 - 1);
  assert.ok(
    !def.chart.points.some((p) => p.series === softmaxSeriesLabel("sca", 2) && p.x === 32),
  );
  assert.equal(def.panels![0].points.length, 2 * 2 * 5 - 1);
  assert.equal((def.data.dropped as string[]).length, 2);
  assert.match(def.caption, /Left out \(not positive.*sca at L_te = 32, T = 2 \(-0\.001\)/);
  // A point whose lower end is not positive keeps its bar's upper end only.
  c.sca.excess.mean = 0.01;
  c.sca.excess.standardError = 0.02;
  const bar = softmaxStudyFigure(changed).chart.points.find((p) =>
    p.series === softmaxSeriesLabel("sca", 2) && p.x === 32
  )!;
  assert.equal(bar.lower, undefined);
  assert.equal(bar.upper, 0.03);
});

Deno.test("softmaxStudyFigure: the written figure passes the readability checks", async () => {
  const files = new Map<string, string>();
  const def = softmaxStudyFigure(study);
  await writeFigure(def, {}, (name, text) => Promise.resolve(void files.set(name, text)));
  const data = JSON.parse(files.get(`${def.id}.json`)!);
  const svg = files.get(`${def.id}.svg`)!;
  assert.deepEqual(await readabilityProblems({ ...data, svgWidth: svgWidthOf(svg) }), []);
});
