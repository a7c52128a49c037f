/**
 * The population excess (L -> infinity) of any schedule model (`model/schedule_models.ts`):
 * along the spike the prediction is P(1 + s) x_q^T m, and with the residual r(lambda) = 1 -
 * lambda P(lambda) (degree T, r(0) = 1)
 *   E_T = E_s[r(1 + s)^2 s/(1 + s)]
 * (docs/reference/schedules.md, section 1). The residual follows the layers without
 * cancellation: e_0 = 1 and e_{t+1} = e_t (1 + beta_t lambda) - (alpha_t + beta_t) lambda, which
 * is the product prod_t (1 - alpha_t lambda) when beta_t = -alpha_t; that case is
 * `scheduleExcess` (`optimal_schedule.ts`, accurate below float64's range as well).
 *
 * @module
 */

import type { SpikeLaw } from "../model/law.ts";
import { RESPONSE_LOADING } from "../model/reconstructed.ts";
import { scheduleLayers, type ScheduleParameters } from "../model/schedule_models.ts";
import { requireFiniteResult } from "../validation/finite_result.ts";
import { scheduleExcess } from "./optimal_schedule.ts";
import { lawArgument, populationRule } from "./population.ts";

/**
 * E_T of schedule parameters: `scheduleExcess` for `lca-schedule` (no `betas`), else Gauss
 * quadrature of the law (256 + 2T nodes: the residual is a polynomial of degree T) of
 * r(1 + s)^2 s/(1 + s). Throws a RangeError naming the law and the steps when the excess
 * overflows.
 *
 * @example Constant steps are the tied two-parameter model
 * ```ts
 * import assert from "node:assert/strict";
 * import { schedulePopulationExcess } from "./schedule_population_excess.ts";
 * import { lcaExcess } from "./lca_excess.ts";
 * import { tiedSchedule } from "../model/schedule_models.ts";
 * const law = { kind: "uniform", low: 0.5, high: 4 } as const;
 * const tied = lcaExcess(law, { alpha: 0.3, beta: -0.25, depth: 5 });
 * const schedule = schedulePopulationExcess(law, tiedSchedule(0.3, 5, -0.25));
 * assert.ok(Math.abs(schedule - tied) <= 1e-12 * tied);
 * ```
 */
export function schedulePopulationExcess(
  law: SpikeLaw,
  params: ScheduleParameters,
  options: { nodes?: number } = {},
): number {
  const { alphas, betas } = scheduleLayers(params);
  const args = {
    ...lawArgument(law),
    alphas: `[${alphas.join(", ")}]`,
    ...(params.betas === undefined ? {} : { betas: `[${betas.join(", ")}]` }),
  };
  const what = "the population excess of the schedule";
  if (params.betas === undefined) {
    return requireFiniteResult(scheduleExcess(law, alphas, options), what, args);
  }
  const rule = populationRule(law, alphas.length, options);
  let sum = 0;
  for (let i = 0; i < rule.nodes.length; i++) {
    const s = rule.nodes[i], lambda = 1 + s;
    let residual = 1;
    for (let t = 0; t < alphas.length; t++) {
      residual = residual * (1 + betas[t] * lambda) - (alphas[t] + betas[t]) * lambda;
    }
    sum += rule.weights[i] * residual * residual * s / lambda;
  }
  return requireFiniteResult(RESPONSE_LOADING * RESPONSE_LOADING * sum, what, args);
}
