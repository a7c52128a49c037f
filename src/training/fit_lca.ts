/**
 * Fitting LCA's one (lca1: W_S = -W_V = alpha) or two (lca2: alpha, beta) parameters on
 * sufficient statistics: gradient descent on the empirical loss from the initial values of
 * `lca_objective.ts`, or, for lca1 with `batchSize`, minibatch SGD (`sgd.ts`).
 *
 * @module
 */

import { requirePositiveInteger } from "../validation/errors.ts";
import { type PromptStatistics, spectralStatistics } from "../model/prompt_statistics.ts";
import { gradientDescent } from "./optimizer.ts";
import { lcaOnePromptGradient, sgd } from "./sgd.ts";
import { descentOptions, type ResolvedTrain } from "./train_options.ts";
import type { Fit } from "./trained_parameters.ts";
import { lcaInitial, lcaObjective } from "./lca_objective.ts";

/**
 * Fits lca1 or lca2 (`model`) by gradient descent on the empirical loss from
 * {@linkcode lcaInitial}; lca1 with `batchSize` by minibatch SGD instead (lca2 ignores it).
 *
 * @example lca2 on 300 prompts
 * ```ts
 * import assert from "node:assert/strict";
 * import { fitLca } from "./fit_lca.ts";
 * import { resolveTrain, trainingSample } from "./train_options.ts";
 * import { samplePromptStatistics } from "../model/prompt_statistics.ts";
 * const r = resolveTrain({ model: "lca2", prompts: 300, depth: 3 });
 * const stats = samplePromptStatistics(trainingSample(r));
 * const fit = fitLca("lca2", r, stats, Float64Array.from(stats.queryLabel));
 * assert.ok(fit.parameters.model === "lca2" && fit.parameters.lca.depth === 3);
 * ```
 */
export function fitLca(
  model: "lca1" | "lca2",
  r: ResolvedTrain,
  stats: PromptStatistics,
  targets: Float64Array,
): Fit {
  const { depth } = r;
  if (model === "lca1" && r.options.batchSize !== undefined) {
    return sgdFit(r, stats, targets);
  }
  const spectral = spectralStatistics(stats);
  const one = model === "lca1";
  const run = gradientDescent(
    lcaObjective(spectral, targets, depth, one),
    lcaInitial(r, spectral, targets),
    descentOptions(r),
  );
  const alpha = run.parameters[0];
  return {
    run,
    parameters: { model, lca: { alpha, beta: one ? -alpha : run.parameters[1], depth } },
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
