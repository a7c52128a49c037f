/**
 * Depth schedules against the tied model over depths T (claim C12; Fig. 11): per T, the
 * population excess E_T (L -> infinity, by quadrature) of the tied one-parameter optimum
 * alpha_T, of the optimal schedule and of the schedule trained by `train({ model:
 * "lca-schedule", context: Infinity, target: "bayes" })`, the two rate bounds (the tied
 * rho*^{2T} E[s/(1+s)] and the Chebyshev schedule's (2 rho_c^T/(1 + rho_c^{2T}))^2 E[s/(1+s)]),
 * and, at finite test contexts L_te, the excess of the optimal schedule and of the tied optimum
 * on the same fresh prompts (`finiteContextScheduleComparison`, its prompts sampled once per L_te
 * and shared by the depths).
 *
 * @module
 */

import type { SpikeLaw } from "../model/law.ts";
import type { StatisticsSampler } from "../model/model_types.ts";
import type { Estimate } from "../model/risk.ts";
import {
  compareScheduleOnStatistics,
  type ScheduleContextRow,
} from "../model/schedule_finite_context.ts";
import { samplePromptStatistics } from "../model/prompt_statistics.ts";
import { chebyshevSchedule, optimalSchedule } from "../theory/optimal_schedule.ts";
import { optimalDepthStep } from "../theory/optimal_depth_step.ts";
import { oneParameterExcess } from "../theory/one_parameter_excess.ts";
import { geometricBound } from "../theory/population.ts";
import { train } from "../training/training.ts";

/** The population curves at one depth (by quadrature). */
export interface ScheduleTheoryRow {
  /** Layers T. */
  depth: number;
  /** The tied one-parameter optimum alpha_T. */
  tiedAlpha: number;
  /** E_T(alpha_T). */
  tied: number;
  /** The optimal schedule's E_T (`optimalSchedule(law, T).excess`). */
  optimum: number;
  /** The tied bound rho*^{2T} E[s/(1+s)] (on E_T(alpha*), hence on E_T(alpha_T)). */
  tiedBound: number;
  /** The Chebyshev bound (2 rho_c^T/(1 + rho_c^{2T}))^2 E[s/(1+s)] (on the optimum). */
  chebyshevBound: number;
}

/** The trained schedule at one depth. */
export interface TrainedScheduleRow {
  /** Layers T. */
  depth: number;
  /** The trained steps, in layer order. */
  alphas: number[];
  /** E_T of the trained steps (quadrature). */
  population: number;
  /** Mean (y_hat - w^T x_q)^2 over the test prompts (L_te = infinity), with its SE. */
  conditional: Estimate;
  /** Steps taken and why the descent stopped. */
  steps: number;
  stop: string;
}

/** The finite-context comparison at one depth (optimal schedule against alpha_T). */
export interface FiniteScheduleRow {
  /** Layers T. */
  depth: number;
  /** One row per test context L_te. */
  rows: ScheduleContextRow[];
}

/** Options of {@linkcode scheduleDepths}. */
export interface ScheduleDepthOptions {
  /** Task of the training and test prompts (the law sets the population curves). */
  task: { d1: number; d2: number; law: SpikeLaw; sigma: number };
  /** Population curves at T = 1..maxDepth. */
  maxDepth: number;
  /** Depths of the trained schedule and of the finite-context comparison. */
  depths: number[];
  /** Training prompts of the trained schedule (exact statistics, Bayes target). */
  prompts: number;
  /** Most gradient-descent steps of each training run. */
  steps: number;
  /** Test prompts of the trained schedule and per test context. */
  testPrompts: number;
  /** Test contexts L_te of the finite-context comparison. */
  contexts: number[];
  /** Seed of the training prompts (stream 0) and test prompts (stream 1). */
  seed: number;
  /** Sampler of the finite-context test prompts (`SampleOptions.sampler`, default `auto`). */
  sampler?: StatisticsSampler;
}

/** What {@linkcode scheduleDepths} returns. */
export interface ScheduleDepths {
  theory: ScheduleTheoryRow[];
  trained: TrainedScheduleRow[];
  finite: FiniteScheduleRow[];
}

/**
 * The population curves at T = 1..maxDepth.
 *
 * @example The optimal schedule is below the tied optimum from T = 2 on
 * ```ts
 * import assert from "node:assert/strict";
 * import { scheduleTheory } from "./schedule_depths.ts";
 * const rows = scheduleTheory({ kind: "uniform", low: 0.5, high: 4 }, 3);
 * assert.ok(Math.abs(rows[0].optimum / rows[0].tied - 1) < 1e-9); // T = 1: both are gamma*
 * assert.ok(rows[2].optimum < rows[2].tied && rows[2].optimum <= rows[2].chebyshevBound);
 * ```
 */
export function scheduleTheory(law: SpikeLaw, maxDepth: number): ScheduleTheoryRow[] {
  return Array.from({ length: maxDepth }, (_, i) => {
    const depth = i + 1;
    const tiedAlpha = optimalDepthStep(law, depth);
    return {
      depth,
      tiedAlpha,
      tied: oneParameterExcess(law, tiedAlpha, depth).value,
      optimum: optimalSchedule(law, depth).excess,
      tiedBound: geometricBound(law, depth),
      chebyshevBound: chebyshevSchedule(law, depth).bound,
    };
  });
}

/**
 * Every row of Fig. 11: the population curves, the trained schedule and the finite-context
 * comparison (float64 on the host).
 */
export function scheduleDepths(o: ScheduleDepthOptions): ScheduleDepths {
  const { law } = o.task;
  const theory = scheduleTheory(law, Math.max(o.maxDepth, ...o.depths));
  const trained = o.depths.map((depth) => {
    const r = train({
      model: "lca-schedule",
      ...o.task,
      depth,
      prompts: o.prompts,
      context: Infinity,
      target: "bayes",
      steps: o.steps,
      testPrompts: o.testPrompts,
      seed: o.seed,
    });
    if (r.parameters.model !== "lca-schedule") throw new TypeError("expected lca-schedule");
    return {
      depth,
      alphas: r.parameters.schedule.alphas,
      population: r.populationExcess!.trained,
      conditional: r.conditionalTestExcess,
      steps: r.steps,
      stop: r.stop.reason,
    };
  });
  // The prompts of `finiteContextScheduleComparison` (stream 1), sampled once per L_te and
  // shared by the depths.
  const statistics = o.contexts.map((context) =>
    samplePromptStatistics({
      ...o.task,
      prompts: o.testPrompts,
      context,
      seed: o.seed,
      stream: 1,
      sampler: o.sampler,
    })
  );
  const finite = o.depths.map((depth) => {
    const alphas = optimalSchedule(law, depth).alphas;
    const tiedAlpha = theory[depth - 1].tiedAlpha;
    return {
      depth,
      rows: statistics.map((stats) => compareScheduleOnStatistics(stats, alphas, tiedAlpha)),
    };
  });
  return { theory, trained, finite };
}
