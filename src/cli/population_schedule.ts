/**
 * The optimal layer-wise schedule (claim C12) as the `population` command reports it: the
 * steps of `optimalSchedule` in its layer order (largest step first), their population
 * excess, the Chebyshev rate and bound, as JSON fields and as text rows.
 *
 * @module
 */

import type { SpikeLaw } from "../model/law.ts";
import { chebyshevSchedule, optimalSchedule } from "../theory/optimal_schedule.ts";
import { formatNumber } from "./text.ts";

/**
 * The deepest T whose optimal schedule `population` computes: its Lanczos process costs
 * O(N T^2) with N = 256 + 2T nodes (about 1 s at T = 512, 10 s at T = 1024).
 */
export const SCHEDULE_MAX_DEPTH = 512;

/** The optimal layer-wise schedule at depth T, as `population` reports it. */
export interface PopulationSchedule {
  /** alpha_1..alpha_T of the optimal schedule, layer 1 first (largest step first). */
  alphas: number[];
  /** Its population excess E_T = 1/K_T(0, 0). */
  excess: number;
  /** log E_T, where it is finite (it stays finite where `excess` underflows to 0). */
  logExcess?: number;
  /** rho_c = (sqrt(kappa) - 1)/(sqrt(kappa) + 1), the Chebyshev rate per layer. */
  rate: number;
  /** (2 rho_c^T/(1 + rho_c^{2T}))^2 E[s/(1 + s)], the Chebyshev schedule's bound on E_T. */
  chebyshevBound: number;
}

/**
 * The optimal schedule of a law at depth T (`optimalSchedule`, layer order as it returns
 * them) with the Chebyshev bound; undefined above {@linkcode SCHEDULE_MAX_DEPTH} or when
 * the quadrature has fewer than T + 2 nodes.
 *
 * @example At T = 2 the optimum beats the tied step and keeps the Chebyshev bound
 * ```ts
 * import assert from "node:assert/strict";
 * import { populationSchedule } from "./population_schedule.ts";
 * const s = populationSchedule({ kind: "uniform", low: 0.5, high: 4 }, 2, 260);
 * assert.ok(s !== undefined && s.alphas.length === 2 && s.alphas[0] > s.alphas[1]);
 * assert.ok(s.excess <= s.chebyshevBound);
 * ```
 */
export function populationSchedule(
  law: SpikeLaw,
  depth: number,
  nodes: number,
): PopulationSchedule | undefined {
  if (depth > SCHEDULE_MAX_DEPTH || nodes < depth + 2) return undefined;
  const optimum = optimalSchedule(law, depth, { nodes });
  return {
    alphas: optimum.alphas,
    excess: optimum.excess,
    ...(Number.isFinite(optimum.logExcess) ? { logExcess: optimum.logExcess } : {}),
    rate: optimum.rate,
    chebyshevBound: chebyshevSchedule(law, depth, { nodes }).bound,
  };
}

/** The text lines of the schedule, or why there is none. */
export function scheduleRows(
  schedule: PopulationSchedule | undefined,
  depth: number,
): [string, string][] {
  if (schedule === undefined) {
    return [["schedule", `not computed (T > ${SCHEDULE_MAX_DEPTH} or fewer than T + 2 nodes)`]];
  }
  const steps = schedule.alphas.length <= 12
    ? schedule.alphas.map((a) => formatNumber(a, 6)).join(", ")
    : `${schedule.alphas.slice(0, 6).map((a) => formatNumber(a, 6)).join(", ")}, ... (${depth})`;
  return [
    ["schedule.alphas", steps],
    ["schedule.excess", formatNumber(schedule.excess, 8)],
    ...(schedule.logExcess === undefined ? [] : [
      ["schedule.logExcess", formatNumber(schedule.logExcess, 8)] satisfies [string, string],
    ]),
    ["schedule.rate", formatNumber(schedule.rate, 8)],
    ["schedule.chebyshevBound", formatNumber(schedule.chebyshevBound, 8)],
  ];
}
