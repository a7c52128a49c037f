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
 * Stopping rules (`stopping_rules.ts`; the reason is returned in `stop`):
 * - `converged`, on a Newton certificate: the Newton step |g| / H, with H the smallest
 *   secant curvature y^T s / s^T s of the last few steps (a conservative estimate of the
 *   curvature, so of the distance to the minimiser), is at most `newtonTolerance` times
 *   the parameter norm; or, for objectives that are zero at their minimum, the scale-free
 *   `relativeTolerance`; or an absolute `gradientTolerance` (kept for exact objectives);
 * - `stagnation`: the losses of the last `stagnationWindow` steps all lie within the
 *   rounding floor (16 `lossPrecision` eps times the loss magnitude) of each other:
 *   further steps only move rounding noise;
 * - `float32-noise-floor`: the same, for an objective evaluated in float32;
 * - `step-cap`: `steps` reached without any of the above.
 *
 * @module
 */

import {
  requireKnownKeys,
  requireNumbers,
  requirePositive,
  requirePositiveInteger,
} from "../validation/errors.ts";
import {
  convergedOrFloor,
  convergenceRule,
  stopAfterStep,
  type StopInfo,
  type StoppingRules,
} from "./stopping_rules.ts";

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
   * Newton certificate: stop when |g| / H <= newtonTolerance * max(|theta|, 1e-6), H the
   * smallest secant curvature of the last 5 steps (default 1e-10; 0 disables).
   */
  newtonTolerance?: number;
  /**
   * Stagnation: stop when the losses of the last `stagnationWindow` steps all lie within
   * 16 eps |loss| of each other (default 50).
   */
  stagnationWindow?: number;
  /** Arithmetic of the objective, which sets the rounding floor (default `float64`). */
  lossPrecision?: "float64" | "float32";
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
  /** True only when a convergence rule stopped the descent (`stop.reason === "converged"`). */
  converged: boolean;
  /** Why the descent stopped. */
  stop: StopInfo;
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

/** The validated settings of a descent, defaults filled in. */
interface DescentSettings extends StoppingRules {
  /** Step budget. */
  steps: number;
  /** Fixed step, or "auto" (Barzilai-Borwein with backtracking). */
  learningRate: number | "auto";
  /** Most trajectory points kept. */
  maxRecorded: number;
}

/** Validates the options of a descent and fills in their defaults. */
function descentSettings(options: GradientDescentOptions): DescentSettings {
  const steps = requirePositiveInteger("steps", options.steps ?? 2000);
  const learningRate = resolveLearningRate(options.learningRate);
  const tolerance = options.gradientTolerance ?? 1e-12;
  const relative = options.relativeTolerance ?? 0;
  const newtonTolerance = options.newtonTolerance ?? 1e-10;
  const window = requirePositiveInteger("stagnationWindow", options.stagnationWindow ?? 50);
  const float32 = options.lossPrecision === "float32";
  const floorEps = float32 ? 2 ** -23 : Number.EPSILON;
  const maxRecorded = requirePositiveInteger("maxRecorded", options.maxRecorded ?? 400);
  return {
    steps,
    learningRate,
    tolerance,
    relative,
    newtonTolerance,
    window,
    float32,
    floorEps,
    maxRecorded,
  };
}

/**
 * One step from theta along -g, as a generator (see {@linkcode descent}): a fixed step is
 * taken as it is; an "auto" step is halved (at most 60 times) until the non-monotone Armijo
 * test against the largest recent loss `reference` holds.
 */
function* backtrack(
  theta: Float64Array,
  g: Float64Array,
  initialEta: number,
  reference: number,
  learningRate: number | "auto",
): Generator<Float64Array, { next: Float64Array; evaluated: Evaluation; eta: number }, Evaluation> {
  const gNorm2 = norm(g) ** 2;
  let eta = initialEta;
  let next: Float64Array;
  let evaluated: Evaluation;
  for (let attempt = 0;; attempt++) {
    next = theta.map((v, i) => v - eta * g[i]);
    evaluated = yield next;
    const ok = Number.isFinite(evaluated.loss) &&
      evaluated.loss <= reference - 1e-4 * eta * gNorm2;
    if (learningRate !== "auto" || ok || attempt >= 60) break;
    eta /= 2;
  }
  return { next, evaluated, eta };
}

/** s^T y and s^T s of the step s = next - theta, y the change of the gradient over it. */
function secantProducts(
  theta: Float64Array,
  next: Float64Array,
  g: Float64Array,
  gNext: Float64Array,
): { sy: number; ss: number } {
  let sy = 0, ss = 0;
  for (let i = 0; i < theta.length; i++) {
    const s = next[i] - theta[i];
    sy += s * (gNext[i] - g[i]);
    ss += s * s;
  }
  return { sy, ss };
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
  const settings = descentSettings(options);
  const { steps, learningRate } = settings;
  const curvatures: number[] = [];
  const stride = Math.max(1, Math.ceil(steps / settings.maxRecorded));
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
  const rule = convergenceRule(settings, curvatures, theta, current);
  let stop: StopInfo | null = rule === null ? null : convergedOrFloor(rule);
  const losses: number[] = [current.loss];
  const initialGradient = norm(current.gradient);
  let bbStep = 1e-3 / Math.max(1, norm(current.gradient));
  const recentLosses: number[] = [current.loss];
  while (step < steps && stop === null) {
    const g = current.gradient;
    const eta0 = learningRate === "auto" ? bbStep : learningRate;
    const { next, evaluated, eta } = yield* backtrack(
      theta,
      g,
      eta0,
      Math.max(...recentLosses),
      learningRate,
    );
    const { sy, ss } = secantProducts(theta, next, g, evaluated.gradient);
    if (learningRate === "auto") bbStep = sy > 0 && Number.isFinite(ss / sy) ? ss / sy : eta * 2;
    // Only curvature measured over a step well above rounding counts.
    if (ss > 0 && sy > 0) curvatures.push(sy / ss);
    else curvatures.length = 0;
    if (curvatures.length > 5) curvatures.shift();
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
    losses.push(current.loss);
    if (losses.length > settings.window + 1) losses.shift();
    const stepRule = convergenceRule(settings, curvatures, theta, current);
    stop = stopAfterStep(settings, step, stepRule, initialGradient, norm(current.gradient), losses);
    if (step === steps && stop === null) {
      stop = { reason: "step-cap", rule: `step cap ${steps} reached` };
    }
    if (step % stride === 0 || step === steps || stop !== null) record(step);
    options.onStep?.(step, current.loss);
  }
  return {
    parameters: theta,
    loss: current.loss,
    gradientNorm: norm(current.gradient),
    steps: step,
    converged: stop?.reason === "converged",
    stop: stop ?? { reason: "step-cap", rule: `step cap ${steps} reached` },
    trajectory,
    elapsedMs: performance.now() - start,
  };
}

/**
 * Minimises `objective` from `initial` by gradient descent.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gradientDescent } from "./optimizer.ts";
 * const result = gradientDescent(
 *   (t) => ({ loss: (t[0] - 3) ** 2, gradient: new Float64Array([2 * (t[0] - 3)]) }),
 *   new Float64Array([0]),
 *   { steps: 100, learningRate: 0.1 },
 * );
 * // Each step scales the error by 1 - 0.1 * 2 = 0.8: 3 * 0.8^100 = 6e-10 after 100 steps.
 * assert.ok(Math.abs(result.parameters[0] - 3) < 1e-9);
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
  "newtonTolerance",
  "stagnationWindow",
  "lossPrecision",
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
