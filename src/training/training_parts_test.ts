/**
 * The parts of `train` one at a time: option resolution, the prompts' streams, initial values,
 * objectives (against finite differences), the fitted-model predictions and the summary.
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  bayesTarget,
  samplePromptStatistics,
  spectralStatistics,
} from "../model/prompt_statistics.ts";
import {
  bayesPredict,
  deepLsaPredict,
  lcaPredict,
  lsaPredict,
  lsaReducedPredict,
} from "../model/predictors.ts";
import { untiedPredict } from "../model/untied.ts";
import { deepLsaSpectralLoss, lsaLoss } from "../model/losses.ts";
import { lsaFromGamma } from "../model/models.ts";
import { trainUntied } from "./untied_training.ts";
import { bayesRisk } from "../theory/population.ts";
import {
  descentOptions,
  empiricalBestAlpha,
  type Fit,
  fitOnStatistics,
  fitReducedLsa,
  lcaInitial,
  lcaObjective,
  predictFitted,
  resolveTrain,
  splitLsa,
  summarizeTraining,
  testSample,
  train,
  TRAIN_DEFAULTS,
  trainingSample,
  trainingTargets,
} from "./training.ts";

Deno.test("resolveTrain: defaults of MODEL.md, and the test context follows the training's", () => {
  const r = resolveTrain({ model: "lca2" });
  assert.equal(r.model, "lca2");
  assert.equal(r.depth, TRAIN_DEFAULTS.depth);
  assert.equal(r.prompts, TRAIN_DEFAULTS.prompts);
  assert.equal(r.context, TRAIN_DEFAULTS.context);
  assert.equal(r.steps, TRAIN_DEFAULTS.steps);
  assert.equal(r.testPrompts, TRAIN_DEFAULTS.testPrompts);
  assert.equal(r.testContext, TRAIN_DEFAULTS.context);
  assert.equal(r.seed, TRAIN_DEFAULTS.seed);
  assert.equal(r.learningRate, "auto");
  assert.equal(r.target, "label");
  assert.deepEqual(TRAIN_DEFAULTS, {
    depth: 10,
    prompts: 2000,
    context: 100,
    steps: 2000,
    testPrompts: 1000,
    seed: 0,
    lsaInits: 4,
  });
  assert.equal(resolveTrain({ model: "lca1", context: 40 }).testContext, 40);
  assert.equal(resolveTrain({ model: "lca1", context: Infinity }).testContext, Infinity);
  assert.equal(resolveTrain({ model: "lca1", context: Infinity, testContext: 7 }).testContext, 7);
  assert.equal(
    resolveTrain({ model: "lca1", context: 9, testContext: Infinity }).testContext,
    Infinity,
  );
  const given = resolveTrain({
    model: "deep-lsa",
    depth: 3,
    prompts: 11,
    steps: 5,
    testPrompts: 2,
    seed: 4,
    target: "bayes",
    learningRate: 0.01,
  });
  assert.deepEqual(
    [given.depth, given.prompts, given.steps, given.testPrompts, given.seed, given.target],
    [3, 11, 5, 2, 4, "bayes"],
  );
  assert.equal(given.learningRate, 0.01);
});

Deno.test("resolveTrain: each bad option is named in its error", () => {
  const cases: [unknown, RegExp][] = [
    [null, /^TypeError: options must be an object, got null$/],
    [3, /^TypeError: options must be an object, got 3$/],
    [{ model: "lca1", layers: 3 }, /^TypeError: options has an unknown option "layers"/],
    [{ model: "lca3" }, /^RangeError: model must be one of lca1, lca2, lsa, deep-lsa/],
    [{ model: "lca1", depth: 0 }, /^RangeError: depth must be a positive integer, got 0$/],
    [{ model: "lca1", prompts: -1 }, /^RangeError: prompts must be a positive integer/],
    [{ model: "lca1", context: 0.5 }, /^RangeError: context must be a positive integer/],
    [{ model: "lca1", steps: 0 }, /^RangeError: steps must be a positive integer/],
    [
      { model: "lca1", testPrompts: 1 },
      /^RangeError: testPrompts must be at least 2 \(a standard error needs 2 samples\), got 1$/,
    ],
    [{ model: "lca1", testPrompts: 0 }, /^RangeError: testPrompts must be a positive integer/],
    [{ model: "lca1", testContext: 0 }, /^RangeError: testContext must be a positive integer/],
    [{ model: "lca1", seed: -3 }, /^RangeError: seed must be a non-negative integer/],
    [{ model: "lca1", target: "y" }, /^RangeError: target must be one of label, bayes/],
    [{ model: "lca1", alphaInit: NaN }, /^RangeError: alphaInit must be a finite number/],
    [{ model: "lca1", betaInit: Infinity }, /^RangeError: betaInit must be a finite number/],
  ];
  for (const [options, message] of cases) {
    assert.throws(() => resolveTrain(options as never), message, JSON.stringify(options));
  }
  assert.equal(resolveTrain({ model: "lca1", testPrompts: 2 }).testPrompts, 2);
  assert.equal(resolveTrain({ model: "lca1", alphaInit: 0.2, betaInit: -0.1 }).model, "lca1");
});

Deno.test("trainingSample and testSample: streams 0 and 1 with their own sizes; the resolved law", () => {
  const r = resolveTrain({
    model: "lca1",
    law: "beta:2:3",
    mMin: 0.5,
    mMax: 2,
    prompts: 30,
    context: 12,
    testPrompts: 8,
    testContext: 5,
    seed: 6,
  });
  const training = trainingSample(r), test = testSample(r);
  assert.deepEqual(
    [training.prompts, training.context, training.seed, training.stream],
    [30, 12, 6, 0],
  );
  assert.deepEqual([test.prompts, test.context, test.seed, test.stream], [8, 5, 6, 1]);
  assert.deepEqual(training.law, { kind: "beta", a: 2, b: 3, low: 0.5, high: 2 });
  assert.deepEqual(test.law, training.law);
});

Deno.test("descentOptions: steps, step size, and progress as (step, steps, loss)", () => {
  const calls: number[][] = [];
  const r = resolveTrain({
    model: "lca1",
    steps: 7,
    learningRate: 0.05,
    onProgress: (step, steps, loss) => calls.push([step, steps, loss]),
  });
  const options = descentOptions(r);
  assert.equal(options.steps, 7);
  assert.equal(options.learningRate, 0.05);
  options.onStep!(3, 0.25);
  assert.deepEqual(calls, [[3, 7, 0.25]]);
  assert.equal(descentOptions(resolveTrain({ model: "lca1" })).onStep, undefined);
});

const STATS = samplePromptStatistics({ d1: 2, d2: 1, prompts: 300, context: 30, seed: 3 });
const TARGETS = bayesTarget(STATS);
const SPECTRAL = spectralStatistics(STATS);

Deno.test("trainingTargets: w^T x_q for 'bayes', a copy of y_q for 'label'", () => {
  assert.deepEqual(trainingTargets(STATS, "bayes"), bayesTarget(STATS));
  const labels = trainingTargets(STATS, "label");
  assert.deepEqual(labels, STATS.queryLabel);
  labels[0] += 1;
  assert.notEqual(labels[0], STATS.queryLabel[0]);
});

Deno.test("lcaObjective: gradients equal central differences of the loss (one and two parameters)", () => {
  const h = 1e-6;
  for (const [one, theta] of [[true, [0.2]], [false, [0.2, -0.15]]] as const) {
    const f = lcaObjective(SPECTRAL, TARGETS, 4, one);
    const at = f(Float64Array.from(theta));
    theta.forEach((_, i) => {
      const up = Float64Array.from(theta), down = Float64Array.from(theta);
      up[i] += h;
      down[i] -= h;
      const fd = (f(up).loss - f(down).loss) / (2 * h);
      assert.ok(
        Math.abs(at.gradient[i] - fd) <= 1e-6 * (Math.abs(fd) + 1e-3),
        `one=${one}, component ${i}: ${at.gradient[i]} vs ${fd}`,
      );
    });
    assert.equal(at.gradient.length, theta.length);
  }
  // One parameter means beta = -alpha: the loss equals the two-parameter loss there.
  const one = lcaObjective(SPECTRAL, TARGETS, 4, true)(new Float64Array([0.3])).loss;
  const two = lcaObjective(SPECTRAL, TARGETS, 4, false)(new Float64Array([0.3, -0.3])).loss;
  assert.equal(one, two);
});

Deno.test("empiricalBestAlpha: the loss is stationary in alpha there (beta fixed)", () => {
  for (const [beta, depth] of [[-0.3, 4], [-0.1, 1], [0.05, 7]]) {
    const alpha = empiricalBestAlpha(SPECTRAL, TARGETS, beta, depth);
    const f = lcaObjective(SPECTRAL, TARGETS, depth, false);
    const g = f(new Float64Array([alpha, beta])).gradient[0];
    const curvature = (f(new Float64Array([alpha + 1e-4, beta])).gradient[0] - g) / 1e-4;
    assert.ok(
      Math.abs(g / curvature) <= 1e-10 * Math.abs(alpha),
      `beta ${beta}: step ${g / curvature}`,
    );
  }
  // No signal at all: 0.
  assert.equal(empiricalBestAlpha(SPECTRAL, new Float64Array(300), -0.2, 3), 0);
});

Deno.test("lcaInitial: lca1 at alpha 0; lca2 at beta_0 = -1/(1 + m_hi), alpha*(beta_0); or as given", () => {
  const lca1 = resolveTrain({ model: "lca1", mMax: 3 });
  assert.deepEqual(lcaInitial(lca1, SPECTRAL, TARGETS), new Float64Array([0]));
  const lca1Given = resolveTrain({ model: "lca1", alphaInit: 0.4 });
  assert.deepEqual(lcaInitial(lca1Given, SPECTRAL, TARGETS), new Float64Array([0.4]));
  const lca2 = resolveTrain({ model: "lca2", mMin: 0.5, mMax: 3, depth: 4 });
  const beta0 = -1 / 4;
  assert.deepEqual(
    lcaInitial(lca2, SPECTRAL, TARGETS),
    new Float64Array([empiricalBestAlpha(SPECTRAL, TARGETS, beta0, 4), beta0]),
  );
  const lca2Beta = resolveTrain({ model: "lca2", betaInit: -0.1, depth: 4 });
  assert.deepEqual(
    lcaInitial(lca2Beta, SPECTRAL, TARGETS),
    new Float64Array([empiricalBestAlpha(SPECTRAL, TARGETS, -0.1, 4), -0.1]),
  );
  const both = resolveTrain({ model: "lca2", alphaInit: 0.7, betaInit: -0.1 });
  assert.deepEqual(lcaInitial(both, SPECTRAL, TARGETS), new Float64Array([0.7, -0.1]));
});

Deno.test("splitLsa: p is the first d + 1 entries, K the rest, both views", () => {
  const theta = Float64Array.from({ length: 3 + 3 * 2 }, (_, i) => i);
  const { p, k } = splitLsa(theta, 2);
  assert.deepEqual([...p], [0, 1, 2]);
  assert.deepEqual([...k], [3, 4, 5, 6, 7, 8]);
  theta[0] = 9;
  assert.equal(p[0], 9);
});

Deno.test("predictFitted: each model's own predictor", () => {
  const test = samplePromptStatistics({ d1: 2, d2: 1, prompts: 20, context: 30, seed: 4 });
  const lca = { alpha: 0.3, beta: -0.2, depth: 3 };
  assert.deepEqual(predictFitted({ model: "lca2", lca }, test), lcaPredict(test, lca));
  assert.deepEqual(predictFitted({ model: "lca1", lca }, test), lcaPredict(test, lca));
  assert.deepEqual(
    predictFitted({ model: "deep-lsa", deepLsa: lca }, test),
    deepLsaPredict(test, lca),
  );
  const p = [0.1, -0.2, 0.3, 0.4], k = Array.from({ length: 12 }, (_, i) => (i - 5) / 10);
  const gamma = Array.from({ length: 9 }, (_, i) => i / 10);
  assert.deepEqual(
    predictFitted({ model: "lsa", gamma, full: { p, k } }, test),
    lsaPredict(test, { p: Float64Array.from(p), k: Float64Array.from(k) }),
  );
  for (const [model, layerwise] of [["lca-full", false], ["lca-full-layerwise", true]] as const) {
    const a = Array.from({ length: (layerwise ? 2 : 1) * 9 }, (_, i) => (i % 5) / 20);
    const b = Array.from({ length: (layerwise ? 2 : 1) * 9 }, (_, i) => -(i % 3) / 30);
    const untied = { dim: 3, depth: 2, layerwise, a, b };
    assert.deepEqual(
      predictFitted({ model, untied }, test),
      untiedPredict(test, { ...untied, a: Float64Array.from(a), b: Float64Array.from(b) }),
    );
  }
});

Deno.test("fitOnStatistics: deep-lsa and lsa fits; the best of the LSA initialisations is kept", () => {
  const deep = resolveTrain({ model: "deep-lsa", d1: 2, d2: 1, depth: 2, steps: 400 });
  const fit = fitOnStatistics(deep, STATS, TARGETS);
  assert.ok(fit.parameters.model === "deep-lsa");
  assert.equal(fit.parameters.deepLsa.depth, 2);
  assert.ok(fit.run.gradientNorm <= 1e-6 * (1 + fit.run.loss), `gradient ${fit.run.gradientNorm}`);
  assert.equal(fit.run.parameters[0], fit.parameters.deepLsa.alpha);
  const lsa = resolveTrain({ model: "lsa", d1: 2, d2: 1, lsaInits: 3, steps: 200 });
  const lsaFit = fitOnStatistics(lsa, STATS, TARGETS);
  assert.equal(lsaFit.initLosses!.length, 3);
  assert.equal(lsaFit.run.loss, Math.min(...lsaFit.initLosses!));
  assert.ok(lsaFit.parameters.model === "lsa");
  assert.equal(lsaFit.parameters.full.p.length, 4);
  assert.equal(lsaFit.parameters.full.k.length, 12);
  assert.throws(
    () =>
      fitOnStatistics(resolveTrain({ model: "lsa", d1: 2, d2: 1, lsaInits: 0 }), STATS, TARGETS),
    /^RangeError: lsaInits must be a positive integer/,
  );
});

Deno.test("SGD (lca1 with batchSize): a fixed step is required, divergence is reported", () => {
  assert.throws(
    () => train({ model: "lca1", batchSize: 10, prompts: 50, testPrompts: 10, steps: 5 }),
    /^RangeError: learningRate must be a positive number with batchSize, got "auto"$/,
  );
  assert.throws(
    () =>
      train({
        model: "lca1",
        batchSize: 10,
        learningRate: 1e6,
        prompts: 50,
        testPrompts: 10,
        steps: 50,
      }),
    /^RangeError: learningRate must be small enough for SGD to stay finite, got 1000000 with batchSize 10/,
  );
  const result = train({
    model: "lca1",
    batchSize: 25,
    learningRate: 0.01,
    prompts: 100,
    testPrompts: 10,
    steps: 40,
    depth: 1,
  });
  assert.equal(result.stop.reason, "step-cap");
  assert.equal(result.converged, false);
  assert.deepEqual(result.trajectory.map((t) => t.step), [0, 40]);
  assert.equal(result.trajectory[0].parameters[0], 0);
  assert.ok(result.trainLoss < result.trajectory[0].loss, "SGD lowered the loss");
  assert.throws(
    () => train({ model: "lca1", batchSize: 0, learningRate: 0.1, prompts: 50, testPrompts: 10 }),
    /^RangeError: batchSize must be a positive integer/,
  );
});

Deno.test("summarizeTraining: depth 1 for LSA, risks on the test prompts, the population Bayes risk", () => {
  const test = samplePromptStatistics({
    d1: 2,
    d2: 1,
    prompts: 40,
    context: 30,
    seed: 5,
    stream: 1,
  });
  const r = resolveTrain({ model: "lca2", depth: 3, sigma: 0.2 });
  const lca = { alpha: 0.3, beta: -0.3, depth: 3 };
  const fit: Fit = {
    run: {
      parameters: new Float64Array([0.3, -0.3]),
      loss: 0.5,
      gradientNorm: 0,
      steps: 4,
      converged: true,
      stop: { reason: "converged", rule: "test" },
      trajectory: [],
      elapsedMs: 10,
    },
    parameters: { model: "lca2", lca },
  };
  const predictions = lcaPredict(test, lca);
  const summary = summarizeTraining(r, fit, test, predictions);
  assert.equal(summary.depth, 3);
  assert.equal(summary.msPerStep, 2.5);
  assert.equal(summary.trainLoss, 0.5);
  assert.equal(summary.reducedTestRisk, undefined);
  assert.equal(summary.bayesRisk.population, bayesRisk(r.task.law, 0.2));
  let risk = 0, bayes = 0;
  const bp = bayesPredict(test);
  for (let n = 0; n < 40; n++) {
    risk += (predictions[n] - test.queryLabel[n]) ** 2 / 40;
    bayes += (bp[n] - test.queryLabel[n]) ** 2 / 40;
  }
  assert.ok(Math.abs(summary.testRisk.mean - risk) <= 1e-14);
  assert.ok(Math.abs(summary.bayesRisk.test.mean - bayes) <= 1e-14);
  assert.ok(Math.abs(summary.testExcess.mean - (risk - bayes)) <= 1e-14);
  const none = summarizeTraining(r, { ...fit, run: { ...fit.run, steps: 0 } }, test, predictions);
  assert.equal(none.msPerStep, 0);
  // LSA: one layer whatever depth says, and the reduced fit's test risk.
  const gamma = Array.from({ length: 9 }, (_, i) => (i % 4 === 0 ? 0.3 : 0));
  const lsaSummary = summarizeTraining(
    resolveTrain({ model: "lsa", depth: 5 }),
    {
      ...fit,
      parameters: { model: "lsa", gamma, full: { p: [0, 0, 0, 1], k: Array(12).fill(0) } },
    },
    test,
    predictions,
  );
  assert.equal(lsaSummary.depth, 1);
  let reduced = 0;
  const rp = lsaReducedPredict(test, gamma);
  for (let n = 0; n < 40; n++) reduced += (rp[n] - test.queryLabel[n]) ** 2 / 40;
  assert.ok(Math.abs(lsaSummary.reducedTestRisk!.mean - reduced) <= 1e-14);
  // The regression family's Bayes risk is the label noise sigma^2.
  const regression = resolveTrain({ model: "lca2", family: "regression", sigma: 0.3 });
  assert.equal(summarizeTraining(regression, fit, test, predictions).bayesRisk.population, 0.09);
});

Deno.test("empiricalBestAlpha: 0, not NaN, when no prompt carries signal (every weight 0)", () => {
  const silent = { ...SPECTRAL, weight: new Float64Array(SPECTRAL.weight.length) };
  assert.equal(empiricalBestAlpha(silent, TARGETS, -0.2, 3), 0);
});

Deno.test("fitReducedLsa: its size limits, and exact rank loss is guarded", () => {
  const big = samplePromptStatistics({ d1: 17, d2: 16, prompts: 2, context: Infinity, seed: 1 });
  assert.throws(
    () => fitReducedLsa(big, new Float64Array(2)),
    /^RangeError: d must be at most 32 for the least-squares LSA fit, got 33$/,
  );
  const edge = samplePromptStatistics({ d1: 16, d2: 16, prompts: 2, context: Infinity, seed: 1 });
  assert.throws(
    () => fitReducedLsa(edge, new Float64Array(2)),
    /^RangeError: prompts must be at least d\^2 = 1024 for the LSA fit, got 2$/,
  );
  const small = samplePromptStatistics({ d1: 2, d2: 1, prompts: 9, context: 30, seed: 2 });
  assert.equal(fitReducedLsa(small, small.queryLabel).length, 9); // N = d^2 is enough
  assert.throws(
    () => fitReducedLsa({ ...small, prompts: 8 }, small.queryLabel),
    /^RangeError: prompts must be at least d\^2 = 9 for the LSA fit, got 8$/,
  );
  // Every query along the first axis: the features x_q (x) mu_hat span only 3 of 9 directions
  // (an exactly singular Gram matrix). The 1e-12 trace guard keeps the fit finite, and it still
  // reproduces realisable targets.
  const flat = samplePromptStatistics({ d1: 2, d2: 1, prompts: 40, context: 30, seed: 3 });
  for (let n = 0; n < 40; n++) flat.query.set([1, 0, 0], 3 * n);
  const gammaTrue = [0.5, -0.2, 0.1, 0, 0, 0, 0, 0, 0];
  const targets = lsaReducedPredict(flat, gammaTrue);
  const fitted = fitReducedLsa(flat, targets);
  assert.ok(fitted.every(Number.isFinite), `fit ${fitted}`);
  const refit = lsaReducedPredict(flat, fitted);
  refit.forEach((v, n) => assert.ok(Math.abs(v - targets[n]) <= 1e-6, `prompt ${n}: ${v}`));
});

Deno.test("resolveTrain: sampler, covariance and initScale are known options", () => {
  assert.equal(resolveTrain({ model: "lca1", sampler: "tokens" }).model, "lca1");
  assert.equal(resolveTrain({ model: "lca-full", initScale: 0.1 }).model, "lca-full");
  const covariance = new Float64Array([1, 2, 3, 4]);
  assert.equal(resolveTrain({ model: "lca1", family: "regression", covariance }).task.dim, 4);
});

Deno.test("fitOnStatistics: lca2 has two free parameters; batchSize is for lca1 only", () => {
  const lca2 = fitOnStatistics(resolveTrain({ model: "lca2", depth: 3, mMax: 4 }), STATS, TARGETS);
  assert.ok(lca2.parameters.model === "lca2");
  const { alpha, beta } = lca2.parameters.lca;
  assert.notEqual(beta, -alpha);
  const gradient = lcaObjective(SPECTRAL, TARGETS, 3, false)(new Float64Array([alpha, beta]));
  assert.ok(Math.hypot(...gradient.gradient) <= 1e-6, `gradient ${gradient.gradient}`);
  // batchSize with lca2 is ignored: the same full-batch fit.
  const withBatch = fitOnStatistics(
    resolveTrain({ model: "lca2", depth: 3, mMax: 4, batchSize: 10, learningRate: "auto" }),
    STATS,
    TARGETS,
  );
  assert.deepEqual(withBatch.parameters, lca2.parameters);
});

Deno.test("fitOnStatistics: lca-full and lca-full-layerwise are trainUntied's fits", () => {
  for (const model of ["lca-full", "lca-full-layerwise"] as const) {
    const r = resolveTrain({ model, d1: 2, d2: 1, depth: 2, steps: 30, initScale: 0.2, seed: 7 });
    const fit = fitOnStatistics(r, STATS, TARGETS);
    const direct = trainUntied(STATS, TARGETS, {
      depth: 2,
      layerwise: model === "lca-full-layerwise",
      scale: 0.2,
      seed: 7,
      steps: 30,
    });
    assert.ok(fit.parameters.model === model);
    assert.deepEqual(fit.parameters.untied, {
      dim: 3,
      depth: 2,
      layerwise: model === "lca-full-layerwise",
      a: Array.from(direct.parameters.a),
      b: Array.from(direct.parameters.b),
    });
    assert.equal(fit.run.loss, direct.run.loss);
    assert.equal(fit.parameters.untied.a.length, (model === "lca-full" ? 1 : 2) * 9);
  }
});

Deno.test("fitOnStatistics: the deep-LSA fit is a stationary point of deepLsaSpectralLoss", () => {
  const r = resolveTrain({ model: "deep-lsa", d1: 2, d2: 1, depth: 2, steps: 400 });
  const fit = fitOnStatistics(r, STATS, TARGETS);
  assert.ok(fit.parameters.model === "deep-lsa");
  const at = deepLsaSpectralLoss(SPECTRAL, TARGETS, fit.parameters.deepLsa);
  const start = deepLsaSpectralLoss(SPECTRAL, TARGETS, { alpha: 0, beta: 0, depth: 2 });
  assert.ok(at.loss < start.loss, `${at.loss} vs ${start.loss} at (0, 0)`);
  assert.ok(Math.hypot(at.alpha, at.beta) <= 1e-6, `gradient (${at.alpha}, ${at.beta})`);
  assert.equal(fit.run.loss, at.loss);
});

Deno.test("fitOnStatistics, full LSA: Levenberg-Marquardt from the isotropic fit, seeded random inits", () => {
  const base = { model: "lsa" as const, d1: 2, d2: 1 };
  // One initialisation: the run starts at lsaFromGamma(mean diagonal of the reduced fit).
  const calls: number[] = [];
  const one = fitOnStatistics(
    resolveTrain({ ...base, lsaInits: 1, steps: 50, onProgress: (step) => calls.push(step) }),
    STATS,
    TARGETS,
  );
  const gamma = fitReducedLsa(STATS, TARGETS);
  const isotropic = (gamma[0] + gamma[4] + gamma[8]) / 3;
  const start = lsaFromGamma(isotropic, 3);
  assert.deepEqual(one.run.trajectory[0].parameters, [...start.p, ...start.k]);
  assert.equal(one.run.stop.reason, "converged");
  assert.match(one.run.stop.rule, /^Levenberg-Marquardt step/);
  assert.ok(calls.length > 0 && calls.every((s, i) => i === 0 || s > calls[i - 1]), `${calls}`);
  // The fitted loss is lsaLoss at the fitted parameters, below the zero predictor's.
  assert.ok(one.parameters.model === "lsa");
  const full = {
    p: Float64Array.from(one.parameters.full.p),
    k: Float64Array.from(one.parameters.full.k),
  };
  assert.ok(Math.abs(lsaLoss(STATS, TARGETS, full).loss - one.run.loss) <= 1e-15);
  let zero = 0;
  for (const t of TARGETS) zero += t * t / TARGETS.length;
  assert.ok(one.run.loss < zero);
  // The step budget is Levenberg-Marquardt's iteration cap.
  const capped = fitOnStatistics(resolveTrain({ ...base, lsaInits: 1, steps: 2 }), STATS, TARGETS);
  assert.ok(capped.run.steps <= 2, `${capped.run.steps} iterations`);
  // Progress comes from the first initialisation only: one increasing run of steps.
  const progress: number[] = [];
  fitOnStatistics(
    resolveTrain({ ...base, lsaInits: 2, steps: 50, onProgress: (step) => progress.push(step) }),
    STATS,
    TARGETS,
  );
  assert.deepEqual(progress, calls);
  // Random initialisations: seeded by the training seed, and each one trained (below zero).
  const three = fitOnStatistics(resolveTrain({ ...base, lsaInits: 3, seed: 0 }), STATS, TARGETS);
  const other = fitOnStatistics(resolveTrain({ ...base, lsaInits: 3, seed: 5 }), STATS, TARGETS);
  assert.equal(three.initLosses![0], other.initLosses![0]); // init 0 is not random
  assert.notEqual(three.initLosses![1], other.initLosses![1]);
  assert.notEqual(three.initLosses![1], three.initLosses![0]);
  for (const loss of [...three.initLosses!, ...other.initLosses!]) assert.ok(loss < zero);
});

Deno.test("SGD's run record: the one-parameter objective at its start and end", () => {
  const result = train({
    model: "lca1",
    batchSize: 20,
    learningRate: 0.005,
    prompts: 100,
    testPrompts: 10,
    steps: 30,
    depth: 2,
  });
  assert.ok(result.parameters.model === "lca1");
  const { alpha, beta } = result.parameters.lca;
  assert.equal(beta, -alpha);
  assert.deepEqual(result.trajectory[1].parameters, [alpha]);
  assert.equal(
    result.stop.rule,
    "SGD runs its 30 steps with a fixed step size (it has no convergence rule)",
  );
  const stats = samplePromptStatistics({ prompts: 100, context: 100, seed: 0, stream: 0 });
  const objective = lcaObjective(spectralStatistics(stats), stats.queryLabel, 2, true);
  const end = objective(new Float64Array([alpha]));
  assert.equal(result.trainLoss, end.loss);
  assert.equal(result.trajectory[1].gradientNorm, Math.abs(end.gradient[0]));
  assert.equal(result.trajectory[0].loss, objective(new Float64Array([0])).loss);
  assert.ok(result.msPerStep >= 0 && result.msPerStep < 1000, `${result.msPerStep} ms per step`);
});
