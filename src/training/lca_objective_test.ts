import assert from "node:assert/strict";
import {
  bayesTarget,
  samplePromptStatistics,
  spectralStatistics,
} from "../model/prompt_statistics.ts";
import { resolveTrain } from "./train_options.ts";
import { empiricalBestAlpha, lcaInitial, lcaObjective } from "./lca_objective.ts";

const STATS = samplePromptStatistics({ d1: 2, d2: 1, prompts: 300, context: 30, seed: 3 });
const TARGETS = bayesTarget(STATS);
const SPECTRAL = spectralStatistics(STATS);

Deno.test("lcaObjective: gradients equal central differences of the loss (one and two parameters)", () => {
  const h = 1e-6;
  for (const [one, theta] of [[true, [0.2]], [false, [0.2, -0.15]]] as const) {
    const f = lcaObjective(SPECTRAL, TARGETS, 4, one);
    const at = f(Float64Array.from(theta));
    theta.forEach((_, i) => {
      const up = Float64Array.from(theta), down = Float64Array.from(theta);
      up[i] += h;
      down[i] -= h;
      const fd = (f(up).loss - f(down).loss) / (2 * h);
      assert.ok(
        Math.abs(at.gradient[i] - fd) <= 1e-6 * (Math.abs(fd) + 1e-3),
        `one=${one}, component ${i}: ${at.gradient[i]} vs ${fd}`,
      );
    });
    assert.equal(at.gradient.length, theta.length);
  }
  // One parameter means beta = -alpha: the loss equals the two-parameter loss there.
  const one = lcaObjective(SPECTRAL, TARGETS, 4, true)(new Float64Array([0.3])).loss;
  const two = lcaObjective(SPECTRAL, TARGETS, 4, false)(new Float64Array([0.3, -0.3])).loss;
  assert.equal(one, two);
});

Deno.test("empiricalBestAlpha: the loss is stationary in alpha there (beta fixed)", () => {
  for (const [beta, depth] of [[-0.3, 4], [-0.1, 1], [0.05, 7]]) {
    const alpha = empiricalBestAlpha(SPECTRAL, TARGETS, beta, depth);
    const f = lcaObjective(SPECTRAL, TARGETS, depth, false);
    const g = f(new Float64Array([alpha, beta])).gradient[0];
    const curvature = (f(new Float64Array([alpha + 1e-4, beta])).gradient[0] - g) / 1e-4;
    assert.ok(
      Math.abs(g / curvature) <= 1e-10 * Math.abs(alpha),
      `beta ${beta}: step ${g / curvature}`,
    );
  }
  // No signal at all: 0.
  assert.equal(empiricalBestAlpha(SPECTRAL, new Float64Array(300), -0.2, 3), 0);
});

Deno.test("lcaInitial: lca1 at alpha 0; lca2 at beta_0 = -1/(1 + m_hi), alpha*(beta_0); or as given", () => {
  const lca1 = resolveTrain({ model: "lca1", mMax: 3 });
  assert.deepEqual(lcaInitial(lca1, SPECTRAL, TARGETS), new Float64Array([0]));
  const lca1Given = resolveTrain({ model: "lca1", alphaInit: 0.4 });
  assert.deepEqual(lcaInitial(lca1Given, SPECTRAL, TARGETS), new Float64Array([0.4]));
  const lca2 = resolveTrain({ model: "lca2", mMin: 0.5, mMax: 3, depth: 4 });
  const beta0 = -1 / 4;
  assert.deepEqual(
    lcaInitial(lca2, SPECTRAL, TARGETS),
    new Float64Array([empiricalBestAlpha(SPECTRAL, TARGETS, beta0, 4), beta0]),
  );
  const lca2Beta = resolveTrain({ model: "lca2", betaInit: -0.1, depth: 4 });
  assert.deepEqual(
    lcaInitial(lca2Beta, SPECTRAL, TARGETS),
    new Float64Array([empiricalBestAlpha(SPECTRAL, TARGETS, -0.1, 4), -0.1]),
  );
  const both = resolveTrain({ model: "lca2", alphaInit: 0.7, betaInit: -0.1 });
  assert.deepEqual(lcaInitial(both, SPECTRAL, TARGETS), new Float64Array([0.7, -0.1]));
});

Deno.test("empiricalBestAlpha: 0, not NaN, when no prompt carries signal (every weight 0)", () => {
  const silent = { ...SPECTRAL, weight: new Float64Array(SPECTRAL.weight.length) };
  assert.equal(empiricalBestAlpha(silent, TARGETS, -0.2, 3), 0);
});
