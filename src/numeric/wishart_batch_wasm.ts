/**
 * The exact statistics sampler's per-prompt loop (`model/wishart.ts`) for a chunk of prompts
 * in one WebAssembly call: per prompt the Bartlett increments of each context length (the
 * `increment` of `philox_wasm.ts`, whose memory this module shares), the statistics of
 * `writeWishartStatistics` and the query token of `samplePaperToken`, with the same
 * floating-point operations in the same order, so the same bits as the JS code (which stays
 * the reference and the fallback; `props/sampler_bits_test.ts` pins both). The bytes below
 * are `wishart_batch.wat` (beside this file) assembled by wabt's wat2wasm 1.0.39;
 * `wishart_batch_wasm_test.ts` re-assembles the source and compares.
 *
 * @module
 */

import { type PhiloxWasm, WASM_NORMALS_CAPACITY } from "./philox_wasm.ts";
import { philoxWasm } from "./random.ts";

/** The module's bytes, base64 (see the module documentation for their source). */
export const WISHART_BATCH_WASM_BASE64: string =
  "AGFzbQEAAAABPAVgCn9/f39/f39/f3wBf2AIf39/f39/f38AYAZ/f39/f38AYAl/f3x8f39/f38AYAl/f39/f39/" +
  "fHwBfwJEBAZwaGlsb3gGbWVtb3J5AgAwBnBoaWxveAlpbmNyZW1lbnQAAAZwaGlsb3gHbm9ybWFscwABBnBoaWxv" +
  "eARiaXRzAAIDBAMDBAIHEQIFYmF0Y2gABAV0YXNrcwAFCrkIA80DBwF/BXwCfwF8AX8DfAF/IABBAmohCSABtyEK" +
  "RAAAAAAAAPA/IAqjIQtBgIDUACsDACEMQYCA1AAgCUEDdGorAwAhDUGAgNQAIAlBA3RqKwMIIQ4CQANAIA8gAE8N" +
  "ASAEIA9BA3RqKwMAIRFBgIDUACAPQQJqIAlsQQN0aiESIBIrAwAhEyASKwMIIRQgBiAPQQN0aiADIAwgEaIgE6Ci" +
  "IAIgDSARoiAUoKKgIAqjOQMAIBEgDKIgE6AhFSAFIA8gAGxBA3RqIRZBACEQA0AgFiAQQQN0aiAVIAQgEEEDdGor" +
  "AwCiIBFBgIDUACAQQQJqIAlsQQN0aisDAKKgIBIgEEEDdGorAxCgIAuiOQMAIBBBAWohECAQIA9NDQALIA9BAWoh" +
  "DwwACwtBACEPAkADQCAPIABPDQEgD0EBaiEQAkADQCAQIABPDQEgBSAPIABsIBBqQQN0aiAFIBAgAGwgD2pBA3Rq" +
  "KwMAOQMAIBBBAWohEAwACwsgD0EBaiEPDAALCyAHIANBgID0ACsDAKIgAkGIgPQAKwMAoqAgCqM5AwAgCCADIAOi" +
  "IAyiRAAAAAAAAABAIAOiIAKiIA2ioCACIAKiIA6ioCAKozkDAAvgAwMLfwF8AX8gBUECaiEJIAUgBWwhFUGAkPgA" +
  "IAEgBWxBA3RqIQ8gASAVIAVqQQJqbEEDdCEQAkADQCAKIAFPDQFBgIDUAEEAIAkgCWxBA3T8CwBBgID0AEEAIAlB" +
  "A3T8CwBBgJD4ACAKIAVsQQN0aiEOQQAhDUEAIQsCQANAIAsgBk8NAUGAgPgAIAtBAnRqKAIAIQwgCyAAIApqQYCA" +
  "gBhBgICAICACIAMgBCAMIA1rIAkgDCANa7efEAAEQCAKQQFqDwsgDCENIA8gCyAQbGohESAFIAwgByAIIA4gESAK" +
  "IBVsQQN0aiARIAEgFWxBA3RqIAogBWxBA3RqIBEgASAVIAVqbEEDdGogCkEDdGogESABIBUgBWpsIAFqQQN0aiAK" +
  "QQN0ahADIAtBAWohCwwACwtBfyAAIApqQYCAgBAgAiADIARBACAJEAFBwIAGKwMAIRQgDyAGIBBsaiAKIAVsQQN0" +
  "aiESQQAhEwJAA0AgEyAFTw0BIBIgE0EDdGogFCAOIBNBA3RqKwMAoiATQQN0KwPIgAagOQMAIBNBAWohEwwACwsg" +
  "DyAGIBBsaiABIAVsQQN0aiAKQQN0aiAIIBSiIAcgBUEDdCsDyIAGoqA5AwAgCkEBaiEKDAALC0EAC4UBAQN/QYCQ" +
  "+AAhB0GAkPgAIAEgBWxBA3RqIQgCQANAIAYgAU8NAUEAIAAgBmpBgICACCACIAMgBBACIAggBkECdGpBgIAGKAIA" +
  "NgIAQQAgACAGakEAIAIgAyAEQQAgBRABIAdBwIAGIAVBA3T8CgAAIAcgBUEDdGohByAGQQFqIQYMAAsLCw==";

/** Byte offset of the context lengths (i32) that `batch` reads. */
const CONTEXTS_AT = 1966080;
/** Most context lengths one `batch` call takes. */
export const WASM_BATCH_CONTEXTS = 512;
/** Byte offset and size of a chunk's spikes and outputs (to the end of the 48 pages). */
const CHUNK_AT = 1968128, CHUNK_BYTES = 48 * 65536 - CHUNK_AT;

/** The instantiated module and the views the host fills and reads. */
export interface WishartBatchWasm {
  /**
   * Prompts first .. first + count - 1 of the stream (c3, k0, k1), d dimensions, the first
   * `contexts` lengths of `lengths`, spikes in `chunk` (count x d): writes `chunk` past the
   * spikes (per context Sigma_hat, mu_hat, mean y, mean y^2; then queries and labels).
   * Returns 0, or 1 + n when an increment of prompt n exhausted its gamma attempts.
   */
  batch(
    first: number,
    count: number,
    c3: number,
    k0: number,
    k1: number,
    d: number,
    contexts: number,
    sigma: number,
    l: number,
  ): number;
  /**
   * The task draws of `samplePaperTasks` for prompts first .. first + count - 1 (d <=
   * WASM_NORMALS_CAPACITY): the d direction normals of prompt n at `chunk[n d ..]`, the first
   * word of its strength block at `chunkWords[2 count d + n]`.
   */
  tasks(first: number, count: number, c3: number, k0: number, k1: number, d: number): void;
  /** The context lengths (i32, WASM_BATCH_CONTEXTS entries). */
  lengths: Int32Array;
  /** The chunk's spikes and outputs (float64 over the rest of the memory). */
  chunk: Float64Array;
  /** The same bytes as `chunk`, as u32. */
  chunkWords: Uint32Array;
}

/** The module's bytes. */
export function wishartBatchWasmBytes(): Uint8Array<ArrayBuffer> {
  const text = atob(WISHART_BATCH_WASM_BASE64);
  const bytes = new Uint8Array(new ArrayBuffer(text.length));
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** Instantiates the module on the memory and functions of a Philox instance. */
export function instantiateWishartBatchWasm(philox: PhiloxWasm): WishartBatchWasm {
  const { memory, increment, normals, bits } = philox;
  const instance = new WebAssembly.Instance(new WebAssembly.Module(wishartBatchWasmBytes()), {
    philox: { memory, increment, normals, bits },
  });
  const { batch, tasks } = instance.exports;
  if (typeof batch !== "function" || typeof tasks !== "function") {
    throw new TypeError("the batch WebAssembly module lacks an export");
  }
  return {
    batch: batch as WishartBatchWasm["batch"],
    tasks: tasks as WishartBatchWasm["tasks"],
    lengths: new Int32Array(memory.buffer, CONTEXTS_AT, WASM_BATCH_CONTEXTS),
    chunk: new Float64Array(memory.buffer, CHUNK_AT, CHUNK_BYTES / 8),
    chunkWords: new Uint32Array(memory.buffer, CHUNK_AT, CHUNK_BYTES / 4),
  };
}

/** The batch module, instantiated on first use. */
let shared: WishartBatchWasm | null | undefined;

/**
 * The module's one instance on `philoxWasm()`'s, or null where WebAssembly is unavailable.
 */
export function wishartBatchWasm(): WishartBatchWasm | null {
  if (shared === undefined) {
    const philox = philoxWasm();
    shared = philox === null ? null : instantiateWishartBatchWasm(philox);
  }
  return shared;
}

/**
 * How many prompts of `perPrompt` float64 fit in one chunk (0 when none does).
 */
export function wasmChunkPrompts(perPrompt: number): number {
  return Math.floor(CHUNK_BYTES / 8 / perPrompt);
}

/** Largest d of `tasks`. */
export const WASM_TASKS_MAX_DIM = WASM_NORMALS_CAPACITY;
