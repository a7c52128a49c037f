import assert from "node:assert/strict";
import { lcaSpectralLoss } from "../model/losses.ts";
import { optimalDepthStep } from "../theory/optimal_depth_step.ts";
import {
  bayesTarget,
  samplePromptStatistics,
  type SpectralStatistics,
  spectralStatistics,
} from "../model/prompt_statistics.ts";
import { train, trainingTargets } from "./training.ts";
import { trainOnBackend } from "./training_backend.ts";
import { CpuBackend } from "../backends/cpu/cpu_backend.ts";
import type { TrainOptions } from "./train_options.ts";

const U = Number.EPSILON / 2;
const gamma = (k: number) => (k * U) / (1 - k * U);

/**
 * Independent 1-D search for the minimiser of the one-parameter empirical loss
 * l(alpha) = lcaSpectralLoss(alpha, -alpha): a grid over [0, 2/lambda_max] to find the basin,
 * then bisection on l'(alpha) = dl/dalpha - dl/dbeta. Returns the minimiser, the curvature
 * l'' there and an absolute evaluation of l' (for its rounding error).
 */
function searchAlpha(spectral: SpectralStatistics, target: Float64Array, depth: number) {
  const derivative = (alpha: number) => {
    const r = lcaSpectralLoss(spectral, target, { alpha, beta: -alpha, depth });
    return r.alpha - r.beta;
  };
  const loss = (alpha: number) =>
    lcaSpectralLoss(spectral, target, { alpha, beta: -alpha, depth }).loss;
  let lambdaMax = 0;
  for (const l of spectral.lambda) lambdaMax = Math.max(lambdaMax, l);
  const grid = 400, top = 2 / lambdaMax;
  let best = 0;
  for (let i = 1; i < grid; i++) if (loss((i * top) / grid) < loss((best * top) / grid)) best = i;
  let lo = (Math.max(0, best - 1) * top) / grid, hi = ((best + 1) * top) / grid;
  assert.ok(derivative(lo) < 0 && derivative(hi) > 0, "the grid did not bracket a minimum");
  for (let i = 0; i < 200; i++) {
    const mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break;
    if (derivative(mid) < 0) lo = mid;
    else hi = mid;
  }
  const alpha = 0.5 * (lo + hi);
  const h = 1e-5 * alpha;
  const curvature = (derivative(alpha + h) - derivative(alpha - h)) / (2 * h);
  const abs = lcaSpectralLoss(
    { ...spectral, weight: spectral.weight.map(Math.abs), lambda: spectral.lambda.map(Math.abs) },
    target.map((v) => -Math.abs(v)),
    { alpha, beta: alpha, depth },
  );
  return { alpha, curvature, derivative, gradientAbs: abs.alpha + abs.beta };
}

/**
 * |alpha_trained - alpha_ref| <= (|l'(alpha_trained)| + 2 err) / l'', with err = gamma_k times
 * the absolute evaluation of l' (the precision to which either side can locate the root);
 * the factor 2 allows l'' to vary over the tiny interval between the two.
 */
function assertMinimiser(options: TrainOptions, target: "label" | "bayes") {
  const result = train(options);
  assert.equal(result.target, target);
  assert.ok(result.parameters.model === "lca1");
  const alpha = result.parameters.lca.alpha;
  assert.equal(result.parameters.lca.beta, -alpha);
  const stats = samplePromptStatistics({
    ...options,
    prompts: options.prompts!,
    context: options.context!,
    seed: options.seed ?? 0,
    stream: 0,
  });
  const targets = target === "bayes" ? bayesTarget(stats) : stats.queryLabel;
  const ref = searchAlpha(spectralStatistics(stats), targets, options.depth!);
  const k = stats.prompts + 2 * options.depth! + stats.task.dim + 8;
  const tolerance = (2 * (Math.abs(ref.derivative(alpha)) + 2 * gamma(k) * ref.gradientAbs)) /
    ref.curvature;
  assert.ok(
    Math.abs(alpha - ref.alpha) <= tolerance,
    `trained alpha ${alpha}, 1-D search ${ref.alpha}, tolerance ${tolerance}`,
  );
  return { result, stats, ref };
}

Deno.test("train lca1 (T = 10, N = 2000, L = 100) reaches the minimiser of its empirical loss", () => {
  const { result, ref } = assertMinimiser(
    { model: "lca1", depth: 10, prompts: 2000, context: 100 },
    "label",
  );
  assert.ok(result.converged);
  // C10: at the paper's sizes the empirical minimiser is far below alpha* = 0.3077.
  assert.ok(ref.alpha > 0.05 && ref.alpha < 0.2, `alpha ${ref.alpha}`);
  assert.equal(result.testContext, 100);
});

Deno.test("train with target 'bayes' fits w^T x_q, not the labels", () => {
  const base = { model: "lca1" as const, depth: 6, prompts: 400, context: 40, seed: 3 };
  const { result } = assertMinimiser({ ...base, target: "bayes" }, "bayes");
  const label = train({ ...base, target: "label" });
  assert.notEqual(
    result.parameters.model === "lca1" && result.parameters.lca.alpha,
    label.parameters.model === "lca1" && label.parameters.lca.alpha,
  );
});

Deno.test("train with context Infinity uses the exact task statistics", () => {
  const options = {
    model: "lca1" as const,
    depth: 8,
    prompts: 300,
    context: Infinity,
    seed: 5,
    target: "bayes" as const,
  };
  const { result, stats } = assertMinimiser(options, "bayes");
  assert.equal(result.context, Infinity);
  assert.equal(result.testContext, Infinity);
  const d = stats.task.dim;
  for (let n = 0; n < stats.prompts; n++) {
    for (let a = 0; a < d; a++) {
      assert.equal(stats.muHat[n * d + a], stats.spike[n * d + a]);
      for (let b = 0; b < d; b++) {
        assert.equal(
          stats.sigmaHat[n * d * d + a * d + b],
          (a === b ? 1 : 0) + stats.spike[n * d + a] * stats.spike[n * d + b],
        );
      }
    }
  }
  // With exact statistics and the Bayes target the trained step is close to the population
  // optimum alpha_T = argmin E_T (0.2984 for T = 8 on uniform [0.5, 4]) up to prompt sampling.
  assert.ok(result.parameters.model === "lca1");
  assert.ok(Math.abs(result.parameters.lca.alpha - optimalDepthStep(stats.task.law, 8)) < 0.02);
});

Deno.test("train: every model returns finite results and a test excess", () => {
  for (const model of ["lca1", "lca2", "deep-lsa", "lsa"] as const) {
    const r = train({ model, depth: 3, prompts: 80, context: 20, steps: 50, testPrompts: 50 });
    assert.ok(Number.isFinite(r.trainLoss) && Number.isFinite(r.testRisk.mean), model);
    assert.ok(Number.isFinite(r.testExcess.mean), model);
    assert.equal(r.depth, model === "lsa" ? 1 : 3);
  }
});

Deno.test("train lsa: Levenberg-Marquardt (default) stops on its certificate at or below gradient descent's loss", () => {
  const base: TrainOptions = {
    model: "lsa",
    prompts: 300,
    context: 50,
    testPrompts: 20,
    lsaInits: 2,
    seed: 3,
  };
  const lm = train({ ...base, steps: 500 });
  assert.notEqual(lm.stop.reason, "step-cap", lm.stop.rule);
  assert.ok(lm.steps < 500, `${lm.steps} iterations`);
  // Plain gradient descent with a fixed step from the same starts, run far longer.
  const gd = train({ ...base, steps: 4000, learningRate: 0.05 });
  // Both start from the isotropic fit; LM's loss can only be lower, up to its rounding floor.
  const floor = 16 * Number.EPSILON * gd.trainLoss;
  assert.ok(lm.trainLoss <= gd.trainLoss + floor, `LM ${lm.trainLoss} vs GD ${gd.trainLoss}`);
  // Control: gradient descent cut to 20 steps is measurably above LM's loss.
  const short = train({ ...base, steps: 20, learningRate: 0.05 });
  assert.ok(short.trainLoss > lm.trainLoss + floor, `${short.trainLoss} vs ${lm.trainLoss}`);
});

Deno.test("trainingTargets: w^T x_q for 'bayes', a copy of y_q for 'label'", () => {
  const stats = samplePromptStatistics({ d1: 2, d2: 1, prompts: 300, context: 30, seed: 3 });
  assert.deepEqual(trainingTargets(stats, "bayes"), bayesTarget(stats));
  const labels = trainingTargets(stats, "label");
  assert.deepEqual(labels, stats.queryLabel);
  labels[0] += 1;
  assert.notEqual(labels[0], stats.queryLabel[0]);
});

Deno.test("train and trainOnBackend: over a budget is a RangeError naming the options, before any work", async () => {
  const started = performance.now();
  const refusals: [TrainOptions, RegExp][] = [
    [{ model: "lca1", steps: 1e7 }, /^training work steps 1e7 x prompts 2000 x d 4 x depth 10 = /],
    [{ model: "lca1", prompts: 1e8 }, /^prompts 1e8 and testPrompts 1000 need about .* GiB/],
    [
      { model: "lca1", testContext: 1e12, sampler: "tokens" },
      /testPrompts 1000 x \(testContext 1e12/,
    ],
    [{ model: "lsa", d1: 20, d2: 20 }, /^d1 \+ d2 must be at most 32 for model lsa/],
    [
      { model: "deep-lsa", depth: 2000 },
      /x 4 \(cost per layer\) = 1\.28e11 .*lower depth, prompts/,
    ],
  ];
  const backend = new CpuBackend();
  for (const [options, message] of refusals) {
    for (const run of [() => train(options), () => trainOnBackend(options, backend)]) {
      await assert.rejects(
        async () => await run(),
        (e: unknown) => e instanceof RangeError && message.test(e.message),
        JSON.stringify(options),
      );
    }
  }
  assert.ok(performance.now() - started < 2000, "refused before sampling or training");
  assert.throws(() => train({ model: "lca1", limits: "all" as never }), /^TypeError: limits must/);
});

Deno.test("train: d = 80 is within the budgets (slow, not refused); limits raise or lift a budget", () => {
  // d has no limit of its own: at small sizes d1 + d2 = 80 trains (the budgets scale with d).
  const wide = train({
    model: "lca1",
    d1: 40,
    d2: 40,
    prompts: 30,
    context: 90,
    steps: 5,
    testPrompts: 5,
  });
  assert.ok(Number.isFinite(wide.trainLoss));
  const long: TrainOptions = {
    model: "lca1",
    prompts: 20,
    context: 10,
    steps: 6e7,
    testPrompts: 2,
  };
  assert.throws(() => train(long), /steps 6e7 .* over the limit of 2e10/);
  // Controls: the same run with the training budget raised, or every budget lifted, is accepted
  // (it stops on its own rules long before 6e7 steps).
  assert.ok(train({ ...long, limits: { trainingWork: 1e12 } }).steps < 6e7);
  assert.ok(train({ ...long, limits: "none" }).steps < 6e7);
});
