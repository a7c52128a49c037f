import assert from "node:assert/strict";
import {
  requireKnownKeys,
  requireLength,
  requireNoNaN,
  requireNumbers,
  requireStatistics,
} from "./errors.ts";

Deno.test("requireLength accepts exactly the expected length and returns the value", () => {
  const value = new Float64Array(3);
  assert.equal(requireLength("x", value, 3), value);
  assert.deepEqual(requireLength("x", [1, 2], 2), [1, 2]);
  assert.deepEqual(requireLength("x", [], 0), []);
});

Deno.test("requireLength rejects too-long and too-short arrays with a RangeError naming the value", () => {
  assert.throws(
    () => requireLength("gamma", [1, 2, 3, 4], 3),
    (e: unknown) =>
      e instanceof RangeError && e.message === "gamma must have length 3, got length 4",
  );
  assert.throws(
    () => requireLength("gamma", new Float64Array(2), 3),
    (e: unknown) =>
      e instanceof RangeError && e.message === "gamma must have length 3, got length 2",
  );
});

Deno.test("requireLength rejects non-arrays with a TypeError", () => {
  for (const bad of [null, undefined, 3, "abc", { length: "2" }]) {
    assert.throws(
      () => requireLength("p", bad as unknown as ArrayLike<number>, 2),
      (e: unknown) =>
        e instanceof TypeError && e.message.startsWith("p must be an array of numbers"),
    );
  }
});

Deno.test("requireKnownKeys names the unknown option; known keys and undefined pass (control)", () => {
  assert.throws(
    () => requireKnownKeys("options", { lr: -1 }, ["learningRate"]),
    { name: "TypeError", message: /options has an unknown option "lr" \(known: learningRate\)/ },
  );
  assert.throws(() => requireKnownKeys("options", [1], ["a"]), TypeError);
  requireKnownKeys("options", { learningRate: 0.1 }, ["learningRate"]);
  requireKnownKeys("options", undefined, ["learningRate"]);
});

Deno.test("requireStatistics checks lengths against prompts and d, and finiteness (control: a valid shape)", () => {
  const n = 2, d = 1;
  const stats = {
    prompts: n,
    task: { dim: d },
    sigmaHat: [1, 1],
    muHat: [0, 0],
    query: [1, 2],
    meanY: [0, 0],
    meanY2: [1, 1],
    queryLabel: [0, 1],
  };
  requireStatistics("stats", stats);
  assert.throws(
    () => requireStatistics("stats", { ...stats, prompts: 3 }),
    /stats.sigmaHat must have length 3/,
  );
  assert.throws(
    () => requireStatistics("stats", { ...stats, muHat: [0, NaN] }),
    /stats.muHat must contain only finite/,
  );
  assert.throws(() => requireStatistics("stats", null), TypeError);
});

Deno.test("requireNumbers and requireNoNaN: NaN is refused; requireNoNaN lets infinities through", () => {
  assert.throws(
    () => requireNumbers("values", [1, Infinity]),
    /values must contain only finite numbers/,
  );
  assert.throws(
    () => requireNoNaN("values", [1, NaN]),
    /values must not contain NaN, got NaN at index 1/,
  );
  assert.deepEqual(requireNoNaN("values", [1, Infinity]), [1, Infinity]);
  assert.throws(() => requireNumbers("values", "12"), TypeError);
});
