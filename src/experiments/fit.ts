/**
 * Fitting the models of the figures on one shared training set. Each training
 * run samples its N prompts once and diagonalises every Sigma_hat once; the LCA
 * models of every depth, the ablation without S_t, deep LSA and reduced LSA are
 * then fitted on those statistics. The LCA and deep-LSA fits use the same
 * objectives, initialisations and optimiser as `train` (a test checks that they
 * give `train`'s parameters).
 *
 * @module
 */

import type { SampleOptions } from "../model/task.ts";
import { requirePositiveInteger } from "../validation/errors.ts";
import { lawSupport } from "../model/law.ts";
import { deepLsaSpectralLoss } from "../model/losses.ts";
import type { DeepLsaParameters, LcaParameters } from "../model/models.ts";
import { gradientDescent, type TrajectoryPoint } from "../training/optimizer.ts";
import { defaultBetaInit } from "../model/reconstructed.ts";
import {
  type PromptStatistics,
  samplePromptStatistics,
  type SpectralStatistics,
  spectralStatistics,
} from "../model/prompt_statistics.ts";
import { resolveTask, type Target, type TaskConfig, type TaskOptions } from "../model/task.ts";
import { trainingTargets } from "../training/training.ts";
import { empiricalBestAlpha, lcaObjective } from "../training/lca_objective.ts";
import { fitReducedLsa } from "../training/fit_lsa.ts";

/** Options of {@linkcode sampleTrainingSet}. */
export interface TrainingSetOptions {
  /** Task distribution (default: MODEL.md's defaults). */
  task?: TaskOptions;
  /** Training prompts N (positive integer). */
  prompts: number;
  /** Training context L_tr, or Infinity for the exact task statistics. */
  context: number;
  /** Seed of the run (training prompts use sub-stream 0, as in `train`). */
  seed: number;
  /** Training target: the noisy label y_q ("label") or the Bayes prediction w^T x_q ("bayes"). */
  target: Target;
}

/** A sampled training set with its spectral statistics and targets. */
export interface TrainingSet {
  task: TaskConfig;
  stats: PromptStatistics;
  spectral: SpectralStatistics;
  targets: Float64Array;
  target: Target;
  context: number;
}

/** The sampling options of N training prompts (stream 0 of the seed, exactly `train`'s prompts). */
export function trainingSetSample(options: TrainingSetOptions): SampleOptions {
  const task = resolveTask(options.task ?? {});
  return {
    ...options.task,
    law: task.law,
    prompts: options.prompts,
    context: options.context,
    seed: options.seed,
    stream: 0,
  };
}

/** A training set from already sampled statistics (e.g. sampled on a backend). */
export function trainingSetFromStatistics(
  options: TrainingSetOptions,
  stats: PromptStatistics,
): TrainingSet {
  return {
    task: resolveTask(options.task ?? {}),
    stats,
    spectral: spectralStatistics(stats),
    targets: trainingTargets(stats, options.target),
    target: options.target,
    context: options.context,
  };
}

/** Samples N training prompts on the CPU (stream 0 of the seed, exactly `train`'s prompts). */
export function sampleTrainingSet(options: TrainingSetOptions): TrainingSet {
  return trainingSetFromStatistics(options, samplePromptStatistics(trainingSetSample(options)));
}

/** Options of {@linkcode fitLca}. */
export interface FitLcaOptions {
  /** Depth T (positive integer). */
  depth: number;
  /** Two-parameter model (W_S = alpha, W_V = beta) instead of beta = -alpha (default false). */
  twoParameter?: boolean;
  /** Gradient-descent steps (default 2000, as `train`). */
  steps?: number;
  /** Step size or "auto" (default "auto", as `train`). */
  learningRate?: number | "auto";
  /** Most recorded trajectory points (default 400). */
  maxRecorded?: number;
}

/** A fitted model with its optimisation record. */
export interface Fit<P> {
  parameters: P;
  trajectory: TrajectoryPoint[];
  steps: number;
  converged: boolean;
  loss: number;
}

/**
 * Fits one- or two-parameter LCA by gradient descent on the empirical loss, from
 * `train`'s initialisation: alpha = 0 (one-parameter); beta_0 = -1/(1 + m_hi) and
 * alpha_0 = alpha*(beta_0), the empirical best alpha for beta_0 (two-parameter).
 */
export function fitLca(set: TrainingSet, options: FitLcaOptions): Fit<LcaParameters> {
  const depth = requirePositiveInteger("depth", options.depth);
  const two = options.twoParameter ?? false;
  let initial: Float64Array;
  if (two) {
    const beta0 = defaultBetaInit(lawSupport(set.task.law).high);
    initial = new Float64Array([
      empiricalBestAlpha(set.spectral, set.targets, beta0, depth),
      beta0,
    ]);
  } else {
    initial = new Float64Array([0]);
  }
  const run = gradientDescent(lcaObjective(set.spectral, set.targets, depth, !two), initial, {
    steps: options.steps ?? 2000,
    learningRate: options.learningRate ?? "auto",
    maxRecorded: options.maxRecorded,
    // Scale-free stopping only (Newton certificate, stagnation): with the Bayes target
    // and exact statistics the loss is the excess itself, 1e-14 at T = 30, and an
    // absolute gradient tolerance of 1e-12 stopped those fits far from alpha_T.
    gradientTolerance: 0,
  });
  const alpha = run.parameters[0];
  return {
    parameters: { alpha, beta: two ? run.parameters[1] : -alpha, depth },
    trajectory: run.trajectory,
    steps: run.steps,
    converged: run.converged,
    loss: run.loss,
  };
}

/** Fits the two-parameter deep LSA from (alpha, beta) = (0, 0), as `train`. */
export function fitDeepLsa(set: TrainingSet, depth: number): Fit<DeepLsaParameters> {
  requirePositiveInteger("depth", depth);
  const run = gradientDescent(
    (theta) => {
      const r = deepLsaSpectralLoss(set.spectral, set.targets, {
        alpha: theta[0],
        beta: theta[1],
        depth,
      });
      return { loss: r.loss, gradient: new Float64Array([r.alpha, r.beta]) };
    },
    new Float64Array([0, 0]),
    { steps: 2000, learningRate: "auto" },
  );
  return {
    parameters: { alpha: run.parameters[0], beta: run.parameters[1], depth },
    trajectory: run.trajectory,
    steps: run.steps,
    converged: run.converged,
    loss: run.loss,
  };
}

/** Reduced LSA x_q^T Gamma mu_hat fitted by least squares (as `train --model lsa`). */
export function fitLsa(set: TrainingSet): Float64Array {
  return fitReducedLsa(set.stats, set.targets);
}

/**
 * Loss and gradient of the ablation without S_t, y_hat = x_q^T (I + beta Sigma_hat)^T mu_hat
 * = sum_j weight_j (1 + beta lambda_j)^T, on spectral statistics.
 */
export function ablationLoss(
  spectral: SpectralStatistics,
  targets: ArrayLike<number>,
  beta: number,
  depth: number,
): { loss: number; gradient: number } {
  const { prompts, dim } = spectral;
  let loss = 0, gradient = 0;
  for (let n = 0; n < prompts; n++) {
    let pred = 0, dPred = 0;
    for (let j = 0; j < dim; j++) {
      const lambda = spectral.lambda[n * dim + j];
      const u = 1 + beta * lambda;
      const powerM1 = u ** (depth - 1);
      pred += spectral.weight[n * dim + j] * powerM1 * u;
      dPred += spectral.weight[n * dim + j] * depth * lambda * powerM1;
    }
    const r = pred - targets[n];
    loss += r * r;
    gradient += 2 * r * dPred;
  }
  return { loss: loss / prompts, gradient: gradient / prompts };
}

/**
 * Fits the ablation's single weight W_V = beta: the loss is a polynomial of degree
 * 2T in beta, so the best of a grid beta = -k/(T lambda_bar), k in [0, 4], with
 * lambda_bar the mean eigenvalue, starts gradient descent.
 */
export function fitAblation(set: TrainingSet, depth: number): Fit<LcaParameters> {
  requirePositiveInteger("depth", depth);
  let lambdaBar = 0;
  for (const v of set.spectral.lambda) lambdaBar += v / set.spectral.lambda.length;
  let best = 0, bestLoss = Infinity;
  for (let k = 0; k <= 80; k++) {
    const beta = -(k / 20) / (depth * lambdaBar);
    const { loss } = ablationLoss(set.spectral, set.targets, beta, depth);
    if (loss < bestLoss) [best, bestLoss] = [beta, loss];
  }
  const run = gradientDescent(
    (theta) => {
      const r = ablationLoss(set.spectral, set.targets, theta[0], depth);
      return { loss: r.loss, gradient: new Float64Array([r.gradient]) };
    },
    new Float64Array([best]),
    { steps: 500, learningRate: "auto" },
  );
  // W_S is dropped; alpha is unused by the ablation's predictor.
  return {
    parameters: { alpha: 0, beta: run.parameters[0], depth },
    trajectory: run.trajectory,
    steps: run.steps,
    converged: run.converged,
    loss: run.loss,
  };
}
