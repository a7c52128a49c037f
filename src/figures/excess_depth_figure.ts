/**
 * Fig. 8: the population excess risk of LCA at L = infinity against the depth T (at
 * alpha*, at alpha_T and at the two-parameter optimum), with the geometric bound.
 *
 * @module
 */

import type { ChartPoint } from "../rendering/charts.ts";
import type { FigureContext, FigureDefinition } from "./definitions.ts";
import type { ExcessDepthRow } from "../experiments/population_curve.ts";

/** Population excess risk against T with the geometric bound. */
export function excessDepthFigure(ctx: FigureContext, rows: ExcessDepthRow[]): FigureDefinition {
  const series = {
    bound: "bound ρ*^{2T} E[s/(1+s)]",
    star: "E_T(α*)",
    alphaT: "E_T(α_T)",
    two: "E_T at the two-parameter optimum",
  };
  const points: ChartPoint[] = rows.flatMap((r) => [
    { series: series.bound, x: r.depth, y: r.bound },
    { series: series.star, x: r.depth, y: r.atAlphaStar },
    { series: series.alphaT, x: r.depth, y: r.atAlphaT },
    { series: series.two, x: r.depth, y: r.twoParameter },
  ]);
  return {
    id: "fig8_excess_vs_depth",
    title: "Population excess risk against the depth T",
    caption: `Excess risk over Bayes of LCA at L = ∞ (population, by Gauss-Jacobi quadrature; no ` +
      `sampling; ${ctx.sizes.name} size) against T = 1..${ctx.sizes.excessMaxDepth} on a log ` +
      `axis: at alpha*, at the depth-T minimiser alpha_T and at the two-parameter optimum, with ` +
      `the geometric bound rho*^{2T} E[s/(1+s)] (claims C3/C4). All three fall geometrically, ` +
      `below and parallel to the bound. ${ctx.taskText}.`,
    chart: {
      title: "Population excess risk against depth T",
      subtitle: `L = ∞; quadrature; ${ctx.sizes.name} size`,
      xTitle: "depth T",
      xName: "T",
      yTitle: "excess risk over Bayes",
      yLog: true,
      points,
      styles: [
        { label: series.bound, color: "#000000", dash: [8, 4] },
        { label: series.star, color: "#1f77b4", dash: [1, 0] },
        { label: series.alphaT, color: "#d62728", dash: [6, 3] },
        { label: series.two, color: "#ff7f0e", dash: [2, 2] },
      ],
    },
    data: { rows },
  };
}
