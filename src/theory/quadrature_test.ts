import assert from "node:assert/strict";
import {
  defaultNodeCount,
  expectation,
  gaussJacobi,
  golubWelschRule,
  jacobiMatrix,
  newtonRule,
  quadratureRule,
} from "./quadrature.ts";

/** E[u^k] for u ~ Beta(a, b): prod_{j<k} (a + j) / (a + b + j). */
function betaMoment(a: number, b: number, k: number): number {
  let m = 1;
  for (let j = 0; j < k; j++) m *= (a + j) / (a + b + j);
  return m;
}

Deno.test("gaussJacobi: exact for polynomials of degree 2n - 1, not 2n", () => {
  for (const [alpha, beta] of [[0, 0], [0.5, -0.5], [-0.5, -0.5], [3, 1], [-0.3, 2.5]]) {
    for (const n of [1, 2, 3, 5, 8]) {
      const { x, w } = gaussJacobi(n, alpha, beta);
      assert.equal(x.length, n);
      for (let i = 1; i < n; i++) assert.ok(x[i] > x[i - 1]);
      assert.ok(w.every((v) => v > 0));
      // u = (1 + x) / 2 ~ Beta(beta + 1, alpha + 1) under the normalised weight.
      const a = beta + 1, b = alpha + 1;
      for (let k = 0; k <= 2 * n; k++) {
        let q = 0;
        for (let i = 0; i < n; i++) q += w[i] * ((1 + x[i]) / 2) ** k;
        const exact = betaMoment(a, b, k);
        const error = Math.abs(q - exact);
        if (k <= 2 * n - 1) {
          assert.ok(error <= 64 * n * Number.EPSILON, `n=${n} (${alpha},${beta}) k=${k}: ${error}`);
        } else if (n <= 3) {
          // Degree 2n is not integrated exactly: the error is E[pi_n(u)^2] > 0 for the monic
          // orthogonal pi_n, far above rounding for small n (it shrinks like 16^-n).
          assert.ok(error > 1e3 * 64 * n * Number.EPSILON, `n=${n} k=${k} unexpectedly exact`);
        }
      }
    }
  }
});

Deno.test("quadratureRule: moments of uniform, Beta and point laws", () => {
  const low = 0.2, high = 3, width = high - low;
  for (const [a, b] of [[1, 1], [2, 5], [0.5, 0.5], [3.5, 1.2]]) {
    const law = a === 1 && b === 1
      ? { kind: "uniform" as const, low, high }
      : { kind: "beta" as const, a, b, low, high };
    const rule = quadratureRule(law, 32);
    let total = 0;
    for (const w of rule.weights) total += w;
    assert.ok(Math.abs(total - 1) <= 1e-14);
    assert.ok(rule.nodes.every((s) => s > low && s < high));
    for (let k = 1; k <= 6; k++) {
      // E[s^k] = sum_j C(k, j) low^(k-j) width^j E[u^j].
      let exact = 0, c = 1;
      for (let j = 0; j <= k; j++) {
        if (j > 0) c = c * (k - j + 1) / j;
        exact += c * low ** (k - j) * width ** j * betaMoment(a, b, j);
      }
      const q = expectation(rule, (s) => s ** k);
      assert.ok(Math.abs(q - exact) <= 1e-13 * exact, `(${a},${b}) k=${k}: ${q} vs ${exact}`);
    }
  }
  const point = quadratureRule({ kind: "point", value: 1.5 });
  assert.equal(expectation(point, (s) => s * s), 2.25);
});

Deno.test("defaultNodeCount: 256 + 2T, capped", () => {
  assert.equal(defaultNodeCount(), 258);
  assert.equal(defaultNodeCount(10), 276);
  assert.equal(defaultNodeCount(1e9), 8192);
});

Deno.test("gaussJacobi: Newton's nodes and Christoffel weights agree with Golub-Welsch", () => {
  // Both are backward stable: nodes within a few ulps of 1 (absolute, on [-1, 1]); the
  // Golub-Welsch weights carry an absolute error of order eps (squared first components),
  // so weights are compared where they exceed 1e-6 (relative 1e-9 then). Shapes cover the
  // claims' Beta(0.5..5, 0.5..5) laws (alpha, beta in [-0.5, 4]) and the Legendre rule.
  for (const n of [8, 41, 258, 1536]) {
    for (const [alpha, beta] of [[0, 0], [-0.5, 4], [4, -0.5], [1.7, 2.3], [-0.5, -0.5], [4, 4]]) {
      const m = jacobiMatrix(n, alpha, beta);
      const fast = newtonRule(m.d, m.e, alpha, beta);
      assert.ok(fast, `n=${n} (${alpha}, ${beta}): Newton fell back`);
      const copy = jacobiMatrix(n, alpha, beta);
      const reference = golubWelschRule(copy.d, copy.e);
      for (let i = 0; i < n; i++) {
        assert.ok(
          Math.abs(fast.x[i] - reference.x[i]) <= 32 * Number.EPSILON,
          `n=${n} (${alpha}, ${beta}) node ${i}: ${fast.x[i]} vs ${reference.x[i]}`,
        );
        if (reference.w[i] > 1e-6) {
          assert.ok(Math.abs(fast.w[i] / reference.w[i] - 1) <= 1e-9, `weight ${i}`);
        }
      }
      // Exact moments of u = (1 + x)/2 ~ Beta(beta + 1, alpha + 1) up to degree 40.
      for (let k = 0; k <= Math.min(40, 2 * n - 1); k += 3) {
        let q = 0;
        for (let i = 0; i < n; i++) q += fast.w[i] * ((1 + fast.x[i]) / 2) ** k;
        const exact = betaMoment(beta + 1, alpha + 1, k);
        assert.ok(Math.abs(q - exact) <= 64 * n * Number.EPSILON * exact + 1e-300, `k=${k}`);
      }
    }
  }
});

Deno.test("gaussJacobi: Newton falls back to Golub-Welsch where its start fails, never wrong", () => {
  // alpha = 25: the asymptotic starting points are too far for Newton near x = 1; the
  // rule must come from Golub-Welsch (and still be exact). Control: a recurrence with one
  // wrong coefficient moves Newton's nodes (the comparison is not vacuous).
  const m = jacobiMatrix(300, 25, 2);
  assert.equal(newtonRule(m.d, m.e, 25, 2), null);
  const { x, w } = gaussJacobi(300, 25, 2);
  let mean = 0;
  for (let i = 0; i < 300; i++) mean += w[i] * (1 + x[i]) / 2;
  assert.ok(Math.abs(mean - betaMoment(3, 26, 1)) <= 1e-13, `mean ${mean}`);
  const wrong = jacobiMatrix(258, 1, 1);
  wrong.d[100] += 1e-6;
  const moved = newtonRule(wrong.d, wrong.e, 1, 1);
  const right = jacobiMatrix(258, 1, 1);
  const good = newtonRule(right.d, right.e, 1, 1)!;
  assert.ok(!moved || moved.x.some((v, i) => Math.abs(v - good.x[i]) > 1e-9));
});
