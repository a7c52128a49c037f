/**
 * The single-layer LSA on given statistics (`lsaPredict` of `model/predictors.ts`): per prompt,
 * y_hat = p^T G K x_q with G = [[Sigma_hat, mu_hat], [mu_hat^T, meanY2]], one invocation per
 * prompt, in `lsaPredict`'s order of operations (float32, fma chains).
 *
 * @module
 */

import { type LsaParameters, validateLsaParameters } from "../../model/models.ts";
import type { PromptStatistics } from "../../model/model_types.ts";
import { requireStatistics } from "../../validation/errors.ts";
import { dispatchPromptBlocks, statisticsHeadWgsl } from "./common.ts";
import type { GpuScope } from "./context.ts";
import { MAX_WEBGPU_DIM } from "./token_kernels.ts";

/**
 * WGSL of the LSA on statistics at dimension d: K x_q once into a private array, then
 * G (K x_q) row by row against p. Bindings: 1 sigma_hat, 2 mu_hat, 3 query, 4 meanY2, 5 p,
 * 6 k (row-major (d + 1) x d), 7 out.
 */
export function lsaStatisticsKernelWgsl(d: number): string {
  return /* wgsl */ `
${statisticsHeadWgsl(d)}
@group(0) @binding(4) var<storage, read> mean_y2: array<f32>;
@group(0) @binding(5) var<storage, read> p: array<f32>;
@group(0) @binding(6) var<storage, read> k: array<f32>;
@group(0) @binding(7) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let n = (params.prompt_base + wid.x) * 64u + lid;
  if (n >= params.prompts) { return; }
  let row = n * D;
  var kx: array<f32, ${d + 1}>;
  for (var r = 0u; r <= D; r++) {
    var sum = 0.0;
    for (var c = 0u; c < D; c++) { sum = fma(k[r * D + c], query[row + c], sum); }
    kx[r] = sum;
  }
  var pred = 0.0;
  for (var r = 0u; r < D; r++) {
    var g = mu_hat[row + r] * kx[D];
    for (var c = 0u; c < D; c++) { g = fma(sigma_hat[(row + r) * D + c], kx[c], g); }
    pred = fma(p[r], g, pred);
  }
  var last = mean_y2[n] * kx[D];
  for (var c = 0u; c < D; c++) { last = fma(mu_hat[row + c], kx[c], last); }
  out[n] = pred + p[D] * last;
}
`;
}

/**
 * Encodes the LSA on given statistics (uploaded as float32); returns the N predictions buffer.
 * Validates the statistics and the parameters.
 */
export async function encodeLsaStatistics(
  scope: GpuScope,
  encoder: GPUCommandEncoder,
  stats: PromptStatistics,
  params: LsaParameters,
): Promise<GPUBuffer> {
  requireStatistics("stats", stats);
  const d = stats.task.dim;
  validateLsaParameters(params, d);
  if (d > MAX_WEBGPU_DIM) {
    throw new RangeError(`stats.task.dim must be at most ${MAX_WEBGPU_DIM} on webgpu, got ${d}`);
  }
  const N = stats.prompts;
  const buffers = [
    scope.upload(Float32Array.from(stats.sigmaHat), "sigmaHat"),
    scope.upload(Float32Array.from(stats.muHat), "muHat"),
    scope.upload(Float32Array.from(stats.query), "query"),
    scope.upload(Float32Array.from(stats.meanY2), "meanY2"),
    scope.upload(Float32Array.from(params.p), "lsaP"),
    scope.upload(Float32Array.from(params.k), "lsaK"),
  ];
  const out = scope.storage(N * 4, "predictions");
  const pipeline = await scope.ctx.pipeline(lsaStatisticsKernelWgsl(d), `lsaStatistics(d=${d})`);
  const groups = Math.ceil(N / 64);
  dispatchPromptBlocks(scope, encoder, pipeline, groups, { prompts: N }, [...buffers, out]);
  return out;
}
