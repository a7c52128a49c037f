/**
 * Philox4x32-10, its Box-Muller normals and Marsaglia-Tsang gamma variates in
 * WebAssembly: `i64.mul` gives the 64-bit product of two u32 in one instruction where
 * JS needs four 16-bit partial products, so a block costs a fraction of the JS one. The
 * bytes below are `philox_wasm.wat` (beside this file) assembled by wabt's wat2wasm
 * 1.0.39; `philox_wasm_test.ts` re-assembles the source and compares, and checks every
 * function bit for bit against the JS reference of `random.ts`. Every floating-point
 * operation is the JS one in the same order, and log / pow are the imported Math.log /
 * Math.pow, so `CounterStream` draws identical bits with or without it (it falls back
 * to JS where WebAssembly is unavailable).
 *
 * @module
 */

/** The module's bytes, base64 (see the module documentation for their source). */
export const PHILOX_WASM_BASE64: string =
  "AGFzbQEAAAABVwpgAXwBfGACfHwBfGAGf39/f39/AGABfwF8YAN/f38AYAh/f39/f39/fwBgAX8AYAp/f39/f39/" +
  "f398AX9gCX9/f39/f39/fwF/YAl/f39/f398f38BfAIXAgRtYXRoA2xvZwAABG1hdGgDcG93AAEDDAsCAwMDBAIF" +
  "BgcICQUDAQAwBhoFfwFBAAt/AUEAC38BQQALfwFBAAt/AUEACwdEBwZtZW1vcnkCAARiaXRzAAcHbm9ybWFscwAI" +
  "DGxvd2VyUHJvZHVjdAAJCWluY3JlbWVudAAKA2NoaQALBWdhbW1hAAwKghULxgYBAn4gAK1C077Ekg1+IQYgAq1C" +
  "15r67Ax+IQcgB0IgiKcgAXMgBHMhACAHpyEBIAZCIIinIANzIAVzIQIgBqchAyAEQbnz3fF5aiEEIAVBhd2e23tq" +
  "IQUgAK1C077Ekg1+IQYgAq1C15r67Ax+IQcgB0IgiKcgAXMgBHMhACAHpyEBIAZCIIinIANzIAVzIQIgBqchAyAE" +
  "Qbnz3fF5aiEEIAVBhd2e23tqIQUgAK1C077Ekg1+IQYgAq1C15r67Ax+IQcgB0IgiKcgAXMgBHMhACAHpyEBIAZC" +
  "IIinIANzIAVzIQIgBqchAyAEQbnz3fF5aiEEIAVBhd2e23tqIQUgAK1C077Ekg1+IQYgAq1C15r67Ax+IQcgB0Ig" +
  "iKcgAXMgBHMhACAHpyEBIAZCIIinIANzIAVzIQIgBqchAyAEQbnz3fF5aiEEIAVBhd2e23tqIQUgAK1C077Ekg1+" +
  "IQYgAq1C15r67Ax+IQcgB0IgiKcgAXMgBHMhACAHpyEBIAZCIIinIANzIAVzIQIgBqchAyAEQbnz3fF5aiEEIAVB" +
  "hd2e23tqIQUgAK1C077Ekg1+IQYgAq1C15r67Ax+IQcgB0IgiKcgAXMgBHMhACAHpyEBIAZCIIinIANzIAVzIQIg" +
  "BqchAyAEQbnz3fF5aiEEIAVBhd2e23tqIQUgAK1C077Ekg1+IQYgAq1C15r67Ax+IQcgB0IgiKcgAXMgBHMhACAH" +
  "pyEBIAZCIIinIANzIAVzIQIgBqchAyAEQbnz3fF5aiEEIAVBhd2e23tqIQUgAK1C077Ekg1+IQYgAq1C15r67Ax+" +
  "IQcgB0IgiKcgAXMgBHMhACAHpyEBIAZCIIinIANzIAVzIQIgBqchAyAEQbnz3fF5aiEEIAVBhd2e23tqIQUgAK1C" +
  "077Ekg1+IQYgAq1C15r67Ax+IQcgB0IgiKcgAXMgBHMhACAHpyEBIAZCIIinIANzIAVzIQIgBqchAyAEQbnz3fF5" +
  "aiEEIAVBhd2e23tqIQUgAK1C077Ekg1+IQYgAq1C15r67Ax+IQcgB0IgiKcgAXMgBHMhACAHpyEBIAZCIIinIANz" +
  "IAVzIQIgBqchAyAAJAAgASQBIAIkAiADJAMLHAAgAEEJdrhEAAAAAAAA4D+gRAAAAAAAAIA+ogsTAEQAAAAAAAAA" +
  "wCAAEAMQAKKfCzgBAn8gAEEUdkEEdCEBQYCABCAAQQl2Qf8PcUEEdGohAiABKwMAIAIrAwCiIAErAwggAisDCKKh" +
  "C20DAXwCfwR8IAAQBCEDIAFBFHZBBHQhBEGAgAQgAUEJdkH/D3FBBHRqIQUgBCsDACEGIAQrAwghByAFKwMAIQgg" +
  "BSsDCCEJIAIgAyAGIAiiIAcgCaKhojkDACACIAMgByAIoiAGIAmioKI5AwgLNAAgACABIAIgAyAEIAUQAkGAgAYj" +
  "ADYCAEGEgAYjATYCAEGIgAYjAjYCAEGMgAYjAzYCAAtmAQN/IAYhCEHAgAYhCUHAgAYgB0EDdGohCgJAA0AgCSAK" +
  "Tw0BIAAgASACIAhyIAMgBCAFEAIjACMBIAkQBiAJQRBqIApJBEAjAiMDIAlBEGoQBgsgCEEBaiEIIAlBIGohCQwA" +
  "CwsLuQQEBH8FewJ/CHsgAEEDdCELAkADQCABIABPDQFBACECAkADQCACIAFLDQH9DAAAAAAAAAAAAAAAAAAAAAAh" +
  "DP0MAAAAAAAAAAAAAAAAAAAAACEN/QwAAAAAAAAAAAAAAAAAAAAAIQ79DAAAAAAAAAAAAAAAAAAAAAAhD/0MAAAA" +
  "AAAAAAAAAAAAAAAAACEQ/QwAAAAAAAAAAAAAAAAAAAAAIRH9DAAAAAAAAAAAAAAAAAAAAAAhEv0MAAAAAAAAAAAA" +
  "AAAAAAAAACETQQAhA0GAgBQhBANAIAQgAkEDdGr9AAQAIQUgBCACQQN0av0ABBAhBiAEIAFBA3Rq/QAEACEHIAQg" +
  "AUEDdGr9AAQQIQggB/0hAP0UIQkgDCAJIAX98gH98AEhDCANIAkgBv3yAf3wASENIAf9IQH9FCEJIA4gCSAF/fIB" +
  "/fABIQ4gDyAJIAb98gH98AEhDyAI/SEA/RQhCSAQIAkgBf3yAf3wASEQIBEgCSAG/fIB/fABIREgCP0hAf0UIQkg" +
  "EiAJIAX98gH98AEhEiATIAkgBv3yAf3wASETIAQgC2ohBCADQQFqIQMgAyACQQNqTQ0AC0GAgDQgASAAbCACakED" +
  "dGohCiAKIAz9CwQAIAogDf0LBBAgCiALaiEKIAogDv0LBAAgCiAP/QsEECAKIAtqIQogCiAQ/QsEACAKIBH9CwQQ" +
  "IAogC2ohCiAKIBL9CwQAIAogE/0LBBAgAkEEaiECDAALCyABQQRqIQEMAAsLC+kDAwZ/AXwCfyAAIAEgAyAEIAUg" +
  "BiAHQQFrIAhBgAgQCyEKIAoEQCAKDwsgACABIAIgBCAFIAZBACAIIAggCEEBa2xBAXZqEAhBACELAkADQCALIAhP" +
  "DQFBwIAGIAtBA3RqKwMAIRBBgID0ACALQQN0aiERIBEgESsDACAJIBCioDkDAEEAIQwDQEGAgNQAIAsgCGwgDGpB" +
  "A3RqIREgESARKwMAIBBBwIAGIAxBA3RqKwMAoqA5AwAgDEEBaiEMIAwgC00NAAsgC0EBaiELDAALCyAIQQNqQXxx" +
  "IQ8jBCAIRwRAQYCAFEEAIA8gD2xBA3T8CwAgCCQECyAIIQ5BACELAkADQCALIAhPDQFBACENAkADQCANIAtPDQFB" +
  "gIAUIA0gD2wgC2pBA3RqQcCABiAOQQN0aisDADkDACAOQQFqIQ4gDUEBaiENDAALC0GAgBQgCyAPQQFqbEEDdGpB" +
  "gIAQIAtBA3RqKwMAOQMAIAtBAWohCwwACwsgDxAJQQAhCwJAA0AgCyAITw0BQQAhDEGAgNQAIAsgCGxBA3RqIRFB" +
  "gIA0IAsgD2xBA3RqIRIDQCARIBErAwAgEisDAKA5AwAgEUEIaiERIBJBCGohEiAMQQFqIQwgDCALTQ0ACyALQQFq" +
  "IQsMAAsLQQALbQIBfwF8AkADQCAJIAdODQEgACABIAIgAyAEIAUgBiAJa7dEAAAAAAAAAECjIAkgCGwgCBAMIQog" +
  "CiAKYgRAIAlBAWoPC0GAgBAgCUEDdGpEAAAAAAAAAEAgCqKfOQMAIAlBAWohCQwACwtBAAuvAgQBfwJ8AX8GfCAG" +
  "RAAAAAAAAPA/YyEJIAZEAAAAAAAA8D+gIAYgCRtEVVVVVVVV1T+hIQpEAAAAAAAA8D9EAAAAAAAAIkAgCqKfoyEL" +
  "AkADQCAMIAhODQEgACABIAIgByAManIgAyAEIAUQAiAMQQFqIQwjABAEIwEQBaIhDUQAAAAAAADwPyALIA2ioCEO" +
  "IA5EAAAAAAAAAABlDQAgDiAOoiAOoiEPIwIQAyEQIA0gDaIhESAQRAAAAAAAAPA/RG3F/rJ78qA/IBGiIBGioWNF" +
  "BEAgEBAARAAAAAAAAOA/IBGiIApEAAAAAAAA8D8gD6EgDxAAoKKgY0UNAQsgCiAPoiESIAkEQCASIwMQA0QAAAAA" +
  "AADwPyAGoxABoiESCyASDwsLRAAAAAAAAPh/Cw==";

/** Byte offset of the four u32 that `bits` writes. */
const BITS_AT = 98304;
/** Byte offset of the normals that `normals` writes. */
const NORMALS_AT = 98368;
/** Most normals one `normals` call may write (a multiple of 4: whole blocks). */
export const WASM_NORMALS_CAPACITY = 20464;
/** Byte offset of the Bartlett diagonal that `chi` writes. */
const CHI_AT = 262144;
/** Most diagonal entries one `chi` call may write. */
export const WASM_CHI_CAPACITY = 8192;
/** Byte offsets of the Bartlett factor (column-major) and of A A^T (`lowerProduct`). */
const FACTOR_AT = 327680, PRODUCT_AT = 851968;
/** Byte offsets of W and S of `increment`. */
const W_AT = 1376256, S_AT = 1900544;
/** Largest padded order P (a multiple of 4) of the factor that `lowerProduct` takes; also
 * the largest p of `increment`. */
export const WASM_FACTOR_MAX = 256;

/** The instantiated module and views of its output. */
export interface PhiloxWasm {
  /** One block of counter (c0..c3) and key (k0, k1) into `words`. */
  bits(c0: number, c1: number, c2: number, c3: number, k0: number, k1: number): void;
  /**
   * Normals of blocks first, first + 1, ... (counter word 2 `tagBits | block`) into
   * `values[0 .. count)` (count <= WASM_NORMALS_CAPACITY; entries past count may be written).
   */
  normals(
    c0: number,
    c1: number,
    tagBits: number,
    c3: number,
    k0: number,
    k1: number,
    first: number,
    count: number,
  ): void;
  /** A Gamma(shape, 1) variate (`CounterStream.gamma`); NaN after `attempts` rejections. */
  gamma(
    c0: number,
    c1: number,
    tagBits: number,
    c3: number,
    k0: number,
    k1: number,
    shape: number,
    first: number,
    attempts: number,
  ): number;
  /**
   * The Bartlett diagonal sqrt(2 Gamma((rest - j) / 2)) for j < p into `diagonal[0 .. p)`,
   * variate j from blocks j stride, j stride + 1, ... (p <= WASM_CHI_CAPACITY); returns 0,
   * or 1 + j for the first j whose stride attempts were all rejected.
   */
  chi(
    c0: number,
    c1: number,
    tagBits: number,
    c3: number,
    k0: number,
    k1: number,
    rest: number,
    p: number,
    stride: number,
  ): number;
  /**
   * A A^T on and below the diagonal into `products` (row-major, stride P), from the P x P
   * factor A in `factorColumns` (column-major: A[r][c] at c P + r; zero above the diagonal),
   * P a multiple of 4 up to WASM_FACTOR_MAX. Each entry is summed over c in ascending order
   * from 0 like `addWishartIncrement`'s JS loops, so the bits are the same.
   */
  lowerProduct(P: number): void;
  /**
   * One Bartlett increment of `addWishartIncrement` (count - 1 >= p, p <= WASM_FACTOR_MAX)
   * on `w` (p x p) and `sum` (p) in memory: normals with counter word 2 `tagNormal | block`,
   * the diagonal with `tagGamma | block` (1024 blocks per variate), W += g g^T + A A^T and
   * S += root g, in the order of the JS code. Returns 0, or 1 + j when the attempts of
   * diagonal entry j were exhausted (then `w` and `sum` are unchanged). It keeps the zeros of
   * `factorColumns` for its last p: a `lowerProduct` caller of the same instance must not
   * leave other values there.
   */
  increment(
    c0: number,
    c1: number,
    tagNormal: number,
    tagGamma: number,
    c3: number,
    k0: number,
    k1: number,
    count: number,
    p: number,
    root: number,
  ): number;
  /** The four u32 of the last `bits` call. */
  words: Uint32Array;
  /** The normals of the last `normals` call. */
  values: Float64Array;
  /** The diagonal of the last `chi` call. */
  diagonal: Float64Array;
  /** The factor A that `lowerProduct` reads (column-major, WASM_FACTOR_MAX^2 entries). */
  factorColumns: Float64Array;
  /** The A A^T that `lowerProduct` writes (row-major with stride P). */
  products: Float64Array;
  /** W of `increment` (p x p, row-major: read and written with stride p). */
  w: Float64Array;
  /** S of `increment`. */
  sum: Float64Array;
  /** The module's memory (48 pages; `wishart_batch_wasm.ts` imports it). */
  memory: WebAssembly.Memory;
}

/** The module's bytes. */
export function philoxWasmBytes(): Uint8Array<ArrayBuffer> {
  const text = atob(PHILOX_WASM_BASE64);
  const bytes = new Uint8Array(new ArrayBuffer(text.length));
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/**
 * Instantiates the module with the Box-Muller angle tables of `random.ts` (4096 and
 * 2048 (cos, sin) pairs), or returns null where WebAssembly is unavailable.
 */
export function instantiatePhiloxWasm(
  angleHigh: Float64Array,
  angleLow: Float64Array,
): PhiloxWasm | null {
  if (typeof WebAssembly !== "object" || WebAssembly === null) return null;
  if (angleHigh.length !== 8192 || angleLow.length !== 4096) {
    throw new RangeError(
      `angle tables must have 8192 and 4096 entries, got ${angleHigh.length} and ${angleLow.length}`,
    );
  }
  const instance = new WebAssembly.Instance(new WebAssembly.Module(philoxWasmBytes()), {
    math: { log: Math.log, pow: Math.pow },
  });
  const exports = instance.exports;
  const memory = exports.memory;
  const { bits, normals, gamma, chi, lowerProduct, increment } = exports;
  if (
    !(memory instanceof WebAssembly.Memory) || typeof bits !== "function" ||
    typeof normals !== "function" || typeof gamma !== "function" || typeof chi !== "function" ||
    typeof lowerProduct !== "function" || typeof increment !== "function"
  ) throw new TypeError("the Philox WebAssembly module lacks an export");
  const buffer = memory.buffer;
  new Float64Array(buffer, 0, 8192).set(angleHigh);
  new Float64Array(buffer, 65536, 4096).set(angleLow);
  return {
    bits: bits as PhiloxWasm["bits"],
    normals: normals as PhiloxWasm["normals"],
    gamma: gamma as PhiloxWasm["gamma"],
    chi: chi as PhiloxWasm["chi"],
    lowerProduct: lowerProduct as PhiloxWasm["lowerProduct"],
    increment: increment as PhiloxWasm["increment"],
    words: new Uint32Array(buffer, BITS_AT, 4),
    values: new Float64Array(buffer, NORMALS_AT, WASM_NORMALS_CAPACITY),
    diagonal: new Float64Array(buffer, CHI_AT, WASM_CHI_CAPACITY),
    factorColumns: new Float64Array(buffer, FACTOR_AT, WASM_FACTOR_MAX ** 2),
    products: new Float64Array(buffer, PRODUCT_AT, WASM_FACTOR_MAX ** 2),
    w: new Float64Array(buffer, W_AT, WASM_FACTOR_MAX ** 2),
    sum: new Float64Array(buffer, S_AT, WASM_FACTOR_MAX),
    memory,
  };
}
