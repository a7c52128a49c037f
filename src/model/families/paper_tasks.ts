/**
 * Tasks and tokens of the paper's family (MODEL.md, "Data: one prompt").
 *
 * For prompt n of a batch, with the counter stream of `random.ts`:
 * 1. s = quantile(u) with u the strength uniform of prompt n;
 * 2. v = g / |g| with g the d direction Gaussians of prompt n; m = sqrt(s) v;
 * 3. for each token (context i = 0..L-1, query = QUERY_TOKEN) the Gaussians
 *    (h, xi_1..xi_d, eps) give x = h m + xi and y = h + sigma eps.
 * Context examples of a smaller L are a prefix of those of a larger L, and the
 * query does not depend on L.
 *
 * @module
 */

import { CounterStream, StreamTag, uniformFromBits } from "../../numeric/random.ts";
import {
  WASM_TASKS_MAX_DIM,
  wasmChunkPrompts,
  wishartBatchWasm,
} from "../../numeric/wishart_batch_wasm.ts";
import { lawQuantileUnchecked } from "../law.ts";
import { RESPONSE_LOADING, spikeNormFromStrength } from "../reconstructed.ts";
import type { PromptBatch, ResolvedSample, TaskBatch } from "../model_types.ts";
import { storePromptBatch } from "../prompt_storage.ts";

/** Samples the task (s, m) of each prompt of a batch of the paper's family. */
export function samplePaperTasks(sample: ResolvedSample): TaskBatch {
  const { task, prompts } = sample;
  const d = task.dim;
  const strength = new Float64Array(prompts);
  const spike = new Float64Array(prompts * d);
  if (!paperTasksWasm(sample, strength, spike)) {
    const generator = new CounterStream(sample.key);
    const g = new Float64Array(d);
    for (let n = 0; n < prompts; n++) {
      const p = sample.promptOffset + n;
      const u = generator.uniform(p, 0, StreamTag.strength);
      generator.normals(p, 0, StreamTag.direction, d, g);
      writePaperTask(task.law, u, g, 0, d, n, strength, spike);
    }
  }
  return { task, prompts, strength, spike };
}

/** s = quantile(u) and m = sqrt(s) g / |g| of prompt n (g at `g[gOffset ..]`). */
function writePaperTask(
  law: ResolvedSample["task"]["law"],
  u: number,
  g: Float64Array,
  gOffset: number,
  d: number,
  n: number,
  strength: Float64Array,
  spike: Float64Array,
): void {
  const s = lawQuantileUnchecked(law, u);
  let norm2 = 0;
  for (let j = 0; j < d; j++) norm2 += g[gOffset + j] * g[gOffset + j];
  const scale = spikeNormFromStrength(s) / Math.sqrt(norm2);
  strength[n] = s;
  for (let j = 0; j < d; j++) spike[n * d + j] = g[gOffset + j] * scale;
}

/**
 * The tasks with their draws from WebAssembly, a chunk of prompts per call (the same draws
 * as `CounterStream.uniform` and `normals`); false where WebAssembly is unavailable.
 */
function paperTasksWasm(
  sample: ResolvedSample,
  strength: Float64Array,
  spike: Float64Array,
): boolean {
  const d = sample.task.dim, N = sample.prompts;
  const fast = d <= WASM_TASKS_MAX_DIM ? wishartBatchWasm() : null;
  const size = Math.min(N, wasmChunkPrompts(d + 0.5));
  if (fast === null || size < 1) return false;
  const { seed, stream } = sample.key;
  const k0 = seed % 4294967296 >>> 0, k1 = Math.floor(seed / 4294967296) >>> 0;
  const g = fast.chunk, words = fast.chunkWords;
  for (let start = 0; start < N; start += size) {
    const c = Math.min(size, N - start);
    fast.tasks(sample.promptOffset + start, c, stream >>> 0, k0, k1, d);
    for (let i = 0; i < c; i++) {
      const u = uniformFromBits(words[2 * c * d + i]);
      writePaperTask(sample.task.law, u, g, i * d, d, start + i, strength, spike);
    }
  }
  return true;
}

/**
 * Writes token `token` of prompt `prompt` (x into `x[xOffset..]`, returns y), given its spike m.
 * `normals` is scratch of length >= d + 2.
 */
export function samplePaperToken(
  generator: CounterStream,
  prompt: number,
  token: number,
  spike: Float64Array,
  spikeOffset: number,
  dim: number,
  sigma: number,
  normals: Float64Array,
  x: Float64Array,
  xOffset: number,
): number {
  generator.normals(prompt, token, StreamTag.token, dim + 2, normals);
  const h = normals[0];
  for (let j = 0; j < dim; j++) x[xOffset + j] = h * spike[spikeOffset + j] + normals[1 + j];
  return RESPONSE_LOADING * h + sigma * normals[dim + 1];
}

/** Samples a batch of the paper's family storing every token (see `samplePromptBatch`). */
export function samplePaperPromptBatch(sample: ResolvedSample): PromptBatch {
  const tasks = samplePaperTasks(sample);
  const d = tasks.task.dim;
  const sigma = tasks.task.sigma;
  return storePromptBatch(
    sample,
    tasks,
    (generator, p, n, token, normals, x, xOffset) =>
      samplePaperToken(generator, p, token, tasks.spike, n * d, d, sigma, normals, x, xOffset),
  );
}
