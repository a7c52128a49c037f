/**
 * The prompts of the C11 sweep: a finite L_tr with target `label` trains on finite-context
 * statistics against the noisy labels, and the test prompts carry the same tasks and queries
 * at L_te = L_tr; the defaults are the population proxy. Tiny sizes, fixed seeds.
 *
 * @module
 */

import assert from "node:assert/strict";
import { TINY_UNTIED_SWEEP as TINY } from "../../testkit/sweep_fixtures.ts";
import { samplePromptStatistics } from "../model/prompt_statistics.ts";
import { untiedSweepData } from "./untied_sweep_data.ts";

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

Deno.test("untied sweep: the sampler option reaches the finite-context training and test prompts", () => {
  const o = { ...TINY, d1: 2, d2: 2, context: 100 };
  for (const sampler of ["tokens", "wishart"] as const) {
    const data = untiedSweepData({ ...o, sampler });
    const want = samplePromptStatistics({
      d1: 2,
      d2: 2,
      prompts: 200,
      context: 100,
      seed: 3,
      sampler,
    });
    assert.deepEqual(data.train.sigmaHat, want.sigmaHat);
  }
  // Control: the two samplers draw different statistics from the same seed; auto is wishart.
  const tokens = untiedSweepData({ ...o, sampler: "tokens" });
  const auto = untiedSweepData(o);
  assert.notDeepEqual(tokens.train.sigmaHat, auto.train.sigmaHat);
  assert.deepEqual(
    auto.testFinite!.sigmaHat,
    untiedSweepData({ ...o, sampler: "wishart" }).testFinite!.sigmaHat,
  );
});
