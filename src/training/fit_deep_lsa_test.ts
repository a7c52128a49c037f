import assert from "node:assert/strict";
import {
  bayesTarget,
  samplePromptStatistics,
  spectralStatistics,
} from "../model/prompt_statistics.ts";
import { deepLsaSpectralLoss } from "../model/losses.ts";
import { resolveTrain } from "./train_options.ts";
import { fitDeepLsa } from "./fit_deep_lsa.ts";

const STATS = samplePromptStatistics({ d1: 2, d2: 1, prompts: 300, context: 30, seed: 3 });
const TARGETS = bayesTarget(STATS);
const SPECTRAL = spectralStatistics(STATS);

Deno.test("fitDeepLsa: a converged fit of the requested depth", () => {
  const deep = resolveTrain({ model: "deep-lsa", d1: 2, d2: 1, depth: 2, steps: 400 });
  const fit = fitDeepLsa(deep, STATS, TARGETS);
  assert.ok(fit.parameters.model === "deep-lsa");
  assert.equal(fit.parameters.deepLsa.depth, 2);
  assert.ok(fit.run.gradientNorm <= 1e-6 * (1 + fit.run.loss), `gradient ${fit.run.gradientNorm}`);
  assert.equal(fit.run.parameters[0], fit.parameters.deepLsa.alpha);
});

Deno.test("fitDeepLsa: the deep-LSA fit is a stationary point of deepLsaSpectralLoss", () => {
  const r = resolveTrain({ model: "deep-lsa", d1: 2, d2: 1, depth: 2, steps: 400 });
  const fit = fitDeepLsa(r, STATS, TARGETS);
  assert.ok(fit.parameters.model === "deep-lsa");
  const at = deepLsaSpectralLoss(SPECTRAL, TARGETS, fit.parameters.deepLsa);
  const start = deepLsaSpectralLoss(SPECTRAL, TARGETS, { alpha: 0, beta: 0, depth: 2 });
  assert.ok(at.loss < start.loss, `${at.loss} vs ${start.loss} at (0, 0)`);
  assert.ok(Math.hypot(at.alpha, at.beta) <= 1e-6, `gradient (${at.alpha}, ${at.beta})`);
  assert.equal(fit.run.loss, at.loss);
});
