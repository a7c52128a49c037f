import assert from "node:assert/strict";
import {
  centredLcaTokenPredict,
  LONG_CONTEXTS,
  rateFit,
  slopeRoundingBound,
} from "./c13_limit_parts.ts";
import { samplePromptBatch } from "../model/task.ts";
import { softmaxTokenPredict, tiedSoftmax } from "../model/softmax_models.ts";

/** Squared differences whose mean is exactly m_L (two prompts, m_L (1 -+ 1/2)). */
const exact = (m: (L: number) => number) =>
  LONG_CONTEXTS.map((L) => Float64Array.from([0.5 * m(L), 1.5 * m(L)]));

Deno.test("rateFit: m_L = a/L (1 + b/L) gives s = -1 within the bias bound; L^{-1/2} does not", () => {
  const fit = rateFit(LONG_CONTEXTS, exact((L) => (2 / L) * (1 + 6 / L)));
  assert.ok(Math.abs(fit.slope + 1) <= fit.bias + 1e-12, `${fit.slope} ${fit.bias}`);
  // k absorbs log(1 + 6/L) ~ 6/L - 18/L^2: below 6 over L >= 16.
  assert.ok(fit.bias < 0.05 && fit.k > 4 && fit.k < 6, `${fit.k}`);
  // Control: a rate L^{-1/2} is s = -1/2, far outside the bias bound.
  const half = rateFit(LONG_CONTEXTS, exact((L) => (2 / Math.sqrt(L)) * (1 + 6 / L)));
  assert.ok(Math.abs(half.slope + 0.5) <= half.bias + 1e-12);
  assert.ok(Math.abs(half.slope + 1) > 10 * half.bias);
});

Deno.test("sca-centred meets centred LCA linearly in tau; a wrong reference (beta = 0) does not", () => {
  const batch = samplePromptBatch({ prompts: 4, context: 32, seed: 3 });
  const reference = centredLcaTokenPredict(batch, 0.1, -0.1, 3);
  const gap = (tau: number, ref: Float64Array) => {
    const y = softmaxTokenPredict(batch, tiedSoftmax(0.1, -0.1, tau, 3, true));
    return Math.max(...y.map((v, n) => Math.abs(v - ref[n])));
  };
  const ratio = gap(1e-4, reference) / gap(1e-3, reference);
  assert.ok(Math.abs(ratio - 0.1) < 1e-3, `${ratio}`);
  // Control: LCA without its attention term (beta = 0) is O(1) away at every small tau.
  const wrong = centredLcaTokenPredict(batch, 0.1, 0, 3);
  assert.ok(gap(1e-4, wrong) / gap(1e-3, wrong) > 0.9);
});

Deno.test("slopeRoundingBound: squares moved within e_L move the slope within it; beyond, not", () => {
  const squares = exact((L) => 2 / L);
  const { slope, coefficients } = rateFit(LONG_CONTEXTS, squares);
  // e_L = 1% of m_L: the adverse moves are -e_L where c_i > 0 and +e_L where c_i < 0.
  const rounding = squares.map((sq) => 0.01 * (sq[0] + sq[1]) / 2);
  const bound = slopeRoundingBound(squares, rounding, coefficients);
  const moved = (k: number) =>
    rateFit(
      LONG_CONTEXTS,
      squares.map((sq, i) => sq.map((v) => v - Math.sign(coefficients[i]) * k * rounding[i])),
    ).slope;
  assert.ok(Math.abs(moved(1) - slope) <= bound, `${moved(1) - slope} vs ${bound}`);
  // First order, the bound is sum |c_i| e_i / m_i; the worst move attains most of it.
  assert.ok(Math.abs(moved(1) - slope) > 0.9 * bound);
  // Control: twice e_L leaves it.
  assert.ok(Math.abs(moved(2) - slope) > bound);
  // e_L >= m_L: no bound.
  assert.equal(slopeRoundingBound(squares, squares.map((sq) => sq[1]), coefficients), Infinity);
});
