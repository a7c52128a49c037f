/**
 * A float64 replay of the exact statistics sampler (`model/wishart.ts`,
 * `numeric/wishart_increment.ts`) from its public Philox streams, with what the WebGPU parity
 * test needs beside the values: the Marsaglia-Tsang attempts of every chi-square, whether any of
 * its accept/reject decisions lies within the float32 margin (so that float32 may decide
 * otherwise), and elementwise float32 error bounds for the statistics.
 *
 * Bounds. Notation of `float32_bounds.ts` (u = 2^-24, rho, C_Z, gamma_K). The kernels'
 * normals are within dz = C_Z u rho of the CPU's (asserted by `props/webgpu_parity_test.ts`).
 * A chi-square 2 dd t^3 (t = 1 + c x, x the accepted attempt's normal) moves by at most
 * 3 c dz / t relative through x, plus a few roundings, so its square root, the Bartlett diagonal,
 * by dA = A (1.5 c dz / t + 8 u). Every statistic is a polynomial F in the factors g, M and the
 * spike m (W = sum_r g g^T + M M^T, S = sum_r sqrt(count) g, then the linear map); with F_abs the
 * same polynomial on absolute values, |F_gpu - F| <= [F_abs(|v| + dv) - F_abs(|v|)] +
 * gamma_K F_abs(|v| + dv), K = R (p + 2) + 8 the longest chain of roundings for R nested contexts
 * (p + 1 products per increment and entry, then the map). The spike, sigma and the loading are
 * rounded to float32 (relative u) on their way to the kernel.
 *
 * Margins of a decision (attempt with normal x, uniform u exact on both sides): the squeeze
 * u < s = 1 - 0.0331 x^4 moves by at most 0.1324 |x|^3 dz + 4 u (1 + |s|); the log test
 * ln u < B(x) by |B'(x)| dz + 16 u |B| (the kernel's series form, `wishart_wgsl.ts`; the direct
 * form for |c x| > 1/4 by 8 u (x^2 / 2 + dd (1 + v + |ln v|))), plus float64's own cancellation
 * 4e-16 (x^2 / 2 + dd (1 + v + |ln v|)) and float32's ln u (4 u |ln u|); t <= 0 by c dz + 4 u.
 * A decision within its margin is "at risk": float32 may take it the other way.
 *
 * @module
 */

import { CounterStream, StreamTag, uniformFromBits } from "../src/numeric/random.ts";
import { RESPONSE_LOADING } from "../src/model/reconstructed.ts";
import type { ResolvedSample } from "../src/model/model_types.ts";
import { C_Z, gamma, RHO, U } from "./float32_bounds.ts";

/** Blocks reserved per chi-square (`GAMMA_BLOCKS` of `numeric/wishart_increment.ts`). */
const GAMMA_BLOCKS = 1024;

/** Largest error of a kernel normal. */
const DZ = C_Z * U * RHO;

/** A chi-square's attempts replayed in float64. */
export interface GammaReplay {
  /** The Gamma(shape) variate (as `CounterStream.gamma`, up to its cos table's 1e-15). */
  value: number;
  /** Attempts used (1 = the first block accepted). */
  attempts: number;
  /** t = 1 + c x of the accepted attempt. */
  t: number;
  /** c = 1 / sqrt(9 dd). */
  c: number;
  /** Whether any decision of the attempts lies within its float32 margin. */
  atRisk: boolean;
}

/** Whether one attempt's decisions are within their float32 margins (see the module docs). */
function attemptAtRisk(x: number, u: number, c: number, dd: number): boolean {
  const t = 1 + c * x;
  if (Math.abs(t) <= c * DZ + 4 * U) return true;
  if (t <= 0) return false;
  const x2 = x * x, v = t * t * t, lnv = Math.log(v), lnu = Math.log(u);
  const squeeze = 1 - 0.0331 * x2 * x2;
  const eS = 0.1324 * Math.abs(x) ** 3 * DZ + 4 * U * (1 + Math.abs(squeeze));
  if (Math.abs(u - squeeze) <= eS) return true;
  if (u < squeeze) return false; // the squeeze accepts whatever the log test says
  const B = 0.5 * x2 + dd * (1 - v + lnv);
  const scale = x2 / 2 + dd * (1 + v + Math.abs(lnv));
  const rounding = Math.abs(c * x) <= 0.25 ? 16 * U * Math.abs(B) : 8 * U * scale;
  const eB = Math.abs(x + 3 * c * dd * (1 / t - t * t)) * DZ + rounding + 4e-16 * scale +
    4 * U * Math.abs(lnu);
  return Math.abs(lnu - B) <= eB;
}

/** Replays `CounterStream.gamma` attempt by attempt, with the float32 margins. */
export function replayGamma(
  stream: CounterStream,
  prompt: number,
  token: number,
  shape: number,
  firstBlock: number,
): GammaReplay {
  const boosted = shape < 1;
  const a = boosted ? shape + 1 : shape;
  const dd = a - 1 / 3;
  const c = 1 / Math.sqrt(9 * dd);
  let atRisk = false;
  for (let attempt = 0; attempt < GAMMA_BLOCKS; attempt++) {
    const [b0, b1, b2, b3] = stream.bits(
      prompt,
      token,
      StreamTag.wishartGamma,
      firstBlock + attempt,
    );
    const x = Math.sqrt(-2 * Math.log(uniformFromBits(b0))) *
      Math.cos(2 * Math.PI * uniformFromBits(b1));
    const u = uniformFromBits(b2);
    atRisk ||= attemptAtRisk(x, u, c, dd);
    const t = 1 + c * x;
    if (t <= 0) continue;
    const v = t * t * t, x2 = x * x;
    if (u < 1 - 0.0331 * x2 * x2 || Math.log(u) < 0.5 * x2 + dd * (1 - v + Math.log(v))) {
      const value = dd * v * (boosted ? Math.pow(uniformFromBits(b3), 1 / shape) : 1);
      return { value, attempts: attempt + 1, t, c, atRisk };
    }
  }
  throw new RangeError(`gamma replay exhausted ${GAMMA_BLOCKS} attempts for shape ${shape}`);
}

/** The statistics of one context: values and their float32 bounds. */
export interface ReplayedContext {
  /** Context length L. */
  context: number;
  /** The replayed statistics (N x d x d, N x d, N, N). */
  values: Record<StatisticName, Float64Array>;
  /** Elementwise float32 error bounds of the kernels' statistics. */
  tolerance: Record<StatisticName, Float64Array>;
}

/** The statistics the exact sampler draws. */
export type StatisticName = "sigmaHat" | "muHat" | "meanY" | "meanY2";

/** A replayed sample: per context, and per prompt its chi-squares' attempts and risk. */
export interface WishartReplay {
  /** One entry per nested context. */
  contexts: ReplayedContext[];
  /** Attempts, N x R x p (0 where an increment has no chi-square), as the kernel writes them. */
  attempts: Uint32Array;
  /** Per prompt: whether a decision of one of its chi-squares is within the float32 margin. */
  atRisk: Uint8Array;
  /** Number of chi-squares drawn. */
  chiSquares: number;
}

/** Three accumulators of one prompt: signed, absolute, absolute plus the input bound. */
interface Sums {
  w: Float64Array[];
  s: Float64Array[];
}

/** Adds one increment's factors to the three accumulators (0 signed, 1 |.|, 2 |.| + bound). */
function accumulate(
  sums: Sums,
  g: Float64Array,
  m: Float64Array,
  dm: Float64Array,
  root: number,
  p: number,
) {
  for (let k = 0; k < 3; k++) {
    const f = (v: number, e: number) => k === 0 ? v : Math.abs(v) + (k === 2 ? e : 0);
    for (let a = 0; a < p; a++) {
      sums.s[k][a] += root * f(g[a], DZ);
      for (let b = 0; b <= a; b++) {
        let acc = f(g[a], DZ) * f(g[b], DZ);
        for (let c = 0; c < p; c++) {
          acc += f(m[a * p + c], dm[a * p + c]) * f(m[b * p + c], dm[b * p + c]);
        }
        sums.w[k][a * p + b] += acc;
      }
    }
  }
}

/** The linear map of `writeWishartStatistics` (on signed or absolute inputs). */
function mapStatistics(
  w: Float64Array,
  s: Float64Array,
  spike: ArrayLike<number>,
  o: { sigma: number; l: number; L: number; p: number; n: number },
  out: Record<StatisticName, Float64Array>,
): void {
  const { sigma, l, L, p, n } = o, d = p - 2;
  const W = (a: number, b: number) => w[Math.max(a, b) * p + Math.min(a, b)];
  for (let a = 0; a < d; a++) {
    const ma = spike[a];
    out.muHat[n * d + a] =
      (l * (W(0, 0) * ma + W(a + 2, 0)) + sigma * (W(1, 0) * ma + W(a + 2, 1))) / L;
    for (let b = 0; b < d; b++) {
      const mb = spike[b];
      out.sigmaHat[n * d * d + a * d + b] =
        (ma * mb * W(0, 0) + ma * W(b + 2, 0) + W(a + 2, 0) * mb + W(a + 2, b + 2)) / L;
    }
  }
  out.meanY[n] = (l * s[0] + sigma * s[1]) / L;
  out.meanY2[n] = (l * l * W(0, 0) + 2 * l * sigma * W(1, 0) + sigma * sigma * W(1, 1)) / L;
}

/** Empty statistics of N prompts in dimension d. */
function allocate(N: number, d: number): Record<StatisticName, Float64Array> {
  return {
    sigmaHat: new Float64Array(N * d * d),
    muHat: new Float64Array(N * d),
    meanY: new Float64Array(N),
    meanY2: new Float64Array(N),
  };
}

/**
 * One increment's factors: g (p), M (p x p, W' = M M^T) and M's float32 bounds, from the
 * streams of prompt `prompt`, increment `r`, `count` tokens.
 */
function increment(stream: CounterStream, prompt: number, r: number, count: number, p: number) {
  const rest = count - 1, bartlett = rest >= p;
  const total = p + (bartlett ? (p * (p - 1)) / 2 : rest * p);
  const z = new Float64Array(total);
  stream.normals(prompt, r, StreamTag.wishartNormal, total, z);
  const m = new Float64Array(p * p), dm = new Float64Array(p * p).fill(DZ);
  const gammas: GammaReplay[] = [];
  for (let j = 0; j < p; j++) {
    if (!bartlett) {
      for (let t = 0; t < rest; t++) m[j * p + t] = z[p + t * p + j];
      continue;
    }
    for (let c = 0; c < j; c++) m[j * p + c] = z[p + (j * (j - 1)) / 2 + c];
    const draw = replayGamma(stream, prompt, r, (rest - j) / 2, j * GAMMA_BLOCKS);
    const a = Math.sqrt(2 * draw.value);
    m[j * p + j] = a;
    dm[j * p + j] = a * (1.5 * draw.c * DZ / draw.t + 8 * U);
    gammas.push(draw);
  }
  return { g: z.subarray(0, p), m, dm, gammas };
}

/**
 * Replays the exact sampler for a resolved paper-family sample (with its tasks' spikes and
 * strengths) at the strictly increasing finite `contexts`.
 */
export function replayWishart(
  sample: ResolvedSample,
  spike: Float64Array,
  contexts: readonly number[],
): WishartReplay {
  const d = sample.task.dim, p = d + 2, N = sample.prompts, R = contexts.length;
  const stream = new CounterStream(sample.key);
  const out = contexts.map((L) => ({
    context: L,
    values: allocate(N, d),
    tolerance: allocate(N, d),
  }));
  const nominal = allocate(N, d), plus = allocate(N, d);
  const attempts = new Uint32Array(N * R * p), atRisk = new Uint8Array(N);
  const sigma = sample.task.sigma, l = RESPONSE_LOADING;
  let chiSquares = 0;
  for (let n = 0; n < N; n++) {
    const prompt = sample.promptOffset + n;
    const sums: Sums = {
      w: [0, 1, 2].map(() => new Float64Array(p * p)),
      s: [0, 1, 2].map(() => new Float64Array(p)),
    };
    const ms = spike.subarray(n * d, (n + 1) * d);
    const absM = ms.map(Math.abs), upM = ms.map((v) => Math.abs(v) * (1 + U));
    for (let r = 0; r < R; r++) {
      const count = contexts[r] - (r === 0 ? 0 : contexts[r - 1]);
      const inc = increment(stream, prompt, r, count, p);
      inc.gammas.forEach((draw, j) => {
        attempts[(n * R + r) * p + j] = draw.attempts;
        if (draw.atRisk) atRisk[n] = 1;
      });
      chiSquares += inc.gammas.length;
      accumulate(sums, inc.g, inc.m, inc.dm, Math.sqrt(count), p);
      const o = { sigma, l, L: contexts[r], p, n };
      mapStatistics(sums.w[0], sums.s[0], ms, o, out[r].values);
      mapStatistics(
        sums.w[1],
        sums.s[1],
        absM,
        { ...o, sigma: Math.abs(sigma), l: Math.abs(l) },
        nominal,
      );
      const up = { ...o, sigma: Math.abs(sigma) * (1 + U), l: Math.abs(l) * (1 + U) };
      mapStatistics(sums.w[2], sums.s[2], upM, up, plus);
      const k = (r + 1) * (p + 2) + 8;
      for (const key of ["sigmaHat", "muHat", "meanY", "meanY2"] as const) {
        const per = out[r].values[key].length / N;
        for (let i = n * per; i < (n + 1) * per; i++) {
          out[r].tolerance[key][i] = plus[key][i] - nominal[key][i] + gamma(k) * plus[key][i];
        }
      }
    }
  }
  return { contexts: out, attempts, atRisk, chiSquares };
}
