/**
 * Exact gradients agree with central finite differences (lcaSpectralLoss, lcaTokenLoss,
 * deepLsaSpectralLoss, lsaLoss, lcaExcessWithDerivatives with its Hessian), and the
 * token-level LCA gradient equals the spectral one.
 *
 * Tolerance of a central difference D(h) = (f(x+h) - f(x-h)) / 2h (`centralDifference`):
 * truncation h^2/6 |f'''| (f''' estimated by a five-point third difference), rounding
 * gamma_k fAbs / h, plus gamma_k gAbs for the analytic derivative; fAbs and gAbs are the
 * loss and gradient evaluated on absolute values of every input (targets negated so that
 * the residual pred - target adds absolute values), and k is the depth of the loss's
 * expression tree: the N-term sum over prompts plus the per-prompt depth.
 *
 * @module
 */

import assert from "node:assert/strict";
import { fc, fcParameters } from "../testkit/config.ts";
import {
  absBatch,
  absStats,
  centralDifference,
  eigenBackwardError,
  gamma,
  lcaMajorant,
  norm2,
  paramArb,
  sampleArb,
  spectralPathBound,
} from "./arbitraries_test.ts";
import {
  deepLsaSpectralLoss,
  lcaSpectralLoss,
  lcaTokenLoss,
  type LossAndGradient,
  lsaLoss,
} from "../src/model/losses.ts";
import { parseSpikeLaw } from "../src/model/law.ts";
import type { LcaParameters } from "../src/model/models.ts";
import { lcaExcessWithDerivatives } from "../src/theory/lca_excess.ts";
import { lcaPredict } from "../src/model/predictors.ts";
import { quadratureRule } from "../src/theory/quadrature.ts";
import {
  type SpectralStatistics,
  spectralStatistics,
  statisticsFromBatch,
} from "../src/model/prompt_statistics.ts";
import { type SampleOptions, samplePromptBatch } from "../src/model/task.ts";

type Case = { options: SampleOptions; alpha: number; beta: number; depth: number };

const caseArb: fc.Arbitrary<Case> = fc.record({
  options: sampleArb(4, 1, 8),
  alpha: paramArb(-0.5, 0.5),
  beta: paramArb(-0.5, 0.2),
  depth: fc.integer({ min: 1, max: 5 }),
});

const absSpectral = (s: SpectralStatistics): SpectralStatistics => ({
  ...s,
  lambda: s.lambda.map(Math.abs),
  weight: s.weight.map(Math.abs),
});
const negAbs = (t: Float64Array) => t.map((v) => -Math.abs(v));

type Loss = (alpha: number, beta: number) => LossAndGradient;

/** Checks both partial derivatives of a two-parameter loss; `wrong` scales the analytic ones. */
function checkTwoParameter(
  loss: Loss,
  absLoss: LossAndGradient,
  c: Case,
  k: number,
  wrong = 1,
): boolean {
  const at = loss(c.alpha, c.beta);
  const da = centralDifference(
    (a) => loss(a, c.beta).loss,
    c.alpha,
    at.alpha * wrong,
    absLoss.loss,
    absLoss.alpha,
    k,
  );
  const db = centralDifference(
    (b) => loss(c.alpha, b).loss,
    c.beta,
    at.beta * wrong,
    absLoss.loss,
    absLoss.beta,
    k,
  );
  return da.error <= da.tolerance && db.error <= db.tolerance;
}

function lcaSpectralFd(c: Case, wrong = 1): boolean {
  const stats = statisticsFromBatch(samplePromptBatch(c.options));
  const spectral = spectralStatistics(stats);
  const target = stats.queryLabel;
  const loss: Loss = (alpha, beta) =>
    lcaSpectralLoss(spectral, target, { alpha, beta, depth: c.depth });
  const abs = lcaSpectralLoss(absSpectral(spectral), negAbs(target), {
    alpha: Math.abs(c.alpha),
    beta: Math.abs(c.beta),
    depth: c.depth,
  });
  const k = stats.prompts + 2 * c.depth + stats.task.dim + 8;
  return checkTwoParameter(loss, abs, c, k, wrong);
}

function lcaTokenFd(c: Case, wrong = 1): boolean {
  const batch = samplePromptBatch(c.options);
  const target = batch.queryLabel;
  const loss: Loss = (alpha, beta) => lcaTokenLoss(batch, target, { alpha, beta, depth: c.depth });
  const abs = lcaTokenLoss(absBatch(batch), negAbs(target), {
    alpha: Math.abs(c.alpha),
    beta: Math.abs(c.beta),
    depth: c.depth,
  });
  const d = batch.task.dim, L = batch.context;
  const k = batch.prompts + c.depth * (2 * d + L + 8) + d + L + 8;
  return checkTwoParameter(loss, abs, c, k, wrong);
}

function deepLsaSpectralFd(c: Case, wrong = 1): boolean {
  const stats = statisticsFromBatch(samplePromptBatch(c.options));
  const spectral = spectralStatistics(stats);
  const target = stats.queryLabel;
  const loss: Loss = (alpha, beta) =>
    deepLsaSpectralLoss(spectral, target, { alpha, beta, depth: c.depth });
  const abs = deepLsaSpectralLoss(absSpectral(spectral), negAbs(target), {
    alpha: Math.abs(c.alpha),
    beta: Math.abs(c.beta),
    depth: c.depth,
  });
  const k = stats.prompts + 12 * c.depth + stats.task.dim + 8;
  return checkTwoParameter(loss, abs, c, k, wrong);
}

const lsaArb = fc.record({
  options: sampleArb(4, 1, 8),
  theta: fc.array(paramArb(-1, 1), { minLength: 49, maxLength: 49 }),
  direction: fc.array(paramArb(-1, 1), { minLength: 49, maxLength: 49 }),
});

/** Directional derivative of lsaLoss along a random direction u. */
function lsaFd(
  c: { options: SampleOptions; theta: number[]; direction: number[] },
  wrong = 1,
): boolean {
  const stats = statisticsFromBatch(samplePromptBatch(c.options));
  const d = stats.task.dim, e = d + 1;
  const size = e + e * d;
  const theta = Float64Array.from(c.theta.slice(0, size));
  const u = Float64Array.from(c.direction.slice(0, size));
  const split = (v: Float64Array) => ({ p: v.subarray(0, e), k: v.subarray(e) });
  const target = stats.queryLabel;
  const f = (t: number) => lsaLoss(stats, target, split(theta.map((v, i) => v + t * u[i]))).loss;
  const at = lsaLoss(stats, target, split(theta));
  let g = 0;
  for (let i = 0; i < e; i++) g += at.p[i] * u[i];
  for (let i = 0; i < e * d; i++) g += at.k[i] * u[e + i];
  const abs = lsaLoss(absStats(stats), negAbs(target), split(theta.map(Math.abs)));
  let gAbs = 0;
  for (let i = 0; i < e; i++) gAbs += abs.p[i] * Math.abs(u[i]);
  for (let i = 0; i < e * d; i++) gAbs += abs.k[i] * Math.abs(u[e + i]);
  // theta + t u itself rounds: one more relative error u per parameter, folded into k.
  const r = centralDifference(f, 0, g * wrong, abs.loss, gAbs, stats.prompts + 3 * e + 12);
  return r.error <= r.tolerance;
}

type PopulationCase = { law: string; mMin: number; mMax: number } & Case;

const populationArb: fc.Arbitrary<PopulationCase> = fc.record({
  options: fc.constant({ prompts: 1, context: 1, seed: 0 }),
  law: fc.oneof(
    fc.constant("uniform"),
    fc.tuple(fc.integer({ min: 50, max: 500 }), fc.integer({ min: 50, max: 500 })).map(
      ([a, b]) => `beta:${a / 100}:${b / 100}`,
    ),
  ),
  mMin: fc.integer({ min: 0, max: 200 }).map((v) => v / 100),
  width: fc.integer({ min: 10, max: 400 }).map((v) => v / 100),
  alpha: paramArb(0.05, 0.6),
  // beta = 0 itself is drawn often: E_T is a polynomial in beta, smooth through 0, and the
  // central difference there evaluates at beta = +-h, a regime an implementation can get wrong.
  beta: fc.oneof(paramArb(-0.6, 0), fc.constant(0)),
  onePar: fc.boolean(),
  depth: fc.integer({ min: 1, max: 12 }),
}).map(({ width, onePar, ...c }) => ({
  ...c,
  mMax: c.mMin + width,
  beta: onePar ? -c.alpha : c.beta,
}));

/**
 * Absolute evaluations of E_T, its gradient and Hessian over the same quadrature rule:
 * with G_j(s) = sum_{k<T} k^(j) (1 + |beta| (1+s))^(k-j) (falling powers), |c| <= |alpha| G_0,
 * |c_alpha| <= G_0, |c_beta| <= |alpha| (1+s) G_1, |c_ab| <= (1+s) G_1,
 * |c_bb| <= |alpha| (1+s)^2 G_2 and |residual| <= |c| + 1/(1+s).
 */
function populationAbs(c: PopulationCase, nodes: number) {
  const law = parseSpikeLaw(c.law, c.mMin, c.mMax);
  const rule = quadratureRule(law, nodes);
  const a = Math.abs(c.alpha), b = Math.abs(c.beta);
  let value = 0, ga = 0, gb = 0, haa = 0, hab = 0, hbb = 0;
  for (let i = 0; i < rule.nodes.length; i++) {
    const s = rule.nodes[i];
    const u = 1 + b * (1 + s);
    let g0 = 0, g1 = 0, g2 = 0;
    for (let k = 0; k < c.depth; k++) {
      g0 += u ** k;
      if (k >= 1) g1 += k * u ** (k - 1);
      if (k >= 2) g2 += k * (k - 1) * u ** (k - 2);
    }
    const w = rule.weights[i] * s * (1 + s);
    const res = a * g0 + 1 / (1 + s);
    const cA = g0, cB = a * (1 + s) * g1, cAB = (1 + s) * g1, cBB = a * (1 + s) ** 2 * g2;
    value += w * res * res;
    ga += 2 * w * res * cA;
    gb += 2 * w * res * cB;
    haa += 2 * w * cA * cA;
    hab += 2 * w * (cA * cB + res * cAB);
    hbb += 2 * w * (cB * cB + res * cBB);
  }
  return { value, ga, gb, haa, hab, hbb };
}

function populationFd(c: PopulationCase, wrong = 1): boolean {
  const law = parseSpikeLaw(c.law, c.mMin, c.mMax);
  const nodes = 64;
  const at = (alpha: number, beta: number) =>
    lcaExcessWithDerivatives(law, { alpha, beta, depth: c.depth }, { nodes });
  const abs = populationAbs(c, nodes);
  const k = nodes + 4 * c.depth + 16;
  const here = at(c.alpha, c.beta);
  const checks = [
    centralDifference(
      (a) => at(a, c.beta).value,
      c.alpha,
      here.gradient[0] * wrong,
      abs.value,
      abs.ga,
      k,
    ),
    centralDifference(
      (b) => at(c.alpha, b).value,
      c.beta,
      here.gradient[1] * wrong,
      abs.value,
      abs.gb,
      k,
    ),
    centralDifference(
      (a) => at(a, c.beta).gradient[0],
      c.alpha,
      here.hessian[0][0] * wrong,
      abs.ga,
      abs.haa,
      k,
    ),
    centralDifference(
      (b) => at(c.alpha, b).gradient[0],
      c.beta,
      here.hessian[0][1] * wrong,
      abs.ga,
      abs.hab,
      k,
    ),
    centralDifference(
      (a) => at(a, c.beta).gradient[1],
      c.alpha,
      here.hessian[1][0] * wrong,
      abs.gb,
      abs.hab,
      k,
    ),
    centralDifference(
      (b) => at(c.alpha, b).gradient[1],
      c.beta,
      here.hessian[1][1] * wrong,
      abs.gb,
      abs.hbb,
      k,
    ),
  ];
  return checks.every((r) => r.error <= r.tolerance);
}

/**
 * Token-level gradient vs spectral gradient on the same prompts. Token side: gamma_k times
 * its absolute evaluation. Spectral side: `statisticsFromBatch` perturbs Sigma_hat by at most
 * gamma_{L+2} |Sigma_hat|abs (Frobenius) and mu_hat by gamma_{L+2} |mu_hat|abs, after which the
 * spectral path is exact for a nearby matrix (`spectralPathBound`) for the prediction
 * (phi = c), d pred / d alpha (phi = c / alpha) and d pred / d beta
 * (phi = alpha t sum k (1 + beta t)^(k-1)). With b, bD those bounds, 2 r D moves by at most
 * 2 ((|r| + b) bD + (|D| + bD) b), averaged over prompts, plus gamma_{N+3} of the sums.
 */
function tokenEqualsSpectral(c: Case, betaError = 0): boolean {
  const batch = samplePromptBatch(c.options);
  const stats = statisticsFromBatch(batch);
  const statsAbs = statisticsFromBatch(absBatch(batch));
  const target = batch.queryLabel;
  const params: LcaParameters = { alpha: c.alpha, beta: c.beta, depth: c.depth };
  const absParams = { alpha: Math.abs(c.alpha), beta: Math.abs(c.beta), depth: c.depth };
  const token = lcaTokenLoss(batch, target, params);
  const tokenAbs = lcaTokenLoss(absBatch(batch), negAbs(target), absParams);
  const spectral = lcaSpectralLoss(spectralStatistics(stats), target, {
    ...params,
    beta: c.beta + betaError,
  });
  const d = batch.task.dim, L = batch.context, N = batch.prompts, T = c.depth;
  const kToken = N + T * (2 * d + L + 8) + d + L + 8;
  const predictions = lcaPredict(stats, params);
  const predictionsAbs = lcaPredict(absStats(stats), absParams);
  const majorantP = lcaMajorant(c.alpha, c.beta, T);
  const majorantA = lcaMajorant(1, c.beta, T);
  const majorantB = (t: number) => {
    let s = 0;
    for (let k = 1; k < T; k++) s += k * (1 + Math.abs(c.beta) * t) ** (k - 1);
    return Math.abs(c.alpha) * t * s;
  };
  let slackA = 0, slackB = 0, sumA = 0, sumB = 0;
  for (let n = 0; n < N; n++) {
    const eig = eigenBackwardError(stats.sigmaHat, n, d);
    const extraE = gamma(L + 2) * norm2(statsAbs.sigmaHat, n * d * d, d * d);
    const common = {
      xNorm: norm2(stats.query, n * d, d),
      muNorm: norm2(stats.muHat, n * d, d),
      e: eig.e + extraE,
      delta: eig.delta,
      lambdaAbs: eig.lambdaAbs,
      d,
      kPhi: 2 * T + 4,
      extraMu: gamma(L + 2) * norm2(statsAbs.muHat, n * d, d),
    };
    const b = spectralPathBound({ ...common, majorant: majorantP });
    const bA = spectralPathBound({ ...common, majorant: majorantA });
    const bB = spectralPathBound({ ...common, majorant: majorantB });
    const big = (eig.lambdaAbs + common.e) * (1 + eig.delta);
    const scale = common.xNorm * (common.muNorm + common.extraMu) * (1 + eig.delta) ** 2;
    const dA = scale * majorantA(big), dB = scale * majorantB(big);
    // |r| of the spectral path: the closed-form residual plus both paths' errors.
    const r = Math.abs(predictions[n] - target[n]) +
      gamma(T * (d + 4) + d + 4) * predictionsAbs[n] +
      b;
    slackA += 2 * ((r + b) * bA + (dA + bA) * b);
    slackB += 2 * ((r + b) * bB + (dB + bB) * b);
    sumA += 2 * r * dA;
    sumB += 2 * r * dB;
  }
  const tolA = gamma(kToken) * tokenAbs.alpha + slackA / N + gamma(N + 3) * sumA / N;
  const tolB = gamma(kToken) * tokenAbs.beta + slackB / N + gamma(N + 3) * sumB / N;
  return Math.abs(token.alpha - spectral.alpha) <= tolA &&
    Math.abs(token.beta - spectral.beta) <= tolB;
}

Deno.test("loss gradients agree with central finite differences", async (t) => {
  await t.step("lcaSpectralLoss", () => {
    fc.assert(fc.property(caseArb, (c) => lcaSpectralFd(c)), fcParameters(100));
  });
  await t.step("lcaTokenLoss", () => {
    fc.assert(fc.property(caseArb, (c) => lcaTokenFd(c)), fcParameters(60));
  });
  await t.step("deepLsaSpectralLoss", () => {
    fc.assert(fc.property(caseArb, (c) => deepLsaSpectralFd(c)), fcParameters(100));
  });
  await t.step("lsaLoss (directional derivative along a random direction)", () => {
    fc.assert(fc.property(lsaArb, (c) => lsaFd(c)), fcParameters(100));
  });
  await t.step("negative control: a gradient off by 1e-3 relative is rejected", () => {
    const nonzero = caseArb.filter((c) => {
      const stats = statisticsFromBatch(samplePromptBatch(c.options));
      const g = lcaSpectralLoss(spectralStatistics(stats), stats.queryLabel, c);
      return Math.abs(g.alpha) > 1e-6 && Math.abs(g.beta) > 1e-6;
    });
    for (const check of [lcaSpectralFd, lcaTokenFd, deepLsaSpectralFd]) {
      const r = fc.check(fc.property(nonzero, (c) => check(c, 1 + 1e-3)), fcParameters(60));
      assert.equal(r.failed, true);
    }
    const r = fc.check(fc.property(lsaArb, (c) => lsaFd(c, 1 + 1e-3)), fcParameters(60));
    assert.equal(r.failed, true);
  });
});

Deno.test("lcaExcessWithDerivatives: gradient and Hessian agree with finite differences", async (t) => {
  await t.step("agreement", () => {
    fc.assert(fc.property(populationArb, (c) => populationFd(c)), fcParameters(60));
  });
  await t.step("negative control: derivatives off by 1e-3 relative are rejected", () => {
    const r = fc.check(
      fc.property(populationArb, (c) => populationFd(c, 1 + 1e-3)),
      fcParameters(60),
    );
    assert.equal(r.failed, true);
  });
});

Deno.test("token-level LCA gradient equals the spectral gradient", async (t) => {
  await t.step("agreement", () => {
    fc.assert(fc.property(caseArb, (c) => tokenEqualsSpectral(c)), fcParameters(100));
  });
  await t.step("negative control: spectral gradient at beta + 1e-5 is rejected", () => {
    const r = fc.check(
      fc.property(caseArb, (c) => tokenEqualsSpectral(c, 1e-5)),
      fcParameters(100),
    );
    assert.equal(r.failed, true);
  });
});
