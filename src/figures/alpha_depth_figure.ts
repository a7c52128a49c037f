/**
 * Fig. 7: the trained alpha_T of one-parameter LCA against the depth T (exact statistics
 * and noisy labels, mean and sd over runs), with the population minimiser alpha_T and
 * alpha*.
 *
 * @module
 */

import type { ChartPoint } from "../rendering/charts.ts";
import { lcaExcess } from "../theory/lca_excess.ts";
import { captionNumber, type FigureContext, type FigureDefinition } from "./definitions.ts";
import type { AlphaDepthRow } from "./parameters.ts";

/** Trained alpha_T against T with alpha* and the population alpha_T. */
export function alphaDepthFigure(ctx: FigureContext, rows: AlphaDepthRow[]): FigureDefinition {
  const { sizes, constants } = ctx;
  const exact = `trained α_T (exact statistics, Bayes target), mean ± sd`;
  const labels = `trained α_T (labels, L_tr = ${sizes.trainContext}), mean ± sd`;
  const population = "population minimiser α_T of E_T (quadrature)";
  // Depths where the exact-statistics fit stops visibly short of alpha_T.
  const short = rows.filter((r) =>
    Math.abs(r.exactBayes.mean - r.populationAlpha) > Math.max(3 * r.exactBayes.sd, 0.01)
  );
  const shortText = short.length === 0
    ? ""
    : ` At T = ${short.map((r) => r.depth).join(", ")} the trained alpha (${
      short.map((r) => captionNumber(r.exactBayes.mean)).join(", ")
    }) stops short of alpha_T: the excess E_T there is already ${
      short.map((r) =>
        captionNumber(
          lcaExcess(ctx.law, {
            alpha: r.exactBayes.mean,
            beta: -r.exactBayes.mean,
            depth: r.depth,
          }),
        )
      ).join(", ")
    }, so the loss is flat to rounding and gradient descent from alpha = 0 stops at its tolerance ` +
      `before reaching alpha_T (MODEL.md, "Verifying the parameter limits in practice").`;
  const points: ChartPoint[] = [];
  for (const r of rows) {
    points.push({ series: population, x: r.depth, y: r.populationAlpha });
    points.push({
      series: exact,
      x: r.depth,
      y: r.exactBayes.mean,
      lower: r.exactBayes.mean - r.exactBayes.sd,
      upper: r.exactBayes.mean + r.exactBayes.sd,
    });
    points.push({
      series: labels,
      x: r.depth,
      y: r.labels.mean,
      lower: r.labels.mean - r.labels.sd,
      upper: r.labels.mean + r.labels.sd,
    });
  }
  return {
    id: "fig7_alpha_vs_depth",
    title: "Trained alpha_T against the depth T",
    caption: `The one-parameter LCA's alpha_T against T (log axis): trained against the Bayes ` +
      `prediction on exact task statistics (N = ${sizes.prompts}, ${sizes.runs} runs, ` +
      `${sizes.name} size; the finite-N estimate of the population minimiser), the population ` +
      `minimiser alpha_T of E_T by quadrature, and alpha* = ${constants.alphaStar.toFixed(5)} ` +
      `(dashed line): alpha_T rises towards alpha* from below.${shortText} Short dashes: trained ` +
      `on noisy ` +
      `labels at L_tr = ${sizes.trainContext} (paper sizes), far below alpha* (claim C10). Error ` +
      `bars: standard deviation across the ${sizes.runs} runs. ${ctx.taskText}.`,
    chart: {
      title: "α_T against depth T",
      subtitle: `N = ${sizes.prompts}; ${sizes.runs} runs; ${sizes.name} size`,
      xTitle: "depth T",
      xName: "T",
      yTitle: "α_T",
      xLog: true,
      xValues: sizes.alphaDepths,
      points,
      styles: [
        { label: exact, color: "#1f77b4", dash: [1, 0] },
        { label: population, color: "#d62728", dash: [6, 3] },
        { label: labels, color: "#7f7f7f", dash: [3, 3] },
      ],
      rules: [{ y: constants.alphaStar, label: `α* = ${constants.alphaStar.toFixed(4)}` }],
    },
    data: { rows },
  };
}
