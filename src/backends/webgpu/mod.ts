/**
 * The WebGPU backend (float32 kernels; prompts sampled inside the kernels from the
 * same Philox stream as the CPU). Nothing here touches `navigator.gpu` at import
 * time; `WebGpuBackend.create()` throws when no adapter exists.
 *
 * @example Statistics on the GPU
 * ```ts
 * import assert from "node:assert/strict";
 * import { WebGpuBackend } from "./mod.ts";
 * import { webGpuAvailable } from "../create_backend.ts";
 * if (await webGpuAvailable()) { // create() throws without an adapter
 *   const backend = await WebGpuBackend.create();
 *   const stats = await backend.statistics({ prompts: 4, context: 64, seed: 0 });
 *   assert.equal(stats.sigmaHat.length, 4 * 4 * 4); // one 4 x 4 Sigma_hat per prompt
 *   backend.dispose();
 * }
 * ```
 *
 * @module
 */

export { WebGpuBackend } from "./webgpu_backend.ts";
export { MAX_WEBGPU_DIM } from "./token_kernels.ts";
