import assert from "node:assert/strict";
import { ResolvableDepths } from "./resolvable_depths.ts";

Deno.test("ResolvableDepths: the threshold (1000 x 4 d T u)^2, NaN skipped, the report", () => {
  const guard = new ResolvableDepths();
  assert.equal(guard.text, "0 of 0 depth checks skipped");
  const threshold = (1000 * 4 * 5 * 3 * Number.EPSILON / 2) ** 2; // d = 5, T = 3
  assert.equal(guard.check(threshold, 5, 3), true);
  assert.equal(guard.check(threshold * (1 - 1e-12), 5, 3), false);
  // d and T enter as the product d T: d = 3, T = 5 has the same threshold; d = 5, T = 4 a higher.
  assert.equal(guard.check(threshold, 3, 5), true);
  assert.equal(guard.check(threshold, 5, 4), false);
  assert.equal(guard.check(threshold * (4 / 3) ** 2, 5, 4), true);
  assert.equal(guard.check(NaN, 5, 3), false);
  assert.equal(guard.check(1, 1, 1), true);
  assert.equal(guard.text, "3 of 7 depth checks skipped (T=3, T=4, T=3)");
});
