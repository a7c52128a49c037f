import assert from "node:assert/strict";
import { fc, fcParameters } from "../../testkit/config.ts";
import { bayesTarget, samplePromptStatistics, spectralStatistics } from "./prompt_statistics.ts";
import { lcaSpectralLoss } from "./losses.ts";
import { scheduleLoss } from "./schedule_loss.ts";
import { type ScheduleParameters, schedulePredict, tiedSchedule } from "./schedule_models.ts";

const stats = samplePromptStatistics({ prompts: 12, context: 24, seed: 7, sigma: 0.2 });
const target = bayesTarget(stats);

/** Central differences of the loss in every parameter (alphas, then betas when given). */
function centralDifferences(params: ScheduleParameters, h = 1e-5): number[] {
  const alphas = Array.from(params.alphas);
  const betas = params.betas === undefined ? undefined : Array.from(params.betas);
  const flat = [...alphas, ...(betas ?? [])];
  const loss = (x: number[]) => {
    const p = betas === undefined
      ? { alphas: x }
      : { alphas: x.slice(0, alphas.length), betas: x.slice(alphas.length) };
    return scheduleLoss(stats, target, p).loss;
  };
  return flat.map((_, i) => {
    const up = flat.slice(), down = flat.slice();
    up[i] += h;
    down[i] -= h;
    return (loss(up) - loss(down)) / (2 * h);
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

const steps = (T: number) =>
  fc.array(fc.double({ min: 0.05, max: 0.5, noNaN: true }), { minLength: T, maxLength: T });
const schedules = fc.integer({ min: 1, max: 6 }).chain((T) =>
  fc.oneof(
    fc.record({ alphas: steps(T) }),
    fc.record({ alphas: steps(T), betas: steps(T).map((b) => b.map((v) => -v)) }),
  )
);

Deno.test("scheduleLoss: the adjoint gradient equals central differences to 1e-7", () => {
  fc.assert(
    fc.property(schedules, (params: ScheduleParameters) => {
      const exact = scheduleLoss(stats, target, params);
      const gradient = [...exact.alphas, ...(exact.betas ?? [])];
      assert.equal(exact.betas === undefined, params.betas === undefined);
      assert.ok(relativeError(gradient, centralDifferences(params)) <= 1e-7);
    }),
    fcParameters(30),
  );
  // Control: for lca-schedule the partial derivative in alpha_t alone (beta_t held fixed) is
  // not the gradient; the check above tells it apart.
  const params = { alphas: [0.4, 0.3, 0.2] };
  const partial = scheduleLoss(stats, target, { ...params, betas: [-0.4, -0.3, -0.2] }).alphas;
  assert.ok(relativeError(partial, centralDifferences(params)) > 1e-3);
  // beta_1 acts on q_0 = 0: its derivative is exactly 0.
  assert.equal(
    scheduleLoss(stats, target, { alphas: [0.3, 0.2], betas: [-0.3, -0.2] }).betas![0],
    0,
  );
});

Deno.test("scheduleLoss: the loss of the predictions; tied sums are the tied model's gradient", () => {
  const params = { alphas: [0.5, 0.35, 0.25, 0.2] };
  const predictions = schedulePredict(stats, params);
  let loss = 0;
  predictions.forEach((y, n) => (loss += (y - target[n]) ** 2 / stats.prompts));
  assert.ok(Math.abs(scheduleLoss(stats, target, params).loss - loss) <= 1e-15 * loss);
  // With (alpha, beta) in every layer, sum_t d/d alpha_t and sum_t d/d beta_t are the tied
  // gradient (lcaSpectralLoss, another implementation on the eigendecomposition).
  const [alpha, beta, depth] = [0.3, -0.25, 5];
  const schedule = scheduleLoss(stats, target, tiedSchedule(alpha, depth, beta));
  const tied = lcaSpectralLoss(spectralStatistics(stats), target, { alpha, beta, depth });
  const sum = (v: ArrayLike<number>) => Array.from(v).reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(schedule.loss - tied.loss) <= 1e-12 * tied.loss);
  assert.ok(Math.abs(sum(schedule.alphas) - tied.alpha) <= 1e-10 * Math.abs(tied.alpha));
  assert.ok(Math.abs(sum(schedule.betas!) - tied.beta) <= 1e-10 * Math.abs(tied.beta));
});

Deno.test("scheduleLoss refuses bad input, naming it", () => {
  assert.throws(
    () => scheduleLoss(stats, [1, 2], { alphas: [0.3] }),
    /^RangeError: target must have length 12/,
  );
  assert.throws(() => scheduleLoss(stats, target, { alphas: [] }), /^RangeError: alphas/);
  assert.throws(
    () => scheduleLoss(null as never, target, { alphas: [0.3] }),
    /^TypeError: stats must be/,
  );
});
