/**
 * The C11 sweep's options do what they say: a finite L_tr with target `label` gives the same
 * tied fit as `train({ model: "lca2" })`; every random start is recorded and the lowest
 * training loss kept; the layerwise rows carry per-layer matrices and the shared comparison;
 * the finite-context test excess integrates the query against Sigma = I + m m^T. Each check
 * has a control that fails. Tiny sizes, fixed seeds. (The structure, the prompts and the
 * options have their own tests: `sweep_structure_test.ts`, `untied_sweep_data_test.ts`,
 * `untied_sweep_options_test.ts`.)
 *
 * @module
 */

import assert from "node:assert/strict";
import { TINY_UNTIED_SWEEP as TINY } from "../../testkit/sweep_fixtures.ts";
import { samplePromptStatistics } from "../model/prompt_statistics.ts";
import { exactExcess, untiedPredict } from "../model/untied.ts";
import { train } from "../training/training.ts";
import { randomUntied } from "../training/untied_training.ts";
import { taskExcess, untiedSweep } from "./untied_sweep.ts";

/** `train({ model: "lca2" })` on the sweep's training prompts (d = 4, L = 100) for `target`. */
const trainTied = (target: "label" | "bayes") =>
  train({
    model: "lca2",
    d1: 2,
    d2: 2,
    depth: 2,
    prompts: 200,
    context: 100,
    target,
    steps: 15,
    seed: 3,
    testPrompts: 2,
  });

Deno.test("untied sweep: the trained tied model is train({ model: 'lca2' }) on the same loss", () => {
  const o = { ...TINY, d1: 2, d2: 2, context: 100, target: "label" as const };
  const [row] = untiedSweep(o);
  const reference = trainTied("label");
  assert.ok(reference.parameters.model === "lca2");
  assert.equal(row.tiedTrained.alpha, reference.parameters.lca.alpha);
  assert.equal(row.tiedTrained.beta, reference.parameters.lca.beta);
  assert.equal(row.tiedTrained.trainLoss, reference.trainLoss);
  assert.equal(row.context, 100);
  assert.equal(row.target, "label");
  assert.equal(row.finiteTest!.context, 100);
  assert.ok(row.inits.at(-1)!.init.startsWith("tied trained"));
  // Control: the Bayes target is a different loss with a different fit.
  const bayes = trainTied("bayes");
  assert.ok(bayes.parameters.model === "lca2");
  assert.notEqual(row.tiedTrained.alpha, bayes.parameters.lca.alpha);
});

Deno.test("untied sweep: every start is recorded and the lowest training loss is kept", () => {
  const [row] = untiedSweep({ ...TINY, scales: [0.3, 1], seeds: [1, 2] });
  assert.deepEqual(
    row.inits.map((i) => i.init),
    [
      "random (scale 0.3, seed 1)",
      "random (scale 0.3, seed 2)",
      "random (scale 1, seed 1)",
      "random (scale 1, seed 2)",
      "tied optimum + N(0, 0.05^2/d)",
    ],
  );
  const losses = row.inits.map((i) => i.trainLoss);
  assert.equal(row.untied.trainLoss, Math.min(...losses));
  const kept = row.inits.find((i) => i.init === row.untied.init)!;
  assert.equal(kept.excess, row.untied.excess);
  // Every start ran its own training (Levenberg-Marquardt: starts in one basin may end at
  // the same loss, so the losses need not differ).
  for (const i of row.inits) assert.ok(i.steps >= 1 && i.stop !== "", i.init);
  // Control: the defaults are one random start and the tied centre.
  const [defaults] = untiedSweep(TINY);
  assert.deepEqual(defaults.inits.map((i) => i.init), [
    "random (scale 0.3)",
    "tied optimum + N(0, 0.05^2/d)",
  ]);
  assert.equal(defaults.layerwise, false);
  assert.equal(defaults.untied.layers, undefined);
});

Deno.test("untied sweep: the unperturbed tied start ends no higher than the tied training loss", () => {
  for (const layerwise of [false, true]) {
    const [row] = untiedSweep({ ...TINY, depths: [3], tiedStart: true, layerwise });
    const start = row.inits.at(-1)!;
    assert.equal(start.init, "tied trained (unperturbed)");
    assert.ok(start.trainLoss <= row.tiedTrained.trainLoss * (1 + 1e-12));
    assert.ok(row.untied.trainLoss <= start.trainLoss);
  }
  // Control: without it, no such start.
  const [row] = untiedSweep({ ...TINY, depths: [3] });
  assert.ok(row.inits.every((i) => i.init !== "tied trained (unperturbed)"));
  assert.equal(row.inits.length, 2);
});

Deno.test("untied sweep: layerwise rows have per-layer matrices and the shared comparison", () => {
  const [row] = untiedSweep({ ...TINY, layerwise: true, fromShared: true });
  assert.equal(row.layerwise, true);
  assert.equal(row.untied.a.length, 2 * 4);
  assert.equal(row.untied.layers!.length, 2);
  assert.equal(row.inits.length, 3);
  assert.match(row.inits[2].init, /^shared best \(.*\), repeated over layers$/);
  assert.ok(row.shared !== undefined && Number.isFinite(row.shared.difference.mean));
  // Control: shared rows have one d x d pair and no shared comparison.
  const [shared] = untiedSweep(TINY);
  assert.equal(shared.untied.a.length, 4);
  assert.equal(shared.shared, undefined);
});

Deno.test("untied sweep: the test excess integrates the query against Sigma = I + m m^T", () => {
  const p = randomUntied(4, 3, false, 0.4, 9);
  const predict = (s: Parameters<typeof untiedPredict>[0]) => untiedPredict(s, p);
  const exact = samplePromptStatistics({ prompts: 40, context: Infinity, seed: 5 });
  const a = taskExcess(exact, predict), b = exactExcess(exact, predict);
  for (let n = 0; n < 40; n++) assert.ok(Math.abs(a[n] - b[n]) <= 1e-12 * b[n]);
  // At L = 50: the weights g come from the finite statistics; the quadratic form is the task's.
  const finite = samplePromptStatistics({ prompts: 40, context: 50, seed: 5 });
  const e = taskExcess(finite, predict);
  const d = 4;
  for (let n = 0; n < 40; n++) {
    const v = new Float64Array(d);
    for (let j = 0; j < d; j++) {
      const query = new Float64Array(40 * d);
      query[n * d + j] = 1;
      const m = finite.spike[n * d + j];
      v[j] = predict({ ...finite, query })[n] - m / (1 + finite.strength[n]);
    }
    let q = 0;
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        q += v[i] * ((i === j ? 1 : 0) + finite.spike[n * d + i] * finite.spike[n * d + j]) * v[j];
      }
    }
    assert.ok(Math.abs(e[n] - q) <= 1e-12 * q);
  }
  // Control: the form with Sigma_hat (exactExcess at a finite context) is a different number.
  const wrong = exactExcess(finite, predict);
  assert.ok(wrong.some((w, n) => Math.abs(w - e[n]) > 1e-6 * e[n]));
});

Deno.test("untied sweep: each row carries the optimal schedule on the same prompts, paired", () => {
  const [row] = untiedSweep({ ...TINY, depths: [3], layerwise: true });
  const s = row.schedule;
  assert.equal(s.alphas.length, 3);
  assert.ok(Math.abs(s.difference.mean - (row.untied.excess - s.excess)) <= 1e-15);
  assert.ok(s.population > 0 && s.trainLoss > 0 && s.difference.standardError > 0);
  // Control: at T = 3 the tied two-parameter optimum is well above the schedule.
  assert.ok(row.tied.excess > 2 * s.excess);
});
