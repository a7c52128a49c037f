/**
 * The hand-derived gradient of the softmax loss against central differences in float64 (every
 * parameter, random prompts and parameters), with a control: the gradient without the softmax
 * Jacobian (attention weights held fixed) fails the same check.
 */
import assert from "node:assert/strict";
import { fc, fcParameters } from "../../testkit/config.ts";
import { samplePromptBatch } from "./task.ts";
import type { PromptBatch } from "./model_types.ts";
import { softmaxLoss, type SoftmaxLossAndGradient, tiedSoftmaxGradient } from "./softmax_loss.ts";
import {
  allocateSoftmaxTrace,
  type SoftmaxParameters,
  softmaxPromptForward,
  softmaxTokenPredict,
  tiedSoftmax,
} from "./softmax_models.ts";

/** Parameters as one flat vector (alphas, betas, taus) and back. */
const flatten = (
  p: SoftmaxParameters,
) => [...Array.from(p.alphas), ...Array.from(p.betas), ...Array.from(p.taus)];
const unflatten = (v: number[], T: number, centred: boolean): SoftmaxParameters => ({
  alphas: v.slice(0, T),
  betas: v.slice(T, 2 * T),
  taus: v.slice(2 * T),
  centred,
});

/**
 * Central differences of the loss in every parameter, by the five-point stencil
 * (8 [f(x + h) - f(x - h)] - [f(x + 2h) - f(x - 2h)]) / 12h with h = 1e-4 max(1, |x|): its
 * truncation error is h^4 f^(5) / 30 and its rounding error about eps |f| / h, both far below
 * 1e-7 of the gradient. The three-point stencil's h^2 f''' / 6 reached 2e-7 at tau = 0.05,
 * where beta / tau is 20 times beta.
 */
function centralDifferences(b: PromptBatch, target: Float64Array, p: SoftmaxParameters): number[] {
  const T = p.alphas.length, flat = flatten(p);
  const loss = (v: number[]) => softmaxLoss(b, target, unflatten(v, T, p.centred ?? false)).loss;
  const at = (i: number, shift: number) => {
    const moved = flat.slice();
    moved[i] += shift;
    return loss(moved);
  };
  return flat.map((x, i) => {
    const h = 1e-4 * Math.max(1, Math.abs(x));
    return (8 * (at(i, h) - at(i, -h)) - (at(i, 2 * h) - at(i, -2 * h))) / (12 * h);
  });
}

/** max_i |a_i - b_i| / max_i |b_i|. */
function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let error = 0, scale = 0;
  for (let i = 0; i < b.length; i++) {
    error = Math.max(error, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return error / scale;
}

const gradientOf = (g: SoftmaxLossAndGradient) => [...g.alphas, ...g.betas, ...g.taus];

const layer = (T: number, min: number, max: number) =>
  fc.array(fc.double({ min, max, noNaN: true }), { minLength: T, maxLength: T });
const cases = fc.record({
  seed: fc.integer({ min: 0, max: 10000 }),
  context: fc.integer({ min: 2, max: 16 }),
  d1: fc.integer({ min: 1, max: 3 }),
  d2: fc.integer({ min: 1, max: 2 }),
  params: fc.integer({ min: 1, max: 4 }).chain((T) =>
    fc.record({
      alphas: layer(T, 0, 0.5),
      betas: layer(T, -0.7, 0.3),
      taus: layer(T, 0.05, 2.5),
      centred: fc.boolean(),
    })
  ),
});

Deno.test("softmaxLoss: the hand-derived gradient equals central differences to 1e-7", () => {
  fc.assert(
    fc.property(cases, ({ seed, context, d1, d2, params }) => {
      const b = samplePromptBatch({ prompts: 3, context, seed, d1, d2 });
      const target = Float64Array.from(b.queryLabel);
      const exact = gradientOf(softmaxLoss(b, target, params));
      assert.ok(relativeError(exact, centralDifferences(b, target, params)) <= 1e-7);
    }),
    fcParameters(40),
  );
});

/**
 * The control: the gradient with the softmax weights p held fixed (the Jacobian term e_j
 * dropped), i.e. only the paths through alpha_t x_q and the factor beta_t / tau_t.
 */
function withoutSoftmaxJacobian(
  b: PromptBatch,
  target: Float64Array,
  p: SoftmaxParameters,
): number[] {
  const T = p.alphas.length, d = b.task.dim, c0 = p.centred ? 1 : 0;
  const tr = allocateSoftmaxTrace(T, b.context, d);
  const g3 = [new Array(T).fill(0), new Array(T).fill(0), new Array(T).fill(0)];
  for (let n = 0; n < b.prompts; n++) {
    const scale = 2 * (softmaxPromptForward(b, n, p, tr) - target[n]) / b.prompts;
    const g = Array.from(tr.mu, (m) => scale * m);
    for (let t = T - 1; t >= 0; t--) {
      let gx = 0, gd = 0;
      for (let c = 0; c < d; c++) {
        gx += g[c] * b.query[n * d + c];
        gd += g[c] * (tr.a[t * d + c] - c0 * tr.xBar[c]);
      }
      g3[0][t] += gx;
      g3[1][t] += gd / p.taus[t];
      g3[2][t] += -p.betas[t] * gd / p.taus[t] ** 2;
    }
  }
  return g3.flat();
}

Deno.test("softmaxLoss control: dropping the softmax Jacobian fails the central-difference check", () => {
  const b = samplePromptBatch({ prompts: 8, context: 16, seed: 4 });
  const target = Float64Array.from(b.queryLabel);
  for (const centred of [false, true]) {
    const p = {
      alphas: [0.3, 0.2, 0.25],
      betas: [-0.3, -0.4, -0.2],
      taus: [0.8, 0.5, 1.2],
      centred,
    };
    const numeric = centralDifferences(b, target, p);
    assert.ok(relativeError(gradientOf(softmaxLoss(b, target, p)), numeric) <= 1e-7);
    assert.ok(relativeError(withoutSoftmaxJacobian(b, target, p), numeric) > 1e-2);
  }
});

Deno.test("softmaxLoss: the loss of the predictions; tied sums are the shared parameters' gradient", () => {
  const b = samplePromptBatch({ prompts: 10, context: 24, seed: 9 });
  const target = Float64Array.from(b.queryLabel);
  const [alpha, beta, tau, T] = [0.3, -0.3, 0.5, 4];
  for (const centred of [false, true]) {
    const p = tiedSoftmax(alpha, beta, tau, T, centred);
    const predictions = softmaxTokenPredict(b, p);
    let loss = 0;
    predictions.forEach((y, n) => (loss += (y - target[n]) ** 2 / b.prompts));
    const r = softmaxLoss(b, target, p);
    assert.ok(Math.abs(r.loss - loss) <= 1e-14 * loss);
    const at = (v: number[]) =>
      softmaxLoss(b, target, tiedSoftmax(v[0], v[1], v[2], T, centred)).loss;
    const numeric = [alpha, beta, tau].map((x, i) => {
      const h = 1e-5, up = [alpha, beta, tau], down = [alpha, beta, tau];
      up[i] = x + h;
      down[i] = x - h;
      return (at(up) - at(down)) / (2 * h);
    });
    assert.ok(relativeError(tiedSoftmaxGradient(r), numeric) <= 1e-7);
  }
});

Deno.test("softmaxLoss refuses bad input, naming it", () => {
  const b = samplePromptBatch({ prompts: 2, context: 4, seed: 1 });
  const p = tiedSoftmax(0.3, -0.3, 0.5, 2);
  assert.throws(() => softmaxLoss(b, [1], p), /^RangeError: target must have length 2/);
  assert.throws(() => softmaxLoss(b, [1, 2], { ...p, taus: [1, 0] }), /^RangeError: taus/);
  assert.throws(() => softmaxLoss(null as never, [1, 2], p), /^TypeError: batch/);
});
