import assert from "node:assert/strict";
import { bayesTarget, samplePromptStatistics } from "../model/prompt_statistics.ts";
import { samplePromptBatch } from "../model/task.ts";
import { softmaxLoss } from "../model/softmax_loss.ts";
import { resolveTrain, trainingSample } from "./train_options.ts";
import { fitLca } from "./fit_lca.ts";
import { defaultTauInit, fitSoftmax, softmaxInitial, softmaxOf } from "./fit_softmax.ts";

const OPTIONS = { prompts: 120, context: 16, depth: 3, d1: 2, d2: 1, seed: 2, steps: 60 };

function data(model: "sca" | "sca-centred" | "sca-layerwise", extra = {}) {
  const r = resolveTrain({ model, ...OPTIONS, ...extra });
  const stats = samplePromptStatistics(trainingSample(r));
  return { r, stats, targets: bayesTarget(stats) };
}

Deno.test("softmaxInitial: the tied lca2 optimum on the same prompts and tau = 1/sqrt(d)", () => {
  const { r, stats, targets } = data("sca");
  const lca = fitLca("lca2", resolveTrain({ ...OPTIONS, model: "lca2" }), stats, targets);
  assert.ok(lca.parameters.model === "lca2");
  const theta = softmaxInitial(r, stats, targets);
  assert.deepEqual([...theta], [
    lca.parameters.lca.alpha,
    lca.parameters.lca.beta,
    1 / Math.sqrt(3),
  ]);
  assert.equal(defaultTauInit(3), 1 / Math.sqrt(3));
  const layerwise = data("sca-layerwise");
  assert.deepEqual(
    [...softmaxInitial(layerwise.r, layerwise.stats, layerwise.targets)],
    [
      ...[0, 0, 0].map(() => theta[0]),
      ...[0, 0, 0].map(() => theta[1]),
      ...[0, 0, 0].map(() => theta[2]),
    ],
  );
  // Given values are used as they are.
  const given = data("sca-layerwise", {
    alphasInit: [1, 2, 3],
    betasInit: [-1, -2, -3],
    tausInit: [4, 5, 6],
  });
  assert.deepEqual([...softmaxInitial(given.r, given.stats, given.targets)], [
    1,
    2,
    3,
    -1,
    -2,
    -3,
    4,
    5,
    6,
  ]);
  const tied = data("sca-centred", { alphaInit: 0.2, betaInit: -0.1, tauInit: 2 });
  assert.deepEqual([...softmaxInitial(tied.r, tied.stats, tied.targets)], [0.2, -0.1, 2]);
});

Deno.test("fitSoftmax: descends the token-level loss of the run's own training prompts", () => {
  for (const model of ["sca", "sca-centred", "sca-layerwise"] as const) {
    const { r, stats, targets } = data(model);
    const fit = fitSoftmax(model, r, stats, targets);
    assert.ok(fit.parameters.model === model);
    const p = fit.parameters.softmax;
    assert.equal(p.centred, model === "sca-centred");
    assert.equal(p.taus.length, 3);
    assert.ok(p.taus.every((tau) => tau > 0));
    assert.ok(fit.run.loss < fit.run.trajectory[0].loss, model);
    // The reported loss is the loss of the reported parameters on the training tokens.
    const batch = samplePromptBatch(trainingSample(r));
    assert.equal(softmaxLoss(batch, targets, p).loss, fit.run.loss);
    if (model === "sca-layerwise") {
      assert.ok(new Set(p.taus).size > 1, "the layers move apart from equal starts");
    } else {
      assert.deepEqual(p, softmaxOf(model, fit.run.parameters, 3));
    }
  }
});
