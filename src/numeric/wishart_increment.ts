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
 * A Bartlett increment with p <= 256 runs in one WebAssembly call (`philox_wasm.wat`:
 * `increment`, with f64x2 lanes for A A^T): the same draws and the same sums in the same
 * order as the JS code here, which runs without WebAssembly and for larger p, so the bits
 * are the same either way (`props/sampler_bits_test.ts` pins both).
 *
 * @module
 */

import { type CounterStream, philoxWasm, StreamTag } from "./random.ts";
import { type PhiloxWasm, WASM_FACTOR_MAX } from "./philox_wasm.ts";

/** Blocks reserved per chi-square variate for Marsaglia-Tsang attempts (also in the .wat). */
const GAMMA_BLOCKS = 1024;

let diagonalBuffer = new Float64Array(64);
/** Scratch of length >= p for the Bartlett diagonal (grown on demand, module-wide). */
function diagonalScratch(p: number): Float64Array {
  if (diagonalBuffer.length < p) diagonalBuffer = new Float64Array(2 * p);
  return diagonalBuffer;
}

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
  const fast = bartlett && p <= WASM_FACTOR_MAX ? philoxWasm() : null;
  if (fast !== null && incrementWasm(fast, generator, prompt, increment, count, p, w, sum)) return;
  generator.normals(prompt, increment, StreamTag.wishartNormal, normalCount, normals);
  // g g^T and S += sqrt(count) g.
  const root = Math.sqrt(count);
  for (let a = 0; a < p; a++) {
    const ga = normals[a];
    sum[a] += root * ga;
    const row = a * p;
    for (let b = 0; b <= a; b++) w[row + b] += ga * normals[b];
  }
  if (!bartlett) {
    // Fewer than p further tokens: their outer products directly.
    for (let t = 0; t < rest; t++) {
      const o = p + t * p;
      for (let a = 0; a < p; a++) {
        const za = normals[o + a];
        const row = a * p;
        for (let b = 0; b <= a; b++) w[row + b] += za * normals[o + b];
      }
    }
    return;
  }
  // The diagonal sqrt(chi^2_{rest - j}), j < p: one call for all p variates.
  const diagonal = diagonalScratch(p);
  generator.bartlettDiagonal(
    prompt,
    increment,
    StreamTag.wishartGamma,
    rest,
    p,
    GAMMA_BLOCKS,
    diagonal,
  );
  addBartlettJs(p, normals, diagonal, factor, w);
}

/**
 * The Bartlett increment in one WebAssembly call (the same draws and sums in the same order
 * as the JS code below, so the same bits): copies W and S into its memory and back. False
 * when a chi variate exhausted its attempts (the JS code then throws gamma's error).
 */
function incrementWasm(
  fast: PhiloxWasm,
  generator: CounterStream,
  prompt: number,
  increment: number,
  count: number,
  p: number,
  w: Float64Array,
  sum: Float64Array,
): boolean {
  const ww = fast.w, ss = fast.sum, size = p * p;
  // W and S may already be the module's own (`wishartScratch`): then nothing is copied.
  const own = w === ownScratch.w && sum === ownScratch.sum;
  if (!own) {
    for (let i = 0; i < size; i++) ww[i] = w[i];
    for (let i = 0; i < p; i++) ss[i] = sum[i];
  }
  const failed = generator.incrementWasm(
    fast,
    prompt,
    increment,
    (StreamTag.wishartNormal << 24) >>> 0,
    (StreamTag.wishartGamma << 24) >>> 0,
    count,
    p,
    Math.sqrt(count),
  );
  if (failed !== 0) return false;
  if (!own) {
    for (let i = 0; i < size; i++) w[i] = ww[i];
    for (let i = 0; i < p; i++) sum[i] = ss[i];
  }
  return true;
}

/**
 * Scratch for W (p x p) and S (p) of `addWishartIncrement`: views of the WebAssembly
 * module's own W and S where p fits them (then no increment copies them), else new arrays.
 * The views are shared: valid until the next caller takes them (callers are synchronous).
 */
export function wishartScratch(p: number): { w: Float64Array; sum: Float64Array } {
  const fast = p <= WASM_FACTOR_MAX ? philoxWasm() : null;
  if (fast === null) return { w: new Float64Array(p * p), sum: new Float64Array(p) };
  const scratch = { w: fast.w.subarray(0, p * p), sum: fast.sum.subarray(0, p) };
  ownScratch = scratch;
  return scratch;
}

/** The views that `wishartScratch` handed out last (compared by identity). */
let ownScratch: { w: Float64Array | null; sum: Float64Array | null } = { w: null, sum: null };

/** W += A A^T on the lower triangle in JS (without WebAssembly, or for p > 256). */
function addBartlettJs(
  p: number,
  normals: Float64Array,
  diagonal: Float64Array,
  factor: Float64Array,
  w: Float64Array,
): void {
  // A (row stride P = p rounded up to even, zero above the diagonal and in the padding):
  // row j has normals on columns k < j and sqrt(chi^2_{rest - j}) on the diagonal.
  const P = p + (p & 1);
  let k = p;
  for (let j = 0; j < p; j++) {
    const row = j * P;
    for (let c = 0; c < j; c++) factor[row + c] = normals[k++];
    factor[row + j] = diagonal[j];
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
}
