/**
 * Why a gradient descent stopped, told truthfully: converged (by which rule),
 * step cap, stagnation (a flat loss), or the float32 noise floor.
 *
 * When the optimizer reports a structured `stop` field, it is used as is;
 * otherwise the reason is derived from the run (steps, final gradient norm,
 * the tolerances the run used).
 *
 * @module
 */

/** The stop reasons. */
export type StopReason = "converged" | "step-cap" | "stagnation" | "float32-noise-floor";

/** A stop reason with the rule that fired. */
export interface StopRecord {
  /** Why the descent stopped. */
  reason: StopReason;
  /** The rule, with its numbers. */
  rule: string;
  /** True only when the reason is `converged`. */
  converged: boolean;
}

/** What a descent run reports (TrainResult and GradientDescentResult both fit). */
export interface DescentSummary {
  steps: number;
  converged: boolean;
  trajectory: { step: number; loss: number; gradientNorm: number }[];
  /** A structured stop reason, when the optimizer gives one. */
  stop?: { reason: StopReason; rule: string };
}

/** The tolerances the training runs use (optimizer.ts and training_backend.ts). */
export const GRADIENT_TOLERANCE = 1e-12;
/** The float32 rule of training_backend.ts: |g| max(1, |theta|) <= 64 * 2^-24 |loss|. */
export const FLOAT32_RELATIVE_TOLERANCE = 64 * 2 ** -24;

function fmt(x: number): string {
  return x === 0 ? "0" : x.toPrecision(3);
}

/** Derives the stop reason of a run with step budget `budget` and arithmetic `precision`. */
export function stopReason(run: DescentSummary, budget: number, precision: string): StopRecord {
  if (run.stop) {
    const reason = run.stop.reason;
    const last = run.trajectory[run.trajectory.length - 1];
    const rule = reason === "step-cap"
      ? `step budget --steps ${budget} used up (gradient norm ${fmt(last?.gradientNorm ?? NaN)})`
      : run.stop.rule;
    return { reason, rule, converged: reason === "converged" };
  }
  const last = run.trajectory[run.trajectory.length - 1];
  const first = run.trajectory[0];
  const g = last?.gradientNorm ?? NaN;
  if (!run.converged) {
    return {
      reason: "step-cap",
      rule: `step budget --steps ${budget} used up (gradient norm ${fmt(g)})`,
      converged: false,
    };
  }
  if (g > GRADIENT_TOLERANCE) {
    // Only the float32 relative rule stops above the absolute tolerance.
    return {
      reason: precision === "float32" ? "float32-noise-floor" : "stagnation",
      rule: `|gradient| = ${fmt(g)} met the float32 rule |gradient| max(1, |theta|) <= ` +
        `64 x 2^-24 |loss| after ${run.steps} steps: the gradient is at its rounding-noise ` +
        `floor, not below ${GRADIENT_TOLERANCE}`,
      converged: false,
    };
  }
  if (run.steps <= 2 && first && first.gradientNorm > 1e6 * GRADIENT_TOLERANCE) {
    // One or two steps took the gradient from large to below 1e-12: the loss is flat
    // there (e.g. every alpha gives the same predictions at very large depth), so the
    // parameters are not identified by the loss.
    return {
      reason: "stagnation",
      rule: `the loss became flat after ${run.steps} step(s): the gradient norm fell from ${
        fmt(first.gradientNorm)
      } to ${fmt(g)}; the parameters are not identified by this loss`,
      converged: false,
    };
  }
  return {
    reason: "converged",
    rule: `gradient norm ${fmt(g)} <= ${GRADIENT_TOLERANCE} after ${run.steps} steps`,
    converged: true,
  };
}
