/**
 * Shared pieces of the kernels: the uniform parameter block every kernel binds
 * at binding 0, its host-side encoder, and the sizes derived from d; the head of the
 * kernels on given statistics and their dispatch in blocks of prompts.
 *
 * @module
 */

import { RESPONSE_LOADING } from "../../model/reconstructed.ts";
import type { ResolvedSample } from "../../model/model_types.ts";
import type { GpuScope } from "./context.ts";

/** The uniform block of every kernel (16 words). */
export const PARAMS_WGSL = /* wgsl */ `
struct Params {
  seed_lo: u32, seed_hi: u32, stream: u32, prompt_offset: u32,
  context: u32, chunk_tokens: u32, chunks: u32, prompt_base: u32,
  sigma: f32, inv_l: f32, alpha: f32, beta: f32,
  prompts: u32, flag: u32, count: u32, pad1: u32,
}
@group(0) @binding(0) var<uniform> params: Params;
fn stream_key() -> vec3<u32> { return vec3<u32>(params.seed_lo, params.seed_hi, params.stream); }
const RESPONSE_LOADING: f32 = ${RESPONSE_LOADING.toFixed(17)};
`;

/**
 * WGSL head of the kernels on given statistics at dimension d: the uniform block, `D`, and the
 * read-only bindings 1 sigma_hat (N d^2 floats), 2 mu_hat (N d) and 3 query (N d).
 */
export function statisticsHeadWgsl(d: number): string {
  return /* wgsl */ `
${PARAMS_WGSL}
const D: u32 = ${d}u;
@group(0) @binding(1) var<storage, read> sigma_hat: array<f32>;
@group(0) @binding(2) var<storage, read> mu_hat: array<f32>;
@group(0) @binding(3) var<storage, read> query: array<f32>;`;
}

/** Host values of the uniform block; unset fields are 0. */
export interface KernelParams {
  seed?: number;
  stream?: number;
  promptOffset?: number;
  context?: number;
  chunkTokens?: number;
  chunks?: number;
  promptBase?: number;
  sigma?: number;
  invL?: number;
  alpha?: number;
  beta?: number;
  prompts?: number;
  flag?: number;
  count?: number;
}

/** Encodes the uniform block. */
export function encodeParams(p: KernelParams): ArrayBuffer {
  const buffer = new ArrayBuffer(64);
  const u = new Uint32Array(buffer);
  const f = new Float32Array(buffer);
  const seed = p.seed ?? 0;
  u[0] = seed % 4294967296 >>> 0;
  u[1] = Math.floor(seed / 4294967296) >>> 0;
  u[2] = (p.stream ?? 0) >>> 0;
  u[3] = (p.promptOffset ?? 0) >>> 0;
  u[4] = (p.context ?? 0) >>> 0;
  u[5] = (p.chunkTokens ?? 0) >>> 0;
  u[6] = (p.chunks ?? 0) >>> 0;
  u[7] = (p.promptBase ?? 0) >>> 0;
  f[8] = p.sigma ?? 0;
  f[9] = p.invL ?? 0;
  f[10] = p.alpha ?? 0;
  f[11] = p.beta ?? 0;
  u[12] = (p.prompts ?? 0) >>> 0;
  u[13] = (p.flag ?? 0) >>> 0;
  u[14] = (p.count ?? 0) >>> 0;
  return buffer;
}

/** The stream fields of the uniform block for a resolved sample. */
export function sampleParams(sample: ResolvedSample): KernelParams {
  return {
    seed: sample.key.seed,
    stream: sample.key.stream,
    promptOffset: sample.promptOffset,
    context: sample.context,
    sigma: sample.task.sigma,
    invL: 1 / sample.context,
    prompts: sample.prompts,
  };
}

/** Philox blocks per token: ceil((d + 2) / 4) (Gaussians h, xi_1..xi_d, eps). */
export function tokenBlocks(d: number): number {
  return Math.ceil((d + 2) / 4);
}

/**
 * Number of token chunks per prompt: enough workgroups to fill the device
 * (about 32 in flight) without chunks shorter than `minChunk` tokens.
 */
export function chunkCount(prompts: number, context: number, minChunk = 256): number {
  return Math.max(1, Math.min(Math.ceil(context / minChunk), Math.ceil(32 / prompts)));
}

/** Converts a Float32Array to a new Float64Array. */
export function toF64(a: Float32Array): Float64Array {
  return Float64Array.from(a);
}

/**
 * Encodes `groups` workgroups of a kernel that finds its place from `params.prompt_base +
 * workgroup_id.x`, in dispatches of at most 65535 workgroups: each binds its own uniform block
 * (`params` with `promptBase` set to its first workgroup) at binding 0 and `buffers` after it.
 */
export function dispatchPromptBlocks(
  scope: GpuScope,
  encoder: GPUCommandEncoder,
  pipeline: GPUComputePipeline,
  groups: number,
  params: KernelParams,
  buffers: readonly GPUBuffer[],
): void {
  for (let base = 0; base < groups; base += 65535) {
    const uniform = scope.uniform(encodeParams({ ...params, promptBase: base }));
    scope.dispatch(encoder, pipeline, [uniform, ...buffers], Math.min(65535, groups - base));
  }
}
