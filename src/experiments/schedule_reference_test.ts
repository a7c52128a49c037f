/**
 * The schedule reference of the untied sweep: the layerwise parameters of a scalar schedule
 * predict as the Richardson steps do, the population excess is `optimalSchedule`'s, the test
 * excess estimates it, and the paired difference is that of the two models' test excesses.
 * Controls: a tied model is worse than the schedule at T = 4, by more than its paired SE.
 *
 * @module
 */

import assert from "node:assert/strict";
import { samplePromptStatistics } from "../model/prompt_statistics.ts";
import { exactExcess, untiedFromTied, untiedPredict } from "../model/untied.ts";
import { estimateMean } from "../model/risk.ts";
import { optimalSchedule } from "../theory/optimal_schedule.ts";
import { scheduleAsUntied, scheduleReference } from "./schedule_reference.ts";

const train = samplePromptStatistics({ prompts: 400, context: Infinity, seed: 4 });
const test = samplePromptStatistics({ prompts: 2000, context: Infinity, seed: 4, stream: 1 });
const law = train.task.law;

Deno.test("scheduleAsUntied: A_t = alpha_t I and B_t = -alpha_t I give the Richardson steps", () => {
  const alphas = [0.5, 0.2, 0.3];
  const p = scheduleAsUntied(alphas, 4);
  const predictions = untiedPredict(train, p);
  for (const n of [0, 17, 399]) {
    // q <- q + alpha_t (x_q - Sigma_hat q), readout q^T mu_hat.
    const S = train.sigmaHat.subarray(n * 16, n * 16 + 16);
    const x = train.query.subarray(n * 4, n * 4 + 4);
    let q = new Float64Array(4);
    for (const a of alphas) {
      const next = new Float64Array(4);
      for (let i = 0; i < 4; i++) {
        let sq = 0;
        for (let j = 0; j < 4; j++) sq += S[i * 4 + j] * q[j];
        next[i] = q[i] + a * (x[i] - sq);
      }
      q = next;
    }
    let y = 0;
    for (let i = 0; i < 4; i++) y += q[i] * train.muHat[n * 4 + i];
    assert.ok(Math.abs(predictions[n] - y) <= 1e-13 * (1 + Math.abs(y)));
  }
  // Control: the constant schedule is the tied model with beta = -alpha.
  const tied = untiedPredict(train, untiedFromTied(0.3, -0.3, 4, 3, true));
  assert.deepEqual(untiedPredict(train, scheduleAsUntied([0.3, 0.3, 0.3], 4)), tied);
});

Deno.test("scheduleReference: quadrature excess, test estimate within 5 SE, paired difference", () => {
  const T = 4;
  const optimum = optimalSchedule(law, T);
  const own = exactExcess(test, (s) => untiedPredict(s, scheduleAsUntied(optimum.alphas, 4)));
  const zero = scheduleReference(T, train, new Float64Array(400), test, own);
  assert.deepEqual(zero.alphas, optimum.alphas);
  assert.equal(zero.population, optimum.excess);
  assert.equal(zero.difference.mean, 0);
  const { mean, standardError } = estimateMean(own);
  assert.equal(zero.excess, mean);
  assert.ok(Math.abs(mean - optimum.excess) < 5 * standardError);
  // Control: the tied (alpha, -alpha) model is worse than the schedule by more than 5 paired SE.
  const tied = exactExcess(test, (s) => untiedPredict(s, untiedFromTied(0.3, -0.3, 4, T)));
  const r = scheduleReference(T, train, new Float64Array(400), test, tied);
  assert.ok(r.difference.mean > 5 * r.difference.standardError);
  // Training loss against the targets given: zero targets give the mean squared prediction.
  const p = untiedPredict(train, scheduleAsUntied(optimum.alphas, 4));
  assert.ok(Math.abs(r.trainLoss - p.reduce((a, v) => a + v * v, 0) / 400) < 1e-15);
});
