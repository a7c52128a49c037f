/**
 * The excess risk of a predictor that is linear in the query, y_hat = g^T x_q, over the
 * paper's Bayes predictor w^T x_q (w = m / (1 + s)): the weights g are read off by
 * predicting at the unit queries e_j, and the excess (g - w)^T Sigma (g - w) is
 * integrated against the task covariance exactly, without sampling queries.
 *
 * @module
 */

import type { PromptStatistics } from "./model_types.ts";

/**
 * The weights g of a predictor linear in x_q, per prompt (N x d, row-major): g_j is the
 * prediction with the query replaced by e_j.
 */
function queryWeights(
  stats: PromptStatistics,
  predict: (stats: PromptStatistics) => Float64Array,
): Float64Array {
  const d = stats.task.dim;
  const N = stats.prompts;
  const g = new Float64Array(N * d);
  for (let j = 0; j < d; j++) {
    const query = new Float64Array(N * d);
    for (let n = 0; n < N; n++) query[n * d + j] = 1;
    const column = predict({ ...stats, query });
    for (let n = 0; n < N; n++) g[n * d + j] = column[n];
  }
  return g;
}

/**
 * Per prompt, `quadratic(n, v)` of the gap v = g - w between the weights g of a
 * linear-in-x_q predictor and the Bayes weights w = m / (1 + s) of the paper's family.
 */
function excessOfGap(
  stats: PromptStatistics,
  predict: (stats: PromptStatistics) => Float64Array,
  quadratic: (n: number, v: Float64Array) => number,
): Float64Array {
  const d = stats.task.dim;
  const N = stats.prompts;
  const g = queryWeights(stats, predict);
  const out = new Float64Array(N);
  const v = new Float64Array(d);
  for (let n = 0; n < N; n++) {
    for (let j = 0; j < d; j++) {
      v[j] = g[n * d + j] - stats.spike[n * d + j] / (1 + stats.strength[n]);
    }
    out[n] = quadratic(n, v);
  }
  return out;
}

/**
 * Per-prompt exact excess (g - w)^T Sigma (g - w) of a linear-in-x_q predictor on exact
 * statistics, with g_j the prediction at x_q = e_j.
 */
export function exactExcess(
  stats: PromptStatistics,
  predict: (stats: PromptStatistics) => Float64Array,
): Float64Array {
  const d = stats.task.dim;
  return excessOfGap(stats, predict, (n, v) => {
    let e = 0;
    for (let a = 0; a < d; a++) {
      let row = 0;
      for (let b = 0; b < d; b++) row += stats.sigmaHat[n * d * d + a * d + b] * v[b];
      e += v[a] * row;
    }
    return e;
  });
}

/**
 * Per-prompt excess over the oracle w^T x_q (w = m / (1 + s)) of a predictor linear in x_q,
 * with the query integrated out against the task covariance Sigma = I + m m^T:
 * (g - w)^T Sigma (g - w) = |v|^2 + (m^T v)^2, g_j the prediction at x_q = e_j. At exact
 * statistics this is {@linkcode exactExcess}; at a finite context the statistics enter
 * through g only.
 */
export function taskExcess(
  stats: PromptStatistics,
  predict: (stats: PromptStatistics) => Float64Array,
): Float64Array {
  const d = stats.task.dim;
  return excessOfGap(stats, predict, (n, v) => {
    let vv = 0, mv = 0;
    for (let j = 0; j < d; j++) {
      vv += v[j] * v[j];
      mv += stats.spike[n * d + j] * v[j];
    }
    return vv + mv * mv;
  });
}
