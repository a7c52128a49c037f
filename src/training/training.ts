/**
 * Training the models on the empirical loss l_{N,L_tr}, and evaluating them on fresh test
 * prompts. The LCA and deep-LSA parameters (one or two scalars) follow gradient descent
 * (`optimizer.ts`); full LSA (p, K) and the untied LCA, whose predictions are polynomial in
 * many parameters, are least-squares fits by Levenberg-Marquardt on the exact Jacobian
 * (`levenberg_marquardt.ts`) unless a fixed `learningRate` asks for plain gradient descent.
 *
 * @module
 */

import {
  describeValue,
  requireChoice,
  requireFinite,
  requireKnownKeys,
  requireNonNegativeInteger,
  requirePositiveInteger,
} from "../validation/errors.ts";
import { choleskySolve } from "../numeric/linalg.ts";
import { lawSupport } from "../model/law.ts";
import {
  deepLsaSpectralLossUnchecked,
  lcaSpectralLossUnchecked,
  lsaLossUnchecked,
  lsaLossValue,
  lsaResidualCurvature,
  lsaResidualRows,
} from "../model/losses.ts";
import { type LeastSquaresProblem, levenbergMarquardt } from "./levenberg_marquardt.ts";
import {
  type DeepLsaParameters,
  type LcaParameters,
  lsaFromGamma,
  type LsaParameters,
} from "../model/models.ts";
import {
  gradientDescent,
  type GradientDescentOptions,
  type GradientDescentResult,
  resolveLearningRate,
  type StopInfo,
  type TrajectoryPoint,
} from "./optimizer.ts";
import { bayesRisk } from "../theory/population.ts";
import {
  bayesPredict,
  deepLsaPredict,
  lcaPredict,
  lsaPredict,
  lsaReducedPredict,
} from "../model/predictors.ts";
import { CounterStream } from "../numeric/random.ts";
import { untiedPredict } from "../model/untied.ts";
import { trainUntied } from "./untied_training.ts";
import { lcaOnePromptGradient, sgd } from "./sgd.ts";
import { defaultBetaInit } from "../model/reconstructed.ts";
import { type Estimate, pairedExcess, squaredRisk } from "../model/risk.ts";
import {
  bayesTarget,
  type PromptStatistics,
  samplePromptStatistics,
  type SpectralStatistics,
  spectralStatistics,
} from "../model/prompt_statistics.ts";
import {
  requireTarget,
  resolveTask,
  type SampleOptions,
  type StatisticsSampler,
  type Target,
  type TaskConfig,
  type TaskOptions,
} from "../model/task.ts";

/**
 * Model names accepted by {@linkcode train}.
 *
 * @example The trainable models
 * ```ts
 * import { MODELS } from "./training.ts";
 * console.log(MODELS.join(", ")); // lca1, lca2, lsa, deep-lsa, lca-full, lca-full-layerwise
 * ```
 */
export const MODELS = [
  "lca1",
  "lca2",
  "lsa",
  "deep-lsa",
  "lca-full",
  "lca-full-layerwise",
] as const;
/** A trainable model. */
export type ModelName = typeof MODELS[number];

/**
 * Defaults of MODEL.md for training.
 *
 * @example The paper's sizes
 * ```ts
 * import { TRAIN_DEFAULTS } from "./training.ts";
 * console.log(TRAIN_DEFAULTS.prompts, TRAIN_DEFAULTS.context, TRAIN_DEFAULTS.depth); // 2000 100 10
 * ```
 */
export const TRAIN_DEFAULTS = {
  depth: 10,
  prompts: 2000,
  context: 100,
  steps: 2000,
  testPrompts: 1000,
  seed: 0,
  lsaInits: 4,
} as const;

/** Options of {@linkcode train}; every field but `model` has a default. */
export interface TrainOptions extends TaskOptions {
  /** lca1 (W_S = -W_V = alpha), lca2 (alpha, beta), lsa (reduced Gamma and full p, K), deep-lsa. */
  model: ModelName;
  /** Layers T (default 10; LSA has one layer and ignores it). */
  depth?: number;
  /** Training prompts N (default 2000). */
  prompts?: number;
  /** Training context L_tr (default 100), or Infinity for exact task statistics. */
  context?: number;
  /** Gradient-descent steps (default 2000). */
  steps?: number;
  /**
   * Step size or "auto" (default): Barzilai-Borwein gradient descent with backtracking for
   * lca1, lca2 and deep-lsa, Levenberg-Marquardt for lsa's (p, K); a number is plain
   * gradient descent with that step for every model.
   */
  learningRate?: number | "auto";
  /** Seed (default 0): training prompts use stream 0, test prompts stream 1. */
  seed?: number;
  /** Train against the noisy label y_q ("label", default) or the Bayes prediction w^T x_q ("bayes"). */
  target?: Target;
  /** Test prompts (default 1000). */
  testPrompts?: number;
  /** Test context L_te (default: the training context). */
  testContext?: number;
  /** Initial alpha (lca1 default 0; lca2 default alpha*(beta_0); deep-lsa default 0). */
  alphaInit?: number;
  /** Initial beta for lca2 (default -1/(1 + m_hi)) and deep-lsa (default 0). */
  betaInit?: number;
  /** Number of initialisations of full LSA (default 4: the isotropic fit, then random). */
  lsaInits?: number;
  /**
   * Statistics sampler of the training and test prompts: `auto` (default: the exact
   * Wishart sampler when d + 2 <= L < Infinity, else tokens), `wishart` or `tokens`.
   */
  sampler?: StatisticsSampler;
  /**
   * lca1 only: minibatch SGD with batches of this many prompts and the fixed step
   * `learningRate` (a number), `steps` steps (default: full-batch gradient descent; `sgd.ts`).
   */
  batchSize?: number;
  /** lca-full(-layerwise): scale of the random initial matrices (default 0.3; `untied_training.ts`). */
  initScale?: number;
  /** Progress callback, called after each step with (step, steps, loss). */
  onProgress?: (step: number, steps: number, loss: number) => void;
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
  };

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
  /** Reduced-LSA test risk (lsa only). */
  reducedTestRisk?: Estimate;
  /** Population Bayes risk and the Bayes predictor's risk on the test prompts. */
  bayesRisk: { population: number; test: Estimate };
  /** Test context L_te (`Infinity` for exact task statistics). */
  testContext: number;
  /** Wall-clock milliseconds per gradient-descent step (0 when no step was taken). */
  msPerStep: number;
}

/** Per-prompt training targets. */
export function trainingTargets(stats: PromptStatistics, target: Target): Float64Array {
  return target === "bayes" ? bayesTarget(stats) : Float64Array.from(stats.queryLabel);
}

/** The LCA empirical loss of one- or two-parameter models as a gradient-descent objective. */
export function lcaObjective(
  spectral: SpectralStatistics,
  target: ArrayLike<number>,
  depth: number,
  oneParameter: boolean,
): (theta: Float64Array) => { loss: number; gradient: Float64Array } {
  return (theta) => {
    const alpha = theta[0];
    const beta = oneParameter ? -theta[0] : theta[1];
    const r = lcaSpectralLossUnchecked(spectral, target, { alpha, beta, depth });
    return {
      loss: r.loss,
      gradient: oneParameter
        ? new Float64Array([r.alpha - r.beta])
        : new Float64Array([r.alpha, r.beta]),
    };
  };
}

/**
 * alpha*(beta) on the empirical loss: the prediction is alpha h_n(beta), so the
 * minimising alpha is sum h t / sum h^2 (the two-parameter initialisation rule).
 */
export function empiricalBestAlpha(
  spectral: SpectralStatistics,
  target: ArrayLike<number>,
  beta: number,
  depth: number,
): number {
  const { prompts, dim } = spectral;
  let num = 0, den = 0;
  for (let n = 0; n < prompts; n++) {
    let h = 0;
    for (let j = 0; j < dim; j++) {
      const u = 1 + beta * spectral.lambda[n * dim + j];
      let g = 0, power = 1;
      for (let k = 0; k < depth; k++) {
        g += power;
        power *= u;
      }
      h += spectral.weight[n * dim + j] * g;
    }
    num += h * target[n];
    den += h * h;
  }
  return den > 0 ? num / den : 0;
}

/**
 * Reduced LSA by least squares: Gamma = argmin sum_n (x_q^T Gamma mu_hat - t_n)^2
 * (features x_q (x) mu_hat; needs N >= d^2 and d <= 32).
 */
export function fitReducedLsa(stats: PromptStatistics, target: ArrayLike<number>): Float64Array {
  const d = stats.task.dim;
  const f = d * d;
  if (d > 32) throw new RangeError(`d must be at most 32 for the least-squares LSA fit, got ${d}`);
  if (stats.prompts < f) {
    throw new RangeError(
      `prompts must be at least d^2 = ${f} for the LSA fit, got ${stats.prompts}`,
    );
  }
  const gram = new Float64Array(f * f);
  const rhs = new Float64Array(f);
  const phi = new Float64Array(f);
  for (let n = 0; n < stats.prompts; n++) {
    for (let a = 0; a < d; a++) {
      for (let b = 0; b < d; b++) phi[a * d + b] = stats.query[n * d + a] * stats.muHat[n * d + b];
    }
    for (let i = 0; i < f; i++) {
      rhs[i] += phi[i] * target[n];
      for (let j = 0; j <= i; j++) gram[i * f + j] += phi[i] * phi[j];
    }
  }
  let trace = 0;
  for (let i = 0; i < f; i++) trace += gram[i * f + i];
  for (let i = 0; i < f; i++) gram[i * f + i] += 1e-12 * trace / f; // guards exact rank loss only
  return choleskySolve(gram, rhs, f);
}

/** Validated training options with every default filled in. */
export interface ResolvedTrain {
  /** The model to train. */
  model: ModelName;
  /** The validated task distribution. */
  task: TaskConfig;
  /** Layers T. */
  depth: number;
  /** Training prompts N. */
  prompts: number;
  /** Training context L_tr (`Infinity` for exact task statistics). */
  context: number;
  /** Gradient-descent step budget. */
  steps: number;
  /** Fixed step size, or "auto" (Barzilai-Borwein with backtracking). */
  learningRate: number | "auto";
  /** Training target: "label" (y_q) or "bayes" (w^T x_q). */
  target: Target;
  /** Test prompts. */
  testPrompts: number;
  /** Test context L_te (`Infinity` for exact task statistics). */
  testContext: number;
  /** Seed of the training (stream 0) and test (stream 1) prompts. */
  seed: number;
  /** The options as given (task options, initial values, lsaInits, onProgress). */
  options: TrainOptions;
}

/** The known keys of {@linkcode TrainOptions}. */
const TRAIN_KEYS = [
  "d1",
  "d2",
  "mMin",
  "mMax",
  "law",
  "sigma",
  "model",
  "depth",
  "prompts",
  "context",
  "steps",
  "learningRate",
  "seed",
  "target",
  "testPrompts",
  "testContext",
  "alphaInit",
  "betaInit",
  "lsaInits",
  "sampler",
  "onProgress",
  "family",
  "covariance",
  "initScale",
  "batchSize",
];

/** Validates training options (TypeError/RangeError naming the parameter) and fills in defaults. */
export function resolveTrain(options: TrainOptions): ResolvedTrain {
  if (options === null || typeof options !== "object") {
    throw new TypeError(`options must be an object, got ${describeValue(options)}`);
  }
  requireKnownKeys("options", options, TRAIN_KEYS);
  const model = requireChoice("model", options.model, MODELS);
  const task = resolveTask(options);
  const depth = requirePositiveInteger("depth", options.depth ?? TRAIN_DEFAULTS.depth);
  const prompts = requirePositiveInteger("prompts", options.prompts ?? TRAIN_DEFAULTS.prompts);
  const context = options.context === Infinity
    ? Infinity
    : requirePositiveInteger("context", options.context ?? TRAIN_DEFAULTS.context);
  const steps = requirePositiveInteger("steps", options.steps ?? TRAIN_DEFAULTS.steps);
  const learningRate = resolveLearningRate(options.learningRate);
  const target = requireTarget(options.target ?? "label");
  const testPrompts = requirePositiveInteger(
    "testPrompts",
    options.testPrompts ?? TRAIN_DEFAULTS.testPrompts,
  );
  if (testPrompts < 2) {
    throw new RangeError(
      `testPrompts must be at least 2 (a standard error needs 2 samples), got ${testPrompts}`,
    );
  }
  const testContext =
    options.testContext === Infinity || (options.testContext === undefined && context === Infinity)
      ? Infinity
      : requirePositiveInteger("testContext", options.testContext ?? context);
  const seed = requireNonNegativeInteger("seed", options.seed ?? TRAIN_DEFAULTS.seed);
  if (options.alphaInit !== undefined) requireFinite("alphaInit", options.alphaInit);
  if (options.betaInit !== undefined) requireFinite("betaInit", options.betaInit);
  return {
    model,
    task,
    depth,
    prompts,
    context,
    steps,
    learningRate,
    target,
    testPrompts,
    testContext,
    seed,
    options,
  };
}

/** The sampling options of the training prompts (stream 0). */
export function trainingSample(r: ResolvedTrain): SampleOptions {
  return {
    ...r.options,
    law: r.task.law,
    prompts: r.prompts,
    context: r.context,
    seed: r.seed,
    stream: 0,
  };
}

/** The sampling options of the test prompts (stream 1). */
export function testSample(r: ResolvedTrain): SampleOptions {
  return {
    ...r.options,
    law: r.task.law,
    prompts: r.testPrompts,
    context: r.testContext,
    seed: r.seed,
    stream: 1,
  };
}

/** Gradient-descent options of a training run (steps, step size, progress). */
export function descentOptions(r: ResolvedTrain): GradientDescentOptions {
  const onProgress = r.options.onProgress;
  return {
    steps: r.steps,
    learningRate: r.learningRate,
    onStep: onProgress ? (step, loss) => onProgress(step, r.steps, loss) : undefined,
  };
}

/**
 * The initial (alpha) or (alpha, beta) of LCA training: lca1 starts at alpha = 0,
 * lca2 at beta_0 = -1/(1 + m_hi) and alpha_0 = alpha*(beta_0) on the empirical loss
 * (reconstructed rule, see `reconstructed.ts`), unless given.
 */
export function lcaInitial(
  r: ResolvedTrain,
  spectral: SpectralStatistics,
  targets: ArrayLike<number>,
): Float64Array {
  if (r.model === "lca1") return new Float64Array([r.options.alphaInit ?? 0]);
  const beta0 = r.options.betaInit ?? defaultBetaInit(lawSupport(r.task.law).high);
  const alpha0 = r.options.alphaInit ?? empiricalBestAlpha(spectral, targets, beta0, r.depth);
  return new Float64Array([alpha0, beta0]);
}

/** A fitted model: the descent run, the parameters and, for LSA, the per-init losses. */
export interface Fit {
  /** The descent run (lsa: the best initialisation). */
  run: GradientDescentResult;
  /** The fitted parameters. */
  parameters: TrainedParameters;
  /** Final training losses of each full-LSA initialisation (lsa only). */
  initLosses?: number[];
}

/** Fits the model on sufficient statistics on the CPU (float64). */
export function fitOnStatistics(
  r: ResolvedTrain,
  stats: PromptStatistics,
  targets: Float64Array,
): Fit {
  const { model, depth } = r;
  const gdOptions = descentOptions(r);
  if (model === "lca1" && r.options.batchSize !== undefined) {
    return sgdFit(r, stats, targets);
  }
  if (model === "lca1" || model === "lca2") {
    const spectral = spectralStatistics(stats);
    const one = model === "lca1";
    const run = gradientDescent(
      lcaObjective(spectral, targets, depth, one),
      lcaInitial(r, spectral, targets),
      gdOptions,
    );
    const alpha = run.parameters[0];
    return {
      run,
      parameters: { model, lca: { alpha, beta: one ? -alpha : run.parameters[1], depth } },
    };
  }
  if (model === "lca-full" || model === "lca-full-layerwise") {
    const fit = trainUntied(stats, targets, {
      depth,
      layerwise: model === "lca-full-layerwise",
      scale: r.options.initScale,
      seed: r.seed,
      steps: r.steps,
    });
    const u = fit.parameters;
    return {
      run: fit.run,
      parameters: {
        model,
        untied: {
          dim: u.dim,
          depth: u.depth,
          layerwise: u.layerwise,
          a: Array.from(u.a),
          b: Array.from(u.b),
        },
      },
    };
  }
  if (model === "deep-lsa") {
    const spectral = spectralStatistics(stats);
    const initial = new Float64Array([r.options.alphaInit ?? 0, r.options.betaInit ?? 0]);
    const run = gradientDescent(
      (theta) => {
        const loss = deepLsaSpectralLossUnchecked(spectral, targets, {
          alpha: theta[0],
          beta: theta[1],
          depth,
        });
        return { loss: loss.loss, gradient: new Float64Array([loss.alpha, loss.beta]) };
      },
      initial,
      gdOptions,
    );
    return {
      run,
      parameters: { model, deepLsa: { alpha: run.parameters[0], beta: run.parameters[1], depth } },
    };
  }
  const d = r.task.dim;
  const gamma = fitReducedLsa(stats, targets);
  let isotropic = 0;
  for (let j = 0; j < d; j++) isotropic += gamma[j * d + j] / d;
  const inits = requirePositiveInteger("lsaInits", r.options.lsaInits ?? TRAIN_DEFAULTS.lsaInits);
  const random = new CounterStream({ seed: r.seed, stream: 2 });
  const size = (d + 1) + (d + 1) * d;
  let best: GradientDescentResult | undefined;
  const initLosses: number[] = [];
  for (let init = 0; init < inits; init++) {
    const theta0 = new Float64Array(size);
    if (init === 0) {
      const start = lsaFromGamma(isotropic, d);
      theta0.set(start.p, 0);
      theta0.set(start.k, d + 1);
    } else {
      random.normals(init, 0, 0, size, theta0);
      for (let i = 0; i < size; i++) theta0[i] *= 0.3;
    }
    const onStep = init === 0 ? gdOptions.onStep : undefined;
    const result = r.learningRate === "auto"
      ? levenbergMarquardt(lsaProblem(stats, targets, d), theta0, { iterations: r.steps, onStep })
      : gradientDescent(
        (theta) => {
          const loss = lsaLossUnchecked(stats, targets, splitLsa(theta, d));
          const gradient = new Float64Array(size);
          gradient.set(loss.p, 0);
          gradient.set(loss.k, d + 1);
          return { loss: loss.loss, gradient };
        },
        theta0,
        { ...gdOptions, onStep },
      );
    initLosses.push(result.loss);
    if (!best || result.loss < best.loss) best = result;
  }
  const full = splitLsa(best!.parameters, d);
  return {
    run: best!,
    parameters: {
      model,
      gamma: Array.from(gamma),
      full: { p: Array.from(full.p), k: Array.from(full.k) },
    },
    initLosses,
  };
}

/** lca1 by minibatch SGD (`batchSize`, fixed `learningRate`), recorded as a descent run. */
function sgdFit(r: ResolvedTrain, stats: PromptStatistics, targets: Float64Array): Fit {
  const batch = requirePositiveInteger("batchSize", r.options.batchSize);
  if (r.learningRate === "auto") {
    throw new RangeError(`learningRate must be a positive number with batchSize, got "auto"`);
  }
  const spectral = spectralStatistics(stats);
  const started = performance.now();
  const theta0 = lcaInitial(r, spectral, targets);
  const result = sgd(lcaOnePromptGradient(spectral, targets, r.depth), theta0, {
    prompts: stats.prompts,
    batch,
    eta: r.learningRate,
    steps: r.steps,
    seed: r.seed,
  });
  if (!Number.isFinite(result.parameters[0])) {
    throw new RangeError(
      `learningRate must be small enough for SGD to stay finite, got ${r.learningRate} with ` +
        `batchSize ${batch} (alpha diverged)`,
    );
  }
  const objective = lcaObjective(spectral, targets, r.depth, true);
  const first = objective(theta0), last = objective(result.parameters);
  const norm = (g: Float64Array) => Math.hypot(...g);
  const alpha = result.parameters[0];
  return {
    run: {
      parameters: result.parameters,
      loss: last.loss,
      gradientNorm: norm(last.gradient),
      steps: r.steps,
      converged: false,
      stop: {
        reason: "step-cap",
        rule: `SGD runs its ${r.steps} steps with a fixed step size (it has no convergence rule)`,
      },
      trajectory: [
        { step: 0, loss: first.loss, parameters: [theta0[0]], gradientNorm: norm(first.gradient) },
        { step: r.steps, loss: last.loss, parameters: [alpha], gradientNorm: norm(last.gradient) },
      ],
      elapsedMs: performance.now() - started,
    },
    parameters: { model: "lca1", lca: { alpha, beta: -alpha, depth: r.depth } },
  };
}

/**
 * The full-LSA least-squares problem on statistics: residuals p^T G_n K x_q,n - target_n,
 * their Jacobian (`lsaResidualJacobian`, block by block) and their curvature (the p-K cross
 * term), so Levenberg-Marquardt damps the exact Hessian: the labels are noisy, the residuals
 * stay large at the minimum, and Gauss-Newton alone converged only linearly (up to 1149
 * iterations in C1 at full size).
 */
function lsaProblem(
  stats: PromptStatistics,
  targets: ArrayLike<number>,
  d: number,
): LeastSquaresProblem {
  return {
    residualCount: stats.prompts,
    rows: (theta, start, count, residuals, jacobian) =>
      lsaResidualRows(stats, targets, splitLsa(theta, d), start, count, residuals, jacobian),
    loss: (theta) => lsaLossValue(stats, targets, splitLsa(theta, d)),
    residualCurvature: (theta, h, residuals) =>
      lsaResidualCurvature(stats, targets, splitLsa(theta, d), h, residuals),
  };
}

/** Splits a flat LSA parameter vector (p, then K row-major) into views. */
export function splitLsa(theta: Float64Array, dim: number): LsaParameters {
  return { p: theta.subarray(0, dim + 1), k: theta.subarray(dim + 1) };
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
    reducedTestRisk: parameters.model === "lsa"
      ? squaredRisk(lsaReducedPredict(test, parameters.gamma), test.queryLabel)
      : undefined,
    bayesRisk: {
      population: r.task.family === "regression"
        ? r.task.sigma * r.task.sigma
        : bayesRisk(r.task.law, r.task.sigma),
      test: squaredRisk(bayesTest, test.queryLabel),
    },
    testContext: r.testContext,
    msPerStep: run.steps > 0 ? run.elapsedMs / run.steps : 0,
  };
}

/**
 * Trains a model on N sampled prompts and evaluates it on fresh test prompts
 * (float64 CPU reference; see `trainOnBackend` for WebGPU).
 *
 * @example
 * ```ts
 * import { train } from "./training.ts";
 * const result = train({ model: "lca1", prompts: 200, context: 50, steps: 200 });
 * result.parameters; // { model: "lca1", lca: { alpha: ..., beta: -alpha, depth: 10 } }
 * ```
 */
export function train(options: TrainOptions): TrainResult {
  const r = resolveTrain(options);
  const stats = samplePromptStatistics(trainingSample(r));
  const targets = trainingTargets(stats, r.target);
  const test = samplePromptStatistics(testSample(r));
  const fit = fitOnStatistics(r, stats, targets);
  return summarizeTraining(r, fit, test, predictFitted(fit.parameters, test));
}
