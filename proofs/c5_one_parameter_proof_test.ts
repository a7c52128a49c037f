import { C5_CLAIM } from "../src/claims/c5_one_parameter.ts";
import { assertSnapshot } from "../testkit/snapshot.ts";
import assert from "node:assert/strict";
import { C5, checkC5 } from "../src/claims/c5_one_parameter.ts";
import { alphaStar, geometricBound } from "../src/theory/population.ts";
import { lcaExcess } from "../src/theory/lca_excess.ts";
import { optimalDepthStep } from "../src/theory/optimal_depth_step.ts";
import fc from "npm:fast-check@^4";
import type { SpikeLaw } from "../src/model/law.ts";
import {
  assertCaught,
  assertEveryT5Skipped,
  assertPowerControl,
  narrowSupportTasks,
  PROOF_SEED,
  stepParts,
} from "../testkit/proof_support.ts";

Deno.test(`${C5.id} report snapshot (seed 0, quick)`, (t) => assertSnapshot(t, C5_CLAIM));

// The steps of the main proof below, one function each (in step order).

async function flippedValueSignControl(): Promise<void> {
  const result = await checkC5({ seed: PROOF_SEED, controls: { signs: { valueSign: 1 } } });
  assertCaught(result);
  // Each part fails on its own comparison (not on the GD-vs-Newton certificate, which is
  // skipped for flipped signs): the distances to alpha* grow, and alpha_hat is far from alpha_T.
  assert.match(result.parts[0].measured, /not decreasing: T=1: \S+, T=2: \S+, alpha\*=\S+/);
  assert.match(result.parts[1].measured, /not decreasing: T=1: \S+, T=40: \S+, alpha\*=\S+/);
  assert.match(result.parts[2].measured, /T=2: alpha_hat \S+ ± \S+ vs alpha_T \S+/);
}

async function shrunkBoundControl(): Promise<void> {
  const half = (law: Parameters<typeof geometricBound>[0], depth: number) =>
    geometricBound(law, depth) * 1e-3;
  const result = await checkC5({ seed: PROOF_SEED, controls: { bound: half } });
  assertCaught(result, "population-uniform");
  assert.match(result.parts[0].measured, /E_T\(alpha_T\) = \S+ above the bound \S+/);
}

async function reflectedAlphaControl(): Promise<void> {
  const reflected = (law: SpikeLaw, _depth: number, alpha: number) => 2 * alphaStar(law) - alpha;
  const result = await checkC5({ seed: PROOF_SEED, controls: { trained: reflected } });
  assertCaught(result, "population-uniform");
  assert.match(result.parts[0].measured, /not increasing from below at T=2: /);
}

async function anyLawApproachControls(): Promise<void> {
  // Beta(0.5, 0.55) on [0.779, 1.03]: |alpha_T - alpha*| = 7.0e-4, 2.6e-4, 4.6e-5, 3.2e-6,
  // 1.5e-5, 1.5e-5 at T = 1, 2, 5, 10, 20, 40 (alpha_T overshoots alpha*).
  const overshoot: SpikeLaw = { kind: "beta", a: 0.5, b: 0.55, low: 0.779, high: 1.03 };
  const laws = { population: fc.constant(overshoot) };
  const held = await checkC5({
    seed: PROOF_SEED,
    controls: { populationLaws: laws.population },
  });
  assert.equal(held.parts[1].passed, true, held.parts[1].measured);
  const away = (law: SpikeLaw, depth: number, alpha: number) =>
    depth === 40 ? alphaStar(law) - 1.01 * (alphaStar(law) - optimalDepthStep(law, 1)) : alpha;
  const failed = await checkC5({
    seed: PROOF_SEED,
    controls: { populationLaws: laws.population, trained: away },
  });
  assertCaught(failed, "population-any-law");
  assert.match(failed.parts[1].measured, /not decreasing: T=1: \S+, T=40: \S+/);
}

async function crossingAlphaControl(): Promise<void> {
  const crossing = (law: SpikeLaw, depth: number, alpha: number) =>
    depth === 40 ? alphaStar(law) * (1 + 1e-12) : alpha;
  const result = await checkC5({ seed: PROOF_SEED, controls: { trained: crossing } });
  assertCaught(result, "population-uniform");
  assert.match(result.parts[0].measured, /not increasing from below at T=40: /);
  assert.equal(result.parts[1].passed, true);
}

async function boundSlackControls(): Promise<void> {
  // The Newton minimiser's excess is below the trained one by ~1e-12 relative (alpha_T is
  // within 1e-6 of it and the excess is flat there): a bound at E_T(alpha_Newton) x c.
  const at = (factor: number) => (law: SpikeLaw, depth: number) => {
    const alpha = optimalDepthStep(law, depth);
    return lcaExcess(law, { alpha, beta: -alpha, depth }) * factor;
  };
  const inside = await checkC5({ seed: PROOF_SEED, controls: { bound: at(1 - 0.5e-9) } });
  assert.equal(inside.parts[0].passed, true, inside.parts[0].measured);
  assert.equal(inside.parts[1].passed, true, inside.parts[1].measured);
  const outside = await checkC5({ seed: PROOF_SEED, controls: { bound: at(1 - 2e-9) } });
  assertCaught(outside, "population-uniform");
  assert.match(outside.parts[0].measured, /E_T\(alpha_T\) = \S+ above the bound \S+/);
}

async function skippedDepthsControl(): Promise<void> {
  const result = await checkC5({
    seed: PROOF_SEED,
    controls: { empiricalTasks: narrowSupportTasks },
  });
  assert.equal(result.parts[2].passed, true, result.parts[2].measured);
  assertEveryT5Skipped(result.parts[2].measured);
  // At a wide support nothing is skipped.
  const wide = await checkC5({ seed: PROOF_SEED });
  assert.match(wide.parts[2].measured, /; 0 of \d+ depth checks skipped$/);
}

async function powerControl(): Promise<void> {
  assertPowerControl(
    await checkC5({ seed: PROOF_SEED, perturb: { part: "*", margins: 3 } }),
    3,
    {
      "population-uniform": /GD .* vs minimiser/,
      "population-any-law": /GD .* vs minimiser/,
      "empirical-bayes-target": /alpha_hat .* vs alpha_T/,
    },
  );
}

Deno.test(`${C5.id} (${C5.theorem}): ${C5.statement}`, async (t) => {
  await stepParts(t, await checkC5({ seed: PROOF_SEED }));
  await t.step(
    "negative control: with the sign of W_V flipped, trained alpha does not go to alpha*",
    flippedValueSignControl,
  );
  await t.step(
    "negative control: the bound on E_T(alpha_T) times 1e-3 is violated (a one-sided bound with " +
      "slack: at T = 40, E_T(alpha_T) is ~1.6e-3 of rho*^{2T} E[s/(1+s)])",
    shrunkBoundControl,
  );
  await t.step(
    "control: alpha_T reflected above alpha* (same distances) fails only the from-below check",
    reflectedAlphaControl,
  );
  await t.step(
    "any law: a non-monotone approach to alpha* holds (found by shrinking), a last depth " +
      "farther than the first fails",
    anyLawApproachControls,
  );
  await t.step(
    "near-margin control: alpha_T at the last depth 1e-12 above alpha* (distance still falling)",
    crossingAlphaControl,
  );
  await t.step(
    "near-margin controls of the bound's 1e-9 relative slack: E_T(alpha_T) 0.5e-9 above a " +
      "bound passes, 2e-9 above fails",
    boundSlackControls,
  );
  await t.step(
    "control: depths whose residuals are rounding are skipped, and reported as skipped",
    skippedDepthsControl,
  );
  await t.step("power control: every part fails when shifted by 3 margins", powerControl);
});
