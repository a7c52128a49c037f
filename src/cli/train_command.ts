/**
 * `train`: trains a model on sampled prompts and reports the trajectory, final
 * parameters, why the descent stopped, the test risk with its standard error,
 * the Bayes risk and ms per step.
 *
 * @module
 */

import { matrixRows } from "./regression_population.ts";
import { untiedStructure } from "../model/untied.ts";
import {
  fitOnStatistics,
  MODELS,
  predictFitted,
  resolveTrain,
  summarizeTraining,
  testSample,
  trainingSample,
  trainingTargets,
  type TrainOptions,
  type TrainResult,
} from "../training/training.ts";
import { selectBackend } from "../backends/backend.ts";
import { type Placement, trainOnBackend } from "../training/training_backend.ts";
import { formatSpikeLaw, lawSupport } from "../model/law.ts";
import {
  flagHelp,
  type FlagTable,
  type ParsedFlags,
  parseFlags,
  rejectFlags,
  replayCommand,
  shown,
  UsageError,
} from "./options.ts";
import {
  BACKEND_FLAG,
  BACKEND_HELP,
  resolveTaskFlags,
  SEED_FLAG,
  SEED_HELP,
  TASK_FLAGS,
  TASK_HELP,
} from "./flags.ts";
import { checkSampling, checkTraining, LIMITS } from "./limits.ts";
import { type BackendRecord, recordHeader, toJson } from "./record.ts";
import { stopReason, type StopRecord } from "./stop.ts";
import { formatNumber } from "./text.ts";
import { barsOf, type CliIo } from "./io.ts";
import { sampleWithProgress } from "./sampling.ts";

/** The flags of `train`, in the order the replay command writes them. */
export const TRAIN_FLAGS: FlagTable = {
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
  "init-scale": { kind: "number", min: 0, exclusiveMin: true },
  batch: { kind: "integer" },
  ...TASK_FLAGS,
  ...SEED_FLAG,
  ...BACKEND_FLAG,
};

/** Help text of `train`. */
export const TRAIN_HELP =
  `Usage: train --model lca1|lca2|lsa|deep-lsa|lca-full|lca-full-layerwise [options]

Trains by gradient descent on the empirical loss l_{N,L_tr} of N prompts and evaluates
on fresh test prompts (seed stream 1). The models and defaults are specified in
docs/model.md. The output says why the descent stopped: converged (gradient norm
<= 1e-12), step cap, stagnation (a flat loss) or the float32 noise floor.

Options:
${
    flagHelp([
      [
        "model",
        "M",
        "lca1 (W_S = -W_V = alpha), lca2 (alpha, beta), lsa (reduced Gamma by least\n" +
        "squares and full p, K by gradient descent from 4 inits), deep-lsa,\n" +
        "lca-full (W_S = A, W_V = B full d x d, shared) or lca-full-layerwise (A_t, B_t)",
      ],
      ["depth", "T", "layers (default 10; not for lsa)"],
      ["prompts", "N", "training prompts (default 2000)"],
      ["context", "L", `training context length L_tr (default 100); "inf" = exact task statistics`],
      ["steps", "K", "gradient-descent step budget (default 2000)"],
      ["lr", "R", `step size, or "auto" (default): Barzilai-Borwein steps with backtracking`],
      ["target", "T", "label (noisy y_q, default) or bayes (w^T x_q)"],
      ["test-prompts", "N", "test prompts, at least 2 for a standard error (default 1000)"],
      [
        "test-context",
        "L",
        "test context length L_te (default: the training context); L_te <= d + 1\n" +
        "is ill-posed (singular Sigma_hat) and gives a warning",
      ],
      [
        "alpha-init",
        "A",
        "initial alpha (lca1: 0, in [0, 2/(1 + m_hi)); lca2: alpha*(beta_0);\n" +
        "deep-lsa: 0; not for lsa)",
      ],
      [
        "beta-init",
        "B",
        "initial beta in the stability range (-2/(1 + m_hi), 0] (lca2: -1/(1 + m_hi);\n" +
        "deep-lsa: 0; not for lca1 or lsa)",
      ],
      ["init-scale", "S", "lca-full*: scale of the random initial matrices (default 0.3)"],
      [
        "batch",
        "B",
        "lca1: minibatch SGD with batches of B prompts and the fixed step --lr\n" +
        "(default: full-batch gradient descent)",
      ],
      ["json", "", "print the whole result as a versioned JSON record (schemas/train.schema.json)"],
      ...TASK_HELP,
      SEED_HELP,
      BACKEND_HELP,
    ])
  }

Limits (checked before any work): d <= ${LIMITS.dimension} (lsa: ${LIMITS.lsaDimension}); sampled tokens x (d^2 + d)
<= ${LIMITS.samplingWork.toExponential(0)}; steps x prompts x d x depth <= ${
    LIMITS.trainingWork.toExponential(0)
  }; prompt statistics <= ${LIMITS.memoryBytes / 2 ** 30} GiB.`;

/** Warnings about ill-posed settings (also written into the JSON). */
export interface TrainWarnings {
  /** L_te <= d + 1: Sigma_hat is singular, OLS and deep LCA are ill-posed. */
  illPosedTestContext: boolean;
  /** L_tr <= d + 1. */
  illPosedTrainContext: boolean;
  /** The warnings as text. */
  messages: string[];
}

interface Resolved {
  options: TrainOptions;
  warnings: TrainWarnings;
  dim: number;
}

function resolveFlags(parsed: ParsedFlags): Resolved {
  const v = parsed.values;
  if (v.model === undefined) {
    throw new UsageError(`--model is required: --model ${MODELS.join("|")} (see: train --help)`);
  }
  const model = v.model as TrainOptions["model"];
  if (model === "lsa") {
    rejectFlags(parsed, ["depth", "alpha-init", "beta-init"], "to --model lsa (one layer, fitted)");
  }
  if (model === "lca1") rejectFlags(parsed, ["beta-init"], "to --model lca1 (beta = -alpha)");
  const { task, options: taskOptions } = resolveTaskFlags(parsed);
  const dim = task.dim;
  const prompts = v.prompts as number;
  const context = v.context as number;
  const testPrompts = v["test-prompts"] as number;
  const testContext = (v["test-context"] as number | undefined) ?? context;
  const depth = model === "lsa" ? 1 : v.depth as number;
  const steps = v.steps as number;
  if (model === "lsa") {
    if (dim > LIMITS.lsaDimension) {
      throw new UsageError(
        `--d1 + --d2 must be at most ${LIMITS.lsaDimension} for --model lsa (d^2 least-squares features), got ${dim}`,
      );
    }
    if (prompts < dim * dim) {
      throw new UsageError(
        `--prompts must be at least d^2 = ${
          dim * dim
        } for --model lsa (least-squares fit of Gamma), got ${
          shown(parsed.raw.prompts ?? String(prompts))
        }`,
      );
    }
  }
  checkSampling([
    { prompts, context, promptsFlag: "--prompts", contextFlag: "--context" },
    {
      prompts: testPrompts,
      context: testContext,
      promptsFlag: "--test-prompts",
      contextFlag: "--test-context",
    },
  ], dim);
  // Per step: LCA costs N d T; deep LSA about 4 N d T; full LSA (4 inits) about 4 N d (d + 1).
  if (model === "lsa") checkTraining(steps, prompts, dim, 1, 4 * (dim + 1));
  else checkTraining(steps, prompts, dim, depth, model === "deep-lsa" ? 4 : 1);
  // Stability of the layer recursion (population bound: eigenvalues of Sigma up to 1 + m_hi).
  const high = lawSupport(task.law).high;
  const bound = 2 / (1 + high);
  const alphaInit = v["alpha-init"] as number | undefined;
  const betaInit = v["beta-init"] as number | undefined;
  if (model === "lca1" && alphaInit !== undefined && !(alphaInit >= 0 && alphaInit < bound)) {
    throw new UsageError(
      `--alpha-init must be in the stability range [0, 2/(1 + m_hi)) = [0, ${
        formatNumber(bound)
      }) of the recursion q <- q + alpha (x_q - Sigma q), got ${shown(parsed.raw["alpha-init"])}`,
    );
  }
  if ((model === "lca2" || model === "deep-lsa") && betaInit !== undefined) {
    if (!(betaInit > -bound && betaInit <= 0)) {
      throw new UsageError(
        `--beta-init must be in the stability range (-2/(1 + m_hi), 0] = (${
          formatNumber(-bound)
        }, 0] of the recursion (I + beta Sigma)^T, got ${shown(parsed.raw["beta-init"])}`,
      );
    }
  }
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
  return {
    dim,
    warnings: { illPosedTestContext: illTest, illPosedTrainContext: illTrain, messages },
    options: {
      ...taskOptions,
      model,
      depth,
      prompts,
      context,
      steps,
      learningRate: v.lr as number | "auto",
      seed: v.seed as number,
      target: v.target as "label" | "bayes",
      testPrompts,
      testContext,
      alphaInit,
      betaInit,
      initScale: v["init-scale"] as number | undefined,
      batchSize: v.batch as number | undefined,
    },
  };
}

/** The resolved configuration of a run, keyed by flag (what the replay command passes). */
function resolvedConfig(
  parsed: ParsedFlags,
  result: TrainResult,
  backend: string,
): Record<string, unknown> {
  const v = parsed.values;
  const model = result.model;
  const initial = result.trajectory[0]?.parameters ?? [];
  const law = String(v.law).trim();
  const point = law.startsWith("point:");
  return {
    model,
    depth: model === "lsa" ? undefined : result.depth,
    prompts: result.prompts,
    context: result.context,
    steps: v.steps,
    lr: v.lr,
    target: result.target,
    "test-prompts": result.testRisk.samples,
    "test-context": result.testContext,
    "alpha-init": model === "lsa" ? undefined : initial[0],
    "beta-init": model === "lca2" || model === "deep-lsa" ? initial[1] : undefined,
    d1: v.d1,
    d2: v.d2,
    "m-min": point ? undefined : v["m-min"],
    "m-max": point ? undefined : v["m-max"],
    law,
    sigma: v.sigma,
    seed: v.seed,
    backend,
  };
}

/** Runs `train`. */
export async function runTrain(args: string[], io: CliIo): Promise<number> {
  const parsed = parseFlags("train", args, TRAIN_FLAGS);
  if (parsed.values.help) {
    io.stdout(TRAIN_HELP);
    return 0;
  }
  const { options, warnings } = resolveFlags(parsed);
  const bar = barsOf(io);
  const r = resolveTrain(options); // cannot fail any more: the flags were checked
  let result: TrainResult & { placement?: Placement };
  let device: BackendRecord;
  const requested = String(parsed.values.backend);
  const selection = requested === "cpu" ? undefined : await selectBackend(requested as "auto");
  if (selection === undefined || selection.backend.name === "cpu") {
    selection?.backend.dispose();
    const sampling = bar("sampling training prompts", r.prompts);
    const stats = sampleWithProgress(trainingSample(r), sampling);
    sampling.stop();
    const testing = bar("sampling test prompts", r.testPrompts);
    const test = sampleWithProgress(testSample(r), testing);
    testing.stop();
    const training = bar(`training ${r.model}`, r.steps);
    const targets = trainingTargets(stats, r.target);
    const fit = fitOnStatistics(
      {
        ...r,
        options: {
          ...r.options,
          onProgress: (step, _steps, loss) => training.update(step, `loss ${formatNumber(loss)}`),
        },
      },
      stats,
      targets,
    );
    training.stop();
    result = divergence(
      r.model,
      r.testContext,
      () => summarizeTraining(r, fit, test, predictFitted(fit.parameters, test)),
    );
    device = {
      name: "cpu",
      adapter: "CPU (float64)",
      precision: "float64",
      requested,
      reason: selection?.reason ?? "--backend cpu (the default): the float64 reference",
    };
  } else {
    const backend = selection.backend;
    const training = bar(`training ${r.model} on ${backend.name}`, r.steps);
    try {
      const onBackend = await divergenceAsync(r.model, r.testContext, () =>
        trainOnBackend({
          ...options,
          onProgress: (step, _steps, loss) => training.update(step, `loss ${formatNumber(loss)}`),
        }, backend));
      result = onBackend;
      device = { ...onBackend.backend, requested, reason: selection.reason };
    } finally {
      training.stop();
      backend.dispose();
    }
  }
  const stop = stopReason(result, r.steps, device.precision);
  const config = resolvedConfig(parsed, result, device.name);
  if (parsed.values.json) {
    io.stdout(
      toJson({
        ...recordHeader("train", config, device, replayCommand("train", TRAIN_FLAGS, config)),
        ...result,
        ...lsaGammaRows(result),
        converged: stop.converged,
        stop: { reason: stop.reason, rule: stop.rule },
        law: formatSpikeLaw(r.task.law),
        warnings: warnings.messages,
        illPosedTestContext: warnings.illPosedTestContext,
        illPosedTrainContext: warnings.illPosedTrainContext,
      }),
    );
    return 0;
  }
  io.stdout(describeTrainResult(result, device, stop, warnings));
  return 0;
}

/** A non-finite test prediction (the recursion diverged) as a usage error naming the bound. */
function divergenceError(model: string, testContext: number, error: unknown): unknown {
  if (error instanceof RangeError && /^(predictions|reference).*finite/.test(error.message)) {
    return new UsageError(
      `the trained ${model} diverges on a test prompt at --test-context ${testContext}: the layer ` +
        `recursion is stable only while lambda_max(Sigma_hat) < 2/alpha, and a small L_te makes ` +
        `Sigma_hat's largest eigenvalue large (claim C9); use a larger --test-context or a smaller --depth`,
    );
  }
  return error;
}

function divergence<T>(model: string, testContext: number, run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw divergenceError(model, testContext, error);
  }
}

async function divergenceAsync<T>(
  model: string,
  testContext: number,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw divergenceError(model, testContext, error);
  }
}

/** For lsa: the trained Gamma as rows, as `population --family regression` prints Gamma*. */
function lsaGammaRows(result: TrainResult): Record<string, number[][]> {
  const p = result.parameters;
  if (p.model !== "lsa") return {};
  const d = Math.round(Math.sqrt(p.gamma.length));
  const full = p.full.k.slice(0, d * d).map((v) => v * p.full.p[d]);
  return { lsaGamma: matrixRows(p.gamma, d), lsaGammaFull: matrixRows(full, d) };
}

function describeParameters(result: TrainResult): string {
  const p = result.parameters;
  switch (p.model) {
    case "lca1":
      return `alpha = ${formatNumber(p.lca.alpha, 8)} (beta = -alpha)`;
    case "lca2":
      return `alpha = ${formatNumber(p.lca.alpha, 8)}, beta = ${formatNumber(p.lca.beta, 8)}, ` +
        `alpha/(-beta) = ${formatNumber(p.lca.alpha / -p.lca.beta, 8)}`;
    case "deep-lsa":
      return `alpha = ${formatNumber(p.deepLsa.alpha, 8)}, beta = ${
        formatNumber(p.deepLsa.beta, 8)
      }`;
    case "lca-full":
    case "lca-full-layerwise": {
      const s = untiedStructure({
        ...p.untied,
        a: Float64Array.from(p.untied.a),
        b: Float64Array.from(p.untied.b),
      });
      return `tr A/d = ${formatNumber(s.alpha, 8)}, tr B/d = ${formatNumber(s.beta, 8)}; ` +
        `relative symmetric traceless A ${formatNumber(s.aSymmetric, 3)}, B ${
          formatNumber(s.bSymmetric, 3)
        }; skew A ${formatNumber(s.aSkew, 3)}, B ${formatNumber(s.bSkew, 3)}`;
    }
    case "lsa": {
      const d = Math.round(Math.sqrt(p.gamma.length));
      const trace = p.gamma.reduce((sum, v, i) => (i % (d + 1) === 0 ? sum + v : sum), 0);
      return `reduced Gamma (least squares): trace/d = ${formatNumber(trace / d)}; ` +
        `full p, K: ${p.full.p.length + p.full.k.length} weights`;
    }
  }
}

/** An estimate with its standard error; "SE undefined" from fewer than 2 samples. */
function estimate(e: { mean: number; standardError: number; samples: number }): string {
  return e.samples < 2
    ? `${formatNumber(e.mean)} (SE undefined: ${e.samples} sample)`
    : `${formatNumber(e.mean)} ± ${formatNumber(e.standardError, 3)}`;
}

/** Human-readable summary of a training run. */
export function describeTrainResult(
  result: TrainResult & { placement?: Placement },
  backend: { name: string; adapter: string; precision: string; reason?: string },
  stop: StopRecord = stopReason(result, result.steps, backend.precision),
  warnings?: TrainWarnings,
): string {
  const t = result.trajectory;
  const pick = [
    0,
    Math.floor(t.length / 4),
    Math.floor(t.length / 2),
    Math.floor((3 * t.length) / 4),
    t.length - 1,
  ];
  const lines = [
    `model ${result.model}, depth T = ${result.depth}, N = ${result.prompts}, L_tr = ${result.context}, ` +
    `target ${result.target}`,
    `backend ${backend.name} (${backend.adapter}, ${backend.precision})${
      backend.reason ? `: ${backend.reason}` : ""
    }`,
    ...(result.placement
      ? [
        `placement: sampling ${result.placement.sampling}; training step ${result.placement.trainingStep}; ` +
        `test forward ${result.placement.testForward}`,
      ]
      : []),
    `trajectory (step: loss | parameters):`,
    ...[...new Set(pick)].map((i) =>
      `  ${String(t[i].step).padStart(6)}: ${formatNumber(t[i].loss, 8)} | ${
        t[i].parameters.slice(0, 4).map((v) => formatNumber(v, 6)).join(", ")
      }${t[i].parameters.length > 4 ? ", ..." : ""}`
    ),
    `stopped after ${result.steps} step${
      result.steps === 1 ? "" : "s"
    }: ${stop.reason} (${stop.rule}); converged: ${stop.converged ? "yes" : "no"}`,
    `train loss ${formatNumber(result.trainLoss, 8)}`,
    `final parameters: ${describeParameters(result)}`,
  ];
  if (result.initLosses) {
    lines.push(
      `full-LSA train loss per init: ${result.initLosses.map((v) => formatNumber(v)).join(", ")}`,
    );
  }
  if (result.reducedTestRisk) {
    lines.push(`reduced-LSA test risk: ${estimate(result.reducedTestRisk)}`);
  }
  lines.push(
    `test risk (${result.testRisk.samples} prompts, L_te = ${result.testContext}): ${
      estimate(result.testRisk)
    } (SE)`,
    `excess risk over Bayes (paired, same test prompts): ${estimate(result.testExcess)}`,
    `Bayes risk: population ${formatNumber(result.bayesRisk.population)}, on the test prompts ${
      estimate(result.bayesRisk.test)
    }`,
    `ms per step: ${formatNumber(result.msPerStep, 4)}`,
  );
  for (const message of warnings?.messages ?? []) lines.push(message);
  return lines.join("\n");
}
