/**
 * The token statistics sampler of the paper's family: draws every context token of
 * each prompt from the Philox stream and reduces it on the fly to the sufficient
 * statistics (Sigma_hat, mu_hat, mean y, mean y^2), in O(d^2) memory per prompt
 * whatever L. It is the reference for the exact sampler (`wishart.ts`) and the
 * stream that the WebGPU kernels reproduce.
 *
 * @module
 */

import { CounterStream, QUERY_TOKEN } from "../numeric/random.ts";
import { RESPONSE_LOADING } from "./reconstructed.ts";
import type { PromptStatistics, ResolvedSample, TaskBatch } from "./model_types.ts";
import { allocateStatistics } from "./prompt_storage.ts";
import { samplePaperTasks, samplePaperToken } from "./families/paper_tasks.ts";

/** Exact task moments Sigma = I + m m^T, mu = l m, mean y = 0, mean y^2 = l^2 + sigma^2. */
export function writeExactMoments(stats: PromptStatistics, n: number): void {
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

/** Scratch of one prompt's token pass: two token rows and the running sums. */
interface TokenSums {
  /** Normals of one token (length d + 4). */
  normals: Float64Array;
  /** The first token of a pair (or the token waiting at an odd snapshot length). */
  x0: Float64Array;
  /** The second token of a pair. */
  x1: Float64Array;
  /** Lower triangle of sum_i x_i x_i^T (d x d). */
  gram: Float64Array;
  /** sum_i y_i x_i (d). */
  xy: Float64Array;
}

/**
 * The token sampler: one pass over the tokens of each prompt, with a snapshot of the
 * running sums at each of the increasing lengths `contexts` (a single `Infinity`
 * gives exact moments). The Gram update takes two tokens per sweep of the lower
 * triangle (a rank-2 update: half the loads and stores of the accumulator).
 */
export function sampleTokenStatistics(
  sample: ResolvedSample,
  contexts: readonly number[],
): PromptStatistics[] {
  const tasks = samplePaperTasks(sample);
  const { task } = tasks;
  const d = task.dim;
  const out = contexts.map((L) => allocateStatistics(tasks, L));
  const generator = new CounterStream(sample.key);
  const sums: TokenSums = {
    normals: new Float64Array(d + 4),
    x0: new Float64Array(d),
    x1: new Float64Array(d),
    gram: new Float64Array(d * d),
    xy: new Float64Array(d),
  };
  const last = contexts[contexts.length - 1];
  for (let n = 0; n < sample.prompts; n++) {
    const p = sample.promptOffset + n;
    if (last === Infinity) writeExactMoments(out[0], n);
    else sumPromptTokens(generator, p, n, tasks, contexts, out, sums);
    out[0].queryLabel[n] = samplePaperToken(
      generator,
      p,
      QUERY_TOKEN,
      tasks.spike,
      n * d,
      d,
      task.sigma,
      sums.normals,
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
 * Draws the context tokens of prompt `p` (batch row `n`) up to the last of `contexts` and
 * writes the statistics of each length into `out`. Tokens are added in aligned pairs
 * (2k, 2k + 1); at an odd snapshot length the last token waits in x0 (its square is added
 * to the snapshot only), so every snapshot is bit-identical to a single-length pass.
 */
function sumPromptTokens(
  generator: CounterStream,
  p: number,
  n: number,
  tasks: TaskBatch,
  contexts: readonly number[],
  out: PromptStatistics[],
  sums: TokenSums,
): void {
  const { normals, x0, x1, gram, xy } = sums;
  const d = tasks.task.dim, sigma = tasks.task.sigma;
  gram.fill(0);
  xy.fill(0);
  let sumY = 0, sumY2 = 0, i = 0, pending = false, y0 = 0;
  for (let r = 0; r < contexts.length; r++) {
    const L = contexts[r];
    for (; i + 2 <= L; i += 2) {
      if (!pending) {
        y0 = samplePaperToken(generator, p, i, tasks.spike, n * d, d, sigma, normals, x0, 0);
      }
      pending = false;
      const y1 = samplePaperToken(
        generator,
        p,
        i + 1,
        tasks.spike,
        n * d,
        d,
        sigma,
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
      y0 = samplePaperToken(generator, p, i, tasks.spike, n * d, d, sigma, normals, x0, 0);
      pending = true;
    }
    writeSnapshot(out[r], n, L, sums, odd, y0, sumY, sumY2);
  }
}

/**
 * Writes the statistics of prompt `n` at length `L` from the running sums, adding the
 * waiting token (x0, y0) of an odd length to this snapshot only.
 */
function writeSnapshot(
  stats: PromptStatistics,
  n: number,
  L: number,
  sums: TokenSums,
  odd: boolean,
  y0: number,
  sumY: number,
  sumY2: number,
): void {
  const { x0, gram, xy } = sums;
  const d = stats.task.dim;
  const sig = n * d * d;
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
