/**
 * WGSL and host code for sampling prompts inside the kernels and reducing them
 * to sufficient statistics (Sigma_hat, mu_hat, mean y, mean y^2) plus the query.
 *
 * Gram kernel: one workgroup per (token chunk, prompt). A tile of B tokens is
 * generated cooperatively (one Philox block per invocation), assembled into the
 * augmented rows z = (x_1..x_d, y, 1, 0..) in workgroup memory, and every
 * invocation accumulates a register-blocked 4 x 4 block (four vec4 FMAs per
 * token) of the upper triangle of sum_i z_i z_i^T. When the triangle has few
 * blocks (small d), P invocations share a block over interleaved tokens and are
 * summed by a workgroup reduction at the end. The Gram of z holds Sigma_hat
 * (x x^T), mu_hat (x y), mean y^2 (y y) and mean y (y * 1). A second kernel sums
 * the chunks and scales by 1/L. Peak memory: O(N d^2) (chunks x (d+4)^2 partials
 * per prompt, prompt batches bounded by the binding limit).
 *
 * @module
 */

import { RESPONSE_LOADING } from "../reconstructed.ts";
import type { ResolvedSample, TaskBatch } from "../task.ts";
import { chunkCount, encodeParams, PARAMS_WGSL, sampleParams, tokenBlocks } from "./common.ts";
import type { GpuScope } from "./context.ts";
import { PHILOX_WGSL } from "./philox_wgsl.ts";

/** Largest d the tile kernels support (the Gram's upper triangle must fit 256 invocations). */
export const MAX_WEBGPU_DIM = 84;

/** What a tile kernel computes from the augmented token rows z = (x, y, 1, 0..). */
export type TileMode = "gram" | "project";

/** Sizes of a tile kernel for dimension d. */
export interface TileLayout {
  d: number;
  mode: TileMode;
  /** Padded augmented dimension (d + 2 rounded up to a multiple of 4). */
  de: number;
  /** 4-blocks per row. */
  nb: number;
  /** Output blocks: upper-triangular 4 x 4 blocks (gram) or 4-blocks of the vector (project). */
  nub: number;
  /** Invocations sharing an output block over interleaved tokens. */
  split: number;
  /** Workgroup size nub * split. */
  workgroup: number;
  /** Tokens per tile. */
  tile: number;
  /** Philox blocks per token. */
  nbk: number;
  /** vec4 of scratch per workgroup slot. */
  slot: number;
}

/** The layout of a tile kernel for dimension d. */
export function tileLayout(d: number, mode: TileMode): TileLayout {
  if (d > MAX_WEBGPU_DIM) {
    throw new RangeError(`d must be at most ${MAX_WEBGPU_DIM} on webgpu, got ${d}`);
  }
  const de = 4 * Math.ceil((d + 2) / 4);
  const nb = de / 4;
  const nub = mode === "gram" ? nb * (nb + 1) / 2 : nb;
  const split = Math.max(1, Math.floor((mode === "gram" ? 128 : 64) / nub));
  const nbk = tokenBlocks(d);
  const tile = Math.max(1, Math.min(TILE_TOKENS, Math.floor(16384 / (16 * (nbk + nb)))));
  const workgroup = nub * split;
  const extra = mode === "gram" ? (split > 1 ? 4 * workgroup : 0) : tile + workgroup;
  return { d, mode, de, nb, nub, split, workgroup, tile, nbk, slot: tile * (nbk + nb) + extra };
}

/**
 * Most tokens per tile (a tile holds at most 16 KiB of token data, so it stays in
 * the CPU caches on a software adapter; longer tiles measured slower on llvmpipe).
 */
export const TILE_TOKENS = 256;

/** Most workgroup slots (scratch regions) per dispatch of a tile kernel. */
export const TILE_SLOTS = 1024;

/** Bytes of scratch a dispatch may use. */
export const TILE_SCRATCH_BYTES = 64 * 1024 * 1024;

/** WGSL of the query kernel: one invocation per prompt writes x_q and y_q. */
export function queryKernelWgsl(d: number): string {
  const nbk = tokenBlocks(d);
  return /* wgsl */ `
${PHILOX_WGSL}
${PARAMS_WGSL}
const D: u32 = ${d}u;
const NBK: u32 = ${nbk}u;
@group(0) @binding(1) var<storage, read> spike: array<f32>;
@group(0) @binding(2) var<storage, read_write> query: array<f32>;
@group(0) @binding(3) var<storage, read_write> query_label: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let n = gid.x;
  if (n >= params.prompts) { return; }
  let p = params.prompt_offset + n;
  let key = stream_key();
  var h = 0.0;
  for (var b = 0u; b < NBK; b++) {
    let z = stream_normals(key, p, QUERY_TOKEN, TAG_TOKEN, b);
    if (b == 0u) { h = z.x; }
    for (var c = 0u; c < 4u; c++) {
      let j = 4u * b + c;
      if (j >= 1u && j <= D) {
        query[n * D + j - 1u] = h * spike[n * D + j - 1u] + z[c];
      } else if (j == D + 1u) {
        query_label[n] = RESPONSE_LOADING * h + params.sigma * z[c];
      }
    }
  }
}
`;
}

/**
 * WGSL of a tile kernel (see the module documentation). Workgroup memory is not
 * used for the tiles: llvmpipe compiles the zero-initialisation of large
 * workgroup arrays very slowly (tens of seconds for 1024 vec4), so every
 * workgroup works in its own slot of a storage scratch buffer, synchronised
 * with `storageBarrier()`.
 *
 * - gram: partial[slot] = upper 4 x 4 blocks of sum_i z_i z_i^T (DE x NB vec4);
 * - project: partial[slot] = sum_i z_i (z_i . u_n) (NB vec4), with u_n the per-prompt
 *   vector at `u[n * (d + 1) ..]` (coefficients of x_1..x_d and y).
 */
export function tileKernelWgsl(d: number, mode: TileMode): string {
  const g = tileLayout(d, mode);
  const reduce = g.split > 1;
  const gram = mode === "gram";
  return /* wgsl */ `
${PHILOX_WGSL}
${PARAMS_WGSL}
const D: u32 = ${d}u;
const DE: u32 = ${g.de}u;
const NB: u32 = ${g.nb}u;
const NUB: u32 = ${g.nub}u;
const P: u32 = ${g.split}u;
const WG: u32 = ${g.workgroup}u;
const B: u32 = ${g.tile}u;
const NBK: u32 = ${g.nbk}u;
const SLOT: u32 = ${g.slot}u;
@group(0) @binding(1) var<storage, read> spike: array<f32>;
@group(0) @binding(2) var<storage, read_write> scratch: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> partial: array<vec4<f32>>;
${gram ? "" : "@group(0) @binding(4) var<storage, read> u: array<f32>;"}

@compute @workgroup_size(${g.workgroup})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let chunk = wid.x;
  let local_prompt = wid.y;
  let n = params.prompt_base + local_prompt;
  let p = params.prompt_offset + n;
  let key = stream_key();
  let begin = chunk * params.chunk_tokens;
  let end = min(begin + params.chunk_tokens, params.context);
  let zbase = (local_prompt * params.chunks + chunk) * SLOT;
  let xbase = zbase + B * NBK;
  let ebase = xbase + B * NB;
  let blk = lid % NUB;
  let split = lid / NUB;
${
    gram
      ? `  var bi = 0u;
  var r = blk;
  loop {
    if (r < NB - bi) { break; }
    r -= NB - bi;
    bi++;
  }
  let bj = bi + r;
  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);`
      : `  var acc0 = vec4<f32>(0.0);`
  }
  for (var t0 = begin; t0 < end; t0 += B) {
    let cnt = min(B, end - t0);
    for (var k = lid; k < cnt * NBK; k += WG) {
      let i = k / NBK;
      scratch[zbase + k] = stream_normals(key, p, t0 + i, TAG_TOKEN, k - i * NBK);
    }
    storageBarrier();
    for (var k = lid; k < cnt * NB; k += WG) {
      let i = k / NB;
      let c = k - i * NB;
      let h = scratch[zbase + i * NBK].x;
      var v = vec4<f32>(0.0);
      for (var q = 0u; q < 4u; q++) {
        let col = 4u * c + q;
        if (col < D) {
          let j = col + 1u;
          v[q] = h * spike[n * D + col] + scratch[zbase + i * NBK + j / 4u][j % 4u];
        } else if (col == D) {
          let j = D + 1u;
          v[q] = RESPONSE_LOADING * h + params.sigma * scratch[zbase + i * NBK + j / 4u][j % 4u];
        } else if (col == D + 1u) {
          v[q] = 1.0;
        }
      }
      scratch[xbase + k] = v;
    }
    storageBarrier();
${
    gram
      ? `    for (var i = split; i < cnt; i += P) {
      let a = scratch[xbase + i * NB + bi];
      let b = scratch[xbase + i * NB + bj];
      acc0 = fma(vec4<f32>(a.x), b, acc0);
      acc1 = fma(vec4<f32>(a.y), b, acc1);
      acc2 = fma(vec4<f32>(a.z), b, acc2);
      acc3 = fma(vec4<f32>(a.w), b, acc3);
    }`
      : `    for (var i = lid; i < cnt; i += WG) {
      var s = 0.0;
      for (var c = 0u; c < NB; c++) {
        let x = scratch[xbase + i * NB + c];
        for (var q = 0u; q < 4u; q++) {
          let col = 4u * c + q;
          if (col <= D) { s = fma(x[q], u[n * (D + 1u) + col], s); }
        }
      }
      scratch[ebase + i] = vec4<f32>(s);
    }
    storageBarrier();
    for (var i = split; i < cnt; i += P) {
      acc0 = fma(scratch[xbase + i * NB + blk], vec4<f32>(scratch[ebase + i].x), acc0);
    }`
  }
    storageBarrier();
  }
${
    gram
      ? (reduce
        ? `  scratch[ebase + 4u * lid] = acc0;
  scratch[ebase + 4u * lid + 1u] = acc1;
  scratch[ebase + 4u * lid + 2u] = acc2;
  scratch[ebase + 4u * lid + 3u] = acc3;
  storageBarrier();
  if (split != 0u) { return; }
  for (var s = 1u; s < P; s++) {
    let o = ebase + 4u * (s * NUB + blk);
    acc0 += scratch[o];
    acc1 += scratch[o + 1u];
    acc2 += scratch[o + 2u];
    acc3 += scratch[o + 3u];
  }
`
        : "") +
        `  let base = (n * params.chunks + chunk) * DE * NB;
  partial[base + (4u * bi) * NB + bj] = acc0;
  partial[base + (4u * bi + 1u) * NB + bj] = acc1;
  partial[base + (4u * bi + 2u) * NB + bj] = acc2;
  partial[base + (4u * bi + 3u) * NB + bj] = acc3;`
      : `  scratch[ebase + B + lid] = acc0;
  storageBarrier();
  if (split != 0u) { return; }
  for (var s = 1u; s < P; s++) {
    acc0 += scratch[ebase + B + s * NUB + blk];
  }
  partial[(n * params.chunks + chunk) * NB + blk] = acc0;`
  }
}
`;
}

/** Prompts per dispatch of a tile kernel. */
export function tileBatch(prompts: number, chunks: number, slotBytes = 0): number {
  const slots = Math.min(TILE_SLOTS, Math.floor(TILE_SCRATCH_BYTES / Math.max(1, slotBytes)));
  return Math.max(1, Math.min(prompts, Math.floor(slots / chunks), 65535));
}

/** Bytes of the scratch buffer of a tile kernel. */
export function tileScratchBytes(sample: ResolvedSample, mode: TileMode, chunks: number): number {
  const layout = tileLayout(sample.task.dim, mode);
  return tileBatch(sample.prompts, chunks, layout.slot * 16) * chunks * layout.slot * 16;
}

/** Encodes a tile kernel over all prompts (in dispatches of at most TILE_SLOTS workgroups). */
export async function encodeTile(
  scope: GpuScope,
  encoder: GPUCommandEncoder,
  sample: ResolvedSample,
  mode: TileMode,
  spike: GPUBuffer,
  partial: GPUBuffer,
  chunks: number,
  u?: GPUBuffer,
  scratchBuffer?: GPUBuffer,
): Promise<void> {
  const d = sample.task.dim;
  const N = sample.prompts;
  const batch = tileBatch(N, chunks, tileLayout(d, mode).slot * 16);
  const scratch = scratchBuffer ??
    scope.storage(tileScratchBytes(sample, mode, chunks), `${mode}Scratch`);
  const pipeline = await scope.ctx.pipeline(tileKernelWgsl(d, mode), `${mode}(d=${d})`);
  const chunkTokens = Math.ceil(sample.context / chunks);
  for (let base = 0; base < N; base += batch) {
    const count = Math.min(batch, N - base);
    const params = scope.uniform(
      encodeParams({ ...sampleParams(sample), chunks, chunkTokens, promptBase: base }),
    );
    const buffers = [params, spike, scratch, partial];
    if (u !== undefined) buffers.push(u);
    scope.dispatch(encoder, pipeline, buffers, chunks, count);
  }
}

/** WGSL of the kernel that sums the chunks of the Gram and writes the statistics. */
export function gramReduceKernelWgsl(d: number): string {
  const g = tileLayout(d, "gram");
  return /* wgsl */ `
${PARAMS_WGSL}
const D: u32 = ${d}u;
const DE: u32 = ${g.de}u;
@group(0) @binding(1) var<storage, read> partial: array<f32>;
@group(0) @binding(2) var<storage, read_write> sigma_hat: array<f32>;
@group(0) @binding(3) var<storage, read_write> mu_hat: array<f32>;
@group(0) @binding(4) var<storage, read_write> moments: array<f32>;

fn gram(n: u32, r: u32, c: u32) -> f32 {
  let a = min(r, c);
  let b = max(r, c);
  var sum = 0.0;
  for (var s = 0u; s < params.chunks; s++) {
    sum += partial[(n * params.chunks + s) * DE * DE + a * DE + b];
  }
  return sum * params.inv_l;
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let e = gid.x;
  let n = params.prompt_base + wid.y;
  if (e < D * D) {
    let a = e / D;
    sigma_hat[n * D * D + e] = gram(n, a, e - a * D);
  } else if (e < D * D + D) {
    mu_hat[n * D + e - D * D] = gram(n, e - D * D, D);
  } else if (e == D * D + D) {
    moments[2u * n] = gram(n, D, D + 1u);
  } else if (e == D * D + D + 1u) {
    moments[2u * n + 1u] = gram(n, D, D);
  }
}
`;
}

/** GPU buffers of a batch's statistics (f32, row-major as in `PromptStatistics`). */
export interface StatisticsBuffers {
  /** N x d spike vectors (uploaded). */
  spike: GPUBuffer;
  /** N x d x d. */
  sigmaHat: GPUBuffer;
  /** N x d. */
  muHat: GPUBuffer;
  /** N x 2: (mean y, mean y^2) per prompt. */
  moments: GPUBuffer;
  /** N x d. */
  query: GPUBuffer;
  /** N. */
  queryLabel: GPUBuffer;
}

/** Uploads the spikes and encodes the query kernel; returns (spike, query, queryLabel). */
export async function encodeQuery(
  scope: GpuScope,
  encoder: GPUCommandEncoder,
  sample: ResolvedSample,
  tasks: TaskBatch,
): Promise<{ spike: GPUBuffer; query: GPUBuffer; queryLabel: GPUBuffer }> {
  const d = tasks.task.dim;
  const N = sample.prompts;
  const spike = scope.upload(Float32Array.from(tasks.spike), "spike");
  const query = scope.storage(N * d * 4, "query");
  const queryLabel = scope.storage(N * 4, "queryLabel");
  const pipeline = await scope.ctx.pipeline(queryKernelWgsl(d), `query(d=${d})`);
  const params = scope.uniform(encodeParams(sampleParams(sample)));
  scope.dispatch(encoder, pipeline, [params, spike, query, queryLabel], Math.ceil(N / 64));
  return { spike, query, queryLabel };
}

/**
 * Encodes the sampling and reduction of a batch's statistics (finite context).
 * The buffers belong to `scope`.
 */
export async function encodeStatistics(
  scope: GpuScope,
  encoder: GPUCommandEncoder,
  sample: ResolvedSample,
  tasks: TaskBatch,
): Promise<StatisticsBuffers> {
  const d = tasks.task.dim;
  const N = sample.prompts;
  const L = sample.context;
  const layout = tileLayout(d, "gram");
  const { spike, query, queryLabel } = await encodeQuery(scope, encoder, sample, tasks);
  const sigmaHat = scope.storage(N * d * d * 4, "sigmaHat");
  const muHat = scope.storage(N * d * 4, "muHat");
  const moments = scope.storage(N * 2 * 4, "moments");
  const chunks = chunkCount(N, L);
  const partial = scope.storage(N * chunks * layout.de * layout.de * 4, "gramPartial");
  await encodeTile(scope, encoder, sample, "gram", spike, partial, chunks);
  const reduce = await scope.ctx.pipeline(gramReduceKernelWgsl(d), `gramReduce(d=${d})`);
  const entries = d * d + d + 2;
  const params = scope.uniform(encodeParams({ ...sampleParams(sample), chunks }));
  for (let base = 0; base < N; base += 65535) {
    const count = Math.min(65535, N - base);
    const p = base === 0 ? params : scope.uniform(
      encodeParams({ ...sampleParams(sample), chunks, promptBase: base }),
    );
    scope.dispatch(
      encoder,
      reduce,
      [p, partial, sigmaHat, muHat, moments],
      Math.ceil(entries / 64),
      count,
    );
  }
  return { spike, sigmaHat, muHat, moments, query, queryLabel };
}

/** Exact task moments (context = Infinity) in f32 for the statistics buffers. */
export function exactMoments(tasks: TaskBatch): {
  sigmaHat: Float32Array;
  muHat: Float32Array;
  moments: Float32Array;
} {
  const d = tasks.task.dim;
  const N = tasks.prompts;
  const sigmaHat = new Float32Array(N * d * d);
  const muHat = new Float32Array(N * d);
  const moments = new Float32Array(N * 2);
  for (let n = 0; n < N; n++) {
    for (let a = 0; a < d; a++) {
      const ma = tasks.spike[n * d + a];
      muHat[n * d + a] = RESPONSE_LOADING * ma;
      for (let b = 0; b < d; b++) {
        sigmaHat[n * d * d + a * d + b] = (a === b ? 1 : 0) + ma * tasks.spike[n * d + b];
      }
    }
    moments[2 * n + 1] = RESPONSE_LOADING * RESPONSE_LOADING + tasks.task.sigma ** 2;
  }
  return { sigmaHat, muHat, moments };
}
