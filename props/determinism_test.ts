/**
 * Reproducibility of the counter-based stream: the same seed gives the same bytes
 * (samplePromptBatch, samplePromptStatistics, train), other seeds or streams differ,
 * samplePromptStatistics equals statisticsFromBatch(samplePromptBatch), a smaller context
 * is a prefix of a larger one, and chunked sampling with promptOffset gives the same prompts.
 * Both statistics samplers (`tokens` and `wishart`) are reproducible and chunk-independent,
 * and nested context lengths in one pass equal single-length passes (tokens, bit for bit)
 * or are chunk-independent (wishart).
 *
 * Exact equality is asserted wherever both paths do the same operations; the sufficient
 * statistics are sums in a different order in the two reductions (sum then divide vs
 * divide then sum), so they agree within gamma_{L+2} times the sum of absolute terms.
 *
 * @module
 */

import assert from "node:assert/strict";
import { fc, fcParameters } from "../testkit/config.ts";
import { absBatch, gamma, sampleArb } from "./arbitraries_test.ts";
import {
  samplePromptStatistics,
  samplePromptStatisticsNested,
  statisticsFromBatch,
} from "../src/model/prompt_statistics.ts";
import { type PromptBatch, type SampleOptions, samplePromptBatch } from "../src/model/task.ts";
import { train } from "../src/training/training.ts";

const bytes = (a: Float64Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
function sameBytes(a: Float64Array, b: Float64Array): boolean {
  const x = bytes(a), y = bytes(b);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

const BATCH_FIELDS = ["strength", "spike", "x", "y", "query", "queryLabel"] as const;

function sameBatch(a: PromptBatch, b: PromptBatch): boolean {
  return BATCH_FIELDS.every((f) => sameBytes(a[f], b[f]));
}

/** Every token of b differs from the one of a in the same place (x, y and query). */
function allTokensDiffer(a: PromptBatch, b: PromptBatch): boolean {
  const differs = (u: Float64Array, v: Float64Array) => u.every((value, i) => value !== v[i]);
  return differs(a.x, b.x) && differs(a.y, b.y) && differs(a.query, b.query);
}

const STAT_FIELDS = ["sigmaHat", "muHat", "meanY", "meanY2", "query", "queryLabel"] as const;

const seedPair = fc.tuple(sampleArb(), fc.integer({ min: 1, max: 2 ** 30 }));

Deno.test("same seed, same bytes; other seeds and streams differ", async (t) => {
  await t.step("samplePromptBatch and samplePromptStatistics are reproducible", () => {
    fc.assert(
      fc.property(sampleArb(), (o) => {
        if (!sameBatch(samplePromptBatch(o), samplePromptBatch({ ...o }))) return false;
        return (["tokens", "wishart"] as const).every((sampler) => {
          const a = samplePromptStatistics({ ...o, sampler });
          const b = samplePromptStatistics({ ...o, sampler });
          return STAT_FIELDS.every((f) => sameBytes(a[f], b[f]));
        });
      }),
      fcParameters(50),
    );
  });
  await t.step("another seed or stream gives other tokens", () => {
    fc.assert(
      fc.property(seedPair, ([o, shift]) => {
        const a = samplePromptBatch(o);
        return allTokensDiffer(a, samplePromptBatch({ ...o, seed: o.seed + shift })) &&
          allTokensDiffer(a, samplePromptBatch({ ...o, stream: (o.stream ?? 0) + shift }));
      }),
      fcParameters(50),
    );
  });
  await t.step("negative control: the reproducibility check rejects another seed", () => {
    const r = fc.check(
      fc.property(
        seedPair,
        ([o, shift]) =>
          sameBatch(samplePromptBatch(o), samplePromptBatch({ ...o, seed: o.seed + shift })),
      ),
      fcParameters(20),
    );
    assert.equal(r.failed, true);
  });
});

/** samplePromptStatistics vs statisticsFromBatch(samplePromptBatch) for the same options. */
function statisticsMatch(o: SampleOptions, perturb = 0): boolean {
  const batch = samplePromptBatch(o);
  const fromBatch = statisticsFromBatch(batch);
  const direct = samplePromptStatistics({ ...o, sampler: "tokens" });
  const abs = statisticsFromBatch(absBatch(batch));
  const tol = gamma(batch.context + 2);
  const close = (a: Float64Array, b: Float64Array, s: Float64Array) =>
    a.every((v, i) => Math.abs(v - b[i]) <= 2 * tol * s[i]);
  const sigma = direct.sigmaHat.map((v, i) => (i === 0 ? v + perturb : v));
  return sameBytes(direct.strength, fromBatch.strength) &&
    sameBytes(direct.spike, fromBatch.spike) &&
    sameBytes(direct.query, fromBatch.query) &&
    sameBytes(direct.queryLabel, fromBatch.queryLabel) &&
    sameBytes(direct.meanY, fromBatch.meanY) &&
    sameBytes(direct.meanY2, fromBatch.meanY2) &&
    close(sigma, fromBatch.sigmaHat, abs.sigmaHat) &&
    close(direct.muHat, fromBatch.muHat, abs.muHat);
}

Deno.test("samplePromptStatistics equals statisticsFromBatch(samplePromptBatch)", async (t) => {
  await t.step("agreement", () => {
    fc.assert(fc.property(sampleArb(4, 1, 30), (o) => statisticsMatch(o)), fcParameters(60));
  });
  await t.step("negative control: Sigma_hat[0] + 1e-12 is rejected", () => {
    const r = fc.check(
      fc.property(sampleArb(4, 1, 30), (o) => statisticsMatch(o, 1e-12)),
      fcParameters(60),
    );
    assert.equal(r.failed, true);
  });
});

/** Tokens of context L1 are a prefix of those of L2 > L1 (per prompt); the query is shared. */
function prefix(o: SampleOptions, extra: number, offByOne = 0): boolean {
  const small = samplePromptBatch(o);
  const large = samplePromptBatch({ ...o, context: o.context + extra });
  const d = small.task.dim, L1 = small.context, L2 = large.context;
  for (let n = 0; n < small.prompts; n++) {
    const a = small.x.subarray(n * L1 * d, (n + 1) * L1 * d);
    const b = large.x.subarray(n * L2 * d + offByOne * d, n * L2 * d + offByOne * d + L1 * d);
    if (!sameBytes(a, b)) return false;
    const ya = small.y.subarray(n * L1, (n + 1) * L1);
    const yb = large.y.subarray(n * L2 + offByOne, n * L2 + offByOne + L1);
    if (!sameBytes(ya, yb)) return false;
  }
  return sameBytes(small.query, large.query) && sameBytes(small.queryLabel, large.queryLabel) &&
    sameBytes(small.spike, large.spike);
}

/** Sampling prompts [0, N) at once equals [0, k) then [k, N) with promptOffset = k. */
function chunked(o: SampleOptions, split: number, wrongOffset = 0): boolean {
  const whole = samplePromptBatch(o);
  const k = Math.min(split, o.prompts - 1);
  const head = samplePromptBatch({ ...o, prompts: k });
  const tail = samplePromptBatch({ ...o, prompts: o.prompts - k, promptOffset: k + wrongOffset });
  const cat = (a: Float64Array, b: Float64Array) => {
    const out = new Float64Array(a.length + b.length);
    out.set(a);
    out.set(b, a.length);
    return out;
  };
  const d = whole.task.dim;
  const statsChunked = (["tokens", "wishart"] as const).every((sampler) => {
    const stats = samplePromptStatistics({ ...o, sampler });
    const tailStats = samplePromptStatistics({
      ...o,
      sampler,
      prompts: o.prompts - k,
      promptOffset: k + wrongOffset,
    });
    return sameBytes(stats.sigmaHat.subarray(k * d * d), tailStats.sigmaHat) &&
      sameBytes(stats.muHat.subarray(k * d), tailStats.muHat) &&
      sameBytes(stats.meanY.subarray(k), tailStats.meanY);
  });
  return BATCH_FIELDS.every((f) => sameBytes(whole[f], cat(head[f], tail[f]))) && statsChunked;
}

/**
 * Nested context lengths in one pass: with tokens, each snapshot is bit-identical to a
 * single-length pass; with wishart, a chunk of prompts gives the same bytes as the whole
 * batch. `shift` moves the single-length comparison to another length (the control).
 */
function nested(o: SampleOptions, lengths: number[], shift = 0): boolean {
  const { context: _ignored, ...rest } = o;
  const tokens = samplePromptStatisticsNested({ ...rest, sampler: "tokens" }, lengths);
  const tokensMatch = lengths.every((L, r) => {
    const single = samplePromptStatistics({ ...o, sampler: "tokens", context: L + shift });
    return STAT_FIELDS.every((f) => sameBytes(tokens[r][f], single[f]));
  });
  const whole = samplePromptStatisticsNested({ ...rest, sampler: "wishart" }, lengths);
  const k = o.prompts - 1, d = whole[0].task.dim;
  const tail = samplePromptStatisticsNested(
    { ...rest, sampler: "wishart", prompts: o.prompts - k, promptOffset: k },
    lengths,
  );
  const wishartMatch = lengths.every((_, r) =>
    sameBytes(whole[r].sigmaHat.subarray(k * d * d), tail[r].sigmaHat) &&
    sameBytes(whole[r].meanY2.subarray(k), tail[r].meanY2)
  );
  return tokensMatch && wishartMatch;
}

const lengthsArb = fc.uniqueArray(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 4 })
  .map((a) => a.sort((x, y) => x - y));

const chunkArb = fc.tuple(
  sampleArb(6, 1, 10).filter((o) => o.prompts >= 2),
  fc.integer({ min: 1, max: 5 }),
);

Deno.test("context prefix and chunked sampling", async (t) => {
  await t.step("a smaller L gives a prefix of the tokens of a larger L", () => {
    fc.assert(
      fc.property(sampleArb(), fc.integer({ min: 1, max: 10 }), (o, e) => prefix(o, e)),
      fcParameters(60),
    );
  });
  await t.step("chunks with promptOffset give the same prompts", () => {
    fc.assert(fc.property(chunkArb, ([o, k]) => chunked(o, k)), fcParameters(60));
  });
  await t.step("negative controls: a shifted prefix and a wrong offset are rejected", () => {
    const r1 = fc.check(
      fc.property(sampleArb(), fc.integer({ min: 1, max: 10 }), (o, e) => prefix(o, e, 1)),
      fcParameters(20),
    );
    assert.equal(r1.failed, true);
    const r2 = fc.check(fc.property(chunkArb, ([o, k]) => chunked(o, k, 1)), fcParameters(20));
    assert.equal(r2.failed, true);
  });
  await t.step("nested lengths in one pass: token snapshots and chunked wishart", () => {
    fc.assert(fc.property(sampleArb(3), lengthsArb, (o, ls) => nested(o, ls)), fcParameters(40));
  });
  await t.step("negative control: a snapshot compared with length L + 1 is rejected", () => {
    const r = fc.check(
      fc.property(sampleArb(3), lengthsArb, (o, ls) => nested(o, ls, 1)),
      fcParameters(20),
    );
    assert.equal(r.failed, true);
  });
});

Deno.test("train is reproducible: same options, same results", async (t) => {
  const options = {
    model: "lca2" as const,
    depth: 3,
    prompts: 60,
    context: 12,
    steps: 30,
    testPrompts: 40,
  };
  const strip = (r: ReturnType<typeof train>) => ({ ...r, msPerStep: 0 });
  await t.step("same seed", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 40 }),
        fc.constantFrom("lca1", "lca2", "deep-lsa", "lsa"),
        (seed, model) => {
          const o = { ...options, model, seed, lsaInits: 2 } as const;
          assert.deepStrictEqual(strip(train(o)), strip(train({ ...o })));
        },
      ),
      fcParameters(6),
    );
  });
  await t.step("negative control: another seed gives other results", () => {
    const r = fc.check(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), (seed) => {
        assert.deepStrictEqual(
          strip(train({ ...options, seed })),
          strip(train({ ...options, seed: seed + 1 })),
        );
      }),
      fcParameters(3),
    );
    assert.equal(r.failed, true);
  });
});
