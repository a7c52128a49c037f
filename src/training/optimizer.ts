/**
 * Gradient descent with a recorded parameter trajectory.
 *
 * `learningRate` is either a fixed step (plain gradient descent,
 * theta <- theta - lr grad) or `"auto"`: gradient descent whose step length is the
 * Barzilai-Borwein step s^T s / s^T y, kept safe by a non-monotone Armijo
 * backtracking test. Both follow the gradient-flow path; `"auto"` reaches the
 * minimiser of flat losses (the LCA loss in alpha is very flat at moderate T)
 * in hundreds rather than millions of steps.
 *
 * @module
 */

import {
  requireKnownKeys,
  requireNumbers,
  requirePositive,
  requirePositiveInteger,
} from "../validation/errors.ts";

/** A differentiable objective: the loss and its gradient at theta. */
export type Objective = (theta: Float64Array) => { loss: number; gradient: Float64Array };

/** One recorded point of a trajectory. */
export interface TrajectoryPoint {
  /** Steps taken so far (0 for the initial point). */
  step: number;
  /** The loss at `parameters`. */
  loss: number;
  /** The parameter vector theta after `step` steps. */
  parameters: number[];
  /** Euclidean norm of the gradient at `parameters`. */
  gradientNorm: number;
}

/** Options of {@linkcode gradientDescent}. */
export interface GradientDescentOptions {
  /** Number of steps (default 2000). */
  steps?: number;
  /** A positive step size, or "auto" (default) for Barzilai-Borwein steps with backtracking. */
  learningRate?: number | "auto";
  /** Stop when the gradient norm falls below this (default 1e-12). */
  gradientTolerance?: number;
  /**
   * Also stop when |grad| * max(1, |theta|) <= relativeTolerance * |loss| (scale-free;
   * for losses such as the population excess that are 1e-20 at their minimum). Off by default.
   */
  relativeTolerance?: number;
  /** Most trajectory points kept (evenly spaced steps, always with the first and last; default 400). */
  maxRecorded?: number;
  /** Called after each step. */
  onStep?: (step: number, loss: number) => void;
}

/** Result of {@linkcode gradientDescent}. */
export interface GradientDescentResult {
  /** The final parameter vector theta. */
  parameters: Float64Array;
  /** The loss at the final parameters. */
  loss: number;
  /** Euclidean norm of the gradient at the final parameters. */
  gradientNorm: number;
  /** Steps taken. */
  steps: number;
  /** Whether a tolerance (`gradientTolerance` or `relativeTolerance`) stopped the descent. */
  converged: boolean;
  /** Recorded points, always with the first and last step. */
  trajectory: TrajectoryPoint[];
  /** Wall-clock milliseconds spent in steps (objective evaluations included). */
  elapsedMs: number;
}

function norm(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}

/** Validates a learning-rate option. */
export function resolveLearningRate(value: unknown): number | "auto" {
  if (value === undefined || value === "auto") return "auto";
  return requirePositive("lr", value);
}

/** A loss and gradient, as an objective returns them. */
export interface Evaluation {
  /** The loss at theta. */
  loss: number;
  /** Its gradient with respect to theta (same length as theta). */
  gradient: Float64Array;
}

/**
 * The descent itself, as a generator: it yields each parameter vector to be
 * evaluated and receives the evaluation back, so one implementation serves a
 * synchronous objective ({@linkcode gradientDescent}) and an asynchronous one such
 * as a GPU kernel ({@linkcode gradientDescentAsync}).
 */
function* descent(
  initial: Float64Array,
  options: GradientDescentOptions,
): Generator<Float64Array, GradientDescentResult, Evaluation> {
  const steps = requirePositiveInteger("steps", options.steps ?? 2000);
  const learningRate = resolveLearningRate(options.learningRate);
  const tolerance = options.gradientTolerance ?? 1e-12;
  const relative = options.relativeTolerance ?? 0;
  const isConverged = (theta: Float64Array, point: Evaluation) => {
    const g = norm(point.gradient);
    return g <= tolerance || g * Math.max(1, norm(theta)) <= relative * Math.abs(point.loss);
  };
  const maxRecorded = requirePositiveInteger("maxRecorded", options.maxRecorded ?? 400);
  const stride = Math.max(1, Math.ceil(steps / maxRecorded));
  const start = performance.now();
  let theta: Float64Array = Float64Array.from(initial);
  let current: Evaluation = yield theta;
  const trajectory: TrajectoryPoint[] = [];
  const record = (step: number) =>
    trajectory.push({
      step,
      loss: current.loss,
      parameters: Array.from(theta),
      gradientNorm: norm(current.gradient),
    });
  record(0);
  let step = 0;
  let converged = isConverged(theta, current);
  let bbStep = 1e-3 / Math.max(1, norm(current.gradient));
  const recentLosses: number[] = [current.loss];
  while (step < steps && !converged) {
    const g = current.gradient;
    const gNorm2 = norm(g) ** 2;
    let eta = learningRate === "auto" ? bbStep : learningRate;
    let next: Float64Array;
    let evaluated: Evaluation;
    const reference = Math.max(...recentLosses);
    for (let attempt = 0;; attempt++) {
      next = theta.map((v, i) => v - eta * g[i]);
      evaluated = yield next;
      const ok = Number.isFinite(evaluated.loss) &&
        evaluated.loss <= reference - 1e-4 * eta * gNorm2;
      if (learningRate !== "auto" || ok || attempt >= 60) break;
      eta /= 2;
    }
    if (learningRate === "auto") {
      let sy = 0, ss = 0;
      for (let i = 0; i < theta.length; i++) {
        const s = next[i] - theta[i];
        sy += s * (evaluated.gradient[i] - g[i]);
        ss += s * s;
      }
      bbStep = sy > 0 && Number.isFinite(ss / sy) ? ss / sy : eta * 2;
    }
    theta = next;
    current = evaluated;
    step++;
    recentLosses.push(current.loss);
    if (recentLosses.length > 10) recentLosses.shift();
    if (!Number.isFinite(current.loss)) {
      throw new RangeError(
        `lr must keep training stable, got a non-finite loss at step ${step} with lr=${learningRate}`,
      );
    }
    converged = isConverged(theta, current);
    if (step % stride === 0 || step === steps || converged) record(step);
    options.onStep?.(step, current.loss);
  }
  return {
    parameters: theta,
    loss: current.loss,
    gradientNorm: norm(current.gradient),
    steps: step,
    converged,
    trajectory,
    elapsedMs: performance.now() - start,
  };
}

/**
 * Minimises `objective` from `initial` by gradient descent.
 *
 * @example
 * ```ts
 * import { gradientDescent } from "./optimizer.ts";
 * const result = gradientDescent(
 *   (t) => ({ loss: (t[0] - 3) ** 2, gradient: new Float64Array([2 * (t[0] - 3)]) }),
 *   new Float64Array([0]),
 *   { steps: 100, learningRate: 0.1 },
 * );
 * result.parameters[0]; // ~3
 * ```
 */
export function gradientDescent(
  objective: Objective,
  initial: Float64Array,
  options: GradientDescentOptions = {},
): GradientDescentResult {
  requireDescentArguments(objective, initial, options);
  const run = descent(initial, options);
  let request = run.next();
  while (!request.done) request = run.next(objective(request.value));
  return request.value;
}

/** The known keys of {@linkcode GradientDescentOptions}. */
const DESCENT_KEYS = [
  "steps",
  "learningRate",
  "gradientTolerance",
  "relativeTolerance",
  "maxRecorded",
  "onStep",
];

function requireDescentArguments(objective: unknown, initial: unknown, options: unknown): void {
  if (typeof objective !== "function") {
    throw new TypeError(`objective must be a function, got ${typeof objective}`);
  }
  if (!(initial instanceof Float64Array) || initial.length === 0) {
    throw new TypeError(
      `initial must be a non-empty Float64Array, got ${
        initial instanceof Float64Array ? "length 0" : typeof initial
      }`,
    );
  }
  requireNumbers("initial", initial);
  requireKnownKeys("options", options, DESCENT_KEYS);
}

/** {@linkcode gradientDescent} for an asynchronous objective (e.g. a GPU loss kernel). */
export async function gradientDescentAsync(
  objective: (theta: Float64Array) => Promise<Evaluation>,
  initial: Float64Array,
  options: GradientDescentOptions = {},
): Promise<GradientDescentResult> {
  requireDescentArguments(objective, initial, options);
  const run = descent(initial, options);
  let request = run.next();
  while (!request.done) request = run.next(await objective(request.value));
  return request.value;
}
