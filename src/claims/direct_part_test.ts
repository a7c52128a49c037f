import assert from "node:assert/strict";
import { directPart } from "./direct_part.ts";
import { Gauge } from "./gauge.ts";
import { resolveCheck } from "./resolve_check.ts";

Deno.test("directPart reports the verdict, text and numeric fields", () => {
  const check = resolveCheck({ perturb: { part: "x", margins: 3 } });
  const text = { measured: "m", target: "t", margin: "g" };
  const failed = directPart(new Gauge(check, "x", "rounding"), 0, 0, 1, text);
  assert.equal(failed.passed, false);
  assert.equal(failed.name, "x");
  assert.equal(failed.measured, "m (perturbed by 3 margins)");
  assert.equal(failed.measuredValue, 3);
  assert.equal(failed.sense, "rounding");
  const held = directPart(new Gauge(resolveCheck({}), "x", "rounding"), 0.5, 0, 1, text);
  assert.equal(held.passed, true);
  assert.equal(held.measured, "m");
  assert.equal(held.target, "t");
  assert.equal(held.margin, "g");
});
