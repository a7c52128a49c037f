/**
 * Softmax cross-attention on WebGPU (float32): the token-level forward pass of
 * `model/softmax_models.ts` (`softmaxTokenPredict`), with the prompts' tokens drawn in-kernel
 * from the same Philox counter stream as the CPU's token sampler.
 *
 * One WGSL module, one dispatch per step (the `flag` of the uniform block), a grid of
 * (columns, prompts) invocations (`gid.x` the token or row, `gid.y` the prompt):
 * - flag 0, one invocation per (prompt, token): draw the token (x_i, y_i) into `tokens`;
 * - flag 1, per (prompt, row c): x_bar[c], mu_hat[c] (sums over the L tokens times 1/L), q_0 = 0;
 * - flag 2, per (prompt, token) for layer t = `count`: the score s_i = tau_t x_i^T q_t;
 * - flag 3, per prompt: m = max_i s_i; flag 4, per prompt: w_i = exp(s_i - m) (in place of
 *   s_i) and z = sum_i w_i;
 * - flag 5, per (prompt, row c): A_t[c] = (sum_i w_i x_i[c]) / z and the update
 *   q_{t+1}[c] = q_t[c] + alpha_t x_q[c] + (beta_t / tau_t) (A_t[c] - [centred] x_bar[c]);
 * - flag 6, per prompt: y_hat = q_T^T mu_hat.
 * The layers are dispatches, so no invocation loops over them, and flags 1, 3, 4 and 5 loop over
 * the tokens in spans of `SOFTMAX_SPAN`, one dispatch per span, their running sums (and max)
 * kept in storage: llvmpipe ends a loop after about 65535 iterations per invocation without an
 * error. The sums run in token order whatever the spans, so the rounding does not depend on them.
 *
 * Per prompt the state buffer holds q, x_bar, mu_hat and the running A_t (d each), z and m; the
 * tokens of a prompt chunk are kept on the device (L (d + 1) floats per prompt), so the host
 * splits the prompts into chunks (`softmaxChunkPrompts`).
 *
 * @module
 */

import type { ResolvedSample, TaskBatch } from "../../model/model_types.ts";
import { type SoftmaxParameters, validateSoftmaxParameters } from "../../model/softmax_models.ts";
import { encodeParams, PARAMS_WGSL, sampleParams } from "./common.ts";
import type { GpuScope } from "./context.ts";
import { PHILOX_WGSL } from "./philox_wgsl.ts";
import { encodeQuery } from "./statistics_kernels.ts";
import { tileLayout, tokenRegisters } from "./token_kernels.ts";

/**
 * Tokens one invocation loops over per dispatch: llvmpipe ends loops after about 65535
 * iterations per invocation without an error, so the loops over the L tokens run in spans of
 * this many tokens, one dispatch each, their sums carried in storage.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SOFTMAX_SPAN } from "./softmax_kernels.ts";
 * assert.equal(SOFTMAX_SPAN, 16384);
 * ```
 */
export const SOFTMAX_SPAN = 16384;

/** Most prompts per dispatch (the prompts are the grid's y dimension). */
const MAX_GRID_Y = 65535;

/**
 * Prompts per chunk of the softmax forward: the chunk's tokens, L (d + 1) floats per prompt,
 * must fit in `maxBytes` (the device's storage binding limit, at most 64 MiB here), and at
 * most 65535 prompts.
 *
 * @example 4096 tokens of d = 15 are 256 KiB per prompt
 * ```ts
 * import assert from "node:assert/strict";
 * import { softmaxChunkPrompts } from "./softmax_kernels.ts";
 * assert.equal(softmaxChunkPrompts(1000, 4096, 15, 2 ** 26), 256);
 * assert.equal(softmaxChunkPrompts(100000, 1, 2, 2 ** 26), 65535);
 * ```
 */
export function softmaxChunkPrompts(
  prompts: number,
  context: number,
  d: number,
  maxBytes: number,
): number {
  const per = Math.floor(Math.min(maxBytes, 2 ** 26) / (context * (d + 1) * 4));
  return Math.max(1, Math.min(prompts, per, MAX_GRID_Y));
}

/**
 * The per-layer (alpha_t, beta_t, tau_t, centred) of validated parameters as float32 vec4s.
 *
 * @example Two centred layers
 * ```ts
 * import assert from "node:assert/strict";
 * import { softmaxLayers } from "./softmax_kernels.ts";
 * const layers = softmaxLayers({ alphas: [0.5, 0.25], betas: [-0.5, 1], taus: [2, 4], centred: true });
 * assert.deepEqual([...layers], [0.5, -0.5, 2, 1, 0.25, 1, 4, 1]);
 * ```
 */
export function softmaxLayers(params: SoftmaxParameters): Float32Array<ArrayBuffer> {
  const depth = validateSoftmaxParameters(params);
  const out = new Float32Array(4 * depth);
  for (let t = 0; t < depth; t++) {
    out.set([params.alphas[t], params.betas[t], params.taus[t], params.centred ? 1 : 0], 4 * t);
  }
  return out;
}

/**
 * WGSL of `draw(n, t)`: writes (x_t, y_t) of token t of prompt n to `tokens` (constant DY = d + 1
 * per token), drawn from the Philox stream like the CPU token sampler.
 */
export function drawWgsl(d: number): string {
  const nb = tileLayout(d, "project").nb;
  const regs = tokenRegisters(d, nb);
  const XYZW = ["x", "y", "z", "w"];
  const writes = Array.from(
    { length: d + 1 },
    (_, col) => `    tokens[o + ${col}u] = x${Math.floor(col / 4)}.${XYZW[col % 4]};`,
  );
  return /* wgsl */ `
fn draw(n: u32, t: u32) {
  let p = params.prompt_offset + n;
  let key = stream_key();
${regs.prelude}
  {
${regs.token}
    let o = (n * params.context + t) * DY;
${writes.join("\n")}
  }
}`;
}

/**
 * WGSL of the token span [begin, end) of the span steps (two uniform fields otherwise unused by
 * the softmax kernels) and of `moments(n, c)`, shared by the forward and the trainer: the running
 * sums over the tokens i of the span of x_{i,c} and y_i x_{i,c}, carried from one span to the
 * next in the storage places `sx` and `sy` (WGSL expressions of n and c) and scaled by 1/L at
 * the last span; `first` is WGSL that runs at the first span (the sums start from 0 there).
 *
 * @example The sums read and written where the caller keeps them
 * ```ts
 * import assert from "node:assert/strict";
 * import { spanMomentsWgsl } from "./softmax_kernels.ts";
 * const wgsl = spanMomentsWgsl("m[2u * n + c]", "m[2u * n + c + 1u]");
 * assert.ok(wgsl.includes("sx = m[2u * n + c];") && wgsl.includes("m[2u * n + c + 1u] = sy;"));
 * ```
 */
export function spanMomentsWgsl(sx: string, sy: string, first = ""): string {
  return /* wgsl */ `
fn span_begin() -> u32 { return params.chunk_tokens; }
fn span_end() -> u32 { return params.chunks; }
fn moments(n: u32, c: u32) {
  var sx = 0.0;
  var sy = 0.0;
  if (span_begin() == 0u) { ${first} } else {
    sx = ${sx};
    sy = ${sy};
  }
  for (var i = span_begin(); i < span_end(); i++) {
    let o = (n * params.context + i) * DY;
    sx += tokens[o + c];
    sy = fma(tokens[o + D], tokens[o + c], sy);
  }
  if (span_end() == params.context) {
    sx = sx * params.inv_l;
    sy = sy * params.inv_l;
  }
  ${sx} = sx;
  ${sy} = sy;
}
`;
}

/**
 * WGSL of the token-span steps (flags 1, 3, 4, 5): each loops over the tokens [begin, end) of
 * the uniform block's span and carries its sums in `state` from one span to the next.
 */
const SOFTMAX_STEPS_WGSL = /* wgsl */ `
fn span_max(n: u32) {
  let b = n * params.context;
  var m = scores[b + span_begin()];
  if (span_begin() > 0u) { m = max(m, state[n * S + 4u * D + 1u]); }
  for (var i = span_begin() + 1u; i < span_end(); i++) { m = max(m, scores[b + i]); }
  state[n * S + 4u * D + 1u] = m;
}

fn span_weights(n: u32) {
  let b = n * params.context;
  let m = state[n * S + 4u * D + 1u];
  var z = 0.0;
  if (span_begin() > 0u) { z = state[n * S + 4u * D]; }
  for (var i = span_begin(); i < span_end(); i++) {
    let w = shifted_exp(scores[b + i], m);
    scores[b + i] = w;
    z += w;
  }
  state[n * S + 4u * D] = z;
}

fn update(n: u32, c: u32) {
  let st = n * S;
  var a = 0.0;
  if (span_begin() > 0u) { a = state[st + 3u * D + c]; }
  for (var i = span_begin(); i < span_end(); i++) {
    a = fma(scores[n * params.context + i], tokens[(n * params.context + i) * DY + c], a);
  }
  state[st + 3u * D + c] = a;
  if (span_end() < params.context) { return; }
  a = a / state[st + 4u * D];
  let layer = layers[params.count];
  let v = a - layer.w * state[st + D + c];
  state[st + c] = state[st + c] + layer.x * query[n * D + c] + (layer.y / layer.z) * v;
}
`;

/**
 * WGSL of the softmax forward for dimension d (the steps of the module doc). `layer_tau(t)`
 * and `shifted_exp` are the accessors the parity test's injected bugs replace.
 */
export function softmaxKernelWgsl(d: number): string {
  return /* wgsl */ `
${PHILOX_WGSL}
${PARAMS_WGSL}
const D: u32 = ${d}u;
const DY: u32 = ${d + 1}u;
const S: u32 = ${4 * d + 2}u;
@group(0) @binding(1) var<storage, read> spike: array<f32>;
@group(0) @binding(2) var<storage, read> query: array<f32>;
@group(0) @binding(3) var<storage, read_write> tokens: array<f32>;
@group(0) @binding(4) var<storage, read_write> scores: array<f32>;
@group(0) @binding(5) var<storage, read_write> state: array<f32>; // q, x_bar, mu, acc, z, m
@group(0) @binding(6) var<storage, read> layers: array<vec4<f32>>; // alpha, beta, tau, centred
@group(0) @binding(7) var<storage, read_write> out: array<f32>;
fn layer_tau(t: u32) -> f32 { return layers[t].z; }
fn shifted_exp(s: f32, m: f32) -> f32 { return exp(s - m); }
${spanMomentsWgsl("state[n * S + D + c]", "state[n * S + 2u * D + c]", "state[n * S + c] = 0.0;")}
${drawWgsl(d)}
${SOFTMAX_STEPS_WGSL}
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let n = gid.y;
  let j = gid.x;
  if (n >= params.prompts) { return; }
  switch params.flag {
    case 0u: { if (j < params.context) { draw(n, j); } }
    case 1u: { if (j < D) { moments(n, j); } }
    case 2u: { if (j < params.context) { score(n, j); } }
    case 3u: { if (j == 0u) { span_max(n); } }
    case 4u: { if (j == 0u) { span_weights(n); } }
    case 5u: { if (j < D) { update(n, j); } }
    default: {
      if (j == 0u) {
        var pred = 0.0;
        for (var c = 0u; c < D; c++) { pred = fma(state[n * S + c], state[n * S + 2u * D + c], pred); }
        out[n] = pred;
      }
    }
  }
}

fn score(n: u32, i: u32) {
  let o = (n * params.context + i) * DY;
  var s = 0.0;
  for (var c = 0u; c < D; c++) { s = fma(tokens[o + c], state[n * S + c], s); }
  scores[n * params.context + i] = layer_tau(params.count) * s;
}
`;
}

/**
 * Encodes the token-level softmax forward of one prompt chunk (at most 65535 prompts); returns
 * the N predictions buffer. The loops over the tokens run in spans of `SOFTMAX_SPAN` tokens,
 * one dispatch each.
 */
export async function encodeSoftmaxForward(
  scope: GpuScope,
  encoder: GPUCommandEncoder,
  sample: ResolvedSample,
  tasks: TaskBatch,
  params: SoftmaxParameters,
): Promise<GPUBuffer> {
  const d = tasks.task.dim, N = sample.prompts, L = sample.context;
  if (N > MAX_GRID_Y) throw new RangeError(`prompts must be at most ${MAX_GRID_Y}, got ${N}`);
  const layers = softmaxLayers(params);
  const depth = layers.length / 4;
  const { spike, query } = await encodeQuery(scope, encoder, sample, tasks);
  const buffers = [
    spike,
    query,
    scope.storage(N * L * (d + 1) * 4, "softmaxTokens"),
    scope.storage(N * L * 4, "softmaxScores"),
    scope.storage(N * (4 * d + 2) * 4, "softmaxState"),
    scope.upload(layers, "softmaxLayers"),
    scope.storage(N * 4, "predictions"),
  ];
  const pipeline = await scope.ctx.pipeline(softmaxKernelWgsl(d), `softmax(d=${d})`);
  const base = sampleParams(sample);
  const step = (flag: number, columns: number, layer = 0, begin = 0, end = 0) => {
    const uniform = encodeParams({ ...base, flag, count: layer, chunkTokens: begin, chunks: end });
    const bound = [scope.uniform(uniform), ...buffers];
    scope.dispatch(encoder, pipeline, bound, Math.ceil(columns / 64), N);
  };
  const spans = (flag: number, columns: number, layer = 0) => {
    for (let begin = 0; begin < L; begin += SOFTMAX_SPAN) {
      step(flag, columns, layer, begin, Math.min(L, begin + SOFTMAX_SPAN));
    }
  };
  step(0, L);
  spans(1, d);
  for (let t = 0; t < depth; t++) {
    step(2, L, t);
    spans(3, 1, t);
    spans(4, 1, t);
    spans(5, d, t);
  }
  step(6, 1);
  return buffers[6];
}
