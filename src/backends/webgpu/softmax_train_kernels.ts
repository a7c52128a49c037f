/**
 * The loss of softmax cross-attention and its exact gradient on WebGPU (float32): the forward
 * pass of `softmax_kernels.ts` with every layer's scores, weights, z_t, A_t and q_t kept (the
 * trace), then the hand-derived reverse pass of `model/softmax_loss.ts`, token-level, per
 * prompt: with g = d y_hat / d q_{t+1} (mu_hat at the top), w_t = beta_t / tau_t, D_t = A_t -
 * [centred] x_bar and e_j = w_t p_j (g^T x_j - g^T A_t),
 *   d y_hat / d alpha_t = g^T x_q,  d y_hat / d beta_t = g^T D_t / tau_t,
 *   d y_hat / d tau_t = -w_t g^T D_t / tau_t + (sum_j e_j s_j) / tau_t  (s_j = tau_t r_j),
 *   g <- g + tau_t sum_j e_j x_j.
 * The kernels write y_hat_n and d y_hat_n / d(alpha_t, beta_t, tau_t) per prompt; the host
 * forms the residuals against the float64 targets and sums in float64.
 *
 * The prompts' tokens are drawn once (`encodeSoftmaxTrainerSetup`) and stay on the device with
 * x_bar and mu_hat. Steps (the uniform block's `flag`; grid (columns, prompts) as in
 * `softmax_kernels.ts`): 2 q_0 = 0; per layer 3 scores, 4 max, 5 weights, 6 update (keeping
 * A_t); 7 readout and g = mu_hat; per layer downwards 8 the dot products, 9 e_j per token,
 * 10 sum_j e_j s_j, 11 the g update. Flags 1, 4, 5, 6, 10 and 11 loop over the tokens in spans
 * of `SOFTMAX_SPAN` (llvmpipe's loop cap), their sums kept in storage.
 *
 * @module
 */

import type { ResolvedSample, TaskBatch } from "../../model/model_types.ts";
import type { SoftmaxParameters } from "../../model/softmax_models.ts";
import { encodeParams, PARAMS_WGSL, sampleParams } from "./common.ts";
import { type GpuContext, GpuScope } from "./context.ts";
import type { SoftmaxTrainer } from "../backend.ts";
import { validateSoftmaxParameters } from "../../model/softmax_models.ts";
import { requireLength } from "../../validation/errors.ts";
import { PHILOX_WGSL } from "./philox_wgsl.ts";
import { encodeQuery } from "./statistics_kernels.ts";
import { drawWgsl, SOFTMAX_SPAN, softmaxLayers, spanMomentsWgsl } from "./softmax_kernels.ts";

/**
 * Floats per prompt of the trainer's state for depth T, dimension d: q_0..q_T, A_1..A_T, the
 * running sum, g (d each), z_1..z_T, the max, g^T A_t, the running d/dtau and sum_j e_j s_j.
 *
 * @example d = 4, T = 2
 * ```ts
 * import assert from "node:assert/strict";
 * import { softmaxTrainStride } from "./softmax_train_kernels.ts";
 * assert.equal(softmaxTrainStride(4, 2), 7 * 4 + 2 + 4);
 * ```
 */
export function softmaxTrainStride(d: number, depth: number): number {
  return (2 * depth + 3) * d + depth + 4;
}

/** Outputs per prompt: y_hat and the 3 T derivatives. */
export const trainOutputs = (depth: number): number => 1 + 3 * depth;

/** WGSL of the forward steps (flags 1 to 7). */
const FORWARD_WGSL = /* wgsl */ `
fn score(n: u32, i: u32) {
  let t = params.count;
  let o = (n * params.context + i) * DY;
  var s = 0.0;
  for (var c = 0u; c < D; c++) { s = fma(tokens[o + c], state[n * S + t * D + c], s); }
  trace[sx(t, n, i)] = layers[t].z * s;
}

fn span_max(n: u32) {
  let t = params.count;
  var m = trace[sx(t, n, span_begin())];
  if (span_begin() > 0u) { m = max(m, state[n * S + OM]); }
  for (var i = span_begin() + 1u; i < span_end(); i++) { m = max(m, trace[sx(t, n, i)]); }
  state[n * S + OM] = m;
}

fn span_weights(n: u32) {
  let t = params.count;
  let m = state[n * S + OM];
  var z = 0.0;
  if (span_begin() > 0u) { z = state[n * S + OZ + t]; }
  for (var i = span_begin(); i < span_end(); i++) {
    let w = exp(trace[sx(t, n, i)] - m);
    trace[tw() + sx(t, n, i)] = w;
    z += w;
  }
  state[n * S + OZ + t] = z;
}

fn update(n: u32, c: u32) {
  let t = params.count;
  let st = n * S;
  var a = 0.0;
  if (span_begin() > 0u) { a = state[st + OACC + c]; }
  for (var i = span_begin(); i < span_end(); i++) {
    a = fma(trace[tw() + sx(t, n, i)], tokens[(n * params.context + i) * DY + c], a);
  }
  state[st + OACC + c] = a;
  if (span_end() < params.context) { return; }
  a = a / state[st + OZ + t];
  state[st + OA + t * D + c] = a;
  let layer = layers[t];
  let v = a - layer.w * moment[n * 2u * D + c];
  state[st + (t + 1u) * D + c] = state[st + t * D + c] + layer.x * query[n * D + c] +
    (layer.y / layer.z) * v;
}
`;

/** WGSL of the reverse steps (flags 8 to 11). */
const BACKWARD_WGSL = /* wgsl */ `
fn dots(n: u32) {
  let t = params.count;
  let st = n * S;
  let layer = layers[t];
  var gx = 0.0;
  var gd = 0.0;
  var ga = 0.0;
  for (var c = 0u; c < D; c++) {
    let g = state[st + OG + c];
    let a = state[st + OA + t * D + c];
    gx = fma(g, query[n * D + c], gx);
    gd = fma(g, a - layer.w * moment[n * 2u * D + c], gd);
    ga = fma(g, a, ga);
  }
  out[n * K + 1u + t] = gx;
  out[n * K + 1u + T + t] = gd / layer.z;
  state[st + OGA] = ga;
  state[st + OGT] = -(layer.y / layer.z) * gd / layer.z;
}

fn adjoint(n: u32, j: u32) {
  let t = params.count;
  let layer = layers[t];
  let o = (n * params.context + j) * DY;
  var gx = 0.0;
  for (var c = 0u; c < D; c++) { gx = fma(state[n * S + OG + c], tokens[o + c], gx); }
  let p = trace[tw() + sx(t, n, j)] / state[n * S + OZ + t];
  trace[tw() + sx(t, n, j)] = (layer.y / layer.z) * p * (gx - state[n * S + OGA]);
}

fn tau_sum(n: u32) {
  let t = params.count;
  var acc = 0.0;
  if (span_begin() > 0u) { acc = state[n * S + OET]; }
  for (var j = span_begin(); j < span_end(); j++) {
    acc = fma(trace[tw() + sx(t, n, j)], trace[sx(t, n, j)], acc);
  }
  state[n * S + OET] = acc;
  if (span_end() == params.context) {
    out[n * K + 1u + 2u * T + t] = state[n * S + OGT] + acc / layers[t].z;
  }
}

fn adjoint_query(n: u32, c: u32) {
  let t = params.count;
  var acc = 0.0;
  if (span_begin() > 0u) { acc = state[n * S + OACC + c]; }
  for (var j = span_begin(); j < span_end(); j++) {
    acc = fma(trace[tw() + sx(t, n, j)], tokens[(n * params.context + j) * DY + c], acc);
  }
  state[n * S + OACC + c] = acc;
  if (span_end() == params.context) {
    state[n * S + OG + c] = state[n * S + OG + c] + layers[t].z * acc;
  }
}
`;

/** WGSL of the entry point. */
const MAIN_WGSL = /* wgsl */ `
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let n = gid.y;
  let j = gid.x;
  if (n >= params.prompts) { return; }
  let cols = select(D, params.context, params.flag == 0u || params.flag == 3u || params.flag == 9u);
  if (j >= cols) { return; }
  switch params.flag {
    case 0u: { draw(n, j); }
    case 1u: { moments(n, j); }
    case 2u: { state[n * S + j] = 0.0; }
    case 3u: { score(n, j); }
    case 4u: { if (j == 0u) { span_max(n); } }
    case 5u: { if (j == 0u) { span_weights(n); } }
    case 6u: { update(n, j); }
    case 7u: {
      state[n * S + OG + j] = moment[n * 2u * D + D + j];
      if (j == 0u) {
        var pred = 0.0;
        for (var c = 0u; c < D; c++) { pred = fma(state[n * S + T * D + c], moment[n * 2u * D + D + c], pred); }
        out[n * K] = pred;
      }
    }
    case 8u: { if (j == 0u) { dots(n); } }
    case 9u: { adjoint(n, j); }
    case 10u: { if (j == 0u) { tau_sum(n); } }
    default: { adjoint_query(n, j); }
  }
}
`;

/** WGSL of the trainer for dimension d and depth T. */
export function softmaxTrainKernelWgsl(d: number, depth: number): string {
  return /* wgsl */ `
${PHILOX_WGSL}
${PARAMS_WGSL}
const D: u32 = ${d}u;
const T: u32 = ${depth}u;
const DY: u32 = ${d + 1}u;
const K: u32 = ${trainOutputs(depth)}u;
const S: u32 = ${softmaxTrainStride(d, depth)}u;
const OA: u32 = ${(depth + 1) * d}u;
const OACC: u32 = ${(2 * depth + 1) * d}u;
const OG: u32 = ${(2 * depth + 2) * d}u;
const OZ: u32 = ${(2 * depth + 3) * d}u;
const OM: u32 = OZ + T;
const OGA: u32 = OM + 1u;
const OGT: u32 = OM + 2u;
const OET: u32 = OM + 3u;
@group(0) @binding(1) var<storage, read> spike: array<f32>;
@group(0) @binding(2) var<storage, read> query: array<f32>;
@group(0) @binding(3) var<storage, read_write> tokens: array<f32>;
@group(0) @binding(4) var<storage, read_write> moment: array<f32>; // x_bar, mu_hat
@group(0) @binding(5) var<storage, read_write> trace: array<f32>; // scores, then weights
@group(0) @binding(6) var<storage, read_write> state: array<f32>;
@group(0) @binding(7) var<storage, read> layers: array<vec4<f32>>; // alpha, beta, tau, centred
@group(0) @binding(8) var<storage, read_write> out: array<f32>;
${spanMomentsWgsl("moment[n * 2u * D + c]", "moment[n * 2u * D + D + c]")}
// the score s_i of layer t in the trace; its weight (later e_i) is tw() further on
fn sx(t: u32, n: u32, i: u32) -> u32 { return (t * params.prompts + n) * params.context + i; }
fn tw() -> u32 { return T * params.prompts * params.context; }
${drawWgsl(d)}
${FORWARD_WGSL}
${BACKWARD_WGSL}
${MAIN_WGSL}
`;
}

/** The device buffers a trainer keeps: the spike, x_q, the tokens, x_bar and mu_hat. */
export type SoftmaxTrainerBuffers = [GPUBuffer, GPUBuffer, GPUBuffer, GPUBuffer];

/** Dispatches `flag` once, or once per token span with `spans`. */
function stepper(
  scope: GpuScope,
  encoder: GPUCommandEncoder,
  pipeline: GPUComputePipeline,
  sample: ResolvedSample,
  buffers: readonly GPUBuffer[],
) {
  const base = sampleParams(sample), L = sample.context, N = sample.prompts;
  return (flag: number, columns: number, layer = 0, spans = false) => {
    for (let begin = 0; begin < L; begin += spans ? SOFTMAX_SPAN : L) {
      const end = spans ? Math.min(L, begin + SOFTMAX_SPAN) : L;
      const p = encodeParams({ ...base, flag, count: layer, chunkTokens: begin, chunks: end });
      scope.dispatch(encoder, pipeline, [scope.uniform(p), ...buffers], Math.ceil(columns / 64), N);
    }
  };
}

/**
 * Encodes the trainer's setup into buffers of `keep` (the trainer's lifetime): the tokens drawn
 * from the stream, x_q, x_bar and mu_hat. At most 65535 prompts.
 */
export async function encodeSoftmaxTrainerSetup(
  keep: GpuScope,
  encoder: GPUCommandEncoder,
  sample: ResolvedSample,
  tasks: TaskBatch,
): Promise<SoftmaxTrainerBuffers> {
  const d = tasks.task.dim, N = sample.prompts, L = sample.context;
  if (N > 65535) throw new RangeError(`prompts must be at most 65535 on webgpu, got ${N}`);
  const { spike, query } = await encodeQuery(keep, encoder, sample, tasks);
  const kept: SoftmaxTrainerBuffers = [
    spike,
    query,
    keep.storage(N * L * (d + 1) * 4, "softmaxTokens"),
    keep.storage(N * 2 * d * 4, "softmaxMoments"),
  ];
  const pipeline = await keep.ctx.pipeline(
    softmaxTrainKernelWgsl(d, 1),
    `softmaxTrain(d=${d}, T=1)`,
  );
  const dummy = [0, 1, 2, 3].map(() => keep.storage(16, "unused"));
  const step = stepper(keep, encoder, pipeline, sample, [...kept, ...dummy]);
  step(0, L);
  step(1, d, 0, true);
  return kept;
}

/**
 * Encodes the forward and reverse passes on the kept buffers; returns the buffer of the N
 * (1 + 3 T) outputs (y_hat_n, then d y_hat_n / d alpha_t, beta_t, tau_t).
 */
export async function encodeSoftmaxTrainer(
  scope: GpuScope,
  encoder: GPUCommandEncoder,
  sample: ResolvedSample,
  kept: SoftmaxTrainerBuffers,
  params: SoftmaxParameters,
): Promise<GPUBuffer> {
  const d = sample.task.dim, N = sample.prompts, L = sample.context;
  const layers = softmaxLayers(params);
  const T = layers.length / 4;
  const out = scope.storage(N * trainOutputs(T) * 4, "softmaxGradients");
  const buffers = [
    ...kept,
    scope.storage(2 * T * N * L * 4, "softmaxTrace"),
    scope.storage(N * softmaxTrainStride(d, T) * 4, "softmaxTrainState"),
    scope.upload(layers, "softmaxLayers"),
    out,
  ];
  const pipeline = await scope.ctx.pipeline(
    softmaxTrainKernelWgsl(d, T),
    `softmaxTrain(d=${d}, T=${T})`,
  );
  const step = stepper(scope, encoder, pipeline, sample, buffers);
  step(2, d);
  for (let t = 0; t < T; t++) {
    step(3, L, t);
    step(4, 1, t, true);
    step(5, 1, t, true);
    step(6, d, t, true);
  }
  step(7, d);
  for (let t = T - 1; t >= 0; t--) {
    step(8, 1, t);
    step(9, L, t);
    step(10, 1, t, true);
    step(11, d, t, true);
  }
  return out;
}

/**
 * A softmax trainer on the device: draws the tokens of `sample` once, then every
 * `lossAndGradient` runs the passes and sums the per-prompt terms on the host in float64.
 */
export async function createSoftmaxTrainer(
  gpu: GpuContext,
  sample: ResolvedSample,
  tasks: TaskBatch,
  target: ArrayLike<number>,
): Promise<SoftmaxTrainer> {
  const N = sample.prompts;
  requireLength("target", target, N);
  const goal = Float64Array.from(target);
  const keep = new GpuScope(gpu);
  let kept: SoftmaxTrainerBuffers;
  try {
    const encoder = gpu.device.createCommandEncoder();
    kept = await encodeSoftmaxTrainerSetup(keep, encoder, sample, tasks);
    gpu.device.queue.submit([encoder.finish()]);
  } catch (error) {
    keep.releaseAll();
    throw error;
  }
  let disposed = false;
  const lossAndGradient = (params: SoftmaxParameters) =>
    gpu.run(async (scope) => {
      const T = validateSoftmaxParameters(params);
      if (disposed) throw new Error("the softmax trainer was disposed");
      const encoder = gpu.device.createCommandEncoder();
      const buffer = await encodeSoftmaxTrainer(scope, encoder, sample, kept, params);
      gpu.device.queue.submit([encoder.finish()]);
      const K = trainOutputs(T), terms = await scope.readF32(buffer, N * K);
      const grad = [0, 1, 2].map(() => new Float64Array(T));
      let loss = 0;
      for (let n = 0; n < N; n++) {
        const residual = terms[n * K] - goal[n], scale = 2 * residual / N;
        loss += residual * residual;
        for (let k = 0; k < 3 * T; k++) {
          grad[Math.floor(k / T)][k % T] += scale * terms[n * K + 1 + k];
        }
      }
      return { loss: loss / N, alphas: grad[0], betas: grad[1], taus: grad[2] };
    });
  return {
    prompts: N,
    lossAndGradient,
    dispose: () => {
      if (disposed) return;
      disposed = true;
      keep.releaseAll();
    },
  };
}
