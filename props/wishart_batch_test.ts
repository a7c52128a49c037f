import assert from "node:assert/strict";
import { FC_SEED } from "../testkit/config.ts";
import { wishartBatchWasm } from "../src/numeric/wishart_batch_wasm.ts";
import type { PromptStatistics, SampleOptions } from "../src/model/model_types.ts";
import { resolveSample } from "../src/model/task.ts";
import { sampleWishartStatistics } from "../src/model/wishart.ts";

/** Every float64 array of a batch, by name. */
function arrays(stats: PromptStatistics): Record<string, Float64Array> {
  const { sigmaHat, muHat, meanY, meanY2, query, queryLabel, spike, strength } = stats;
  return { sigmaHat, muHat, meanY, meanY2, query, queryLabel, spike, strength };
}

/** Asserts the batches are equal bit for bit (the bytes of every array). */
function assertSameBits(actual: PromptStatistics[], expected: PromptStatistics[]): void {
  assert.equal(actual.length, expected.length);
  for (let r = 0; r < expected.length; r++) {
    assert.equal(actual[r].context, expected[r].context);
    const a = arrays(actual[r]), e = arrays(expected[r]);
    for (const name of Object.keys(e)) {
      assert.deepEqual(
        new Uint8Array(a[name].buffer, a[name].byteOffset, a[name].byteLength),
        new Uint8Array(e[name].buffer, e[name].byteOffset, e[name].byteLength),
        `${name} of context ${expected[r].context}`,
      );
    }
  }
}

const seed = FC_SEED % 1000;
/** The cases: odd and even d, a prompt counter past 2^31, a key past 2^32, sigma, a beta law,
 * and (d = 32, three lengths, 100 prompts) more prompts than one WebAssembly chunk holds. */
const cases: { options: SampleOptions; contexts: number[] }[] = [
  { options: { prompts: 60, context: 100, d1: 1, d2: 1, seed }, contexts: [100] },
  {
    options: {
      prompts: 40,
      context: 100,
      d1: 2,
      d2: 1,
      seed: 2 ** 40 + seed,
      stream: 2 ** 31 + 7,
      promptOffset: 2 ** 31 + 5,
      sigma: 0.5,
    },
    contexts: [20, 100],
  },
  { options: { prompts: 30, context: 9, d1: 2, d2: 2, seed, law: "beta:2:3" }, contexts: [9] },
  { options: { prompts: 100, context: 40, d1: 16, d2: 16, seed }, contexts: [40, 100, 1000] },
];

Deno.test("wishart sampler: the WebAssembly batch loop draws the JS loop's bits", () => {
  for (const { options, contexts } of cases) {
    const sample = resolveSample(options, true);
    const batched = sampleWishartStatistics(sample, contexts);
    assertSameBits(batched, sampleWishartStatistics(sample, contexts, { batched: false }));
  }
});

Deno.test("wishart sampler: the batch loop runs (its chunk holds the last prompt's outputs)", () => {
  const sample = resolveSample({ prompts: 5, context: 50, d1: 1, d2: 1, seed }, true);
  const [stats] = sampleWishartStatistics(sample, [50]);
  const fast = wishartBatchWasm();
  assert.ok(fast !== null, "WebAssembly is available under deno test");
  // Chunk layout: spikes (5 x 2), then Sigma_hat (5 x 4), ...: prompt 4's Sigma_hat at 10 + 16.
  assert.deepEqual([...fast.chunk.subarray(26, 30)], [...stats.sigmaHat.subarray(16, 20)]);
  assert.deepEqual([...fast.chunk.subarray(0, 10)], [...stats.spike]);
});

Deno.test("wishart sampler control: one flipped low bit of one statistic is caught", () => {
  const sample = resolveSample(cases[1].options, true);
  const reference = sampleWishartStatistics(sample, cases[1].contexts, { batched: false });
  const altered = sampleWishartStatistics(sample, cases[1].contexts);
  const bytes = new Uint8Array(altered[1].muHat.buffer);
  bytes[8 * 17] ^= 1; // the lowest mantissa bit of mu_hat[17] of the second length
  assert.throws(() => assertSameBits(altered, reference), /muHat of context 100/);
});
