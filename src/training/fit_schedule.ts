/**
 * Fitting the schedule models (`model/schedule_models.ts`: lca-schedule, a step alpha_t per
 * layer with beta_t = -alpha_t; lca2-schedule, alpha_t and beta_t per layer) on sufficient
 * statistics: gradient descent on the empirical loss with its exact gradient
 * (`model/schedule_loss.ts`).
 *
 * The default start is the Chebyshev schedule of the law's support (`chebyshevSchedule`,
 * largest step first; betas -alpha_t), which needs only [m_lo, m_hi], as lca2's default
 * beta_0 needs only m_hi. It is not the tied optimum alpha_T: for lca-schedule the loss is
 * symmetric in the steps (the residual prod_t (1 - alpha_t Sigma_hat) does not depend on
 * their order), so at equal steps every layer has the same gradient and gradient descent
 * never leaves the tied line; it would return the tied model. The tests show both.
 *
 * @module
 */

import { scheduleLoss } from "../model/schedule_loss.ts";
import type { ScheduleModel } from "../model/schedule_models.ts";
import type { PromptStatistics } from "../model/prompt_statistics.ts";
import { chebyshevSchedule } from "../theory/optimal_schedule.ts";
import type { Objective } from "./optimizer.ts";
import { gradientDescent } from "./optimizer.ts";
import { descentOptions, type ResolvedTrain } from "./train_options.ts";
import type { Fit, ScheduleArrays } from "./trained_parameters.ts";

/**
 * The initial (alpha_1..alpha_T) of lca-schedule, or (alpha_1..alpha_T, beta_1..beta_T) of
 * lca2-schedule: `alphasInit` and `betasInit` when given, else the Chebyshev schedule of the
 * support [1 + m_lo, 1 + m_hi] (largest step first) and beta_t = -alpha_t.
 *
 * @example The default start is the Chebyshev schedule
 * ```ts
 * import assert from "node:assert/strict";
 * import { scheduleInitial } from "./fit_schedule.ts";
 * import { resolveTrain } from "./train_options.ts";
 * import { chebyshevSchedule } from "../theory/optimal_schedule.ts";
 * const r = resolveTrain({ model: "lca2-schedule", depth: 3 });
 * const alphas = chebyshevSchedule(r.task.law, 3).alphas;
 * assert.deepEqual([...scheduleInitial(r)], [...alphas, ...alphas.map((a) => -a)]);
 * ```
 */
export function scheduleInitial(r: ResolvedTrain): Float64Array {
  const alphas = r.options.alphasInit ?? chebyshevSchedule(r.task.law, r.depth).alphas;
  if (r.model !== "lca2-schedule") return Float64Array.from(alphas);
  const betas = r.options.betasInit ?? Array.from(alphas, (a) => -a);
  return Float64Array.from([...alphas, ...betas]);
}

/** The parameter vector theta as schedule parameters (betas for lca2-schedule). */
function scheduleOf(model: ScheduleModel, theta: Float64Array, depth: number): ScheduleArrays {
  const alphas = Array.from(theta.subarray(0, depth));
  if (model !== "lca2-schedule") return { alphas };
  return { alphas, betas: Array.from(theta.subarray(depth)) };
}

/** The empirical schedule loss as a gradient-descent objective in theta. */
function scheduleObjective(
  model: ScheduleModel,
  stats: PromptStatistics,
  targets: Float64Array,
  depth: number,
): Objective {
  return (theta) => {
    const r = scheduleLoss(stats, targets, scheduleOf(model, theta, depth));
    const gradient = new Float64Array(theta.length);
    gradient.set(r.alphas);
    if (r.betas) gradient.set(r.betas, depth);
    return { loss: r.loss, gradient };
  };
}

/**
 * Fits lca-schedule or lca2-schedule (`model`) by gradient descent on the empirical loss
 * from {@linkcode scheduleInitial}.
 *
 * @example lca-schedule at depth 3 on exact statistics
 * ```ts
 * import assert from "node:assert/strict";
 * import { fitSchedule } from "./fit_schedule.ts";
 * import { resolveTrain, trainingSample } from "./train_options.ts";
 * import { samplePromptStatistics, bayesTarget } from "../model/prompt_statistics.ts";
 * const r = resolveTrain({ model: "lca-schedule", prompts: 300, depth: 3, context: Infinity });
 * const stats = samplePromptStatistics(trainingSample(r));
 * const fit = fitSchedule("lca-schedule", r, stats, bayesTarget(stats));
 * assert.ok(fit.parameters.model === "lca-schedule");
 * assert.equal(fit.parameters.schedule.alphas.length, 3);
 * assert.ok(fit.run.loss < fit.run.trajectory[0].loss);
 * ```
 */
export function fitSchedule(
  model: ScheduleModel,
  r: ResolvedTrain,
  stats: PromptStatistics,
  targets: Float64Array,
): Fit {
  const run = gradientDescent(
    scheduleObjective(model, stats, targets, r.depth),
    scheduleInitial(r),
    descentOptions(r),
  );
  return { run, parameters: { model, schedule: scheduleOf(model, run.parameters, r.depth) } };
}
