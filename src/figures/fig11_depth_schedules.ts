/**
 * Fig. 11 (beyond the paper, claim C12): a step per layer (`lca-schedule`, beta_t = -alpha_t)
 * against one shared step, from {@linkcode scheduleDepths}.
 *
 * - The chart: the population excess E_T (L = infinity, quadrature) against T on a log axis of
 *   the tied optimum alpha_T, the optimal schedule and the schedule trained on exact statistics
 *   with the Bayes target, with the two rates: the tied bound rho*^{2T} E[s/(1+s)] and the
 *   Chebyshev schedule's bound (2 rho_c^T/(1 + rho_c^{2T}))^2 E[s/(1+s)], whose slopes are
 *   2 log rho* and 2 log rho_c per layer.
 * - The panel: the answer at a finite test context, the excess of the optimal schedule and of
 *   the tied optimum on the same fresh prompts at each L_te (`finiteContextScheduleComparison`).
 *
 * @module
 */

import type { ChartPoint, LineChartOptions, SeriesStyle } from "../rendering/charts.ts";
import { captionNumber, type FigureContext, type FigureDefinition } from "./definitions.ts";
import type { ScheduleDepths } from "../experiments/schedule_depths.ts";
import { rhoStar } from "../theory/population.ts";
import { scheduleRate } from "../theory/optimal_schedule.ts";

/** Legend labels of the chart. */
export const SCHEDULE_SERIES = {
  tied: "tied optimum α_T (one step)",
  optimum: "optimal schedule α_1..α_T",
  trained: "trained schedule (lca-schedule)",
  tiedBound: "tied bound ρ*^{2T} E[s/(1+s)]",
  chebyshev: "Chebyshev bound ∝ ρ_c^{2T}",
} as const;

/** An excess is worse than predicting zero above this (E[s/(1+s)] < 1): not on the axis. */
const WORSE_THAN_ZERO = 1;

const CONTEXT_COLORS = ["#d62728", "#1f77b4", "#2ca02c", "#9467bd"];

/** The label of the schedule (or tied) series of the panel at L_te. */
function finiteLabel(which: "schedule" | "tied", context: number): string {
  return `${which === "schedule" ? "optimal schedule" : "tied α_T"}, L_te = ${context}`;
}

/** The finite-context panel: schedule against tied at each L_te over the depths. */
function finitePanel(ctx: FigureContext, e: ScheduleDepths): LineChartOptions {
  const contexts = ctx.sizes.scheduleContexts;
  const points: ChartPoint[] = e.finite.flatMap((f) =>
    f.rows.flatMap((r) =>
      (["schedule", "tied"] as const).map((which) => {
        const { mean, standardError } = r[which];
        return {
          series: finiteLabel(which, r.context),
          x: f.depth,
          y: mean,
          lower: mean - standardError,
          upper: mean + standardError,
          informative: mean <= WORSE_THAN_ZERO,
        };
      })
    )
  );
  const styles: SeriesStyle[] = contexts.flatMap((context, k) => [
    {
      label: finiteLabel("schedule", context),
      color: CONTEXT_COLORS[k % 4],
      dash: [1, 0],
      shape: "circle",
    },
    {
      label: finiteLabel("tied", context),
      color: CONTEXT_COLORS[k % 4],
      dash: [6, 3],
      shape: "square",
    },
  ]);
  return {
    title: "At a finite test context L_te",
    subtitle: `optimal schedule and tied α_T on the same prompts; SE over ` +
      `${ctx.sizes.scheduleTestPrompts} test prompts; ${ctx.sizes.name} size`,
    xTitle: "depth T",
    xName: "T",
    yTitle: "excess over Bayes",
    yLog: true,
    xValues: ctx.sizes.scheduleDepths,
    height: 260,
    points,
    styles,
    clipReason: "Excesses above 1 are worse than predicting zero: the residual " +
      "prod_t (1 - alpha_t lambda) grows on the eigenvalues of Sigma_hat outside the support.",
  };
}

/** The chart's points: the population curves at every T and the trained schedule. */
function populationPoints(e: ScheduleDepths): ChartPoint[] {
  const trained = e.trained.map((r) => ({
    series: SCHEDULE_SERIES.trained,
    x: r.depth,
    y: r.population,
  }));
  const floor = Math.min(...e.theory.map((r) => r.optimum));
  return [
    ...e.theory.flatMap((r) => [
      { series: SCHEDULE_SERIES.tied, x: r.depth, y: r.tied },
      { series: SCHEDULE_SERIES.optimum, x: r.depth, y: r.optimum },
    ]),
    ...trained,
    ...e.theory.flatMap((r) => [
      { series: SCHEDULE_SERIES.tiedBound, x: r.depth, y: r.tiedBound, informative: false },
      {
        series: SCHEDULE_SERIES.chebyshev,
        x: r.depth,
        y: r.chebyshevBound,
        informative: r.chebyshevBound >= floor,
      },
    ]),
  ];
}

/** The caption's sentences on the measured numbers. */
function findings(ctx: FigureContext, e: ScheduleDepths): string {
  const last = e.theory.at(-1)!;
  const ratios = e.trained.map((r) => r.population / e.theory[r.depth - 1].optimum);
  const worst = Math.max(...ratios);
  const unmoved = e.trained.filter((r) => r.steps === 0).map((r) => r.depth);
  const unmovedText = unmoved.length === 0
    ? ""
    : ` At T = ${unmoved.join(", ")} the descent took no step: the gradient at the Chebyshev ` +
      `start was already below its tolerance.`;
  const deepest = e.finite.at(-1)!;
  const finite = deepest.rows.map((r) =>
    `${captionNumber(r.schedule.mean)} against ${captionNumber(r.tied.mean)} at L_te = ${r.context}`
  ).join(", ");
  return `At T = ${last.depth} the optimal schedule's excess is ${captionNumber(last.optimum)} ` +
    `against the tied optimum's ${captionNumber(last.tied)} (ratio ` +
    `${captionNumber(last.optimum / last.tied)}); rho* = ${captionNumber(rhoStar(ctx.law))} and ` +
    `rho_c = ${captionNumber(scheduleRate(ctx.law))}. The trained schedule's population excess ` +
    `is at most ${captionNumber(worst)} times the optimal schedule's at the trained ` +
    `depths.${unmovedText} At a finite test context the context's error dominates and the ` +
    `schedule's gain is gone: at T = ${deepest.depth} the optimal schedule against the tied ` +
    `alpha_T is ${finite}.`;
}

/** Fig. 11: depth schedules against the tied step over T, with the finite-context panel. */
export function depthSchedulesFigure(ctx: FigureContext, e: ScheduleDepths): FigureDefinition {
  const s = ctx.sizes;
  const styles: SeriesStyle[] = [
    { label: SCHEDULE_SERIES.tied, color: "#1f77b4", dash: [1, 0], shape: "square" },
    { label: SCHEDULE_SERIES.optimum, color: "#2ca02c", dash: [6, 3], shape: "circle" },
    {
      label: SCHEDULE_SERIES.trained,
      color: "#d62728",
      dash: [1, 0],
      shape: "diamond",
      marks: "points",
      markerSize: 110,
    },
    { label: SCHEDULE_SERIES.tiedBound, color: "#000000", dash: [8, 4], reference: true },
    { label: SCHEDULE_SERIES.chebyshev, color: "#7f7f7f", dash: [2, 2], reference: true },
  ];
  return {
    id: "fig11_depth_schedules",
    title: "Depth schedules (a step per layer) against one shared step",
    caption: `Excess risk over Bayes against T at L = ∞ (population, by quadrature) of the tied ` +
      `one-parameter optimum alpha_T and of the optimal schedule (steps alpha_t = 1/lambda_t, ` +
      `lambda_t the Gauss nodes of s dP(s) in lambda = 1 + s; claim C12), with the schedule ` +
      `trained at T = ${s.scheduleDepths.join(", ")} (markers: the population excess of the ` +
      `trained steps; lca-schedule by gradient descent from the Chebyshev schedule, at most ` +
      `${s.scheduleSteps} steps, N = ${s.schedulePrompts} prompts with exact statistics and ` +
      `the Bayes target) and the two rates: the tied bound rho*^{2T} E[s/(1+s)] and the ` +
      `Chebyshev bound (2 rho_c^T/(1 + rho_c^{2T}))^2 E[s/(1+s)]. ${findings(ctx, e)} The panel ` +
      `under it: the excess of the optimal schedule (solid) and of the tied alpha_T (dashed) ` +
      `at L_te = ${s.scheduleContexts.join(", ")} on the same ${s.scheduleTestPrompts} fresh ` +
      `prompts per L_te (mean of (y_hat - w^T x_q)^2, error bars: standard errors; ${s.name} ` +
      `size). ${ctx.taskText}.`,
    chart: {
      title: "A step per layer against one shared step (L = ∞)",
      subtitle: `population excess by quadrature; trained: N = ${s.schedulePrompts}, exact ` +
        `statistics, Bayes target; ${s.name} size`,
      xTitle: "depth T",
      xName: "T",
      yTitle: "excess risk over Bayes",
      yLog: true,
      points: populationPoints(e),
      styles,
      informative: [SCHEDULE_SERIES.tied, SCHEDULE_SERIES.optimum, SCHEDULE_SERIES.trained],
    },
    panels: [finitePanel(ctx, e)],
    data: { theory: e.theory, trained: e.trained, finite: e.finite },
  };
}
