import assert from "node:assert/strict";
import { gaussJacobi } from "./quadrature.ts";
import { gaussRuleOfJacobi, lanczosJacobi, logChristoffelSum } from "./lanczos_jacobi.ts";

Deno.test("lanczosJacobi: the Legendre recurrence from a Gauss-Legendre rule", () => {
  const { x, w } = gaussJacobi(60, 0, 0);
  const jacobi = lanczosJacobi(x, w, 40);
  assert.ok(Math.abs(jacobi.mass - 1) < 1e-14);
  for (let k = 1; k < 40; k++) {
    assert.ok(Math.abs(jacobi.offDiagonal[k - 1] ** 2 - k * k / (4 * k * k - 1)) < 1e-13, `b_${k}`);
    assert.ok(Math.abs(jacobi.diagonal[k]) < 1e-13, `a_${k}`);
  }
});

Deno.test("gaussRuleOfJacobi: reproduces the Gauss-Jacobi rule of the same weight", () => {
  const big = gaussJacobi(80, 0.5, -0.3);
  for (const n of [1, 5, 17]) {
    const rule = gaussRuleOfJacobi(lanczosJacobi(big.x, big.w, n));
    const direct = n >= 8 ? gaussJacobi(n, 0.5, -0.3) : undefined;
    if (direct !== undefined) {
      rule.nodes.forEach((node, i) => assert.ok(Math.abs(node - direct.x[i]) < 1e-13));
      rule.weights.forEach((weight, i) => assert.ok(Math.abs(weight - direct.w[i]) < 1e-13));
    }
    // An n-point Gauss rule integrates x^j exactly for j < 2n.
    for (let j = 0; j < 2 * n; j++) {
      let exact = 0, gauss = 0;
      big.x.forEach((v, i) => (exact += big.w[i] * v ** j));
      rule.nodes.forEach((v, i) => (gauss += rule.weights[i] * v ** j));
      assert.ok(Math.abs(exact - gauss) < 1e-13, `n=${n} j=${j}`);
    }
  }
});

Deno.test("logChristoffelSum: 1/K is the least sum_i w_i p(x_i)^2 with p(z) = 1 (deg < n)", () => {
  // Five points, n = 3 (degree 2): minimise over p(x) = 1 + c1 (x - z) + c2 (x - z)^2.
  const x = [0.1, 0.4, 0.5, 0.8, 1], w = [0.1, 0.3, 0.2, 0.25, 0.15], z = -0.7;
  const basis = (v: number) => [v - z, (v - z) ** 2];
  let g11 = 0, g12 = 0, g22 = 0, h1 = 0, h2 = 0, total = 0;
  x.forEach((v, i) => {
    const [b1, b2] = basis(v);
    g11 += w[i] * b1 * b1;
    g12 += w[i] * b1 * b2;
    g22 += w[i] * b2 * b2;
    h1 += w[i] * b1;
    h2 += w[i] * b2;
    total += w[i];
  });
  const det = g11 * g22 - g12 * g12;
  const c1 = -(g22 * h1 - g12 * h2) / det, c2 = -(g11 * h2 - g12 * h1) / det;
  // The least value itself, summed directly (total + c.h would cancel to 1e-12).
  let least = 0;
  x.forEach((v, i) => (least += w[i] * (1 + c1 * (v - z) + c2 * (v - z) ** 2) ** 2));
  assert.ok(Math.abs(least - (total + c1 * h1 + c2 * h2)) < 1e-14);
  const logK = logChristoffelSum(lanczosJacobi(x, w, 3), z);
  assert.ok(Math.abs(Math.exp(-logK) / least - 1) < 1e-12);
  // Far outside the support phi_k grows past 1e100: the rescaled sum stays finite and exact.
  const legendre = gaussJacobi(400, 0, 0);
  const jacobi = lanczosJacobi(legendre.x, legendre.w, 300);
  const far = logChristoffelSum(jacobi, -3);
  // phi_k(z) ~ |z + sqrt(z^2 - 1)|^k: log K ~ 2 n log(3 + sqrt 8) up to O(log n).
  assert.ok(Number.isFinite(far) && Math.abs(far / (600 * Math.log(3 + Math.sqrt(8))) - 1) < 0.01);
});

Deno.test("lanczosJacobi refuses bad input, naming the argument", () => {
  assert.throws(() => lanczosJacobi([0, 1], [0.5, 0.5], 3), /^RangeError: size must be at most/);
  assert.throws(() => lanczosJacobi([0, 1], [0.5, -0.5], 1), /^RangeError: weights must be >= 0/);
  assert.throws(() => lanczosJacobi([0, 1], [0.5], 1), /^RangeError: weights must have length 2/);
  assert.throws(
    () => lanczosJacobi([0, 1], [0, 0], 1),
    /^RangeError: weights must have a positive/,
  );
  assert.throws(() => lanczosJacobi([0, NaN], [1, 1], 1), /^RangeError: nodes must contain only/);
  assert.throws(() => lanczosJacobi([0, 1], [1, 1], 0), /^RangeError: size must be a positive/);
});
