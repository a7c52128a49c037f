/**
 * A brute-force search for the best schedule of T steps, for the tests of
 * `src/theory/optimal_schedule.ts`, sharing no code with it: the excess
 * E[prod_t (1 - alpha_t (1+s))^2 s/(1+s)] by tanh-sinh quadrature over the law's density (not
 * Gauss-Jacobi), minimised over the steps by Nelder-Mead from many random starts in
 * [1/(1+m_hi), 1/(1+m_lo)], each run restarted from its best point until a restart no longer
 * improves (no orthogonal polynomials, no Lanczos).
 *
 * @module
 */

import type { SpikeLaw } from "../src/model/law.ts";

/** A quadrature rule: E[f(s)] ~ sum_i weights[i] f(nodes[i]). */
export interface ReferenceRule {
  /** Spike strengths. */
  nodes: Float64Array;
  /** Probability weights. */
  weights: Float64Array;
}

/**
 * The tanh-sinh (double exponential) rule of the law on [m_lo, m_hi], step 1/64 over t in
 * [-5, 5], density normalised by the same rule (as `population_reference.ts` integrates).
 */
export function tanhSinhRule(law: SpikeLaw): ReferenceRule {
  if (law.kind === "point") {
    return { nodes: new Float64Array([law.value]), weights: new Float64Array([1]) };
  }
  const a = law.kind === "beta" ? law.a : 1;
  const b = law.kind === "beta" ? law.b : 1;
  const nodes: number[] = [], weights: number[] = [];
  let total = 0;
  for (let k = -320; k <= 320; k++) {
    const t = k / 64;
    const e = Math.PI * Math.sinh(t);
    const u = 1 / (1 + Math.exp(-e));
    const v = 1 / (1 + Math.exp(e));
    const du = (Math.PI / 2) * Math.cosh(t) * u * v;
    if (!(u > 0 && v > 0 && du > 0)) continue;
    const w = Math.exp((a - 1) * Math.log(u) + (b - 1) * Math.log(v)) * du;
    nodes.push(law.low + (law.high - law.low) * u);
    weights.push(w);
    total += w;
  }
  return { nodes: Float64Array.from(nodes), weights: Float64Array.from(weights, (w) => w / total) };
}

/** E[prod_t (1 - alpha_t (1+s))^2 s/(1+s)] under the rule (plain products: T small). */
export function referenceExcess(rule: ReferenceRule, alphas: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < rule.nodes.length; i++) {
    const s = rule.nodes[i];
    let p = 1;
    for (const alpha of alphas) p *= 1 - alpha * (1 + s);
    sum += rule.weights[i] * p * p * s / (1 + s);
  }
  return sum;
}

/** Nelder-Mead (reflection 1, expansion 2, contraction 1/2, shrink 1/2) from x0. */
export function nelderMead(
  f: (x: number[]) => number,
  x0: readonly number[],
  step: number,
  maxEvaluations: number,
): { x: number[]; value: number } {
  const n = x0.length;
  let simplex = [x0.slice()];
  for (let i = 0; i < n; i++) simplex.push(x0.map((v, j) => (j === i ? v + step : v)));
  let values = simplex.map(f);
  let evaluations = n + 1;
  const combine = (c: number[], x: number[], t: number) => c.map((v, j) => v + t * (x[j] - v));
  while (evaluations < maxEvaluations) {
    const order = values.map((_, i) => i).sort((i, j) => values[i] - values[j]);
    simplex = order.map((i) => simplex[i]);
    values = order.map((i) => values[i]);
    if (values[n] - values[0] <= 1e-15 * Math.abs(values[0])) break;
    const centroid = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centroid[j] += simplex[i][j] / n;
    const reflected = combine(centroid, simplex[n], -1);
    const fr = f(reflected);
    evaluations++;
    if (fr < values[0]) {
      const expanded = combine(centroid, simplex[n], -2);
      const fe = f(expanded);
      evaluations++;
      [simplex[n], values[n]] = fe < fr ? [expanded, fe] : [reflected, fr];
    } else if (fr < values[n - 1]) {
      [simplex[n], values[n]] = [reflected, fr];
    } else {
      const contracted = combine(centroid, fr < values[n] ? reflected : simplex[n], 0.5);
      const fc = f(contracted);
      evaluations++;
      if (fc < Math.min(fr, values[n])) [simplex[n], values[n]] = [contracted, fc];
      else {
        for (let i = 1; i <= n; i++) {
          simplex[i] = combine(simplex[0], simplex[i], 0.5);
          values[i] = f(simplex[i]);
        }
        evaluations += n;
      }
    }
  }
  const best = values.indexOf(Math.min(...values));
  return { x: simplex[best], value: values[best] };
}

/** A small seeded generator (mulberry32) of uniforms in [0, 1). */
export function seededUniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The best schedule found by Nelder-Mead on log E from `starts` random starts in
 * [1/(1+m_hi), 1/(1+m_lo)], each restarted from its best point until the improvement is
 * below 1e-12 relative. Returns the steps (ascending) and the excess under the tanh-sinh rule.
 */
export function bruteForceSchedule(
  law: SpikeLaw,
  depth: number,
  starts: number,
  seed: number,
): { alphas: number[]; excess: number } {
  const rule = tanhSinhRule(law);
  const low = law.kind === "point" ? law.value : law.low;
  const high = law.kind === "point" ? law.value : law.high;
  const lo = 1 / (1 + high), hi = 1 / (1 + low);
  const objective = (x: number[]) => Math.log(referenceExcess(rule, x));
  const uniform = seededUniform(seed);
  let best = { x: [] as number[], value: Infinity };
  for (let start = 0; start < starts; start++) {
    let x = Array.from({ length: depth }, () => lo + (hi - lo) * uniform());
    let value = Infinity;
    for (let restart = 0; restart < 50; restart++) {
      const run = nelderMead(objective, x, 0.1 * (hi - lo), 4000 * depth);
      const improved = value - run.value;
      x = run.x;
      value = run.value;
      if (!(improved > 1e-12)) break;
    }
    if (value < best.value) best = { x, value };
  }
  return { alphas: best.x.slice().sort((a, b) => a - b), excess: Math.exp(best.value) };
}
