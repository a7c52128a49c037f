/**
 * The stopping rules of gradient descent (`optimizer.ts`), each stop with its reason and the
 * rule that fired, in words with its numbers:
 * - `converged`, on a Newton certificate: the Newton step |g| / H, with H the smallest
 *   secant curvature y^T s / s^T s of the last few steps (a conservative estimate of the
 *   curvature, so of the distance to the minimiser), is at most `newtonTolerance` times
 *   the parameter norm; or, for objectives that are zero at their minimum, the scale-free
 *   `relativeTolerance`; or an absolute `gradientTolerance` (kept for exact objectives);
 * - `stagnation`: the losses of the last `stagnationWindow` steps all lie within the
 *   rounding floor (16 `lossPrecision` eps times the loss magnitude) of each other:
 *   further steps only move rounding noise; also a gradient that vanished over the first
 *   step (a flat loss, whose parameters are not identified);
 * - `float32-noise-floor`: the same, for an objective evaluated in float32;
 * - `step-cap`: `steps` reached without any of the above (decided by the descent itself).
 *
 * @module
 */

/** Why a descent stopped (see the module documentation). */
export type StopReason = "converged" | "step-cap" | "stagnation" | "float32-noise-floor";

/** The stopping reason and the rule that fired, in words with its numbers. */
export interface StopInfo {
  /** Which kind of stop. */
  reason: StopReason;
  /** The rule that fired, e.g. "Newton step 3.1e-12 <= 1e-10 |theta|". */
  rule: string;
}

/** The settings of the stopping rules (validated, defaults filled in). */
export interface StoppingRules {
  /** Absolute gradient tolerance. */
  tolerance: number;
  /** Scale-free relative tolerance (0: off). */
  relative: number;
  /** Newton-certificate tolerance (0: off). */
  newtonTolerance: number;
  /** Stagnation window, in steps. */
  window: number;
  /** Whether the objective is evaluated in float32. */
  float32: boolean;
  /** The unit roundoff of the rounding floor. */
  floorEps: number;
}

function norm(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}

/**
 * The convergence rule that holds at theta, in words with its numbers, or null: the absolute
 * gradient tolerance, the relative one (in float32 marked as the noise floor), or the Newton
 * certificate |g| / H with H the smallest recent secant curvature.
 *
 * @example A gradient below the absolute tolerance
 * ```ts
 * import assert from "node:assert/strict";
 * import { convergenceRule } from "./stopping_rules.ts";
 * const rules = {
 *   tolerance: 1e-12,
 *   relative: 0,
 *   newtonTolerance: 1e-10,
 *   window: 50,
 *   float32: false,
 *   floorEps: Number.EPSILON,
 * };
 * const point = { loss: 1, gradient: new Float64Array([1e-13]) };
 * assert.equal(convergenceRule(rules, [], new Float64Array([1]), point), "|gradient| 1.00e-13 <= 1e-12");
 * ```
 */
export function convergenceRule(
  settings: StoppingRules,
  curvatures: readonly number[],
  theta: Float64Array,
  point: { loss: number; gradient: Float64Array },
): string | null {
  const { tolerance, relative, newtonTolerance, float32 } = settings;
  const g = norm(point.gradient);
  if (g <= tolerance) return `|gradient| ${g.toExponential(2)} <= ${tolerance}`;
  if (relative > 0 && g * Math.max(1, norm(theta)) <= relative * Math.abs(point.loss)) {
    // In float32 this rule is the noise floor of the loss, not a certificate.
    return `${float32 ? NOISE_FLOOR_MARK : ""}|gradient| max(1, |theta|) ${
      g.toExponential(2)
    } <= ${relative} |loss|`;
  }
  if (newtonTolerance > 0 && curvatures.length > 0) {
    const h = Math.min(...curvatures);
    const newton = g / h;
    const scale = Math.max(norm(theta), 1e-6);
    if (h > 0 && newton <= newtonTolerance * scale) {
      return `Newton step |g|/H = ${newton.toExponential(2)} <= ${newtonTolerance} |theta| (H = ${
        h.toExponential(3)
      }, smallest secant curvature of the last ${curvatures.length} steps)`;
    }
  }
  return null;
}

/**
 * The stop after a step, or null to go on: a convergence `rule` (unless the gradient vanished
 * over the first step: a flat loss, stagnation), else stagnation when the last `window` losses
 * lie within the rounding floor of each other.
 *
 * @example Losses that only move rounding noise
 * ```ts
 * import assert from "node:assert/strict";
 * import { stopAfterStep } from "./stopping_rules.ts";
 * const rules = {
 *   tolerance: 1e-12,
 *   relative: 0,
 *   newtonTolerance: 1e-10,
 *   window: 3,
 *   float32: false,
 *   floorEps: Number.EPSILON,
 * };
 * const stop = stopAfterStep(rules, 10, null, 1, 1, [1, 1, 1, 1]);
 * assert.equal(stop?.reason, "stagnation");
 * ```
 */
export function stopAfterStep(
  settings: StoppingRules,
  step: number,
  rule: string | null,
  initialGradient: number,
  gradientNorm: number,
  losses: readonly number[],
): StopInfo | null {
  const { window, float32, floorEps } = settings;
  if (rule !== null && step === 1 && initialGradient > 1e6 * gradientNorm) {
    // The first step has length 1e-3 |theta|-units; on a smooth loss it changes the
    // gradient by about H 1e-3, never by six orders of magnitude. A gradient that
    // vanished over that step means the loss is flat beyond it (e.g. LCA at a depth so
    // large that every stable alpha gives OLS): the minimum value is reached but the
    // parameters are not identified, which is not convergence to a minimiser.
    return {
      reason: "stagnation",
      rule: `the loss became flat after 1 step: |gradient| fell from ${
        initialGradient.toExponential(2)
      } to ${gradientNorm.toExponential(2)}, so the parameters are not identified`,
    };
  } else if (rule !== null) {
    return convergedOrFloor(rule);
  } else if (losses.length > window) {
    // Every loss of the window within the rounding floor of each other: the steps only
    // move rounding noise (a diverging or still-descending run never qualifies).
    let lo = Infinity, hi = -Infinity;
    for (const v of losses) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    const floor = 16 * floorEps * Math.max(Math.abs(lo), Math.abs(hi));
    if (hi - lo <= floor) {
      return {
        reason: float32 ? "float32-noise-floor" : "stagnation",
        rule: `the last ${window} losses span ${(hi - lo).toExponential(2)} <= 16 eps |loss| = ${
          floor.toExponential(2)
        } (${float32 ? "float32" : "float64"} rounding floor)`,
      };
    }
  }
  return null;
}

/** Marks a float32 relative-gradient stop (the noise floor) inside the rule text. */
const NOISE_FLOOR_MARK = "\u0000floor:";

/**
 * The stop of a convergence rule: `converged`, or `float32-noise-floor` for a rule marked as
 * float32's noise floor by {@linkcode convergenceRule}.
 *
 * @example A rule without the mark is convergence
 * ```ts
 * import assert from "node:assert/strict";
 * import { convergedOrFloor } from "./stopping_rules.ts";
 * assert.deepEqual(convergedOrFloor("|gradient| 1e-13 <= 1e-12"), {
 *   reason: "converged",
 *   rule: "|gradient| 1e-13 <= 1e-12",
 * });
 * ```
 */
export function convergedOrFloor(rule: string): StopInfo {
  return rule.startsWith(NOISE_FLOOR_MARK)
    ? {
      reason: "float32-noise-floor",
      rule: `${rule.slice(NOISE_FLOOR_MARK.length)} (float32: the gradient is at the rounding ` +
        "noise of the loss, so no further descent is measurable)",
    }
    : { reason: "converged", rule };
}
