/**
 * Leja ordering of real points, the classic stable order of the factors of a product
 * prod_t (1 - lambda/lambda_t) (Richardson iteration with the reciprocal roots as steps; Reichel,
 * BIT 30, 1990): the first point has the largest modulus, and every next one maximises the
 * product of its distances to the points already taken,
 *   z_1 = argmax |z|,   z_{k+1} = argmax_z prod_{j<=k} |z - z_j|.
 * On an interval the sequence alternates between the ends and fills the gaps, so every partial
 * product stays moderate, unlike the ascending and descending orders. Distances are multiplied
 * as sums of logarithms (no overflow at any length); ties go to the earlier input point.
 *
 * @module
 */

import { requireNumbers } from "../validation/errors.ts";

/**
 * The permutation that puts `points` in Leja order: `order[k]` is the index (in `points`) of the
 * k-th Leja point. Repeated points come last among equals (their distance is 0).
 *
 * @example Four points of [1, 5]: the largest first, then the far end, then the middle
 * ```ts
 * import assert from "node:assert/strict";
 * import { lejaPermutation } from "./leja_order.ts";
 * assert.deepEqual(lejaPermutation([1, 2, 4, 5]), [3, 0, 1, 2]);
 * ```
 */
export function lejaPermutation(points: readonly number[]): number[] {
  const values = Array.from(requireNumbers("points", points));
  const n = values.length;
  if (n === 0) return [];
  const taken = new Array<boolean>(n).fill(false);
  const logDistance = new Float64Array(n); // sum over the taken points of log |z - z_j|
  let first = 0;
  for (let i = 1; i < n; i++) if (Math.abs(values[i]) > Math.abs(values[first])) first = i;
  const order = [first];
  taken[first] = true;
  while (order.length < n) {
    const last = values[order[order.length - 1]];
    let best = -1;
    for (let i = 0; i < n; i++) {
      if (taken[i]) continue;
      logDistance[i] += Math.log(Math.abs(values[i] - last));
      if (best < 0 || logDistance[i] > logDistance[best]) best = i;
    }
    order.push(best);
    taken[best] = true;
  }
  return order;
}

/**
 * `points` in Leja order (see {@linkcode lejaPermutation}): for the roots lambda_t of a schedule,
 * the steps 1/lambda_t in this order are the Leja-ordered schedule.
 *
 * @example The roots of a 5-step schedule on [1.5, 5] interleave from the top end
 * ```ts
 * import assert from "node:assert/strict";
 * import { lejaOrder } from "./leja_order.ts";
 * assert.deepEqual(lejaOrder([1.5, 2, 3, 4, 5]), [5, 1.5, 3, 4, 2]);
 * ```
 */
export function lejaOrder(points: readonly number[]): number[] {
  const values = Array.from(requireNumbers("points", points));
  return lejaPermutation(values).map((i) => values[i]);
}
