import assert from "node:assert/strict";
import { fitSlope } from "./slope.ts";

Deno.test("fitSlope: the least-squares slope of a line", () => {
  assert.ok(Math.abs(fitSlope([1, 2, 3, 4], [3, 5, 7, 9]) - 2) < 1e-15);
  // Residuals orthogonal to x - x_bar leave the slope: 2x + 1 plus (1, -1, -1, 1).
  assert.ok(Math.abs(fitSlope([0, 1, 2, 3], [2, 2, 4, 8]) - 2) < 1e-15);
  // Control: residuals along x - x_bar move it: 2x + 1 plus (-1, 0, 0, 1) gives 2 + 3/5.
  assert.ok(Math.abs(fitSlope([0, 1, 2, 3], [0, 3, 5, 8]) - 2.6) < 1e-15);
});

Deno.test("fitSlope: a single point or unequal lengths are refused", () => {
  assert.throws(() => fitSlope([1], [1]), /at least 2, got 1 and 1/);
  assert.throws(() => fitSlope([1, 2], [1]), /same length/);
});
