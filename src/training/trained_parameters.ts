/**
 * What a training run fits: the trained parameters of each model, the fit (the descent run
 * with its parameters), and the closed-form predictions of the fitted model on test prompts.
 *
 * @module
 */

import type { DeepLsaParameters, LcaParameters } from "../model/models.ts";
import type { PromptStatistics } from "../model/prompt_statistics.ts";
import { deepLsaPredict, lcaPredict, lsaPredict } from "../model/predictors.ts";
import { untiedPredict } from "../model/untied.ts";
import { schedulePredict } from "../model/schedule_models.ts";
import type { GradientDescentResult } from "./optimizer.ts";

/** The per-layer weights of a schedule model: alpha_t, and beta_t for lca2-schedule. */
export interface ScheduleArrays {
  /** W_S = alpha_t Id in layer t = 1..T. */
  alphas: number[];
  /** W_V = beta_t Id (lca2-schedule; lca-schedule has beta_t = -alpha_t). */
  betas?: number[];
}

/** Trained parameters, by model. */
export type TrainedParameters =
  | { model: "lca1" | "lca2"; lca: LcaParameters }
  | { model: "deep-lsa"; deepLsa: DeepLsaParameters }
  | { model: "lsa"; gamma: number[]; full: { p: number[]; k: number[] } }
  | {
    model: "lca-full" | "lca-full-layerwise";
    /** W_S = A and W_V = B (d x d row-major, per layer for lca-full-layerwise); `model/untied.ts`. */
    untied: { dim: number; depth: number; layerwise: boolean; a: number[]; b: number[] };
  }
  | { model: "lca-schedule" | "lca2-schedule"; schedule: ScheduleArrays };

/** A fitted model: the descent run, the parameters and, for LSA, the per-init losses. */
export interface Fit {
  /** The descent run (lsa: the best initialisation). */
  run: GradientDescentResult;
  /** The fitted parameters. */
  parameters: TrainedParameters;
  /** Final training losses of each full-LSA initialisation (lsa only). */
  initLosses?: number[];
}

/** Closed-form predictions of a fitted model on test statistics. */
export function predictFitted(parameters: TrainedParameters, test: PromptStatistics): Float64Array {
  switch (parameters.model) {
    case "lca1":
    case "lca2":
      return lcaPredict(test, parameters.lca);
    case "deep-lsa":
      return deepLsaPredict(test, parameters.deepLsa);
    case "lca-full":
    case "lca-full-layerwise":
      return untiedPredict(test, {
        ...parameters.untied,
        a: Float64Array.from(parameters.untied.a),
        b: Float64Array.from(parameters.untied.b),
      });
    case "lca-schedule":
    case "lca2-schedule":
      return schedulePredict(test, parameters.schedule);
    case "lsa":
      return lsaPredict(test, {
        p: Float64Array.from(parameters.full.p),
        k: Float64Array.from(parameters.full.k),
      });
  }
}
