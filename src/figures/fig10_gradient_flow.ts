/**
 * Fig. 10 (beyond the paper): the gradient flow of the two-parameter population loss E_T
 * (T = 5) in the (beta, alpha) plane, drawn across its valley: y = alpha - alpha*(beta), the
 * height above the valley floor, so that the level sets of E_T (thin slivers along the
 * valley in the plane) are nested loops around the optimum. The flow is a line; gradient
 * descent with a fixed step is a dot at each of the same times t, inside a ring that marks
 * the flow at that t (population only, by quadrature: no sampling, so the figure costs
 * well under a second).
 *
 * E_T is exactly quadratic in alpha for fixed beta (the prediction is alpha times a function
 * of beta): E_T = a(beta) alpha^2 - 2 b(beta) alpha + c(beta), so the valley floor is
 * alpha*(beta) = b/a and each level set {E_T = level} is the pair of curves
 * alpha - alpha*(beta) = +-sqrt(b^2 - a (c - level))/a.
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
import type { ChartPoint, SeriesStyle } from "../rendering/charts.ts";
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

/** Step of gradient descent. */
const ETA = 0.02;

/** The times at which the flow is marked and gradient descent is drawn. */
const TIMES = [0, 0.5, 1, 2, 4, 8, 16, 32];

/** Legend labels of Fig. 10's series (E_T at the figure's depth, written E_5 at T = 5). */
function seriesLabels(depth: number) {
  const e = `E_${depth}`;
  return {
    levels: ["ΔE_0", "ΔE_0/10", "ΔE_0/100"].map((d) => `${e} - E* = ${d}`),
    valley: "valley floor α = α*(β)",
    flow: "gradient flow (ode23s)",
    flowAt: `flow at t = ${TIMES.slice(0, 4).join(", ")}, .., ${TIMES.at(-1)}`,
    gd: `gradient descent, η = ${ETA}, at the same t`,
    optimum: "optimum",
  };
}

/**
 * The level set E_T = `level` (below the starting loss, above the optimum's) as a closed
 * loop in (beta, alpha - alpha*(beta)): the betas where it exists, found by stepping out
 * from the optimum's beta and bisecting, sampled with cosine spacing (dense where the loop
 * turns), the upper branch left to right, then the lower one back.
 */
function levelLoop(law: SpikeLaw, depth: number, level: number, center: number, series: string) {
  const disc = (beta: number) => {
    const q = quadraticInAlpha(law, beta, depth);
    return { q, d: q.b * q.b - q.a * (q.c - level) };
  };
  const edge = (direction: number) => {
    let [inside, outside] = [center, center + direction * 0.002];
    while (disc(outside).d >= 0) [inside, outside] = [outside, outside + direction * 0.002];
    for (let k = 0; k < 50; k++) {
      const mid = (inside + outside) / 2;
      if (disc(mid).d >= 0) inside = mid;
      else outside = mid;
    }
    return inside;
  };
  const [lo, hi] = [edge(-1), edge(1)];
  const n = 60;
  const upper: ChartPoint[] = [], lower: ChartPoint[] = [];
  for (let i = 0; i <= n; i++) {
    const beta = lo + (hi - lo) * (1 - Math.cos(Math.PI * i / n)) / 2;
    const { q, d } = disc(beta);
    const half = Math.sqrt(Math.max(0, d)) / q.a;
    upper.push({ series, x: beta, y: half });
    lower.push({ series, x: beta, y: -half });
  }
  return { points: [...upper, ...lower.reverse()], lo, hi };
}

/** Gradient descent with step ETA from `theta0`, at each of TIMES. */
function descentAtTimes(
  objective: Parameters<typeof gradientDescentAtTime>[0],
  theta0: Float64Array,
): Float64Array[] {
  let theta = theta0, t = 0;
  return TIMES.map((time) => {
    if (time > t) theta = gradientDescentAtTime(objective, theta, ETA, time - t);
    t = time;
    return theta;
  });
}

/** The caption: the coordinates, the integration, the level sets and how the two compare. */
function gradientFlowCaption(
  ctx: FigureContext,
  depth: number,
  run: { beta0: number; e0: number; accepted: number; gap: number },
  optimum: { alpha: number; beta: number },
): string {
  const s = seriesLabels(depth);
  return `Gradient flow of the two-parameter population loss E_${depth} (T = ${depth}; ` +
    `quadrature, no sampling) from the paper's initialisation β_0 = -1/(1 + m_hi) = ` +
    `${run.beta0.toFixed(4)}, α_0 = α*(β_0), integrated by the L-stable Rosenbrock pair ` +
    `ode23s with error control to t = 1e40 (${run.accepted} accepted steps). Drawn across ` +
    `the valley: the height α - α*(β) above the valley floor α*(β) = argmin_α E_${depth} ` +
    `(dashed, at 0) against β, so that the level sets E_${depth} = E* + ΔE_0 {1, 1/10, 1/100} ` +
    `(E* the optimum's excess, ΔE_0 = E_${depth}(α_0, β_0) - E* with E_${depth}(α_0, β_0) = ` +
    `${run.e0.toExponential(2)}; grey loops), which are slivers along the valley in the ` +
    `(β, α) plane, are nested loops around the optimum (${optimum.alpha.toFixed(5)}, ` +
    `${optimum.beta.toFixed(5)}). The flow (blue line) drops just below the floor at once ` +
    `and runs along it to the optimum; gradient descent with η = ${ETA} (red dots) is shown ` +
    `at t = ${TIMES.join(", ")}, each inside a ring at the flow's position at the same t ` +
    `("${s.flowAt}"): at every such t it is within ${run.gap.toExponential(1)} of the flow ` +
    `(the O(η) error of the explicit step). Population quantities only: the figure is the ` +
    `same at every size (${ctx.sizes.name} size). ${ctx.taskText}.`;
}

/** The series styles: grey loops, the dashed floor, the blue flow, red descent, green optimum. */
function styles(depth: number): SeriesStyle[] {
  const s = seriesLabels(depth);
  const greys = ["#b0b0b0", "#808080", "#505050"];
  return [
    ...s.levels.map((label, k) => ({
      label,
      color: greys[k],
      dash: [[1, 0], [6, 2], [2, 2]][k],
      marks: "line" as const,
    })),
    { label: s.valley, color: "#000000", dash: [6, 3], marks: "line" },
    { label: s.flow, color: "#1f77b4", dash: [1, 0], marks: "line" },
    {
      label: s.flowAt,
      color: "#1f77b4",
      dash: [1, 0],
      shape: "circle",
      marks: "points",
      markerSize: 100,
    },
    {
      label: s.gd,
      color: "#d62728",
      dash: [1, 0],
      shape: "circle",
      marks: "points",
      filled: true,
      markerSize: 18,
    },
    {
      label: s.optimum,
      color: "#2ca02c",
      dash: [1, 0],
      shape: "diamond",
      marks: "points",
      filled: true,
      markerSize: 110,
    },
  ];
}

/** What Fig. 10's data file records of the flow and of gradient descent at the marked times. */
function runRecord(flow: ReturnType<typeof gradientFlow>, descent: Float64Array[], gap: number) {
  const point = (time: number, theta: ArrayLike<number>) => ({
    time,
    alpha: theta[0],
    beta: theta[1],
  });
  return {
    flow: {
      accepted: flow.accepted,
      rejected: flow.rejected,
      final: Array.from(flow.parameters),
      loss: flow.loss,
      atTimes: flow.outputs.map((p) => point(p.time, p.parameters)),
    },
    gradientDescent: {
      eta: ETA,
      times: TIMES,
      atTimes: descent.map((theta, i) => point(TIMES[i], theta)),
      largestGapToFlow: gap,
    },
  };
}

/** Fig. 10: the flow across the valley of E_T. */
export function gradientFlowFigure(ctx: FigureContext, law: SpikeLaw, depth = 5): FigureDefinition {
  const s = seriesLabels(depth);
  const beta0 = defaultBetaInit(lawSupport(law).high);
  const alpha0 = bestAlphaForBeta(law, beta0, depth);
  const optimum = twoParameterOptimum(law, depth);
  const f = populationTwoParameter(law, depth);
  const flow = gradientFlow(f.objective, new Float64Array([alpha0, beta0]), {
    time: 1e40,
    hessian: f.hessian,
    relativeTolerance: 1e-10,
    absoluteTolerance: 1e-14,
    outputTimes: TIMES,
  });
  const e0 = lcaExcess(law, { alpha: alpha0, beta: beta0, depth });
  const best = lcaExcess(law, { alpha: optimum.alpha, beta: optimum.beta, depth });
  const loops = [1, 0.1, 0.01].map((r, k) =>
    levelLoop(law, depth, best + r * (e0 - best), optimum.beta, s.levels[k])
  );
  const margin = 0.04 * (loops[0].hi - loops[0].lo);
  const [lo, hi] = [Math.min(loops[0].lo, beta0) - margin, Math.max(loops[0].hi, beta0) + margin];
  const height = (theta: ArrayLike<number>) => theta[0] - bestAlphaForBeta(law, theta[1], depth);
  const at = (series: string, theta: ArrayLike<number>): ChartPoint => ({
    series,
    x: theta[1],
    y: height(theta),
  });
  const stride = Math.max(1, Math.floor(flow.trajectory.length / 150));
  const descent = descentAtTimes(f.objective, new Float64Array([alpha0, beta0]));
  const gap = Math.max(
    ...descent.map((theta, i) =>
      Math.hypot(theta[0] - flow.outputs[i].parameters[0], theta[1] - flow.outputs[i].parameters[1])
    ),
  );
  const points: ChartPoint[] = [
    ...loops.flatMap((loop) => loop.points),
    { series: s.valley, x: lo, y: 0 },
    { series: s.valley, x: hi, y: 0 },
    ...flow.trajectory.filter((_, i) => i % stride === 0 || i === flow.trajectory.length - 1)
      .map((p) => at(s.flow, p.parameters)),
    ...flow.outputs.map((p) => at(s.flowAt, p.parameters)),
    ...descent.map((theta) => at(s.gd, theta)),
    { series: s.optimum, x: optimum.beta, y: height([optimum.alpha, optimum.beta]) },
  ];
  const title = `Gradient flow of E_${depth} across its valley: height α − α*(β) above the floor`;
  return {
    id: "fig10_gradient_flow_plane",
    title,
    caption: gradientFlowCaption(ctx, depth, { beta0, e0, accepted: flow.accepted, gap }, optimum),
    chart: {
      title,
      subtitle: `population loss, T = ${depth}; flow by ode23s; descent with η = ${ETA}`,
      xTitle: "β (W_V)",
      ...betaTicks(lo, hi),
      yTitle: "α - α*(β): height above the valley floor",
      points,
      styles: styles(depth),
    },
    data: {
      depth,
      coordinates: "x = beta, y = alpha - alpha*(beta) (alpha*(beta) = argmin over alpha of E_T)",
      initial: { alpha: alpha0, beta: beta0, excess: e0 },
      optimum,
      ...runRecord(flow, descent, gap),
    },
  };
}
