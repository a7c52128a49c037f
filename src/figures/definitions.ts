/**
 * The figures: from experiment results to chart points, captions and the data
 * written beside each SVG.
 *
 * @module
 */

import type { ChartPoint, ChartRule, LineChartOptions, SeriesStyle } from "./charts.ts";
import { acrossRuns } from "./evaluate.ts";
import type { AlphaDepthRow, TrajectoryRow } from "./parameters.ts";
import type { ExcessDepthRow } from "./population_curve.ts";
import type { PopulationConstants } from "./population_models.ts";
import { dashOf, seriesInfo } from "./series.ts";
import { describeSizes, type FigureSizes } from "./sizes.ts";
import type { SweepRow } from "./sweeps.ts";
export { gradientFlowFigure } from "./fig10_gradient_flow.ts";

/** One figure: its chart and everything written beside it. */
export interface FigureDefinition {
  /** File stem, e.g. "fig2_risk_vs_context". */
  id: string;
  title: string;
  /** Caption for index.html and the README (sizes stated). */
  caption: string;
  chart: LineChartOptions;
  /** Extra data recorded in the figure's JSON file (raw rows, comparisons, parameters). */
  data: Record<string, unknown>;
}

function styleOf(id: string): SeriesStyle {
  const info = seriesInfo(id);
  return { label: info.label, color: info.color, dash: dashOf(info.kind) };
}

/** Points of one run with error bars = standard error over test prompts. */
export function singleRunPoints(rows: SweepRow[], run: number, series: string[]): ChartPoint[] {
  return rows
    .filter((r) => r.run === run && series.includes(r.series))
    .map((r) => ({
      series: seriesInfo(r.series).label,
      x: r.x,
      y: r.risk,
      lower: r.risk - r.riskSE,
      upper: r.risk + r.riskSE,
    }));
}

/** Points averaged over runs with error bars = standard deviation across runs. */
export function acrossRunPoints(rows: SweepRow[], series: string[]): ChartPoint[] {
  const points: ChartPoint[] = [];
  for (const id of series) {
    const xs = [...new Set(rows.filter((r) => r.series === id).map((r) => r.x))].sort((a, b) =>
      a - b
    );
    for (const x of xs) {
      const { mean, sd } = acrossRuns(
        rows.filter((r) => r.series === id && r.x === x).map((r) => r.risk),
      );
      points.push({ series: seriesInfo(id).label, x, y: mean, lower: mean - sd, upper: mean + sd });
    }
  }
  return points;
}

function bayesRule(constants: PopulationConstants): ChartRule {
  return { y: constants.bayesRisk, label: `Bayes risk ${constants.bayesRisk.toFixed(4)}` };
}

/** Context shared by every figure definition. */
export interface FigureContext {
  sizes: FigureSizes;
  constants: PopulationConstants;
  /** Task description for captions, e.g. "d = 4, s ~ uniform[0.5, 4], sigma = 0.1". */
  taskText: string;
  seed: number;
}

/** Fig. 2 analogue: risk against L_te, one run, standard errors over test prompts. */
export function figure2(
  ctx: FigureContext,
  rows: SweepRow[],
  extra: Record<string, unknown>,
): FigureDefinition {
  const series = ["lca1", "lca2", "lca1-pop", "lca2-pop", "lsa", "lsa-pop", "ols"];
  const { sizes } = ctx;
  return {
    id: "fig2_risk_vs_context",
    title: "Fig. 2 analogue: test risk against the test context L_te",
    caption:
      `Test risk against L_te (log axis) of one- and two-parameter LCA (T = ${sizes.depth}), ` +
      `LSA, in-context OLS and the Bayes risk (dashed line). Solid: trained by gradient descent on ` +
      `noisy labels (${describeSizes(sizes)}; run 0, seed ${ctx.seed}); long dashes: the ` +
      `population-optimal parameters (alpha_T, the two-parameter optimum, gamma* I). Error bars: ` +
      `standard errors over the ${sizes.testPrompts} test prompts. ${ctx.taskText}.`,
    chart: {
      title: "Test risk against L_te",
      subtitle: `T = ${sizes.depth}; ${describeSizes(sizes)}; SE over test prompts`,
      xTitle: "test context L_te",
      yTitle: "test risk E(y_hat - y)^2",
      xLog: true,
      yLog: true,
      points: singleRunPoints(rows, 0, series),
      styles: series.map(styleOf),
      rules: [bayesRule(ctx.constants)],
    },
    data: { rows: rows.filter((r) => r.run === 0), ...extra },
  };
}

/** Fig. 3 analogue: risk against depth at one L_te, one run, standard errors. */
export function figure3(
  ctx: FigureContext,
  rows: SweepRow[],
  extra: Record<string, unknown>,
): FigureDefinition {
  const series = ["lca1", "lca2", "lca1-pop", "lca2-pop", "ols"];
  const { sizes } = ctx;
  return {
    id: "fig3_risk_vs_depth",
    title: "Fig. 3 analogue: test risk against the depth T",
    caption: `Test risk against the depth T at L_te = ${sizes.depthContext} of one- and ` +
      `two-parameter LCA, trained at each depth (solid; ${describeSizes(sizes)}; run 0) and at ` +
      `the population-optimal parameters of that depth (long dashes), with in-context OLS and the ` +
      `Bayes risk. Error bars: standard errors over the ${sizes.testPrompts} test prompts. ` +
      `${ctx.taskText}.`,
    chart: {
      title: `Test risk against depth T (L_te = ${sizes.depthContext})`,
      subtitle: `${describeSizes(sizes)}; SE over test prompts`,
      xTitle: "depth T",
      yTitle: "test risk E(y_hat - y)^2",
      points: singleRunPoints(rows, 0, series),
      styles: series.map(styleOf),
      rules: [bayesRule(ctx.constants)],
    },
    data: { rows: rows.filter((r) => r.run === 0), ...extra },
  };
}

/** Fig. 4 analogue: adds the ablation and the sample mean; mean and sd over runs. */
export function figure4(
  ctx: FigureContext,
  rows: SweepRow[],
  extra: Record<string, unknown>,
): FigureDefinition {
  const series = ["lca1", "lca2", "ablation", "mean", "ols"];
  const { sizes } = ctx;
  return {
    id: "fig4_ablation_and_baselines",
    title: "Fig. 4 analogue: the ablation without S_t and the sample-mean baseline",
    caption: `Test risk against the depth T at L_te = ${sizes.depthContext}: trained one- and ` +
      `two-parameter LCA, the trained LCA ablation without the re-injection stream S_t ` +
      `(q_0 = x_q, W_S dropped), the sample mean of the context labels, in-context OLS and the ` +
      `Bayes risk (log y axis). Points: mean over ${sizes.runs} training runs; error bars: ` +
      `standard deviation across runs (${describeSizes(sizes)}). ${ctx.taskText}.`,
    chart: {
      title: `Ablation and baselines (L_te = ${sizes.depthContext})`,
      subtitle: `mean ± sd over ${sizes.runs} runs; ${describeSizes(sizes)}`,
      xTitle: "depth T",
      yTitle: "test risk E(y_hat - y)^2",
      yLog: true,
      points: acrossRunPoints(rows, series),
      styles: series.map(styleOf),
      rules: [bayesRule(ctx.constants)],
    },
    data: { rows, ...extra },
  };
}

/** Fig. 5 analogue: adds deep LSA; risk against L_te, mean and sd over runs. */
export function figure5(
  ctx: FigureContext,
  rows: SweepRow[],
  extra: Record<string, unknown>,
): FigureDefinition {
  const series = ["lca1", "lca2", "deep-lsa", "lsa", "ols"];
  const { sizes } = ctx;
  return {
    id: "fig5_deep_lsa",
    title: "Fig. 5 analogue: the two-parameter deep LSA baseline",
    caption: `Test risk against L_te (log axes) of trained one- and two-parameter LCA ` +
      `(T = ${sizes.depth}), the trained two-parameter deep LSA (T = ${sizes.depth}), trained ` +
      `LSA, in-context OLS and the Bayes risk. Points: mean over ${sizes.runs} training runs; ` +
      `error bars: standard deviation across runs (${describeSizes(sizes)}). ${ctx.taskText}.`,
    chart: {
      title: "Deep LSA against LCA",
      subtitle: `T = ${sizes.depth}; mean ± sd over ${sizes.runs} runs; ${describeSizes(sizes)}`,
      xTitle: "test context L_te",
      yTitle: "test risk E(y_hat - y)^2",
      xLog: true,
      yLog: true,
      points: acrossRunPoints(rows, series),
      styles: series.map(styleOf),
      rules: [bayesRule(ctx.constants)],
    },
    data: { rows, ...extra },
  };
}

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
      `N = ${sizes.prompts}, seed ${ctx.seed} (${sizes.name} size). Solid: trained against the Bayes prediction ` +
      `w^T x_q on exact task statistics (L_tr = ∞), whose minimiser is the population limit: ` +
      `alpha -> alpha_T ≈ alpha* and beta -> -alpha*. Short dashes: the paper-size training on ` +
      `noisy labels at L_tr = ${sizes.trainContext}, whose alpha stays far below alpha* (claim ` +
      `C10). Reference lines: ±alpha* = ±${constants.alphaStar.toFixed(5)}. ${ctx.taskText}.`,
    chart: {
      title: "Training trajectories of α and β",
      subtitle: `T = ${sizes.depth}, N = ${sizes.prompts}`,
      xTitle: "gradient-descent step",
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

/** Trained alpha_T against T with alpha* and the population alpha_T. */
export function alphaDepthFigure(ctx: FigureContext, rows: AlphaDepthRow[]): FigureDefinition {
  const { sizes, constants } = ctx;
  const exact = `trained α_T (exact statistics, Bayes target), mean ± sd over ${sizes.runs} runs`;
  const labels = `trained α_T (labels, L_tr = ${sizes.trainContext}), mean ± sd`;
  const population = "population minimiser α_T of E_T (quadrature)";
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
      `prediction on exact task statistics (N = ${sizes.prompts}, ${sizes.runs} runs, ${sizes.name} size; the ` +
      `finite-N estimate of the population minimiser), the population minimiser alpha_T of E_T by ` +
      `quadrature, and alpha* = ${constants.alphaStar.toFixed(5)} (dashed line): alpha_T rises ` +
      `towards alpha* from below. Short dashes: trained on noisy labels at L_tr = ` +
      `${sizes.trainContext} (paper sizes), far below alpha* (claim C10). Error bars: standard ` +
      `deviation across runs. ${ctx.taskText}.`,
    chart: {
      title: "α_T against depth T",
      subtitle: `N = ${sizes.prompts}; ${sizes.runs} runs`,
      xTitle: "depth T",
      yTitle: "α_T",
      xLog: true,
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
      `sampling; ${ctx.sizes.name} size) against T = 1..${ctx.sizes.excessMaxDepth} on a log axis: at alpha*, at the ` +
      `depth-T minimiser alpha_T and at the two-parameter optimum, with the geometric bound ` +
      `rho*^{2T} E[s/(1+s)] (claims C3/C4). ${ctx.taskText}.`,
    chart: {
      title: "Population excess risk against depth T",
      subtitle: "L = ∞, quadrature",
      xTitle: "depth T",
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
