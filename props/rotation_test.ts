/**
 * Predictions are invariant under a common rotation Q of all covariates (every x_i and x_q;
 * labels unchanged): Sigma_hat -> Q Sigma_hat Q^T, mu_hat -> Q mu_hat, x_q -> Q x_q, so LCA
 * (token and closed form), deep LSA, OLS and reduced LSA with Gamma = gamma I all give the
 * same prediction.
 *
 * Tolerance. Q is built by Gram-Schmidt from Gaussians, so it is orthogonal only up to
 * delta_Q = ||Q^T Q - I||_F (measured), and Q x rounds: the computed rotated covariate
 * differs from Q~ x (Q~ the nearest orthogonal matrix, ||Q - Q~||_2 <= delta_Q) by at most
 * delta' = gamma_d + delta_Q times xr_a = (|Q| |x|)_a + ||x||_2 in each coordinate. For a
 * prediction that is a polynomial of degree D in the covariates this moves it by at most
 * ((1 + delta')^D - 1) times the absolute evaluation on xr; each of the two evaluations
 * adds gamma_k times its own absolute evaluation (k as in agreement_test.ts).
 * OLS is not a polynomial: see `olsBound`.
 *
 * @module
 */

import assert from "node:assert/strict";
import { fc, fcParameters } from "../testkit/config.ts";
import {
  absBatch,
  eigenBackwardError,
  gamma,
  norm2,
  paramArb,
  sampleArb,
} from "./arbitraries_test.ts";
import { symmetricEigen } from "../src/numeric/linalg.ts";
import {
  deepLsaPredict,
  lcaPredict,
  lcaTokenPredict,
  lsaReducedPredict,
  olsPredict,
} from "../src/model/predictors.ts";
import { statisticsFromBatch } from "../src/model/prompt_statistics.ts";
import { type PromptBatch, type SampleOptions, samplePromptBatch } from "../src/model/task.ts";

/** Orthogonal matrix (row-major) by modified Gram-Schmidt on d x d Gaussians-ish entries. */
function orthogonal(entries: number[], d: number): Float64Array {
  const q = new Float64Array(d * d);
  for (let c = 0; c < d; c++) {
    for (let r = 0; r < d; r++) q[r * d + c] = entries[c * d + r];
    for (let p = 0; p < c; p++) {
      let dot = 0;
      for (let r = 0; r < d; r++) dot += q[r * d + p] * q[r * d + c];
      for (let r = 0; r < d; r++) q[r * d + c] -= dot * q[r * d + p];
    }
    let n = 0;
    for (let r = 0; r < d; r++) n += q[r * d + c] ** 2;
    n = Math.sqrt(n);
    for (let r = 0; r < d; r++) q[r * d + c] /= n;
  }
  return q;
}

function orthogonalityError(q: Float64Array, d: number): number {
  let s = 0;
  for (let a = 0; a < d; a++) {
    for (let b = 0; b < d; b++) {
      let dot = 0;
      for (let r = 0; r < d; r++) dot += q[r * d + a] * q[r * d + b];
      s += (dot - (a === b ? 1 : 0)) ** 2;
    }
  }
  return Math.sqrt(s) + gamma(d) * d; // plus the rounding of measuring it
}

function rotate(v: Float64Array, q: Float64Array, d: number): Float64Array {
  const out = new Float64Array(v.length);
  for (let o = 0; o < v.length; o += d) {
    for (let a = 0; a < d; a++) {
      let s = 0;
      for (let b = 0; b < d; b++) s += q[a * d + b] * v[o + b];
      out[o + a] = s;
    }
  }
  return out;
}

/** (|Q| |x|)_a + ||x||_2 for every covariate vector: the inputs of the absolute evaluation. */
function rotatedAbs(v: Float64Array, q: Float64Array, d: number): Float64Array {
  const out = new Float64Array(v.length);
  for (let o = 0; o < v.length; o += d) {
    const n = norm2(v, o, d);
    for (let a = 0; a < d; a++) {
      let s = 0;
      for (let b = 0; b < d; b++) s += Math.abs(q[a * d + b] * v[o + b]);
      out[o + a] = s + n;
    }
  }
  return out;
}

type Case = {
  options: SampleOptions;
  entries: number[];
  wrongEntries: number[];
  alpha: number;
  beta: number;
  depth: number;
};

const caseArb = (minContext = 1): fc.Arbitrary<Case> =>
  fc.record({
    options: sampleArb(3, minContext, 12),
    entries: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), {
      minLength: 36,
      maxLength: 36,
    }),
    wrongEntries: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), {
      minLength: 36,
      maxLength: 36,
    }),
    alpha: paramArb(-0.6, 0.6),
    beta: paramArb(-0.6, 0.3),
    depth: fc.integer({ min: 1, max: 3 }),
  });

/** Builds (original, rotated, |rotated| inputs, delta') or undefined for a degenerate draw. */
function setup(c: Case, wrongQuery: boolean) {
  const batch = samplePromptBatch(c.options);
  const d = batch.task.dim;
  const q = orthogonal(c.entries, d);
  const qQuery = wrongQuery ? orthogonal(c.wrongEntries, d) : q;
  if (!q.every(Number.isFinite) || !qQuery.every(Number.isFinite)) return undefined;
  const deltaQ = Math.max(orthogonalityError(q, d), orthogonalityError(qQuery, d));
  if (!(deltaQ < 1e-10)) return undefined; // nearly dependent draws: Gram-Schmidt is inaccurate
  const rotated: PromptBatch = {
    ...batch,
    x: rotate(batch.x, q, d),
    query: rotate(batch.query, qQuery, d),
  };
  const rotatedAbsBatch: PromptBatch = {
    ...absBatch(batch),
    x: rotatedAbs(batch.x, q, d),
    query: rotatedAbs(batch.query, q, d),
  };
  return { batch, rotated, rotatedAbsBatch, deltaPrime: gamma(d) + deltaQ, d };
}

type Predict = (batch: PromptBatch, abs: boolean) => Float64Array;

/** Invariance of a polynomial predictor of degree `degree` with expression depth k. */
function polynomialInvariant(
  c: Case,
  predict: Predict,
  degree: number,
  k: number,
  wrongQuery = false,
): boolean {
  const s = setup(c, wrongQuery);
  if (!s) return true;
  const original = predict(s.batch, false);
  const rotated = predict(s.rotated, false);
  const absOriginal = predict(absBatch(s.batch), true);
  const absRotated = predict(s.rotatedAbsBatch, true);
  const move = (1 + s.deltaPrime) ** degree - 1;
  for (let n = 0; n < original.length; n++) {
    const bound = (move + gamma(k)) * absRotated[n] + gamma(k) * absOriginal[n];
    if (!(Math.abs(original[n] - rotated[n]) <= bound)) return false;
  }
  return true;
}

const lcaToken = (c: Case): Predict => (batch, abs) =>
  lcaTokenPredict(batch, {
    alpha: abs ? Math.abs(c.alpha) : c.alpha,
    beta: abs ? Math.abs(c.beta) : c.beta,
    depth: c.depth,
  });
const lcaClosed = (c: Case): Predict => (batch, abs) =>
  lcaPredict(statisticsFromBatch(batch), {
    alpha: abs ? Math.abs(c.alpha) : c.alpha,
    beta: abs ? Math.abs(c.beta) : c.beta,
    depth: c.depth,
  });
const deepLsa = (c: Case): Predict => (batch, abs) =>
  deepLsaPredict(statisticsFromBatch(batch), {
    alpha: abs ? Math.abs(c.alpha) : c.alpha,
    beta: abs ? Math.abs(c.beta) : c.beta,
    depth: c.depth,
  });
const reducedLsa = (c: Case): Predict => (batch, abs) => {
  const d = batch.task.dim;
  const g = new Float64Array(d * d);
  for (let j = 0; j < d; j++) g[j * d + j] = abs ? Math.abs(c.alpha) : c.alpha;
  return lsaReducedPredict(statisticsFromBatch(batch), g);
};

// Degrees in the covariates: LCA 2T (x_q, T - 1 factors Sigma_hat, mu_hat); deep LSA:
// deg Sigma_t = 2 * 3^t, deg x_q,t = 3^t, deg g_t = 2 * 3^t - 1, so the layer-t term
// alpha x_q,t^T g_t has degree 3^(t+1) - 1 < 3^T; reduced LSA 2. Depths: LCA token T (d + L + 5) + d + L + 2, closed L + 2 + T (d + 4) + d + 2; deep
// LSA L + 2 + T (5d + 8) + 2; reduced LSA L + 2 + 2d + 2.
const lcaDegree = (c: Case) => 2 * c.depth;
const deepDegree = (c: Case) => 3 ** c.depth;
const kToken = (c: Case, d: number, L: number) => c.depth * (d + L + 5) + d + L + 2;
const kClosed = (c: Case, d: number, L: number) => L + 2 + c.depth * (d + 4) + d + 2;
const kDeep = (c: Case, d: number, L: number) => L + 2 + c.depth * (5 * d + 8) + 2;
const kReduced = (_c: Case, d: number, L: number) => L + 2 * d + 4;

const dims = (c: Case) => ({ d: c.options.d1! + c.options.d2!, L: c.options.context });

/**
 * OLS z = Sigma^-1 mu. Both paths are exact for inputs perturbed by: the rotation
 * (Sigma_hat entries by ((1 + delta')^2 - 1 + gamma_{L+2}) |Sigma|abs, mu_hat by
 * (delta' + gamma_{L+2}) |mu|abs, x_q by delta' |x_q|abs; Frobenius norms), and each
 * eigendecomposition's measured backward error e (Sigma) and delta (V^T V - I). With
 * eps the total perturbation of Sigma and lambda the smallest eigenvalue,
 * ||(S + E)^-1 - S^-1|| <= eps / (lambda (lambda - eps)), so the predictions differ by at
 * most |x| |mu| eps / (lambda (lambda - eps)) + (|dx| |mu| + |x| |dmu| + |dx| |dmu|) /
 * (lambda - eps) + 2 (3 delta + gamma_{2d+4}) |x| |mu| / (lambda - eps).
 */
function olsInvariant(c: Case, wrongQuery = false): boolean {
  const s = setup(c, wrongQuery);
  if (!s) return true;
  const { d } = s;
  const L = s.batch.context;
  const so = statisticsFromBatch(s.batch);
  const sr = statisticsFromBatch(s.rotated);
  const sa = statisticsFromBatch(s.rotatedAbsBatch);
  const original = olsPredict(so);
  const rotated = olsPredict(sr);
  const dp = s.deltaPrime;
  for (let n = 0; n < so.prompts; n++) {
    const eo = eigenBackwardError(so.sigmaHat, n, d);
    const er = eigenBackwardError(sr.sigmaHat, n, d);
    const lambda = symmetricEigen(so.sigmaHat.subarray(n * d * d, (n + 1) * d * d), d).values[0];
    const sigmaAbs = norm2(sa.sigmaHat, n * d * d, d * d);
    const eps = ((1 + dp) ** 2 - 1 + 2 * gamma(L + 2)) * sigmaAbs + eo.e + er.e;
    const low = lambda - eo.e - eps;
    if (!(low > 0 && low > d * Number.EPSILON * (sigmaAbs + eps) * 4)) continue; // singular
    const x = norm2(so.query, n * d, d);
    const mu = norm2(so.muHat, n * d, d);
    const dx = dp * norm2(sa.query, n * d, d);
    const dmu = (dp + 2 * gamma(L + 2)) * norm2(sa.muHat, n * d, d);
    const delta = Math.max(eo.delta, er.delta);
    const bound = (x * mu * eps) / (low * low) + (dx * mu + x * dmu + dx * dmu) / low +
      (2 * (3 * delta + gamma(2 * d + 4)) * (x + dx) * (mu + dmu)) / low;
    if (!(Math.abs(original[n] - rotated[n]) <= bound)) return false;
  }
  return true;
}

Deno.test("predictions are invariant under a common rotation of all covariates", async (t) => {
  const cases: [string, (c: Case) => Predict, (c: Case) => number, typeof kToken][] = [
    ["LCA token level", lcaToken, lcaDegree, kToken],
    ["LCA closed form", lcaClosed, lcaDegree, kClosed],
    ["deep LSA", deepLsa, deepDegree, kDeep],
    ["reduced LSA, Gamma = gamma I", reducedLsa, () => 2, kReduced],
  ];
  for (const [name, predictor, degree, depth] of cases) {
    await t.step(name, () => {
      fc.assert(
        fc.property(caseArb(), (c) => {
          const { d, L } = dims(c);
          return polynomialInvariant(c, predictor(c), degree(c), depth(c, d, L));
        }),
        fcParameters(60),
      );
    });
  }
  await t.step("OLS", () => {
    fc.assert(fc.property(caseArb(8), (c) => olsInvariant(c)), fcParameters(60));
  });
  await t.step("negative control: rotating the query by a different Q is rejected", () => {
    for (const [, predictor, degree, depth] of cases) {
      const r = fc.check(
        fc.property(caseArb().filter((c) => c.alpha !== 0), (c) => {
          const { d, L } = dims(c);
          return polynomialInvariant(c, predictor(c), degree(c), depth(c, d, L), true);
        }),
        fcParameters(60),
      );
      assert.equal(r.failed, true);
    }
    const r = fc.check(fc.property(caseArb(8), (c) => olsInvariant(c, true)), fcParameters(60));
    assert.equal(r.failed, true);
  });
});
