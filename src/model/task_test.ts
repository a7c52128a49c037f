import assert from "node:assert/strict";
import {
  requireTarget,
  resolveSample,
  samplePromptBatch,
  sampleTaskBatch,
  wishartApplies,
} from "./task.ts";
import { sampleRegressionPromptBatch, sampleRegressionTasks } from "./families/regression.ts";
import { samplePromptStatistics } from "./prompt_statistics.ts";

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

Deno.test("samplePromptBatch: the stored tokens count against the memory budget, naming prompts and context", () => {
  assert.throws(
    () => samplePromptBatch({ prompts: 1e5, context: 1e4, seed: 0 }),
    (e: unknown) =>
      e instanceof RangeError &&
      e.message.startsWith(
        "prompts 100000 x context 10000 need about 37.3 GiB for the stored tokens",
      ) &&
      e.message.includes("lower prompts or context"),
  );
  // Control: the same number of tokens as statistics fits (no token is kept).
  assert.equal(samplePromptStatistics({ prompts: 1e5, context: 1e4, seed: 0 }).prompts, 1e5);
  assert.equal(samplePromptBatch({ prompts: 2, context: 1e4, seed: 0 }).x.length, 2 * 1e4 * 4);
});
