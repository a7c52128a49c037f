/**
 * Fitting softmax cross-attention (`model/softmax_models.ts`: sca, sca-centred with alpha,
 * beta, tau shared by the layers; sca-layerwise with alpha_t, beta_t, tau_t per layer) by
 * gradient descent on the empirical loss l_{N,L_tr} of the training prompts' tokens, with the
 * exact gradient of `model/softmax_loss.ts`. These models attend over the tokens, so they
 * cannot be trained on exact task statistics (`train_options.ts` refuses an infinite context).
 *
 * Initial values: (alpha, beta) the tied two-parameter LCA optimum on the same training
 * prompts and targets (lca2 fitted on their statistics by `fit_lca.ts`), which is the softmax
 * models' small-tau limit up to the centring x_bar x_bar^T (O(1/L)); tau = 1/sqrt(d), the
 * scaled dot-product convention, which keeps the scores tau x_i^T q_t of order |q_t| whatever
 * d (the covariates have unit-variance coordinates off the spike). sca-layerwise starts from
 * the same values in every layer. Any of them can be given (`alphaInit`, `betaInit`,
 * `tauInit`; `alphasInit`, `betasInit`, `tausInit`).
 *
 * @module
 */

import { samplePromptBatch } from "../model/task.ts";
import type { PromptBatch } from "../model/model_types.ts";
import type { PromptStatistics } from "../model/prompt_statistics.ts";
import { softmaxLoss, tiedSoftmaxGradient } from "../model/softmax_loss.ts";
import { type SoftmaxModel, tiedSoftmax } from "../model/softmax_models.ts";
import { fitLca } from "./fit_lca.ts";
import { gradientDescent, type Objective } from "./optimizer.ts";
import { descentOptions, type ResolvedTrain, trainingSample } from "./train_options.ts";
import type { Fit, SoftmaxArrays } from "./trained_parameters.ts";

/**
 * The default initial temperature: 1/sqrt(d).
 *
 * @example d = 4
 * ```ts
 * import assert from "node:assert/strict";
 * import { defaultTauInit } from "./fit_softmax.ts";
 * assert.equal(defaultTauInit(4), 0.5);
 * ```
 */
export function defaultTauInit(dim: number): number {
  return 1 / Math.sqrt(dim);
}

/** (alpha, beta) of the tied LCA optimum on the training statistics, unless both are given. */
function lcaStart(
  r: ResolvedTrain,
  stats: PromptStatistics,
  targets: Float64Array,
): { alpha: number; beta: number } {
  const o = r.options;
  if (o.alphaInit !== undefined && o.betaInit !== undefined) {
    return { alpha: o.alphaInit, beta: o.betaInit };
  }
  const options = { ...o, model: "lca2" as const, onProgress: undefined, alphaInit: undefined };
  const lca = fitLca("lca2", { ...r, model: "lca2", options }, stats, targets).parameters;
  if (lca.model !== "lca2") throw new TypeError(`expected lca2, got ${lca.model}`);
  return { alpha: o.alphaInit ?? lca.lca.alpha, beta: o.betaInit ?? lca.lca.beta };
}

/**
 * The initial parameter vector: (alpha, beta, tau) for sca and sca-centred, (alpha_1..T,
 * beta_1..T, tau_1..T) for sca-layerwise (see the module docs for the defaults).
 *
 * @example sca starts at the tied LCA optimum and tau = 1/sqrt(d)
 * ```ts
 * import assert from "node:assert/strict";
 * import { softmaxInitial } from "./fit_softmax.ts";
 * import { resolveTrain, trainingSample } from "./train_options.ts";
 * import { bayesTarget, samplePromptStatistics } from "../model/prompt_statistics.ts";
 * const r = resolveTrain({ model: "sca", prompts: 100, context: 20, depth: 3, betaInit: -0.2 });
 * const stats = samplePromptStatistics(trainingSample(r));
 * const theta = softmaxInitial(r, stats, bayesTarget(stats));
 * assert.equal(theta.length, 3);
 * assert.equal(theta[1], -0.2);
 * assert.equal(theta[2], 0.5);
 * ```
 */
export function softmaxInitial(
  r: ResolvedTrain,
  stats: PromptStatistics,
  targets: Float64Array,
): Float64Array {
  const o = r.options;
  const layerwise = r.model === "sca-layerwise";
  const given = layerwise
    ? o.alphasInit !== undefined && o.betasInit !== undefined
    : o.alphaInit !== undefined && o.betaInit !== undefined;
  const start = given ? { alpha: NaN, beta: NaN } : lcaStart(r, stats, targets);
  const tau = o.tauInit ?? defaultTauInit(r.task.dim);
  if (!layerwise) return Float64Array.of(o.alphaInit ?? start.alpha, o.betaInit ?? start.beta, tau);
  const fill = (v: number) => new Array<number>(r.depth).fill(v);
  return Float64Array.from([
    ...(o.alphasInit ?? fill(start.alpha)),
    ...(o.betasInit ?? fill(start.beta)),
    ...(o.tausInit ?? fill(tau)),
  ]);
}

/** The parameter vector theta as per-layer softmax parameters. */
export function softmaxOf(
  model: SoftmaxModel,
  theta: ArrayLike<number>,
  depth: number,
): SoftmaxArrays {
  const centred = model === "sca-centred";
  if (model !== "sca-layerwise") return tiedSoftmax(theta[0], theta[1], theta[2], depth, centred);
  const v = Array.from(theta);
  return {
    alphas: v.slice(0, depth),
    betas: v.slice(depth, 2 * depth),
    taus: v.slice(2 * depth, 3 * depth),
    centred,
  };
}

/**
 * The empirical loss as a gradient-descent objective in theta; a temperature <= 0 (outside
 * the model) has an infinite loss, so that backtracking steps back from it.
 */
function softmaxObjective(
  model: SoftmaxModel,
  batch: PromptBatch,
  targets: Float64Array,
  depth: number,
): Objective {
  const taus = model === "sca-layerwise" ? [2 * depth, 3 * depth] : [2, 3];
  return (theta) => {
    if (!theta.subarray(taus[0], taus[1]).every((tau) => tau > 0)) {
      return { loss: Infinity, gradient: new Float64Array(theta.length) };
    }
    const r = softmaxLoss(batch, targets, softmaxOf(model, theta, depth));
    if (model !== "sca-layerwise") return { loss: r.loss, gradient: tiedSoftmaxGradient(r) };
    return { loss: r.loss, gradient: Float64Array.from([...r.alphas, ...r.betas, ...r.taus]) };
  };
}

/** The batch must hold the prompts `stats` summarises (the run's training prompts). */
function requireSamePrompts(batch: PromptBatch, stats: PromptStatistics, targets: Float64Array) {
  const same = batch.prompts === stats.prompts && batch.context === stats.context &&
    targets.length === batch.prompts &&
    batch.query.every((v, i) => Math.abs(v - stats.query[i]) <= 1e-12 * (1 + Math.abs(v)));
  if (!same) {
    throw new RangeError(
      `stats must summarise the run's training prompts (trainingSample(r): ${batch.prompts} ` +
        `prompts of ${batch.context} tokens), whose tokens the softmax models are fitted on; got ` +
        `${stats.prompts} prompts of context ${stats.context} with other queries or targets`,
    );
  }
}

/**
 * Fits sca, sca-centred or sca-layerwise (`model`) by gradient descent on the empirical loss
 * of the training prompts' tokens (`batch`; by default sampled again from the run's training
 * stream, the prompts `stats` summarise) from {@linkcode softmaxInitial}.
 *
 * @example sca-centred at depth 2
 * ```ts
 * import assert from "node:assert/strict";
 * import { fitSoftmax } from "./fit_softmax.ts";
 * import { resolveTrain, trainingSample } from "./train_options.ts";
 * import { bayesTarget, samplePromptStatistics } from "../model/prompt_statistics.ts";
 * const r = resolveTrain({ model: "sca-centred", prompts: 50, context: 16, depth: 2, steps: 30 });
 * const stats = samplePromptStatistics(trainingSample(r));
 * const fit = fitSoftmax("sca-centred", r, stats, bayesTarget(stats));
 * assert.ok(fit.parameters.model === "sca-centred" && fit.parameters.softmax.centred);
 * assert.ok(fit.run.loss < fit.run.trajectory[0].loss);
 * ```
 */
export function fitSoftmax(
  model: SoftmaxModel,
  r: ResolvedTrain,
  stats: PromptStatistics,
  targets: Float64Array,
  batch: PromptBatch = samplePromptBatch(trainingSample(r)),
): Fit {
  requireSamePrompts(batch, stats, targets);
  const run = gradientDescent(
    softmaxObjective(model, batch, targets, r.depth),
    softmaxInitial(r, stats, targets),
    descentOptions(r),
  );
  return { run, parameters: { model, softmax: softmaxOf(model, run.parameters, r.depth) } };
}
