import assert from "node:assert/strict";
import { samplePromptBatch } from "./task.ts";
import { statisticsFromBatch } from "./prompt_statistics.ts";
import {
  deepLsaPredict,
  lcaPredict,
  lcaWithoutSkipStreamPredict,
  lsaPredict,
} from "./predictors.ts";
import { deepLsaTokenPredict, lcaTokenPredict, lsaTokenPredict } from "./token_predictors.ts";

const batch = samplePromptBatch({ d1: 2, d2: 1, prompts: 5, context: 9, seed: 4, sigma: 0.3 });
const stats = statisticsFromBatch(batch);
const layer = { alpha: 0.3, beta: -0.2, depth: 3 };
const lsa = {
  p: Float64Array.from({ length: 4 }, (_, i) => 0.3 * Math.cos(i + 1)),
  k: Float64Array.from({ length: 12 }, (_, i) => 0.2 * Math.sin(0.7 * i + 0.1)),
};

/** |a - b| <= 1e-12 (1 + |b|) entrywise. */
function close(a: Float64Array, b: Float64Array, name: string): void {
  assert.equal(a.length, b.length, name);
  a.forEach((v, i) =>
    assert.ok(Math.abs(v - b[i]) <= 1e-12 * (1 + Math.abs(b[i])), `${name}[${i}]`)
  );
}

Deno.test("token predictors: the attention passes equal the closed forms on the same tokens", () => {
  close(lcaTokenPredict(batch, layer), lcaPredict(stats, layer), "lca");
  close(
    lcaTokenPredict(batch, layer, { withoutSkipStream: true }),
    lcaWithoutSkipStreamPredict(stats, layer),
    "lca without S_t",
  );
  close(lsaTokenPredict(batch, lsa), lsaPredict(stats, lsa), "lsa");
  close(deepLsaTokenPredict(batch, layer), deepLsaPredict(stats, layer), "deep lsa");
  // Control: other parameters give other predictions.
  const other = lcaTokenPredict(batch, { ...layer, beta: 0.2 });
  assert.ok(other.some((v, i) => Math.abs(v - lcaPredict(stats, layer)[i]) > 1e-6));
});

Deno.test("every token predictor names the batch or option it refuses", () => {
  const onBatch: [string, (batch: never) => unknown][] = [
    ["lcaTokenPredict", (b) => lcaTokenPredict(b, layer)],
    ["deepLsaTokenPredict", (b) => deepLsaTokenPredict(b, layer)],
    ["lsaTokenPredict", (b) => lsaTokenPredict(b, lsa)],
  ];
  for (const [name, predict] of onBatch) {
    assert.throws(
      () => predict({} as never),
      /^TypeError: batch\.prompts must be a positive integer, got undefined$/,
      name,
    );
  }
  assert.throws(
    () => lcaTokenPredict(batch, layer, { withoutSkip: true } as never),
    /^TypeError: options has an unknown option "withoutSkip"/,
  );
});
