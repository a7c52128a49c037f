/**
 * The figures: from experiment results to chart points, captions and the data
 * written beside each SVG. Here: what every figure shares (its definition, the context,
 * series styles, points of the sweeps, caption helpers) and the sweep figures, Figs. 2-5;
 * the other figures have a file each (`trajectory_figure.ts`, `alpha_depth_figure.ts`,
 * `excess_depth_figure.ts`, `fig9_untied.ts`, `fig10_gradient_flow.ts`).
 *
 * @module
 */

import type { ChartPoint, ChartRule, LineChartOptions, SeriesStyle } from "../rendering/charts.ts";
import { acrossRuns } from "../experiments/evaluate.ts";
import type { PopulationConstants } from "../experiments/population_models.ts";
import { dashOf, seriesInfo } from "./series.ts";
import { describeSizes, type FigureSizes } from "../experiments/figure_sizes.ts";
import type { SweepRow } from "../experiments/sweeps.ts";
import type { SpikeLaw } from "../model/law.ts";

/** One figure: its chart and everything written beside it. */
export interface FigureDefinition {
  /** File stem, e.g. "fig2_risk_vs_context". */
  id: string;
  title: string;
  /** Caption for index.html and the README (sizes stated). */
  caption: string;
  chart: LineChartOptions;
  /**
   * Panels drawn under the chart in the same SVG, each a chart with its own axes and
   * legend (default none); their points go to the data files too.
   */
  panels?: LineChartOptions[];
  /** Extra data recorded in the figure's JSON file (raw rows, comparisons, parameters). */
  data: Record<string, unknown>;
}

function styleOf(id: string): SeriesStyle {
  const info = seriesInfo(id);
  return { label: info.label, color: info.color, dash: dashOf(info.kind), shape: info.marker };
}

/** Which number of a sweep row a figure plots. */
export type SweepMetric = "risk" | "excess";

/** Value and standard error of a row's metric. */
function metricOf(r: SweepRow, metric: SweepMetric): { value: number; se: number } {
  return metric === "risk" ? { value: r.risk, se: r.riskSE } : { value: r.excess, se: r.excessSE };
}

/**
 * Points of one run with error bars = standard error over test prompts, of the
 * risk or of the excess over Bayes (default "risk").
 */
export function singleRunPoints(
  rows: SweepRow[],
  run: number,
  series: string[],
  metric: SweepMetric = "risk",
): ChartPoint[] {
  return series.flatMap((id) =>
    rows.filter((r) => r.run === run && r.series === id).map((r) => {
      const { value, se } = metricOf(r, metric);
      return {
        series: seriesInfo(r.series).label,
        x: r.x,
        y: value,
        lower: value - se,
        upper: value + se,
      };
    })
  );
}

/**
 * Points averaged over runs with error bars = standard deviation across runs, of
 * the risk or of the excess over Bayes (default "risk").
 */
export function acrossRunPoints(
  rows: SweepRow[],
  series: string[],
  metric: SweepMetric = "risk",
): ChartPoint[] {
  const points: ChartPoint[] = [];
  for (const id of series) {
    const xs = [...new Set(rows.filter((r) => r.series === id).map((r) => r.x))].sort((a, b) =>
      a - b
    );
    for (const x of xs) {
      const { mean, sd } = acrossRuns(
        rows.filter((r) => r.series === id && r.x === x).map((r) => metricOf(r, metric).value),
      );
      points.push({ series: seriesInfo(id).label, x, y: mean, lower: mean - sd, upper: mean + sd });
    }
  }
  return points;
}

/** The LSA gap E[s/(1+s)] - E[s]^2/E[s(1+s)] as a reference line (claim C1). */
function lsaGapRule(constants: PopulationConstants): ChartRule {
  return { y: constants.lsaGap, label: `LSA gap ${constants.lsaGap.toPrecision(3)}` };
}

/** Labels of the series whose ids are given. */
function labelsOf(ids: string[]): string[] {
  return ids.map((id) => seriesInfo(id).label);
}

const EXCESS_TITLE = "excess over Bayes, E(y_hat - w^T x_q)^2";

/** Why the population-optimal LCA leaves the axis at small L_te or large T (claim C9). */
const C9_REASON = "The population-optimal LCA is tuned for L = ∞; at a finite L_te its " +
  "iteration q <- q + alpha (x_q - Sigma_hat q) diverges on prompts with " +
  "lambda_max(Sigma_hat) > 2/alpha (claim C9), more often at small L_te and at large T, so its " +
  "mean excess explodes there and does not set the axis.";

const BAYES_NOTE = "The Bayes predictor has zero excess and is the bottom of any log axis " +
  "(its risk, sigma^2 + E[1/(1+s)], is in the data file).";

/** A value for a caption: 3 significant digits, exponent form below 1e-3. */
export function captionNumber(v: number): string {
  return Math.abs(v) < 1e-3 && v !== 0 ? v.toExponential(1) : String(Number(v.toPrecision(3)));
}

/** The plotted y of `label` at x (undefined when not plotted). */
function valueAt(points: ChartPoint[], label: string, x: number): number | undefined {
  return points.find((p) => p.series === label && p.x === x)?.y;
}

/** "a / b" as "2.9 times", for captions. */
function times(a: number | undefined, b: number | undefined): string {
  return a === undefined || b === undefined ? "?" : `${captionNumber(a / b)} times`;
}

/** Context shared by every figure definition. */
export interface FigureContext {
  sizes: FigureSizes;
  constants: PopulationConstants;
  /** Task description for captions, e.g. "d = 4, s ~ uniform[0.5, 4], sigma = 0.1". */
  taskText: string;
  seed: number;
  /** The spike law (for population values quoted in captions). */
  law: SpikeLaw;
}

/** The bound rho*^{2T} E[s/(1+s)] at one depth. */
export interface DepthBound {
  depth: number;
  bound: number;
}

/** Fig. 2 analogue: excess over Bayes against L_te, one run, standard errors. */
export function figure2(
  ctx: FigureContext,
  rows: SweepRow[],
  extra: Record<string, unknown>,
): FigureDefinition {
  const series = ["lca1", "lca2", "lca1-pop", "lca2-pop", "lsa", "lsa-pop", "ols"];
  const { sizes, constants } = ctx;
  const points = singleRunPoints(rows, 0, series, "excess");
  const largest = sizes.contexts[sizes.contexts.length - 1];
  const at = (id: string) => captionNumber(valueAt(points, seriesInfo(id).label, largest) ?? NaN);
  return {
    id: "fig2_risk_vs_context",
    title: "Fig. 2 analogue: excess risk over Bayes against the test context L_te",
    caption: `Excess risk over the Bayes predictor, mean (y_hat - w^T x_q)^2, against L_te ` +
      `(log axes) of one- and two-parameter LCA (T = ${sizes.depth}), LSA and in-context OLS. ` +
      `LSA stays a gap above Bayes: its excess levels off at the population LSA gap ` +
      `${constants.lsaGap.toPrecision(3)} (dashed line, claim C1), while LCA's excess keeps ` +
      `falling with L_te, with OLS's, towards Bayes. At L_te = ${largest} the excess is ` +
      `${at("lsa")} for trained LSA and ${at("lsa-pop")} for gamma* LSA, against ` +
      `${at("lca1")} for trained one-parameter LCA, ${at("lca1-pop")} at alpha_T and ` +
      `${at("ols")} for OLS. Solid: trained by gradient descent on noisy ` +
      `labels (${describeSizes(sizes)}; run 0, seed ${ctx.seed}); long dashes: the ` +
      `population-optimal parameters (alpha_T, the two-parameter optimum, gamma* I); dotted: OLS. ` +
      `Error bars: standard errors over the ${sizes.testPrompts} test prompts. ${BAYES_NOTE} ` +
      `${ctx.taskText}.`,
    chart: {
      title: "Excess risk over Bayes against L_te",
      subtitle: `T = ${sizes.depth}; run 0; SE over ${sizes.testPrompts} test prompts; ` +
        `${sizes.name} size`,
      xTitle: "test context L_te",
      xName: "L_te",
      yTitle: EXCESS_TITLE,
      xLog: true,
      yLog: true,
      xValues: sizes.contexts,
      points,
      styles: series.map(styleOf),
      rules: [lsaGapRule(constants)],
      informative: labelsOf(["lca1", "lca2", "lsa", "lsa-pop", "ols"]),
      clipReason: C9_REASON,
    },
    data: { rows: rows.filter((r) => r.run === 0), ...extra },
  };
}

/** Fig. 3 analogue: excess over Bayes against depth at one L_te, with the geometric bound. */
export function figure3(
  ctx: FigureContext,
  rows: SweepRow[],
  bounds: DepthBound[],
  extra: Record<string, unknown>,
): FigureDefinition {
  const series = ["lca1", "lca2", "lca1-pop", "lca2-pop", "ols"];
  const { sizes } = ctx;
  const boundLabel = "bound ρ*^{2T} E[s/(1+s)] (L = ∞)";
  const measured = singleRunPoints(rows, 0, series, "excess");
  const informative = labelsOf(["lca1", "lca2", "ols"]);
  const floor = Math.min(
    ...measured.filter((p) => informative.includes(p.series) && p.y > 0).map((p) => p.y),
  );
  // The bound is drawn down to a decade below the smallest measured excess; further
  // down it only leaves the plot at the bottom.
  const first = sizes.depths[0], last = sizes.depths[sizes.depths.length - 1];
  const lca1 = seriesInfo("lca1").label;
  const boundPoints: ChartPoint[] = bounds.map((b) => ({
    series: boundLabel,
    x: b.depth,
    y: b.bound,
    informative: b.bound >= floor / 10,
  }));
  return {
    id: "fig3_risk_vs_depth",
    title: "Fig. 3 analogue: excess risk over Bayes against the depth T",
    caption: `Excess risk over the Bayes predictor against the depth T at L_te = ` +
      `${sizes.depthContext} (log y axis) of one- and two-parameter LCA, trained at each depth ` +
      `(solid; ${describeSizes(sizes)}; run 0) and at the population-optimal parameters of that ` +
      `depth (long dashes), with in-context OLS (dotted) and the population bound ` +
      `rho*^{2T} E[s/(1+s)] (black dashes, claims C3/C4). LCA's excess first falls geometrically, ` +
      `parallel to the bound, then levels off at the floor that a finite context sets (near ` +
      `OLS's excess at this L_te; Fig. 8 shows the decay at L = ∞): trained one-parameter LCA ` +
      `goes from ${captionNumber(valueAt(measured, lca1, first) ?? NaN)} at T = ${first} to ` +
      `${
        captionNumber(valueAt(measured, lca1, last) ?? NaN)
      } at T = ${last}, and OLS's excess is ` +
      `${
        captionNumber(valueAt(measured, seriesInfo("ols").label, first) ?? NaN)
      }. Error bars: standard errors ` +
      `over the ${sizes.testPrompts} test prompts. ${BAYES_NOTE} ${ctx.taskText}.`,
    chart: {
      title: `Excess risk over Bayes against depth T (L_te = ${sizes.depthContext})`,
      subtitle: `run 0; SE over ${sizes.testPrompts} test prompts; ${sizes.name} size`,
      xTitle: "depth T",
      xName: "T",
      yTitle: EXCESS_TITLE,
      yLog: true,
      points: [...measured, ...boundPoints],
      styles: [...series.map(styleOf), {
        label: boundLabel,
        color: "#000000",
        dash: [8, 4],
        shape: "triangle-right",
        reference: true,
      }],
      informative,
      clipReason: C9_REASON,
    },
    data: { rows: rows.filter((r) => r.run === 0), bounds, ...extra },
  };
}

/** Fig. 4 analogue: the ablation and the sample mean; excess, mean and sd over runs. */
export function figure4(
  ctx: FigureContext,
  rows: SweepRow[],
  extra: Record<string, unknown>,
): FigureDefinition {
  const series = ["lca1", "lca2", "ablation", "mean", "ols"];
  const { sizes } = ctx;
  const points = acrossRunPoints(rows, series, "excess");
  const last = sizes.depths[sizes.depths.length - 1];
  const at = (id: string) => valueAt(points, seriesInfo(id).label, last);
  return {
    id: "fig4_ablation_and_baselines",
    title: "Fig. 4 analogue: the ablation without S_t and the sample-mean baseline",
    caption: `Excess risk over the Bayes predictor against the depth T at L_te = ` +
      `${sizes.depthContext} (log y axis): trained one- and two-parameter LCA, the trained LCA ` +
      `ablation without the re-injection stream S_t (q_0 = x_q, W_S dropped), the sample mean of ` +
      `the context labels and in-context OLS (claim C8 concerns the ablation). At T = ${last} the ` +
      `ablation's excess is ${times(at("ablation"), at("lca1"))} the one-parameter LCA's and the ` +
      `sample mean's ${times(at("mean"), at("lca1"))}. Points: mean over ${sizes.runs} ` +
      `training runs; error bars: standard deviation across runs (${describeSizes(sizes)}). ` +
      `${BAYES_NOTE} ${ctx.taskText}.`,
    chart: {
      title: `Ablation and baselines (L_te = ${sizes.depthContext})`,
      subtitle: `mean ± sd over ${sizes.runs} runs; ${sizes.name} size`,
      xTitle: "depth T",
      xName: "T",
      yTitle: EXCESS_TITLE,
      yLog: true,
      points,
      styles: series.map(styleOf),
    },
    data: { rows, ...extra },
  };
}

/** Fig. 5 analogue: deep LSA against LCA; excess against L_te, mean and sd over runs. */
export function figure5(
  ctx: FigureContext,
  rows: SweepRow[],
  extra: Record<string, unknown>,
): FigureDefinition {
  const series = ["lca1", "lca2", "deep-lsa", "lsa", "ols"];
  const { sizes, constants } = ctx;
  const points = acrossRunPoints(rows, series, "excess");
  const largest = sizes.contexts[sizes.contexts.length - 1];
  const at = (id: string) => valueAt(points, seriesInfo(id).label, largest);
  return {
    id: "fig5_deep_lsa",
    title: "Fig. 5 analogue: the two-parameter deep LSA baseline",
    caption: `Excess risk over the Bayes predictor against L_te (log axes) of trained one- and ` +
      `two-parameter LCA (T = ${sizes.depth}), the trained two-parameter deep LSA ` +
      `(T = ${sizes.depth}), trained LSA and in-context OLS, with the population LSA gap ` +
      `${constants.lsaGap.toPrecision(3)} (dashed line). At L_te = ${largest} deep LSA's excess ` +
      `is ${times(at("deep-lsa"), at("lca1"))} the one-parameter LCA's and LSA's ` +
      `${
        times(at("lsa"), at("lca1"))
      }. Points: mean over ${sizes.runs} training runs; error bars: ` +
      `standard deviation across runs (${describeSizes(sizes)}). ${BAYES_NOTE} ${ctx.taskText}.`,
    chart: {
      title: "Deep LSA against LCA",
      subtitle: `T = ${sizes.depth}; mean ± sd over ${sizes.runs} runs; ${sizes.name} size`,
      xTitle: "test context L_te",
      xName: "L_te",
      yTitle: EXCESS_TITLE,
      xLog: true,
      yLog: true,
      xValues: sizes.contexts,
      points,
      styles: series.map(styleOf),
      rules: [lsaGapRule(constants)],
    },
    data: { rows, ...extra },
  };
}
