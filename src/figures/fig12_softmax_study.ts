/**
 * Fig. 12 (beyond the paper, claim C13): the finite-context softmax study
 * (`src/training/softmax_study.ts`, recorded in docs/records/softmax-study.json) as a figure.
 *
 * - the chart: excess over Bayes against the test context L_te (log-log), for trained `lca2`,
 *   `sca` and `sca-centred` and the optimal schedule of C12 at two depths T, each with
 *   error bars of +-1 standard error over the test prompts;
 * - the panel under it: the trained softmax temperature tau against L_te at the same depths.
 *
 * Cells whose value is not positive cannot sit on a log axis: they are left out of the points
 * and named in the caption. The optimal schedule does not set the y axis (at small L_te and
 * large T it diverges); its points beyond the axis are drawn as edge markers with a note.
 *
 * @module
 */

import type { ChartPoint, LineChartOptions, SeriesStyle } from "../rendering/charts.ts";
import type { SoftmaxStudy, SoftmaxStudyCell } from "../training/softmax_study.ts";
import type { FigureDefinition } from "./definitions.ts";

/** The depths Fig. 12 shows by default. */
export const SOFTMAX_FIGURE_DEPTHS: readonly number[] = [2, 8];

/** The models of the excess chart: key in a study cell and legend name. */
const MODELS = [
  { key: "lca2", name: "lca2" },
  { key: "sca", name: "sca" },
  { key: "scaCentred", name: "sca-centred" },
  { key: "schedule", name: "optimal schedule" },
] as const;

const COLORS: Record<string, string> = {
  lca2: "#1f77b4",
  sca: "#d62728",
  "sca-centred": "#2ca02c",
  "optimal schedule": "#7f7f7f",
};

/** Legend label of a model's series at depth T, e.g. "sca, T = 8 (±1 SE)". */
export function softmaxSeriesLabel(model: string, depth: number): string {
  return `${model}, T = ${depth} (±1 SE)`;
}

/** Legend label of a tau series, e.g. "tau of sca, T = 2". */
export function tauSeriesLabel(model: "sca" | "sca-centred", depth: number): string {
  return `τ of ${model}, T = ${depth}`;
}

function styleOf(label: string, model: string, deep: boolean): SeriesStyle {
  return { label, color: COLORS[model], dash: deep ? [6, 3] : [1, 0] };
}

function cellsAt(study: SoftmaxStudy, depth: number): SoftmaxStudyCell[] {
  return study.cells.filter((c) => c.depth === depth).sort((a, b) => a.context - b.context);
}

/** The excess chart's points and styles; the non-positive cells it leaves out, named. */
function excessSeries(study: SoftmaxStudy, depths: readonly number[]) {
  const points: ChartPoint[] = [];
  const styles: SeriesStyle[] = [];
  const dropped: string[] = [];
  for (const [i, depth] of depths.entries()) {
    for (const model of MODELS) {
      const label = softmaxSeriesLabel(model.name, depth);
      styles.push(styleOf(label, model.name, i > 0));
      for (const cell of cellsAt(study, depth)) {
        const { mean, standardError } = cell[model.key].excess;
        if (!(mean > 0)) {
          dropped.push(`${model.name} at L_te = ${cell.context}, T = ${depth} (${mean})`);
          continue;
        }
        const lower = mean - standardError;
        points.push({
          series: label,
          x: cell.context,
          y: mean,
          // A lower end at or below 0 cannot be drawn on the log axis: the bar stops there.
          lower: lower > 0 ? lower : undefined,
          upper: mean + standardError,
          ...(model.key === "schedule" ? { informative: false } : {}),
        });
      }
    }
  }
  return { points, styles, dropped };
}

/** The tau panel: trained tau of sca and sca-centred against L_te (log-log where positive). */
function tauPanel(study: SoftmaxStudy, depths: readonly number[], contexts: number[]) {
  const points: ChartPoint[] = [];
  const styles: SeriesStyle[] = [];
  const dropped: string[] = [];
  for (const [i, depth] of depths.entries()) {
    for (const [key, name] of [["sca", "sca"], ["scaCentred", "sca-centred"]] as const) {
      const label = tauSeriesLabel(name, depth);
      styles.push(styleOf(label, name, i > 0));
      for (const cell of cellsAt(study, depth)) {
        const tau = cell[key].tau;
        if (tau > 0) points.push({ series: label, x: cell.context, y: tau });
        else dropped.push(`τ of ${name} at L_te = ${cell.context}, T = ${depth} (${tau})`);
      }
    }
  }
  const panel: LineChartOptions = {
    title: "Trained softmax temperature τ against L_te",
    subtitle: `start τ = 1/√d; T = ${depths.join(", ")}`,
    xTitle: "test context L_te",
    xName: "L_te",
    yTitle: "trained τ",
    xLog: true,
    yLog: true,
    xValues: contexts,
    points,
    styles,
    height: 240,
  };
  return { panel, dropped };
}

function sizesText(study: SoftmaxStudy): string {
  return `N = ${study.prompts} training prompts of context L_te, ${study.steps} descent steps, ` +
    `Bayes target, excess on ${study.testPrompts} fresh test prompts, seed ${study.seed}`;
}

/**
 * Fig. 12: excess over Bayes against L_te of trained lca2, sca, sca-centred and the optimal
 * schedule at the given depths (log-log, +-1 SE), over a panel of the trained tau against L_te.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { softmaxStudyFigure } from "./fig12_softmax_study.ts";
 * const e = (mean: number) => ({ mean, standardError: mean / 10, samples: 100 });
 * const stop = "converged" as const;
 * const cell = (context: number, depth: number) => ({
 *   context, depth,
 *   sca: { excess: e(0.2 / context), alpha: 0.2, beta: 0, tau: 0.7, stop },
 *   scaCentred: { excess: e(0.1 / context), alpha: 0.2, beta: -0.2, tau: 0.05, stop },
 *   lca2: { excess: e(0.1 / context), alpha: 0.2, beta: -0.2, stop },
 *   schedule: { excess: e(0.12 / context), alphas: [0.2], tied: e(0.1), tiedAlpha: 0.2 },
 * });
 * const study = {
 *   prompts: 10, testPrompts: 100, steps: 5, seed: 0,
 *   cells: [cell(16, 2), cell(32, 2), cell(16, 8), cell(32, 8)],
 * };
 * const def = softmaxStudyFigure(study);
 * assert.equal(def.chart.points.length, 16);
 * assert.equal(def.panels![0].points.length, 8);
 * ```
 */
export function softmaxStudyFigure(
  study: SoftmaxStudy,
  depths: readonly number[] = SOFTMAX_FIGURE_DEPTHS,
): FigureDefinition {
  const contexts = [...new Set(study.cells.map((c) => c.context))].sort((a, b) => a - b);
  const excess = excessSeries(study, depths);
  const tau = tauPanel(study, depths, contexts);
  const dropped = [...excess.dropped, ...tau.dropped];
  const droppedText = dropped.length === 0
    ? "Every plotted value is positive, so none is left out of the log axes."
    : `Left out (not positive, so not on a log axis): ${dropped.join("; ")}.`;
  return {
    id: "fig12_softmax_study",
    title: "Softmax against linear cross-attention at finite context",
    caption: `Excess over Bayes against the test context L_te (log-log; error bars ±1 SE over ` +
      `the test prompts) of trained lca2, sca and sca-centred and of the optimal schedule of ` +
      `C12, at depths T = ${depths.join(" (solid) and ")} (dashed); under it the trained ` +
      `softmax temperature τ of sca and sca-centred against L_te. ${sizesText(study)}. ` +
      `The optimal schedule does not set the y axis: where it diverges (small L_te, large T) ` +
      `its points are drawn at the edge. ${droppedText} Drawn from ` +
      `docs/records/softmax-study.json by npx -y deno@2.9.6 run -A tools/softmax_study_figure.ts.`,
    chart: {
      title: "Excess over Bayes against L_te: softmax and linear cross-attention",
      subtitle: `T = ${depths.join(", ")}; Bayes target; N = ${study.prompts}`,
      xTitle: "test context L_te",
      xName: "L_te",
      yTitle: "excess risk over Bayes",
      xLog: true,
      yLog: true,
      xValues: contexts,
      points: excess.points,
      styles: excess.styles,
      clipReason: "The optimal schedule's population steps diverge at small L_te and large T.",
      height: 340,
    },
    panels: [tau.panel],
    data: { depths: [...depths], dropped },
  };
}
