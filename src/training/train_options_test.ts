import assert from "node:assert/strict";
import {
  descentOptions,
  isScheduleModel,
  layerCost,
  MODELS,
  resolveTrain,
  testSample,
  TRAIN_DEFAULTS,
  trainingSample,
} from "./train_options.ts";

Deno.test("MODELS: the trainable models, in the order of the CLI's help", () => {
  assert.deepEqual(MODELS, [
    "lca1",
    "lca2",
    "lsa",
    "deep-lsa",
    "lca-full",
    "lca-full-layerwise",
    "lca-schedule",
    "lca2-schedule",
    "sca",
    "sca-centred",
    "sca-layerwise",
  ]);
});

Deno.test("resolveTrain: the schedules take per-layer lists of depth numbers, the tied models none", () => {
  const r = resolveTrain({
    model: "lca2-schedule",
    depth: 2,
    alphasInit: [0.5, 0.2],
    betasInit: [-0.5, -0.2],
  });
  assert.deepEqual(r.options.alphasInit, [0.5, 0.2]);
  const cases: [Record<string, unknown>, RegExp][] = [
    [
      { model: "lca-schedule", depth: 2, alphasInit: [0.5] },
      /^RangeError: alphasInit must have length 2/,
    ],
    [{ model: "lca-schedule", depth: 1, alphasInit: [NaN] }, /^RangeError: alphasInit/],
    [
      { model: "lca-schedule", depth: 1, betasInit: [-0.5] },
      /^RangeError: betasInit applies to lca2-schedule and sca-layerwise only/,
    ],
    [
      { model: "lca1", alphasInit: [0.5] },
      /^RangeError: alphasInit applies to lca-schedule, lca2-schedule and sca-layerwise only/,
    ],
    [
      { model: "lca-schedule", alphaInit: 0.3 },
      /^RangeError: alphaInit does not apply to model lca-schedule \(per-layer initial values: alphasInit\)/,
    ],
    [
      { model: "lca2-schedule", betaInit: -0.3 },
      /^RangeError: betaInit does not apply to model lca2-schedule \(per-layer initial values: alphasInit, betasInit\)/,
    ],
    [
      { model: "lca-schedule", alphasInit: 0.3 },
      /^TypeError: alphasInit must be an array of numbers/,
    ],
  ];
  for (const [options, message] of cases) {
    assert.throws(() => resolveTrain(options as never), message, JSON.stringify(options));
  }
});

Deno.test("layerCost: 2 d for the schedules, 1 for the LCA, 4 for deep LSA, 4 (d + 1) for LSA, L for sca", () => {
  assert.deepEqual(MODELS.map((m) => layerCost(m, 4, 50)), [1, 1, 20, 4, 1, 1, 8, 8, 50, 50, 50]);
  assert.ok(isScheduleModel("lca2-schedule") && !isScheduleModel("lca2"));
});

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

Deno.test("resolveTrain: sampler, covariance and initScale are known options", () => {
  assert.equal(resolveTrain({ model: "lca1", sampler: "tokens" }).model, "lca1");
  assert.equal(resolveTrain({ model: "lca-full", initScale: 0.1 }).model, "lca-full");
  const covariance = new Float64Array([1, 2, 3, 4]);
  assert.equal(resolveTrain({ model: "lca1", family: "regression", covariance }).task.dim, 4);
});

Deno.test("resolveTrain: the softmax models need a finite context, the token sampler, tau > 0", () => {
  const r = resolveTrain({
    model: "sca",
    context: 30,
    tauInit: 0.7,
    alphaInit: 0.1,
    betaInit: -0.1,
  });
  assert.equal(trainingSample(r).sampler, "tokens");
  assert.equal(resolveTrain({ model: "lca1", context: 30 }).options.sampler, undefined);
  const layerwise = resolveTrain({ model: "sca-layerwise", depth: 2, tausInit: [0.5, 1] });
  assert.deepEqual(layerwise.options.tausInit, [0.5, 1]);
  const cases: [Record<string, unknown>, RegExp][] = [
    [
      { model: "sca", context: Infinity },
      /^RangeError: context must be a finite context length for model sca/,
    ],
    [{ model: "sca-centred", testContext: Infinity }, /^RangeError: testContext must be a finite/],
    [{ model: "sca", sampler: "wishart" }, /^RangeError: sampler must be "tokens" for model sca/],
    [{ model: "sca", tauInit: 0 }, /^RangeError: tauInit must be a finite number > 0/],
    [{ model: "lca2", tauInit: 1 }, /^RangeError: tauInit applies to sca and sca-centred only/],
    [
      { model: "sca-layerwise", tauInit: 1 },
      /^RangeError: tauInit does not apply to model sca-layerwise/,
    ],
    [
      { model: "sca-layerwise", depth: 2, tausInit: [1, -1] },
      /^RangeError: tausInit must hold temperatures > 0/,
    ],
    [{ model: "sca", tausInit: [1] }, /^RangeError: tausInit applies to sca-layerwise only/],
    // T L d per prompt: N = 2000, L = 100, d = 4, T = 10 for 2000 steps fits 2e10; 3x steps do not.
    [{ model: "sca", steps: 6000 }, /^RangeError: .*steps/],
  ];
  for (const [options, message] of cases) {
    assert.throws(() => resolveTrain(options as never), message, JSON.stringify(options));
  }
  assert.equal(resolveTrain({ model: "sca" }).steps, 2000); // the defaults fit the budget
});
