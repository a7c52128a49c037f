/** Chunked sampling (for the progress bar) is the unchunked sampling, bit for bit. */
import assert from "node:assert/strict";
import { sampleWithProgress } from "./sampling.ts";
import { samplePromptStatistics } from "../model/prompt_statistics.ts";
import { NO_BAR } from "./progress.ts";

Deno.test("chunked sampling (for the progress bar) gives the unchunked statistics bit for bit", () => {
  const options = { prompts: 700, context: 1000, seed: 5, stream: 1, d1: 1, d2: 2 };
  const chunked = sampleWithProgress(options, NO_BAR); // 262 prompts per chunk: 3 chunks
  const whole = samplePromptStatistics(options);
  for (const key of ["sigmaHat", "muHat", "meanY", "meanY2", "query", "queryLabel", "strength"]) {
    assert.deepEqual(
      (chunked as unknown as Record<string, Float64Array>)[key],
      (whole as unknown as Record<string, Float64Array>)[key],
      key,
    );
  }
  assert.equal(chunked.prompts, 700);
});
