import assert from "node:assert/strict";
import { solveDense } from "../../props/dense_solve.ts";
import { fitReducedWithErrors } from "./_regression.ts";
import { samplePromptStatistics } from "../model/statistics.ts";

Deno.test("fitReducedWithErrors: HC3 sandwich standard errors, recomputed independently", () => {
  // Features phi_n = x_q (x) mu_hat, Gamma_hat by the normal equations, leverages
  // h_n = phi_n^T G^{-1} phi_n and SE_i^2 = [G^{-1} (sum r_n^2 / (1 - h_n)^2 phi phi^T) G^{-1}]_ii,
  // here by explicit inverse columns. Control: the plain (HC0) sandwich is smaller, by more
  // than the tolerance, so the weights are not a no-op.
  const stats = samplePromptStatistics({
    family: "regression",
    covariance: [0.25, 1],
    sigma: 0.3,
    prompts: 60,
    context: 6,
    seed: 4,
  });
  const d = 2, f = 4, N = stats.prompts;
  const phi = Array.from({ length: N }, (_, n) => {
    const row: number[] = [];
    for (let a = 0; a < d; a++) {
      for (let b = 0; b < d; b++) row.push(stats.query[n * d + a] * stats.muHat[n * d + b]);
    }
    return row;
  });
  const gram = Array.from(
    { length: f },
    (_, i) => Array.from({ length: f }, (_, j) => phi.reduce((s, p) => s + p[i] * p[j], 0)),
  );
  const rhs = Array.from(
    { length: f },
    (_, i) => phi.reduce((s, p, n) => s + p[i] * stats.queryLabel[n], 0),
  );
  const gamma = solveDense(gram, rhs);
  const inverse = Array.from(
    { length: f },
    (_, j) => solveDense(gram, Array.from({ length: f }, (_, i) => (i === j ? 1 : 0))),
  );
  const se = (hc3: boolean) => {
    const meat = Array.from({ length: f }, () => new Array(f).fill(0));
    phi.forEach((p, n) => {
      const r = p.reduce((s, v, i) => s + v * gamma[i], 0) - stats.queryLabel[n];
      let h = 0;
      for (let i = 0; i < f; i++) for (let j = 0; j < f; j++) h += p[i] * inverse[j][i] * p[j];
      const w = hc3 ? 1 / (1 - Math.min(h, 0.5)) ** 2 : 1;
      for (let i = 0; i < f; i++) for (let j = 0; j < f; j++) meat[i][j] += w * r * r * p[i] * p[j];
    });
    return Array.from({ length: f }, (_, i) => {
      let v = 0;
      for (let a = 0; a < f; a++) {
        for (let b = 0; b < f; b++) v += inverse[a][i] * meat[a][b] * inverse[b][i];
      }
      return Math.sqrt(v);
    });
  };
  const fit = fitReducedWithErrors(stats, stats.queryLabel);
  const hc3 = se(true), hc0 = se(false);
  for (let i = 0; i < f; i++) {
    assert.ok(Math.abs(fit.gamma[i] - gamma[i]) <= 1e-9 * Math.abs(gamma[i]), `gamma ${i}`);
    assert.ok(Math.abs(fit.standardError[i] / hc3[i] - 1) <= 1e-9, `SE ${i}`);
    assert.ok(hc3[i] / hc0[i] - 1 > 1e-3, `control: HC3 above HC0 at ${i}`);
  }
});
