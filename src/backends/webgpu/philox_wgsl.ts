/**
 * WGSL of the counter stream of `../random.ts`: Philox4x32-10 with the same
 * counter layout (c0 = token, query = 0xffffffff; c1 = prompt; c2 = (tag << 24) | block;
 * c3 = stream; key = seed low/high 32 bits), 23-bit uniforms (exact in f32) and Box-Muller pairs.
 * WGSL has no 32 x 32 -> 64 bit multiply, so the high word of the product is
 * assembled from 16-bit halves; the u32 outputs are bit-identical to the CPU.
 *
 * The token sampler follows `sampleToken` of `../task.ts`: Gaussians
 * (h, xi_1..xi_d, eps) give x = h m + xi and y = h + sigma eps.
 *
 * @module
 */

/**
 * WGSL functions `philox4x32(c, k) -> vec4<u32>`, `uniform23(u) -> f32`,
 * `box_muller(bits) -> vec4<f32>` and `token_normals(key, prompt, token, tag, block)`,
 * where `key` is `vec3<u32>(seedLow, seedHigh, stream)`.
 */
export const PHILOX_WGSL = /* wgsl */ `
const PHILOX_M0: u32 = 0xD2511F53u;
const PHILOX_M1: u32 = 0xCD9E8D57u;
const PHILOX_W0: u32 = 0x9E3779B9u;
const PHILOX_W1: u32 = 0xBB67AE85u;
const QUERY_TOKEN: u32 = 0xffffffffu;
const TAG_DIRECTION: u32 = 0u;
const TAG_STRENGTH: u32 = 1u;
const TAG_TOKEN: u32 = 2u;

// High 32 bits of the 64-bit product a * b, from 16-bit halves (no u64 in WGSL).
fn mulhi32(a: u32, b: u32) -> u32 {
  let al = a & 0xffffu;
  let ah = a >> 16u;
  let bl = b & 0xffffu;
  let bh = b >> 16u;
  let ll = al * bl;
  let lh = al * bh;
  let hl = ah * bl;
  let hh = ah * bh;
  let mid = (ll >> 16u) + (lh & 0xffffu) + (hl & 0xffffu);
  return hh + (lh >> 16u) + (hl >> 16u) + (mid >> 16u);
}

fn philox4x32(counter: vec4<u32>, key: vec2<u32>) -> vec4<u32> {
  var x = counter;
  var k = key;
  for (var round = 0u; round < 10u; round++) {
    let hi0 = mulhi32(PHILOX_M0, x.x);
    let lo0 = PHILOX_M0 * x.x;
    let hi1 = mulhi32(PHILOX_M1, x.z);
    let lo1 = PHILOX_M1 * x.z;
    x = vec4<u32>(hi1 ^ x.y ^ k.x, lo1, hi0 ^ x.w ^ k.y, lo0);
    k = k + vec2<u32>(PHILOX_W0, PHILOX_W1);
  }
  return x;
}

// The uniform of \`uniformFromBits\`: ((u >> 9) + 0.5) / 2^23 = j / 2^24 with the odd
// integer j = 2 (u >> 9) + 1 < 2^24, so it is exact in f32.
fn uniform_odd(u: u32) -> u32 {
  return 2u * (u >> 9u) + 1u;
}

fn uniform23(u: u32) -> f32 {
  return f32(uniform_odd(u)) * (1.0 / 16777216.0);
}

// Odd-series part of ln m = 2 atanh(s) for |s| <= 0.172 (truncation < 1e-11).
fn atanh_series2(s: f32) -> f32 {
  let s2 = s * s;
  return 2.0 * s * (1.0 + s2 * (0.33333333 + s2 * (0.2 + s2 * (0.14285714 + s2 * (0.11111111 + s2 * 0.09090909)))));
}

// Natural log with a few ulp of relative error (the builtin only promises an absolute
// error of 2^-21 near 1): frexp, then ln m = 2 atanh((m - 1) / (m + 1)), m in [0.707, 1.414).
fn log_accurate(x: f32) -> f32 {
  let f = frexp(x);
  var m = f.fract;
  var e = f32(f.exp);
  if (m < 0.70710678) {
    m = 2.0 * m;
    e = e - 1.0;
  }
  return atanh_series2((m - 1.0) / (m + 1.0)) + e * 0.6931471805599453;
}

// ln r for the uniform r of a raw u32 (r is exact in f32, so m - 1 below is exact).
fn log_uniform(u: u32) -> f32 {
  return log_accurate(uniform23(u));
}

// (cos 2 pi r, sin 2 pi r) for the uniform r = j / 2^24 of a raw u32 (llvmpipe's builtin
// cos has absolute errors near 2^-8): r = k/4 + f exactly (integer arithmetic), |f| <= 1/8,
// Taylor polynomials of degree 10/11 in x = 2 pi f (truncation < 1e-11), quarter-turn rotation.
fn cos_sin_uniform(u: u32) -> vec2<f32> {
  let j = uniform_odd(u);
  let k = (j + 2097152u) >> 22u;
  let f = f32(i32(j) - i32(k << 22u)) * (1.0 / 16777216.0);
  let x = 6.283185307179586 * f;
  let x2 = x * x;
  let c = 1.0 + x2 * (-0.5 + x2 * (0.041666668 + x2 * (-0.0013888889 + x2 * (0.000024801587 + x2 * -2.7557319e-7))));
  let s = x * (1.0 + x2 * (-0.16666667 + x2 * (0.008333334 + x2 * (-0.0001984127 + x2 * (0.0000027557319 + x2 * -2.5052108e-8)))));
  let q = k & 3u;
  if (q == 0u) { return vec2<f32>(c, s); }
  if (q == 1u) { return vec2<f32>(-s, c); }
  if (q == 2u) { return vec2<f32>(-c, -s); }
  return vec2<f32>(s, -c);
}

// Two Box-Muller pairs: sqrt(-2 ln r0) (cos 2 pi r1, sin 2 pi r1), and the same for (r2, r3).
fn box_muller(bits: vec4<u32>) -> vec4<f32> {
  let rad0 = sqrt(-2.0 * log_uniform(bits.x));
  let rad1 = sqrt(-2.0 * log_uniform(bits.z));
  return vec4<f32>(rad0 * cos_sin_uniform(bits.y), rad1 * cos_sin_uniform(bits.w));
}

// Raw block of a counter family; key = (seedLow, seedHigh, stream).
fn stream_bits(key: vec3<u32>, prompt: u32, token: u32, tag: u32, block: u32) -> vec4<u32> {
  return philox4x32(vec4<u32>(token, prompt, (tag << 24u) | block, key.z), key.xy);
}

// Gaussians 4 block .. 4 block + 3 of a counter family.
fn stream_normals(key: vec3<u32>, prompt: u32, token: u32, tag: u32, block: u32) -> vec4<f32> {
  return box_muller(stream_bits(key, prompt, token, tag, block));
}
`;

/**
 * WGSL of a kernel that writes raw Philox blocks for a list of counters
 * (`counters[i]`, one vec4<u32> each) under a key, for the bit-exactness tests.
 */
export const PHILOX_BITS_KERNEL_WGSL = /* wgsl */ `
${PHILOX_WGSL}
struct Params { key: vec2<u32>, count: u32, pad: u32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> counters: array<vec4<u32>>;
@group(0) @binding(2) var<storage, read_write> bits: array<vec4<u32>>;
@group(0) @binding(3) var<storage, read_write> normals: array<vec4<f32>>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i >= params.count) { return; }
  let b = philox4x32(counters[i], params.key);
  bits[i] = b;
  normals[i] = box_muller(b);
}
`;
