/**
 * `train`: trains a model on sampled prompts and reports the trajectory, final
 * parameters, why the descent stopped, the test risk with its standard error,
 * the Bayes risk and ms per step.
 *
 * @module
 */

import { matrixRows } from "./regression_population.ts";
import { trainingTargets } from "../training/training.ts";
import { fitOnStatistics } from "../training/fit_on_statistics.ts";
import { predictFittedOnSample } from "../training/trained_parameters.ts";
import { isSoftmaxModel } from "../model/softmax_models.ts";
import {
  isScheduleModel,
  type ModelName,
  MODELS,
  type ResolvedTrain,
  resolveTrain,
  testSample,
  trainingSample,
  type TrainOptions,
} from "../training/train_options.ts";
import { summarizeTraining, type TrainResult } from "../training/summarize_training.ts";
import type { BackendSelection } from "../backends/create_backend.ts";
import { selectBackendFlag } from "./backend_flag.ts";
import { commandHelp, type HelpEntry } from "./command_help.ts";
import { DENO_RUNNER } from "../claims/replay_call.ts";
import { type Placement, trainOnBackend } from "../training/training_backend.ts";
import { formatSpikeLaw } from "../model/law.ts";
import { parseFlags, replayCommand, UsageError } from "./options.ts";
import { BACKEND_HELP, SAMPLER_HELP, SEED_HELP, TASK_HELP } from "./flags.ts";
import { LIMITS } from "./limits.ts";
import { type BackendRecord, recordHeader, toJson } from "./record.ts";
import { GRADIENT_TOLERANCE, stopReason } from "./stop.ts";
import { formatNumber } from "./text.ts";
import { barsOf, type CliIo } from "./io.ts";
import { sampleWithProgress } from "./sampling.ts";
import { type ParsedTrainFlags, resolveTrainFlags, TRAIN_FLAGS } from "./train_flags.ts";
import { describeTrainResult } from "./describe_train_result.ts";

/** What each model is (the `--model` help lists every model of the registry). */
const MODEL_NOTES: Readonly<Record<ModelName, string>> = {
  lca1: "one-parameter LCA, W_S = -W_V = alpha",
  lca2: "two-parameter LCA, W_S = alpha, W_V = beta",
  lsa: "single-layer LSA: reduced Gamma by least squares, full p, K from 4 inits",
  "deep-lsa": "T-layer LSA with scalar steps",
  "lca-full": "W_S = A, W_V = B full d x d matrices shared by the layers",
  "lca-full-layerwise": "full matrices A_t, B_t per layer",
  "lca-schedule": "a step alpha_t per layer, W_S = -W_V = alpha_t (claim C12)",
  "lca2-schedule": "alpha_t and beta_t per layer, W_S = alpha_t, W_V = beta_t",
  sca: "softmax cross-attention, A_t = sum_i x_i softmax_i(tau x_i^T q_t), W_V = beta/tau",
  "sca-centred": "sca with the context mean removed, A_t - x_bar (-> LCA as tau -> 0)",
  "sca-layerwise": "sca with alpha_t, beta_t, tau_t per layer",
};

/** The help lines of `train`'s flags. */
const TRAIN_ENTRIES: readonly HelpEntry[] = [
  ["model", "M", MODELS.map((m) => `${m}: ${MODEL_NOTES[m]}`).join("\n")],
  ["depth", "T", "layers (default 10; not for lsa)"],
  ["prompts", "N", "training prompts (default 2000)"],
  [
    "context",
    "L",
    `training context length L_tr (default 100); "inf" = exact task statistics\n` +
    "(not for the sca models, which attend over the tokens)",
  ],
  ["steps", "K", "step (or iteration) budget (default 2000)"],
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
    "deep-lsa: 0; sca, sca-centred: the tied lca2 optimum on the training\n" +
    "prompts; not for lsa, the schedules or sca-layerwise)",
  ],
  [
    "beta-init",
    "B",
    "initial beta in the stability range (-2/(1 + m_hi), 0] (lca2: -1/(1 + m_hi);\n" +
    "deep-lsa: 0; sca, sca-centred: the tied lca2 optimum; not for lca1, lsa,\n" +
    "the schedules or sca-layerwise)",
  ],
  ["tau-init", "S", "sca, sca-centred: initial softmax temperature tau > 0 (default 1/sqrt(d))"],
  [
    "alphas-init",
    "A,..",
    "lca-schedule, lca2-schedule: initial alpha_1,...,alpha_T, one per layer (default:\n" +
    "the Chebyshev schedule of [1 + m_lo, 1 + m_hi], largest step first);\n" +
    "sca-layerwise (default: the tied lca2 optimum in every layer)",
  ],
  [
    "betas-init",
    "B,..",
    "lca2-schedule: initial beta_1,...,beta_T (default -alpha_t); sca-layerwise\n" +
    "(default: the tied lca2 optimum)",
  ],
  ["taus-init", "S,..", "sca-layerwise: initial tau_1,...,tau_T > 0 (default 1/sqrt(d))"],
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
  SAMPLER_HELP,
  BACKEND_HELP,
];

/** Help text of `train`: usage from the flag table, the models from the model registry. */
export const TRAIN_HELP = commandHelp({
  command: "train",
  table: TRAIN_FLAGS,
  entries: TRAIN_ENTRIES,
  required: ["model"],
  about: `Trains a model (${MODELS.join(", ")}) on the empirical loss l_{N,L_tr} of N
prompts and evaluates it on fresh test prompts (seed stream 1). The models and defaults are
specified in docs/model.md. lca1, lca2, deep-lsa, the schedules and the softmax
models (sca*, on the tokens: a finite --context only) train by gradient descent; lsa and
lca-full* by Levenberg-Marquardt. The schedules' records add the
population excess E_T of the trained steps beside the optimal schedule's and the tied
alpha_T's (docs/reference/schedules.md). The output says why the training stopped:
- converged: |gradient| <= ${GRADIENT_TOLERANCE}, or a Newton certificate (the step |g|/H,
  H the smallest secant curvature of the last 5 steps, at most 1e-10 |theta|; for
  Levenberg-Marquardt a step at most 1e-10 |theta| at a damping mu <= 1);
- stagnation: the last 50 losses within 16 eps |loss| of each other, a gradient that
  vanished over the first step (a flat loss), or no damped step lowers the loss;
- step cap: --steps used up without either;
- float32 noise floor (--backend webgpu): |gradient| max(1, |theta|) <= 64 x 2^-24 |loss|,
  or the last 50 losses within float32's rounding of each other.`,
  footer:
    `Limits (checked before any work): d <= ${LIMITS.dimension} (lsa: ${LIMITS.lsaDimension}); sampled tokens x (d^2 + d)
<= ${LIMITS.samplingWork.toExponential(0)}; steps x prompts x d x depth <= ${
      LIMITS.trainingWork.toExponential(0)
    }; prompt statistics <= ${LIMITS.memoryBytes / 2 ** 30} GiB.

Example (from a clone's root; the first run downloads Deno):
  ${DENO_RUNNER} run -A mod.ts train --model lca2 --depth 5 --prompts 500`,
});

/** The resolved configuration of a run, keyed by flag (what the replay command passes). */
function resolvedConfig(
  v: ParsedTrainFlags["values"],
  result: TrainResult,
  backend: string,
): Record<string, unknown> {
  const model = result.model;
  const initial = result.trajectory[0]?.parameters ?? [];
  const law = String(v.law).trim();
  const point = law.startsWith("point:");
  const schedule = isScheduleModel(model);
  const layerwise = schedule || model === "sca-layerwise";
  const tied = isSoftmaxModel(model) && !layerwise;
  const depth = result.depth;
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
    "alpha-init": model === "lsa" || layerwise ? undefined : initial[0],
    "beta-init": model === "lca2" || model === "deep-lsa" || tied ? initial[1] : undefined,
    "alphas-init": layerwise ? initial.slice(0, depth).join(",") : undefined,
    "betas-init": model === "lca2-schedule" || model === "sca-layerwise"
      ? initial.slice(depth, 2 * depth).join(",")
      : undefined,
    "tau-init": tied ? initial[2] : undefined,
    "taus-init": model === "sca-layerwise" ? initial.slice(2 * depth).join(",") : undefined,
    d1: v.d1,
    d2: v.d2,
    "m-min": point ? undefined : v["m-min"],
    "m-max": point ? undefined : v["m-max"],
    law,
    sigma: v.sigma,
    seed: v.seed,
    sampler: v.sampler,
    backend,
  };
}

/** A finished run: the result and the backend it ran on. */
interface TrainRun {
  result: TrainResult & { placement?: Placement };
  device: BackendRecord;
}

/** Trains in float64 on the CPU, with progress bars for the sampling and the descent. */
function trainOnCpu(
  r: ResolvedTrain,
  io: CliIo,
  requested: BackendRecord["requested"],
  selection: BackendSelection | undefined,
): TrainRun {
  selection?.backend.dispose();
  const bar = barsOf(io);
  const sampling = bar("sampling training prompts", r.prompts);
  const stats = sampleWithProgress(trainingSample(r), sampling);
  sampling.stop();
  const testing = bar("sampling test prompts", r.testPrompts);
  const sample = testSample(r);
  const test = sampleWithProgress(sample, testing);
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
  const result = divergence(
    r.model,
    r.testContext,
    () => summarizeTraining(r, fit, test, predictFittedOnSample(fit.parameters, test, sample)),
  );
  const device = {
    name: "cpu",
    adapter: "CPU (float64)",
    precision: "float64",
    requested,
    reason: selection?.reason ?? "--backend cpu (the default): the float64 reference",
  };
  return { result, device };
}

/** Trains on a WebGPU backend (the caller checked it is not the CPU), then disposes it. */
async function trainOnDevice(
  options: TrainOptions,
  r: ResolvedTrain,
  io: CliIo,
  requested: BackendRecord["requested"],
  selection: BackendSelection,
): Promise<TrainRun> {
  const backend = selection.backend;
  const training = barsOf(io)(`training ${r.model} on ${backend.name}`, r.steps);
  try {
    const result = await divergenceAsync(r.model, r.testContext, () =>
      trainOnBackend({
        ...options,
        onProgress: (step, _steps, loss) => training.update(step, `loss ${formatNumber(loss)}`),
      }, backend));
    return { result, device: { ...result.backend, requested, reason: selection.reason } };
  } finally {
    training.stop();
    backend.dispose();
  }
}

/** Runs `train`. */
export async function runTrain(args: string[], io: CliIo): Promise<number> {
  const parsed = parseFlags("train", args, TRAIN_FLAGS);
  if (parsed.values.help) {
    io.stdout(TRAIN_HELP);
    return 0;
  }
  const { options, warnings } = resolveTrainFlags(parsed);
  const r = resolveTrain(options); // cannot fail any more: the flags were checked
  const requested = parsed.values.backend;
  const selection = await selectBackendFlag(requested, io);
  const { result, device } = selection === undefined || selection.backend.name === "cpu"
    ? trainOnCpu(r, io, requested, selection)
    : await trainOnDevice(options, r, io, requested, selection);
  const stop = stopReason(result, r.steps, device.precision);
  const config = resolvedConfig(parsed.values, result, device.name);
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
