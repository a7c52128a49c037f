/**
 * The structure the C11 sweep reports: layerwise matrices equal to one shared pair are the
 * shared model (and its gradient is the per-layer split of the shared gradient); the
 * layerwise structure leaves out the unused B_0. Each check has a control that fails.
 *
 * @module
 */

import assert from "node:assert/strict";
import { samplePromptStatistics } from "../model/prompt_statistics.ts";
import { untiedLoss, untiedPredict, untiedStructure } from "../model/untied.ts";
import { randomUntied } from "../training/untied_training.ts";
import { replicateLayers, sweepStructure } from "./sweep_structure.ts";

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
