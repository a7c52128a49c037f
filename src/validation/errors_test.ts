import assert from "node:assert/strict";
import { requireLength } from "./errors.ts";

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
