import assert from "node:assert/strict";
import fc from "npm:fast-check@^4";
import { lsaPredict, lsaReducedPredict } from "../model/predictors.ts";
import { samplePromptStatistics } from "../model/prompt_statistics.ts";
import type { PromptStatistics } from "../model/prompt_statistics.ts";
import { schedulePredict } from "../model/schedule_models.ts";
import { lsaFromGamma } from "../model/models.ts";
import { fcParameters } from "../../testkit/config.ts";
import {
  excessRoundingTerm,
  lsaForwardBound,
  scheduleForwardBound,
} from "./float32_forward_bound.ts";

const f = Math.fround;

/**
 * The kernel `scheduleStatisticsKernelWgsl` emulated on the host: every operation rounded to
 * float32 (an fma as a multiply and an add, the model's worst case); `input` rounds the inputs.
 */
function emulateSchedule(
  stats: PromptStatistics,
  alphas: number[],
  betas: number[],
  input: (v: number) => number = f,
): Float64Array {
  const d = stats.task.dim;
  const out = new Float64Array(stats.prompts);
  for (let n = 0; n < stats.prompts; n++) {
    let q = new Array<number>(d).fill(0);
    for (let t = 0; t < alphas.length; t++) {
      const alpha = f(alphas[t]), beta = f(betas[t]);
      q = q.map((qa, a) => {
        let sum = 0;
        for (let b = 0; b < d; b++) sum = f(sum + f(f(stats.sigmaHat[(n * d + a) * d + b]) * q[b]));
        return f(qa + f(f(alpha * input(stats.query[n * d + a])) + f(beta * sum)));
      });
    }
    let pred = 0;
    for (let b = 0; b < d; b++) pred = f(pred + f(q[b] * f(stats.muHat[n * d + b])));
    out[n] = pred;
  }
  return out;
}

/** `lsaStatisticsKernelWgsl` emulated on the host (reduced LSA: p = e_{d+1}, K = [Gamma^T; 0]). */
function emulateLsa(stats: PromptStatistics, p: Float64Array, k: Float64Array): Float64Array {
  const d = stats.task.dim;
  const out = new Float64Array(stats.prompts);
  for (let n = 0; n < stats.prompts; n++) {
    const x = (c: number) => f(stats.query[n * d + c]),
      mu = (c: number) => f(stats.muHat[n * d + c]);
    const kx = Array.from({ length: d + 1 }, (_, r) => {
      let sum = 0;
      for (let c = 0; c < d; c++) sum = f(sum + f(f(k[r * d + c]) * x(c)));
      return sum;
    });
    let pred = 0;
    for (let r = 0; r < d; r++) {
      let g = f(mu(r) * kx[d]);
      for (let c = 0; c < d; c++) g = f(g + f(f(stats.sigmaHat[(n * d + r) * d + c]) * kx[c]));
      pred = f(pred + f(f(p[r]) * g));
    }
    let last = f(f(stats.meanY2[n]) * kx[d]);
    for (let c = 0; c < d; c++) last = f(last + f(mu(c) * kx[c]));
    out[n] = f(pred + f(f(p[d]) * last));
  }
  return out;
}

/** Worst |emulated - exact| / bound over the prompts. */
function worstRatio(emulated: Float64Array, exact: Float64Array, bound: Float64Array): number {
  let worst = 0;
  emulated.forEach((v, n) => worst = Math.max(worst, Math.abs(v - exact[n]) / bound[n]));
  return worst;
}

const settings = fc.record({
  seed: fc.nat(1000),
  depth: fc.integer({ min: 1, max: 60 }),
  alpha: fc.double({ min: 0.05, max: 0.6, noNaN: true }),
  context: fc.constantFrom(Infinity, 8, 40),
});

Deno.test("scheduleForwardBound bounds a float32 emulation of the statistics kernel", () => {
  fc.assert(
    fc.property(settings, ({ seed, depth, alpha, context }) => {
      const stats = samplePromptStatistics({ prompts: 20, context, seed });
      const alphas = new Array<number>(depth).fill(alpha), betas = alphas.map((a) => -a);
      const exact = schedulePredict(stats, { alphas, betas });
      const bound = scheduleForwardBound(stats, alphas, betas);
      assert.ok(worstRatio(emulateSchedule(stats, alphas, betas), exact, bound) <= 1);
    }),
    fcParameters(30),
  );
});

Deno.test("control: a query stored with 2^-10 relative error (half precision) breaks the float32 bound", () => {
  const stats = samplePromptStatistics({ prompts: 20, context: Infinity, seed: 3 });
  const alphas = [0.3, 0.3, 0.3], betas = [-0.3, -0.3, -0.3];
  const coarse = (v: number) => f(v * (1 + 2 ** -10));
  const ratio = worstRatio(
    emulateSchedule(stats, alphas, betas, coarse),
    schedulePredict(stats, { alphas, betas }),
    scheduleForwardBound(stats, alphas, betas),
  );
  assert.ok(ratio > 1, `the bound also covers a 2^-10 input error (ratio ${ratio})`);
});

Deno.test("lsaForwardBound bounds a float32 emulation of the LSA kernel, full and reduced", () => {
  fc.assert(
    fc.property(fc.nat(1000), fc.double({ min: -2, max: 2, noNaN: true }), (seed, gamma) => {
      const stats = samplePromptStatistics({ prompts: 20, context: 30, seed });
      const d = stats.task.dim;
      const full = lsaFromGamma(gamma, d);
      full.p[0] = gamma / 3; // a non-trivial first row of G too
      const exact = lsaPredict(stats, full);
      assert.ok(
        worstRatio(emulateLsa(stats, full.p, full.k), exact, lsaForwardBound(stats, full)) <= 1,
      );
      const identity = new Float64Array(d * d).map((_, i) => i % (d + 1) === 0 ? gamma : 0);
      const reduced = lsaReducedPredict(stats, identity);
      const asFull = lsaFromGamma(gamma, d);
      const ratio = worstRatio(
        emulateLsa(stats, asFull.p, asFull.k),
        reduced,
        lsaForwardBound(stats, asFull),
      );
      assert.ok(ratio <= 1);
    }),
    fcParameters(30),
  );
});

Deno.test("excessRoundingTerm: the excess of perturbed predictions moves by at most the term", () => {
  const predictions = [0.5, -1, 2], labels = [0, 0, 1], bound = [1e-3, 2e-3, 1e-3];
  const excess = (p: number[]) => p.reduce((s, v, n) => s + (v - labels[n]) ** 2, 0) / p.length;
  const term = excessRoundingTerm(predictions, labels, bound);
  for (const sign of [-1, 1]) {
    const moved = predictions.map((v, n) => v + sign * bound[n]);
    assert.ok(Math.abs(excess(moved) - excess(predictions)) <= term);
  }
  // Control: twice the bound moves it by more than the term.
  const far = predictions.map((v, n) => v + 2 * bound[n] * Math.sign(v - labels[n]));
  assert.ok(Math.abs(excess(far) - excess(predictions)) > term);
});
