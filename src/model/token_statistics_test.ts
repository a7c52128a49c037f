import assert from "node:assert/strict";
import type { PromptStatistics } from "./model_types.ts";
import { statisticsFromBatch } from "./prompt_statistics.ts";
import { RESPONSE_LOADING } from "./reconstructed.ts";
import { resolveSample, samplePromptBatch } from "./task.ts";
import { sampleTokenStatistics } from "./token_statistics.ts";

const TASK = { d1: 2, d2: 1, prompts: 5, seed: 3, sigma: 0.4, sampler: "tokens" as const };
const FIELDS = ["sigmaHat", "muHat", "meanY", "meanY2", "query", "queryLabel"] as const;

/** The token statistics of TASK at one context length. */
function tokenStatistics(context: number): PromptStatistics {
  return sampleTokenStatistics(resolveSample({ ...TASK, context }), [context])[0];
}

function assertSameStatistics(
  a: PromptStatistics,
  b: PromptStatistics,
  rel: number,
  what: string,
) {
  for (const field of FIELDS) {
    a[field].forEach((v, i) => {
      const w = b[field][i];
      assert.ok(Math.abs(v - w) <= rel * (1 + Math.abs(w)), `${what} ${field}[${i}]: ${v} vs ${w}`);
    });
  }
}

Deno.test("sampleTokenStatistics: the stored tokens' sums, at even and odd L", () => {
  for (const context of [1, 2, 7, 8]) {
    const streamed = tokenStatistics(context);
    const stored = statisticsFromBatch(samplePromptBatch({ ...TASK, context }));
    assertSameStatistics(streamed, stored, 1e-13, `L=${context}`);
    assert.equal(streamed.context, context);
  }
});

Deno.test("writeExactMoments (L = inf): Sigma = I + m m^T, mu = l m, mean y = 0, mean y^2 = l^2 + sigma^2", () => {
  const stats = tokenStatistics(Infinity);
  const d = 3;
  for (let n = 0; n < TASK.prompts; n++) {
    const m = stats.spike.subarray(n * d, (n + 1) * d);
    for (let a = 0; a < d; a++) {
      assert.equal(stats.muHat[n * d + a], RESPONSE_LOADING * m[a]);
      for (let b = 0; b < d; b++) {
        assert.equal(stats.sigmaHat[n * d * d + a * d + b], (a === b ? 1 : 0) + m[a] * m[b]);
      }
    }
    assert.equal(stats.meanY[n], 0);
    assert.equal(stats.meanY2[n], RESPONSE_LOADING * RESPONSE_LOADING + 0.4 * 0.4);
  }
  // The query is still sampled: the same as at any finite L.
  assert.deepEqual(stats.query, tokenStatistics(3).query);
});

Deno.test("sampleTokenStatistics: snapshots of one pass equal single passes, bit for bit", () => {
  // Odd lengths leave a token waiting between snapshots: 1, 4, 7, 8 cover every transition.
  const contexts = [1, 4, 7, 8];
  const nested = sampleTokenStatistics(resolveSample({ ...TASK, context: 1 }), contexts);
  for (const [i, L] of contexts.entries()) {
    assertSameStatistics(nested[i], tokenStatistics(L), 0, `L=${L}`);
    assert.equal(nested[i].context, L);
  }
  // Control: a snapshot differs from the pass of another length.
  assert.notDeepEqual(nested[1].sigmaHat, tokenStatistics(5).sigmaHat);
});
