/**
 * Sampling in prompt chunks so that a progress bar can move: prompt n depends
 * only on (seed, stream, n), so chunks concatenated give exactly the unchunked
 * statistics (a test checks it bit for bit).
 *
 * @module
 */

import { type PromptStatistics, samplePromptStatistics } from "../model/prompt_statistics.ts";
import type { SampleOptions } from "../model/task.ts";
import type { ProgressBar } from "./progress.ts";

/** Tokens per chunk (about 0.3 s at d = 4). */
const CHUNK_TOKENS = 2 ** 18;

/** Concatenates per-prompt statistics of consecutive chunks. */
export function concatStatistics(chunks: readonly PromptStatistics[]): PromptStatistics {
  if (chunks.length === 1) return chunks[0];
  const prompts = chunks.reduce((sum, c) => sum + c.prompts, 0);
  const out: PromptStatistics = { ...chunks[0], prompts };
  for (const [key, value] of Object.entries(chunks[0])) {
    if (value instanceof Float64Array) {
      const joined = new Float64Array(value.length / chunks[0].prompts * prompts);
      let offset = 0;
      for (const chunk of chunks) {
        const part: unknown = Reflect.get(chunk, key);
        if (!(part instanceof Float64Array)) throw new Error(`internal: chunk without ${key}`);
        joined.set(part, offset);
        offset += part.length;
      }
      Reflect.set(out, key, joined);
    }
  }
  return out;
}

/** Samples statistics on the CPU in chunks, advancing `bar` (prompts done of `options.prompts`). */
export function sampleWithProgress(options: SampleOptions, bar: ProgressBar): PromptStatistics {
  const tokens = Number.isFinite(options.context) ? options.context + 1 : 1;
  const chunk = Math.max(1, Math.floor(CHUNK_TOKENS / tokens));
  const base = options.promptOffset ?? 0;
  const chunks: PromptStatistics[] = [];
  for (let done = 0; done < options.prompts; done += chunk) {
    const prompts = Math.min(chunk, options.prompts - done);
    chunks.push(samplePromptStatistics({ ...options, prompts, promptOffset: base + done }));
    bar.update(done + prompts, `${done + prompts}/${options.prompts} prompts`);
  }
  return concatStatistics(chunks);
}
