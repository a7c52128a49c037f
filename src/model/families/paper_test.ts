import assert from "node:assert/strict";
import { RESPONSE_LOADING } from "../reconstructed.ts";
import { resolveSample, resolveTask } from "../task.ts";
import { sampleTokenStatistics } from "../token_statistics.ts";
import { sampleWishartStatistics } from "../wishart.ts";
import {
  PAPER_FAMILY,
  paperBayesTarget,
  resolvePaperTask,
  samplePaperNestedStatistics,
  samplePaperStatistics,
} from "./paper.ts";

const OPTIONS = { d1: 2, d2: 1, prompts: 4, seed: 6, sigma: 0.3 };

Deno.test("resolvePaperTask: the validated task as it is; a covariance is refused", () => {
  const config = resolveTask({ d1: 2, d2: 1 });
  assert.equal(resolvePaperTask(config, undefined), config);
  assert.equal(config.family, undefined);
  assert.throws(
    () => resolvePaperTask(config, "identity"),
    /^RangeError: covariance applies to family "regression" only, got family "paper" with covariance "identity"$/,
  );
  assert.deepEqual(PAPER_FAMILY.taskOptions(), {});
});

Deno.test("samplePaperStatistics: the sample's sampler; nested lengths end in exact moments", () => {
  const wishart = resolveSample({ ...OPTIONS, context: 9 });
  assert.equal(wishart.sampler, "wishart");
  assert.deepEqual(samplePaperStatistics(wishart), sampleWishartStatistics(wishart, [9])[0]);
  const tokens = resolveSample({ ...OPTIONS, context: 9, sampler: "tokens" });
  assert.deepEqual(samplePaperStatistics(tokens), sampleTokenStatistics(tokens, [9])[0]);
  assert.notDeepEqual(
    samplePaperStatistics(tokens).sigmaHat,
    samplePaperStatistics(wishart).sigmaHat,
  );
  const nested = samplePaperNestedStatistics(wishart, [9, 12, Infinity]);
  assert.deepEqual(nested.slice(0, 2), sampleWishartStatistics(wishart, [9, 12]));
  const exact = sampleTokenStatistics({ ...wishart, context: Infinity }, [Infinity])[0];
  assert.deepEqual(nested[2], exact);
  assert.deepEqual(samplePaperNestedStatistics(wishart, [Infinity]), [exact]);
});

Deno.test("paperBayesTarget: l m^T x_q / (1 + s) of each prompt", () => {
  const stats = samplePaperStatistics(resolveSample({ ...OPTIONS, context: 5 }));
  const target = paperBayesTarget(stats);
  for (let n = 0; n < stats.prompts; n++) {
    let dot = 0;
    for (let j = 0; j < 3; j++) dot += stats.spike[n * 3 + j] * stats.query[n * 3 + j];
    assert.equal(target[n], RESPONSE_LOADING * dot / (1 + stats.strength[n]));
  }
  assert.equal(PAPER_FAMILY.closedFormBayesRisk(stats.task), undefined);
});
