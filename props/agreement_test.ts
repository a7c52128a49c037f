/**
 * Token-level attention and the closed forms compute the same polynomials: LCA (one- and
 * two-parameter, and without S_t), deep LSA, full LSA; and the spectral losses equal the
 * losses of the closed-form predictions.
 *
 * Tolerances: each side's rounding error is at most gamma_k times the same computation
 * evaluated on absolute values (see arbitraries_test.ts), with k the depth of its
 * expression tree counted from the code:
 * - token LCA, per layer: a d-term score, one product, L accumulations, /L, *beta, two
 *   additions (d + L + 5); readout d + L + 2;
 * - closed-form LCA from `statisticsFromBatch`: Sigma_hat and mu_hat entries are L-term
 *   sums of products divided by L (L + 2); per Horner layer a d-term product, *beta, +
 *   and the running sum (d + 4); readout d + 2;
 * - deep LSA, token: per layer d + L + 5; closed: per layer the two d x d products
 *   (2d + 2) plus the g, x_q updates (2d + 4) and f (d + 2);
 * - full LSA: token 2d + L + 6; closed L + 2 + 3d + 6.
 * The spectral path is bounded by the eigendecomposition's measured backward error
 * (`spectralPathBound`).
 *
 * @module
 */

import assert from "node:assert/strict";
import { fc, fcParameters } from "../testkit/config.ts";
import {
  absBatch,
  absStats,
  eigenBackwardError,
  gamma,
  lcaMajorant,
  norm2,
  paramArb,
  sampleArb,
  spectralPathBound,
} from "./arbitraries_test.ts";
import { deepLsaSpectralLoss, lcaSpectralLoss } from "../src/model/losses.ts";
import type { LcaParameters, LsaParameters } from "../src/model/models.ts";
import { deepLsaCoefficient } from "../src/theory/deep_lsa_excess.ts";
import {
  deepLsaPredict,
  deepLsaTokenPredict,
  lcaPredict,
  lcaTokenPredict,
  lcaWithoutSkipStreamPredict,
  lsaPredict,
  lsaTokenPredict,
} from "../src/model/predictors.ts";
import {
  type PromptStatistics,
  samplePromptStatistics,
  spectralStatistics,
  statisticsFromBatch,
} from "../src/model/prompt_statistics.ts";
import { type SampleOptions, samplePromptBatch } from "../src/model/task.ts";

type Case = { options: SampleOptions; alpha: number; beta: number; depth: number };

const caseArb = (twoParameter: boolean): fc.Arbitrary<Case> =>
  fc.record({
    options: sampleArb(3, 1, 10),
    alpha: paramArb(-0.6, 0.6),
    beta: paramArb(-0.6, 0.3),
    depth: fc.integer({ min: 1, max: 5 }),
  }).map((c) => (twoParameter ? c : { ...c, beta: -c.alpha }));

/** Checks |a - b| <= bound entrywise; returns false instead of throwing (for fc.check). */
function within(a: Float64Array, b: Float64Array, bound: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) {
    if (!(Math.abs(a[i] - b[i]) <= bound[i])) return false;
  }
  return true;
}

/** Token-level vs closed-form LCA (with or without S_t), optionally with a wrong alpha. */
function lcaAgrees(c: Case, withoutSkipStream: boolean, alphaError = 0): boolean {
  const batch = samplePromptBatch(c.options);
  const stats = statisticsFromBatch(batch);
  const params: LcaParameters = { alpha: c.alpha, beta: c.beta, depth: c.depth };
  const abs: LcaParameters = { alpha: Math.abs(c.alpha), beta: Math.abs(c.beta), depth: c.depth };
  const predictClosed = withoutSkipStream ? lcaWithoutSkipStreamPredict : lcaPredict;
  const token = lcaTokenPredict(batch, params, { withoutSkipStream });
  const closed = predictClosed(stats, { ...params, alpha: params.alpha * (1 + alphaError) });
  const tokenAbs = lcaTokenPredict(absBatch(batch), abs, { withoutSkipStream });
  const closedAbs = predictClosed(statisticsFromBatch(absBatch(batch)), abs);
  const d = batch.task.dim, L = batch.context, T = c.depth;
  const kToken = T * (d + L + 5) + d + L + 2;
  const kClosed = L + 2 + T * (d + 4) + d + 2;
  const bound = tokenAbs.map((v, i) => gamma(kToken) * v + gamma(kClosed) * closedAbs[i]);
  return within(token, closed, bound);
}

function deepLsaAgrees(c: Case, alphaError = 0): boolean {
  const batch = samplePromptBatch(c.options);
  const stats = statisticsFromBatch(batch);
  const params = { alpha: c.alpha, beta: c.beta, depth: c.depth };
  const abs = { alpha: Math.abs(c.alpha), beta: Math.abs(c.beta), depth: c.depth };
  const token = deepLsaTokenPredict(batch, params);
  const closed = deepLsaPredict(stats, { ...params, alpha: params.alpha * (1 + alphaError) });
  const tokenAbs = deepLsaTokenPredict(absBatch(batch), abs);
  const closedAbs = deepLsaPredict(statisticsFromBatch(absBatch(batch)), abs);
  const d = batch.task.dim, L = batch.context, T = c.depth;
  const kToken = T * (d + L + 5) + 2;
  const kClosed = L + 2 + T * (5 * d + 8) + 2;
  const bound = tokenAbs.map((v, i) => gamma(kToken) * v + gamma(kClosed) * closedAbs[i]);
  return within(token, closed, bound);
}

const lsaArb = fc.record({
  options: sampleArb(3, 1, 10),
  entries: fc.array(paramArb(-1, 1), { minLength: 7 * 7, maxLength: 7 * 7 }),
});

function lsaAgrees(
  { options, entries }: { options: SampleOptions; entries: number[] },
  perturb = 0,
): boolean {
  const batch = samplePromptBatch(options);
  const d = batch.task.dim;
  const params: LsaParameters = {
    p: Float64Array.from(entries.slice(0, d + 1)),
    k: Float64Array.from(entries.slice(d + 1, d + 1 + (d + 1) * d)),
  };
  const abs: LsaParameters = { p: params.p.map(Math.abs), k: params.k.map(Math.abs) };
  const token = lsaTokenPredict(batch, params);
  const perturbed = { p: params.p.map((v, i) => (i === d ? v + perturb : v)), k: params.k };
  const closed = lsaPredict(statisticsFromBatch(batch), perturbed);
  const tokenAbs = lsaTokenPredict(absBatch(batch), abs);
  const closedAbs = lsaPredict(statisticsFromBatch(absBatch(batch)), abs);
  const L = batch.context;
  const bound = tokenAbs.map((v, i) =>
    gamma(2 * d + L + 6) * v + gamma(L + 2 + 3 * d + 6) * closedAbs[i]
  );
  return within(token, closed, bound);
}

/**
 * Spectral loss vs the loss of closed-form predictions. Per prompt, the spectral prediction
 * is off by `spectralPathBound` and the closed form by gamma_k |closed on |stats||; the loss
 * (1/N) sum r^2 then moves by at most (1/N) sum (2 |r| b + b^2), plus the rounding of both
 * N-term sums, gamma_{N+3} times the losses.
 */
function spectralLossAgrees(
  stats: PromptStatistics,
  target: Float64Array,
  predictions: Float64Array,
  predictionsAbs: Float64Array,
  kClosed: number,
  majorant: (t: number) => number,
  kPhi: number,
  spectralLoss: number,
): boolean {
  const d = stats.task.dim;
  let loss = 0, slack = 0;
  for (let n = 0; n < stats.prompts; n++) {
    const { e, delta, lambdaAbs } = eigenBackwardError(stats.sigmaHat, n, d);
    const b = spectralPathBound({
      xNorm: norm2(stats.query, n * d, d),
      muNorm: norm2(stats.muHat, n * d, d),
      e,
      delta,
      lambdaAbs,
      d,
      majorant,
      kPhi,
    }) + gamma(kClosed) * predictionsAbs[n];
    const r = predictions[n] - target[n];
    loss += r * r;
    slack += 2 * Math.abs(r) * b + b * b;
  }
  const N = stats.prompts;
  loss /= N;
  const tolerance = slack / N + gamma(N + 3) * (loss + spectralLoss);
  return Math.abs(loss - spectralLoss) <= tolerance;
}

function lcaSpectralAgrees(c: Case, alphaError = 0): boolean {
  const stats = samplePromptStatistics(c.options);
  const target = stats.queryLabel;
  const params = { alpha: c.alpha, beta: c.beta, depth: c.depth };
  const abs = { alpha: Math.abs(c.alpha), beta: Math.abs(c.beta), depth: c.depth };
  const spectral = lcaSpectralLoss(spectralStatistics(stats), target, {
    ...params,
    alpha: c.alpha * (1 + alphaError),
  });
  const d = stats.task.dim;
  return spectralLossAgrees(
    stats,
    target,
    lcaPredict(stats, params),
    lcaPredict(absStats(stats), abs),
    c.depth * (d + 4) + d + 2,
    lcaMajorant(c.alpha, c.beta, c.depth),
    2 * c.depth + 2,
    spectral.loss,
  );
}

function deepLsaSpectralAgrees(c: Case, alphaError = 0): boolean {
  const stats = samplePromptStatistics(c.options);
  const target = stats.queryLabel;
  const params = { alpha: c.alpha, beta: c.beta, depth: c.depth };
  const abs = { alpha: Math.abs(c.alpha), beta: Math.abs(c.beta), depth: c.depth };
  const spectral = deepLsaSpectralLoss(spectralStatistics(stats), target, {
    ...params,
    alpha: c.alpha * (1 + alphaError),
  });
  const d = stats.task.dim;
  return spectralLossAgrees(
    stats,
    target,
    deepLsaPredict(stats, params),
    deepLsaPredict(absStats(stats), abs),
    c.depth * (5 * d + 8) + 2,
    // The deep-LSA recursion only adds and multiplies, so run on |alpha|, |beta| and t >= 0
    // it evaluates a majorant of c(t).
    (t) => deepLsaCoefficient(abs, t),
    8 * c.depth + 4,
    spectral.loss,
  );
}

Deno.test("token-level LCA equals the closed form x_q^T P_T(Sigma_hat) mu_hat", async (t) => {
  await t.step("one-parameter", () => {
    fc.assert(fc.property(caseArb(false), (c) => lcaAgrees(c, false)), fcParameters(200));
  });
  await t.step("two-parameter", () => {
    fc.assert(fc.property(caseArb(true), (c) => lcaAgrees(c, false)), fcParameters(200));
  });
  await t.step("without S_t", () => {
    fc.assert(fc.property(caseArb(true), (c) => lcaAgrees(c, true)), fcParameters(200));
  });
  await t.step("negative control: alpha off by 1e-6 relative is rejected", () => {
    const result = fc.check(
      fc.property(caseArb(true).filter((c) => c.alpha !== 0), (c) => lcaAgrees(c, false, 1e-6)),
      fcParameters(200),
    );
    assert.equal(result.failed, true);
  });
});

Deno.test("token-level deep LSA equals closed-form deepLsaPredict", async (t) => {
  await t.step("agreement", () => {
    fc.assert(fc.property(caseArb(true), (c) => deepLsaAgrees(c)), fcParameters(100));
  });
  await t.step("negative control: alpha off by 1e-6 relative is rejected", () => {
    const result = fc.check(
      fc.property(caseArb(true).filter((c) => c.alpha !== 0), (c) => deepLsaAgrees(c, 1e-6)),
      fcParameters(100),
    );
    assert.equal(result.failed, true);
  });
});

Deno.test("token-level full LSA equals lsaPredict", async (t) => {
  await t.step("agreement", () => {
    fc.assert(fc.property(lsaArb, (c) => lsaAgrees(c)), fcParameters(200));
  });
  await t.step("negative control: p_{d+1} off by 1e-6 is rejected", () => {
    const result = fc.check(fc.property(lsaArb, (c) => lsaAgrees(c, 1e-6)), fcParameters(200));
    assert.equal(result.failed, true);
  });
});

Deno.test("spectral losses equal the losses of the closed-form predictions", async (t) => {
  await t.step("LCA", () => {
    fc.assert(fc.property(caseArb(true), (c) => lcaSpectralAgrees(c)), fcParameters(200));
  });
  await t.step("deep LSA", () => {
    fc.assert(fc.property(caseArb(true), (c) => deepLsaSpectralAgrees(c)), fcParameters(200));
  });
  await t.step("negative control: a spectral loss at alpha (1 + 1e-4) is rejected", () => {
    const arb = caseArb(true).filter((c) => c.alpha !== 0);
    assert.equal(
      fc.check(fc.property(arb, (c) => lcaSpectralAgrees(c, 1e-4)), fcParameters(200)).failed,
      true,
    );
    assert.equal(
      fc.check(fc.property(arb, (c) => deepLsaSpectralAgrees(c, 1e-4)), fcParameters(200))
        .failed,
      true,
    );
  });
});
