/**
 * The exact statistics sampler (`src/model/wishart.ts`) against the token stream.
 *
 * 1. The map: (W, S) = (sum z z^T, sum z) of a prompt's own token Gaussians, pushed
 *    through `writeWishartStatistics`, gives the token statistics to rounding
 *    (|error| <= 4 gamma_{L+4} times the same sums of absolute values).
 * 2. The law of (W, S) for one increment of L tokens, against closed forms for
 *    z ~ N(0, I_p) i.i.d. (Isserlis / chi-square moments), to fourth order:
 *    E W_aa = L, E (W_aa - L)^2 = 2L, E (W_aa - L)^3 = 8L, E (W_aa - L)^4 = 12L^2 + 48L;
 *    E W_ab = 0, E W_ab^2 = L, E W_ab^3 = 0, E W_ab^4 = 3L^2 + 6L (a != b);
 *    E W_aa W_bb = L^2, E S_a^2 = L, E S_a^4 = 3L^2, E S_a^2 W_aa = L^2 + 2L,
 *    E S_a S_b W_ab = L. Both the Bartlett path (L - 1 >= p) and the outer-product path.
 * 3. End to end, over prompts: (Sigma_hat - Sigma) and (mu_hat - mu), standardised by
 *    their conditional standard deviations (Isserlis), have mean 0 and variance 1.
 * 4. Two-sample tests on the squared errors of OLS, LCA (T = 5, alpha*) and reduced
 *    LSA (gamma*) between the samplers, paired on the prompt (same task and query):
 *    |mean difference| <= z SE of the paired differences.
 *
 * Every check is a z-test with a Bonferroni-corrected Mills-ratio threshold (family
 * false-alarm probability 1e-6), and each has a control that makes it fail.
 *
 * @module
 */

import assert from "node:assert/strict";
import { fc, fcParameters } from "../testkit/config.ts";
import { CounterStream, StreamTag } from "../src/numeric/random.ts";
import { addWishartIncrement } from "../src/numeric/wishart_increment.ts";
import { writeWishartStatistics } from "../src/model/wishart.ts";
import { type PromptStatistics, samplePromptStatistics } from "../src/model/prompt_statistics.ts";
import { type SampleOptions, samplePromptBatch } from "../src/model/task.ts";
import { lcaPredict, lsaReducedPredict, olsPredict } from "../src/model/predictors.ts";
import { alphaStar } from "../src/theory/population.ts";
import { gammaStar } from "../src/theory/gamma_star.ts";
import { parseSpikeLaw } from "../src/model/law.ts";

const FAMILY_ALPHA = 1e-6;

/** The threshold z with 2 phi(z) / z = alpha (as in sampler_test.ts; bisection). */
function millsThreshold(alpha: number): number {
  const tail = (z: number) => (2 * Math.exp(-z * z / 2)) / (Math.sqrt(2 * Math.PI) * z);
  let lo = 1, hi = 40;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (tail(mid) > alpha) lo = mid;
    else hi = mid;
  }
  return hi;
}
const u = Number.EPSILON / 2;
const gammaN = (n: number) => n * u / (1 - n * u);

/** 1. The linear map, for the prompts of o; `sigmaScale` mis-scales sigma (the control). */
function mapMatches(o: SampleOptions, sigmaScale = 1): boolean {
  const batch = samplePromptBatch(o);
  const ref = samplePromptStatistics({ ...o, sampler: "tokens" });
  const d = batch.task.dim, p = d + 2, L = batch.context;
  const generator = new CounterStream({ seed: o.seed, stream: o.stream ?? 0 });
  const z = new Float64Array(p + 2), v = new Float64Array(p);
  const out: PromptStatistics = {
    ...ref,
    task: { ...ref.task, sigma: ref.task.sigma * sigmaScale },
    sigmaHat: new Float64Array(ref.sigmaHat.length),
    muHat: new Float64Array(ref.muHat.length),
    meanY: new Float64Array(ref.prompts),
    meanY2: new Float64Array(ref.prompts),
  };
  for (let n = 0; n < batch.prompts; n++) {
    const w = new Float64Array(p * p), sum = new Float64Array(p);
    const absX = new Float64Array(d * d), absXy = new Float64Array(d);
    for (let i = 0; i < L; i++) {
      // Token normals are (h, xi_1..xi_d, eps); the map's order is (h, eps, xi).
      generator.normals((o.promptOffset ?? 0) + n, i, StreamTag.token, d + 2, z);
      v[0] = z[0];
      v[1] = z[d + 1];
      for (let j = 0; j < d; j++) v[2 + j] = z[1 + j];
      for (let a = 0; a < p; a++) {
        sum[a] += v[a];
        for (let b = 0; b <= a; b++) w[a * p + b] += v[a] * v[b];
      }
      const x = batch.x.subarray((n * L + i) * d, (n * L + i + 1) * d), y = batch.y[n * L + i];
      for (let a = 0; a < d; a++) {
        absXy[a] += Math.abs(x[a] * y);
        for (let b = 0; b < d; b++) absX[a * d + b] += Math.abs(x[a] * x[b]);
      }
    }
    writeWishartStatistics(out, n, L, w, sum, p);
    // Both sides are sums of L products, regrouped: 4 gamma_{L + 4} of the absolute sums.
    const tol = 4 * gammaN(L + 4) + 0;
    for (let a = 0; a < d; a++) {
      const scaleMu = (absXy[a] + Math.abs(batch.spike[n * d + a]) * 4 * L) / L;
      if (!(Math.abs(out.muHat[n * d + a] - ref.muHat[n * d + a]) <= tol * scaleMu)) return false;
      for (let b = 0; b < d; b++) {
        const k = n * d * d + a * d + b;
        const scale = (absX[a * d + b] + 4 * L) / L;
        if (!(Math.abs(out.sigmaHat[k] - ref.sigmaHat[k]) <= tol * scale)) return false;
      }
    }
  }
  return true;
}

Deno.test("wishart map: (W, S) of the token Gaussians gives the token statistics", async (t) => {
  const arb = fc.record({
    d1: fc.integer({ min: 1, max: 3 }),
    d2: fc.integer({ min: 1, max: 3 }),
    sigma: fc.constantFrom(0.1, 0.5, 1),
    prompts: fc.integer({ min: 1, max: 3 }),
    context: fc.integer({ min: 1, max: 40 }),
    seed: fc.integer({ min: 0, max: 2 ** 40 }),
  });
  await t.step("agreement to rounding", () => {
    fc.assert(fc.property(arb, (o) => mapMatches(o)), fcParameters(40));
  });
  await t.step("negative control: sigma mis-scaled by 1 + 1e-9 is rejected", () => {
    const r = fc.check(fc.property(arb, (o) => mapMatches(o, 1 + 1e-9)), fcParameters(20));
    assert.equal(r.failed, true);
  });
});

type Draw = { w: Float64Array; sum: Float64Array };
type Drawer = (prompt: number, L: number, p: number) => Draw;

/** The sampler under test: one increment of L tokens. */
function wishartDrawer(seed: number): Drawer {
  const g = new CounterStream({ seed, stream: 0 });
  return (prompt, L, p) => {
    const w = new Float64Array(p * p), sum = new Float64Array(p);
    addWishartIncrement(
      g,
      prompt,
      0,
      L,
      p,
      w,
      sum,
      new Float64Array(p + Math.max(p * (p - 1) / 2, p * p)),
      new Float64Array((p + 1) * (p + 1)),
    );
    return { w, sum };
  };
}

/**
 * Controls: (W, S) summed over L tokens whose coordinates share a random scale with
 * scale^2 = 1/2 or 3/2 (variance 1, but fourth moments 1.25 times the Gaussian ones:
 * `heavy`), or over L + 1 Gaussian tokens (`extra`).
 */
function controlDrawer(seed: number, kind: "heavy" | "extra"): Drawer {
  const g = new CounterStream({ seed, stream: 9 });
  return (prompt, L, p) => {
    const w = new Float64Array(p * p), sum = new Float64Array(p), z = new Float64Array(p + 4);
    const count = kind === "extra" ? L + 1 : L;
    for (let i = 0; i < count; i++) {
      g.normals(prompt, i, StreamTag.token, p + 1, z);
      // Scale mixture with E[scale^2] = 1: scale^2 = 1/2 or 3/2 (kurtosis 3 * 1.25).
      const scale = kind === "heavy" ? Math.sqrt(z[p] > 0 ? 1.5 : 0.5) : 1;
      for (let a = 0; a < p; a++) {
        const za = z[a] * scale;
        sum[a] += za;
        for (let b = 0; b <= a; b++) w[a * p + b] += za * z[b] * scale;
      }
    }
    return { w, sum };
  };
}

const DRAWS = 20000;

/** z-scores of every fourth-order moment identity (2. above) over DRAWS draws. */
function momentZ(draw: Drawer, L: number, p: number): { worst: number; threshold: number } {
  const checks: { f: (x: Draw) => number; expected: number }[] = [];
  for (let a = 0; a < p; a++) {
    const aa = a * p + a;
    checks.push({ f: (x) => x.w[aa], expected: L });
    checks.push({ f: (x) => (x.w[aa] - L) ** 2, expected: 2 * L });
    checks.push({ f: (x) => (x.w[aa] - L) ** 3, expected: 8 * L });
    checks.push({ f: (x) => (x.w[aa] - L) ** 4, expected: 12 * L * L + 48 * L });
    checks.push({ f: (x) => x.sum[a] ** 2, expected: L });
    checks.push({ f: (x) => x.sum[a] ** 4, expected: 3 * L * L });
    checks.push({ f: (x) => x.sum[a] ** 2 * x.w[aa], expected: L * L + 2 * L });
    for (let b = 0; b < a; b++) {
      const ab = a * p + b, bb = b * p + b;
      checks.push({ f: (x) => x.w[ab], expected: 0 });
      checks.push({ f: (x) => x.w[ab] ** 2, expected: L });
      checks.push({ f: (x) => x.w[ab] ** 3, expected: 0 });
      checks.push({ f: (x) => x.w[ab] ** 4, expected: 3 * L * L + 6 * L });
      checks.push({ f: (x) => x.w[aa] * x.w[bb], expected: L * L });
      checks.push({ f: (x) => x.sum[a] * x.sum[b] * x.w[ab], expected: L });
    }
  }
  const s1 = new Float64Array(checks.length), s2 = new Float64Array(checks.length);
  for (let k = 0; k < DRAWS; k++) {
    const x = draw(k, L, p);
    checks.forEach((c, i) => {
      const v = c.f(x) - c.expected;
      s1[i] += v;
      s2[i] += v * v;
    });
  }
  let worst = 0;
  checks.forEach((_, i) => {
    const mean = s1[i] / DRAWS;
    const se = Math.sqrt((s2[i] / DRAWS - mean * mean) / DRAWS);
    worst = Math.max(worst, Math.abs(mean) / se);
  });
  // Three configurations, two seeds each (the controls reuse the threshold).
  return { worst, threshold: millsThreshold(FAMILY_ALPHA / (checks.length * 6)) };
}

Deno.test("wishart increments: moments of (W, S) to fourth order", async (t) => {
  // p = 4: L = 9 uses Bartlett (L - 1 >= p); L = 5 too, with chi^2 dof 4, 3, 2, 1 (the
  // last a Gamma(1/2), the boosted Marsaglia-Tsang path); L = 3 the outer-product path.
  for (const [L, p] of [[9, 4], [5, 4], [3, 4]]) {
    await t.step(`L = ${L}, p = ${p}: every identity within its z threshold`, () => {
      for (const seed of [1, 2]) {
        const { worst, threshold } = momentZ(wishartDrawer(seed * 7919 + L), L, p);
        assert.ok(worst <= threshold, `worst |z| = ${worst} > ${threshold}`);
      }
    });
  }
  await t.step("negative controls: heavy-tailed tokens and one token too many fail", () => {
    const heavy = momentZ(controlDrawer(3, "heavy"), 9, 4);
    assert.ok(heavy.worst > heavy.threshold, `heavy tails not detected: ${heavy.worst}`);
    const extra = momentZ(controlDrawer(3, "extra"), 9, 4);
    assert.ok(extra.worst > extra.threshold, `L + 1 tokens not detected: ${extra.worst}`);
  });
});

/** 3. Standardised residuals of Sigma_hat and mu_hat over prompts: mean 0, variance 1. */
function standardised(o: SampleOptions, claimedContext: number): number {
  const st = samplePromptStatistics({ ...o, sampler: "wishart" });
  const d = st.task.dim, L = claimedContext, vy = 1 + st.task.sigma ** 2;
  const r: number[][] = [];
  const push = (k: number, v: number) => {
    (r[k] ??= []).push(v);
  };
  for (let n = 0; n < st.prompts; n++) {
    const m = st.spike.subarray(n * d, (n + 1) * d);
    const S = (a: number, b: number) => (a === b ? 1 : 0) + m[a] * m[b];
    let k = 0;
    for (let a = 0; a < d; a++) {
      push(
        k++,
        (st.muHat[n * d + a] - m[a]) / Math.sqrt((S(a, a) * vy + m[a] ** 2) / L),
      );
      for (let b = 0; b <= a; b++) {
        const v = st.sigmaHat[n * d * d + a * d + b] - S(a, b);
        push(k++, v / Math.sqrt((S(a, a) * S(b, b) + S(a, b) ** 2) / L));
      }
    }
    push(k++, (st.meanY2[n] - vy) / Math.sqrt(2 * vy * vy / L));
    push(k++, st.meanY[n] / Math.sqrt(vy / L));
  }
  let worst = 0;
  for (const xs of r) {
    const N = xs.length;
    const mean = xs.reduce((s, v) => s + v, 0) / N;
    const m2 = xs.reduce((s, v) => s + v * v, 0) / N;
    const m4 = xs.reduce((s, v) => s + v ** 4, 0) / N;
    worst = Math.max(
      worst,
      Math.abs(mean) / Math.sqrt(m2 / N),
      Math.abs(m2 - 1) / Math.sqrt((m4 - m2 * m2) / N),
    );
  }
  return worst / millsThreshold(FAMILY_ALPHA / (2 * r.length * 2));
}

Deno.test("wishart statistics: standardised Sigma_hat and mu_hat residuals", async (t) => {
  const o = { d1: 2, d2: 1, prompts: 20000, context: 12, sigma: 0.5 };
  await t.step("mean 0 and variance 1 for every entry", () => {
    for (const seed of [11, 12]) {
      const ratio = standardised({ ...o, seed }, 12);
      assert.ok(ratio <= 1, `worst z / threshold = ${ratio}`);
    }
  });
  await t.step("negative control: standardising with L = 10 instead of 12 fails", () => {
    assert.ok(standardised({ ...o, seed: 11 }, 10) > 1);
  });
});

/** 4. Paired two-sample z of the OLS, LCA and LSA squared errors between the samplers. */
function riskZ(o: SampleOptions, wishartContext: number): number {
  const law = parseSpikeLaw("uniform", 0.5, 4);
  const tokens = samplePromptStatistics({ ...o, sampler: "tokens" });
  const wishart = samplePromptStatistics({ ...o, context: wishartContext, sampler: "wishart" });
  const predictors = [
    (s: PromptStatistics) => olsPredict(s),
    (s: PromptStatistics) => {
      const a = alphaStar(law);
      return lcaPredict(s, { alpha: a, beta: -a, depth: 5 });
    },
    (s: PromptStatistics) => {
      const d = s.task.dim, gamma = new Float64Array(d * d);
      for (let a = 0; a < d; a++) gamma[a * d + a] = gammaStar(law);
      return lsaReducedPredict(s, gamma);
    },
  ];
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
  return worst / millsThreshold(FAMILY_ALPHA / (3 * 2));
}

Deno.test("wishart vs tokens: OLS, LCA and LSA risks agree (paired two-sample z)", async (t) => {
  const o = { d1: 2, d2: 2, prompts: 6000, context: 12, sigma: 0.1 };
  await t.step("every risk within its z threshold", () => {
    for (const seed of [21, 22]) {
      const ratio = riskZ({ ...o, seed }, 12);
      assert.ok(ratio <= 1, `worst z / threshold = ${ratio}`);
    }
  });
  await t.step("negative control: the wishart sampler at L = 9 instead of 12 fails", () => {
    assert.ok(riskZ({ ...o, seed: 21 }, 9) > 1);
  });
});
