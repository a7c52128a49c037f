import assert from "node:assert/strict";
import { yScale } from "./y_scale.ts";

Deno.test("yScale: a log axis spans whole decades, at least one, robust to log10 rounding", () => {
  assert.deepEqual(yScale([0.002, 0.5], true, 100).domain, [1e-3, 1]);
  // log10(1e-3) = -2.9999999999999996: still the decade 1e-3.
  assert.deepEqual(yScale([1e-3, 0.01], true, 100).domain, [1e-3, 0.01]);
  assert.deepEqual(yScale([0.02, 0.03], true, 100).domain, [0.01, 0.1]);
  // Non-positive and infinite values are left out; none left is the decade [0.1, 1].
  assert.deepEqual(yScale([0, -1, Infinity, 0.05], true, 100).domain, [0.01, 0.1]);
  assert.deepEqual(yScale([0, -1], true, 100).domain, [0.1, 1]);
});

Deno.test("yScale: a linear axis is the range padded by 6% on each side", () => {
  const { domain, ticks } = yScale([1, 3, NaN], false, 100);
  assert.ok(Math.abs(domain[0] - 0.88) < 1e-12 && Math.abs(domain[1] - 3.12) < 1e-12);
  assert.equal(ticks, undefined);
  // One value: padded by 6% of its size; none: [0, 1].
  assert.deepEqual(yScale([2], false, 100).domain, [2 - 0.12, 2 + 0.12]);
  assert.deepEqual(yScale([], false, 100).domain, [0, 1]);
});

Deno.test("yScale: pixel rows run from the top, and y <= 0 is off a log axis", () => {
  const log = yScale([0.01, 1], true, 200);
  assert.equal(log.pixel(1), 0);
  assert.equal(log.pixel(0.1), 100);
  assert.equal(log.pixel(0.01), 200);
  assert.equal(log.pixel(0), Infinity);
  const linear = yScale([0, 10], false, 100);
  assert.ok(Math.abs(linear.pixel(5) - 50) < 1e-12);
  assert.ok(linear.pixel(-1) > 100);
});

Deno.test("yScale: log ticks at powers of ten, thinned to at most about 9", () => {
  assert.deepEqual(yScale([1e-3, 1], true, 100).ticks, [1, 0.1, 0.01, 1e-3]);
  const wide = yScale([1e-30, 1], true, 100).ticks!;
  assert.ok(wide.length <= 9, `${wide.length} ticks`);
  assert.equal(wide[0], 1);
  assert.deepEqual(wide.map((t) => Math.round(Math.log10(t))), [
    0,
    -4,
    -8,
    -12,
    -16,
    -20,
    -24,
    -28,
  ]);
});
