import assert from "node:assert/strict";
import { CounterStream, StreamTag } from "./random.ts";
import { addWishartIncrement } from "./wishart_increment.ts";

/** Scratch of `addWishartIncrement` for dimension p and up to `count` tokens. */
function scratch(p: number, count: number) {
  return {
    w: new Float64Array(p * p),
    sum: new Float64Array(p),
    normals: new Float64Array(p + Math.max((p * (p - 1)) / 2, Math.min(count, p) * p)),
    factor: new Float64Array((p + 1) * (p + 1)),
  };
}

Deno.test("addWishartIncrement: fewer than p further tokens are their own outer products", () => {
  const p = 4, count = 3, prompt = 5, increment = 2;
  const generator = new CounterStream({ seed: 11, stream: 1 });
  const { w, sum, normals, factor } = scratch(p, count);
  addWishartIncrement(generator, prompt, increment, count, p, w, sum, normals, factor);
  const z = new Float64Array(p * count);
  generator.normals(prompt, increment, StreamTag.wishartNormal, p * count, z);
  const expected = new Float64Array(p * p);
  for (let t = 0; t < count; t++) {
    for (let a = 0; a < p; a++) {
      for (let b = 0; b <= a; b++) expected[a * p + b] += z[t * p + a] * z[t * p + b];
    }
  }
  assert.deepEqual(w, expected);
  assert.deepEqual(sum, z.slice(0, p).map((g) => Math.sqrt(count) * g));
});

Deno.test("addWishartIncrement: the Bartlett draw has E W = count I, E S S^T = count I", () => {
  // Var W_aa = 2 count, Var W_ab = count (a != b); S = sqrt(count) g: Var S_a^2 = 2 count^2,
  // Var S_a S_b = count^2. Bounds of 5 standard errors.
  const p = 3, count = 20, prompts = 4000;
  const generator = new CounterStream({ seed: 3, stream: 0 });
  const { w, sum, normals, factor } = scratch(p, count);
  const meanW = new Float64Array(p * p), meanSS = new Float64Array(p * p);
  for (let n = 0; n < prompts; n++) {
    w.fill(0);
    sum.fill(0);
    addWishartIncrement(generator, n, 0, count, p, w, sum, normals, factor);
    for (let a = 0; a < p; a++) {
      for (let b = 0; b <= a; b++) {
        meanW[a * p + b] += w[a * p + b] / prompts;
        meanSS[a * p + b] += sum[a] * sum[b] / prompts;
      }
      for (let b = a + 1; b < p; b++) assert.equal(w[a * p + b], 0, "upper triangle untouched");
    }
  }
  for (let a = 0; a < p; a++) {
    for (let b = 0; b <= a; b++) {
      const mean = a === b ? count : 0;
      const k = a === b ? 2 : 1;
      const seW = Math.sqrt(k * count / prompts), seS = count * Math.sqrt(k / prompts);
      assert.ok(Math.abs(meanW[a * p + b] - mean) <= 5 * seW, `W_${a}${b}: ${meanW[a * p + b]}`);
      assert.ok(Math.abs(meanSS[a * p + b] - mean) <= 5 * seS, `SS_${a}${b}: ${meanSS[a * p + b]}`);
    }
  }
  // The factor scratch stays zero above its diagonal (it is reused between prompts).
  const P = p + (p & 1);
  for (let j = 0; j < P; j++) {
    for (let c = j + 1; c < P; c++) assert.equal(factor[j * P + c], 0);
  }
});

Deno.test("addWishartIncrement: a normals scratch that is too short is a RangeError", () => {
  const p = 3;
  const { w, sum, factor } = scratch(p, 10);
  assert.throws(
    () =>
      addWishartIncrement(
        new CounterStream({ seed: 0, stream: 0 }),
        0,
        0,
        10,
        p,
        w,
        sum,
        new Float64Array(p),
        factor,
      ),
    /normals scratch is too short/,
  );
});
