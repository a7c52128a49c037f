/**
 * The token-lane kernels: WGSL and host code that sample a prompt's context tokens
 * inside the kernel and reduce them, a chunk of tokens per workgroup.
 *
 * Every invocation takes one token at a time: it draws the token's Philox blocks
 * and assembles the augmented row z = (x_1..x_d, y, 1, 0..) in registers, so the
 * token loop has no storage loads and no barriers. (On a software adapter such as
 * llvmpipe, a storage load whose address differs between invocations is a per-lane
 * gather that costs far more than the FMAs it feeds; the earlier tile kernels,
 * which shared a token tile through a scratch buffer, spent most of their time in
 * those loads.)
 *
 * - Gram kernel: one workgroup of GRAM_LANES invocations per (token chunk,
 *   prompt, block group). The 4 x 4 upper blocks of sum_i z_i z_i^T are split into
 *   groups of at most GRAM_GROUP_BLOCKS blocks, one pipeline each (every group
 *   redraws the tokens: Philox is cheap next to the Gram). The invocations' sums
 *   are added in invocation order at the end. The Gram of z holds Sigma_hat
 *   (x x^T), mu_hat (x y), mean y^2 (y y) and mean y (y * 1); the reduction to
 *   statistics is in `statistics_kernels.ts`.
 * - Project kernel (forward passes): sum_i z_i (z_i . u_n) per prompt.
 *
 * Peak memory: O(N d^2) (chunks x (d + 4)^2 partials per prompt; scratch for the
 * end-of-chunk sums, in prompt batches bounded by TILE_SCRATCH_BYTES).
 *
 * @module
 */

import type { ResolvedSample } from "../../model/model_types.ts";
import { encodeParams, PARAMS_WGSL, sampleParams, tokenBlocks } from "./common.ts";
import type { GpuScope } from "./context.ts";
import { PHILOX_WGSL } from "./philox_wgsl.ts";

/**
 * Largest d the token kernels support.
 *
 * @example The largest d on WebGPU
 * ```ts
 * import assert from "node:assert/strict";
 * import { MAX_WEBGPU_DIM } from "./token_kernels.ts";
 * assert.equal(MAX_WEBGPU_DIM, 84);
 * ```
 */
export const MAX_WEBGPU_DIM = 84;

/** What a token kernel computes from the augmented token rows z = (x, y, 1, 0..). */
export type TileMode = "gram" | "project";

/** Sizes of a token kernel for dimension d. */
export interface TileLayout {
  /** Covariate dimension d. */
  d: number;
  /** What the kernel computes. */
  mode: TileMode;
  /** Padded augmented dimension (d + 2 rounded up to a multiple of 4). */
  de: number;
  /** 4-blocks per row. */
  nb: number;
  /** Philox blocks per token. */
  nbk: number;
  /** Invocations per workgroup. */
  workgroup: number;
  /** Pipelines (block groups of the Gram; 1 for project). */
  groups: number;
  /** 4 x 4 Gram blocks per group (0 for project). */
  blocksPerGroup: number;
  /** vec4 of scratch per workgroup slot (the invocations' sums before the final addition). */
  slot: number;
}

/** Invocations per workgroup of the token kernels. */
export const GRAM_LANES = 64;

/**
 * Most 4 x 4 Gram blocks (4 vec4 accumulators each) per pipeline. Fewer groups
 * redraw the tokens less often but compile more slowly on llvmpipe (all 153
 * blocks of d = 64 in one pipeline took 29 s to compile, against 0.15 s/32
 * prompts of run time; three groups of 51 blocks: about 4 s each).
 */
export const GRAM_GROUP_BLOCKS = 52;

/** The layout of a token kernel for dimension d. */
export function tileLayout(d: number, mode: TileMode): TileLayout {
  if (d > MAX_WEBGPU_DIM) {
    throw new RangeError(`d must be at most ${MAX_WEBGPU_DIM} on webgpu, got ${d}`);
  }
  const de = 4 * Math.ceil((d + 2) / 4);
  const nb = de / 4;
  const nbk = tokenBlocks(d);
  const workgroup = GRAM_LANES;
  if (mode === "project") {
    return { d, mode, de, nb, nbk, workgroup, groups: 1, blocksPerGroup: 0, slot: workgroup * nb };
  }
  const blocks = nb * (nb + 1) / 2;
  const groups = Math.ceil(blocks / GRAM_GROUP_BLOCKS);
  const blocksPerGroup = Math.ceil(blocks / groups);
  return {
    d,
    mode,
    de,
    nb,
    nbk,
    workgroup,
    groups,
    blocksPerGroup,
    slot: workgroup * 4 * blocksPerGroup,
  };
}

/** Most workgroup slots (scratch regions) per dispatch of a token kernel. */
export const TILE_SLOTS = 1024;

/** Bytes of scratch a dispatch may use. */
export const TILE_SCRATCH_BYTES = 64 * 1024 * 1024;

const XYZW = ["x", "y", "z", "w"];

/**
 * WGSL pieces that put one token's augmented row z = (x, y, 1, 0..) in registers
 * x0..x{NB-1}: \`prelude\` loads the spike m of prompt n once (m0..), \`token\`
 * draws the Philox blocks of token t (g0..) and assembles z, with
 * x_j = h m_j + xi_j and y = RESPONSE_LOADING h + sigma eps (the same expressions
 * as the CPU sampler).
 */
export function tokenRegisters(d: number, nb: number): { prelude: string; token: string } {
  const nbk = tokenBlocks(d);
  const cy = Math.floor(d / 4);
  const blocks = Array.from({ length: nb }, (_, c) => c);
  const normals = Array.from({ length: nbk }, (_, b) => b);
  const xi = (c: number) => `vec4<f32>(g${c}.yzw, ${c + 1 < nbk ? `g${c + 1}.x` : "0.0"})`;
  const comp = (c: number, q: number): string => {
    const col = 4 * c + q;
    const next = `g${Math.floor((col + 1) / 4)}.${XYZW[(col + 1) % 4]}`;
    if (col < d) return `h * m${c}.${XYZW[q]} + ${next}`;
    if (col === d) return `RESPONSE_LOADING * h + params.sigma * ${next}`;
    return col === d + 1 ? "1.0" : "0.0";
  };
  const x = (c: number) =>
    c < cy
      ? `h * m${c} + ${xi(c)}`
      : `vec4<f32>(${[0, 1, 2, 3].map((q) => comp(c, q)).join(", ")})`;
  return {
    prelude: blocks.filter((c) => 4 * c < d).map((c) =>
      `  let m${c} = ${vec4Load("spike", "n * D", c, d)};`
    ).join("\n"),
    token: [
      ...normals.map((b) => `    let g${b} = stream_normals(key, p, t, TAG_TOKEN, ${b}u);`),
      "    let h = g0.x;",
      ...blocks.map((c) => `    let x${c} = ${x(c)};`),
    ].join("\n"),
  };
}

/** WGSL of vec4(a[base + 4c], .., a[base + 4c + 3]) with zeros at indices >= limit. */
function vec4Load(name: string, base: string, c: number, limit: number): string {
  const q = [0, 1, 2, 3].map((q) => 4 * c + q < limit ? `${name}[${base} + ${4 * c + q}u]` : "0.0");
  return `vec4<f32>(${q.join(", ")})`;
}

/**
 * The opening of every token-lane kernel: which chunk of which prompt this
 * workgroup reduces, its Philox key, token range and scratch slot.
 */
const TOKEN_CHUNK_PROLOGUE = `  let chunk = wid.x;
  let local_prompt = wid.y;
  let n = params.prompt_base + local_prompt;
  let p = params.prompt_offset + n;
  let key = stream_key();
  let begin = chunk * params.chunk_tokens;
  let end = min(begin + params.chunk_tokens, params.context);
  let sbase = (local_prompt * params.chunks + chunk) * SLOT;`;

/**
 * WGSL of the project kernel: partial[slot] = sum_i z_i (z_i . u_n) (NB vec4) over
 * a chunk of tokens, with u_n the per-prompt vector at \`u[n * (d + 1) ..]\`
 * (coefficients of x_1..x_d and y). One invocation per token at a time: it
 * draws the token's Philox blocks, assembles z in registers (the spike and u_n
 * are loaded once), forms z . u with sequential FMAs in column order and adds
 * z (z . u) to its own accumulators; no scratch memory and no barriers in the
 * token loop (on llvmpipe every storage load with an invocation-dependent
 * address is a per-lane gather, so the loop keeps them to zero). The
 * invocations' sums are added in invocation order at the end.
 */
export function projectKernelWgsl(d: number): string {
  const g = tileLayout(d, "project");
  const nb = g.nb;
  const blocks = Array.from({ length: nb }, (_, c) => c);
  const regs = tokenRegisters(d, nb);
  const cols = Array.from({ length: d + 1 }, (_, col) => col);
  return /* wgsl */ `
${PHILOX_WGSL}
${PARAMS_WGSL}
const D: u32 = ${d}u;
const NB: u32 = ${nb}u;
const WG: u32 = ${g.workgroup}u;
const SLOT: u32 = ${g.slot}u;
@group(0) @binding(1) var<storage, read> spike: array<f32>;
@group(0) @binding(2) var<storage, read_write> scratch: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> partial: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read> u: array<f32>;

@compute @workgroup_size(${g.workgroup})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
${TOKEN_CHUNK_PROLOGUE}
  let ub = n * (D + 1u);
${regs.prelude}
${
    blocks.filter((c) => 4 * c <= d).map((c) => `  let u${c} = ${vec4Load("u", "ub", c, d + 1)};`)
      .join("\n")
  }
${blocks.map((c) => `  var acc${c} = vec4<f32>(0.0);`).join("\n")}
  for (var t = begin + lid; t < end; t += WG) {
${regs.token}
    var s = 0.0;
${
    cols.map((col) =>
      `    s = fma(x${Math.floor(col / 4)}.${XYZW[col % 4]}, u${Math.floor(col / 4)}.${
        XYZW[col % 4]
      }, s);`
    ).join("\n")
  }
    let e = vec4<f32>(s);
${blocks.map((c) => `    acc${c} = fma(x${c}, e, acc${c});`).join("\n")}
  }
${blocks.map((c) => `  scratch[sbase + lid * NB + ${c}u] = acc${c};`).join("\n")}
  storageBarrier();
  if (lid >= NB) { return; }
  var sum = vec4<f32>(0.0);
  for (var l = 0u; l < WG; l++) { sum += scratch[sbase + l * NB + lid]; }
  partial[(n * params.chunks + chunk) * NB + lid] = sum;
}
`;
}

/** Upper-triangular 4 x 4 blocks (bi, bj), bi <= bj, of the Gram in row-major order. */
function gramBlocks(nb: number): [number, number][] {
  const out: [number, number][] = [];
  for (let bi = 0; bi < nb; bi++) for (let bj = bi; bj < nb; bj++) out.push([bi, bj]);
  return out;
}

/**
 * WGSL of group \`group\` of the token-lane Gram kernel: one invocation per token at
 * a time draws the token into registers and accumulates its share of the 4 x 4
 * upper blocks of sum_i z_i z_i^T (no loads in the token loop); the invocations'
 * sums are added in invocation order at the end and written to the block's place
 * in partial[slot] (DE x NB vec4).
 */
export function gramKernelWgsl(d: number, group: number): string {
  const g = tileLayout(d, "gram");
  const nb = g.nb;
  const all = gramBlocks(nb);
  const per = g.blocksPerGroup;
  const mine = all.slice(group * per, (group + 1) * per);
  const k = 4 * mine.length;
  const regs = tokenRegisters(d, nb);
  const acc = (b: number, q: number) => `acc${4 * b + q}`;
  return /* wgsl */ `
${PHILOX_WGSL}
${PARAMS_WGSL}
const D: u32 = ${d}u;
const DE: u32 = ${g.de}u;
const NB: u32 = ${nb}u;
const WG: u32 = ${g.workgroup}u;
const K: u32 = ${k}u;
const SLOT: u32 = ${g.slot}u;
@group(0) @binding(1) var<storage, read> spike: array<f32>;
@group(0) @binding(2) var<storage, read_write> scratch: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> partial: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read> offsets: array<u32>;

@compute @workgroup_size(${g.workgroup})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
${TOKEN_CHUNK_PROLOGUE}
${regs.prelude}
${
    mine.map((_, b) => [0, 1, 2, 3].map((q) => `  var ${acc(b, q)} = vec4<f32>(0.0);`).join("\n"))
      .join("\n")
  }
  for (var t = begin + lid; t < end; t += WG) {
${regs.token}
${
    mine.map(([bi, bj], b) =>
      [0, 1, 2, 3].map((q) =>
        `    ${acc(b, q)} = fma(vec4<f32>(x${bi}.${XYZW[q]}), x${bj}, ${acc(b, q)});`
      ).join("\n")
    ).join("\n")
  }
  }
${
    mine.map((_, b) =>
      [0, 1, 2, 3].map((q) => `  scratch[sbase + lid * K + ${4 * b + q}u] = ${acc(b, q)};`).join(
        "\n",
      )
    ).join("\n")
  }
  storageBarrier();
  let base = (n * params.chunks + chunk) * DE * NB;
  for (var e = lid; e < K; e += WG) {
    var sum = vec4<f32>(0.0);
    for (var l = 0u; l < WG; l++) { sum += scratch[sbase + l * K + e]; }
    partial[base + offsets[${group * per * 4}u + e]] = sum;
  }
}
`;
}

/** Offsets in partial[slot] (vec4) of the 4 rows of every upper block, in block order. */
export function gramOffsets(d: number): Uint32Array<ArrayBuffer> {
  const nb = tileLayout(d, "gram").nb;
  const all = gramBlocks(nb);
  const out = new Uint32Array(4 * all.length);
  all.forEach(([bi, bj], b) => {
    for (let q = 0; q < 4; q++) out[4 * b + q] = (4 * bi + q) * nb + bj;
  });
  return out;
}

/** Prompts per dispatch of a token kernel. */
export function tileBatch(prompts: number, chunks: number, slotBytes = 0): number {
  const slots = Math.min(TILE_SLOTS, Math.floor(TILE_SCRATCH_BYTES / Math.max(1, slotBytes)));
  return Math.max(1, Math.min(prompts, Math.floor(slots / chunks), 65535));
}

/** Bytes of the scratch buffer of a token kernel. */
export function tileScratchBytes(sample: ResolvedSample, mode: TileMode, chunks: number): number {
  const layout = tileLayout(sample.task.dim, mode);
  return tileBatch(sample.prompts, chunks, layout.slot * 16) * chunks * layout.slot * 16;
}

/** Encodes a token kernel over all prompts (in dispatches of at most TILE_SLOTS workgroups). */
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
  const layout = tileLayout(d, mode);
  const batch = tileBatch(N, chunks, layout.slot * 16);
  const scratch = scratchBuffer ??
    scope.storage(tileScratchBytes(sample, mode, chunks), `${mode}Scratch`);
  const pipelines: GPUComputePipeline[] = [];
  for (let group = 0; group < layout.groups; group++) {
    pipelines.push(
      await (mode === "project"
        ? scope.ctx.pipeline(projectKernelWgsl(d), `project(d=${d})`)
        : scope.ctx.pipeline(gramKernelWgsl(d, group), `gram(d=${d}, group ${group})`)),
    );
  }
  const last = mode === "project" ? u : scope.upload(gramOffsets(d), "gramOffsets");
  if (last === undefined) throw new TypeError("the project kernel needs u");
  const chunkTokens = Math.ceil(sample.context / chunks);
  for (const pipeline of pipelines) {
    for (let base = 0; base < N; base += batch) {
      const count = Math.min(batch, N - base);
      const params = scope.uniform(
        encodeParams({ ...sampleParams(sample), chunks, chunkTokens, promptBase: base }),
      );
      scope.dispatch(encoder, pipeline, [params, spike, scratch, partial, last], chunks, count);
    }
  }
}
