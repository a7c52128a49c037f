/**
 * Training and test-risk evaluation on a compute backend (`cpu` float64 or
 * `webgpu` float32, see `backend.ts`).
 *
 * On WebGPU: the training and test prompts are sampled in kernels (same counter
 * stream as the CPU), LCA training steps (loss and exact gradient) run in a
 * kernel on statistics kept on the device, and test predictions come from the
 * token-level forward passes with covariates regenerated in the kernels. Deep
 * LSA, LSA and the schedule models (lca-schedule, lca2-schedule) are fitted on
 * the host in float64 on the GPU-sampled statistics (the backend has no training
 * kernel for them), and the result says so in `placement`; the schedule models'
 * test predictions are the backend's token-level `scheduleForward`. The softmax models
 * (sca, sca-centred, sca-layerwise) attend over the tokens: their prompts are sampled, fitted
 * and predicted on the CPU in float64 whatever the backend, and `placement` says so.
 *
 * @module
 */

import type { Backend } from "../backends/backend.ts";
import { describeValue } from "../validation/errors.ts";
import { gradientDescentAsync } from "./optimizer.ts";
import {
  type PromptStatistics,
  samplePromptStatistics,
  spectralStatistics,
} from "../model/prompt_statistics.ts";
import { isSoftmaxModel } from "../model/softmax_models.ts";
import type { SampleOptions } from "../model/task.ts";
import {
  descentOptions,
  MODELS,
  type ResolvedTrain,
  resolveTrain,
  testSample,
  trainingSample,
  type TrainOptions,
} from "./train_options.ts";
import {
  type Fit,
  predictFitted,
  predictFittedOnSample,
  type TrainedParameters,
} from "./trained_parameters.ts";
import { lcaInitial } from "./lca_objective.ts";
import { fitOnStatistics } from "./fit_on_statistics.ts";
import { summarizeTraining, type TrainResult } from "./summarize_training.ts";
import { trainingTargets } from "./training.ts";

/** Where each phase of a training run ran. */
export interface Placement {
  /** Where the training and test prompts were sampled, e.g. "webgpu (float32)". */
  sampling: string;
  /** Where the loss and gradient of each descent step were computed. */
  trainingStep: string;
  /** Where the test predictions were computed (token level or closed form). */
  testForward: string;
}

/** A training result with the backend that produced it. */
export interface BackendTrainResult extends TrainResult {
  /** The backend's name, adapter and precision. */
  backend: { name: string; adapter: string; precision: string };
  /** Where each phase ran. */
  placement: Placement;
}

/**
 * Trains on a backend and evaluates on fresh test prompts there.
 *
 * @example Train on the CPU backend (pass a WebGPU backend to train in kernels)
 * ```ts
 * import assert from "node:assert/strict";
 * import { createBackend } from "../backends/create_backend.ts";
 * import { trainOnBackend } from "./training_backend.ts";
 * const backend = await createBackend("cpu");
 * const result = await trainOnBackend({ model: "lca1", prompts: 200, context: 50 }, backend);
 * assert.equal(result.parameters.model, "lca1");
 * assert.equal(result.placement.trainingStep, "cpu (float64)");
 * backend.dispose();
 * ```
 */
export async function trainOnBackend(
  options: TrainOptions,
  backend: Backend,
): Promise<BackendTrainResult> {
  if (backend === null || typeof backend !== "object" || typeof backend.statistics !== "function") {
    throw new TypeError(
      `backend must be a Backend (see createBackend), got ${describeValue(backend)}`,
    );
  }
  const r = resolveTrain(options);
  if (isSoftmaxModel(r.model)) return softmaxOnCpu(r, backend);
  const device = `${backend.name} (${backend.precision})`;
  const stats = await backend.statistics(trainingSample(r));
  const targets = trainingTargets(stats, r.target);
  let fit: Fit;
  let trainingStep: string;
  if (r.model === "lca1" || r.model === "lca2") {
    fit = await fitLcaOnBackend(r, r.model, backend, stats, targets);
    trainingStep = device;
  } else {
    fit = fitOnStatistics(r, stats, targets);
    trainingStep = "cpu (float64) on the backend's statistics";
  }
  const sample = testSample(r);
  const test = await backend.statistics(sample);
  const { predictions, testForward } = await predictOnBackend(
    r,
    backend,
    fit.parameters,
    test,
    sample,
    device,
  );
  return {
    ...summarizeTraining(r, fit, test, predictions),
    backend: { name: backend.name, adapter: backend.adapter, precision: backend.precision },
    placement: { sampling: device, trainingStep, testForward },
  };
}

/** A softmax model, trained and evaluated on the CPU in float64 on the tokens. */
function softmaxOnCpu(r: ResolvedTrain, backend: Backend): BackendTrainResult {
  const stats = samplePromptStatistics(trainingSample(r));
  const fit = fitOnStatistics(r, stats, trainingTargets(stats, r.target));
  const sample = testSample(r);
  const test = samplePromptStatistics(sample);
  const predictions = predictFittedOnSample(fit.parameters, test, sample);
  const cpu = "cpu (float64), token level (no softmax kernels on this path)";
  return {
    ...summarizeTraining(r, fit, test, predictions),
    backend: { name: backend.name, adapter: backend.adapter, precision: backend.precision },
    placement: { sampling: "cpu (float64), tokens", trainingStep: cpu, testForward: cpu },
  };
}

/**
 * lca1 or lca2 trained on the backend: each descent step's loss and exact gradient come from
 * the backend's LCA trainer on statistics kept there, with float32's stopping rules on a
 * float32 backend.
 */
async function fitLcaOnBackend(
  r: ResolvedTrain,
  model: "lca1" | "lca2",
  backend: Backend,
  stats: PromptStatistics,
  targets: Float64Array,
): Promise<Fit> {
  const one = model === "lca1";
  const initial = lcaInitial(r, spectralStatistics(stats), targets);
  const trainer = await backend.lcaTrainer(stats, targets);
  try {
    const run = await gradientDescentAsync(
      async (theta) => {
        const alpha = theta[0];
        const loss = await trainer.lossAndGradient({
          alpha,
          beta: one ? -alpha : theta[1],
          depth: r.depth,
        });
        return {
          loss: loss.loss,
          gradient: one
            ? new Float64Array([loss.alpha - loss.beta])
            : new Float64Array([loss.alpha, loss.beta]),
        };
      },
      initial,
      {
        ...descentOptions(r),
        // In float32 the gradient never falls below its rounding noise (~1e-8): stop once
        // |g| |theta| <= 64 u_32 loss, where no step can change the loss measurably.
        relativeTolerance: backend.precision === "float32" ? 64 * 2 ** -24 : 0,
        // Stagnation at the float32 rounding floor is reported as such.
        lossPrecision: backend.precision,
      },
    );
    const alpha = run.parameters[0];
    return {
      run,
      parameters: {
        model,
        lca: { alpha, beta: one ? -alpha : run.parameters[1], depth: r.depth },
      },
    };
  } finally {
    trainer.dispose();
  }
}

/**
 * The fitted model's predictions on the test prompts and where they were computed: closed
 * form on exact statistics (L_te = Infinity), else the backend's token-level forward passes
 * (the untied LCA: closed form on the backend's statistics).
 */
async function predictOnBackend(
  r: ResolvedTrain,
  backend: Backend,
  p: TrainedParameters,
  test: PromptStatistics,
  sample: SampleOptions,
  device: string,
): Promise<{ predictions: Float64Array; testForward: string }> {
  let predictions: Float64Array;
  let testForward = `${device}, token level`;
  if (r.testContext === Infinity) {
    predictions = predictFitted(p, test);
    testForward = "cpu (float64), closed form on exact statistics";
  } else if (p.model === "lca1" || p.model === "lca2") {
    predictions = await backend.lcaForward(sample, p.lca);
  } else if (p.model === "deep-lsa") {
    predictions = await backend.deepLsaForward(sample, p.deepLsa);
    if (backend.name === "webgpu") testForward = "webgpu statistics, cpu (float64) layer recursion";
  } else if (p.model === "lca-full" || p.model === "lca-full-layerwise") {
    predictions = predictFitted(p, test);
    testForward = `${device} statistics, cpu (float64) closed form`;
  } else if (p.model === "lca-schedule" || p.model === "lca2-schedule") {
    predictions = await backend.scheduleForward(sample, p.schedule);
  } else if (p.model === "lsa") {
    predictions = await backend.lsaForward(sample, {
      p: Float64Array.from(p.full.p),
      k: Float64Array.from(p.full.k),
    });
  } else {
    throw new TypeError(
      `model must be one of ${MODELS.join(", ")}, got ${JSON.stringify(r.model)}`,
    );
  }
  return { predictions, testForward };
}
