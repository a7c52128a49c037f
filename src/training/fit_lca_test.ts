import assert from "node:assert/strict";
import {
  bayesTarget,
  samplePromptStatistics,
  spectralStatistics,
} from "../model/prompt_statistics.ts";
import { resolveTrain } from "./train_options.ts";
import { lcaObjective } from "./lca_objective.ts";
import { fitLca } from "./fit_lca.ts";
import { train } from "./training.ts";

const STATS = samplePromptStatistics({ d1: 2, d2: 1, prompts: 300, context: 30, seed: 3 });
const TARGETS = bayesTarget(STATS);
const SPECTRAL = spectralStatistics(STATS);

Deno.test("fitLca: lca2 has two free parameters; batchSize is for lca1 only", () => {
  const lca2 = fitLca("lca2", resolveTrain({ model: "lca2", depth: 3, mMax: 4 }), STATS, TARGETS);
  assert.ok(lca2.parameters.model === "lca2");
  const { alpha, beta } = lca2.parameters.lca;
  assert.notEqual(beta, -alpha);
  const gradient = lcaObjective(SPECTRAL, TARGETS, 3, false)(new Float64Array([alpha, beta]));
  assert.ok(Math.hypot(...gradient.gradient) <= 1e-6, `gradient ${gradient.gradient}`);
  // batchSize with lca2 is ignored: the same full-batch fit.
  const withBatch = fitLca(
    "lca2",
    resolveTrain({ model: "lca2", depth: 3, mMax: 4, batchSize: 10, learningRate: "auto" }),
    STATS,
    TARGETS,
  );
  assert.deepEqual(withBatch.parameters, lca2.parameters);
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
