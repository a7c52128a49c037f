/**
 * The flags of `train` and their validation: which flags a model takes, the LSA
 * fit's sizes, the resource limits, the stability range of the initial step sizes,
 * and the warnings about ill-posed context lengths.
 *
 * @module
 */

import { layerCost, type ModelName, MODELS, type TrainOptions } from "../training/train_options.ts";
import { isSoftmaxModel } from "../model/softmax_models.ts";
import { lawSupport } from "../model/law.ts";
import { defineFlags, type ParsedFlags } from "./flag_table.ts";
import { rejectFlags, shown, UsageError } from "./options.ts";
import {
  BACKEND_FLAG,
  librarySampler,
  resolveTaskFlags,
  SAMPLER_FLAG,
  SEED_FLAG,
  TASK_FLAGS,
} from "./flags.ts";
import { checkSampling, checkTraining, LIMITS } from "./limits.ts";
import { formatNumber } from "./text.ts";

/** The flags of `train`, in the order the replay command writes them. */
export const TRAIN_FLAGS = defineFlags({
  model: { kind: "choice", choices: MODELS },
  depth: { kind: "integer", default: 10 },
  prompts: { kind: "integer", default: 2000, max: LIMITS.prompts },
  context: { kind: "context", default: 100 },
  steps: { kind: "integer", default: 2000 },
  lr: { kind: "lr", default: "auto", min: 0, exclusiveMin: true },
  target: { kind: "choice", choices: ["label", "bayes"], default: "label" },
  "test-prompts": { kind: "integer", min: 2, default: 1000, max: LIMITS.prompts },
  "test-context": { kind: "context" },
  "alpha-init": { kind: "number" },
  "beta-init": { kind: "number" },
  "alphas-init": { kind: "text" },
  "betas-init": { kind: "text" },
  "tau-init": { kind: "number", min: 0, exclusiveMin: true },
  "taus-init": { kind: "text" },
  "init-scale": { kind: "number", min: 0, exclusiveMin: true },
  batch: { kind: "integer" },
  ...TASK_FLAGS,
  ...SEED_FLAG,
  ...SAMPLER_FLAG,
  ...BACKEND_FLAG,
});

/** What `train` parsed. */
export type ParsedTrainFlags = ParsedFlags<typeof TRAIN_FLAGS>;

/** Warnings about ill-posed settings (also written into the JSON). */
export interface TrainWarnings {
  /** L_te <= d + 1: Sigma_hat is singular, OLS and deep LCA are ill-posed. */
  illPosedTestContext: boolean;
  /** L_tr <= d + 1. */
  illPosedTrainContext: boolean;
  /** The warnings as text. */
  messages: string[];
}

/** The flags of `train` resolved into training options, with the warnings. */
export interface ResolvedTrainFlags {
  /** The training options (every flag checked). */
  options: TrainOptions;
  /** Warnings about ill-posed context lengths. */
  warnings: TrainWarnings;
  /** d = d1 + d2. */
  dim: number;
}

/** The per-layer initial values of the schedule models and sca-layerwise. */
const LIST_FLAGS = ["alphas-init", "betas-init", "taus-init"] as const;

/** The initial values that only the softmax models take. */
const TAU_FLAGS = ["tau-init", "taus-init"] as const;

/** Why the tied models take no per-layer list. */
const TIED = "(per-layer initial values are for lca-schedule, lca2-schedule and sca-layerwise)";

/** Flags a model does not take, and why (the rest of the message after "does not apply"). */
const NOT_FOR_MODEL: Readonly<Record<ModelName, { flags: readonly string[]; why: string }>> = {
  lsa: {
    flags: ["depth", "alpha-init", "beta-init", ...LIST_FLAGS, "tau-init"],
    why: "to --model lsa (one layer, fitted)",
  },
  lca1: {
    flags: ["beta-init", ...LIST_FLAGS, "tau-init"],
    why: "to --model lca1 (beta = -alpha; lists: lca-schedule)",
  },
  lca2: { flags: [...LIST_FLAGS, "tau-init"], why: `to --model lca2 ${TIED}` },
  "deep-lsa": { flags: [...LIST_FLAGS, "tau-init"], why: `to --model deep-lsa ${TIED}` },
  "lca-full": { flags: [...LIST_FLAGS, "tau-init"], why: `to --model lca-full ${TIED}` },
  "lca-full-layerwise": {
    flags: [...LIST_FLAGS, "tau-init"],
    why: `to --model lca-full-layerwise ${TIED}`,
  },
  "lca-schedule": {
    flags: ["alpha-init", "beta-init", "betas-init", ...TAU_FLAGS],
    why: "to --model lca-schedule (a step per layer, beta_t = -alpha_t: --alphas-init a_1,...,a_T)",
  },
  "lca2-schedule": {
    flags: ["alpha-init", "beta-init", ...TAU_FLAGS],
    why: "to --model lca2-schedule (a step per layer: --alphas-init, --betas-init lists)",
  },
  sca: { flags: LIST_FLAGS, why: `to --model sca ${TIED}` },
  "sca-centred": { flags: LIST_FLAGS, why: `to --model sca-centred ${TIED}` },
  "sca-layerwise": {
    flags: ["alpha-init", "beta-init", "tau-init"],
    why: "to --model sca-layerwise (per layer: --alphas-init, --betas-init, --taus-init lists)",
  },
};

/**
 * A per-layer list of `depth` finite numbers, `a_1,...,a_T` (no spaces needed); anything
 * else is a UsageError naming the flag and the depth.
 */
function parseLayerList(
  flag: string,
  text: string | undefined,
  depth: number,
): number[] | undefined {
  if (text === undefined) return undefined;
  const number = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
  const values = text.split(",").map((item) => item.trim());
  const parsed = values.map((item) => (number.test(item) ? Number(item) : NaN));
  if (values.length !== depth || !parsed.every(Number.isFinite)) {
    throw new UsageError(
      `--${flag} must be a comma-separated list of ${depth} finite numbers (one per layer, ` +
        `--depth ${depth}), got ${shown(text)}`,
    );
  }
  return parsed;
}

/** A per-layer list of temperatures, each > 0 (`--taus-init`). */
function parseTauList(text: string | undefined, depth: number): number[] | undefined {
  const taus = parseLayerList("taus-init", text, depth);
  if (taus !== undefined && !taus.every((tau) => tau > 0)) {
    throw new UsageError(
      `--taus-init must hold ${depth} softmax temperatures > 0, got ${shown(text ?? "")}`,
    );
  }
  return taus;
}

/**
 * The softmax models attend over the context tokens: `--context inf` and `--test-context inf`
 * (exact task statistics, no tokens) are refused, naming the flag.
 */
function checkTokenContext(
  model: ModelName,
  context: number,
  testContext: number,
  sampler: string,
): void {
  if (!isSoftmaxModel(model)) return;
  if (sampler === "exact") {
    throw new UsageError(
      `--sampler must be tokens or auto for --model ${model}: softmax attention runs on the ` +
        `context tokens, and the exact sampler draws statistics without tokens, got exact`,
    );
  }
  for (const [flag, value] of [["context", context], ["test-context", testContext]] as const) {
    if (value === Infinity) {
      throw new UsageError(
        `--${flag} must be a finite context length for --model ${model}: softmax attention ` +
          `runs on the context tokens, and exact task statistics (--${flag} inf) have none`,
      );
    }
  }
}

/** An initial step size and the stability bound 2/(1 + m_hi) it must respect. */
interface InitCheck {
  value: number | undefined;
  bound: number;
  raw: Readonly<Record<string, string>>;
}

function checkAlphaInit({ value, bound, raw }: InitCheck): void {
  if (value !== undefined && !(value >= 0 && value < bound)) {
    throw new UsageError(
      `--alpha-init must be in the stability range [0, 2/(1 + m_hi)) = [0, ${
        formatNumber(bound)
      }) of the recursion q <- q + alpha (x_q - Sigma q), got ${shown(raw["alpha-init"])}`,
    );
  }
}

function checkBetaInit({ value, bound, raw }: InitCheck): void {
  if (value !== undefined && !(value > -bound && value <= 0)) {
    throw new UsageError(
      `--beta-init must be in the stability range (-2/(1 + m_hi), 0] = (${
        formatNumber(-bound)
      }, 0] of the recursion (I + beta Sigma)^T, got ${shown(raw["beta-init"])}`,
    );
  }
}

/** The stability checks of the initial step sizes, by model (population bound: 2/(1 + m_hi)). */
const INIT_CHECKS: Partial<
  Record<ModelName, { flag: "alpha-init" | "beta-init"; check: (c: InitCheck) => void }>
> = {
  lca1: { flag: "alpha-init", check: checkAlphaInit },
  lca2: { flag: "beta-init", check: checkBetaInit },
  "deep-lsa": { flag: "beta-init", check: checkBetaInit },
};

/** The LSA least-squares fit: d^2 features, so d <= 32 and at least d^2 prompts. */
function checkLsaSizes(dim: number, prompts: number, raw: Readonly<Record<string, string>>): void {
  if (dim > LIMITS.lsaDimension) {
    throw new UsageError(
      `--d1 + --d2 must be at most ${LIMITS.lsaDimension} for --model lsa (d^2 least-squares features), got ${dim}`,
    );
  }
  if (prompts < dim * dim) {
    throw new UsageError(
      `--prompts must be at least d^2 = ${
        dim * dim
      } for --model lsa (least-squares fit of Gamma), got ${shown(raw.prompts ?? String(prompts))}`,
    );
  }
}

/** Warnings when a context length makes Sigma_hat singular (L <= d + 1). */
function trainWarnings(context: number, testContext: number, dim: number): TrainWarnings {
  const messages: string[] = [];
  const illTest = Number.isFinite(testContext) && testContext <= dim + 1;
  const illTrain = Number.isFinite(context) && context <= dim + 1;
  if (illTest) {
    messages.push(
      `warning: test context L_te = ${testContext} <= d + 1 = ${dim + 1}: Sigma_hat is singular ` +
        `or nearly so, in-context OLS and deep LCA are ill-posed, and the test risk can be ` +
        `arbitrarily large (use --test-context > ${dim + 1})`,
    );
  }
  if (illTrain) {
    messages.push(
      `warning: training context L_tr = ${context} <= d + 1 = ${dim + 1}: Sigma_hat is singular ` +
        `or nearly so; the trained parameters fit an ill-posed problem`,
    );
  }
  return { illPosedTestContext: illTest, illPosedTrainContext: illTrain, messages };
}

/**
 * Checks the flags of `train` (which apply to the model, the LSA sizes, the sampling and
 * training limits, the stability range of the initial step sizes) before any work, and
 * resolves them into training options; every error is a `UsageError` naming the flag.
 */
export function resolveTrainFlags(parsed: ParsedTrainFlags): ResolvedTrainFlags {
  const v = parsed.values;
  const model = v.model;
  if (model === undefined) {
    throw new UsageError(`--model is required: --model ${MODELS.join("|")} (see: train --help)`);
  }
  const notForModel = NOT_FOR_MODEL[model];
  rejectFlags(parsed, notForModel.flags, notForModel.why);
  const { task, options: taskOptions } = resolveTaskFlags(parsed);
  const dim = task.dim;
  const { prompts, context, steps } = v;
  const testPrompts = v["test-prompts"];
  const testContext = v["test-context"] ?? context;
  const depth = model === "lsa" ? 1 : v.depth;
  if (model === "lsa") checkLsaSizes(dim, prompts, parsed.raw);
  checkTokenContext(model, context, testContext, v.sampler);
  checkSampling([
    { prompts, context, promptsFlag: "--prompts", contextFlag: "--context" },
    {
      prompts: testPrompts,
      context: testContext,
      promptsFlag: "--test-prompts",
      contextFlag: "--test-context",
    },
  ], dim);
  // Per step N d T times the model's layer cost (deep LSA 4, schedules 2 d, softmax L; lsa:
  // one layer).
  checkTraining(steps, prompts, dim, depth, layerCost(model, dim, context));
  // Stability of the layer recursion (population bound: eigenvalues of Sigma up to 1 + m_hi).
  const bound = 2 / (1 + lawSupport(task.law).high);
  const init = INIT_CHECKS[model];
  init?.check({ value: v[init.flag], bound, raw: parsed.raw });
  return {
    dim,
    warnings: trainWarnings(context, testContext, dim),
    options: {
      ...taskOptions,
      model,
      depth,
      prompts,
      context,
      steps,
      learningRate: v.lr,
      seed: v.seed,
      sampler: librarySampler(v.sampler),
      target: v.target,
      testPrompts,
      testContext,
      alphaInit: v["alpha-init"],
      betaInit: v["beta-init"],
      alphasInit: parseLayerList("alphas-init", v["alphas-init"], depth),
      betasInit: parseLayerList("betas-init", v["betas-init"], depth),
      tauInit: v["tau-init"],
      tausInit: parseTauList(v["taus-init"], depth),
      initScale: v["init-scale"],
      batchSize: v.batch,
    },
  };
}
