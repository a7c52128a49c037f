import { C6_CLAIM } from "../src/claims/c6_two_parameter.ts";
import { assertSnapshot } from "../testkit/snapshot.ts";
import { C6, checkC6 } from "../src/claims/c6_two_parameter.ts";
import {
  assertCaught,
  assertEveryT5Skipped,
  assertPowerControl,
  narrowSupportTasks,
  PROOF_SEED,
  stepParts,
} from "../testkit/proof_support.ts";
import assert from "node:assert/strict";
import { twoParameterOptimum } from "../src/theory/two_parameter_optimum.ts";
import type { SpikeLaw } from "../src/model/law.ts";

Deno.test(`${C6.id} report snapshot (seed 0, quick)`, (t) => assertSnapshot(t, C6_CLAIM));

// The steps of the main proof below, one function each (in step order).

async function flippedSkipSignControl(): Promise<void> {
  assertCaught(await checkC6({ seed: PROOF_SEED, controls: { signs: { skipSign: -1 } } }));
}

async function powerControl(): Promise<void> {
  assertPowerControl(
    await checkC6({ seed: PROOF_SEED, perturb: { part: "*", margins: 3 } }),
    3,
    {
      "two-parameter-limits": /trained .* vs optimum/,
      "empirical-two-parameter": /fitted .* vs optimum/,
    },
  );
}

async function shearedOptimumControl(): Promise<void> {
  const sheared = (law: SpikeLaw, depth: number) => {
    const best = twoParameterOptimum(law, depth);
    const delta = 0.05 * best.alpha;
    return { alpha: best.alpha + delta, beta: best.beta - delta };
  };
  const result = await checkC6({ seed: PROOF_SEED, controls: { optimum: sheared } });
  assertCaught(result, "empirical-two-parameter");
  assert.match(result.parts[1].measured, /T=\d: fitted \(\S+ ± \S+, \S+ ± \S+\) vs optimum/);
}

async function ratioConvergenceControls(): Promise<void> {
  const withGap =
    (gaps: Record<number, number>) =>
    (_law: SpikeLaw, depth: number, point: { alpha: number; beta: number }) =>
      depth in gaps ? { alpha: -point.beta * (1 + gaps[depth]), beta: point.beta } : point;
  const rising = await checkC6({
    seed: PROOF_SEED,
    controls: { trained: withGap({ 10: 1e-9, 20: 2e-9 }) },
  });
  assertCaught(rising, "two-parameter-limits");
  assert.match(
    rising.parts[0].measured,
    /not converging: at T=20 .*\|alpha\/\(-beta\)-1\| (1\.9|2\.0)\d*e-9 is not below T=10's (0\.9|1\.0)\d*e-9/,
  );
  const aboveFirst = await checkC6({
    seed: PROOF_SEED,
    controls: { trained: withGap({ 5: 1e-9, 10: 0.5e-9, 20: 1.1e-9 }) },
  });
  assertCaught(aboveFirst, "two-parameter-limits");
  assert.match(
    aboveFirst.parts[0].measured,
    /\| 1\.(0|1)\d*e-9 is not below T=5's (1\.0\d*e-9|9\.9\d*e-10)/,
  );
  // The oscillation `calibrate` found (Beta(0.63, 0.5) on [0.006, 6.004]): passes.
  const oscillating = await checkC6({
    seed: PROOF_SEED,
    controls: { trained: withGap({ 5: 2.502e-3, 10: 2.587e-3, 20: 6.662e-5 }) },
  });
  assert.equal(oscillating.parts[0].passed, true, oscillating.parts[0].measured);
  const floor = await checkC6({
    seed: PROOF_SEED,
    controls: { trained: withGap({ 10: 0, 20: 4 * Number.EPSILON }) },
  });
  assert.equal(floor.parts[0].passed, true, floor.parts[0].measured);
  const above = await checkC6({
    seed: PROOF_SEED,
    controls: { trained: withGap({ 10: 0, 20: 64 * Number.EPSILON }) },
  });
  assertCaught(above, "two-parameter-limits");
  // Ratios -3, -2, -1.001 at T = 5, 10, 20: the gap to 1 falls (4, 3, 2.001), but towards -1.
  const towards = { 5: 3, 10: 2, 20: 1.001 } as Record<number, number>;
  const flipped = await checkC6({
    seed: PROOF_SEED,
    controls: {
      trained: (_law, depth, point) => ({
        alpha: point.beta * towards[depth],
        beta: point.beta,
      }),
    },
  });
  assertCaught(flipped, "two-parameter-limits");
  assert.match(
    flipped.parts[0].measured,
    /alpha_T\/\(-beta_T\) = \S+ at T=20 is converging to -1/,
  );
}

async function stoppedTrainingControls(): Promise<void> {
  for (const iterations of [0, 1]) {
    const result = await checkC6({
      seed: PROOF_SEED,
      controls: { empiricalIterations: iterations },
    });
    assertCaught(result, "empirical-two-parameter");
    assert.match(
      result.parts[1].measured,
      /training stopped short: empirical loss \S+ at the fit \(\S+, \S+\) > \S+ at the population optimum \+ rounding \S+/,
    );
    assert.ok(result.parts[0].passed);
  }
}

async function skippedDepthsControl(): Promise<void> {
  const result = await checkC6({
    seed: PROOF_SEED,
    controls: { empiricalTasks: narrowSupportTasks },
  });
  assert.equal(result.parts[1].passed, true, result.parts[1].measured);
  assertEveryT5Skipped(result.parts[1].measured);
  // At a wide support nothing is skipped.
  const wide = await checkC6({ seed: PROOF_SEED });
  assert.match(wide.parts[1].measured, /; 0 of \d+ depth checks skipped$/);
}

async function wrongOptimumControl(): Promise<void> {
  const wrong = (law: Parameters<typeof twoParameterOptimum>[0], depth: number) => {
    const best = twoParameterOptimum(law, depth);
    return { alpha: best.alpha, beta: 1.01 * best.beta };
  };
  const result = await checkC6({ seed: PROOF_SEED, controls: { optimum: wrong } });
  assertCaught(result, "empirical-two-parameter");
  assert.ok(result.parts[0].passed);
}

Deno.test(`${C6.id} (${C6.theorem}): ${C6.statement}`, async (t) => {
  await stepParts(t, await checkC6({ seed: PROOF_SEED }));
  await t.step(
    "negative control: with the sign of W_S flipped, alpha_T/(-beta_T) does not go to 1",
    flippedSkipSignControl,
  );
  await t.step("power control: every part fails when shifted by 3 margins", powerControl);
  await t.step(
    "control: alpha and beta moved 5% in opposite directions (alpha + beta kept) fail the " +
      "alpha and beta checks, not the sum's",
    shearedOptimumControl,
  );
  await t.step(
    "controls of the ratio's convergence: a ratio gap rising from T = 10 to 20 fails, and so " +
      "does one at T = 20 above T = 5's; gaps falling overall but rising from T = 5 to 10 pass " +
      "(the claim is the limit); gaps within 8 eps (the rounding floor) pass; a ratio tending " +
      "to -1 fails",
    ratioConvergenceControls,
  );
  await t.step(
    "controls: training that stops at the paper's initialisation, or after one Gauss-Newton " +
      "step, fails the empirical part for its loss (not only for its distance)",
    stoppedTrainingControls,
  );
  await t.step(
    "control: depths whose residuals are rounding are skipped, and reported as skipped",
    skippedDepthsControl,
  );
  await t.step(
    "negative control: an optimum with beta 1% off is not what training on samples finds",
    wrongOptimumControl,
  );
});
