import assert from "node:assert/strict";
import { bayesTarget, samplePromptStatistics } from "../model/prompt_statistics.ts";
import { lsaReducedPredict } from "../model/predictors.ts";
import { lsaLoss } from "../model/losses.ts";
import { lsaFromGamma } from "../model/models.ts";
import { resolveTrain } from "./train_options.ts";
import { fitLsa, fitReducedLsa, splitLsa } from "./fit_lsa.ts";

const STATS = samplePromptStatistics({ d1: 2, d2: 1, prompts: 300, context: 30, seed: 3 });
const TARGETS = bayesTarget(STATS);

Deno.test("splitLsa: p is the first d + 1 entries, K the rest, both views", () => {
  const theta = Float64Array.from({ length: 3 + 3 * 2 }, (_, i) => i);
  const { p, k } = splitLsa(theta, 2);
  assert.deepEqual([...p], [0, 1, 2]);
  assert.deepEqual([...k], [3, 4, 5, 6, 7, 8]);
  theta[0] = 9;
  assert.equal(p[0], 9);
});

Deno.test("fitLsa: the best of the LSA initialisations is kept", () => {
  const lsa = resolveTrain({ model: "lsa", d1: 2, d2: 1, lsaInits: 3, steps: 200 });
  const lsaFit = fitLsa(lsa, STATS, TARGETS);
  assert.equal(lsaFit.initLosses!.length, 3);
  assert.equal(lsaFit.run.loss, Math.min(...lsaFit.initLosses!));
  assert.ok(lsaFit.parameters.model === "lsa");
  assert.equal(lsaFit.parameters.full.p.length, 4);
  assert.equal(lsaFit.parameters.full.k.length, 12);
  assert.throws(
    () => fitLsa(resolveTrain({ model: "lsa", d1: 2, d2: 1, lsaInits: 0 }), STATS, TARGETS),
    /^RangeError: lsaInits must be a positive integer/,
  );
});

Deno.test("fitReducedLsa: its size limits, and exact rank loss is guarded", () => {
  const big = samplePromptStatistics({ d1: 17, d2: 16, prompts: 2, context: Infinity, seed: 1 });
  assert.throws(
    () => fitReducedLsa(big, new Float64Array(2)),
    /^RangeError: d must be at most 32 for the least-squares LSA fit, got 33$/,
  );
  const edge = samplePromptStatistics({ d1: 16, d2: 16, prompts: 2, context: Infinity, seed: 1 });
  assert.throws(
    () => fitReducedLsa(edge, new Float64Array(2)),
    /^RangeError: prompts must be at least d\^2 = 1024 for the LSA fit, got 2$/,
  );
  const small = samplePromptStatistics({ d1: 2, d2: 1, prompts: 9, context: 30, seed: 2 });
  assert.equal(fitReducedLsa(small, small.queryLabel).length, 9); // N = d^2 is enough
  assert.throws(
    () => fitReducedLsa({ ...small, prompts: 8 }, small.queryLabel),
    /^RangeError: prompts must be at least d\^2 = 9 for the LSA fit, got 8$/,
  );
  // Every query along the first axis: the features x_q (x) mu_hat span only 3 of 9 directions
  // (an exactly singular Gram matrix). The 1e-12 trace guard keeps the fit finite, and it still
  // reproduces realisable targets.
  const flat = samplePromptStatistics({ d1: 2, d2: 1, prompts: 40, context: 30, seed: 3 });
  for (let n = 0; n < 40; n++) flat.query.set([1, 0, 0], 3 * n);
  const gammaTrue = [0.5, -0.2, 0.1, 0, 0, 0, 0, 0, 0];
  const targets = lsaReducedPredict(flat, gammaTrue);
  const fitted = fitReducedLsa(flat, targets);
  assert.ok(fitted.every(Number.isFinite), `fit ${fitted}`);
  const refit = lsaReducedPredict(flat, fitted);
  refit.forEach((v, n) => assert.ok(Math.abs(v - targets[n]) <= 1e-6, `prompt ${n}: ${v}`));
});

Deno.test("fitReducedLsa: recovers Gamma exactly from noise-free targets x_q^T Gamma mu_hat", () => {
  const stats = samplePromptStatistics({ prompts: 300, context: 50, seed: 8 });
  const d = stats.task.dim;
  // An asymmetric Gamma with entries of both signs.
  const gamma = Float64Array.from({ length: d * d }, (_, i) => 0.3 * Math.sin(1 + 1.7 * i));
  const fitted = fitReducedLsa(stats, lsaReducedPredict(stats, gamma));
  const error = Math.max(...fitted.map((v, i) => Math.abs(v - gamma[i])));
  // Least squares on exact targets: only Cholesky rounding (cond(Gram) eps ~ 1e-12 here) and
  // the 1e-12 ridge guard remain; 1e-8 is far above both and far below a 1e-3 shrinkage.
  assert.ok(error <= 1e-8, `max |Gamma_fit - Gamma| = ${error}`);
  // Control near the margin: one entry off by 3 tolerances is rejected.
  const nudged = fitted.map((v, i) => (i === 0 ? v + 3e-8 : v));
  assert.ok(Math.max(...nudged.map((v, i) => Math.abs(v - gamma[i]))) > 1e-8);
  // Control: a fit shrunk by 1e-3 relative (a ridge of that size) is rejected.
  const shrunk = fitted.map((v) => v * (1 - 1e-3));
  assert.ok(Math.max(...shrunk.map((v, i) => Math.abs(v - gamma[i]))) > 1e-8);
});

Deno.test("fitLsa, full LSA: Levenberg-Marquardt from the isotropic fit, seeded random inits", () => {
  const base = { model: "lsa" as const, d1: 2, d2: 1 };
  // One initialisation: the run starts at lsaFromGamma(mean diagonal of the reduced fit).
  const calls: number[] = [];
  const one = fitLsa(
    resolveTrain({ ...base, lsaInits: 1, steps: 50, onProgress: (step) => calls.push(step) }),
    STATS,
    TARGETS,
  );
  const gamma = fitReducedLsa(STATS, TARGETS);
  const isotropic = (gamma[0] + gamma[4] + gamma[8]) / 3;
  const start = lsaFromGamma(isotropic, 3);
  assert.deepEqual(one.run.trajectory[0].parameters, [...start.p, ...start.k]);
  assert.equal(one.run.stop.reason, "converged");
  assert.match(one.run.stop.rule, /^Levenberg-Marquardt step/);
  assert.ok(calls.length > 0 && calls.every((s, i) => i === 0 || s > calls[i - 1]), `${calls}`);
  // The fitted loss is lsaLoss at the fitted parameters, below the zero predictor's.
  assert.ok(one.parameters.model === "lsa");
  const full = {
    p: Float64Array.from(one.parameters.full.p),
    k: Float64Array.from(one.parameters.full.k),
  };
  assert.ok(Math.abs(lsaLoss(STATS, TARGETS, full).loss - one.run.loss) <= 1e-15);
  let zero = 0;
  for (const t of TARGETS) zero += t * t / TARGETS.length;
  assert.ok(one.run.loss < zero);
  // The step budget is Levenberg-Marquardt's iteration cap.
  const capped = fitLsa(resolveTrain({ ...base, lsaInits: 1, steps: 2 }), STATS, TARGETS);
  assert.ok(capped.run.steps <= 2, `${capped.run.steps} iterations`);
  // Progress comes from the first initialisation only: one increasing run of steps.
  const progress: number[] = [];
  fitLsa(
    resolveTrain({ ...base, lsaInits: 2, steps: 50, onProgress: (step) => progress.push(step) }),
    STATS,
    TARGETS,
  );
  assert.deepEqual(progress, calls);
  // Random initialisations: seeded by the training seed, and each one trained (below zero).
  const three = fitLsa(resolveTrain({ ...base, lsaInits: 3, seed: 0 }), STATS, TARGETS);
  const other = fitLsa(resolveTrain({ ...base, lsaInits: 3, seed: 5 }), STATS, TARGETS);
  assert.equal(three.initLosses![0], other.initLosses![0]); // init 0 is not random
  assert.notEqual(three.initLosses![1], other.initLosses![1]);
  assert.notEqual(three.initLosses![1], three.initLosses![0]);
  for (const loss of [...three.initLosses!, ...other.initLosses!]) assert.ok(loss < zero);
});
