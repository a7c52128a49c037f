/**
 * Counter-based random numbers: Philox4x32-10 (Salmon et al., SC'11) and the
 * stream layout that assigns every random number in a prompt batch its own
 * counter. Because a draw depends only on (seed, counter), the WebGPU kernels
 * produce the very same stream (see `webgpu/philox_wgsl.ts`), chunks of a batch can be
 * generated independently, and nothing depends on generation order.
 *
 * `CounterStream` computes its blocks, normals and gamma variates in WebAssembly where it
 * can (`philox_wasm.ts`: i64.mul instead of four 16-bit partial products) and
 * in the JS below otherwise; both give the same bits (`philox_wasm_test.ts`,
 * `props/sampler_bits_test.ts`). `philox4x32` and `boxMuller` stay the JS reference.
 *
 * @module
 */

import { describeValue } from "../validation/errors.ts";
import {
  instantiatePhiloxWasm,
  type PhiloxWasm,
  WASM_CHI_CAPACITY,
  WASM_NORMALS_CAPACITY,
} from "./philox_wasm.ts";

const PHILOX_M0 = 0xD2511F53;
const PHILOX_M1 = 0xCD9E8D57;
const PHILOX_W0 = 0x9E3779B9;
const PHILOX_W1 = 0xBB67AE85;

const M0_HI = PHILOX_M0 >>> 16;
const M0_LO = PHILOX_M0 & 0xffff;
const M1_HI = PHILOX_M1 >>> 16;
const M1_LO = PHILOX_M1 & 0xffff;

/**
 * High 32 bits of the 64-bit product of two u32 values `a = aHi 2^16 + aLo` and
 * `b`, from four 16-bit partial products (schoolbook with explicit carries). Every
 * intermediate is below 2^32, so the result is exact and bit-identical to the
 * 64-bit product; no division or `Math.floor` is needed.
 */
export function mulHigh32(aHi: number, aLo: number, b: number): number {
  const bHi = b >>> 16;
  const bLo = b & 0xffff;
  const t0 = aLo * bLo; // < 2^32
  const t1 = aHi * bLo + (t0 >>> 16); // <= (2^16-1)^2 + 2^16 - 1 < 2^32
  const t2 = aLo * bHi + (t1 & 0xffff); // < 2^32
  return (aHi * bHi + (t1 >>> 16) + (t2 >>> 16)) >>> 0;
}

function requirePhiloxOutput(out: unknown): never {
  throw new TypeError(
    `out must be a Uint32Array of length >= 4, got ${
      out instanceof Uint32Array ? `length ${out.length}` : describeValue(out)
    }`,
  );
}

function requirePhiloxWords(words: Record<string, number>): never {
  for (const [name, value] of Object.entries(words)) {
    if ((value >>> 0) !== value) {
      throw new RangeError(
        `${name} must be a u32 (an integer in [0, 2^32 - 1]), got ${describeValue(value)}`,
      );
    }
  }
  throw new RangeError("philox4x32 words must be u32");
}

/**
 * One Philox4x32-10 block: four u32 outputs for a 128-bit counter and a 64-bit key.
 * Writes into `out` (length >= 4) to avoid allocation.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { philox4x32 } from "./random.ts";
 * const out = new Uint32Array(4);
 * philox4x32(0, 0, 0, 0, 0, 0, out);
 * // Random123's known-answer vector for a zero counter and key.
 * const hex = [...out].map((u) => u.toString(16));
 * assert.deepEqual(hex, ["6627e8d5", "e169c58d", "bc57ac4c", "9b00dbd8"]);
 * ```
 */
export function philox4x32(
  c0: number,
  c1: number,
  c2: number,
  c3: number,
  k0: number,
  k1: number,
  out: Uint32Array,
): Uint32Array {
  if (!(out instanceof Uint32Array) || out.length < 4) requirePhiloxOutput(out);
  if (
    (c0 >>> 0) !== c0 || (c1 >>> 0) !== c1 || (c2 >>> 0) !== c2 || (c3 >>> 0) !== c3 ||
    (k0 >>> 0) !== k0 || (k1 >>> 0) !== k1
  ) requirePhiloxWords({ c0, c1, c2, c3, k0, k1 });
  let x0 = c0 >>> 0, x1 = c1 >>> 0, x2 = c2 >>> 0, x3 = c3 >>> 0;
  let key0 = k0 >>> 0, key1 = k1 >>> 0;
  for (let round = 0; round < 10; round++) {
    const hi0 = mulHigh32(M0_HI, M0_LO, x0);
    const lo0 = Math.imul(PHILOX_M0, x0) >>> 0;
    const hi1 = mulHigh32(M1_HI, M1_LO, x2);
    const lo1 = Math.imul(PHILOX_M1, x2) >>> 0;
    x0 = (hi1 ^ x1 ^ key0) >>> 0;
    x1 = lo1;
    x2 = (hi0 ^ x3 ^ key1) >>> 0;
    x3 = lo0;
    key0 = (key0 + PHILOX_W0) >>> 0;
    key1 = (key1 + PHILOX_W1) >>> 0;
  }
  out[0] = x0;
  out[1] = x1;
  out[2] = x2;
  out[3] = x3;
  return out;
}

/**
 * Maps a u32 to a uniform in (0, 1) using its top 23 bits: `((u >>> 9) + 0.5) / 2^23`.
 * `(u >>> 9) + 0.5` needs at most 24 significant bits, so every value is exactly
 * representable in float32 and the CPU and WGSL produce identical uniforms. The
 * smallest value is 2^-24, so Box-Muller normals are bounded by
 * sqrt(48 ln 2) ~ 5.77 (a truncation of probability 8e-9).
 */
export function uniformFromBits(u: number): number {
  return ((u >>> 9) + 0.5) / 8388608;
}

/**
 * cos and sin of the Box-Muller angle 2 pi r1, r1 = (j + 0.5) / 2^23 (j = bits >>> 9),
 * by angle addition from two tables: j = 2^11 jHi + jLo gives the angle
 * 2 pi jHi / 2^12 + 2 pi (jLo + 0.5) / 2^23, whose cos and sin are
 * `cHi cLo - sHi sLo` and `sHi cLo + cHi sLo`. Each table entry is Math.cos / Math.sin of
 * its angle (within 1 ulp), so the result is within 1e-15 of the exact cos and sin
 * (`random_test.ts` checks 2^23 / 8 angles and every table seam), against about 4e-16 for
 * `Math.cos(2 * Math.PI * r1)`, whose argument is itself rounded. Four loads, four
 * multiplications and two additions replace two libm calls (4x faster per pair). The
 * tables hold 6144 (cos, sin) pairs (96 KiB) and are filled once when the module loads.
 */
const ANGLE_HIGH = new Float64Array(2 * 4096);
const ANGLE_LOW = new Float64Array(2 * 2048);
for (let i = 0; i < 4096; i++) {
  ANGLE_HIGH[2 * i] = Math.cos((2 * Math.PI * i) / 4096);
  ANGLE_HIGH[2 * i + 1] = Math.sin((2 * Math.PI * i) / 4096);
}
for (let i = 0; i < 2048; i++) {
  ANGLE_LOW[2 * i] = Math.cos((2 * Math.PI * (i + 0.5)) / 8388608);
  ANGLE_LOW[2 * i + 1] = Math.sin((2 * Math.PI * (i + 0.5)) / 8388608);
}

/** Scratch for the last, partial block of `CounterStream.normals`. */
const TAIL = new Float64Array(4);

/**
 * The WebAssembly Philox (`philox_wasm.ts`: the same bits, faster), instantiated on
 * first use; null where WebAssembly is unavailable (then the JS code below runs).
 */
let wasm: PhiloxWasm | null | undefined;

/**
 * The module's one instance of the WebAssembly Philox (also the home of the Bartlett
 * product of `wishart_increment.ts`), or null where WebAssembly is unavailable.
 */
export function philoxWasm(): PhiloxWasm | null {
  if (wasm === undefined) wasm = instantiatePhiloxWasm(ANGLE_HIGH, ANGLE_LOW);
  return wasm;
}

/** cos(2 pi uniformFromBits(u)) (see the angle tables above). */
function angleCos(u: number): number {
  const h = (u >>> 20) << 1, l = ((u >>> 9) & 2047) << 1;
  return ANGLE_HIGH[h] * ANGLE_LOW[l] - ANGLE_HIGH[h + 1] * ANGLE_LOW[l + 1];
}

/**
 * The Box-Muller pair of two u32: `sqrt(-2 ln r0) cos(2 pi r1)` and `... sin(2 pi r1)` with
 * r = uniformFromBits(u), written to `out[k]` and `out[k + 1]` (k + 1 < out.length is not
 * checked: internal).
 */
function boxMullerPair(u0: number, u1: number, out: Float64Array, k: number): void {
  const radius = Math.sqrt(-2 * Math.log(uniformFromBits(u0)));
  const h = (u1 >>> 20) << 1, l = ((u1 >>> 9) & 2047) << 1;
  const cHi = ANGLE_HIGH[h], sHi = ANGLE_HIGH[h + 1], cLo = ANGLE_LOW[l], sLo = ANGLE_LOW[l + 1];
  out[k] = radius * (cHi * cLo - sHi * sLo);
  out[k + 1] = radius * (sHi * cLo + cHi * sLo);
}

/** Counter tags: which kind of quantity a draw is for (third counter word, high byte). */
export const StreamTag = {
  /** Gaussians for the spike direction v of a prompt's task. */
  direction: 0,
  /** The uniform that is pushed through the law's quantile to give the spike strength s. */
  strength: 1,
  /** Gaussians (h, xi_1..xi_d, eps) of one token (context example or query). */
  token: 2,
  /** Gaussians of the exact statistics sampler (`model/wishart.ts`): Bartlett factors. */
  wishartNormal: 3,
  /** Marsaglia-Tsang attempts of the exact statistics sampler's chi-square variates. */
  wishartGamma: 4,
} as const;

/** Token index used for the query token (so the query does not depend on L). */
export const QUERY_TOKEN = 0xffffffff;

/** The seed and stream that name one random stream of prompts. */
export interface StreamKey {
  /** Non-negative safe integer seed; its low and high 32 bits form the Philox key. */
  seed: number;
  /** Sub-stream (u32), e.g. 0 for training prompts and 1 for test prompts. */
  stream: number;
}

/**
 * Generator of the Gaussians for one (prompt, token, tag) counter family.
 * The k-th Gaussian uses block k >> 2; a block's four uniforms (r0..r3) give
 * `sqrt(-2 ln r0) cos(2 pi r1)`, `sqrt(-2 ln r0) sin(2 pi r1)` and the same for (r2, r3).
 */
export class CounterStream {
  readonly #k0: number;
  readonly #k1: number;
  readonly #stream: number;
  readonly #bits = new Uint32Array(4);

  /** Creates the generator for a seed and stream. */
  constructor(key: StreamKey) {
    this.#k0 = key.seed % 4294967296 >>> 0;
    this.#k1 = Math.floor(key.seed / 4294967296) >>> 0;
    this.#stream = key.stream >>> 0;
  }

  /** The four raw u32 of one block. */
  bits(prompt: number, token: number, tag: number, block: number): Uint32Array {
    const fast = philoxWasm();
    if (fast !== null) {
      fast.bits(token, prompt, ((tag << 24) | block) >>> 0, this.#stream, this.#k0, this.#k1);
      const words = fast.words, bits = this.#bits;
      bits[0] = words[0];
      bits[1] = words[1];
      bits[2] = words[2];
      bits[3] = words[3];
      return bits;
    }
    return philox4x32(
      token,
      prompt,
      ((tag << 24) | block) >>> 0,
      this.#stream,
      this.#k0,
      this.#k1,
      this.#bits,
    );
  }

  /**
   * A Gamma(shape, 1) variate (shape > 0) by Marsaglia and Tsang (2000), drawn from the
   * counter family (prompt, token, tag) with blocks `firstBlock, firstBlock + 1, ...`, one
   * block per attempt: (r0, r1) give the attempt's normal by Box-Muller, r2 its acceptance
   * uniform, and r3 the boost uniform u^(1/shape) used for shape < 1 (Gamma(a) =
   * Gamma(a + 1) U^(1/a)). At most `maxAttempts` blocks are used (acceptance is above 95%
   * per attempt, so the default 1024 is never reached in practice; reaching it throws).
   */
  gamma(
    prompt: number,
    token: number,
    tag: number,
    shape: number,
    firstBlock: number,
    maxAttempts = 1024,
  ): number {
    const fast = philoxWasm();
    if (fast !== null) {
      const value = fast.gamma(
        token,
        prompt,
        (tag << 24) >>> 0,
        this.#stream,
        this.#k0,
        this.#k1,
        shape,
        firstBlock,
        maxAttempts,
      );
      if (value === value) return value;
      throw new RangeError(
        `gamma sampler exhausted ${maxAttempts} attempts for shape ${shape}; the stream is broken`,
      );
    }
    const boosted = shape < 1;
    const a = boosted ? shape + 1 : shape;
    const dd = a - 1 / 3;
    const c = 1 / Math.sqrt(9 * dd);
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      const b = this.bits(prompt, token, tag, firstBlock + attempt);
      const x = Math.sqrt(-2 * Math.log(uniformFromBits(b[0]))) * angleCos(b[1]);
      const t = 1 + c * x;
      if (t <= 0) continue;
      const v = t * t * t;
      const u = uniformFromBits(b[2]);
      const x2 = x * x;
      if (u < 1 - 0.0331 * x2 * x2 || Math.log(u) < 0.5 * x2 + dd * (1 - v + Math.log(v))) {
        const value = dd * v;
        return boosted ? value * Math.pow(uniformFromBits(b[3]), 1 / shape) : value;
      }
    }
    throw new RangeError(
      `gamma sampler exhausted ${maxAttempts} attempts for shape ${shape}; the stream is broken`,
    );
  }

  /**
   * The Bartlett diagonal of `p` chi variates, `out[j] = sqrt(2 gamma(prompt, token, tag,
   * (rest - j) / 2, j stride, stride))` = sqrt(chi^2_{rest - j}) for j < p (the same values as
   * those calls, one WebAssembly call for all).
   */
  bartlettDiagonal(
    prompt: number,
    token: number,
    tag: number,
    rest: number,
    p: number,
    stride: number,
    out: Float64Array,
  ): void {
    const fast = philoxWasm();
    if (fast !== null && p <= WASM_CHI_CAPACITY) {
      const tagBits = (tag << 24) >>> 0;
      const failed = fast.chi(
        token,
        prompt,
        tagBits,
        this.#stream,
        this.#k0,
        this.#k1,
        rest,
        p,
        stride,
      );
      if (failed === 0) {
        const diagonal = fast.diagonal;
        for (let j = 0; j < p; j++) out[j] = diagonal[j];
        return;
      }
    }
    // Without WebAssembly, or to throw gamma's error for the exhausted variate.
    for (let j = 0; j < p; j++) {
      out[j] = Math.sqrt(2 * this.gamma(prompt, token, tag, (rest - j) / 2, j * stride, stride));
    }
  }

  /**
   * `fast.increment` with this stream's key (prompt and token in their counter words):
   * one Bartlett increment of `addWishartIncrement` in WebAssembly (internal).
   */
  incrementWasm(
    fast: PhiloxWasm,
    prompt: number,
    token: number,
    tagNormal: number,
    tagGamma: number,
    count: number,
    p: number,
    root: number,
  ): number {
    return fast.increment(
      token,
      prompt,
      tagNormal,
      tagGamma,
      this.#stream,
      this.#k0,
      this.#k1,
      count,
      p,
      root,
    );
  }

  /** The first uniform of block 0 of a counter family. */
  uniform(prompt: number, token: number, tag: number): number {
    const fast = philoxWasm();
    if (fast !== null) {
      fast.bits(token, prompt, (tag << 24) >>> 0, this.#stream, this.#k0, this.#k1);
      return uniformFromBits(fast.words[0]);
    }
    return uniformFromBits(this.bits(prompt, token, tag, 0)[0]);
  }

  /**
   * Fills `out[offset .. offset + count)` with Gaussians 0..count-1 of a counter family
   * (the Philox rounds and the Box-Muller transform fused, with no intermediate arrays;
   * bit-identical to `boxMuller(bits(...))`).
   */
  normals(
    prompt: number,
    token: number,
    tag: number,
    count: number,
    out: Float64Array,
    offset = 0,
  ): void {
    const c0 = token >>> 0, c1 = prompt >>> 0, c3 = this.#stream;
    const tagBits = (tag << 24) >>> 0;
    const fast = philoxWasm();
    if (fast !== null) {
      const values = fast.values;
      for (let done = 0; done < count; done += WASM_NORMALS_CAPACITY) {
        const n = Math.min(WASM_NORMALS_CAPACITY, count - done);
        fast.normals(c0, c1, tagBits, c3, this.#k0, this.#k1, done / 4, n);
        if (n > 64) out.set(n === values.length ? values : values.subarray(0, n), offset + done);
        else for (let i = 0, o = offset + done; i < n; i++) out[o + i] = values[i];
      }
      return;
    }
    for (let block = 0, k = offset, end = offset + count; k < end; block++) {
      let x0 = c0, x1 = c1, x2 = (tagBits | block) >>> 0, x3 = c3;
      let key0 = this.#k0, key1 = this.#k1;
      for (let round = 0; round < 10; round++) {
        const hi0 = mulHigh32(M0_HI, M0_LO, x0);
        const lo0 = Math.imul(PHILOX_M0, x0) >>> 0;
        const hi1 = mulHigh32(M1_HI, M1_LO, x2);
        const lo1 = Math.imul(PHILOX_M1, x2) >>> 0;
        x0 = (hi1 ^ x1 ^ key0) >>> 0;
        x1 = lo1;
        x2 = (hi0 ^ x3 ^ key1) >>> 0;
        x3 = lo0;
        key0 = (key0 + PHILOX_W0) >>> 0;
        key1 = (key1 + PHILOX_W1) >>> 0;
      }
      if (end - k >= 4) {
        boxMullerPair(x0, x1, out, k);
        boxMullerPair(x2, x3, out, k + 2);
        k += 4;
      } else {
        // The last, partial block: the same values, truncated.
        const tail = TAIL;
        boxMullerPair(x0, x1, tail, 0);
        boxMullerPair(x2, x3, tail, 2);
        for (let i = 0; k < end; i++) out[k++] = tail[i];
      }
    }
  }
}

/** Turns four u32 into four standard normals (two Box-Muller pairs). */
export function boxMuller(bits: Uint32Array, out: Float64Array): Float64Array {
  boxMullerPair(bits[0], bits[1], out, 0);
  boxMullerPair(bits[2], bits[3], out, 2);
  return out;
}
