import assert from "node:assert/strict";
import { WorstCase } from "./worst_case.ts";

Deno.test("WorstCase keeps the largest value", () => {
  const w = new WorstCase();
  assert.equal(w.text, "no runs");
  w.record(-5, "a");
  assert.equal(w.text, "a");
  w.record(1, "b");
  w.record(0, "c");
  assert.equal(w.text, "b");
});

// Tests added from the mutation run of result.ts (docs/mutation.md).

Deno.test("WorstCase ties and first records", () => {
  const w = new WorstCase();
  w.record(-Infinity, "first");
  assert.equal(w.text, "first");
  const t = new WorstCase();
  t.record(1, "a");
  t.record(1, "b");
  assert.equal(t.text, "a");
});
