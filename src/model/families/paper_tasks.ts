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

import { CounterStream, StreamTag } from "../../numeric/random.ts";
import { lawQuantileUnchecked } from "../law.ts";
import { RESPONSE_LOADING, spikeNormFromStrength } from "../reconstructed.ts";
import type { PromptBatch, ResolvedSample, TaskBatch } from "../model_types.ts";
import { storePromptBatch } from "../prompt_storage.ts";

/** Samples the task (s, m) of each prompt of a batch of the paper's family. */
export function samplePaperTasks(sample: ResolvedSample): TaskBatch {
  const { task, prompts, key, promptOffset } = sample;
  const d = task.dim;
  const generator = new CounterStream(key);
  const strength = new Float64Array(prompts);
  const spike = new Float64Array(prompts * d);
  const g = new Float64Array(d);
  for (let n = 0; n < prompts; n++) {
    const p = promptOffset + n;
    const s = lawQuantileUnchecked(task.law, generator.uniform(p, 0, StreamTag.strength));
    generator.normals(p, 0, StreamTag.direction, d, g);
    let norm2 = 0;
    for (let j = 0; j < d; j++) norm2 += g[j] * g[j];
    const scale = spikeNormFromStrength(s) / Math.sqrt(norm2);
    strength[n] = s;
    for (let j = 0; j < d; j++) spike[n * d + j] = g[j] * scale;
  }
  return { task, prompts, strength, spike };
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
