/**
 * Fig. 9 (beyond the paper, claim C11): the untied LCA (`lca-full`: full d x d matrices
 * A = W_S, B = W_V shared by the layers) trained from random initialisation against the tied
 * two-parameter population optimum (alpha_T I, beta_T I), over depths T, from
 * {@linkcode untiedSweep} (exact task statistics, L = infinity, Bayes target; excess on fresh
 * prompts with the query integrated out, paired on the same prompts).
 *
 * Two charts:
 * - `fig9_untied_excess_vs_depth`: the excess of both against T (log axis), the untied curve
 *   with +-2 paired standard errors of its difference from the tied one, over a panel of the
 *   untied/tied excess ratio per depth (linear axis, where a few percent show);
 * - `fig9b_untied_structure_vs_depth`: the structure of the trained matrices against T: the
 *   skew-symmetric and the symmetric traceless parts of A and B relative to their scalar parts,
 *   and the untied/tied excess ratio, so that the depths where untying gains show their cause.
 *
 * @module
 */

import type { ChartPoint, LineChartOptions } from "../rendering/charts.ts";
import type { FigureContext, FigureDefinition } from "./definitions.ts";
import type { UntiedSweepRow } from "../experiments/untied_sweep.ts";

const fmt = (v: number, digits = 3) => v.toPrecision(digits);

/** What the sweep behind Fig. 9 used, for the captions. */
function sweepText(ctx: FigureContext): string {
  const s = ctx.sizes;
  return `lca-full trained on N = ${s.untiedPrompts} prompts (exact statistics, L = ∞, Bayes ` +
    `target; Levenberg-Marquardt on the exact Jacobian, at most ${s.untiedSteps} iterations, ` +
    `from a random start of scale 0.3 and from the tied optimum plus N(0, 0.05²/d) noise, ` +
    `keeping the lower training loss), excess on ${s.untiedTestPrompts} fresh prompts paired ` +
    `with the tied optimum; ` +
    `float64 on the host; ${s.name} size`;
}

/**
 * The ratio panel of Fig. 9: untied/tied excess per depth with +-2 paired SE of the
 * difference (relative to the tied excess), against the line at 1 (as good as tied).
 */
function ratioPanel(ctx: FigureContext, rows: UntiedSweepRow[]): LineChartOptions {
  const label = "untied/tied excess (±2 paired SE)";
  return {
    title: "Untied excess relative to tied, per depth",
    subtitle: `ratio of the two excesses above; ${ctx.sizes.name} size`,
    xTitle: "depth T",
    xName: "T",
    yTitle: "untied/tied excess",
    xValues: rows.map((r) => r.depth),
    height: 170,
    points: rows.map((r) => {
      const ratio = r.untied.excess / r.tied.excess;
      const half = 2 * r.difference.standardError / r.tied.excess;
      return { series: label, x: r.depth, y: ratio, lower: ratio - half, upper: ratio + half };
    }),
    rules: [{ y: 1, label: "= tied" }],
    styles: [{ label, color: "#d62728", dash: [6, 3], shape: "square" }],
  };
}

/** Fig. 9: untied against tied excess over T, with the ratio panel under it. */
export function untiedExcessFigure(ctx: FigureContext, rows: UntiedSweepRow[]): FigureDefinition {
  const series = {
    tied: "tied optimum (α_T I, β_T I)",
    untied: "untied A, B (trained; ±2 paired SE)",
  };
  const points: ChartPoint[] = rows.flatMap((r) => [
    { series: series.tied, x: r.depth, y: r.tied.excess },
    {
      series: series.untied,
      x: r.depth,
      y: r.untied.excess,
      lower: r.untied.excess - 2 * r.difference.standardError,
      upper: r.untied.excess + 2 * r.difference.standardError,
    },
  ]);
  const gains = rows.filter((r) => r.difference.mean + 2 * r.difference.standardError < 0);
  const ratios = rows.map((r) => `T = ${r.depth}: ${fmt(r.untied.excess / r.tied.excess)}`)
    .join(", ");
  const gainText =
    (gains.length === 0
      ? "The untied model is not below the tied optimum at any plotted depth"
      : `The untied model is below the tied optimum by more than 2 paired SE at T = ${
        gains.map((r) => r.depth).join(", ")
      }`) + ` (untied/tied excess: ${ratios}).`;
  const capped = rows.filter((r) => r.untied.stop === "step-cap");
  const capText = capped.length === 0
    ? "Every kept training run stopped on its convergence or stagnation rule."
    : `The kept training run stopped at its step cap (${ctx.sizes.untiedSteps} steps) at T = ${
      capped.map((r) => r.depth).join(", ")
    }, so the untied excess there is an upper bound on what the untied model reaches.`;
  return {
    id: "fig9_untied_excess_vs_depth",
    title: "Untied against tied cross-attention: excess against the depth T",
    caption: `Excess risk over Bayes against T of the tied two-parameter population optimum and ` +
      `of the untied LCA (${
        sweepText(ctx)
      }); the panel under it is the untied/tied excess ratio per depth on a linear axis (1: ` +
      `as good as tied), where differences of a few percent that the five-decade log axis ` +
      `hides show. ${gainText} ${capText} The structure of the trained ` +
      `matrices is Fig. 9b; claim C11 checks the T = 1 and T = 3 cases at larger sizes. ` +
      `${ctx.taskText}.`,
    chart: {
      title: "Untied (full-matrix) against tied LCA",
      subtitle: `L = ∞; Bayes target; ${ctx.sizes.name} size`,
      xTitle: "depth T",
      xName: "T",
      yTitle: "excess risk over Bayes",
      yLog: true,
      xValues: rows.map((r) => r.depth),
      points,
      styles: [
        { label: series.tied, color: "#1f77b4", dash: [1, 0] },
        { label: series.untied, color: "#d62728", dash: [6, 3] },
      ],
    },
    panels: [ratioPanel(ctx, rows)],
    data: { rows },
  };
}

/** Fig. 9b: the structure of the trained untied matrices over T. */
export function untiedStructureFigure(
  ctx: FigureContext,
  rows: UntiedSweepRow[],
): FigureDefinition {
  const series = {
    ratio: "excess ratio untied/tied",
    skewA: "skew part of A",
    skewB: "skew part of B",
    symA: "symmetric traceless part of A",
    symB: "symmetric traceless part of B",
  };
  const points: ChartPoint[] = rows.flatMap((r) => [
    { series: series.ratio, x: r.depth, y: r.untied.excess / r.tied.excess },
    { series: series.skewA, x: r.depth, y: r.untied.aSkew },
    ...(r.depth === 1 ? [] : [{ series: series.skewB, x: r.depth, y: r.untied.bSkew }]),
    { series: series.symA, x: r.depth, y: r.untied.aSymmetric },
    ...(r.depth === 1 ? [] : [{ series: series.symB, x: r.depth, y: r.untied.bSymmetric }]),
  ]);
  const deep = rows.filter((r) => r.depth > 1);
  const peak = deep.length === 0
    ? undefined
    : deep.reduce((a, b) => (b.untied.bSkew > a.untied.bSkew ? b : a));
  const peakText = peak === undefined ? "" : `The skew parts peak at T = ${peak.depth} (A ` +
    `${fmt(peak.untied.aSkew, 2)}, B ${fmt(peak.untied.bSkew, 2)}) where the ratio is ` +
    `${fmt(peak.untied.excess / peak.tied.excess)}, while the symmetric traceless parts stay ` +
    `at the sampling-noise level of T = 1. `;
  return {
    id: "fig9b_untied_structure_vs_depth",
    title: "Structure of the trained untied matrices against the depth T",
    caption: `Structure of the untied A = W_S and B = W_V of Fig. 9 (${sweepText(ctx)}): ` +
      `|skew(M)|_F and |sym(M) - (tr M/d) I|_F relative to |tr M/d| √d, with the untied/tied ` +
      `excess ratio (1 = no gain). ${peakText}B is unused at T = 1 and not plotted there. ` +
      `${ctx.taskText}.`,
    chart: {
      title: "Structure of the trained untied matrices",
      subtitle: `relative to the scalar part; ${ctx.sizes.name} size`,
      xTitle: "depth T",
      xName: "T",
      yTitle: "relative size / excess ratio",
      xValues: rows.map((r) => r.depth),
      points,
      rules: [{ y: 1, label: "no gain" }],
      styles: [
        { label: series.ratio, color: "#000000", dash: [1, 0] },
        { label: series.skewA, color: "#d62728", dash: [6, 3] },
        { label: series.skewB, color: "#ff7f0e", dash: [2, 2] },
        { label: series.symA, color: "#1f77b4", dash: [8, 4] },
        { label: series.symB, color: "#2ca02c", dash: [4, 1, 1, 1] },
      ],
    },
    data: { rows },
  };
}
