/**
 * Token-level forward passes on WebGPU with the covariates regenerated in-kernel
 * from the counter stream (never stored): every pass runs the `project` token
 * kernel, which redraws the prompt's tokens (one token per invocation at a time, in
 * registers) and computes sum_i z_i (z_i . u) for the augmented rows
 * z_i = (x_i, y_i, 1), i.e. the cross-attention A_t = (1/L) sum_i x_i (x_i^T q_t)
 * (first d entries) and the self-attention readout (1/L) sum_i (q^T x_i) y_i (entry d).
 * This module holds the LSA pass and the pieces every token-level pass shares (the
 * buffers, {@linkcode beginTokenPass}, and the head of the per-prompt kernels,
 * {@linkcode tokenPassHeaderWgsl}); the layered LCA (tied or with a schedule) is in
 * `schedule_kernels.ts`. All kernels of a pass are encoded into one command buffer and
 * submitted once.
 *
 * @module
 */

import type { LsaParameters } from "../../model/models.ts";
import type { ResolvedSample, TaskBatch } from "../../model/model_types.ts";
import { chunkCount, encodeParams, PARAMS_WGSL, sampleParams } from "./common.ts";
import type { GpuScope } from "./context.ts";
import { encodeQuery } from "./statistics_kernels.ts";
import { encodeTile, tileLayout } from "./token_kernels.ts";

/**
 * WGSL head of the per-prompt kernels of the token-level passes at dimension d: the uniform
 * block, D and DE, bindings 1 query, 2 partial (the chunk sums of the project kernel), 3 the
 * read-write vector `state` (one d + 1 vector per prompt), 4 out, and `chunk_sum(n, a)`, entry
 * a of prompt n's project sums over its chunks.
 */
export function tokenPassHeaderWgsl(d: number, state: string): string {
  const de = tileLayout(d, "project").de;
  return /* wgsl */ `
${PARAMS_WGSL}
const D: u32 = ${d}u;
const DE: u32 = ${de}u;
@group(0) @binding(1) var<storage, read> query: array<f32>;
@group(0) @binding(2) var<storage, read> partial: array<f32>;
@group(0) @binding(3) var<storage, read_write> ${state}: array<f32>;
@group(0) @binding(4) var<storage, read_write> out: array<f32>;

fn chunk_sum(n: u32, a: u32) -> f32 {
  var sum = 0.0;
  for (var s = 0u; s < params.chunks; s++) { sum += partial[(n * params.chunks + s) * DE + a]; }
  return sum;
}
`;
}

/** WGSL of the LSA kernels: flag 0 writes u_n = K x_q (length d + 1); flag 1 the readout p^T (...). */
export function lsaKernelsWgsl(d: number): string {
  return /* wgsl */ `
${tokenPassHeaderWgsl(d, "u")}
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
    for (var c = 0u; c <= D; c++) { pred = fma(pk[c], chunk_sum(n, c), pred); }
    out[n] = pred * params.inv_l;
  }
}
`;
}

/** The buffers of a token-level pass and the sizes of its per-prompt kernel's dispatch. */
export interface TokenPass {
  /** The task's spike (input of the token kernels). */
  spike: GPUBuffer;
  /** The N query covariates x_q (N d floats). */
  query: GPUBuffer;
  /** Token chunks per prompt. */
  chunks: number;
  /** The project kernel's chunk sums (N chunks DE floats). */
  partial: GPUBuffer;
  /** The per-prompt vector the project kernel reads (N (d + 1) floats). */
  state: GPUBuffer;
  /** The N predictions. */
  out: GPUBuffer;
  /** Workgroups of 64 of the per-prompt kernel (one invocation per (prompt, entry)). */
  groups: number;
}

/**
 * Starts a token-level pass: checks the per-prompt kernel's dispatch size, encodes the query
 * kernel and allocates the pass's buffers (`state` under the label `stateLabel`).
 */
export async function beginTokenPass(
  scope: GpuScope,
  encoder: GPUCommandEncoder,
  sample: ResolvedSample,
  tasks: TaskBatch,
  stateLabel: string,
): Promise<TokenPass> {
  const d = tasks.task.dim;
  const N = sample.prompts;
  const groups = Math.ceil((N * (d + 1)) / 64);
  if (groups > 65535) throw new RangeError(`prompts * (d + 1) must be at most ${65535 * 64}`);
  const { spike, query } = await encodeQuery(scope, encoder, sample, tasks);
  const chunks = chunkCount(N, sample.context);
  const partial = scope.storage(N * chunks * tileLayout(d, "project").de * 4, "projectPartial");
  const state = scope.storage(N * (d + 1) * 4, stateLabel);
  const out = scope.storage(N * 4, "predictions");
  return { spike, query, chunks, partial, state, out, groups };
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
  const { spike, query, chunks, partial, state: u, out, groups } = await beginTokenPass(
    scope,
    encoder,
    sample,
    tasks,
    "kxq",
  );
  const pk = new Float32Array((d + 1) * (d + 1));
  pk.set(params.p);
  pk.set(params.k, d + 1);
  const pkBuffer = scope.upload(pk, "lsaParameters");
  const small = await scope.ctx.pipeline(lsaKernelsWgsl(d), `lsa(d=${d})`);
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
