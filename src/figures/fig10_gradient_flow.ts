/**
 * Fig. 10 (beyond the paper): the gradient flow of the two-parameter population loss E_T in
 * the (beta, alpha) plane, over level sets of E_T, with the valley floor alpha*(beta), the
 * optimum, and gradient descent with a fixed step at the same times (population only, by
 * quadrature: no sampling, so the figure costs well under a second).
 *
 * E_T is exactly quadratic in alpha for fixed beta (the prediction is alpha times a function
 * of beta): E_T = a(beta) alpha^2 - 2 b(beta) alpha + c(beta), so each level set {E_T = level}
 * is the pair of curves alpha = (b +- sqrt(b^2 - a (c - level)))/a, and the valley floor is
 * alpha*(beta) = b/a.
 *
 * @module
 */

import type { SpikeLaw } from "../model/law.ts";
import { lawSupport } from "../model/law.ts";
import { defaultBetaInit } from "../model/reconstructed.ts";
import { bestAlphaForBeta, lcaExcess } from "../theory/lca_excess.ts";
import { twoParameterOptimum } from "../theory/two_parameter_optimum.ts";
import { gradientDescentAtTime, gradientFlow } from "../training/gradient_flow.ts";
import { populationTwoParameter } from "../training/flow_objectives.ts";
import type { ChartPoint } from "../rendering/charts.ts";
import type { FigureContext, FigureDefinition } from "./definitions.ts";

/** Coefficients a, b, c of E_T(alpha, beta) = a alpha^2 - 2 b alpha + c at fixed beta. */
function quadraticInAlpha(law: SpikeLaw, beta: number, depth: number) {
  const c = lcaExcess(law, { alpha: 0, beta, depth });
  const plus = lcaExcess(law, { alpha: 1, beta, depth });
  const minus = lcaExcess(law, { alpha: -1, beta, depth });
  return { a: (plus + minus) / 2 - c, b: (minus - plus) / 4, c };
}

/** About seven round tick values in [lo, hi] (steps 1, 2 or 5 times a power of ten). */
function betaTicks(lo: number, hi: number): { xValues: number[]; xFormat: string } {
  const raw = (hi - lo) / 7;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((v) => v >= raw)!;
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  const xValues: number[] = [];
  for (let k = Math.ceil(lo / step); k * step <= hi; k++) {
    xValues.push(Number((k * step).toFixed(decimals)));
  }
  return { xValues, xFormat: `.${decimals}f` };
}

/** Legend labels of Fig. 10's series. */
const SERIES = {
  valley: "valley floor α*(β)",
  flow: "gradient flow (ode23s)",
  gd: "gradient descent, η = 0.02",
  optimum: "optimum",
  level: (k: number, side: string) => `E_T - E* = ${["ΔE_0", "ΔE_0/10", "ΔE_0/100"][k]} (${side})`,
};

/**
 * The valley floor alpha*(beta) and the level sets E_T = E* + r (e0 - E*), r = 1, 1/10,
 * 1/100 (upper and lower branch), at 201 betas in [lo, hi].
 */
function levelSetPoints(
  law: SpikeLaw,
  depth: number,
  [lo, hi]: [number, number],
  e0: number,
  optimum: { alpha: number; beta: number },
): ChartPoint[] {
  const points: ChartPoint[] = [];
  for (let i = 0; i <= 200; i++) {
    const beta = lo + (hi - lo) * i / 200;
    const q = quadraticInAlpha(law, beta, depth);
    points.push({ series: SERIES.valley, x: beta, y: q.b / q.a });
    const best = lcaExcess(law, { alpha: optimum.alpha, beta: optimum.beta, depth });
    [1, 0.1, 0.01].map((r) => best + r * (e0 - best)).forEach((level, k) => {
      const disc = q.b * q.b - q.a * (q.c - level);
      if (disc < 0) return;
      points.push({ series: SERIES.level(k, "upper"), x: beta, y: (q.b + Math.sqrt(disc)) / q.a });
      points.push({ series: SERIES.level(k, "lower"), x: beta, y: (q.b - Math.sqrt(disc)) / q.a });
    });
  }
  return points;
}

/** Every k-th point of the flow's trajectory (about 150 and the last) in the (beta, alpha) plane. */
function flowPoints(trajectory: readonly { parameters: ArrayLike<number> }[]): ChartPoint[] {
  const points: ChartPoint[] = [];
  const stride = Math.max(1, Math.floor(trajectory.length / 150));
  trajectory.forEach((p, i) => {
    if (i % stride === 0 || i === trajectory.length - 1) {
      points.push({ series: SERIES.flow, x: p.parameters[1], y: p.parameters[0] });
    }
  });
  return points;
}

/** Gradient descent with step 0.02 from (alpha0, beta0), seen at t = 20, 40, .., 600. */
function descentPoints(
  objective: Parameters<typeof gradientDescentAtTime>[0],
  alpha0: number,
  beta0: number,
): { points: ChartPoint[]; times: number[]; final: Float64Array } {
  let theta: Float64Array = new Float64Array([alpha0, beta0]);
  const points: ChartPoint[] = [{ series: SERIES.gd, x: beta0, y: alpha0 }];
  const times: number[] = [];
  for (let k = 1; k <= 30; k++) {
    theta = gradientDescentAtTime(objective, theta, 0.02, 20);
    times.push(20 * k);
    points.push({ series: SERIES.gd, x: theta[1], y: theta[0] });
  }
  return { points, times, final: theta };
}

/** The caption: the initialisation, the integration, the level sets and what coincides. */
function gradientFlowCaption(
  ctx: FigureContext,
  depth: number,
  beta0: number,
  e0: number,
  accepted: number,
  optimum: { alpha: number; beta: number },
): string {
  return `Gradient flow of the two-parameter population loss E_${depth} (quadrature, no ` +
    `sampling) from the paper's initialisation β_0 = -1/(1 + m_hi) = ${beta0.toFixed(4)}, ` +
    `α_0 = α*(β_0), integrated by the L-stable Rosenbrock pair ode23s with error control to ` +
    `t = 1e40 (${accepted} accepted steps); level sets E_T = E* + ΔE_0 {1, 1/10, 1/100} ` +
    `with E* the optimum's excess and ΔE_0 = E_T(α_0, β_0) - E* (E_T(α_0, β_0) = ` +
    `${e0.toExponential(2)}; grey), the valley floor α*(β) (dashed), the ` +
    `optimum (${optimum.alpha.toFixed(5)}, ${optimum.beta.toFixed(5)}), and gradient descent ` +
    `with η = 0.02 at t = 20, 40, .., 600, which slows down along the valley where the flow ` +
    `keeps going. The flow and gradient descent run along the valley floor to the ` +
    `optimum, and the innermost level sets hug the floor, so at this scale ` +
    `"${SERIES.flow}", "${SERIES.gd}", "${SERIES.optimum}", "${SERIES.valley}", ` +
    `"${SERIES.level(2, "upper")}" and "${SERIES.level(2, "lower")}" coincide along the ` +
    `valley (each has its own marker). Population quantities only: the figure is the same at ` +
    `every size (${ctx.sizes.name} size). ${ctx.taskText}.`;
}

/** Fig. 10: the flow plane. */
export function gradientFlowFigure(ctx: FigureContext, law: SpikeLaw, depth = 5): FigureDefinition {
  const beta0 = defaultBetaInit(lawSupport(law).high);
  const alpha0 = bestAlphaForBeta(law, beta0, depth);
  const optimum = twoParameterOptimum(law, depth);
  const f = populationTwoParameter(law, depth);
  const flow = gradientFlow(f.objective, new Float64Array([alpha0, beta0]), {
    time: 1e40,
    hessian: f.hessian,
    relativeTolerance: 1e-10,
    absoluteTolerance: 1e-14,
  });
  const e0 = lcaExcess(law, { alpha: alpha0, beta: beta0, depth });
  const lo = Math.min(beta0, optimum.beta) - 0.04, hi = Math.max(beta0, optimum.beta) + 0.04;
  const descent = descentPoints(f.objective, alpha0, beta0);
  const points: ChartPoint[] = [
    ...levelSetPoints(law, depth, [lo, hi], e0, optimum),
    ...flowPoints(flow.trajectory),
    ...descent.points,
    { series: SERIES.optimum, x: optimum.beta, y: optimum.alpha },
  ];
  const colors = ["#bbbbbb", "#999999", "#666666"];
  return {
    id: "fig10_gradient_flow_plane",
    title: "Gradient flow in the (β, α) plane",
    caption: gradientFlowCaption(ctx, depth, beta0, e0, flow.accepted, optimum),
    chart: {
      title: `Gradient flow of E_${depth} in the (β, α) plane`,
      subtitle: "population loss, ode23s",
      xTitle: "β (W_V)",
      ...betaTicks(lo, hi),
      yTitle: "α (W_S)",
      points,
      styles: [
        ...[0, 1, 2].flatMap((k) => [
          { label: SERIES.level(k, "upper"), color: colors[k], dash: [1, 0] },
          { label: SERIES.level(k, "lower"), color: colors[k], dash: [1, 0] },
        ]),
        { label: SERIES.valley, color: "#000000", dash: [6, 3] },
        { label: SERIES.flow, color: "#1f77b4", dash: [1, 0] },
        { label: SERIES.gd, color: "#d62728", dash: [2, 2] },
        { label: SERIES.optimum, color: "#2ca02c", dash: [1, 0] },
      ],
    },
    data: {
      depth,
      initial: { alpha: alpha0, beta: beta0, excess: e0 },
      optimum,
      flow: {
        accepted: flow.accepted,
        rejected: flow.rejected,
        final: Array.from(flow.parameters),
        loss: flow.loss,
      },
      gradientDescent: { eta: 0.02, times: descent.times, final: Array.from(descent.final) },
    },
  };
}
