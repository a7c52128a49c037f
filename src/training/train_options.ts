/**
 * The options of a training run ({@linkcode train} in `training.ts`): the trainable models,
 * MODEL.md's defaults, their validation into a {@linkcode ResolvedTrain}, and what follows
 * from them: the sampling options of the training and test prompts and the gradient-descent
 * options.
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
import {
  checkSamplingBudget,
  checkTrainingBudget,
  type LimitsOption,
  LSA_MAX_DIMENSION,
  resolveLimits,
  type ResourceLimits,
} from "../validation/resource_limits.ts";
import { type GradientDescentOptions, resolveLearningRate } from "./optimizer.ts";
import {
  requireTarget,
  resolveSampler,
  resolveTask,
  type SampleOptions,
  type StatisticsSampler,
  type Target,
  TASK_OPTION_KEYS,
  type TaskConfig,
  type TaskOptions,
} from "../model/task.ts";
import { SCHEDULE_MODELS, type ScheduleModel } from "../model/schedule_models.ts";
import { isSoftmaxModel, SOFTMAX_MODELS } from "../model/softmax_models.ts";
import { checkInitialValues, type InitialValueOptions } from "./check_initial_values.ts";

/**
 * Model names accepted by {@linkcode train}.
 *
 * @example The trainable models
 * ```ts
 * import assert from "node:assert/strict";
 * import { MODELS } from "./train_options.ts";
 * assert.deepEqual(MODELS, [
 *   "lca1",
 *   "lca2",
 *   "lsa",
 *   "deep-lsa",
 *   "lca-full",
 *   "lca-full-layerwise",
 *   "lca-schedule",
 *   "lca2-schedule",
 *   "sca",
 *   "sca-centred",
 *   "sca-layerwise",
 * ]);
 * ```
 */
export const MODELS = [
  "lca1",
  "lca2",
  "lsa",
  "deep-lsa",
  "lca-full",
  "lca-full-layerwise",
  ...SCHEDULE_MODELS,
  ...SOFTMAX_MODELS,
] as const;
/** A trainable model. */
export type ModelName = typeof MODELS[number];

/**
 * Defaults of MODEL.md for training.
 *
 * @example The paper's sizes
 * ```ts
 * import assert from "node:assert/strict";
 * import { TRAIN_DEFAULTS } from "./train_options.ts";
 * assert.equal(TRAIN_DEFAULTS.prompts, 2000);
 * assert.equal(TRAIN_DEFAULTS.context, 100);
 * assert.equal(TRAIN_DEFAULTS.depth, 10);
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
export interface TrainOptions extends TaskOptions, InitialValueOptions {
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
  /**
   * Budgets of the run, checked before any work (`validation/resource_limits.ts`): the
   * memory of the training and test statistics (default 2 GiB), their sampling work (2e9
   * token-units) and the training work steps x prompts x d x depth x cost (2e10);
   * `"none"` lifts them, numbers replace some of them.
   */
  limits?: LimitsOption;
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
  ...TASK_OPTION_KEYS,
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
  "alphasInit",
  "betasInit",
  "tauInit",
  "tausInit",
  "lsaInits",
  "sampler",
  "onProgress",
  "initScale",
  "batchSize",
  "limits",
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
  checkInitialValues(model, depth, options);
  if (isSoftmaxModel(model)) checkTokenContext(model, context, testContext, options.sampler);
  checkTrainBudget(
    { model, task, depth, prompts, context, steps, testPrompts, testContext },
    resolveLimits(options.limits),
    isSoftmaxModel(model) ? "tokens" : options.sampler,
  );
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

/** Whether a model has a step per layer (`model/schedule_models.ts`). */
export function isScheduleModel(model: ModelName): model is ScheduleModel {
  return model === "lca-schedule" || model === "lca2-schedule";
}

/**
 * The softmax models attend over stored tokens: a finite training and test context and the
 * token sampler (exact task statistics and the Wishart sampler have no tokens).
 */
function checkTokenContext(
  model: string,
  context: number,
  testContext: number,
  sampler: unknown,
): void {
  for (const [name, value] of [["context", context], ["testContext", testContext]] as const) {
    if (value === Infinity) {
      throw new RangeError(
        `${name} must be a finite context length for model ${model} (softmax attention runs ` +
          `on the context tokens; exact task statistics have none), got Infinity`,
      );
    }
  }
  if (sampler !== undefined && sampler !== "tokens" && sampler !== "auto") {
    throw new RangeError(
      `sampler must be "tokens" for model ${model} (softmax attention needs the tokens), ` +
        `got ${describeValue(sampler)}`,
    );
  }
}

/**
 * The work of one layer per prompt and dimension in a descent step, by model: 1 for the
 * LCA's spectral form, 4 for deep LSA, 2 d for the schedule models (two d x d products per
 * layer: the forward and adjoint recursions of `schedule_loss.ts`), the context L for the
 * softmax models (T L d per prompt: they attend over the tokens); LSA is 4 (d + 1) for its
 * one layer.
 */
export function layerCost(model: ModelName, dim: number, context = 1): number {
  if (isSoftmaxModel(model)) return context;
  if (model === "lsa") return 4 * (dim + 1);
  if (model === "deep-lsa") return 4;
  return isScheduleModel(model) ? 2 * dim : 1;
}

/** Advice appended to the budget messages of a training run. */
const TRAIN_ADVICE = {
  memory: ' (or raise limits.memoryBytes, or pass limits: "none")',
  sampling: ', or use context: Infinity (exact task statistics) or limits: "none"',
  training: ' (or raise limits.trainingWork, or pass limits: "none")',
};

/**
 * Checks a run against its budgets before any work: the LSA fit's d <= 32, the memory and
 * sampling work of the training and test prompts together, and the training work, with the
 * cost of a layer by model ({@linkcode layerCost}; the untied LCA counted as LCA:
 * Levenberg-Marquardt stops after tens of iterations, not `steps`).
 */
function checkTrainBudget(
  r: Pick<
    ResolvedTrain,
    "model" | "task" | "depth" | "prompts" | "context" | "steps" | "testPrompts" | "testContext"
  >,
  limits: Readonly<ResourceLimits>,
  sampler: unknown,
): void {
  const dim = r.task.dim;
  if (r.model === "lsa" && dim > LSA_MAX_DIMENSION) {
    throw new RangeError(
      `d1 + d2 must be at most ${LSA_MAX_DIMENSION} for model lsa (d^2 least-squares features), got ${dim}`,
    );
  }
  checkSamplingBudget(
    [
      {
        prompts: r.prompts,
        context: r.context,
        promptsName: "prompts",
        contextName: "context",
        sampler: resolveSampler(sampler, r.context, dim),
      },
      {
        prompts: r.testPrompts,
        context: r.testContext,
        promptsName: "testPrompts",
        contextName: "testContext",
        sampler: resolveSampler(sampler, r.testContext, dim),
      },
    ],
    dim,
    limits,
    TRAIN_ADVICE,
  );
  const lsa = r.model === "lsa";
  checkTrainingBudget(
    {
      steps: r.steps,
      prompts: r.prompts,
      dim,
      depth: lsa ? 1 : r.depth,
      factor: layerCost(r.model, dim, r.context),
      names: { steps: "steps", prompts: "prompts", depth: "depth" },
    },
    limits,
    TRAIN_ADVICE,
  );
}

/** The sampler of a run: the softmax models need the tokens. */
function samplerOf(r: ResolvedTrain): SampleOptions["sampler"] {
  return isSoftmaxModel(r.model) ? "tokens" : r.options.sampler;
}

/** The sampling options of the training prompts (stream 0; tokens for the softmax models). */
export function trainingSample(r: ResolvedTrain): SampleOptions {
  return {
    ...r.options,
    sampler: samplerOf(r),
    law: r.task.law,
    prompts: r.prompts,
    context: r.context,
    seed: r.seed,
    stream: 0,
  };
}

/** The sampling options of the test prompts (stream 1; tokens for the softmax models). */
export function testSample(r: ResolvedTrain): SampleOptions {
  return {
    ...r.options,
    sampler: samplerOf(r),
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
