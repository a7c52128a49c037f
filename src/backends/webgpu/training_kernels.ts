/**
 * LCA training step on WebGPU: the loss l = (1/N) sum_n (y_hat_n - target_n)^2 and
 * its exact gradient in (alpha, beta) from per-prompt statistics kept on the GPU.
 * y_hat = alpha x_q^T sum_{k<T} r_k with r_0 = mu_hat, r_{k+1} = r_k + beta Sigma_hat r_k;
 * the beta-tangents r'_{k+1} = r'_k + Sigma_hat r_k + beta Sigma_hat r'_k are carried
 * along (forward mode). One invocation per (prompt, row): each Horner step is a
 * row-times-vector product; the per-prompt dot products are reduced through a
 * scratch storage buffer, and the N (loss, gradient) terms are summed on the host
 * in float64.
 *
 * The T layers run as several dispatches of at most {@linkcode layersPerDispatch} layers
 * each, the state (r_k, r'_k and the two running dot products) kept in storage between
 * them: llvmpipe caps the loop iterations of one invocation (about 65535, all loops
 * counted) and stops a longer loop early without an error (at d = 64, T = 20 the loss was
 * 1.1% off, and T = 40 returned T = 20's value).
 *
 * @module
 */

import { statisticsHeadWgsl } from "./common.ts";

/** Inner-loop iterations (multiply-adds of Sigma_hat r) one invocation runs per dispatch. */
export const LOOP_BUDGET = 16384;

/** Layers per dispatch at dimension d: as many as {@linkcode LOOP_BUDGET} allows, at least 1. */
export function layersPerDispatch(d: number): number {
  return Math.max(1, Math.floor(LOOP_BUDGET / (d * d + d)));
}

/** Prompts per workgroup (one invocation per prompt). */
export function trainPromptsPerGroup(_d: number): number {
  return 64;
}

/**
 * WGSL of the LCA loss-and-gradient kernel for dimension d: one invocation per
 * prompt, no barriers (on llvmpipe every barrier is a coroutine switch per SIMD
 * batch); the vectors r_k, r'_k live in the invocation's own region of a scratch
 * storage buffer, double-buffered.
 */
export function lcaLossKernelWgsl(d: number): string {
  return /* wgsl */ `
${statisticsHeadWgsl(d)}
@group(0) @binding(4) var<storage, read> target_value: array<f32>;
// per prompt 4 D: (r, r') in two buffers, vec2 per row
@group(0) @binding(5) var<storage, read_write> scratch: array<vec2<f32>>;
@group(0) @binding(6) var<storage, read_write> terms: array<vec4<f32>>; // (res^2, 2 res dA, 2 res dB, pred)

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let n = (params.prompt_base + wid.x) * 64u + lid;
  if (n >= params.prompts) { return; }
  let o = n * D;
  let so = n * D * D;
  // params.flag: the first layer of this dispatch; params.count: its layers; params.chunks: T.
  let first = params.flag;
  var cur = 2u * n * D + (first % 2u) * D;
  var nxt = 2u * n * D + ((first + 1u) % 2u) * D;
  var dalpha = 0.0;
  var dbeta = 0.0;
  if (first == 0u) {
    for (var a = 0u; a < D; a++) { scratch[cur + a] = vec2<f32>(mu_hat[o + a], 0.0); }
  } else {
    let running = terms[n];
    dalpha = running.x;
    dbeta = running.y;
  }
  for (var k = 0u; k < params.count; k++) {
    for (var a = 0u; a < D; a++) {
      let v = scratch[cur + a];
      let xq = query[o + a];
      dalpha = fma(xq, v.x, dalpha);
      dbeta = fma(xq, v.y, dbeta);
      var t = vec2<f32>(0.0);
      for (var b = 0u; b < D; b++) {
        t = fma(vec2<f32>(sigma_hat[so + a * D + b]), scratch[cur + b], t);
      }
      // r <- r + beta S r ; r' <- r' + S r + beta S r'
      scratch[nxt + a] = vec2<f32>(v.x + params.beta * t.x, v.y + t.x + params.beta * t.y);
    }
    let tmp = cur;
    cur = nxt;
    nxt = tmp;
  }
  if (first + params.count < params.chunks) {
    terms[n] = vec4<f32>(dalpha, dbeta, 0.0, 0.0);
    return;
  }
  let pred = params.alpha * dalpha;
  let res = pred - target_value[n];
  terms[n] = vec4<f32>(res * res, 2.0 * res * dalpha, 2.0 * res * params.alpha * dbeta, pred);
}
`;
}
