import assert from "node:assert/strict";
import { trainPopulationOneParameter } from "./population_training.ts";
import { lcaExcess } from "../theory/lca_excess.ts";
import { optimalDepthStep } from "../theory/optimal_depth_step.ts";
import type { SpikeLaw } from "../model/law.ts";
import { goldenMinimum } from "../../testkit/golden_section.ts";

const LAW: SpikeLaw = { kind: "uniform", low: 0.5, high: 4 };
const DEPTH = 3;

/** log E_T(skip a, value a) by the plain quadrature (independent of the training code). */
const logExcess = (a: number, skip: number, value: number) =>
  Math.log(lcaExcess(LAW, { alpha: skip * a, beta: value * a, depth: DEPTH }));

Deno.test("trainPopulationOneParameter: the model's signs reach the Newton minimiser of E_T(alpha, -alpha)", () => {
  const run = trainPopulationOneParameter(LAW, DEPTH, 0);
  const newton = optimalDepthStep(LAW, DEPTH);
  assert.ok(run.converged, run.stop.reason);
  // The descent stops at |d log E / d alpha| <= 1e-12; the minimiser is then known to ~1e-12 / H.
  assert.ok(
    Math.abs(run.parameters[0] - newton) <= 1e-9 * newton,
    `${run.parameters[0]} vs ${newton}`,
  );
  assert.ok(Math.abs(run.loss - logExcess(newton, 1, -1)) <= 1e-12);
  assert.ok(run.trajectory.length <= 50, "at most maxRecorded = 50 points are kept");
});

Deno.test("trainPopulationOneParameter: flipped signs train E_T(skip alpha, value alpha) (the generic path)", () => {
  const newton = optimalDepthStep(LAW, DEPTH);
  // W_S = -alpha, W_V = +alpha is the model with alpha -> -alpha: the minimiser is -alpha_T.
  const flipped = trainPopulationOneParameter(LAW, DEPTH, 0, { skipSign: -1, valueSign: 1 });
  assert.ok(flipped.converged);
  assert.ok(Math.abs(flipped.parameters[0] + newton) <= 1e-9 * newton);
  // beta = +alpha (W_V's sign flipped): a different function, minimised where golden section says.
  for (const [skip, value, lo, hi] of [[1, 1, 0, 0.2], [-1, -1, -0.2, 0]]) {
    const run = trainPopulationOneParameter(LAW, DEPTH, 0, { skipSign: skip, valueSign: value });
    const golden = goldenMinimum((a) => logExcess(a, skip, value), lo, hi, 1e-12);
    assert.ok(run.converged, `${skip}, ${value}: ${run.stop.reason}`);
    assert.ok(
      Math.abs(run.parameters[0] - golden) <= 1e-6 * Math.abs(golden),
      `signs ${skip}, ${value}: ${run.parameters[0]} vs golden section ${golden}`,
    );
    assert.ok(Math.abs(run.loss - logExcess(run.parameters[0], skip, value)) <= 1e-12);
  }
  // Control: the model's own minimiser is far from the beta = +alpha one (0.287 vs 0.068).
  assert.ok(Math.abs(newton - goldenMinimum((a) => logExcess(a, 1, 1), 0, 0.2, 1e-12)) > 0.1);
});

Deno.test("trainPopulationOneParameter: the reported gradient is d log E_T / d alpha, and steps caps the descent", () => {
  for (const [skip, value] of [[1, -1], [-1, 1], [1, 1], [-1, -1]]) {
    const run = trainPopulationOneParameter(LAW, DEPTH, 0, { skipSign: skip, valueSign: value }, 1);
    assert.equal(run.steps, 1);
    assert.equal(run.converged, false);
    const a = run.parameters[0];
    const h = 1e-5;
    const slope = (logExcess(a + h, skip, value) - logExcess(a - h, skip, value)) / (2 * h);
    // Central difference: truncation ~h^2 |f'''| and rounding ~1e-16 / h, both < 1e-6 relative.
    assert.ok(
      Math.abs(run.gradientNorm - Math.abs(slope)) <= 1e-6 * Math.abs(slope),
      `signs ${skip}, ${value}: |g| ${run.gradientNorm} vs central difference ${slope}`,
    );
    assert.ok(Math.abs(slope) > 1e-3, "one step from 0 is not yet at the minimum");
  }
});
