import assert from "node:assert/strict";
import {
  empiricalTwoParameter,
  lossReached,
  twoParameterSandwich,
} from "./empirical_two_parameter.ts";
import {
  bayesTarget,
  samplePromptStatistics,
  spectralStatistics,
} from "../model/prompt_statistics.ts";
import type { SpectralStatistics } from "../model/prompt_statistics.ts";
import { twoParameterOptimum } from "../theory/two_parameter_optimum.ts";

// Exact arithmetic on doubles: every double is n 2^e with integer n, and sums and products
// of such numbers are exact in BigInt.
interface Dyadic {
  n: bigint;
  e: number;
}
const view = new DataView(new ArrayBuffer(8));
function dyadic(x: number): Dyadic {
  if (x === 0) return { n: 0n, e: 0 };
  view.setFloat64(0, x);
  const hi = view.getUint32(0), lo = view.getUint32(4);
  const exponent = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (exponent !== 0) mantissa |= 1n << 52n;
  const n = hi >>> 31 ? -mantissa : mantissa;
  return { n, e: exponent === 0 ? -1074 : exponent - 1075 };
}
const add = (a: Dyadic, b: Dyadic): Dyadic => {
  const e = Math.min(a.e, b.e);
  return { n: (a.n << BigInt(a.e - e)) + (b.n << BigInt(b.e - e)), e };
};
const mul = (a: Dyadic, b: Dyadic): Dyadic => ({ n: a.n * b.n, e: a.e + b.e });
const neg = (a: Dyadic): Dyadic => ({ n: -a.n, e: a.e });
const sign = (a: Dyadic) => (a.n > 0n ? 1 : a.n < 0n ? -1 : 0);
const abs = (a: Dyadic): Dyadic => ({ n: a.n < 0n ? -a.n : a.n, e: a.e });

/** N times the exact loss, sum_n (yhat_n - t_n)^2, from the same double inputs. */
function exactSumOfSquares(
  spectral: SpectralStatistics,
  target: ArrayLike<number>,
  depth: number,
  point: { alpha: number; beta: number },
): Dyadic {
  const alpha = dyadic(point.alpha), beta = dyadic(point.beta), one = dyadic(1);
  let sum: Dyadic = { n: 0n, e: 0 };
  for (let i = 0; i < spectral.prompts; i++) {
    let prediction: Dyadic = { n: 0n, e: 0 };
    for (let j = 0; j < spectral.dim; j++) {
      const u = add(one, mul(beta, dyadic(spectral.lambda[i * spectral.dim + j])));
      let g: Dyadic = { n: 0n, e: 0 }, power = one;
      for (let k = 0; k < depth; k++, power = mul(power, u)) g = add(g, power);
      prediction = add(
        prediction,
        mul(mul(dyadic(spectral.weight[i * spectral.dim + j]), alpha), g),
      );
    }
    const r = add(prediction, neg(dyadic(target[i])));
    sum = add(sum, mul(r, r));
  }
  return sum;
}

/** The documented bound, recomputed from its statement (TwoParameterSandwich.lossError). */
function documentedBound(
  spectral: SpectralStatistics,
  target: ArrayLike<number>,
  depth: number,
  point: { alpha: number; beta: number },
  loss: number,
  prediction: (i: number) => number,
): number {
  const u = Number.EPSILON / 2;
  const gamma = (m: number) => (m * u) / (1 - m * u);
  const n = spectral.prompts;
  let residualError = 0;
  for (let i = 0; i < n; i++) {
    let bound = 0;
    for (let j = 0; j < spectral.dim; j++) {
      const x = Math.abs(1 + point.beta * spectral.lambda[i * spectral.dim + j]);
      let powers = 0;
      for (let k = 0; k < depth; k++) powers += x ** k;
      bound += Math.abs(spectral.weight[i * spectral.dim + j] * point.alpha) * powers;
    }
    const r = Math.abs(prediction(i) - target[i]);
    const e = gamma(2 * depth + spectral.dim + 2) * bound + u * r;
    residualError += (2 * r * e + e * e) / n;
  }
  return residualError + gamma(n + 1) * (loss + residualError);
}

const LAW = { kind: "uniform", low: 0.5, high: 4 } as const;

Deno.test("twoParameterSandwich: lossError bounds the loss's rounding error (exact BigInt arithmetic) and is the documented bound", async (t) => {
  const stats = samplePromptStatistics({
    d1: 2,
    d2: 2,
    law: LAW,
    prompts: 64,
    context: 30,
    seed: 9,
  });
  const spectral = spectralStatistics(stats);
  for (const depth of [1, 2, 5]) {
    const best = twoParameterOptimum(LAW, depth);
    for (
      const [what, target, point] of [
        ["Bayes target, optimum", bayesTarget(stats), best],
        ["noisy labels, optimum", stats.queryLabel, best],
        ["Bayes target, beta = 0.3", bayesTarget(stats), { alpha: 0.4, beta: 0.3 }],
      ] as const
    ) {
      await t.step(`T=${depth}, ${what}`, () => {
        const sandwich = twoParameterSandwich(spectral, target, depth, point);
        const n = spectral.prompts;
        // |n loss - n exact| <= n lossError, all in exact arithmetic.
        const exact = exactSumOfSquares(spectral, target, depth, point);
        const error = abs(add(mul(dyadic(sandwich.loss), dyadic(n)), neg(exact)));
        const allowed = mul(dyadic(sandwich.lossError), dyadic(n));
        assert.ok(
          sign(add(allowed, neg(error))) >= 0,
          `error above the bound lossError ${sandwich.lossError}`,
        );
        assert.ok(
          sandwich.lossError > 0 && sandwich.lossError < 1e-10 * Math.max(sandwich.loss, 1e-12),
        );
        // The bound is the one documented (gamma_{2T+dim+2}, one rounding of the target,
        // gamma_{N+1} for the mean of squares), recomputed here from the statement.
        const predictions = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          let y = 0;
          for (let j = 0; j < spectral.dim; j++) {
            const x = 1 + point.beta * spectral.lambda[i * spectral.dim + j];
            let g = 0;
            for (let k = 0; k < depth; k++) g += x ** k;
            y += spectral.weight[i * spectral.dim + j] * point.alpha * g;
          }
          predictions[i] = y;
        }
        const bound = documentedBound(
          spectral,
          target,
          depth,
          point,
          sandwich.loss,
          (i) => predictions[i],
        );
        assert.ok(
          Math.abs(sandwich.lossError - bound) <= 1e-6 * bound,
          `lossError ${sandwich.lossError} vs the documented bound ${bound}`,
        );
        // The loss itself is the mean squared residual (to its bound).
        let mean = 0;
        for (let i = 0; i < n; i++) mean += (predictions[i] - target[i]) ** 2 / n;
        assert.ok(Math.abs(sandwich.loss - mean) <= 2 * sandwich.lossError + 1e-15 * mean);
      });
    }
  }
  // Control: the exact comparison is sharp enough to see a tenth of the bound's size.
  const target = bayesTarget(stats);
  const s = twoParameterSandwich(spectral, target, 2, twoParameterOptimum(LAW, 2));
  const exact = exactSumOfSquares(spectral, target, 2, twoParameterOptimum(LAW, 2));
  const shifted = mul(dyadic(s.loss + 10 * s.lossError), dyadic(spectral.prompts));
  const error = abs(add(shifted, neg(exact)));
  assert.ok(sign(add(mul(dyadic(s.lossError), dyadic(spectral.prompts)), neg(error))) < 0);
});

Deno.test("lossReached: a fit's loss may exceed the other's by both rounding bounds, not more", () => {
  // Losses near 2^-50 (ulp 2^-102), so that every sum below is exact in float64.
  const slack = 2 ** -60 + 2 ** -61;
  const small = { loss: 2 ** -50, lossError: 2 ** -60 };
  const at = (excess: number) => ({ loss: 2 ** -50 + excess, lossError: 2 ** -61 });
  assert.equal(lossReached(at(slack), small), true, "exactly at the slack");
  assert.equal(lossReached(at(slack + 2 ** -102), small), false, "just past the slack");
  assert.equal(lossReached(at(2 ** -61), small), true, "within one bound");
  assert.equal(lossReached(at(-slack), small), true);
  assert.equal(lossReached(at(-0.5 * small.loss), small), true);
  // Control: without the bounds the excess of one bound would fail.
  assert.equal(at(2 ** -61).loss <= small.loss, false);
});

Deno.test("empiricalTwoParameter: Gauss-Newton lowers the loss from its start; 0 iterations stay there", () => {
  const stats = samplePromptStatistics({
    d1: 2,
    d2: 2,
    law: LAW,
    prompts: 200,
    context: 30,
    seed: 5,
  });
  const spectral = spectralStatistics(stats);
  const target = bayesTarget(stats);
  const start = { alpha: 0.2, beta: -0.2 };
  const stayed = empiricalTwoParameter(spectral, target, 2, start, 0);
  assert.deepEqual([stayed.alpha, stayed.beta], [0.2, -0.2]);
  assert.deepEqual(stayed, { ...start, ...twoParameterSandwich(spectral, target, 2, start) });
  const fit = empiricalTwoParameter(spectral, target, 2, start);
  assert.ok(fit.loss < stayed.loss, `loss ${fit.loss} not below the start's ${stayed.loss}`);
  // The fit reaches the population optimum's empirical loss (it is the empirical minimiser).
  const atBest = twoParameterSandwich(spectral, target, 2, twoParameterOptimum(LAW, 2));
  assert.ok(lossReached(fit, atBest), `loss ${fit.loss} above the optimum's ${atBest.loss}`);
  assert.ok(fit.seAlpha > 0 && fit.seBeta > 0 && fit.seSum > 0);
});
