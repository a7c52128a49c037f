/**
 * Per-prompt sufficient statistics: Sigma_hat = (1/L) sum x_i x_i^T,
 * mu_hat = (1/L) sum y_i x_i, the mean and mean square of the labels, plus the
 * query. Every closed-form predictor and the fast training path need only these
 * (O(N d^2) memory). With `context: Infinity` the statistics are the exact task
 * moments Sigma = I + m m^T, mu = m.
 *
 * @module
 */

import { requireLength } from "../validation/errors.ts";
import { symmetricEigen } from "../numeric/linalg.ts";
import { CounterStream, QUERY_TOKEN } from "../numeric/random.ts";
import { RESPONSE_LOADING } from "./reconstructed.ts";
import {
  type PromptBatch,
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

function allocateStatistics(tasks: TaskBatch, context: number): PromptStatistics {
  const n = tasks.prompts;
  const d = tasks.task.dim;
  return {
    ...tasks,
    context,
    sigmaHat: new Float64Array(n * d * d),
    muHat: new Float64Array(n * d),
    meanY: new Float64Array(n),
    meanY2: new Float64Array(n),
    query: new Float64Array(n * d),
    queryLabel: new Float64Array(n),
  };
}

/**
 * Samples prompts and reduces each to its sufficient statistics without storing
 * the context tokens. Gives exactly the prompts of `samplePromptBatch` for the
 * same options; `context: Infinity` gives exact task moments and a sampled query.
 *
 * @example
 * ```ts
 * import { samplePromptStatistics } from "./statistics.ts";
 * const stats = samplePromptStatistics({ prompts: 2, context: 100, seed: 7 });
 * stats.sigmaHat.length; // 2 * 4 * 4
 * ```
 */
export function samplePromptStatistics(options: SampleOptions): PromptStatistics {
  const sample = resolveSample(options, true);
  const tasks = sampleTaskBatch(sample);
  const stats = allocateStatistics(tasks, sample.context);
  const { task } = tasks;
  const d = task.dim;
  const L = sample.context;
  const generator = new CounterStream(sample.key);
  const normals = new Float64Array(d + 4);
  const x = new Float64Array(d);
  for (let n = 0; n < sample.prompts; n++) {
    const p = sample.promptOffset + n;
    const sig = n * d * d;
    if (L === Infinity) {
      for (let a = 0; a < d; a++) {
        const ma = tasks.spike[n * d + a];
        stats.muHat[n * d + a] = RESPONSE_LOADING * ma;
        for (let b = 0; b < d; b++) {
          stats.sigmaHat[sig + a * d + b] = (a === b ? 1 : 0) + ma * tasks.spike[n * d + b];
        }
      }
      stats.meanY[n] = 0;
      stats.meanY2[n] = RESPONSE_LOADING * RESPONSE_LOADING + task.sigma * task.sigma;
    } else {
      let sumY = 0, sumY2 = 0;
      for (let i = 0; i < L; i++) {
        const y = sampleToken(generator, p, i, tasks.spike, n * d, d, task.sigma, normals, x, 0);
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
    stats.queryLabel[n] = sampleToken(
      generator,
      p,
      QUERY_TOKEN,
      tasks.spike,
      n * d,
      d,
      task.sigma,
      normals,
      stats.query,
      n * d,
    );
  }
  return stats;
}

/**
 * Reduces a stored batch to its sufficient statistics.
 *
 * @example Token-level statistics equal the streamed ones
 * ```ts
 * import { samplePromptBatch } from "./task.ts";
 * import { samplePromptStatistics, statisticsFromBatch } from "./statistics.ts";
 * const options = { prompts: 3, context: 16, seed: 2 };
 * const fromTokens = statisticsFromBatch(samplePromptBatch(options));
 * console.log(fromTokens.sigmaHat.length); // 3 prompts x 4 x 4 = 48
 * ```
 */
export function statisticsFromBatch(batch: PromptBatch): PromptStatistics {
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
 * import { bayesTarget, samplePromptStatistics } from "./statistics.ts";
 * const stats = samplePromptStatistics({ prompts: 4, context: 32, seed: 3 });
 * console.log(bayesTarget(stats).length); // 4
 * ```
 */
export function bayesTarget(tasks: TaskBatch & { query: Float64Array }): Float64Array {
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
  for (let p = 0; p < n; p++) {
    const { values, vectors } = symmetricEigen(
      stats.sigmaHat.subarray(p * d * d, (p + 1) * d * d),
      d,
    );
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
