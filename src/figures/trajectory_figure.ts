/**
 * Fig. 6: the parameter trajectories of one- and two-parameter LCA during training, on
 * exact statistics against the Bayes target and on noisy labels at L_tr, with lines at
 * alpha* and -alpha*.
 *
 * @module
 */

import type { SeriesStyle } from "../rendering/charts.ts";
import type { FigureContext, FigureDefinition } from "./definitions.ts";
import type { TrajectoryRow } from "./parameters.ts";

const TRAINING_TEXT = {
  "exact-bayes": "exact statistics, Bayes target",
  "labels": "L_tr labels",
} as const;

/** Parameter trajectories with lines at alpha* and -alpha*. */
export function trajectoryFigure(ctx: FigureContext, rows: TrajectoryRow[]): FigureDefinition {
  const { sizes, constants } = ctx;
  const palette: Record<string, string> = {
    "lca1 alpha": "#1f77b4",
    "lca2 alpha": "#ff7f0e",
    "lca2 beta": "#2ca02c",
  };
  const styles: SeriesStyle[] = [];
  const labelOf = (r: TrajectoryRow) =>
    `${r.model} ${r.parameter === "alpha" ? "α" : "β"} (${TRAINING_TEXT[r.training]}${
      r.training === "labels" ? ` = ${sizes.trainContext}` : ""
    })`;
  for (const training of ["exact-bayes", "labels"] as const) {
    for (
      const [model, parameter] of [["lca1", "alpha"], ["lca2", "alpha"], ["lca2", "beta"]] as const
    ) {
      styles.push({
        label: labelOf({ training, model, parameter, step: 0, value: 0, loss: 0 }),
        color: palette[`${model} ${parameter}`],
        dash: training === "exact-bayes" ? [1, 0] : [3, 3],
      });
    }
  }
  return {
    id: "fig6_parameter_trajectories",
    title: "Parameter trajectories during training",
    caption: `alpha (and beta for the two-parameter model) against gradient-descent steps ` +
      `(Barzilai-Borwein steps with backtracking, as \`train\`) at T = ${sizes.depth}, ` +
      `N = ${sizes.prompts}, seed ${ctx.seed} (${sizes.name} size). Solid: trained against the ` +
      `Bayes prediction w^T x_q on exact task statistics (L_tr = ∞), whose minimiser is the ` +
      `population limit: alpha -> alpha_T ≈ alpha* and beta -> -alpha*. Short dashes: the ` +
      `paper-size training on noisy labels at L_tr = ${sizes.trainContext}, whose alpha stays far ` +
      `below alpha* (claim C10). Reference lines: ±alpha* = ±${constants.alphaStar.toFixed(5)}. ` +
      `${ctx.taskText}.`,
    chart: {
      title: "Training trajectories of α and β",
      subtitle: `T = ${sizes.depth}; N = ${sizes.prompts}; ${sizes.name} size`,
      xTitle: "gradient-descent step",
      xName: "step",
      yTitle: "parameter value",
      points: rows.map((r) => ({ series: labelOf(r), x: r.step, y: r.value })),
      styles,
      rules: [
        { y: constants.alphaStar, label: `α* = ${constants.alphaStar.toFixed(4)}` },
        { y: -constants.alphaStar, label: `-α* = ${(-constants.alphaStar).toFixed(4)}` },
      ],
    },
    data: { rows },
  };
}
