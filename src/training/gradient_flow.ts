/**
 * Gradient flow theta' = -grad l(theta), integrated by an adaptive stiff solver: the
 * Rosenbrock method of MATLAB's ode23s (Shampine & Reichelt, "The MATLAB ODE suite",
 * SIAM J. Sci. Comput. 18, 1997): second order, L-stable, with a third-order error
 * estimate for step-size control. The Jacobian of the flow is -Hessian(l), taken by
 * central differences of the exact gradient. L-stability lets the step grow through
 * the stiff alpha = -beta valley of the two-parameter loss (curvatures 1 and 1e-12),
 * where explicit gradient descent must keep eta < 2 / lambda_max and stalls.
 *
 * Also: plain gradient descent with a fixed step eta, recorded at the matched times
 * t = k eta, to measure that it tracks the flow with an O(eta) error.
 *
 * @module
 */

import { requireFinite, requirePositive } from "../validation/errors.ts";
import type { Objective } from "./optimizer.ts";

/** Options of {@linkcode gradientFlow}. */
export interface GradientFlowOptions {
  /** End time t_end (positive; may be huge, e.g. 1e30: the step size adapts). */
  time: number;
  /** Relative tolerance of the local error (default 1e-8). */
  relativeTolerance?: number;
  /** Absolute tolerance of the local error (default 1e-12). */
  absoluteTolerance?: number;
  /** Initial step (default 1e-3 / max(1, |grad|)). */
  initialStep?: number;
  /** Most accepted steps (default 100000). */
  maxSteps?: number;
  /** Stop early once |grad l| <= this (default 0: never). */
  gradientTolerance?: number;
  /** Times at which to record theta exactly (interpolation-free: the solver lands on them). */
  outputTimes?: readonly number[];
  /** Exact Hessian of l (default: central differences of the gradient). */
  hessian?: (theta: Float64Array) => Float64Array;
}

/** A point of a gradient-flow trajectory. */
export interface FlowPoint {
  /** Time t. */
  time: number;
  /** theta(t). */
  parameters: number[];
  /** l(theta(t)). */
  loss: number;
}

/** Result of {@linkcode gradientFlow}. */
export interface GradientFlowResult {
  /** theta at the final time. */
  parameters: Float64Array;
  /** The final time reached (t_end unless stopped early). */
  time: number;
  /** l at the final parameters. */
  loss: number;
  /** |grad l| at the final parameters. */
  gradientNorm: number;
  /** Accepted and rejected steps. */
  accepted: number;
  /** Rejected steps. */
  rejected: number;
  /** Every accepted step (time, theta, loss). */
  trajectory: FlowPoint[];
  /** theta at each requested output time, in order. */
  outputs: FlowPoint[];
}

function solve(a: Float64Array, b: Float64Array, n: number): Float64Array {
  // Gaussian elimination with partial pivoting on a copy (n is small: 1..O(100)).
  const m = Float64Array.from(a);
  const x = Float64Array.from(b);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r * n + c]) > Math.abs(m[p * n + c])) p = r;
    if (p !== c) {
      for (let k = 0; k < n; k++) [m[c * n + k], m[p * n + k]] = [m[p * n + k], m[c * n + k]];
      [x[c], x[p]] = [x[p], x[c]];
    }
    const pivot = m[c * n + c];
    if (pivot === 0) throw new RangeError(`W = I - h d J must be non-singular, got a zero pivot`);
    for (let r = c + 1; r < n; r++) {
      const f = m[r * n + c] / pivot;
      if (f === 0) continue;
      for (let k = c; k < n; k++) m[r * n + k] -= f * m[c * n + k];
      x[r] -= f * x[c];
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = x[r];
    for (let k = r + 1; k < n; k++) s -= m[r * n + k] * x[k];
    x[r] = s / m[r * n + r];
  }
  return x;
}

/** Hessian of l by central differences of the exact gradient (symmetrised). */
export function numericalHessian(objective: Objective, theta: Float64Array): Float64Array {
  const n = theta.length;
  const h = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const step = 1e-6 * Math.max(1, Math.abs(theta[j]));
    const plus = Float64Array.from(theta), minus = Float64Array.from(theta);
    plus[j] += step;
    minus[j] -= step;
    const gp = objective(plus).gradient, gm = objective(minus).gradient;
    for (let i = 0; i < n; i++) h[i * n + j] = (gp[i] - gm[i]) / (2 * step);
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const v = (h[i * n + j] + h[j * n + i]) / 2;
      h[i * n + j] = v;
      h[j * n + i] = v;
    }
  }
  return h;
}

function norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}

/**
 * One step of length `step` of the ode23s Rosenbrock pair from y (evaluated: `current`), with
 * the flow's Jacobian -`hess`: the new point, its evaluation, and the third-order local error
 * estimate's largest ratio to its tolerance atol + rtol max(|y_i|, |yNew_i|).
 */
function rosenbrockStep(
  objective: Objective,
  y: Float64Array,
  current: { gradient: Float64Array },
  hess: Float64Array,
  step: number,
  rtol: number,
  atol: number,
): { yNew: Float64Array; next: ReturnType<Objective>; errNorm: number } {
  const n = y.length;
  const d = 1 / (2 + Math.SQRT2);
  const e32 = 6 + Math.SQRT2;
  const f = (g: Float64Array) => g.map((v) => -v);
  // W = I - step d J with J = -H.
  const w = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) w[i] = step * d * hess[i];
  for (let i = 0; i < n; i++) w[i * n + i] += 1;
  const f0 = f(current.gradient);
  const k1 = solve(w, f0, n);
  const y1 = y.map((v, i) => v + 0.5 * step * k1[i]);
  const f1 = f(objective(y1).gradient);
  const r1 = f1.map((v, i) => v - k1[i]);
  const k2 = solve(w, r1, n).map((v, i) => v + k1[i]);
  const yNew = y.map((v, i) => v + step * k2[i]);
  const next = objective(yNew);
  const f2 = f(next.gradient);
  const r2 = f2.map((v, i) => v - e32 * (k2[i] - f1[i]) - 2 * (k1[i] - f0[i]));
  const k3 = solve(w, r2, n);
  let errNorm = 0;
  for (let i = 0; i < n; i++) {
    const err = (step / 6) * (k1[i] - 2 * k2[i] + k3[i]);
    const scale = atol + rtol * Math.max(Math.abs(y[i]), Math.abs(yNew[i]));
    errNorm = Math.max(errNorm, Math.abs(err) / scale);
  }
  return { yNew, next, errNorm };
}

/**
 * Integrates theta' = -grad l(theta) from theta_0 over [0, t_end] with the ode23s
 * Rosenbrock pair and error control.
 */
export function gradientFlow(
  objective: Objective,
  theta0: Float64Array,
  options: GradientFlowOptions,
): GradientFlowResult {
  const tEnd = requirePositive("time", options.time);
  const rtol = requirePositive("relativeTolerance", options.relativeTolerance ?? 1e-8);
  const atol = requirePositive("absoluteTolerance", options.absoluteTolerance ?? 1e-12);
  const maxSteps = options.maxSteps ?? 100000;
  const gtol = options.gradientTolerance ?? 0;
  const outputs = [...(options.outputTimes ?? [])].sort((a, b) => a - b);
  outputs.forEach((t, i) => requireFinite(`outputTimes[${i}]`, t));
  let y: Float64Array = Float64Array.from(theta0);
  let current = objective(y);
  let t = 0;
  let h = options.initialStep ?? 1e-3 / Math.max(1, norm(current.gradient));
  const trajectory: FlowPoint[] = [{ time: 0, parameters: Array.from(y), loss: current.loss }];
  const recorded: FlowPoint[] = [];
  let nextOutput = 0;
  while (nextOutput < outputs.length && outputs[nextOutput] <= 0) {
    recorded.push({ time: 0, parameters: Array.from(y), loss: current.loss });
    nextOutput++;
  }
  let accepted = 0, rejected = 0;
  while (t < tEnd && accepted < maxSteps) {
    if (gtol > 0 && norm(current.gradient) <= gtol) break;
    const target = nextOutput < outputs.length ? Math.min(outputs[nextOutput], tEnd) : tEnd;
    const landing = t + h >= target;
    const step = landing ? target - t : h;
    const hess = options.hessian ? options.hessian(y) : numericalHessian(objective, y);
    const { yNew, next, errNorm } = rosenbrockStep(objective, y, current, hess, step, rtol, atol);
    if (!Number.isFinite(errNorm) || errNorm > 1) {
      rejected++;
      h = step * Math.max(0.1, 0.8 * Math.cbrt(1 / (Number.isFinite(errNorm) ? errNorm : 1e6)));
      if (h < 1e-300) throw new RangeError(`step size underflow at t = ${t}`);
      continue;
    }
    accepted++;
    t = landing ? target : t + step;
    y = yNew;
    current = next;
    trajectory.push({ time: t, parameters: Array.from(y), loss: current.loss });
    if (landing && nextOutput < outputs.length && target === Math.min(outputs[nextOutput], tEnd)) {
      recorded.push({ time: t, parameters: Array.from(y), loss: current.loss });
      nextOutput++;
    }
    const grow = errNorm === 0 ? 5 : Math.min(5, Math.max(0.2, 0.8 * Math.cbrt(1 / errNorm)));
    h = (landing ? Math.max(h, step) : step) * grow;
  }
  return {
    parameters: y,
    time: t,
    loss: current.loss,
    gradientNorm: norm(current.gradient),
    accepted,
    rejected,
    trajectory,
    outputs: recorded,
  };
}

/**
 * Gradient descent theta_{k+1} = theta_k - eta grad l(theta_k) with a fixed step, returning
 * theta at the matched time t (after round(t / eta) steps).
 */
export function gradientDescentAtTime(
  objective: Objective,
  theta0: Float64Array,
  eta: number,
  time: number,
): Float64Array {
  requirePositive("eta", eta);
  const steps = Math.round(requirePositive("time", time) / eta);
  const theta = Float64Array.from(theta0);
  for (let k = 0; k < steps; k++) {
    const g = objective(theta).gradient;
    for (let i = 0; i < theta.length; i++) theta[i] -= eta * g[i];
  }
  return theta;
}
