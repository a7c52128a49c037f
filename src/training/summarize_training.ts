/**
 * The report of a training run: the fit's run and parameters with the risks of its
 * predictions on the test prompts, against the labels and against the Bayes predictor.
 *
 * @module
 */

import { bayesRisk } from "../theory/population.ts";
import { lcaExcess } from "../theory/lca_excess.ts";
import { optimalDepthStep } from "../theory/optimal_depth_step.ts";
import { optimalSchedule } from "../theory/optimal_schedule.ts";
import { schedulePopulationExcess } from "../theory/schedule_population_excess.ts";
import type { PromptStatistics } from "../model/prompt_statistics.ts";
import { bayesPredict, lsaReducedPredict } from "../model/predictors.ts";
import { type Estimate, pairedExcess, squaredRisk } from "../model/risk.ts";
import type { Target } from "../model/task.ts";
import { familyOf } from "../model/families/families.ts";
import type { TrajectoryPoint } from "./optimizer.ts";
import type { StopInfo } from "./stopping_rules.ts";
import type { ModelName, ResolvedTrain } from "./train_options.ts";
import type { Fit, TrainedParameters } from "./trained_parameters.ts";

/** Result of {@linkcode train}. */
export interface TrainResult {
  /** The model trained. */
  model: ModelName;
  /** Layers T (1 for lsa). */
  depth: number;
  /** Training prompts N. */
  prompts: number;
  /** Training context L_tr (`Infinity` for exact task statistics). */
  context: number;
  /** The training target: noisy label y_q or Bayes prediction w^T x_q. */
  target: Target;
  /** Gradient-descent steps taken (fewer than requested when it converged early). */
  steps: number;
  /** Whether a convergence tolerance stopped the descent before the step budget. */
  converged: boolean;
  /** Why the descent stopped (`optimizer.ts`: converged, stagnation, step-cap, ...). */
  stop: StopInfo;
  /** Final empirical loss l_{N,L_tr} = (1/N) sum_n (y_hat_n - target_n)^2 (lsa: best init). */
  trainLoss: number;
  /** The trained parameters. */
  parameters: TrainedParameters;
  /** Recorded descent trajectory (lsa: the run of the best initialisation). */
  trajectory: TrajectoryPoint[];
  /** Final training losses of each full-LSA initialisation (lsa only). */
  initLosses?: number[];
  /** Risk on fresh test prompts against their noisy labels. */
  testRisk: Estimate;
  /** Paired excess over the Bayes predictor on the same test prompts. */
  testExcess: Estimate;
  /**
   * Mean of (y_hat - f_Bayes)^2 over the test prompts: the excess over Bayes given each
   * prompt's task, query and context (the label noise averaged out exactly), an unbiased
   * estimate of the same excess as `testExcess` without the label noise in its standard error.
   */
  conditionalTestExcess: Estimate;
  /**
   * Schedule models on the paper's family: the population excess E_T (L -> infinity) of the
   * trained steps, of the optimal schedule at this depth and of the tied optimum alpha_T.
   */
  populationExcess?: SchedulePopulationExcess;
  /** Reduced-LSA test risk (lsa only). */
  reducedTestRisk?: Estimate;
  /** Population Bayes risk and the Bayes predictor's risk on the test prompts. */
  bayesRisk: { population: number; test: Estimate };
  /** Test context L_te (`Infinity` for exact task statistics). */
  testContext: number;
  /** Wall-clock milliseconds per gradient-descent step (0 when no step was taken). */
  msPerStep: number;
}

/** The population excess E_T of a trained schedule and the two references at its depth. */
export interface SchedulePopulationExcess {
  /** E_T of the trained parameters (`schedulePopulationExcess`). */
  trained: number;
  /** E_T of the optimal schedule at this depth (`optimalSchedule(law, T).excess`). */
  optimalSchedule: number;
  /** E_T of the tied one-parameter optimum alpha_T (`population`'s excessAtAlphaT). */
  tiedAlphaT: number;
}

/**
 * The population excess of trained schedule parameters with its references, for the paper's
 * family (whose population is the spike law); undefined for other models and families.
 *
 * @example A constant schedule at alpha_T has the tied optimum's excess
 * ```ts
 * import assert from "node:assert/strict";
 * import { schedulePopulationOf } from "./summarize_training.ts";
 * import { resolveTrain } from "./train_options.ts";
 * import { optimalDepthStep } from "../theory/optimal_depth_step.ts";
 * const r = resolveTrain({ model: "lca-schedule", depth: 4 });
 * const alpha = optimalDepthStep(r.task.law, 4);
 * const e = schedulePopulationOf(r, { model: "lca-schedule", schedule: { alphas: [alpha, alpha, alpha, alpha] } });
 * assert.ok(e !== undefined && Math.abs(e.trained / e.tiedAlphaT - 1) < 1e-12);
 * assert.ok(e.optimalSchedule < e.tiedAlphaT / 5);
 * ```
 */
export function schedulePopulationOf(
  r: ResolvedTrain,
  parameters: TrainedParameters,
): SchedulePopulationExcess | undefined {
  if (parameters.model !== "lca-schedule" && parameters.model !== "lca2-schedule") return undefined;
  // The population of the paper's family is the spike law (an L -> infinity limit).
  if (familyOf(r.task).finiteContextPopulation) return undefined;
  const law = r.task.law, depth = r.depth;
  const alphaT = optimalDepthStep(law, depth);
  return {
    trained: schedulePopulationExcess(law, parameters.schedule),
    optimalSchedule: optimalSchedule(law, depth).excess,
    tiedAlphaT: lcaExcess(law, { alpha: alphaT, beta: -alphaT, depth }),
  };
}

/** Assembles a training result from a fit and its test predictions. */
export function summarizeTraining(
  r: ResolvedTrain,
  fit: Fit,
  test: PromptStatistics,
  testPredictions: Float64Array,
): TrainResult {
  const bayesTest = bayesPredict(test);
  const { parameters, run } = fit;
  return {
    model: r.model,
    depth: r.model === "lsa" ? 1 : r.depth,
    prompts: r.prompts,
    context: r.context,
    target: r.target,
    steps: run.steps,
    converged: run.converged,
    stop: run.stop,
    trainLoss: run.loss,
    parameters,
    trajectory: run.trajectory,
    initLosses: fit.initLosses,
    testRisk: squaredRisk(testPredictions, test.queryLabel),
    testExcess: pairedExcess(testPredictions, bayesTest, test.queryLabel),
    conditionalTestExcess: squaredRisk(testPredictions, bayesTest),
    populationExcess: schedulePopulationOf(r, parameters),
    reducedTestRisk: parameters.model === "lsa"
      ? squaredRisk(lsaReducedPredict(test, parameters.gamma), test.queryLabel)
      : undefined,
    bayesRisk: {
      population: familyOf(r.task).closedFormBayesRisk(r.task) ??
        bayesRisk(r.task.law, r.task.sigma),
      test: squaredRisk(bayesTest, test.queryLabel),
    },
    testContext: r.testContext,
    msPerStep: run.steps > 0 ? run.elapsedMs / run.steps : 0,
  };
}
