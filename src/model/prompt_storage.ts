/**
 * Buffers and loops shared by the task families and samplers (internal: callers
 * pass validated samples and their tasks): the zeroed per-prompt statistics, and
 * the token-storing loop that draws every context token and the query of each
 * prompt with the family's token sampler.
 *
 * @module
 */

import { CounterStream, QUERY_TOKEN } from "../numeric/random.ts";
import type { PromptBatch, PromptStatistics, ResolvedSample, TaskBatch } from "./model_types.ts";

/** Zeroed per-prompt statistics for the prompts of `tasks` at context length `context`. */
export function allocateStatistics(tasks: TaskBatch, context: number): PromptStatistics {
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
 * Draws token `token` of prompt `prompt` (batch row `n`) into `x` at `xOffset` and
 * returns its label; `normals` is scratch space of length at least d + 4.
 */
export type TokenSampler = (
  generator: CounterStream,
  prompt: number,
  n: number,
  token: number,
  normals: Float64Array,
  x: Float64Array,
  xOffset: number,
) => number;

/** Stores every token of every prompt of `sample` (tasks already drawn). */
export function storePromptBatch(
  sample: ResolvedSample,
  tasks: TaskBatch,
  drawToken: TokenSampler,
): PromptBatch {
  const { prompts, context, key, promptOffset } = sample;
  const d = tasks.task.dim;
  const generator = new CounterStream(key);
  const x = new Float64Array(prompts * context * d);
  const y = new Float64Array(prompts * context);
  const query = new Float64Array(prompts * d);
  const queryLabel = new Float64Array(prompts);
  const normals = new Float64Array(d + 4);
  for (let n = 0; n < prompts; n++) {
    const p = promptOffset + n;
    for (let i = 0; i < context; i++) {
      y[n * context + i] = drawToken(generator, p, n, i, normals, x, (n * context + i) * d);
    }
    queryLabel[n] = drawToken(generator, p, n, QUERY_TOKEN, normals, query, n * d);
  }
  return { ...tasks, context, x, y, query, queryLabel };
}
