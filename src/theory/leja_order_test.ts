/**
 * Leja ordering: a permutation whose first point has the largest modulus and whose every next
 * point maximises the product of distances to the points before it (checked by direct products);
 * on the optimal schedule's roots it keeps both the partial products and the tail products of
 * prod_t (1 - lambda/lambda_t) near 1 on the support, where the ascending and descending orders
 * reach 2e5 at T = 64 (control).
 */
import assert from "node:assert/strict";
import { fc, fcParameters } from "../../testkit/config.ts";
import { lejaOrder, lejaPermutation } from "./leja_order.ts";
import { optimalSchedule } from "./optimal_schedule.ts";

const points = fc.array(fc.double({ min: -8, max: 8, noNaN: true }), {
  minLength: 1,
  maxLength: 14,
});

/** prod_j |z - z_j| over the given points. */
function distanceProduct(z: number, taken: readonly number[]): number {
  return taken.reduce((p, w) => p * Math.abs(z - w), 1);
}

Deno.test("lejaPermutation is a permutation with the Leja property (direct products)", () => {
  fc.assert(
    fc.property(points, (values) => {
      const order = lejaPermutation(values);
      assert.deepEqual([...order].sort((a, b) => a - b), values.map((_, i) => i));
      const first = Math.abs(values[order[0]]);
      for (const v of values) assert.ok(Math.abs(v) <= first);
      for (let k = 1; k < order.length; k++) {
        const taken = order.slice(0, k).map((i) => values[i]);
        const chosen = distanceProduct(values[order[k]], taken);
        for (const i of order.slice(k)) {
          const other = distanceProduct(values[i], taken);
          assert.ok(chosen >= other * (1 - 1e-12), `step ${k}: ${chosen} < ${other}`);
        }
      }
      assert.deepEqual(lejaOrder(values), order.map((i) => values[i]));
    }),
    fcParameters(200),
  );
});

Deno.test("lejaOrder: ties go to the earlier point, repeated points last, bad input rejected", () => {
  assert.deepEqual(lejaPermutation([]), []);
  assert.deepEqual(lejaPermutation([-2, 2]), [0, 1]);
  assert.deepEqual(lejaOrder([3, 3, 1, 3]), [3, 1, 3, 3]);
  assert.deepEqual(lejaPermutation([3, 3, 1, 3]), [0, 2, 1, 3]);
  assert.throws(() => lejaOrder([1, Number.NaN]), /^RangeError: points/);
  assert.throws(() => lejaOrder(3 as unknown as number[]), /^TypeError: points/);
});

/** max over t and lambda in [1, 1 + high] of the partial and of the tail products. */
function products(roots: readonly number[], high: number): { partial: number; tail: number } {
  let partial = 0, tail = 0;
  for (let k = 0; k <= 400; k++) {
    const lambda = 1 + high * k / 400;
    let head = 1, back = 1;
    for (let t = 0; t < roots.length; t++) {
      head *= 1 - lambda / roots[t];
      back *= 1 - lambda / roots[roots.length - 1 - t];
      partial = Math.max(partial, Math.abs(head));
      tail = Math.max(tail, Math.abs(back));
    }
  }
  return { partial, tail };
}

Deno.test("on the optimal roots the Leja order keeps partial and tail products near 1", () => {
  const law = { kind: "uniform", low: 0.5, high: 4 } as const;
  for (const depth of [8, 32, 64]) {
    const roots = optimalSchedule(law, depth).roots;
    const leja = products(lejaOrder(roots), 4);
    assert.ok(leja.partial <= 1.5 && leja.tail <= 1.5, `T = ${depth}: ${JSON.stringify(leja)}`);
    // Control: ascending roots (descending steps) grow the partial products, and the reverse
    // grows the tails, by the same factor.
    const ascending = products(roots, 4);
    const descending = products([...roots].reverse(), 4);
    if (depth === 64) {
      assert.ok(ascending.partial > 1e5 && descending.tail > 1e5);
      assert.ok(ascending.tail <= 1 + 1e-12 && descending.partial <= 1 + 1e-12);
    }
  }
});
