import assert from "node:assert/strict";
import { boxMuller, CounterStream, philox4x32, uniformFromBits } from "./random.ts";

const hex = (out: Uint32Array) => Array.from(out, (v) => v.toString(16).padStart(8, "0")).join(" ");

Deno.test("philox4x32: Random123 known-answer vectors", () => {
  const out = new Uint32Array(4);
  philox4x32(0, 0, 0, 0, 0, 0, out);
  assert.equal(hex(out), "6627e8d5 e169c58d bc57ac4c 9b00dbd8");
  const f = 0xffffffff;
  philox4x32(f, f, f, f, f, f, out);
  assert.equal(hex(out), "408f276d 41c83b0e a20bc7c6 6d5451fd");
  philox4x32(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0, out);
  assert.equal(hex(out), "d16cfe09 94fdcceb 5001e420 24126ea1");
});

Deno.test("uniformFromBits: top 23 bits, strictly inside (0, 1)", () => {
  assert.equal(uniformFromBits(0), 0.5 / 2 ** 23);
  assert.equal(uniformFromBits(0xffffffff), 1 - 0.5 / 2 ** 23);
  assert.equal(uniformFromBits(0x1ff), uniformFromBits(0)); // low 9 bits ignored
  assert.notEqual(uniformFromBits(0x200), uniformFromBits(0));
  for (const u of [0, 1234567, 0x80000000, 0xffffffff]) {
    const v = uniformFromBits(u);
    assert.ok(v > 0 && v < 1);
  }
});

// CPU/WGSL parity needs every uniform to be exactly representable in float32:
// (k + 0.5) / 2^23 with k = u >>> 9 < 2^23 fits in 24 significant bits.
Deno.test("uniformFromBits: every value is exactly representable in float32", () => {
  for (const u of [0, 1234567, 0x7fffffff, 0x80000000, 0xfffffeff, 0xffffffff]) {
    const v = uniformFromBits(u);
    assert.equal(Math.fround(v), v, `uniformFromBits(0x${u.toString(16)}) = ${v} is not an f32`);
  }
});

/**
 * Largest |error| of a (cos, sin) of the Box-Muller angle 2 pi (j + 0.5) / 2^23 against
 * Math.cos / Math.sin, over every table seam (jLo = 0 and 2047 for each of the 4096 jHi) and
 * every 61st j. `pair(u1)` returns (cos, sin) for the u32 u1 = j << 9.
 */
function maxAngleError(pair: (u1: number) => [number, number]): number {
  let worst = 0;
  const check = (j: number) => {
    const [c, s] = pair((j << 9) >>> 0);
    const angle = (2 * Math.PI * (j + 0.5)) / 8388608;
    worst = Math.max(worst, Math.abs(c - Math.cos(angle)), Math.abs(s - Math.sin(angle)));
  };
  for (let hi = 0; hi < 4096; hi++) {
    check(hi * 2048);
    check(hi * 2048 + 2047);
  }
  for (let j = 0; j < 8388608; j += 61) check(j);
  return worst;
}

/**
 * Error bound of the table angle against Math.cos(2 * Math.PI * r1), from the error analysis:
 * the reference's argument 2 pi r1 < 2 pi is rounded twice (2 pi, then the product: 4.4e-16 +
 * 3.9e-16) and Math.cos adds 1.1e-16; the table's four entries (1 ulp each, <= 1.1e-16) and
 * three roundings give 3.9e-16; dividing the radius back out below adds 2.2e-16.
 */
const ANGLE_TOLERANCE = 1.6e-15;

const radius = Math.sqrt(-2 * Math.log(uniformFromBits(0x80000000)));
const tableAngle = (u1: number): [number, number] => {
  const out = boxMuller(new Uint32Array([0x80000000, u1, 0x80000000, u1]), new Float64Array(4));
  return [out[0] / radius, out[1] / radius];
};

Deno.test("boxMuller: the table angle is cos and sin of 2 pi r1 within its error bound", () => {
  const worst = maxAngleError(tableAngle);
  assert.ok(worst <= ANGLE_TOLERANCE, `worst angle error ${worst} > ${ANGLE_TOLERANCE}`);
});

Deno.test("boxMuller angle control: an error of 1.5x the bound, or a half-step offset, is caught", () => {
  // Near the margin: every value moved by 1.5 bounds relative (|cos| or |sin| >= 0.7 somewhere).
  const scaled = (u1: number) => tableAngle(u1).map((v) => v * (1 + 1.5 * ANGLE_TOLERANCE / 0.7));
  assert.ok(maxAngleError(scaled as (u1: number) => [number, number]) > ANGLE_TOLERANCE);
  // Gross: the angle of j instead of j + 0.5 (off by pi / 2^23).
  const offset = (u1: number): [number, number] => {
    const a = (2 * Math.PI * (u1 >>> 9)) / 8388608;
    return [Math.cos(a), Math.sin(a)];
  };
  assert.ok(maxAngleError(offset) > 1e-7);
});

Deno.test("boxMuller: known pairs from fixed bits (radius sqrt(-2 ln r0), angle 2 pi r1)", () => {
  const bits = new Uint32Array([0x80000000, 0, 0x40000000, 0x40000000]);
  const out = boxMuller(bits, new Float64Array(4));
  const r0 = uniformFromBits(0x80000000), r1 = uniformFromBits(0);
  const close = (a: number, b: number) =>
    assert.ok(Math.abs(a - b) <= 2 * ANGLE_TOLERANCE, `${a} vs ${b}`);
  close(out[0], Math.sqrt(-2 * Math.log(r0)) * Math.cos(2 * Math.PI * r1));
  close(out[1], Math.sqrt(-2 * Math.log(r0)) * Math.sin(2 * Math.PI * r1));
  const r2 = uniformFromBits(0x40000000);
  close(out[2], Math.sqrt(-2 * Math.log(r2)) * Math.cos(2 * Math.PI * r2));
  close(out[3], Math.sqrt(-2 * Math.log(r2)) * Math.sin(2 * Math.PI * r2));
});

Deno.test("CounterStream: key from seed words, counter layout (token, prompt, tag|block, stream)", () => {
  const seed = 0x123456789a;
  const stream = new CounterStream({ seed, stream: 5 });
  const expected = philox4x32(7, 3, ((2 << 24) | 1) >>> 0, 5, 0x3456789a, 0x12, new Uint32Array(4));
  assert.deepEqual(Array.from(stream.bits(3, 7, 2, 1)), Array.from(expected));
  // Gaussians 4..7 come from block 1; a count that is not a multiple of 4 truncates.
  const all = new Float64Array(8);
  stream.normals(3, 7, 2, 8, all);
  const block1 = boxMuller(expected, new Float64Array(4));
  assert.deepEqual(Array.from(all.subarray(4)), Array.from(block1));
  const six = new Float64Array(6);
  stream.normals(3, 7, 2, 6, six);
  assert.deepEqual(Array.from(six), Array.from(all.subarray(0, 6)));
});

/** Largest |z| of the mean, variance and third central moment of Gamma(shape) draws. */
function gammaZ(shape: number, claimed: number, draws = 20000): number {
  const g = new CounterStream({ seed: 17, stream: 3 });
  const xs = Array.from({ length: draws }, (_, i) => g.gamma(i, 0, 4, shape, 0));
  const a = claimed;
  // Central moments of Gamma(a): mu2 = a, mu3 = 2a, mu4 = 3a^2 + 6a, mu6 = 15a^3 + 130a^2 + 120a.
  const f = [
    { v: xs.map((x) => x - a), se: Math.sqrt(a / draws) },
    { v: xs.map((x) => (x - a) ** 2 - a), se: Math.sqrt((3 * a * a + 6 * a - a * a) / draws) },
    {
      v: xs.map((x) => (x - a) ** 3 - 2 * a),
      se: Math.sqrt((15 * a ** 3 + 130 * a * a + 120 * a - 4 * a * a) / draws),
    },
  ];
  return Math.max(...f.map(({ v, se }) => Math.abs(v.reduce((s, x) => s + x, 0) / draws) / se));
}

Deno.test("CounterStream.gamma: Marsaglia-Tsang moments for shapes below and above 1", () => {
  // 18 z-scores; |z| <= 5.5 has a family false-alarm probability below 1e-6.
  for (const shape of [0.3, 0.5, 1, 2.5, 40, 3000]) {
    const z = gammaZ(shape, shape);
    assert.ok(z <= 5.5, `shape ${shape}: |z| = ${z}`);
  }
  // Control: claiming shape + 5% is detected at moderate shapes.
  assert.ok(gammaZ(2.5, 2.5 * 1.05) > 5.5);
  // Same counters, same variate.
  const g = new CounterStream({ seed: 1, stream: 0 });
  assert.equal(g.gamma(3, 1, 4, 0.7, 8), g.gamma(3, 1, 4, 0.7, 8));
});
