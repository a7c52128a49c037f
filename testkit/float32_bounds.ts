/**
 * Float32 error bounds of the WebGPU parity property (props/webgpu_parity_test.ts): the unit
 * roundoff, gamma_k = k u / (1 - k u), the token error bound, the absolute-valued inputs
 * whose evaluation bounds a computation's error, and an f64 Horner reference of the LCA on
 * statistics with its derivatives.
 *
 * @module
 */

import type { LcaParameters } from "../src/model/models.ts";
import type { PromptStatistics } from "../src/model/prompt_statistics.ts";
import type { PromptBatch } from "../src/model/task.ts";

/** The unit roundoff of float32. */
export const U = 2 ** -24;
/** The tail bound of a standard normal drawn by Box-Muller from 24-bit uniforms. */
export const RHO = Math.sqrt(48 * Math.LN2);
/** The number of rounding steps in one float32 normal draw. */
export const C_Z = 8;
/** gamma_k = k u / (1 - k u): the relative error bound of k float32 operations. */
export const gamma = (k: number): number => k * U / (1 - k * U);

/** The token error bound delta of item 2. */
export function tokenDelta(batch: { spike: Float64Array; task: { sigma: number } }): number {
  let m = batch.task.sigma;
  for (const v of batch.spike) m = Math.max(m, Math.abs(v));
  return (C_Z + 3) * RHO * U * (1 + m);
}

/** The batch with every token value replaced by |v| + delta. */
export function absBatch(batch: PromptBatch, delta: number): PromptBatch {
  const up = (a: Float64Array) => a.map((v) => Math.abs(v) + delta);
  return { ...batch, x: up(batch.x), y: up(batch.y), query: up(batch.query) };
}

/** Tolerance vector [F(a + d) - F(a)] + gamma_K F(a + d) from the two abs evaluations. */
export function tolerance(
  plus: ArrayLike<number>,
  nominal: ArrayLike<number>,
  k: number,
): Float64Array {
  const out = new Float64Array(plus.length);
  for (let i = 0; i < out.length; i++) {
    out[i] = (plus[i] - nominal[i]) + gamma(k) * plus[i] + 1e-30;
    // an abs evaluation that overflows gives no bound (Inf - Inf): the check is vacuous there
    if (Number.isNaN(out[i])) out[i] = Infinity;
  }
  return out;
}

/** |params|, or with `rounded` their f32 rounding bound |v| (1 + u) + 2^-126 (flushed subnormals). */
export function absParams(p: LcaParameters, rounded = false): LcaParameters {
  const r = (v: number) => rounded ? Math.abs(v) * (1 + U) + 2 ** -126 : Math.abs(v);
  return { alpha: r(p.alpha), beta: r(p.beta), depth: p.depth };
}

/** f64 Horner of the LCA on statistics: (pred, d/dalpha, d/dbeta) per prompt. */
export function lcaHorner(stats: PromptStatistics, p: LcaParameters, abs: number) {
  const d = stats.task.dim;
  const f = (v: number) => abs ? Math.abs(v) * (1 + abs) : v;
  const out = {
    pred: new Float64Array(stats.prompts),
    da: new Float64Array(stats.prompts),
    db: new Float64Array(stats.prompts),
  };
  const round = (v: number) => abs ? Math.abs(v) * (1 + abs) + (abs > 1e-100 ? 2 ** -126 : 0) : v;
  const alpha = round(p.alpha), beta = round(p.beta);
  for (let n = 0; n < stats.prompts; n++) {
    let r = Array.from({ length: d }, (_, a) => f(stats.muHat[n * d + a]));
    let rb = new Array(d).fill(0);
    const s = new Array(d).fill(0), sb = new Array(d).fill(0);
    for (let k = 0; k < p.depth; k++) {
      const nr = new Array(d), nrb = new Array(d);
      for (let a = 0; a < d; a++) {
        s[a] += r[a];
        sb[a] += rb[a];
        let t = 0, tb = 0;
        for (let b = 0; b < d; b++) {
          const sig = f(stats.sigmaHat[n * d * d + a * d + b]);
          t += sig * r[b];
          tb += sig * rb[b];
        }
        nr[a] = r[a] + beta * t;
        nrb[a] = rb[a] + t + beta * tb;
      }
      r = nr;
      rb = nrb;
    }
    let da = 0, db = 0;
    for (let a = 0; a < d; a++) {
      da += f(stats.query[n * d + a]) * s[a];
      db += f(stats.query[n * d + a]) * sb[a];
    }
    out.pred[n] = alpha * da;
    out.da[n] = da;
    out.db[n] = alpha * db;
  }
  return out;
}
