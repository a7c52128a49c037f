/**
 * The optimal scalar schedule (claim C12, `lca-schedule`: A_t = alpha_t I, B_t = -alpha_t I with
 * the steps of `optimalSchedule`) as a reference row of the untied sweep: the untied layerwise
 * model contains it, so its population optimum is at most the schedule's excess. The reference
 * is evaluated on the sweep's own prompts: its training loss on the training prompts (below the
 * trained model's loss, the optimiser stopped short of it; above, the trained model fits the
 * training prompts better than the schedule does) and its population excess on the test
 * prompts, paired with the trained model's.
 *
 * @module
 */

import { estimateMean } from "../model/risk.ts";
import { exactExcess, type UntiedLcaParameters, untiedPredict } from "../model/untied.ts";
import type { PromptStatistics } from "../model/prompt_statistics.ts";
import { optimalSchedule } from "../theory/optimal_schedule.ts";

/** The optimal scalar schedule at one depth, evaluated on a sweep's prompts. */
export interface ScheduleReference {
  /** The optimal steps alpha_1..alpha_T in layer order (largest first). */
  alphas: number[];
  /** Its population excess by quadrature, `optimalSchedule(law, T).excess`. */
  population: number;
  /** Its population excess on the test prompts (exact task statistics, query integrated out). */
  excess: number;
  /** Its loss on the training prompts and targets (the trained models' training loss). */
  trainLoss: number;
  /** Trained minus schedule population excess, paired on the same test prompts. */
  difference: { mean: number; standardError: number };
}

/** The layerwise untied parameters of a scalar schedule: A_t = alpha_t I, B_t = -alpha_t I. */
export function scheduleAsUntied(alphas: readonly number[], dim: number): UntiedLcaParameters {
  const depth = alphas.length;
  const a = new Float64Array(depth * dim * dim), b = new Float64Array(depth * dim * dim);
  for (let t = 0; t < depth; t++) {
    for (let j = 0; j < dim; j++) {
      a[t * dim * dim + j * dim + j] = alphas[t];
      b[t * dim * dim + j * dim + j] = -alphas[t];
    }
  }
  return { dim, depth, layerwise: true, a, b };
}

/**
 * The optimal schedule of the training law at `depth`, on the training prompts (`train`,
 * `target`) and the test prompts (`test`, exact task statistics), paired with `trained`, the
 * per-prompt test excess of the trained model (`exactExcess` on the same `test`).
 *
 * @example The schedule at T = 1 is the tied step gamma* and pairs with itself to zero
 * ```ts
 * import assert from "node:assert/strict";
 * import { samplePromptStatistics } from "../model/prompt_statistics.ts";
 * import { exactExcess, untiedPredict } from "../model/untied.ts";
 * import { scheduleAsUntied, scheduleReference } from "./schedule_reference.ts";
 * const train = samplePromptStatistics({ prompts: 50, context: Infinity, seed: 1 });
 * const test = samplePromptStatistics({ prompts: 50, context: Infinity, seed: 1, stream: 1 });
 * const own = exactExcess(test, (s) => untiedPredict(s, scheduleAsUntied([0.27], 4)));
 * const r = scheduleReference(1, train, new Float64Array(50), test, own);
 * assert.ok(Math.abs(r.alphas[0] - 0.27) < 1e-4);
 * assert.ok(Math.abs(r.difference.mean) < 1e-6);
 * ```
 */
export function scheduleReference(
  depth: number,
  train: PromptStatistics,
  target: ArrayLike<number>,
  test: PromptStatistics,
  trained: Float64Array,
): ScheduleReference {
  const schedule = optimalSchedule(train.task.law, depth);
  const p = scheduleAsUntied(schedule.alphas, train.task.dim);
  const predictions = untiedPredict(train, p);
  let loss = 0;
  for (let n = 0; n < train.prompts; n++) loss += (predictions[n] - target[n]) ** 2;
  const own = exactExcess(test, (s) => untiedPredict(s, p));
  const { mean, standardError } = estimateMean(trained.map((v, i) => v - own[i]));
  return {
    alphas: schedule.alphas,
    population: schedule.excess,
    excess: estimateMean(own).mean,
    trainLoss: loss / train.prompts,
    difference: { mean, standardError },
  };
}
