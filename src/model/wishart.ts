/**
 * The exact statistics sampler: draws each prompt's sufficient statistics
 * (Sigma_hat, mu_hat, mean y, mean y^2) from their joint law given the task,
 * without drawing the L context tokens.
 *
 * Given the task m, a context token is a linear image of z = (h, eps, xi) ~ N(0, I_{d+2}):
 * x = h m + xi and y = l h + sigma eps (l = RESPONSE_LOADING). Hence
 *   sum_i x_i x_i^T = m m^T W_hh + m W_{h,xi} + W_{xi,h} m^T + W_{xi,xi},
 *   sum_i y_i x_i  = l (W_hh m + W_{xi,h}) + sigma (W_{eps,h} m + W_{xi,eps}),
 *   sum_i y_i^2    = l^2 W_hh + 2 l sigma W_{h,eps} + sigma^2 W_{eps,eps},
 *   sum_i y_i      = l S_h + sigma S_eps,
 * with W = sum_i z_i z_i^T and S = sum_i z_i. For an orthogonal Q whose first row is
 * 1^T / sqrt(L), the rows of Q Z are again i.i.d. N(0, I), so S = sqrt(L) g and
 * W = g g^T + W' with g ~ N(0, I_{d+2}) independent of W' ~ Wishart_{d+2}(L - 1, I).
 * W' is drawn by the Bartlett decomposition W' = A A^T (A lower triangular,
 * A_jj^2 ~ chi^2_{L-1-j}, A_jk ~ N(0, 1) below the diagonal) when L - 1 >= d + 2, and as
 * a sum of L - 1 outer products of normal vectors otherwise (`addWishartIncrement`,
 * `numeric/wishart_increment.ts`). Nested context lengths
 * L_1 < L_2 < ... add independent increments: (W, S)(L_2) = (W, S)(L_1) + an
 * independent draw for L_2 - L_1 tokens. The cost is O(d^3) per prompt and increment,
 * independent of L.
 *
 * Random numbers come from the same Philox counter stream as the tokens (own tags,
 * `StreamTag.wishartNormal` and `StreamTag.wishartGamma`; the counter word of the
 * token index holds the increment number), so a draw depends only on (seed, stream,
 * prompt, increment): the result is identical for any chunking of the prompts. The
 * task (s, m) and the query token are exactly those of the token sampler.
 *
 * @module
 */

import { CounterStream, QUERY_TOKEN } from "../numeric/random.ts";
import {
  WASM_BATCH_CONTEXTS,
  wasmChunkPrompts,
  wishartBatchWasm,
} from "../numeric/wishart_batch_wasm.ts";
import { addWishartIncrement, wishartScratch } from "../numeric/wishart_increment.ts";
import { RESPONSE_LOADING } from "./reconstructed.ts";
import type { PromptStatistics, ResolvedSample, TaskBatch } from "./model_types.ts";
import { allocateStatistics } from "./prompt_storage.ts";
import { samplePaperTasks, samplePaperToken } from "./families/paper_tasks.ts";

/**
 * Writes the statistics of prompt `n` for context length `L` from (W, S) (lower triangle
 * of `w`, p x p with p = d + 2, order (h, eps, xi_1..xi_d)) and the prompt's spike m:
 * the linear map of the module documentation.
 */
export function writeWishartStatistics(
  stats: PromptStatistics,
  n: number,
  L: number,
  w: Float64Array,
  sum: Float64Array,
  p: number,
): void {
  const d = p - 2;
  const sigma = stats.task.sigma;
  const l = RESPONSE_LOADING;
  const m = stats.spike;
  const sigmaHat = stats.sigmaHat;
  const muHat = stats.muHat;
  const mo = n * d;
  const whh = w[0], weh = w[p], wee = w[p + 1];
  const sig = n * d * d;
  const inv = 1 / L;
  for (let a = 0; a < d; a++) {
    const ma = m[mo + a];
    const ra = (a + 2) * p;
    const wah = w[ra], wae = w[ra + 1];
    muHat[mo + a] = (l * (whh * ma + wah) + sigma * (weh * ma + wae)) / L;
    // Row a of the lower triangle: m_a m_b W_hh + m_a W_{b,h} + W_{a,h} m_b + W_{a,b}.
    const rowA = sig + a * d;
    const cA = ma * whh + wah;
    for (let b = 0; b <= a; b++) {
      const mb = m[mo + b];
      sigmaHat[rowA + b] = (cA * mb + ma * w[(b + 2) * p] + w[ra + b + 2]) * inv;
    }
  }
  // Mirror the lower triangle (a second, cache-friendly pass).
  for (let a = 0; a < d; a++) {
    const rowA = sig + a * d;
    for (let b = a + 1; b < d; b++) sigmaHat[rowA + b] = sigmaHat[sig + b * d + a];
  }
  stats.meanY[n] = (l * sum[0] + sigma * sum[1]) / L;
  stats.meanY2[n] = (l * l * whh + 2 * l * sigma * weh + sigma * sigma * wee) / L;
}

/** Options of `sampleWishartStatistics`. */
export interface WishartSamplerOptions {
  /**
   * Run the per-prompt loop in WebAssembly, a chunk of prompts per call, where it applies
   * (`numeric/wishart_batch_wasm.ts`; the same bits as the JS loop). Default true; false
   * runs the JS loop (the reference).
   */
  batched?: boolean;
}

/**
 * Exact statistics for each of the increasing finite context lengths `contexts` (one
 * pass: each length adds an independent increment to the previous one), for the prompts
 * of a validated sample. Returns one batch per context length; tasks and queries are
 * shared with the token sampler.
 */
export function sampleWishartStatistics(
  sample: ResolvedSample,
  contexts: readonly number[],
  options: WishartSamplerOptions = {},
): PromptStatistics[] {
  const tasks = samplePaperTasks(sample);
  const d = tasks.task.dim;
  const p = d + 2;
  if (p > 8192) throw new RangeError(`d must be at most 8190 for the wishart sampler, got ${d}`);
  const out = contexts.map((L) => allocateStatistics(tasks, L));
  if ((options.batched ?? true) && batchedStatistics(sample, tasks, contexts, out)) return out;
  const generator = new CounterStream(sample.key);
  const { w, sum } = wishartScratch(p);
  const maxCount = contexts.reduce(
    (m, L, i) => Math.max(m, L - (i === 0 ? 0 : contexts[i - 1])),
    0,
  );
  const normals = new Float64Array(p + Math.max((p * (p - 1)) / 2, Math.min(maxCount, p) * p));
  const factor = new Float64Array((p + 1) * (p + 1));
  const tokenNormals = new Float64Array(d + 4);
  const query = out[0].query, queryLabel = out[0].queryLabel;
  for (let n = 0; n < sample.prompts; n++) {
    const prompt = sample.promptOffset + n;
    for (let i = 0; i < w.length; i++) w[i] = 0;
    for (let i = 0; i < p; i++) sum[i] = 0;
    let previous = 0;
    for (let r = 0; r < contexts.length; r++) {
      addWishartIncrement(
        generator,
        prompt,
        r,
        contexts[r] - previous,
        p,
        w,
        sum,
        normals,
        factor,
      );
      previous = contexts[r];
      writeWishartStatistics(out[r], n, contexts[r], w, sum, p);
    }
    queryLabel[n] = samplePaperToken(
      generator,
      prompt,
      QUERY_TOKEN,
      tasks.spike,
      n * d,
      d,
      tasks.task.sigma,
      tokenNormals,
      query,
      n * d,
    );
  }
  for (let r = 1; r < out.length; r++) {
    out[r].query.set(query);
    out[r].queryLabel.set(queryLabel);
  }
  return out;
}

/** Largest p = d + 2 for which `batchedStatistics` runs (beyond it the O(p^3) work dominates). */
const BATCH_MAX_ORDER = 34;

/**
 * The per-prompt loop of `sampleWishartStatistics` in WebAssembly, a chunk of prompts per
 * call (the same operations in the same order, so the same bits). False, with `out`
 * possibly part-written, where it does not apply (no WebAssembly, p > BATCH_MAX_ORDER, an
 * increment of fewer than p + 1 tokens, too many context lengths) or an increment exhausted
 * its gamma attempts: the JS loop then writes every prompt again (and throws gamma's error).
 */
function batchedStatistics(
  sample: ResolvedSample,
  tasks: TaskBatch,
  contexts: readonly number[],
  out: PromptStatistics[],
): boolean {
  const d = tasks.task.dim, R = contexts.length;
  if (d + 2 > BATCH_MAX_ORDER || R > WASM_BATCH_CONTEXTS) return false;
  for (let r = 0; r < R; r++) {
    const count = contexts[r] - (r === 0 ? 0 : contexts[r - 1]);
    if (count - 1 < d + 2 || contexts[r] > 0x7fffffff) return false;
  }
  const fast = wishartBatchWasm();
  if (fast === null) return false;
  const chunk = fast.chunk, N = sample.prompts, dd = d * d;
  const size = Math.min(N, wasmChunkPrompts(d + R * (dd + d + 2) + d + 1));
  if (size < 1) return false;
  for (let r = 0; r < R; r++) fast.lengths[r] = contexts[r];
  // The key and stream words of `CounterStream`.
  const { seed, stream } = sample.key;
  const k0 = seed % 4294967296 >>> 0, k1 = Math.floor(seed / 4294967296) >>> 0;
  for (let start = 0; start < N; start += size) {
    const c = Math.min(size, N - start);
    chunk.set(tasks.spike.subarray(start * d, (start + c) * d));
    const first = sample.promptOffset + start;
    const sigma = tasks.task.sigma;
    if (fast.batch(first, c, stream >>> 0, k0, k1, d, R, sigma, RESPONSE_LOADING) !== 0) {
      return false;
    }
    let at = c * d;
    const take = (length: number): Float64Array => chunk.subarray(at, at += length);
    for (const stats of out) {
      stats.sigmaHat.set(take(c * dd), start * dd);
      stats.muHat.set(take(c * d), start * d);
      stats.meanY.set(take(c), start);
      stats.meanY2.set(take(c), start);
    }
    out[0].query.set(take(c * d), start * d);
    out[0].queryLabel.set(take(c), start);
  }
  for (let r = 1; r < R; r++) {
    out[r].query.set(out[0].query);
    out[r].queryLabel.set(out[0].queryLabel);
  }
  return true;
}
