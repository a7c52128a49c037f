import assert from "node:assert/strict";
import { samplePromptBatch } from "./task.ts";
import {
  bayesTarget,
  samplePromptStatistics,
  samplePromptStatisticsNested,
  spectralStatistics,
  statisticsFromBatch,
} from "./prompt_statistics.ts";
import { RESPONSE_LOADING } from "./reconstructed.ts";

const TASK = { d1: 2, d2: 1, prompts: 5, seed: 3, sigma: 0.4, sampler: "tokens" as const };
const FIELDS = ["sigmaHat", "muHat", "meanY", "meanY2", "query", "queryLabel"] as const;

function assertSameStatistics(
  a: ReturnType<typeof samplePromptStatistics>,
  b: ReturnType<typeof samplePromptStatistics>,
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

Deno.test("samplePromptStatisticsNested: each length equals its own pass; L = inf is exact", () => {
  const contexts = [1, 4, 9, Infinity];
  const nested = samplePromptStatisticsNested(TASK, contexts);
  assert.equal(nested.length, 4);
  for (const [i, L] of contexts.entries()) {
    const single = samplePromptStatistics({ ...TASK, context: L });
    assertSameStatistics(nested[i], single, 0, `L=${L}`);
    assert.equal(nested[i].context, L);
  }
  // Only the exact moments.
  const exact = samplePromptStatisticsNested(TASK, [Infinity]);
  assert.equal(exact.length, 1);
  assertSameStatistics(exact[0], nested[3], 0, "L=inf alone");
  // The Wishart sampler (auto when every finite L >= d + 2) keeps the tasks and the query.
  const wishart = samplePromptStatisticsNested({ ...TASK, sampler: "auto" }, [5, 8]);
  assert.equal(wishart.length, 2);
  const single = samplePromptStatistics({ ...TASK, sampler: "wishart", context: 5 });
  assertSameStatistics(wishart[0], single, 0, "wishart L=5");
  const tokens = samplePromptStatistics({ ...TASK, context: 5 });
  assert.notDeepEqual(wishart[0].sigmaHat, tokens.sigmaHat);
  // One finite length below d + 2 = 5: auto is tokens for all of them.
  const mixed = samplePromptStatisticsNested({ ...TASK, sampler: "auto" }, [4, 8]);
  assertSameStatistics(mixed[1], samplePromptStatistics({ ...TASK, context: 8 }), 0, "tokens L=8");
  assert.deepEqual(wishart[0].query, nested[0].query);
  assert.deepEqual(wishart[1].queryLabel, nested[0].queryLabel);
  assert.deepEqual(wishart[1].spike, nested[0].spike);
  assert.notDeepEqual(wishart[0].sigmaHat, wishart[1].sigmaHat);
});

Deno.test("statisticsFromBatch: a batch whose arrays are too short is named", () => {
  const batch = samplePromptBatch({ ...TASK, context: 3 });
  assert.throws(
    () => statisticsFromBatch({ ...batch, x: batch.x.subarray(1) }),
    /^RangeError: batch\.x must have length 45, got length 44$/,
  );
  assert.throws(
    () => statisticsFromBatch({ ...batch, y: batch.y.subarray(1) }),
    /^RangeError: batch\.y must have length 15, got length 14$/,
  );
});

Deno.test("the regression family's statistics are its tokens' sums (not the paper's tasks)", () => {
  const options = { ...TASK, context: 6, family: "regression" as const };
  const streamed = samplePromptStatistics(options);
  const stored = statisticsFromBatch(samplePromptBatch(options));
  assertSameStatistics(streamed, stored, 1e-13, "regression");
  assert.deepEqual(streamed.spike, stored.spike);
  const paper = samplePromptStatistics({ ...TASK, context: 6 });
  assert.notDeepEqual(streamed.spike, paper.spike);
});

Deno.test("samplePromptStatisticsNested: bad lengths are named", () => {
  const cases: [unknown, RegExp][] = [
    [[], /^TypeError: contexts must be a non-empty array, got $/],
    [5, /^TypeError: contexts must be a non-empty array, got 5$/],
    [[4, 4], /^RangeError: contexts must be strictly increasing, got 4 then 4 at index 1$/],
    [[8, 3], /^RangeError: contexts must be strictly increasing, got 8 then 3 at index 1$/],
    [[Infinity, 3], /^RangeError: contexts must be strictly increasing, got Infinity then 3/],
    [[2, 3.5], /^RangeError: contexts\[1\] must be a positive integer, got 3\.5$/],
  ];
  for (const [contexts, message] of cases) {
    assert.throws(() => samplePromptStatisticsNested(TASK, contexts as never), message);
  }
  assert.throws(
    () => samplePromptStatisticsNested({ ...TASK, family: "regression" }, [3, 5]),
    /^RangeError: family must be paper for nested context lengths, got regression/,
  );
});

Deno.test("spectralStatistics: traces and the projections x_q^T Sigma^k mu for k = 0, 1", () => {
  const stats = samplePromptStatistics({ ...TASK, context: 6 });
  const spectral = spectralStatistics(stats);
  const d = 3;
  assert.equal(spectral.prompts, 5);
  assert.equal(spectral.dim, 3);
  for (let n = 0; n < 5; n++) {
    const sigma = stats.sigmaHat.subarray(n * d * d, (n + 1) * d * d);
    const xq = stats.query.subarray(n * d, (n + 1) * d);
    const mu = stats.muHat.subarray(n * d, (n + 1) * d);
    let trace = 0, direct0 = 0, direct1 = 0;
    for (let a = 0; a < d; a++) {
      trace += sigma[a * d + a];
      direct0 += xq[a] * mu[a];
      for (let b = 0; b < d; b++) direct1 += xq[a] * sigma[a * d + b] * mu[b];
    }
    let sumLambda = 0, spectral0 = 0, spectral1 = 0;
    for (let j = 0; j < d; j++) {
      const lambda = spectral.lambda[n * d + j], w = spectral.weight[n * d + j];
      sumLambda += lambda;
      spectral0 += w;
      spectral1 += lambda * w;
    }
    const scale = 1e-12 * (1 + trace) * (1 + Math.abs(direct0) + Math.abs(direct1));
    assert.ok(Math.abs(sumLambda - trace) <= scale, `trace ${sumLambda} vs ${trace}`);
    assert.ok(Math.abs(spectral0 - direct0) <= scale, `x_q^T mu ${spectral0} vs ${direct0}`);
    assert.ok(Math.abs(spectral1 - direct1) <= scale, `x_q^T Sigma mu ${spectral1} vs ${direct1}`);
  }
});

Deno.test("bayesTarget: m^T x_q/(1 + s) for the paper's family, w^T x_q for regression", () => {
  const stats = samplePromptStatistics({ ...TASK, context: 4 });
  const target = bayesTarget(stats);
  for (let n = 0; n < 5; n++) {
    let dot = 0;
    for (let j = 0; j < 3; j++) dot += stats.spike[n * 3 + j] * stats.query[n * 3 + j];
    assert.ok(Math.abs(target[n] - RESPONSE_LOADING * dot / (1 + stats.strength[n])) <= 1e-15);
  }
  const regression = samplePromptStatistics({ ...TASK, context: 4, family: "regression" });
  const w = bayesTarget(regression);
  for (let n = 0; n < 5; n++) {
    let dot = 0;
    for (let j = 0; j < 3; j++) dot += regression.spike[n * 3 + j] * regression.query[n * 3 + j];
    assert.ok(Math.abs(w[n] - dot) <= 1e-15);
  }
  assert.throws(() => bayesTarget(null as never), /^TypeError: stats must be/);
});

Deno.test("samplePromptStatistics: over the memory or sampling budget is a RangeError naming prompts and context", () => {
  assert.throws(
    () => samplePromptStatistics({ prompts: 1e9, context: 100, seed: 0 }),
    (e: unknown) =>
      e instanceof RangeError &&
      /^prompts 1e9 need about 432 GiB for the prompt statistics at d = 4, over the memory limit of 2 GiB: lower prompts/
        .test(e.message),
  );
  assert.throws(
    () => samplePromptStatistics({ prompts: 1e4, context: 1e6, seed: 0, sampler: "tokens" }),
    /^RangeError: sampling prompts 10000 x \(context 1e6 \+ 1\) tokens at d = 4 .*lower prompts, context/,
  );
  // Controls: the same sizes by the Wishart sampler (O(d^3) a prompt) or with the budget lifted
  // are fine; so is a budget raised by number. Nothing is sampled before the check.
  assert.equal(samplePromptStatistics({ prompts: 1e4, context: 1e6, seed: 0 }).prompts, 1e4);
  const lifted = { prompts: 3, context: 1e6, seed: 0, sampler: "tokens" as const };
  assert.throws(
    () => samplePromptStatistics({ ...lifted, limits: { samplingWork: 1e7 } }),
    /6e7 .* limit of 1e7:/,
  );
  assert.equal(samplePromptStatistics({ ...lifted, limits: { samplingWork: 1e8 } }).prompts, 3);
  assert.throws(
    () => samplePromptStatistics({ ...lifted, limits: { samples: 1 } as never }),
    /^TypeError: limits has an unknown key "samples"/,
  );
});
