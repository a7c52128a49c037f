/**
 * One draw of the sufficient sums of `count` i.i.d. standard normal vectors z_i in
 * R^p, W = sum_i z_i z_i^T and S = sum_i z_i, without drawing the z_i: for an
 * orthogonal Q whose first row is 1^T / sqrt(count), the rows of Q Z are again
 * i.i.d. N(0, I), so S = sqrt(count) g and W = g g^T + W' with g ~ N(0, I_p)
 * independent of W' ~ Wishart_p(count - 1, I). W' is drawn by the Bartlett
 * decomposition W' = A A^T (A lower triangular, A_jj^2 ~ chi^2_{count-1-j},
 * A_jk ~ N(0, 1) below the diagonal) when count - 1 >= p, and as a sum of
 * count - 1 outer products of normal vectors otherwise. O(p^3) whatever `count`.
 *
 * Random numbers come from a Philox counter stream (`StreamTag.wishartNormal` and
 * `StreamTag.wishartGamma`; the counter word of the token index holds the increment
 * number), so a draw depends only on (seed, stream, prompt, increment). The exact
 * statistics samplers of the task families (`model/wishart.ts`,
 * `model/families/regression.ts`) map (W, S) to a prompt's statistics.
 *
 * @module
 */

import { type CounterStream, StreamTag } from "./random.ts";

/** Blocks reserved per chi-square variate for Marsaglia-Tsang attempts. */
const GAMMA_BLOCKS = 1024;

/**
 * Adds an independent draw of (W, S) for `count` tokens to `w` (p x p, lower triangle
 * used) and `sum` (p): increment number `increment` of prompt `prompt`.
 * `normals` and `factor` are scratch of length >= p (p + 1) / 2 + p and (p + 1)^2, `factor`
 * zero on entry (it stays zero above the diagonal, so it can be reused).
 */
export function addWishartIncrement(
  generator: CounterStream,
  prompt: number,
  increment: number,
  count: number,
  p: number,
  w: Float64Array,
  sum: Float64Array,
  normals: Float64Array,
  factor: Float64Array,
): void {
  const rest = count - 1;
  const bartlett = rest >= p;
  const normalCount = p + (bartlett ? (p * (p - 1)) / 2 : rest * p);
  if (normals.length < normalCount) throw new RangeError("normals scratch is too short");
  generator.normals(prompt, increment, StreamTag.wishartNormal, normalCount, normals);
  // g g^T and S += sqrt(count) g.
  const root = Math.sqrt(count);
  for (let a = 0; a < p; a++) {
    const ga = normals[a];
    sum[a] += root * ga;
    const row = a * p;
    for (let b = 0; b <= a; b++) w[row + b] += ga * normals[b];
  }
  if (bartlett) {
    // A (row stride P = p rounded up to even, zero above the diagonal and in the padding):
    // row j has normals on columns k < j and sqrt(chi^2_{rest - j}) on the diagonal.
    const P = p + (p & 1);
    let k = p;
    for (let j = 0; j < p; j++) {
      const row = j * P;
      for (let c = 0; c < j; c++) factor[row + c] = normals[k++];
      const chi2 = 2 * generator.gamma(
        prompt,
        increment,
        StreamTag.wishartGamma,
        (rest - j) / 2,
        j * GAMMA_BLOCKS,
        GAMMA_BLOCKS,
      );
      factor[row + j] = Math.sqrt(chi2);
    }
    // W += A A^T on the lower triangle, 2 x 2 register blocks: rows (a, a + 1) against
    // rows (b, b + 1), b <= a, summed over c <= b + 1 (A is zero beyond its diagonal).
    for (let a = 0; a < P; a += 2) {
      const r0 = a * P, r1 = r0 + P;
      for (let b = 0; b <= a; b += 2) {
        const q0 = b * P, q1 = q0 + P;
        let s00 = 0, s01 = 0, s10 = 0, s11 = 0;
        for (let c = 0; c <= b + 1; c++) {
          const x0 = factor[r0 + c], x1 = factor[r1 + c];
          const y0 = factor[q0 + c], y1 = factor[q1 + c];
          s00 += x0 * y0;
          s01 += x0 * y1;
          s10 += x1 * y0;
          s11 += x1 * y1;
        }
        w[a * p + b] += s00;
        if (b < a) w[a * p + b + 1] += s01;
        if (a + 1 < p) {
          w[(a + 1) * p + b] += s10;
          if (b + 1 < p) w[(a + 1) * p + b + 1] += s11;
        }
      }
    }
  } else {
    // Fewer than p further tokens: their outer products directly.
    for (let t = 0; t < rest; t++) {
      const o = p + t * p;
      for (let a = 0; a < p; a++) {
        const za = normals[o + a];
        const row = a * p;
        for (let b = 0; b <= a; b++) w[row + b] += za * normals[o + b];
      }
    }
  }
}
