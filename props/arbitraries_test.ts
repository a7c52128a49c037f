/**
 * Shared arbitraries and floating-point error bounds for the property tests.
 *
 * Arbitraries are built by composition: a task (law, support, d1, d2, sigma), then
 * sampling options on top of it, then model parameters. Error bounds follow the
 * standard model of floating-point arithmetic, fl(a op b) = (a op b)(1 + e) with
 * |e| <= u = 2^-53: a polynomial evaluated by an expression tree of depth k (at most
 * k rounded operations on any path from an input to the output) has an error of at
 * most gamma_k * |tree|, where gamma_k = k u / (1 - k u) and |tree| is the same tree
 * evaluated on the absolute values of every input (Higham, "Accuracy and Stability of
 * Numerical Algorithms", 2nd ed., sections 3.1 and 3.3). So every tolerance below is
 * gamma_k times an "absolute evaluation" of the same computation, never a constant.
 *
 * This file is a `_test.ts` only so that it can live in props/; its one test checks
 * that the arbitraries produce valid tasks.
 *
 * @module
 */

import assert from "node:assert/strict";
import { fc, fcParameters } from "../testkit/config.ts";
import { symmetricEigen } from "../src/numeric/linalg.ts";
import type { PromptStatistics } from "../src/model/prompt_statistics.ts";
import { resolveTask, type SampleOptions, type TaskOptions } from "../src/model/task.ts";
import type { PromptBatch } from "../src/model/task.ts";

/** Unit roundoff of float64. */
export const U = Number.EPSILON / 2;

/** gamma_k = k u / (1 - k u), the relative error bound of k rounded operations. */
export function gamma(k: number): number {
  return (k * U) / (1 - k * U);
}

/** A law name drawn from the three families (values on a 1/100 grid for readable reports). */
export const lawArb: fc.Arbitrary<string> = fc.oneof(
  fc.constant("uniform"),
  fc.tuple(fc.integer({ min: 50, max: 500 }), fc.integer({ min: 50, max: 500 })).map(
    ([a, b]) => `beta:${a / 100}:${b / 100}`,
  ),
  fc.integer({ min: 0, max: 400 }).map((s) => `point:${s / 100}`),
);

/** A task: law, support 0 <= m_lo < m_hi, d1, d2 and sigma. */
export const taskArb: fc.Arbitrary<
  Required<Omit<TaskOptions, "law" | "family" | "covariance">> & { law: string }
> = fc
  .record({
    law: lawArb,
    mMin: fc.integer({ min: 0, max: 200 }).map((v) => v / 100),
    width: fc.integer({ min: 10, max: 400 }).map((v) => v / 100),
    d1: fc.integer({ min: 1, max: 3 }),
    d2: fc.integer({ min: 1, max: 3 }),
    sigma: fc.integer({ min: 0, max: 50 }).map((v) => v / 100),
  })
  .map(({ law, mMin, width, d1, d2, sigma }) => ({
    law,
    mMin,
    mMax: mMin + width,
    d1,
    d2,
    sigma,
  }));

/** Sampling options: a task, a few prompts of a short context, a seed and a stream. */
export function sampleArb(
  maxPrompts = 3,
  minContext = 1,
  maxContext = 12,
): fc.Arbitrary<SampleOptions> {
  return fc
    .record({
      task: taskArb,
      prompts: fc.integer({ min: 1, max: maxPrompts }),
      context: fc.integer({ min: minContext, max: maxContext }),
      seed: fc.integer({ min: 0, max: 2 ** 40 }),
      stream: fc.integer({ min: 0, max: 3 }),
    })
    .map(({ task, ...rest }) => ({ ...task, ...rest }));
}

/** A layer parameter on a 1/1000 grid in [min, max]. */
export function paramArb(min: number, max: number): fc.Arbitrary<number> {
  return fc.integer({ min: Math.round(min * 1000), max: Math.round(max * 1000) }).map((v) =>
    v / 1000
  );
}

/** The batch with every input replaced by its absolute value (for absolute evaluations). */
export function absBatch(batch: PromptBatch): PromptBatch {
  return {
    ...batch,
    x: batch.x.map(Math.abs),
    y: batch.y.map(Math.abs),
    query: batch.query.map(Math.abs),
    queryLabel: batch.queryLabel.map(Math.abs),
  };
}

/** The statistics with every entry replaced by its absolute value. */
export function absStats(stats: PromptStatistics): PromptStatistics {
  return {
    ...stats,
    sigmaHat: stats.sigmaHat.map(Math.abs),
    muHat: stats.muHat.map(Math.abs),
    meanY: stats.meanY.map(Math.abs),
    meanY2: stats.meanY2.map(Math.abs),
    query: stats.query.map(Math.abs),
    queryLabel: stats.queryLabel.map(Math.abs),
  };
}

/** Euclidean norm of `v[offset .. offset + n)`. */
export function norm2(v: ArrayLike<number>, offset = 0, n = v.length): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += v[offset + i] * v[offset + i];
  return Math.sqrt(s);
}

/**
 * A posteriori backward error of the eigendecomposition that `spectralStatistics`
 * computes for prompt n (the same call on the same matrix, so the same V, Lambda):
 * `e` bounds ||V Lambda V^T - Sigma||_F (the measured residual plus the rounding of
 * measuring it), `delta` bounds ||V^T V - I||_F, `lambdaAbs` bounds every |lambda|.
 */
export function eigenBackwardError(
  sigmaHat: Float64Array,
  n: number,
  d: number,
): { e: number; delta: number; lambdaAbs: number } {
  const a = sigmaHat.subarray(n * d * d, (n + 1) * d * d);
  const { values, vectors } = symmetricEigen(a, d);
  let lambdaAbs = 0;
  for (const v of values) lambdaAbs = Math.max(lambdaAbs, Math.abs(v));
  let e = 0, delta = 0, recAbs = 0;
  for (let r = 0; r < d; r++) {
    for (let c = 0; c < d; c++) {
      let rec = 0, recA = 0, gram = 0;
      for (let j = 0; j < d; j++) {
        rec += vectors[r * d + j] * values[j] * vectors[c * d + j];
        recA += Math.abs(vectors[r * d + j] * values[j] * vectors[c * d + j]);
        gram += vectors[j * d + r] * vectors[j * d + c];
      }
      e += (rec - a[r * d + c]) ** 2;
      delta += (gram - (r === c ? 1 : 0)) ** 2;
      recAbs += (recA + Math.abs(a[r * d + c])) ** 2;
    }
  }
  // Measuring the residual rounds too: each entry is off by at most gamma_{d+3} |terms|,
  // and each Gram entry by gamma_d * (1 + delta) (columns of norm about 1).
  const eBound = Math.sqrt(e) + gamma(d + 3) * Math.sqrt(recAbs);
  const deltaBound = Math.sqrt(delta) + gamma(d + 1) * d * 2;
  return { e: eBound, delta: deltaBound, lambdaAbs };
}

/**
 * Bound on |x^T V phi(Lambda) V^T mu (as the spectral path computes it) - x^T phi(Sigma) mu|
 * for a polynomial phi with non-negative majorant P (|phi(t)| <= P(|t|), P convex and
 * increasing on [0, inf), as is a polynomial with non-negative coefficients). The
 * spectral path is exact for Sigma + E with ||E||_F <= e, and V is orthogonal up to
 * delta, so by the Daleckii-Krein bound on the Frechet derivative of a matrix function
 * (max divided difference of phi <= sup |phi'|) the error is at most
 *   |x| |mu| (e Lip + (3 delta + 2 d gamma_d + gamma_{k_phi + d} (1 + delta)^2) P(Lambda))
 * with Lambda = max |lambda| + e and Lip <= P'(Lambda) <= (P(2 Lambda) - P(Lambda)) / Lambda.
 * `extraE` and `extraMu` add perturbations of Sigma and mu made before the spectral path.
 */
export function spectralPathBound(args: {
  xNorm: number;
  muNorm: number;
  e: number;
  delta: number;
  lambdaAbs: number;
  d: number;
  majorant: (t: number) => number;
  kPhi: number;
  extraMu?: number;
}): number {
  const { xNorm, muNorm, e, delta, lambdaAbs, d, majorant, kPhi } = args;
  const extraMu = args.extraMu ?? 0;
  const big = lambdaAbs + e;
  const p = majorant(big);
  const lip = big > 0 ? (majorant(2 * big) - p) / big : 0;
  const mu = muNorm + extraMu;
  return xNorm * mu *
      (e * lip + (3 * delta + 2 * d * gamma(d) + gamma(kPhi + d) * (1 + delta) ** 2) * p) +
    xNorm * extraMu * p;
}

/** LCA spectral function majorant: |alpha| sum_{k<T} (1 + |beta| t)^k. */
export function lcaMajorant(alpha: number, beta: number, depth: number): (t: number) => number {
  return (t) => {
    let g = 0, power = 1;
    for (let k = 0; k < depth; k++) {
      g += power;
      power *= 1 + Math.abs(beta) * t;
    }
    return Math.abs(alpha) * g;
  };
}

/**
 * Central-difference check of an analytic derivative `g` of f at x along one direction.
 * Truncation: |D(h) - f'| <= h^2/6 sup|f'''|, with f''' estimated by the five-point
 * third difference at step H = 4h (its own rounding error added, and a factor 2 for the
 * variation of f''' over [x - 2H, x + 2H] that the estimate does not see).
 * Rounding: each evaluation of f is off by at most gamma_k fAbs, so D(h) by gamma_k fAbs / h;
 * the analytic derivative by gamma_k gAbs. Returns the error and the tolerance.
 */
export function centralDifference(
  f: (t: number) => number,
  x: number,
  g: number,
  fAbs: number,
  gAbs: number,
  k: number,
  h0 = 2 ** -14,
): { error: number; tolerance: number; fd: number } {
  const step = (s: number) => (x + s) - x; // exactly representable steps
  const h = step(h0);
  const fd = (f(x + h) - f(x - h)) / (2 * h);
  const H = step(4 * h0);
  const third = (f(x + 2 * H) - 2 * f(x + H) + 2 * f(x - H) - f(x - 2 * H)) / (2 * H ** 3);
  const thirdRounding = (6 * gamma(k) * fAbs) / (2 * H ** 3);
  const m3 = 2 * (Math.abs(third) + thirdRounding);
  const tolerance = (h * h / 6) * m3 + (gamma(k) * fAbs) / h + gamma(k) * gAbs +
    2 * U * Math.abs(fd);
  return { error: Math.abs(fd - g), tolerance, fd };
}

Deno.test("arbitraries produce valid tasks and sampling options", () => {
  fc.assert(
    fc.property(sampleArb(), (options) => {
      const task = resolveTask(options);
      assert.equal(task.dim, options.d1! + options.d2!);
      assert.ok(options.mMin! >= 0 && options.mMin! < options.mMax!);
    }),
    fcParameters(50),
  );
});
