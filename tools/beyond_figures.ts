/**
 * Writes the figure of the "Beyond the paper" section (README) into a directory
 * (default docs/beyond): fig10, the gradient flow of E_T in the (beta, alpha) plane
 * (`src/figures/fig10_gradient_flow.ts`; population quadrature only, about a second).
 *
 *   deno run -A tools/beyond_figures.ts [--out docs/beyond]
 *
 * @module
 */

import { parseArgs } from "node:util";
import { gradientFlowFigure } from "../src/figures/fig10_gradient_flow.ts";
import { lineChart } from "../src/figures/charts.ts";
import { renderSvg } from "../src/figures/render.ts";
import { toCsv } from "../src/figures/generate.ts";
import { parseSpikeLaw } from "../src/model/law.ts";

const { values } = parseArgs({ args: Deno.args, options: { out: { type: "string" } } });
const out = values.out ?? new URL("../docs/beyond", import.meta.url).pathname;
await Deno.mkdir(out, { recursive: true });
const law = parseSpikeLaw("uniform", 0.5, 4);
const def = gradientFlowFigure(
  {
    taskText: "Task: d = 4 (d1 = 2, d2 = 2), s ~ uniform[0.5, 4], sigma = 0.1",
    seed: 0,
  } as Parameters<typeof gradientFlowFigure>[0],
  law,
);
const { spec } = lineChart(def.chart);
// The shared charts label x with integers (L_te, T); beta needs two decimals.
const decimalX = (node: unknown): void => {
  if (Array.isArray(node)) node.forEach(decimalX);
  else if (node !== null && typeof node === "object") {
    const record = node as Record<string, unknown>;
    if (record.format === "d" && record.tickMinStep === 1) {
      record.format = ".2f";
      delete record.tickMinStep;
    }
    Object.values(record).forEach(decimalX);
  }
};
decimalX(spec);
await Deno.writeTextFile(`${out}/${def.id}.svg`, await renderSvg(spec));
await Deno.writeTextFile(
  `${out}/${def.id}.json`,
  JSON.stringify(
    { id: def.id, title: def.title, caption: def.caption, plotted: def.chart.points, ...def.data },
    null,
    2,
  ) + "\n",
);
await Deno.writeTextFile(
  `${out}/${def.id}.csv`,
  toCsv(def.chart.points as unknown as Record<string, unknown>[], [
    "series",
    "x",
    "y",
    "lower",
    "upper",
  ]),
);
console.log(`wrote ${out}/${def.id}.{svg,json,csv}`);
