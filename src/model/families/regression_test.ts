import assert from "node:assert/strict";
import { samplePromptBatch } from "../task.ts";
import { samplePromptStatistics, statisticsFromBatch } from "../prompt_statistics.ts";

const options = {
  family: "regression" as const,
  covariance: [3, 1.5, 0.5],
  d1: 2,
  d2: 1,
  sigma: 0.3,
  prompts: 5,
  context: 12,
  seed: 4,
  stream: 1,
};

Deno.test("regression family: the stored tokens reduce to the streamed statistics", () => {
  const batch = samplePromptBatch(options);
  assert.equal(batch.x.length, 5 * 12 * 3);
  const fromTokens = statisticsFromBatch(batch);
  // The token sampler (the default at L = 12 >= d + 2 is the exact Wishart sampler, whose
  // draws are other ones: `props/regression_wishart_test.ts` checks its law).
  const streamed = samplePromptStatistics({ ...options, sampler: "tokens" });
  // Same tokens, same sums in the same order: equal up to the rounding of a 12-term sum.
  for (const key of ["sigmaHat", "muHat", "meanY2", "query", "queryLabel"] as const) {
    const a = fromTokens[key], b = streamed[key];
    for (let i = 0; i < a.length; i++) {
      assert.ok(Math.abs(a[i] - b[i]) <= 1e-13 * (1 + Math.abs(b[i])), `${key}[${i}]`);
    }
  }
  // Control: another seed gives other tokens, and the comparison sees it.
  const other = statisticsFromBatch(samplePromptBatch({ ...options, seed: 5 }));
  assert.ok(other.sigmaHat.some((v, i) => Math.abs(v - streamed.sigmaHat[i]) > 1e-3));
});
