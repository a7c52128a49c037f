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
 * @module
 */

import { PARAMS_WGSL } from "./common.ts";

/** Prompts per workgroup for dimension d (64 invocations, one per row). */
export function trainPromptsPerGroup(d: number): number {
  return Math.max(1, Math.floor(64 / d));
}

/** WGSL of the LCA loss-and-gradient kernel for dimension d. */
export function lcaLossKernelWgsl(d: number): string {
  const ppg = trainPromptsPerGroup(d);
  return /* wgsl */ `
${PARAMS_WGSL}
const D: u32 = ${d}u;
const PPG: u32 = ${ppg}u;
@group(0) @binding(1) var<storage, read> sigma_hat: array<f32>;
@group(0) @binding(2) var<storage, read> mu_hat: array<f32>;
@group(0) @binding(3) var<storage, read> query: array<f32>;
@group(0) @binding(4) var<storage, read> target_value: array<f32>;
@group(0) @binding(5) var<storage, read_write> scratch: array<vec4<f32>>; // N x D: (r, r', x_q.S, x_q.S')
@group(0) @binding(6) var<storage, read_write> terms: array<vec4<f32>>; // N: (res^2, 2 res dA, 2 res dB, pred)

@compute @workgroup_size(${ppg * d})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let lp = lid / D;
  let a = lid - lp * D;
  let n = (params.prompt_base + wid.x) * PPG + lp;
  let live = n < params.prompts;
  let nn = select(0u, n, live);
  let o = nn * D;
  var r = mu_hat[o + a];
  var rb = 0.0;
  var sum = 0.0;
  var sumb = 0.0;
  if (live) { scratch[o + a] = vec4<f32>(r, rb, 0.0, 0.0); }
  storageBarrier();
  for (var k = 0u; k < params.count; k++) {
    sum += r;
    sumb += rb;
    var t = 0.0;
    var tb = 0.0;
    if (live) {
      for (var b = 0u; b < D; b++) {
        let s = sigma_hat[o * D + a * D + b];
        let v = scratch[o + b];
        t = fma(s, v.x, t);
        tb = fma(s, v.y, tb);
      }
    }
    storageBarrier();
    rb = rb + t + params.beta * tb;
    r = r + params.beta * t;
    if (live) { scratch[o + a] = vec4<f32>(r, rb, 0.0, 0.0); }
    storageBarrier();
  }
  let xq = query[o + a];
  if (live) { scratch[o + a] = vec4<f32>(r, rb, xq * sum, xq * sumb); }
  storageBarrier();
  if (live && a == 0u) {
    var dalpha = 0.0;
    var dbeta = 0.0;
    for (var b = 0u; b < D; b++) {
      let v = scratch[o + b];
      dalpha += v.z;
      dbeta += v.w;
    }
    let pred = params.alpha * dalpha;
    let res = pred - target_value[nn];
    terms[nn] = vec4<f32>(res * res, 2.0 * res * dalpha, 2.0 * res * params.alpha * dbeta, pred);
  }
}
`;
}
