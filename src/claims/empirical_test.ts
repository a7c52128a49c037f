import assert from "node:assert/strict";
import { type EmpiricalAlpha, empiricalOneParameter, pairedStandardError } from "./empirical.ts";
import { samplePromptStatistics, spectralStatistics } from "../model/prompt_statistics.ts";
import { lcaPredict } from "../model/predictors.ts";
import { goldenMinimum } from "../../testkit/golden_section.ts";

// Finite context and the noisy query labels: the loss at the minimum is far from 0, and
// the per-prompt gradients vary, so the sandwich has something to measure.
const STATS = samplePromptStatistics({ prompts: 400, context: 20, seed: 3 });
const SPECTRAL = spectralStatistics(STATS);
const TARGET = STATS.queryLabel;
const N = STATS.prompts;
const DEPTH = 3;

/** Mean squared error of LCA(alpha, sign alpha), by the token-free predictor of predictors.ts. */
function loss(alpha: number, sign: number): number {
  const prediction = lcaPredict(STATS, { alpha, beta: sign * alpha, depth: DEPTH });
  let sum = 0;
  for (let n = 0; n < N; n++) sum += (prediction[n] - TARGET[n]) ** 2;
  return sum / N;
}

/** Per-prompt gradient of the squared error along (1, sign), by central differences. */
function promptGradients(alpha: number, sign: number): Float64Array {
  const h = 1e-6;
  const up = lcaPredict(STATS, { alpha: alpha + h, beta: sign * (alpha + h), depth: DEPTH });
  const down = lcaPredict(STATS, { alpha: alpha - h, beta: sign * (alpha - h), depth: DEPTH });
  const at = lcaPredict(STATS, { alpha, beta: sign * alpha, depth: DEPTH });
  return at.map((p, n) => 2 * (p - TARGET[n]) * (up[n] - down[n]) / (2 * h));
}

const sd = (v: ArrayLike<number>) => {
  const n = v.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += v[i];
  m /= n;
  let s = 0;
  for (let i = 0; i < n; i++) s += (v[i] - m) ** 2;
  return Math.sqrt(s / (n - 1));
};

for (const sign of [-1, 1]) {
  Deno.test(`empiricalOneParameter (W_V = ${sign} alpha): minimiser, loss, influence and sandwich against independent computations`, () => {
    const fit = empiricalOneParameter(SPECTRAL, TARGET, DEPTH, { valueSign: sign });
    assert.equal(fit.stop.reason, "converged");
    const golden = goldenMinimum((a) => loss(a, sign), -1, 1, 1e-10);
    // Golden section brackets the minimiser to 1e-10; the descent stops at |g| <= 1e-12.
    assert.ok(Math.abs(fit.alpha - golden) <= 1e-7, `${fit.alpha} vs golden section ${golden}`);
    assert.ok(Math.abs(fit.loss - loss(fit.alpha, sign)) <= 1e-12 * fit.loss);
    // Hessian of the mean loss by a second difference of the independent loss.
    const h = 1e-4;
    const hessian = (loss(fit.alpha + h, sign) - 2 * loss(fit.alpha, sign) +
      loss(fit.alpha - h, sign)) / (h * h);
    const grads = promptGradients(fit.alpha, sign);
    for (let n = 0; n < N; n++) {
      const psi = -grads[n] / hessian;
      assert.ok(
        Math.abs(fit.influence[n] - psi) <= 1e-5 * (Math.abs(psi) + sd(grads) / hessian),
        `influence[${n}] ${fit.influence[n]} vs -g_n/H ${psi}`,
      );
    }
    assert.equal(fit.influence.length, N);
    // The sandwich: sd(g) / (|H| sqrt(N)), which is sd(psi) / sqrt(N).
    const sandwich = sd(grads) / Math.abs(hessian) / Math.sqrt(N);
    assert.ok(
      Math.abs(fit.standardError - sandwich) <= 1e-5 * sandwich,
      `${fit.standardError} vs ${sandwich}`,
    );
    assert.ok(Math.abs(fit.standardError - sd(fit.influence) / Math.sqrt(N)) <= 1e-12);
  });
}

Deno.test("empiricalOneParameter: the two signs fit different parameters (control), steps caps the descent", () => {
  const model = empiricalOneParameter(SPECTRAL, TARGET, DEPTH);
  const flipped = empiricalOneParameter(SPECTRAL, TARGET, DEPTH, { valueSign: 1 });
  assert.ok(Math.abs(model.alpha - flipped.alpha) > 5 * model.standardError);
  assert.equal(
    model.alpha,
    empiricalOneParameter(SPECTRAL, TARGET, DEPTH, { valueSign: -1 }).alpha,
  );
  const short = empiricalOneParameter(SPECTRAL, TARGET, DEPTH, { steps: 1, alphaInit: 0.1 });
  assert.equal(short.steps, 1);
  assert.notEqual(short.stop.reason, "converged");
  assert.ok(model.steps > 1 && model.steps < 3000, `${model.steps} steps`);
  // Away from the minimum the mean gradient is not 0, and the sandwich centres the
  // per-prompt gradients on their mean (at the minimum, centring changes nothing).
  const grads = promptGradients(short.alpha, -1);
  const h = 1e-4;
  const hessian = (loss(short.alpha + h, -1) - 2 * loss(short.alpha, -1) +
    loss(short.alpha - h, -1)) / (h * h);
  const mean = grads.reduce((a, b) => a + b, 0) / N;
  assert.ok(Math.abs(mean) > 0.3 * sd(grads), "the short fit is off the minimum");
  const sandwich = sd(grads) / Math.abs(hessian) / Math.sqrt(N);
  assert.ok(
    Math.abs(short.standardError - sandwich) <= 1e-5 * sandwich,
    `${short.standardError} vs ${sandwich}`,
  );
});

const fitWith = (influence: number[]): EmpiricalAlpha => ({
  alpha: 0,
  standardError: 0,
  loss: 0,
  gradientNorm: 0,
  influence: new Float64Array(influence),
  steps: 0,
  stop: { reason: "converged", rule: "gradient" } as EmpiricalAlpha["stop"],
});

Deno.test("pairedStandardError: sd of the influence differences over sqrt(N), by hand", () => {
  // Differences 1, 2, 2, 3: mean 2, sample variance 2/3, se sqrt(2/3 / 4).
  const se = pairedStandardError(fitWith([1, 2, 3, 4]), fitWith([0, 0, 1, 1]));
  assert.ok(Math.abs(se - Math.sqrt(2 / 3 / 4)) <= 1e-15);
  // Shared noise cancels: the same influence shifted by a constant has se 0.
  assert.equal(pairedStandardError(fitWith([1, 5, -2]), fitWith([0, 4, -3])), 0);
  // Control: the unpaired sum would not cancel.
  assert.ok(pairedStandardError(fitWith([1, 5, -2]), fitWith([0, -4, 3])) > 1);
  assert.throws(
    () => pairedStandardError(fitWith([1, 2, 3]), fitWith([1, 2])),
    (e: unknown) =>
      e instanceof RangeError && e.message === "fits must share their prompts, got 3 and 2 prompts",
  );
});
