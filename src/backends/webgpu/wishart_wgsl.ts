/**
 * WGSL of the exact statistics sampler (`model/wishart.ts`, `numeric/wishart_increment.ts`) on
 * WebGPU: the same Philox counter families (`StreamTag.wishartNormal`, `StreamTag.wishartGamma`,
 * the counter word of the token index holding the increment number), the same Bartlett layout
 * and the same Marsaglia-Tsang attempts, so that from the same seed the statistics equal the
 * CPU's to float32 rounding. Three kernels, each with a short loop per invocation (llvmpipe caps
 * the loop iterations of one invocation near 65535):
 *
 * 1. factor: one invocation per (prompt, increment, row j < p = d + 2) writes g_j (normal j of
 *    the family) and row j of a p x p factor M with W' = M M^T: the Bartlett row (normals
 *    p + j (j - 1) / 2 + c for c < j, sqrt(chi^2_{count-1-j}) on the diagonal) when
 *    count - 1 >= p, else row j of Z^T for the count - 1 outer products (normal p + t p + j in
 *    column t < count - 1). It also writes the chi-square's number of attempts.
 * 2. gram: one invocation per (prompt, a >= b) sums g_a g_b + sum_c M_ac M_bc (c over M's
 *    nonzero columns: c <= b for a Bartlett factor) over the increments, writing W at each nested
 *    context, and S = sum_r sqrt(count_r) g on the diagonal.
 * 3. map: one invocation per (prompt, context, output entry) applies the linear map of
 *    `writeWishartStatistics`.
 *
 * The accept/reject decision in float32. The CPU accepts an attempt with normal x and uniform u
 * when u < 1 - 0.0331 x^4 or ln u < B(x) = x^2 / 2 + dd (1 - v + ln v), v = (1 + y)^3, y = c x,
 * c = 1 / sqrt(9 dd). Evaluated as written, B cancels: its terms are O(dd) and its value
 * O(dd y^4), so float32 would carry an absolute error of order u dd (dd ~ L / 2). The kernel
 * uses the identity B(x) = 3 dd sum_{k >= 4} (-1)^{k+1} y^k / k (the Taylor series of ln(1 + y)
 * with its first three orders cancelled against x^2 / 2 and 1 - v; 15 terms, truncation below
 * 1e-9 relative for |y| <= 1/4, the direct form beyond, where dd < 60). What remains are
 * the float32 errors of x (|dx| <= C_Z u rho ~ 3e-6 absolute, the Box-Muller bound of
 * `philox_wgsl.ts`) and a few ulp of each side. The uniform u is exact on both sides, so a
 * decision differs from the CPU's only when u (density 1) lies within |d/dx (1 - 0.0331 x^4)| dx
 * + 4 u_32 of the squeeze, or ln u (density u <= 1) within |B'(x)| dx + a few ulp |B| of B: about
 * 1e-6 per attempt at |x| ~ 1 and at most 1e-4 at |x| = rho. Measured on llvmpipe (d = 8,
 * 50000 prompts, two seeds each at L = 11, 100 and 10^5: 3 x 10^6 chi-squares): no attempt
 * differed, and the margin analysis put 1 to 4 prompts in 50000 at risk (about 4e-6 per
 * chi-square); at L = 2^31 the direct form flips about 20 of 20000 chi-squares, the series none.
 * `props/webgpu_sampler_parity_test.ts` replays every attempt's margins on the CPU, asserts that
 * only prompts with an attempt inside its float32 margin differ, and reports how many there are.
 * When an attempt differs, the prompt's statistics differ by O(1), not by rounding: such
 * prompts are the exception the parity test counts, not a tolerance it widens.
 *
 * @module
 */

import { StreamTag } from "../../numeric/random.ts";
import { PARAMS_WGSL } from "./common.ts";
import { PHILOX_WGSL } from "./philox_wgsl.ts";

/** Blocks reserved per chi-square variate (`GAMMA_BLOCKS` of `numeric/wishart_increment.ts`). */
export const WISHART_GAMMA_BLOCKS = 1024;

/** Terms of the series of B(x) / (3 dd y^4): k = 4 .. SERIES_LAST. */
const SERIES_LAST = 18;

/**
 * WGSL helpers: `wishart_normal(key, prompt, increment, k)` (normal k of the family) and
 * `wishart_gamma(key, prompt, increment, shape, first_block) -> vec2<f32>` (the variate and its
 * number of attempts; attempts GAMMA_BLOCKS + 1 with value 0 when every attempt was rejected).
 */
export const WISHART_RANDOM_WGSL = /* wgsl */ `
const TAG_WISHART_NORMAL: u32 = ${StreamTag.wishartNormal}u;
const TAG_WISHART_GAMMA: u32 = ${StreamTag.wishartGamma}u;
const GAMMA_BLOCKS: u32 = ${WISHART_GAMMA_BLOCKS}u;

fn wishart_normal(key: vec3<u32>, prompt: u32, increment: u32, k: u32) -> f32 {
  return stream_normals(key, prompt, increment, TAG_WISHART_NORMAL, k >> 2u)[k & 3u];
}

// The Marsaglia-Tsang log bound B = x^2 / 2 + dd (1 - v + ln v), v = (1 + y)^3, y = c x:
// 3 dd y^4 sum_{k >= 4} (-1)^(k+1) y^(k-4) / k for |y| <= 1/4 (no cancellation), else direct.
fn mt_log_bound(x: f32, y: f32, dd: f32) -> f32 {
  if (abs(y) <= 0.25) {
    var s = 0.0;
    for (var k = ${SERIES_LAST}; k >= 4; k--) {
      let term = 1.0 / f32(k);
      s = s * y + select(-term, term, (k & 1) == 1);
    }
    let y2 = y * y;
    return 3.0 * dd * y2 * y2 * s;
  }
  let t = 1.0 + y;
  let v = t * t * t;
  return 0.5 * x * x + dd * (1.0 - v + log_accurate(v));
}

// Gamma(shape, 1) from blocks first_block, first_block + 1, ... of the family
// (prompt, increment, TAG_WISHART_GAMMA), one attempt per block as CounterStream.gamma:
// (r0, r1) the normal (cos branch), r2 the acceptance uniform, r3 the boost for shape < 1.
fn wishart_gamma(key: vec3<u32>, prompt: u32, increment: u32, shape: f32, first_block: u32) -> vec2<f32> {
  let boosted = shape < 1.0;
  let a = select(shape, shape + 1.0, boosted);
  let dd = a - 1.0 / 3.0;
  let c = 1.0 / sqrt(9.0 * dd);
  for (var attempt = 0u; attempt < GAMMA_BLOCKS; attempt++) {
    let b = stream_bits(key, prompt, increment, TAG_WISHART_GAMMA, first_block + attempt);
    let x = sqrt(-2.0 * log_uniform(b.x)) * cos_sin_uniform(b.y).x;
    let y = c * x;
    let t = 1.0 + y;
    if (t <= 0.0) { continue; }
    let u = uniform23(b.z);
    let x2 = x * x;
    if (u < 1.0 - 0.0331 * x2 * x2 || log_uniform(b.z) < mt_log_bound(x, y, dd)) {
      var value = dd * (t * t * t);
      // Here shape = (count - 1 - j) / 2 >= 1/2, so shape < 1 means shape = 1/2: u^(1/shape) = u^2.
      if (boosted) {
        let w = uniform23(b.w);
        value = value * (w * w);
      }
      return vec2<f32>(value, f32(attempt + 1u));
    }
  }
  return vec2<f32>(0.0, f32(GAMMA_BLOCKS + 1u));
}
`;

/** The flat invocation index of a 2D dispatch of 64-wide workgroups. */
const FLAT_INDEX = "gid.x + gid.y * nw.x * 64u";

/** WGSL of the factor kernel (see the module documentation) for p = d + 2. */
export function wishartFactorKernelWgsl(p: number): string {
  return /* wgsl */ `
${PHILOX_WGSL}
${PARAMS_WGSL}
${WISHART_RANDOM_WGSL}
const P: u32 = ${p}u;
@group(0) @binding(1) var<storage, read> contexts: array<u32>;
@group(0) @binding(2) var<storage, read_write> gvec: array<f32>;
@group(0) @binding(3) var<storage, read_write> factor: array<f32>;
@group(0) @binding(4) var<storage, read_write> attempts: array<u32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nw: vec3<u32>) {
  let i = ${FLAT_INDEX};
  let R = params.count;
  if (i >= params.prompts * R * P) { return; }
  let j = i % P;
  let r = (i / P) % R;
  let n = params.prompt_base + i / (P * R);
  let prompt = params.prompt_offset + n;
  let key = stream_key();
  var previous = 0u;
  if (r > 0u) { previous = contexts[r - 1u]; }
  let rest = contexts[r] - previous - 1u;
  gvec[i] = wishart_normal(key, prompt, r, j);
  var tries = 0u;
  if (rest >= P) {
    let first = P + (j * j - j) / 2u;
    var block = 0xffffffffu;
    var z = vec4<f32>();
    for (var c = 0u; c < P; c++) {
      var value = 0.0;
      if (c < j) {
        let k = first + c;
        if ((k >> 2u) != block) {
          block = k >> 2u;
          z = stream_normals(key, prompt, r, TAG_WISHART_NORMAL, block);
        }
        value = z[k & 3u];
      } else if (c == j) {
        let draw = wishart_gamma(key, prompt, r, f32(rest - j) * 0.5, j * GAMMA_BLOCKS);
        value = sqrt(2.0 * draw.x);
        tries = u32(draw.y);
      }
      factor[i * P + c] = value;
    }
  } else {
    for (var t = 0u; t < P; t++) {
      var value = 0.0;
      if (t < rest) { value = wishart_normal(key, prompt, r, P + t * P + j); }
      factor[i * P + t] = value;
    }
  }
  attempts[(n * R + r) * P + j] = tries;
}
`;
}

/** WGSL of the gram kernel: W at each nested context (lower triangle) and S on the diagonal. */
export function wishartGramKernelWgsl(p: number): string {
  return /* wgsl */ `
${PARAMS_WGSL}
const P: u32 = ${p}u;
@group(0) @binding(1) var<storage, read> contexts: array<u32>;
@group(0) @binding(2) var<storage, read> gvec: array<f32>;
@group(0) @binding(3) var<storage, read> factor: array<f32>;
@group(0) @binding(4) var<storage, read_write> wsum: array<f32>;
@group(0) @binding(5) var<storage, read_write> ssum: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nw: vec3<u32>) {
  let i = ${FLAT_INDEX};
  if (i >= params.prompts * P * P) { return; }
  let b = i % P;
  let a = (i / P) % P;
  if (b > a) { return; }
  let nl = i / (P * P);
  let R = params.count;
  var acc = 0.0;
  var s = 0.0;
  var previous = 0u;
  for (var r = 0u; r < R; r++) {
    let base = (nl * R + r) * P;
    var inc = gvec[base + a] * gvec[base + b];
    // M's nonzero columns: c <= b for a Bartlett factor (lower triangular), c < rest otherwise.
    let rest = contexts[r] - previous - 1u;
    let last = select(rest, b + 1u, rest >= P);
    for (var c = 0u; c < last; c++) {
      inc += factor[(base + a) * P + c] * factor[(base + b) * P + c];
    }
    acc += inc;
    wsum[(base + a) * P + b] = acc;
    if (a == b) {
      s += sqrt(f32(contexts[r] - previous)) * gvec[base + a];
      ssum[base + a] = s;
    }
    previous = contexts[r];
  }
}
`;
}

/**
 * WGSL of the map kernel: the statistics of each prompt at each context from (W, S) and the
 * spike (`writeWishartStatistics`); outputs are context-major (R x N x ...), N = params.flag.
 */
export function wishartMapKernelWgsl(d: number): string {
  const entries = d * d + d + 2;
  return /* wgsl */ `
${PARAMS_WGSL}
const D: u32 = ${d}u;
const P: u32 = ${d + 2}u;
const E: u32 = ${entries}u;
@group(0) @binding(1) var<storage, read> contexts: array<u32>;
@group(0) @binding(2) var<storage, read> spike: array<f32>;
@group(0) @binding(3) var<storage, read> wsum: array<f32>;
@group(0) @binding(4) var<storage, read> ssum: array<f32>;
@group(0) @binding(5) var<storage, read_write> sigma_hat: array<f32>;
@group(0) @binding(6) var<storage, read_write> mu_hat: array<f32>;
@group(0) @binding(7) var<storage, read_write> moments: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nw: vec3<u32>) {
  let i = ${FLAT_INDEX};
  let R = params.count;
  if (i >= params.prompts * R * E) { return; }
  let e = i % E;
  let r = (i / E) % R;
  let nl = i / (E * R);
  let n = params.prompt_base + nl;
  let N = params.flag;
  let base = (nl * R + r) * P;
  let L = f32(contexts[r]);
  let l = RESPONSE_LOADING;
  let sigma = params.sigma;
  let whh = wsum[base * P];
  if (e < D * D) {
    let a = max(e / D, e % D);
    let b = min(e / D, e % D);
    let ma = spike[n * D + a];
    let mb = spike[n * D + b];
    let c = ma * whh + wsum[(base + a + 2u) * P];
    let v = c * mb + ma * wsum[(base + b + 2u) * P] + wsum[(base + a + 2u) * P + b + 2u];
    sigma_hat[(r * N + n) * D * D + e] = v * (1.0 / L);
  } else if (e < D * D + D) {
    let a = e - D * D;
    let ma = spike[n * D + a];
    let row = (base + a + 2u) * P;
    let v = l * (whh * ma + wsum[row]) + sigma * (wsum[(base + 1u) * P] * ma + wsum[row + 1u]);
    mu_hat[(r * N + n) * D + a] = v / L;
  } else if (e == D * D + D) {
    moments[2u * (r * N + n)] = (l * ssum[base] + sigma * ssum[base + 1u]) / L;
  } else {
    let weh = wsum[(base + 1u) * P];
    let wee = wsum[(base + 1u) * P + 1u];
    let v = l * l * whh + 2.0 * l * sigma * weh + sigma * sigma * wee;
    moments[2u * (r * N + n) + 1u] = v / L;
  }
}
`;
}
