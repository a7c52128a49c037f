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
import type { GradientDescentResult } from "./optimizer.ts";

/** Trained parameters, by model. */
export type TrainedParameters =
  | { model: "lca1" | "lca2"; lca: LcaParameters }
  | { model: "deep-lsa"; deepLsa: DeepLsaParameters }
  | { model: "lsa"; gamma: number[]; full: { p: number[]; k: number[] } }
  | {
    model: "lca-full" | "lca-full-layerwise";
    /** W_S = A and W_V = B (d x d row-major, per layer for lca-full-layerwise); `model/untied.ts`. */
    untied: { dim: number; depth: number; layerwise: boolean; a: number[]; b: number[] };
  };

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
    case "lsa":
      return lsaPredict(test, {
        p: Float64Array.from(parameters.full.p),
        k: Float64Array.from(parameters.full.k),
      });
  }
}
