import assert from "node:assert/strict";
import { lawQuantile } from "./law.ts";
import {
  requireTarget,
  resolveSample,
  samplePromptBatch,
  sampleTaskBatch,
  wishartApplies,
} from "./task.ts";
import { sampleRegressionPromptBatch, sampleRegressionTasks } from "./families/regression.ts";

// Under the model the strength s ~ P and the direction v ~ uniform on the sphere are
// independent, and |m|^2 = s. With N prompts a correlation is ~ N(0, 1/N) under
// independence, so |corr| <= 5/sqrt(N) fails by chance with probability 5.7e-7.
Deno.test("sampler: spike strength and direction are independent, and |m|^2 = s", () => {
  const law = { kind: "uniform" as const, low: 0.5, high: 4 };
  const n = 20000;
  const batch = sampleTaskBatch(
    resolveSample({ law, d1: 2, d2: 1, prompts: n, context: 4, seed: 3 }),
  );
  const d = 3;
  const rank = new Float64Array(n); // (s - low)/(high - low): the law's CDF, uniform on [0, 1]
  const features: Float64Array[] = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  for (let i = 0; i < n; i++) {
    const s = batch.strength[i];
    let norm2 = 0;
    for (let j = 0; j < d; j++) norm2 += batch.spike[i * d + j] ** 2;
    assert.ok(Math.abs(norm2 - s) <= 1e-12 * s, `|m|^2 = ${norm2} vs s = ${s}`);
    rank[i] = (s - 0.5) / 3.5;
    const v0 = batch.spike[i * d] / Math.sqrt(norm2);
    const v2 = batch.spike[i * d + 2] / Math.sqrt(norm2);
    features[0][i] = v0; // the sign of a coordinate
    features[1][i] = v0 * v0; // its square (E = 1/d regardless of s)
    features[2][i] = v2; // the last coordinate (another normal draw)
  }
  const corr = (a: Float64Array, b: Float64Array) => {
    let ma = 0, mb = 0;
    for (let i = 0; i < n; i++) {
      ma += a[i] / n;
      mb += b[i] / n;
    }
    let sab = 0, saa = 0, sbb = 0;
    for (let i = 0; i < n; i++) {
      sab += (a[i] - ma) * (b[i] - mb);
      saa += (a[i] - ma) ** 2;
      sbb += (b[i] - mb) ** 2;
    }
    return sab / Math.sqrt(saa * sbb);
  };
  for (const [k, f] of features.entries()) {
    const r = corr(rank, f);
    assert.ok(Math.abs(r) <= 5 / Math.sqrt(n), `feature ${k}: corr(s, v) = ${r}`);
  }
  // The strengths follow the law: the mean CDF value is 1/2 within 5 SE (SE = sqrt(1/12/N)).
  const meanRank = rank.reduce((a, b) => a + b, 0) / n;
  assert.ok(Math.abs(meanRank - 0.5) <= 5 * Math.sqrt(1 / 12 / n), `mean rank ${meanRank}`);
  assert.equal(lawQuantile(law, 0.5), 2.25);
});

Deno.test("wishartApplies: exactly d + 2 <= L < Infinity", () => {
  assert.equal(wishartApplies(6, 4), true);
  assert.equal(wishartApplies(5, 4), false);
  assert.equal(wishartApplies(7, 4), true);
  assert.equal(wishartApplies(2, 0), true);
  assert.equal(wishartApplies(Infinity, 4), false);
  assert.equal(wishartApplies(NaN, 4), false);
});

Deno.test("resolveSample: the sampler `auto` resolves by wishartApplies; wishart at L = inf is tokens", () => {
  const base = { d1: 2, d2: 2, prompts: 3, seed: 1 };
  assert.equal(resolveSample({ ...base, context: 6 }).sampler, "wishart");
  assert.equal(resolveSample({ ...base, context: 5 }).sampler, "tokens");
  assert.equal(resolveSample({ ...base, context: Infinity }).sampler, "tokens");
  assert.equal(resolveSample({ ...base, context: 5, sampler: "wishart" }).sampler, "wishart");
  assert.equal(resolveSample({ ...base, context: 6, sampler: "tokens" }).sampler, "tokens");
  assert.equal(
    resolveSample({ ...base, context: Infinity, sampler: "wishart" }).sampler,
    "tokens",
  );
  assert.equal(resolveSample({ ...base, context: 6, sampler: "auto" }).sampler, "wishart");
  const resolved = resolveSample({ ...base, context: 9, stream: 7, promptOffset: 11 });
  assert.deepEqual(
    { ...resolved, task: undefined },
    {
      task: undefined,
      prompts: 3,
      context: 9,
      key: { seed: 1, stream: 7 },
      promptOffset: 11,
      sampler: "wishart",
    },
  );
  assert.deepEqual(resolveSample({ ...base, context: 9 }).key, { seed: 1, stream: 0 });
  assert.equal(resolveSample({ ...base, context: 9 }).promptOffset, 0);
});

Deno.test("resolveSample and resolveTask: each bad value names its option", () => {
  const good = { d1: 2, d2: 2, prompts: 3, context: 8, seed: 1 };
  const cases: [Record<string, unknown>, RegExp, typeof TypeError | typeof RangeError][] = [
    [{ d1: 0 }, /^d1 must be a positive integer, got 0$/, RangeError],
    [{ d2: 1.5 }, /^d2 must be a positive integer, got 1\.5$/, RangeError],
    [{ sigma: -1 }, /^sigma must be a finite number >= 0, got -1$/, RangeError],
    [{ prompts: 0 }, /^prompts must be a positive integer, got 0$/, RangeError],
    [{ context: 0 }, /^context must be a positive integer, got 0$/, RangeError],
    [{ seed: -1 }, /^seed must be a non-negative integer, got -1$/, RangeError],
    [{ stream: -1 }, /^stream must be a non-negative integer, got -1$/, RangeError],
    [{ stream: 2 ** 32 }, /^stream must be a u32, got 4294967296$/, RangeError],
    [{ promptOffset: -2 }, /^promptOffset must be a non-negative integer, got -2$/, RangeError],
    [
      { promptOffset: 2 ** 32 - 3 },
      /^promptOffset \+ prompts must be at most 2\^32 - 1, got 4294967296$/,
      RangeError,
    ],
    [
      { sampler: "exact" },
      /^sampler must be one of tokens, wishart, auto, got "exact"$/,
      RangeError,
    ],
  ];
  for (const [change, message, kind] of cases) {
    assert.throws(() => resolveSample({ ...good, ...change } as never), (error: Error) => {
      assert.ok(error instanceof kind, `${JSON.stringify(change)}: ${error}`);
      assert.match(error.message, message);
      return true;
    });
  }
  // The largest stream and the largest promptOffset + prompts are accepted.
  assert.equal(resolveSample({ ...good, stream: 2 ** 32 - 1 }).key.stream, 2 ** 32 - 1);
  assert.equal(resolveSample({ ...good, promptOffset: 2 ** 32 - 4 }).promptOffset, 2 ** 32 - 4);
  for (const bad of [null, undefined, 3, "prompts"]) {
    assert.throws(
      () => resolveSample(bad as never),
      (error: Error) =>
        error instanceof TypeError && error.message === `options must be an object, got ${bad}`,
    );
  }
  // L = inf only where exact task statistics are allowed.
  assert.throws(
    () => resolveSample({ ...good, context: Infinity }, false),
    /^RangeError: context must be a positive integer, got Infinity$/,
  );
  assert.equal(resolveSample({ ...good, context: Infinity }).context, Infinity);
  // A token batch stores tokens, so it never accepts L = inf.
  assert.throws(() => samplePromptBatch({ ...good, context: Infinity }), /context must be/);
  assert.throws(() => requireTarget("label2"), /^RangeError: target must be one of label, bayes/);
  assert.equal(requireTarget("bayes"), "bayes");
});

Deno.test("sampleTaskBatch and samplePromptBatch: the regression family draws its own tasks", () => {
  const options = {
    family: "regression" as const,
    d1: 2,
    d2: 1,
    prompts: 4,
    context: 5,
    seed: 2,
  };
  const sample = resolveSample(options);
  assert.deepEqual(sampleTaskBatch(sample), sampleRegressionTasks(sample));
  assert.deepEqual(
    samplePromptBatch(options),
    sampleRegressionPromptBatch(resolveSample(options, false)),
  );
  // The paper's family from the same key: spikes of squared norm in the law's support.
  const paper = sampleTaskBatch(resolveSample({ ...options, family: undefined }));
  assert.notDeepEqual(paper.spike, sampleRegressionTasks(sample).spike);
});

Deno.test("samplePromptBatch: the stream is pinned (a replayed record draws these tokens)", () => {
  // x = h m + z and y = l h + sigma e with (h, z, e) standard normals from the Philox stream.
  // The signs of z and e do not change the law, so only pinned values can tell them apart; the
  // WebGPU sampler and every JSON record's replay rely on these exact draws.
  const batch = samplePromptBatch({ d1: 1, d2: 1, prompts: 2, context: 2, seed: 1, sigma: 0.5 });
  const pinned = {
    x: [
      -1.0604379557734875,
      -0.31294430868291834,
      1.3289410931852266,
      0.18025833310164252,
      -0.7487375443893165,
      0.45551712137268263,
      -0.3656644138208541,
      -0.30740023264005967,
    ],
    y: [-0.10447093565898258, -0.048296192863213405, -0.1722901014163759, -1.0364797251136857],
    query: [-1.6273666235363025, 0.7897191343367361, 0.15325583925439323, 1.7650619659702922],
    queryLabel: [-0.07315460403102603, 1.5624813843784198],
    strength: [2.6885916888713837, 3.655893951654434],
    spike: [1.293618003195517, -1.007543622221801, 1.2714204233534305, 1.428070046858423],
  };
  for (const [field, values] of Object.entries(pinned)) {
    const got = batch[field as keyof typeof pinned];
    values.forEach((v, i) => {
      assert.ok(Math.abs(got[i] - v) <= 1e-15 * Math.abs(v), `${field}[${i}]: ${got[i]} vs ${v}`);
    });
  }
});
