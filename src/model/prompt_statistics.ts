/**
 * Per-prompt sufficient statistics: Sigma_hat = (1/L) sum x_i x_i^T,
 * mu_hat = (1/L) sum y_i x_i, the mean and mean square of the labels, plus the
 * query. Every closed-form predictor and the fast training path need only these
 * (O(N d^2) memory). With `context: Infinity` the statistics are the exact task
 * moments Sigma = I + m m^T, mu = m.
 *
 * @module
 */

import {
  requireBatch,
  requireLength,
  requirePositiveInteger,
  requireTasks,
} from "../validation/errors.ts";
import { EigenWorkspace, symmetricEigenInto } from "../numeric/linalg.ts";
import { CounterStream, QUERY_TOKEN } from "../numeric/random.ts";
import { RESPONSE_LOADING } from "./reconstructed.ts";
import { sampleWishartStatistics } from "./wishart.ts";
import { allocateStatistics } from "./prompt_storage.ts";
import { regressionBayesTarget, sampleRegressionStatistics } from "./families/regression.ts";
import {
  type PromptBatch,
  type ResolvedSample,
  resolveSample,
  type SampleOptions,
  sampleTaskBatch,
  sampleToken,
  type TaskBatch,
} from "./task.ts";

/** Sufficient statistics of a batch of prompts. */
export interface PromptStatistics extends TaskBatch {
  /** Context length L (`Infinity` for exact task moments). */
  context: number;
  /** Sigma_hat per prompt, N x d x d row-major. */
  sigmaHat: Float64Array;
  /** mu_hat per prompt, N x d. */
  muHat: Float64Array;
  /** Mean context label per prompt, N. */
  meanY: Float64Array;
  /** Mean squared context label per prompt, N. */
  meanY2: Float64Array;
  /** Query covariates, N x d. */
  query: Float64Array;
  /** Query labels, N. */
  queryLabel: Float64Array;
}

/**
 * Samples prompts and reduces each to its sufficient statistics. With the `tokens`
 * sampler these are exactly the prompts of `samplePromptBatch` for the same options;
 * with `wishart` (the default `auto` when d + 2 <= L < Infinity) they are drawn exactly
 * from the same joint law without tokens (`wishart.ts`), with the same tasks and
 * queries. `context: Infinity` gives exact task moments and a sampled query.
 *
 * @example
 * ```ts
 * import { samplePromptStatistics } from "./prompt_statistics.ts";
 * const stats = samplePromptStatistics({ prompts: 2, context: 100, seed: 7 });
 * stats.sigmaHat.length; // 2 * 4 * 4
 * ```
 */
export function samplePromptStatistics(options: SampleOptions): PromptStatistics {
  const sample = resolveSample(options, true);
  if (sample.task.family === "regression") return sampleRegressionStatistics(sample);
  if (sample.sampler === "wishart") return sampleWishartStatistics(sample, [sample.context])[0];
  return sampleTokenStatistics(sample, [sample.context])[0];
}

/**
 * Statistics of the same prompts at several context lengths in one pass (nested:
 * the contexts of a shorter length are part of those of a longer one). With the
 * `tokens` sampler each result equals `samplePromptStatistics` at that length (prefix
 * snapshots of one token pass); with `wishart` each length adds an independent
 * increment to the previous one, so the joint law over lengths is that of nested
 * token prefixes. `options.context` is ignored; `auto` picks `wishart` when every
 * finite length is at least d + 2. An `Infinity` entry (last) gives exact moments.
 */
export function samplePromptStatisticsNested(
  options: Omit<SampleOptions, "context">,
  contexts: readonly number[],
): PromptStatistics[] {
  if (!Array.isArray(contexts) || contexts.length === 0) {
    throw new TypeError(`contexts must be a non-empty array, got ${String(contexts)}`);
  }
  const finite = contexts.filter((L) => L !== Infinity);
  const smallest = finite.length > 0 ? Math.min(...finite) : Infinity;
  const sample = resolveSample({ ...options, context: smallest } as SampleOptions, true);
  if (sample.task.family === "regression") {
    throw new RangeError(
      "family must be paper for nested context lengths, got regression (sample each length)",
    );
  }
  for (let i = 0; i < contexts.length; i++) {
    const L = contexts[i];
    if (L !== Infinity) requirePositiveInteger(`contexts[${i}]`, L);
    if (i > 0 && !(L > contexts[i - 1])) {
      throw new RangeError(
        `contexts must be strictly increasing, got ${contexts[i - 1]} then ${L} at index ${i}`,
      );
    }
  }
  const out: PromptStatistics[] = [];
  if (finite.length > 0) {
    out.push(
      ...(sample.sampler === "wishart"
        ? sampleWishartStatistics(sample, finite)
        : sampleTokenStatistics(sample, finite)),
    );
  }
  if (finite.length < contexts.length) {
    out.push(sampleTokenStatistics({ ...sample, context: Infinity }, [Infinity])[0]);
  }
  return out;
}

/** Exact task moments Sigma = I + m m^T, mu = l m, mean y = 0, mean y^2 = l^2 + sigma^2. */
function writeExactMoments(stats: PromptStatistics, n: number): void {
  const d = stats.task.dim;
  const sig = n * d * d;
  for (let a = 0; a < d; a++) {
    const ma = stats.spike[n * d + a];
    stats.muHat[n * d + a] = RESPONSE_LOADING * ma;
    for (let b = 0; b < d; b++) {
      stats.sigmaHat[sig + a * d + b] = (a === b ? 1 : 0) + ma * stats.spike[n * d + b];
    }
  }
  stats.meanY[n] = 0;
  stats.meanY2[n] = RESPONSE_LOADING * RESPONSE_LOADING + stats.task.sigma * stats.task.sigma;
}

/**
 * The token sampler: one pass over the tokens of each prompt, with a snapshot of the
 * running sums at each of the increasing lengths `contexts` (a single `Infinity`
 * gives exact moments). The Gram update takes two tokens per sweep of the lower
 * triangle (a rank-2 update: half the loads and stores of the accumulator).
 */
function sampleTokenStatistics(
  sample: ResolvedSample,
  contexts: readonly number[],
): PromptStatistics[] {
  const tasks = sampleTaskBatch(sample);
  const { task } = tasks;
  const d = task.dim;
  const out = contexts.map((L) => allocateStatistics(tasks, L));
  const generator = new CounterStream(sample.key);
  const normals = new Float64Array(d + 4);
  const x0 = new Float64Array(d);
  const x1 = new Float64Array(d);
  const gram = new Float64Array(d * d);
  const xy = new Float64Array(d);
  const last = contexts[contexts.length - 1];
  for (let n = 0; n < sample.prompts; n++) {
    const p = sample.promptOffset + n;
    const sig = n * d * d;
    if (last === Infinity) {
      writeExactMoments(out[0], n);
    } else {
      gram.fill(0);
      xy.fill(0);
      // Tokens are added in aligned pairs (2k, 2k + 1); at an odd snapshot length the
      // last token waits in x0 (its square is added to the snapshot only), so every
      // snapshot is bit-identical to a single-length pass of that length.
      let sumY = 0, sumY2 = 0, i = 0, pending = false, y0 = 0;
      for (let r = 0; r < contexts.length; r++) {
        const L = contexts[r];
        for (; i + 2 <= L; i += 2) {
          if (!pending) {
            y0 = sampleToken(generator, p, i, tasks.spike, n * d, d, task.sigma, normals, x0, 0);
          }
          pending = false;
          const y1 = sampleToken(
            generator,
            p,
            i + 1,
            tasks.spike,
            n * d,
            d,
            task.sigma,
            normals,
            x1,
            0,
          );
          sumY += y0;
          sumY += y1;
          sumY2 += y0 * y0;
          sumY2 += y1 * y1;
          for (let a = 0; a < d; a++) {
            const a0 = x0[a], a1 = x1[a];
            xy[a] += y0 * a0 + y1 * a1;
            const row = a * d;
            for (let b = 0; b <= a; b++) gram[row + b] += a0 * x0[b] + a1 * x1[b];
          }
        }
        const odd = i < L;
        if (odd && !pending) {
          y0 = sampleToken(generator, p, i, tasks.spike, n * d, d, task.sigma, normals, x0, 0);
          pending = true;
        }
        const stats = out[r];
        for (let a = 0; a < d; a++) {
          const a0 = odd ? x0[a] : 0;
          stats.muHat[n * d + a] = (xy[a] + y0 * a0) / L;
          for (let b = 0; b <= a; b++) {
            const v = (gram[a * d + b] + a0 * x0[b]) / L;
            stats.sigmaHat[sig + a * d + b] = v;
            stats.sigmaHat[sig + b * d + a] = v;
          }
        }
        stats.meanY[n] = (sumY + (odd ? y0 : 0)) / L;
        stats.meanY2[n] = (sumY2 + (odd ? y0 * y0 : 0)) / L;
      }
    }
    out[0].queryLabel[n] = sampleToken(
      generator,
      p,
      QUERY_TOKEN,
      tasks.spike,
      n * d,
      d,
      task.sigma,
      normals,
      out[0].query,
      n * d,
    );
  }
  for (let r = 1; r < out.length; r++) {
    out[r].query.set(out[0].query);
    out[r].queryLabel.set(out[0].queryLabel);
  }
  return out;
}

/**
 * Reduces a stored batch to its sufficient statistics.
 *
 * @example Token-level statistics equal the streamed ones
 * ```ts
 * import { samplePromptBatch } from "./task.ts";
 * import { samplePromptStatistics, statisticsFromBatch } from "./prompt_statistics.ts";
 * const options = { prompts: 3, context: 16, seed: 2 };
 * const fromTokens = statisticsFromBatch(samplePromptBatch(options));
 * console.log(fromTokens.sigmaHat.length); // 3 prompts x 4 x 4 = 48
 * ```
 */
export function statisticsFromBatch(batch: PromptBatch): PromptStatistics {
  requireBatch("batch", batch);
  const stats = allocateStatistics(batch, batch.context);
  const d = batch.task.dim;
  const L = batch.context;
  requireLength("batch.x", batch.x, batch.prompts * L * d);
  requireLength("batch.y", batch.y, batch.prompts * L);
  for (let n = 0; n < batch.prompts; n++) {
    const sig = n * d * d;
    let sumY = 0, sumY2 = 0;
    for (let i = 0; i < L; i++) {
      const xo = (n * L + i) * d;
      const y = batch.y[n * L + i];
      sumY += y;
      sumY2 += y * y;
      for (let a = 0; a < d; a++) {
        stats.muHat[n * d + a] += y * batch.x[xo + a] / L;
        for (let b = 0; b < d; b++) {
          stats.sigmaHat[sig + a * d + b] += batch.x[xo + a] * batch.x[xo + b] / L;
        }
      }
    }
    stats.meanY[n] = sumY / L;
    stats.meanY2[n] = sumY2 / L;
  }
  stats.query.set(batch.query);
  stats.queryLabel.set(batch.queryLabel);
  return stats;
}

/**
 * The Bayes prediction w^T x_q = m^T x_q / (1 + s) for each prompt (the task is known).
 *
 * @example The Bayes prediction w^T x_q of each prompt
 * ```ts
 * import { bayesTarget, samplePromptStatistics } from "./prompt_statistics.ts";
 * const stats = samplePromptStatistics({ prompts: 4, context: 32, seed: 3 });
 * console.log(bayesTarget(stats).length); // 4
 * ```
 */
export function bayesTarget(tasks: TaskBatch & { query: Float64Array }): Float64Array {
  requireTasks("stats", tasks);
  if (tasks.task.family === "regression") return regressionBayesTarget(tasks);
  const d = tasks.task.dim;
  const out = new Float64Array(tasks.prompts);
  for (let n = 0; n < tasks.prompts; n++) {
    let dot = 0;
    for (let j = 0; j < d; j++) dot += tasks.spike[n * d + j] * tasks.query[n * d + j];
    out[n] = RESPONSE_LOADING * dot / (1 + tasks.strength[n]);
  }
  return out;
}

/**
 * Each Sigma_hat diagonalised once: eigenvalues lambda_{n,j} and the products
 * (u_j^T x_q)(u_j^T mu_hat). Every spectral predictor (LCA, deep LSA, OLS) is
 * then `sum_j weight_{n,j} f(lambda_{n,j})`, so a training step costs O(N d T).
 */
export interface SpectralStatistics {
  /** Number of prompts N. */
  prompts: number;
  /** Covariate dimension d. */
  dim: number;
  /** Eigenvalues of Sigma_hat, N x d. */
  lambda: Float64Array;
  /** (u_j^T x_q)(u_j^T mu_hat), N x d. */
  weight: Float64Array;
}

/** Diagonalises every Sigma_hat of a batch (O(N d^3), done once). */
export function spectralStatistics(stats: PromptStatistics): SpectralStatistics {
  const n = stats.prompts;
  const d = stats.task.dim;
  const lambda = new Float64Array(n * d);
  const weight = new Float64Array(n * d);
  const workspace = new EigenWorkspace(d);
  const { values, vectors } = workspace;
  for (let p = 0; p < n; p++) {
    symmetricEigenInto(stats.sigmaHat, p * d * d, workspace);
    for (let j = 0; j < d; j++) {
      let xq = 0, mu = 0;
      for (let r = 0; r < d; r++) {
        xq += vectors[r * d + j] * stats.query[p * d + r];
        mu += vectors[r * d + j] * stats.muHat[p * d + r];
      }
      lambda[p * d + j] = values[j];
      weight[p * d + j] = xq * mu;
    }
  }
  return { prompts: n, dim: d, lambda, weight };
}
