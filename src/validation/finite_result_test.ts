import assert from "node:assert/strict";
import { requireFiniteResult } from "./finite_result.ts";

Deno.test("requireFiniteResult: finite values and arrays pass unchanged", () => {
  assert.equal(requireFiniteResult(0, "x", { a: 1 }), 0);
  assert.equal(requireFiniteResult(-1e308, "x", { a: 1 }), -1e308);
  const list = [1, 2, 3];
  assert.equal(requireFiniteResult(list, "x", { a: 1 }), list);
});

Deno.test("requireFiniteResult: Infinity and NaN are RangeErrors naming every argument", () => {
  assert.throws(
    () => requireFiniteResult(-Infinity, "the excess", { alpha: 1e300, beta: -2, depth: 10 }),
    (e: unknown) =>
      e instanceof RangeError &&
      e.message === "alpha = 1e+300, beta = -2 and depth = 10 make the excess overflow (-Infinity)",
  );
  assert.throws(
    () => requireFiniteResult([1, NaN], "the gap", { law: "uniform[0, 1e+200]" }),
    (e: unknown) =>
      e instanceof RangeError &&
      e.message === "law = uniform[0, 1e+200] makes the gap undefined (NaN: an overflow cancelled)",
  );
});
