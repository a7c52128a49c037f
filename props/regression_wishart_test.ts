/**
 * The regression family's exact statistics sampler (`src/model/families/regression.ts`, the
 * `wishart` path) against its token stream, as `wishart_test.ts` does for the paper's family:
 *
 * 1. The map: (W, S) of a prompt's own token Gaussians z = (g, eps), pushed through
 *    `writeRegressionWishartStatistics`, gives the token statistics to rounding.
 * 2. Over prompts, Sigma_hat - Lambda, mu_hat - Lambda w and mean y^2 - v (v = w^T Lambda w +
 *    sigma^2), standardised by their conditional standard deviations (Isserlis:
 *    Var Sigma_ab = (Lambda_a Lambda_b + [a = b] Lambda_a^2)/L, Var mu_a = (Lambda_a v +
 *    (Lambda w)_a^2)/L, Var mean y^2 = 2 v^2 / L, Var mean y = v / L), have mean 0 and
 *    variance 1 (the variance test uses the fourth moment: the law to fourth order).
 * 3. Paired two-sample z on the squared errors of OLS and of the reduced LSA at E1's Gamma*.
 *
 * Every check is a Bonferroni z-test (family false alarm 1e-6) with a control that fails.
 *
 * @module
 */

import assert from "node:assert/strict";
import { fc, fcParameters } from "../testkit/config.ts";
import { CounterStream, StreamTag } from "../src/numeric/random.ts";
import {
  regressionCovariance,
  writeRegressionWishartStatistics,
} from "../src/model/families/regression.ts";
import { type PromptStatistics, samplePromptStatistics } from "../src/model/prompt_statistics.ts";
import type { SampleOptions } from "../src/model/task.ts";
import { lsaReducedPredict, olsPredict } from "../src/model/predictors.ts";
import { normalQuantile } from "../src/claims/margins.ts";

const FAMILY_ALPHA = 1e-6;
const u = Number.EPSILON / 2;
const gammaN = (n: number) => n * u / (1 - n * u);
/** Two-sided z threshold for `tests` simultaneous tests at family level FAMILY_ALPHA. */
const threshold = (tests: number) => normalQuantile(1 - FAMILY_ALPHA / (2 * tests));

type Setting = {
  covariance: number[];
  sigma: number;
  prompts: number;
  context: number;
  seed: number;
};
const options = (s: Setting, extra: Partial<SampleOptions> = {}): SampleOptions => ({
  family: "regression",
  ...s,
  ...extra,
});

/** 1. The map for the prompts of s; `sigmaScale` mis-scales sigma (the control). */
function mapMatches(s: Setting, sigmaScale = 1): boolean {
  const ref = samplePromptStatistics(options(s, { sampler: "tokens" }));
  const d = ref.task.dim, p = d + 1, L = s.context;
  const scale = Float64Array.from(s.covariance, Math.sqrt);
  const generator = new CounterStream({ seed: s.seed, stream: 0 });
  const z = new Float64Array(p + 3);
  const out: PromptStatistics = {
    ...ref,
    task: { ...ref.task, sigma: ref.task.sigma * sigmaScale },
    sigmaHat: new Float64Array(ref.sigmaHat.length),
    muHat: new Float64Array(ref.muHat.length),
    meanY: new Float64Array(ref.prompts),
    meanY2: new Float64Array(ref.prompts),
  };
  for (let n = 0; n < ref.prompts; n++) {
    const w = new Float64Array(p * p), sum = new Float64Array(p);
    let absY2 = 0;
    for (let i = 0; i < L; i++) {
      generator.normals(n, i, StreamTag.token, p, z);
      let y = 0;
      for (let a = 0; a < p; a++) {
        sum[a] += z[a];
        for (let b = 0; b <= a; b++) w[a * p + b] += z[a] * z[b];
      }
      for (let a = 0; a < d; a++) y += Math.abs(ref.spike[n * d + a] * scale[a] * z[a]);
      absY2 += (y + s.sigma * Math.abs(z[d])) ** 2;
    }
    writeRegressionWishartStatistics(out, n, L, w, sum, scale);
    // Both sides are sums of L products of at most d + 2 factors, regrouped: 4 gamma_{L + 2d + 4}
    // of the absolute sums (bounded by the y^2 sum and the Lambda-scaled |g|^2 sums).
    const tol = 4 * gammaN(L + 2 * d + 4);
    const bound = (absY2 + 1) * (1 + Math.max(...s.covariance)) * (1 + p) / L;
    if (!(Math.abs(out.meanY2[n] - ref.meanY2[n]) <= tol * bound)) return false;
    for (let a = 0; a < d; a++) {
      if (!(Math.abs(out.muHat[n * d + a] - ref.muHat[n * d + a]) <= tol * bound)) return false;
      for (let b = 0; b < d; b++) {
        const k = n * d * d + a * d + b;
        if (!(Math.abs(out.sigmaHat[k] - ref.sigmaHat[k]) <= tol * bound)) return false;
      }
    }
  }
  return true;
}

const settingArb: fc.Arbitrary<Setting> = fc.record({
  covariance: fc.array(fc.integer({ min: 1, max: 40 }).map((v) => v / 10), {
    minLength: 1,
    maxLength: 4,
  }),
  sigma: fc.constantFrom(0, 0.3, 1),
  prompts: fc.integer({ min: 1, max: 3 }),
  context: fc.integer({ min: 1, max: 30 }),
  seed: fc.integer({ min: 0, max: 2 ** 40 }),
});

Deno.test("regression wishart map: (W, S) of the token Gaussians gives the token statistics", async (t) => {
  await t.step("agreement to rounding", () => {
    fc.assert(fc.property(settingArb, (s) => mapMatches(s)), fcParameters(40));
  });
  await t.step("negative control: sigma mis-scaled by 1 + 1e-9 is rejected", () => {
    const withNoise = settingArb.filter((s) => s.sigma > 0);
    const r = fc.check(fc.property(withNoise, (s) => mapMatches(s, 1 + 1e-9)), fcParameters(20));
    assert.equal(r.failed, true);
  });
});

/** 2. Largest standardised |mean| or |variance - 1| over entries, over its threshold. */
function standardised(s: Setting, claimedContext: number): number {
  const st = samplePromptStatistics(options(s, { sampler: "wishart" }));
  const d = st.task.dim, L = claimedContext;
  const lambda = regressionCovariance(st.task);
  const r: number[][] = [];
  const push = (k: number, v: number) => {
    (r[k] ??= []).push(v);
  };
  for (let n = 0; n < st.prompts; n++) {
    const w = st.spike.subarray(n * d, (n + 1) * d);
    let v = s.sigma ** 2;
    for (let a = 0; a < d; a++) v += lambda[a] * w[a] ** 2;
    let k = 0;
    for (let a = 0; a < d; a++) {
      const mu = lambda[a] * w[a];
      push(k++, (st.muHat[n * d + a] - mu) / Math.sqrt((lambda[a] * v + mu * mu) / L));
      for (let b = 0; b <= a; b++) {
        const target = a === b ? lambda[a] : 0;
        const variance = (lambda[a] * lambda[b] + (a === b ? lambda[a] ** 2 : 0)) / L;
        push(k++, (st.sigmaHat[n * d * d + a * d + b] - target) / Math.sqrt(variance));
      }
    }
    push(k++, (st.meanY2[n] - v) / Math.sqrt(2 * v * v / L));
    push(k++, st.meanY[n] / Math.sqrt(v / L));
  }
  let worst = 0;
  for (const xs of r) {
    const N = xs.length;
    const mean = xs.reduce((a, x) => a + x, 0) / N;
    const m2 = xs.reduce((a, x) => a + x * x, 0) / N;
    const m4 = xs.reduce((a, x) => a + x ** 4, 0) / N;
    worst = Math.max(
      worst,
      Math.abs(mean) / Math.sqrt(m2 / N),
      Math.abs(m2 - 1) / Math.sqrt((m4 - m2 * m2) / N),
    );
  }
  return worst / threshold(2 * r.length * 2);
}

Deno.test("regression wishart statistics: standardised Sigma_hat, mu_hat, mean y^2 residuals", async (t) => {
  const s = { covariance: [3, 1, 0.25], sigma: 0.5, prompts: 20000, context: 9, seed: 0 };
  await t.step("mean 0 and variance 1 for every entry", () => {
    for (const seed of [31, 32]) {
      const ratio = standardised({ ...s, seed }, 9);
      assert.ok(ratio <= 1, `worst z / threshold = ${ratio}`);
    }
  });
  await t.step("negative control: standardising with L = 8 instead of 9 fails", () => {
    assert.ok(standardised({ ...s, seed: 31 }, 8) > 1);
  });
});

/** 3. Paired two-sample z of the OLS and reduced-LSA (E1's Gamma*) squared errors. */
function riskZ(s: Setting, wishartContext: number): number {
  const tokens = samplePromptStatistics(options(s, { sampler: "tokens" }));
  const wishart = samplePromptStatistics(
    options(s, { context: wishartContext, sampler: "wishart" }),
  );
  const d = tokens.task.dim, L = s.context;
  const lambda = regressionCovariance(tokens.task);
  const trace = lambda.reduce((a, x) => a + x, 0) + s.sigma ** 2;
  const gamma = new Float64Array(d * d);
  for (let a = 0; a < d; a++) gamma[a * d + a] = 1 / ((1 + 1 / L) * lambda[a] + trace / L);
  const predictors = [olsPredict, (st: PromptStatistics) => lsaReducedPredict(st, gamma)];
  let worst = 0;
  for (const predict of predictors) {
    const a = predict(tokens), b = predict(wishart);
    const N = tokens.prompts;
    let s1 = 0, s2 = 0;
    for (let n = 0; n < N; n++) {
      const diff = (a[n] - tokens.queryLabel[n]) ** 2 - (b[n] - wishart.queryLabel[n]) ** 2;
      s1 += diff;
      s2 += diff * diff;
    }
    const mean = s1 / N;
    worst = Math.max(worst, Math.abs(mean) / Math.sqrt((s2 / N - mean * mean) / N));
  }
  return worst / threshold(2);
}

Deno.test("regression wishart vs tokens: OLS and LSA risks agree (paired two-sample z)", async (t) => {
  const s = { covariance: [2, 1, 0.5], sigma: 0.3, prompts: 8000, context: 10, seed: 0 };
  await t.step("every risk within its z threshold", () => {
    for (const seed of [41, 42]) {
      const ratio = riskZ({ ...s, seed }, 10);
      assert.ok(ratio <= 1, `worst z / threshold = ${ratio}`);
    }
  });
  await t.step("negative control: the wishart sampler at L = 7 instead of 10 fails", () => {
    assert.ok(riskZ({ ...s, seed: 41 }, 7) > 1);
  });
});
