/**
 * Token-level forward passes on WebGPU with the covariates regenerated in-kernel
 * from the counter stream (never stored): every layer of the LCA stack runs the
 * `project` token kernel, which redraws the prompt's tokens (one token per
 * invocation at a time, in registers) and computes
 * sum_i z_i (z_i . u) for the augmented rows z_i = (x_i, y_i, 1), i.e. the
 * cross-attention A_t = (1/L) sum_i x_i (x_i^T q_t) (first d entries) and the
 * self-attention readout (1/L) sum_i (q^T x_i) y_i (entry d). All layers of a
 * pass are encoded into one command buffer and submitted once.
 *
 * @module
 */

import type { LcaParameters, LsaParameters } from "../../model/models.ts";
import type { ResolvedSample, TaskBatch } from "../../model/model_types.ts";
import { chunkCount, encodeParams, PARAMS_WGSL, sampleParams } from "./common.ts";
import type { GpuScope } from "./context.ts";
import { encodeQuery } from "./statistics_kernels.ts";
import { encodeTile, tileLayout, tileScratchBytes } from "./token_kernels.ts";

/** WGSL of the small per-prompt kernels of the LCA and LSA passes (entry by `flag`). */
export function lcaKernelsWgsl(d: number): string {
  const de = tileLayout(d, "project").de;
  return /* wgsl */ `
${PARAMS_WGSL}
const D: u32 = ${d}u;
const DE: u32 = ${de}u;
@group(0) @binding(1) var<storage, read> query: array<f32>;
@group(0) @binding(2) var<storage, read> partial: array<f32>;
@group(0) @binding(3) var<storage, read_write> q: array<f32>;
@group(0) @binding(4) var<storage, read_write> out: array<f32>;

fn chunk_sum(n: u32, a: u32) -> f32 {
  var sum = 0.0;
  for (var s = 0u; s < params.chunks; s++) { sum += partial[(n * params.chunks + s) * DE + a]; }
  return sum;
}

// flag 0: q_0 = 0 (with S_t) or x_q (without); flag 1: layer update
// q += [alpha x_q] + beta A; flag 2: readout out[n] = (1/L) sum_i (q^T x_i) y_i.
// Bit 8 of flag: without the re-injection S_t.
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let e = gid.x;
  let n = e / (D + 1u);
  let a = e - n * (D + 1u);
  if (n >= params.prompts) { return; }
  let op = params.flag & 255u;
  let without = (params.flag & 256u) != 0u;
  if (op == 0u) {
    if (a < D && without) { q[e] = query[n * D + a]; } else { q[e] = 0.0; }
  } else if (op == 1u) {
    if (a < D) {
      var skip = params.alpha * query[n * D + a];
      if (without) { skip = 0.0; }
      q[e] = q[e] + skip + params.beta * (chunk_sum(n, a) * params.inv_l);
    }
  } else if (a == 0u) {
    out[n] = chunk_sum(n, D) * params.inv_l;
  }
}
`;
}

/** WGSL of the LSA kernels: flag 0 writes u_n = K x_q (length d + 1); flag 1 the readout p^T (...). */
export function lsaKernelsWgsl(d: number): string {
  const de = tileLayout(d, "project").de;
  return /* wgsl */ `
${PARAMS_WGSL}
const D: u32 = ${d}u;
const DE: u32 = ${de}u;
@group(0) @binding(1) var<storage, read> query: array<f32>;
@group(0) @binding(2) var<storage, read> partial: array<f32>;
@group(0) @binding(3) var<storage, read_write> u: array<f32>;
@group(0) @binding(4) var<storage, read_write> out: array<f32>;
@group(0) @binding(5) var<storage, read> pk: array<f32>; // p (d + 1), then K ((d + 1) x d)

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let e = gid.x;
  let n = e / (D + 1u);
  let r = e - n * (D + 1u);
  if (n >= params.prompts) { return; }
  if (params.flag == 0u) {
    var sum = 0.0;
    for (var c = 0u; c < D; c++) { sum = fma(pk[D + 1u + r * D + c], query[n * D + c], sum); }
    u[e] = sum;
  } else if (r == 0u) {
    var pred = 0.0;
    for (var c = 0u; c <= D; c++) {
      var sum = 0.0;
      for (var s = 0u; s < params.chunks; s++) { sum += partial[(n * params.chunks + s) * DE + c]; }
      pred = fma(pk[c], sum, pred);
    }
    out[n] = pred * params.inv_l;
  }
}
`;
}

/** Options of the WebGPU LCA pass. */
export interface GpuLcaOptions {
  /** Drop W_S S_t and start from q_0 = x_q (default false). */
  withoutSkipStream?: boolean;
}

/** Encodes the T-layer token-level LCA pass; returns the N predictions buffer. */
export async function encodeLcaForward(
  scope: GpuScope,
  encoder: GPUCommandEncoder,
  sample: ResolvedSample,
  tasks: TaskBatch,
  params: LcaParameters,
  options: GpuLcaOptions = {},
): Promise<GPUBuffer> {
  const d = tasks.task.dim;
  const N = sample.prompts;
  const layout = tileLayout(d, "project");
  const { spike, query } = await encodeQuery(scope, encoder, sample, tasks);
  const chunks = chunkCount(N, sample.context);
  const partial = scope.storage(N * chunks * layout.de * 4, "projectPartial");
  const q = scope.storage(N * (d + 1) * 4, "queryState");
  const out = scope.storage(N * 4, "predictions");
  const small = await scope.ctx.pipeline(lcaKernelsWgsl(d), `lca(d=${d})`);
  const without = options.withoutSkipStream ? 256 : 0;
  const base = { ...sampleParams(sample), chunks, alpha: params.alpha, beta: params.beta };
  const groups = Math.ceil((N * (d + 1)) / 64);
  if (groups > 65535) throw new RangeError(`prompts * (d + 1) must be at most ${65535 * 64}`);
  const bind = (flag: number) => [
    scope.uniform(encodeParams({ ...base, flag: flag | without })),
    query,
    partial,
    q,
    out,
  ];
  const scratch = scope.storage(tileScratchBytes(sample, "project", chunks), "projectScratch");
  scope.dispatch(encoder, small, bind(0), groups);
  const update = bind(1);
  for (let t = 0; t < params.depth; t++) {
    await encodeTile(scope, encoder, sample, "project", spike, partial, chunks, q, scratch);
    scope.dispatch(encoder, small, update, groups);
  }
  await encodeTile(scope, encoder, sample, "project", spike, partial, chunks, q, scratch);
  scope.dispatch(encoder, small, bind(2), groups);
  return out;
}

/** Encodes the token-level full LSA pass y_hat = (1/L) sum_i (p^T e_i)(e_i^T K x_q). */
export async function encodeLsaForward(
  scope: GpuScope,
  encoder: GPUCommandEncoder,
  sample: ResolvedSample,
  tasks: TaskBatch,
  params: LsaParameters,
): Promise<GPUBuffer> {
  const d = tasks.task.dim;
  const N = sample.prompts;
  const layout = tileLayout(d, "project");
  const { spike, query } = await encodeQuery(scope, encoder, sample, tasks);
  const chunks = chunkCount(N, sample.context);
  const partial = scope.storage(N * chunks * layout.de * 4, "projectPartial");
  const u = scope.storage(N * (d + 1) * 4, "kxq");
  const out = scope.storage(N * 4, "predictions");
  const pk = new Float32Array((d + 1) * (d + 1));
  pk.set(params.p);
  pk.set(params.k, d + 1);
  const pkBuffer = scope.upload(pk, "lsaParameters");
  const small = await scope.ctx.pipeline(lsaKernelsWgsl(d), `lsa(d=${d})`);
  const groups = Math.ceil((N * (d + 1)) / 64);
  if (groups > 65535) throw new RangeError(`prompts * (d + 1) must be at most ${65535 * 64}`);
  const base = { ...sampleParams(sample), chunks };
  const bind = (flag: number) => [
    scope.uniform(encodeParams({ ...base, flag })),
    query,
    partial,
    u,
    out,
    pkBuffer,
  ];
  scope.dispatch(encoder, small, bind(0), groups);
  await encodeTile(scope, encoder, sample, "project", spike, partial, chunks, u);
  scope.dispatch(encoder, small, bind(1), groups);
  return out;
}
