import assert from "node:assert/strict";
import { solveDense } from "../../testkit/dense_solve.ts";
import { samplePromptBatch } from "./task.ts";
import { bayesTarget, samplePromptStatistics, statisticsFromBatch } from "./prompt_statistics.ts";
import {
  bayesPredict,
  deepLsaPredict,
  lcaPredict,
  lcaWithoutSkipStreamPredict,
  lsaPredict,
  lsaReducedPredict,
  olsPredict,
  sampleMeanPredict,
} from "./predictors.ts";

/** Context rows X (L x d), labels y and query x_q of prompt n, from stored tokens. */
function prompt(batch: ReturnType<typeof samplePromptBatch>, n: number) {
  const d = batch.task.dim, L = batch.context;
  const X = Array.from(
    { length: L },
    (_, i) => [...batch.x.slice((n * L + i) * d, (n * L + i + 1) * d)],
  );
  const y = [...batch.y.slice(n * L, (n + 1) * L)];
  const xq = [...batch.query.slice(n * d, (n + 1) * d)];
  return { X, y, xq, d, L };
}

const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i], 0);

Deno.test("olsPredict: x_q^T (X^T X)^-1 X^T y for L > d, the minimum-norm fit for L < d", () => {
  for (const context of [3, 12]) {
    const batch = samplePromptBatch({ d1: 3, d2: 2, prompts: 4, context, seed: 5, sigma: 0.3 });
    const ols = olsPredict(statisticsFromBatch(batch));
    for (let n = 0; n < 4; n++) {
      const { X, y, xq, d, L } = prompt(batch, n);
      let expected: number;
      if (L > d) {
        const gram = Array.from(
          { length: d },
          (_, a) =>
            Array.from({ length: d }, (_, b) => X.reduce((s, row) => s + row[a] * row[b], 0)),
        );
        const rhs = Array.from(
          { length: d },
          (_, a) => X.reduce((s, row, i) => s + row[a] * y[i], 0),
        );
        expected = dot(xq, solveDense(gram, rhs));
      } else {
        // w = X^T (X X^T)^-1 y: the least-norm interpolant.
        const outer = X.map((r) => X.map((s) => dot(r, s)));
        const c = solveDense(outer, y);
        const w = Array.from(
          { length: d },
          (_, a) => X.reduce((s, row, i) => s + row[a] * c[i], 0),
        );
        expected = dot(xq, w);
      }
      assert.ok(
        Math.abs(ols[n] - expected) <= 1e-8 * Math.max(1, Math.abs(expected)),
        `L=${L}, prompt ${n}: ${ols[n]} vs ${expected}`,
      );
    }
  }
});

Deno.test("olsPredict: eigenvalues at or below d eps lambda_max are dropped, larger ones kept", () => {
  const stats = samplePromptStatistics({ d1: 1, d2: 1, prompts: 1, context: 50, seed: 2 });
  const at = (small: number) => {
    stats.sigmaHat.set([2, 0, 0, small]);
    stats.muHat.set([1, 3]);
    stats.query.set([0.5, 0.25]);
    return olsPredict(stats)[0];
  };
  const cutoff = 2 * Number.EPSILON * 2;
  assert.equal(at(0), 0.5 * 1 / 2); // the null direction contributes nothing (no 0/0, no 3/0)
  assert.equal(at(cutoff), 0.25);
  assert.equal(at(-1e-3), 0.25); // a negative eigenvalue (rounding of a PSD matrix) is dropped
  const kept = at(cutoff * 1.5);
  assert.ok(Math.abs(kept - (0.25 + 0.25 * 3 / (cutoff * 1.5))) <= 1e-6 * kept, `${kept}`);
  assert.ok(Math.abs(at(0.5) - (0.25 + 0.25 * 3 / 0.5)) <= 1e-15);
});

Deno.test("lsaReducedPredict: x_q^T Gamma mu_hat from the tokens, for a non-symmetric Gamma", () => {
  const batch = samplePromptBatch({ d1: 2, d2: 1, prompts: 3, context: 7, seed: 9 });
  const gamma = [0.3, -1.2, 0.5, 2.0, 0.1, -0.7, 0.9, 0.4, 1.5];
  const out = lsaReducedPredict(statisticsFromBatch(batch), gamma);
  for (let n = 0; n < 3; n++) {
    const { X, y, xq, d, L } = prompt(batch, n);
    const mu = Array.from(
      { length: d },
      (_, a) => X.reduce((s, row, i) => s + row[a] * y[i], 0) / L,
    );
    let expected = 0;
    for (let a = 0; a < d; a++) {
      for (let b = 0; b < d; b++) expected += xq[a] * gamma[a * d + b] * mu[b];
    }
    assert.ok(
      Math.abs(out[n] - expected) <= 1e-12 * (1 + Math.abs(expected)),
      `${out[n]} vs ${expected}`,
    );
  }
  assert.throws(() => lsaReducedPredict(statisticsFromBatch(batch), gamma.slice(1)), /gamma must/);
  assert.throws(
    () => lsaReducedPredict(statisticsFromBatch(batch), [...gamma.slice(1), NaN]),
    /gamma must contain only finite numbers, got NaN at index 8/,
  );
});

Deno.test("sampleMeanPredict and bayesPredict: the mean context label, and w^T x_q", () => {
  const batch = samplePromptBatch({ d1: 2, d2: 2, prompts: 3, context: 6, seed: 4 });
  const stats = statisticsFromBatch(batch);
  const mean = sampleMeanPredict(stats);
  for (let n = 0; n < 3; n++) {
    const { y } = prompt(batch, n);
    assert.ok(Math.abs(mean[n] - y.reduce((s, v) => s + v, 0) / 6) <= 1e-15);
  }
  mean[0] = 99; // a copy, not a view of the statistics
  assert.notEqual(stats.meanY[0], 99);
  assert.deepEqual(bayesPredict(stats), bayesTarget(stats));
  for (const predict of [sampleMeanPredict, bayesPredict, olsPredict]) {
    assert.throws(() => predict(null as never), /^TypeError: stats must be prompt statistics/);
  }
});

Deno.test("every predictor names the statistics it refuses", () => {
  const layer = { alpha: 0.2, beta: -0.1, depth: 2 };
  const lsa = { p: new Float64Array(5), k: new Float64Array(20) };
  const onStats: [string, (stats: never) => unknown][] = [
    ["lsaReducedPredict", (s) => lsaReducedPredict(s, new Float64Array(16))],
    ["lsaPredict", (s) => lsaPredict(s, lsa)],
    ["lcaPredict", (s) => lcaPredict(s, layer)],
    ["lcaWithoutSkipStreamPredict", (s) => lcaWithoutSkipStreamPredict(s, layer)],
    ["deepLsaPredict", (s) => deepLsaPredict(s, layer)],
  ];
  for (const [name, predict] of onStats) {
    assert.throws(
      () => predict(null as never),
      /^TypeError: stats must be prompt statistics/,
      name,
    );
  }
});
