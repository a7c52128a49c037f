/**
 * The schedule models on WebGPU (float32): the T-layer LCA with per-layer steps (alpha_t,
 * beta_t) of `model/schedule_models.ts`, read by the kernels from a storage buffer of T
 * (alpha_t, beta_t) pairs through one accessor, `layer_step(t)`.
 *
 * - Token level (also the tied LCA, the schedule of `tiedSchedule`, with or without the skip
 *   stream): every layer runs the `project` token kernel of `token_kernels.ts` (the prompt's
 *   tokens redrawn in-kernel from the counter stream; the pass's buffers and kernel head come
 *   from `forward_kernels.ts`), which gives A_t = (1/L) sum_i x_i (x_i^T q_t); the layer kernel
 *   then updates q_{t+1} = q_t + alpha_t x_q + beta_t A_t with t from the uniform block
 *   (`count`), and the readout is the self-attention (1/L) sum_i (q_T^T x_i) y_i. All layers go
 *   into one command buffer.
 * - Closed form on given statistics: q_{t+1} = q_t + alpha_t x_q + beta_t Sigma_hat q_t from
 *   q_0 = 0, one dispatch per layer with one invocation per (prompt, row), and y_hat = q_T^T
 *   mu_hat. The layers are dispatches, not a loop inside one invocation, because llvmpipe can
 *   end a long loop nest early (measured: an in-kernel loop over T layers of the d^2 products
 *   gave wrong predictions at d = 70 from T = 13 on; gallivm limits loops to 65535 iterations),
 *   so no invocation here loops more than d times.
 *
 * @module
 */

import {
  scheduleLayers,
  type ScheduleParameters,
  validateScheduleParameters,
} from "../../model/schedule_models.ts";
import type { PromptStatistics, ResolvedSample, TaskBatch } from "../../model/model_types.ts";
import { requireStatistics } from "../../validation/errors.ts";
import type { LcaForwardOptions } from "../backend.ts";
import { dispatchPromptBlocks, encodeParams, sampleParams, statisticsHeadWgsl } from "./common.ts";
import type { GpuScope } from "./context.ts";
import { beginTokenPass, tokenPassHeaderWgsl } from "./forward_kernels.ts";
import { encodeTile, MAX_WEBGPU_DIM, tileScratchBytes } from "./token_kernels.ts";

/** WGSL of the steps buffer and its one accessor (a test injects a wrong layer index here). */
const STEPS_WGSL = /* wgsl */ `
@group(0) @binding(5) var<storage, read> steps: array<vec2<f32>>; // (alpha_t, beta_t)
fn layer_step(t: u32) -> vec2<f32> { return steps[t]; }
`;

/**
 * The (alpha_t, beta_t) pairs of validated schedule parameters as float32, layer after layer
 * (beta_t = -alpha_t when `betas` is absent).
 *
 * @example Two layers of the one-parameter schedule
 * ```ts
 * import assert from "node:assert/strict";
 * import { scheduleSteps } from "./schedule_kernels.ts";
 * assert.deepEqual([...scheduleSteps({ alphas: [0.5, 0.25] })], [0.5, -0.5, 0.25, -0.25]);
 * ```
 */
export function scheduleSteps(params: ScheduleParameters): Float32Array<ArrayBuffer> {
  const { alphas, betas } = scheduleLayers(params);
  const steps = new Float32Array(2 * alphas.length);
  alphas.forEach((alpha, t) => {
    steps[2 * t] = alpha;
    steps[2 * t + 1] = betas[t];
  });
  return steps;
}

/**
 * WGSL of the per-prompt kernel of the token-level pass, one invocation per (prompt, entry of
 * q): flag 0 sets q_0 = 0 (x_q without the skip stream); flag 1 is layer t = `count`: q +=
 * alpha_t x_q + beta_t A_t (beta_t A_t alone without the skip stream), with A_t the chunk sums
 * of the project kernel times 1/L; flag 2 writes the readout y_hat_n. Bit 8 of flag: without
 * the skip stream.
 */
export function scheduleLayerKernelWgsl(d: number): string {
  return /* wgsl */ `
${tokenPassHeaderWgsl(d, "q")}
${STEPS_WGSL}
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
      let step = layer_step(params.count);
      var skip = step.x * query[n * D + a];
      if (without) { skip = 0.0; }
      q[e] = q[e] + skip + step.y * (chunk_sum(n, a) * params.inv_l);
    }
  } else if (a == 0u) {
    out[n] = chunk_sum(n, D) * params.inv_l;
  }
}
`;
}

/**
 * WGSL of the closed form on statistics, one invocation per (prompt, row a) and one dispatch
 * per layer: flag 0 sets q_0 = 0; flag 1 is layer t = `count`: q_{t+1}[a] = q_t[a] + alpha_t
 * x_q[a] + beta_t (Sigma_hat q_t)[a] (fma along row a), with q_t and q_{t+1} in the two halves
 * of `state` (half t mod 2 is current); flag 2 writes y_hat_n = q_T . mu_hat (count = T).
 */
export function scheduleStatisticsKernelWgsl(d: number): string {
  return /* wgsl */ `
${statisticsHeadWgsl(d)}
@group(0) @binding(4) var<storage, read_write> out: array<f32>;
${STEPS_WGSL}
@group(0) @binding(6) var<storage, read_write> state: array<f32>; // q_t: two halves of N d

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let e = (params.prompt_base + wid.x) * 64u + lid;
  let n = e / D;
  let a = e - n * D;
  if (n >= params.prompts) { return; }
  let half = params.prompts * D;
  let cur = (params.count & 1u) * half;
  let row = n * D;
  if (params.flag == 0u) {
    state[cur + e] = 0.0;
  } else if (params.flag == 1u) {
    let step = layer_step(params.count);
    let so = (row + a) * D;
    var sum = 0.0;
    for (var b = 0u; b < D; b++) { sum = fma(sigma_hat[so + b], state[cur + row + b], sum); }
    state[half - cur + e] = state[cur + e] + (step.x * query[e] + step.y * sum);
  } else if (a == 0u) {
    var pred = 0.0;
    for (var b = 0u; b < D; b++) { pred = fma(state[cur + row + b], mu_hat[row + b], pred); }
    out[n] = pred;
  }
}
`;
}

/**
 * Encodes the token-level T-layer schedule pass (the tied LCA is the schedule of
 * `tiedSchedule`; `options.withoutSkipStream`, default false, is its ablation: no alpha_t x_q,
 * q_0 = x_q); returns the N predictions buffer.
 */
export async function encodeScheduleForward(
  scope: GpuScope,
  encoder: GPUCommandEncoder,
  sample: ResolvedSample,
  tasks: TaskBatch,
  params: ScheduleParameters,
  options: LcaForwardOptions = {},
): Promise<GPUBuffer> {
  const d = tasks.task.dim;
  const steps = scheduleSteps(params);
  const depth = steps.length / 2;
  const { spike, query, chunks, partial, state: q, out, groups } = await beginTokenPass(
    scope,
    encoder,
    sample,
    tasks,
    "queryState",
  );
  const stepsBuffer = scope.upload(steps, "scheduleSteps");
  const small = await scope.ctx.pipeline(scheduleLayerKernelWgsl(d), `scheduleLayer(d=${d})`);
  const without = options.withoutSkipStream ? 256 : 0;
  const base = { ...sampleParams(sample), chunks };
  const bind = (flag: number, layer = 0) => [
    scope.uniform(encodeParams({ ...base, flag: flag | without, count: layer })),
    query,
    partial,
    q,
    out,
    stepsBuffer,
  ];
  const scratch = scope.storage(tileScratchBytes(sample, "project", chunks), "projectScratch");
  scope.dispatch(encoder, small, bind(0), groups);
  for (let t = 0; t < depth; t++) {
    await encodeTile(scope, encoder, sample, "project", spike, partial, chunks, q, scratch);
    scope.dispatch(encoder, small, bind(1, t), groups);
  }
  await encodeTile(scope, encoder, sample, "project", spike, partial, chunks, q, scratch);
  scope.dispatch(encoder, small, bind(2), groups);
  return out;
}

/**
 * Encodes the closed form of the schedule models on given statistics (uploaded as float32);
 * returns the N predictions buffer. Validates the statistics and the parameters.
 */
export async function encodeScheduleStatistics(
  scope: GpuScope,
  encoder: GPUCommandEncoder,
  stats: PromptStatistics,
  params: ScheduleParameters,
): Promise<GPUBuffer> {
  requireStatistics("stats", stats);
  validateScheduleParameters(params);
  const d = stats.task.dim;
  const N = stats.prompts;
  if (d > MAX_WEBGPU_DIM) {
    throw new RangeError(`stats.task.dim must be at most ${MAX_WEBGPU_DIM} on webgpu, got ${d}`);
  }
  const steps = scheduleSteps(params);
  const depth = steps.length / 2;
  const inputs = [
    scope.upload(Float32Array.from(stats.sigmaHat), "sigmaHat"),
    scope.upload(Float32Array.from(stats.muHat), "muHat"),
    scope.upload(Float32Array.from(stats.query), "query"),
  ];
  const out = scope.storage(N * 4, "predictions");
  const stepsBuffer = scope.upload(steps, "scheduleSteps");
  const state = scope.storage(2 * N * d * 4, "scheduleState");
  const pipeline = await scope.ctx.pipeline(
    scheduleStatisticsKernelWgsl(d),
    `scheduleStatistics(d=${d})`,
  );
  const groups = Math.ceil((N * d) / 64);
  const buffers = [...inputs, out, stepsBuffer, state];
  const pass = (flag: number, layer: number) =>
    dispatchPromptBlocks(
      scope,
      encoder,
      pipeline,
      groups,
      { prompts: N, flag, count: layer },
      buffers,
    );
  pass(0, 0);
  for (let t = 0; t < depth; t++) pass(1, t);
  pass(2, depth);
  return out;
}
