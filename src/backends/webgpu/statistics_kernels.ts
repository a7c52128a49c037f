/**
 * WGSL and host code for sampling prompts inside the kernels and reducing them
 * to sufficient statistics (Sigma_hat, mu_hat, mean y, mean y^2) plus the query:
 * the query kernel (one invocation per prompt), the Gram of the context tokens by
 * the token-lane kernels (`token_kernels.ts`), and the kernel that sums the Gram's
 * chunks into the statistics.
 *
 * @module
 */

import { RESPONSE_LOADING } from "../../model/reconstructed.ts";
import type { ResolvedSample, TaskBatch } from "../../model/model_types.ts";
import { chunkCount, encodeParams, PARAMS_WGSL, sampleParams, tokenBlocks } from "./common.ts";
import type { GpuScope } from "./context.ts";
import { PHILOX_WGSL } from "./philox_wgsl.ts";
import { encodeTile, tileLayout } from "./token_kernels.ts";

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
