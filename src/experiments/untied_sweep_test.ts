/**
 * The C11 sweep's options do what they say: layerwise matrices equal to one shared pair are
 * the shared model (and its gradient is the per-layer split of the shared gradient); the
 * layerwise structure leaves out the unused B_0; a finite L_tr with target `label` trains on
 * finite-context statistics against the noisy labels, the same prompts and tied fit as
 * `train({ model: "lca2" })`; every random start is recorded and the lowest training loss
 * kept; the finite-context test excess integrates the query against Sigma = I + m m^T; the
 * options are validated. Each check has a control that fails. Tiny sizes, fixed seeds.
 *
 * @module
 */

import assert from "node:assert/strict";
import { samplePromptStatistics } from "../model/prompt_statistics.ts";
import { exactExcess, untiedLoss, untiedPredict, untiedStructure } from "../model/untied.ts";
import { train } from "../training/training.ts";
import { randomUntied } from "../training/untied_training.ts";
import {
  replicateLayers,
  resolveUntiedSweep,
  sweepStructure,
  taskExcess,
  untiedSweep,
  untiedSweepData,
  type UntiedSweepOptions,
} from "./untied_sweep.ts";

const TINY: UntiedSweepOptions = {
  depths: [2],
  prompts: 200,
  testPrompts: 100,
  steps: 15,
  d1: 1,
  d2: 1,
  seed: 3,
};

Deno.test("untied sweep: layerwise with A_t = A, B_t = B for all t is the shared model", () => {
  const stats = samplePromptStatistics({ prompts: 50, context: 30, seed: 1 });
  const shared = randomUntied(4, 3, false, 0.5, 7);
  const layers = replicateLayers(shared);
  assert.equal(layers.layerwise, true);
  assert.equal(layers.a.length, 3 * 16);
  assert.deepEqual(untiedPredict(stats, layers), untiedPredict(stats, shared));
  // The shared gradient is the sum over layers of the layerwise gradient (chain rule).
  const target = Float64Array.from(stats.queryLabel);
  const gs = untiedLoss(stats, target, shared), gl = untiedLoss(stats, target, layers);
  assert.equal(gl.loss, gs.loss);
  const summed = (g: Float64Array) => g.subarray(0, 16).map((_, i) => g[i] + g[16 + i] + g[32 + i]);
  for (const [l, s] of [[gl.a, gs.a], [gl.b, gs.b]]) {
    const sum = summed(l);
    for (let i = 0; i < 16; i++) assert.ok(Math.abs(sum[i] - s[i]) <= 1e-12 * (1 + Math.abs(s[i])));
  }
  // Control: one layer changed is a different model, and one layer's gradient is not the sum.
  const changed = { ...layers, a: Float64Array.from(layers.a) };
  changed.a[16 + 5] += 1e-3;
  assert.notDeepEqual(untiedPredict(stats, changed), untiedPredict(stats, shared));
  assert.ok(Math.abs(gl.a[0] - gs.a[0]) > 1e-9);
  assert.throws(() => replicateLayers(layers), RangeError);
});

Deno.test("untied sweep: the layerwise structure leaves out B_0 (it multiplies Sigma q_0 = 0)", () => {
  const p = replicateLayers(randomUntied(4, 3, false, 0.3, 2));
  for (let t = 0; t < 3; t++) {
    for (let j = 0; j < 4; j++) { // clear scalar parts: alpha 0.3, beta -0.3 per layer
      p.a[t * 16 + j * 5] += 0.3;
      p.b[t * 16 + j * 5] -= 0.3;
    }
  }
  const skewless = sweepStructure(p);
  // B_0 := a large skew matrix: the loss does not see it ...
  const stats = samplePromptStatistics({ prompts: 20, context: 40, seed: 4 });
  const before = untiedPredict(stats, p);
  p.b[1] += 5;
  p.b[4] -= 5;
  assert.deepEqual(untiedPredict(stats, p), before);
  // ... and neither does the row's B structure.
  const s = sweepStructure(p);
  assert.equal(s.bSkew, skewless.bSkew);
  assert.equal(s.layers!.length, 3);
  assert.ok(s.layers![0].bSkew > 1);
  assert.equal(s.aSkew, Math.max(...s.layers!.map((l) => l.aSkew)));
  // Control: the all-layer maximum of untiedStructure does see it.
  assert.ok(untiedStructure(p).bSkew > 1);
  assert.ok(!(skewless.bSkew > 1));
});

Deno.test("untied sweep: finite L_tr with target label trains on finite-context statistics and labels", () => {
  const o = { ...TINY, d1: 2, d2: 2, context: 100, target: "label" as const };
  const data = untiedSweepData(o);
  assert.equal(data.train.context, 100);
  assert.deepEqual(data.target, Float64Array.from(data.train.queryLabel));
  // Sigma_hat from 100 tokens, not the task covariance I + m m^T.
  const exact = samplePromptStatistics({ d1: 2, d2: 2, prompts: 200, context: Infinity, seed: 3 });
  assert.deepEqual(data.train.spike, exact.spike);
  assert.ok(Math.abs(data.train.sigmaHat[0] - exact.sigmaHat[0]) > 1e-6);
  // The test prompts: exact moments, and the same tasks and queries at L_te = L_tr.
  assert.equal(data.test.context, Infinity);
  assert.equal(data.testFinite!.context, 100);
  assert.deepEqual(data.testFinite!.query, data.test.query);
  // Control: the defaults are the population proxy (exact statistics, Bayes target).
  const proxy = untiedSweepData({ ...o, context: undefined, target: undefined });
  assert.equal(proxy.train.context, Infinity);
  assert.equal(proxy.testFinite, undefined);
  assert.throws(() => assert.deepEqual(proxy.target, Float64Array.from(proxy.train.queryLabel)));
});

Deno.test("untied sweep: the trained tied model is train({ model: 'lca2' }) on the same loss", () => {
  const o = { ...TINY, d1: 2, d2: 2, context: 100, target: "label" as const };
  const [row] = untiedSweep(o);
  const reference = train({
    model: "lca2",
    d1: 2,
    d2: 2,
    depth: 2,
    prompts: 200,
    context: 100,
    target: "label",
    steps: 15,
    seed: 3,
    testPrompts: 2,
  });
  assert.ok(reference.parameters.model === "lca2");
  assert.equal(row.tiedTrained.alpha, reference.parameters.lca.alpha);
  assert.equal(row.tiedTrained.beta, reference.parameters.lca.beta);
  assert.equal(row.tiedTrained.trainLoss, reference.trainLoss);
  assert.equal(row.context, 100);
  assert.equal(row.target, "label");
  assert.equal(row.finiteTest!.context, 100);
  assert.ok(row.inits.at(-1)!.init.startsWith("tied trained"));
  // Control: the Bayes target is a different loss with a different fit.
  const bayes = train({
    model: "lca2",
    d1: 2,
    d2: 2,
    depth: 2,
    prompts: 200,
    context: 100,
    target: "bayes",
    steps: 15,
    seed: 3,
    testPrompts: 2,
  });
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

Deno.test("untied sweep: options are validated, naming the value", () => {
  assert.throws(() => resolveUntiedSweep({ ...TINY, scales: [0] }), /scales\[0\]/);
  assert.throws(() => resolveUntiedSweep({ ...TINY, fromShared: true }), RangeError);
  assert.throws(() => resolveUntiedSweep({ ...TINY, context: 0.5 }), /context/);
  // Control: the same values, valid, pass.
  assert.equal(resolveUntiedSweep({ ...TINY, scales: [0.1], context: 3 }).context, 3);
});
