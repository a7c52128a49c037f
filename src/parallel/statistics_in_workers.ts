/**
 * Large sampling jobs in Web Workers: the prompts of a batch are split into contiguous
 * chunks (`promptOffset`), each sampled in a worker, and concatenated. Every prompt's
 * draws depend only on (seed, stream, prompt index), so the result is byte-identical to
 * `samplePromptStatistics` in one thread, for any number of workers.
 *
 * @module
 */

import type { PromptStatistics } from "../model/prompt_statistics.ts";
import { resolveSample, type SampleOptions } from "../model/task.ts";
import { defaultJobs, mapInWorkers } from "./pool.ts";

const FIELDS = [
  "strength",
  "spike",
  "sigmaHat",
  "muHat",
  "meanY",
  "meanY2",
  "query",
  "queryLabel",
] as const;

/**
 * `samplePromptStatistics(options)` computed in `jobs` workers (default: the number of
 * cores; 1 runs in-process), byte-identical for any `jobs`.
 */
export async function samplePromptStatisticsInWorkers(
  options: SampleOptions,
  jobs: number = defaultJobs(),
): Promise<PromptStatistics> {
  const sample = resolveSample(options, true);
  const chunks = Math.min(jobs, sample.prompts);
  const module = new URL("../model/prompt_statistics.ts", import.meta.url).href;
  const parts: { prompts: number; promptOffset: number }[] = [];
  for (let c = 0; c < chunks; c++) {
    const start = Math.floor((c * sample.prompts) / chunks);
    const end = Math.floor(((c + 1) * sample.prompts) / chunks);
    parts.push({ prompts: end - start, promptOffset: sample.promptOffset + start });
  }
  const results = await mapInWorkers<PromptStatistics>(
    parts.map((part) => ({
      module,
      name: "samplePromptStatistics",
      args: [{ ...options, ...part }],
    })),
    { jobs: chunks },
  );
  if (results.length === 1) return results[0];
  const out = { ...results[0], prompts: sample.prompts } as PromptStatistics;
  for (const field of FIELDS) {
    const total = results.reduce((n, r) => n + r[field].length, 0);
    const joined = new Float64Array(total);
    let offset = 0;
    for (const r of results) {
      joined.set(r[field], offset);
      offset += r[field].length;
    }
    out[field] = joined;
  }
  return out;
}
