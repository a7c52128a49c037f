/**
 * The parameter figures: training trajectories of (alpha, beta) and the trained
 * one-parameter alpha_T against the depth T.
 *
 * The limits alpha_T -> alpha*, beta_T -> -alpha* concern the population loss, whose
 * minimiser at finite N is reached by training against the Bayes prediction w^T x_q
 * on exact task statistics (L_tr = infinity; MODEL.md, "Verifying the parameter limits
 * in practice"). Those curves are labelled so; the paper-size training on noisy labels
 * at L_tr = 100 is drawn beside them (its alpha is far below alpha*, claim C10).
 *
 * @module
 */

import { optimalDepthStep } from "../theory/optimal_depth_step.ts";
import type { TaskConfig } from "../model/task.ts";
import { acrossRuns } from "../experiments/evaluate.ts";
import { fitLca, sampleTrainingSet, type TrainingSet } from "../experiments/fit.ts";
import type { FigureSizes } from "../experiments/figure_sizes.ts";

/** One trajectory point of one parameter. */
export interface TrajectoryRow {
  /** Which training: "exact-bayes" (L_tr = inf, Bayes target) or "labels" (L_tr, labels). */
  training: "exact-bayes" | "labels";
  model: "lca1" | "lca2";
  parameter: "alpha" | "beta";
  step: number;
  value: number;
  loss: number;
}

/** Options of {@linkcode trajectories}. */
export interface TrajectoryOptions {
  task: TaskConfig;
  sizes: FigureSizes;
  seed: number;
  /** Run 0's paper-size training set (labels at L_tr). */
  labelSet: TrainingSet;
}

/**
 * Trajectories of gradient descent (Barzilai-Borwein steps with backtracking, as
 * `train`) at depth `sizes.depth`, for lca1 and lca2, on exact statistics with the
 * Bayes target and on the paper-size label set.
 */
export function trajectories(options: TrajectoryOptions): TrajectoryRow[] {
  const { sizes, task } = options;
  const exact = sampleTrainingSet({
    task: { d1: task.d1, d2: task.d2, law: task.law, sigma: task.sigma },
    prompts: sizes.prompts,
    context: Infinity,
    seed: options.seed,
    target: "bayes",
  });
  const rows: TrajectoryRow[] = [];
  for (const [training, set] of [["exact-bayes", exact], ["labels", options.labelSet]] as const) {
    for (const model of ["lca1", "lca2"] as const) {
      const fit = fitLca(set, {
        depth: sizes.depth,
        twoParameter: model === "lca2",
        steps: sizes.trajectorySteps,
      });
      for (const point of fit.trajectory) {
        const alpha = point.parameters[0];
        const beta = model === "lca2" ? point.parameters[1] : -alpha;
        rows.push({
          training,
          model,
          parameter: "alpha",
          step: point.step,
          value: alpha,
          loss: point.loss,
        });
        if (model === "lca2") {
          rows.push({
            training,
            model,
            parameter: "beta",
            step: point.step,
            value: beta,
            loss: point.loss,
          });
        }
      }
    }
  }
  return rows;
}

/** Trained and population alpha_T at one depth. */
export interface AlphaDepthRow {
  depth: number;
  /** Population minimiser alpha_T of E_T (quadrature). */
  populationAlpha: number;
  /** Mean and standard deviation over runs of alpha trained on exact statistics, Bayes target. */
  exactBayes: { mean: number; sd: number; values: number[] };
  /** Mean and standard deviation over runs of alpha trained on labels at L_tr (paper sizes). */
  labels: { mean: number; sd: number; values: number[] };
}

/** Options of {@linkcode alphaAgainstDepth}. */
export interface AlphaDepthOptions {
  task: TaskConfig;
  sizes: FigureSizes;
  seed: number;
  /** Paper-size label training set of each run. */
  labelSets: TrainingSet[];
  onProgress?: (message: string) => void;
}

/** The one-parameter alpha_T against T: trained (two ways, over runs) and population. */
export function alphaAgainstDepth(options: AlphaDepthOptions): AlphaDepthRow[] {
  const { sizes, task } = options;
  const exactSets: TrainingSet[] = [];
  for (let run = 0; run < sizes.runs; run++) {
    options.onProgress?.(`alpha_T against T: exact statistics, run ${run + 1}/${sizes.runs}`);
    exactSets.push(sampleTrainingSet({
      task: { d1: task.d1, d2: task.d2, law: task.law, sigma: task.sigma },
      prompts: sizes.prompts,
      context: Infinity,
      seed: options.seed + run,
      target: "bayes",
    }));
  }
  return sizes.alphaDepths.map((depth) => {
    const exact = exactSets.map((set) => fitLca(set, { depth }).parameters.alpha);
    const labels = options.labelSets.map((set) => fitLca(set, { depth }).parameters.alpha);
    return {
      depth,
      populationAlpha: optimalDepthStep(task.law, depth),
      exactBayes: { ...acrossRuns(exact), values: exact },
      labels: { ...acrossRuns(labels), values: labels },
    };
  });
}
