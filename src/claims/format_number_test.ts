import assert from "node:assert/strict";
import { fmt } from "./format_number.ts";

Deno.test("fmt formats compactly", () => {
  assert.equal(fmt(0), "0");
  assert.equal(fmt(0.123456), "0.1235");
  assert.equal(fmt(1e-5), "1.000e-5");
  assert.equal(fmt(Infinity), "Infinity");
  assert.equal(fmt(123456), "1.235e+5");
});

// Tests added from the mutation run of result.ts (docs/mutation.md).

Deno.test("fmt at its switch points", () => {
  assert.equal(fmt(0.001), "0.001");
  assert.equal(fmt(1e5), "1.000e+5");
  assert.equal(fmt(12345), "12350");
  assert.equal(fmt(-0.5), "-0.5");
});
