/**
 * The `regression` task family: the unimodal in-context linear regression of the
 * prior work (Garg et al. 2022; von Oswald et al. 2023; Ahn et al. 2023; Zhang, Frei
 * and Bartlett 2024), sampled into the same `TaskBatch` / `PromptBatch` /
 * `PromptStatistics` types as the paper's family so that every predictor, loss,
 * training and risk function runs on it unchanged.
 *
 * Per prompt p (counter stream of `random.ts`):
 * 1. w = the d Gaussians of (p, 0, StreamTag.direction): w ~ N(0, I_d);
 * 2. per token (context i = 0..L-1, query = QUERY_TOKEN), the d + 1 Gaussians g of
 *    (p, token, StreamTag.token) give x_j = sqrt(Lambda_j) g_j and y = w^T x + sigma g_d.
 * Lambda is a fixed diagonal covariance (`covariance: [4, 2, 1, 0.5]` or `"identity"`).
 *
 * Statistics without tokens (the `wishart` sampler, default for d + 2 <= L < Infinity, as for
 * the paper's family in `wishart.ts`): with z = (g, eps) ~ N(0, I_{d+1}) per token,
 * x = s o g (s = sqrt(Lambda), o entrywise) and y = w~^T g + sigma eps with w~ = s o w, so
 * every sufficient statistic is linear in W = sum_i z_i z_i^T and S = sum_i z_i:
 *   L Sigma_hat = diag(s) W_gg diag(s),
 *   L mu_hat   = s o (W_gg w~ + sigma W_{g,eps}),
 *   L mean y^2 = w~^T W_gg w~ + 2 sigma w~^T W_{g,eps} + sigma^2 W_{eps,eps},
 *   L mean y   = w~^T S_g + sigma S_eps,
 * and (W, S) is drawn in O(d^3) per prompt by `addWishartIncrement` (Bartlett). Tasks and
 * queries are those of the token sampler.
 *
 * In the batch types, `spike` holds w (N x d) and `strength` holds |w|^2; the Bayes
 * predictor is w^T x_q (`regressionBayesTarget`) with risk sigma^2.
 *
 * @module
 */

import { requireLength, requirePositive } from "../../validation/errors.ts";
import { CounterStream, QUERY_TOKEN, StreamTag } from "../../numeric/random.ts";
import { addWishartIncrement } from "../../numeric/wishart_increment.ts";
import type {
  PromptBatch,
  PromptStatistics,
  ResolvedSample,
  TaskBatch,
  TaskConfig,
} from "../model_types.ts";
import { allocateStatistics, storePromptBatch } from "../prompt_storage.ts";
import type { TaskFamilyDefinition } from "./task_family.ts";

/**
 * Parses a covariance option: `"identity"`, a comma-separated list of positive
 * numbers (`"4,2,1,0.5"`), or an array of positive numbers. `identity` has
 * dimension `identityDim`.
 */
export function parseCovariance(value: unknown, identityDim: number): Float64Array {
  if (value === undefined || value === "identity") {
    return new Float64Array(identityDim).fill(1);
  }
  const list = typeof value === "string"
    ? value.split(",").map((v) => v.trim() === "" ? NaN : Number(v))
    : Array.isArray(value) || ArrayBuffer.isView(value)
    ? Array.from(value as ArrayLike<number>)
    : undefined;
  if (list === undefined || list.length === 0) {
    throw new TypeError(
      `covariance must be "identity" or a comma-separated list of positive numbers, got ${
        JSON.stringify(value)
      }`,
    );
  }
  list.forEach((v, j) => requirePositive(`covariance[${j}]`, v));
  return Float64Array.from(list);
}

/**
 * Completes a validated task with the regression fields: the dimension is the
 * covariance's length (d1 = d, d2 = 0; `identity` keeps d1 + d2).
 */
export function resolveRegressionTask(config: TaskConfig, covariance: unknown): TaskConfig {
  const diagonal = parseCovariance(covariance, config.dim);
  return {
    ...config,
    d1: diagonal.length,
    d2: 0,
    dim: diagonal.length,
    family: "regression",
    covariance: diagonal,
  };
}

/** The diagonal Lambda of a regression config. */
export function regressionCovariance(task: TaskConfig): Float64Array {
  if (REGRESSION_FAMILY.name !== task.family || task.covariance === undefined) {
    throw new TypeError(`task must be of family "regression", got ${task.family ?? "paper"}`);
  }
  return task.covariance;
}

/** Samples w ~ N(0, I_d) per prompt (stored in `spike`; `strength` = |w|^2). */
export function sampleRegressionTasks(sample: ResolvedSample): TaskBatch {
  const { task, prompts, key, promptOffset } = sample;
  const d = task.dim;
  const generator = new CounterStream(key);
  const strength = new Float64Array(prompts);
  const spike = new Float64Array(prompts * d);
  for (let n = 0; n < prompts; n++) {
    generator.normals(promptOffset + n, 0, StreamTag.direction, d, spike, n * d);
    let norm2 = 0;
    for (let j = 0; j < d; j++) norm2 += spike[n * d + j] ** 2;
    strength[n] = norm2;
  }
  return { task, prompts, strength, spike };
}

/**
 * Writes token `token` of prompt `prompt`: x = sqrt(Lambda) g into `x[xOffset..]`,
 * returns y = w^T x + sigma eps. `normals` is scratch of length >= d + 1.
 */
export function sampleRegressionToken(
  generator: CounterStream,
  prompt: number,
  token: number,
  w: Float64Array,
  wOffset: number,
  scale: Float64Array,
  sigma: number,
  normals: Float64Array,
  x: Float64Array,
  xOffset: number,
): number {
  const d = scale.length;
  generator.normals(prompt, token, StreamTag.token, d + 1, normals);
  let y = 0;
  for (let j = 0; j < d; j++) {
    const v = scale[j] * normals[j];
    x[xOffset + j] = v;
    y += w[wOffset + j] * v;
  }
  return y + sigma * normals[d];
}

function scales(task: TaskConfig): Float64Array {
  return regressionCovariance(task).map(Math.sqrt);
}

/** Samples a regression batch storing every token (see `samplePromptBatch`). */
export function sampleRegressionPromptBatch(sample: ResolvedSample): PromptBatch {
  const tasks = sampleRegressionTasks(sample);
  const d = tasks.task.dim;
  const scale = scales(tasks.task);
  const sigma = tasks.task.sigma;
  return storePromptBatch(
    sample,
    tasks,
    (generator, p, n, token, normals, x, xOffset) =>
      sampleRegressionToken(
        generator,
        p,
        token,
        tasks.spike,
        n * d,
        scale,
        sigma,
        normals,
        x,
        xOffset,
      ),
  );
}

/**
 * Samples regression prompts reduced to sufficient statistics (the same prompts as
 * {@linkcode sampleRegressionPromptBatch}); `context: Infinity` gives the exact
 * task moments Sigma = Lambda, mu = Lambda w, mean y^2 = w^T Lambda w + sigma^2.
 */
export function sampleRegressionStatistics(sample: ResolvedSample): PromptStatistics {
  if (sample.sampler === "wishart" && sample.context !== Infinity) {
    return sampleRegressionWishart(sample);
  }
  const tasks = sampleRegressionTasks(sample);
  const { prompts, context: L, key, promptOffset } = sample;
  const d = tasks.task.dim;
  const lambda = regressionCovariance(tasks.task);
  const scale = scales(tasks.task);
  const sigma = tasks.task.sigma;
  const stats = allocateStatistics(tasks, L);
  const generator = new CounterStream(key);
  const normals = new Float64Array(d + 4);
  const x = new Float64Array(d);
  for (let n = 0; n < prompts; n++) {
    const p = promptOffset + n;
    const sig = n * d * d;
    if (L === Infinity) {
      let quad = 0;
      for (let a = 0; a < d; a++) {
        const wa = tasks.spike[n * d + a];
        stats.sigmaHat[sig + a * d + a] = lambda[a];
        stats.muHat[n * d + a] = lambda[a] * wa;
        quad += lambda[a] * wa * wa;
      }
      stats.meanY2[n] = quad + sigma * sigma;
    } else {
      let sumY = 0, sumY2 = 0;
      for (let i = 0; i < L; i++) {
        const y = sampleRegressionToken(
          generator,
          p,
          i,
          tasks.spike,
          n * d,
          scale,
          sigma,
          normals,
          x,
          0,
        );
        sumY += y;
        sumY2 += y * y;
        for (let a = 0; a < d; a++) {
          stats.muHat[n * d + a] += y * x[a];
          for (let b = 0; b <= a; b++) stats.sigmaHat[sig + a * d + b] += x[a] * x[b];
        }
      }
      for (let a = 0; a < d; a++) {
        stats.muHat[n * d + a] /= L;
        for (let b = 0; b <= a; b++) {
          const v = stats.sigmaHat[sig + a * d + b] / L;
          stats.sigmaHat[sig + a * d + b] = v;
          stats.sigmaHat[sig + b * d + a] = v;
        }
      }
      stats.meanY[n] = sumY / L;
      stats.meanY2[n] = sumY2 / L;
    }
    stats.queryLabel[n] = sampleRegressionToken(
      generator,
      p,
      QUERY_TOKEN,
      tasks.spike,
      n * d,
      scale,
      sigma,
      normals,
      stats.query,
      n * d,
    );
  }
  return stats;
}

/** The Bayes prediction w^T x_q of each regression prompt (w is known in simulation). */
export function regressionBayesTarget(tasks: TaskBatch & { query: Float64Array }): Float64Array {
  const d = tasks.task.dim;
  requireLength("query", tasks.query, tasks.prompts * d);
  const out = new Float64Array(tasks.prompts);
  for (let n = 0; n < tasks.prompts; n++) {
    let dot = 0;
    for (let j = 0; j < d; j++) dot += tasks.spike[n * d + j] * tasks.query[n * d + j];
    out[n] = dot;
  }
  return out;
}

/**
 * Writes the statistics of regression prompt `n` for context length `L` from (W, S) (lower
 * triangle of `w`, p x p with p = d + 1, order (g_1..g_d, eps)) and the prompt's w: the
 * linear map of the module documentation.
 */
export function writeRegressionWishartStatistics(
  stats: PromptStatistics,
  n: number,
  L: number,
  w: Float64Array,
  sum: Float64Array,
  scale: Float64Array,
): void {
  const d = scale.length, p = d + 1;
  const sigma = stats.task.sigma;
  const sig = n * d * d, mo = n * d;
  const at = (a: number, b: number) => (a >= b ? w[a * p + b] : w[b * p + a]);
  let quadratic = 0, cross = 0, mean = 0;
  for (let a = 0; a < d; a++) {
    const wa = scale[a] * stats.spike[mo + a];
    let row = 0;
    for (let b = 0; b < d; b++) {
      const g = at(a, b);
      row += g * scale[b] * stats.spike[mo + b];
      stats.sigmaHat[sig + a * d + b] = scale[a] * scale[b] * g / L;
    }
    const noise = w[d * p + a];
    stats.muHat[mo + a] = scale[a] * (row + sigma * noise) / L;
    quadratic += wa * row;
    cross += wa * noise;
    mean += wa * sum[a];
  }
  stats.meanY2[n] = (quadratic + 2 * sigma * cross + sigma * sigma * w[d * p + d]) / L;
  stats.meanY[n] = (mean + sigma * sum[d]) / L;
}

/** Regression statistics from one Wishart draw per prompt (see the module documentation). */
function sampleRegressionWishart(sample: ResolvedSample): PromptStatistics {
  const tasks = sampleRegressionTasks(sample);
  const { prompts, context: L, key, promptOffset } = sample;
  const d = tasks.task.dim, p = d + 1;
  const scale = scales(tasks.task);
  const stats = allocateStatistics(tasks, L);
  const generator = new CounterStream(key);
  const w = new Float64Array(p * p), sum = new Float64Array(p);
  const normals = new Float64Array(p + Math.max((p * (p - 1)) / 2, Math.min(L, p) * p));
  const factor = new Float64Array((p + 1) * (p + 1));
  const tokenNormals = new Float64Array(d + 4);
  for (let n = 0; n < prompts; n++) {
    const prompt = promptOffset + n;
    w.fill(0);
    sum.fill(0);
    addWishartIncrement(generator, prompt, 0, L, p, w, sum, normals, factor);
    writeRegressionWishartStatistics(stats, n, L, w, sum, scale);
    stats.queryLabel[n] = sampleRegressionToken(
      generator,
      prompt,
      QUERY_TOKEN,
      tasks.spike,
      n * d,
      scale,
      tasks.task.sigma,
      tokenNormals,
      stats.query,
      n * d,
    );
  }
  return stats;
}

/**
 * The `regression` family's definition (see the module documentation): it takes a
 * covariance, has closed-form population quantities at finite L (`theory/regression_lsa.ts`)
 * and Bayes risk sigma^2, and is sampled on the host only.
 */
export const REGRESSION_FAMILY: TaskFamilyDefinition = {
  name: "regression",
  acceptsCovariance: true,
  webGpuSampling: false,
  finiteContextPopulation: true,
  resolve: resolveRegressionTask,
  taskOptions: (covariance) => ({
    family: "regression",
    ...(covariance === undefined ? {} : { covariance }),
  }),
  sampleTasks: sampleRegressionTasks,
  samplePromptBatch: sampleRegressionPromptBatch,
  sampleStatistics: sampleRegressionStatistics,
  bayesTarget: regressionBayesTarget,
  closedFormBayesRisk: (task) => task.sigma * task.sigma,
};
