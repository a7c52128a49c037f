import { C12_CLAIM } from "../src/claims/c12_depth_schedules.ts";
import { assertSnapshot } from "../testkit/snapshot.ts";
import assert from "node:assert/strict";
import { C12, C12_PARTS, checkC12 } from "../src/claims/c12_depth_schedules.ts";
import type { SpikeLaw } from "../src/model/law.ts";
import { optimalDepthStep } from "../src/theory/optimal_depth_step.ts";
import { optimalSchedule, scheduleExcess, scheduleRate } from "../src/theory/optimal_schedule.ts";
import { rateResolvable } from "../src/claims/c12_schedule_parts.ts";
import { rhoStar } from "../src/theory/population.ts";
import { train } from "../src/training/training.ts";
import {
  assertCaught,
  assertPowerControl,
  PROOF_SEED,
  stepParts,
} from "../testkit/proof_support.ts";
import type { ClaimResult } from "../src/claims/claim_result.ts";
import { bonferroniZ } from "../src/claims/margins.ts";

Deno.test(`${C12.id} report snapshot (seed 0, quick)`, (t) => assertSnapshot(t, C12_CLAIM));

/** The optimal steps with the first moved by `relative` (a perturbed schedule). */
const perturbed = (relative: number) => (law: SpikeLaw, depth: number) => {
  const alphas = optimalSchedule(law, depth).alphas;
  alphas[0] *= 1 + relative;
  return alphas;
};

/** The tied optimum alpha_T in every layer, claimed as the optimal schedule. */
const tiedOnly = (law: SpikeLaw, depth: number) =>
  new Array<number>(depth).fill(optimalDepthStep(law, depth));

// The steps of the main proof below, one function each (in step order).

function reportShape(result: ClaimResult, progress: string[]): void {
  assert.deepEqual(result.parts.map((p) => p.name), [...C12_PARTS]);
  assert.equal(progress.length, 7, progress.join("\n"));
  const [brute, one, below, rate, trained] = result.parts;
  for (const part of [brute, one, below, rate]) {
    assert.equal(part.statistical, false, `${part.name} has a float64 or asymptotic margin`);
    assert.ok(part.property !== undefined, `${part.name} is a property`);
  }
  assert.deepEqual(result.parts.map((p) => p.sense), [
    "equal",
    "rounding",
    "rounding",
    "equal",
    "equal",
  ]);
  assert.equal(trained.statistical, true);
  assert.deepEqual(result.parts.map((p) => p.property?.numRuns), [30, 40, 40, 12, undefined]);
  assert.match(brute.measured, /^largest \|E_bf\/E_opt - 1\| = \S+ \(.*, T=\d, margin \S+\)$/);
  assert.match(below.measured, /^smallest gain 1 - E_opt\/E_tied = \S+ \(T=\d+\); smallest/);
  assert.match(rate.measured, /^largest \|slope - 2 log rho_c\| = \S+ \(margin \S+, slope -/);
  assert.match(trained.measured, /^trained excess \S+ ± \S+ vs optimal \S+ \(population/);
  // Margins: rounding-sized for the population parts, 5 SE for the trained one.
  assert.ok(brute.marginValue! < 1e-11 && one.marginValue! < 1e-11 && below.marginValue! < 1e-11);
  // The asymptotic margin is at most 2% of the slope (Beta laws with m_lo = 0 settle slowest).
  assert.ok(rate.marginValue! < 0.02 * Math.abs(rate.targetValue!), `${rate.marginValue}`);
  assert.match(trained.margin, /^5 SE = /);
}

async function trainedMeasured(main: ClaimResult): Promise<void> {
  // The trained part's numbers are those of `train` with the same options, and its target the
  // optimal excess of the default law at T = 4.
  const result = train({
    model: "lca-schedule",
    depth: 4,
    context: Infinity,
    target: "bayes",
    prompts: 4000,
    testPrompts: 4000,
    seed: PROOF_SEED,
  });
  const part = main.parts[4];
  const law: SpikeLaw = { kind: "uniform", low: 0.5, high: 4 };
  assert.equal(part.targetValue, optimalSchedule(law, 4).excess);
  assert.equal(part.measuredValue, result.conditionalTestExcess.mean);
  assert.equal(part.marginValue, bonferroniZ(1) * result.conditionalTestExcess.standardError);
  // The finite-context measurement is recorded for T = 4 and 10 at L_te = 64, 256, 1024.
  const finite = main.details?.finiteContext as { depth: number; contexts: unknown[] }[];
  assert.deepEqual(finite.map((row) => row.depth), [4, 10]);
  for (const row of finite) assert.equal(row.contexts.length, 3);
  await Promise.resolve();
}

async function perturbedScheduleControl(): Promise<void> {
  const result = await checkC12({
    seed: PROOF_SEED,
    controls: { only: ["brute-force-optimum"], schedule: perturbed(1e-7) },
  });
  assertCaught(result, "brute-force-optimum");
  assert.match(result.parts[0].measured, /brute force \S+ beats the optimum's steps/);
  // The resolution: a step moved by 1e-7 raises the excess by ~1e-12 relative (about 200
  // rounding margins at T = 1 on the default law), a move of 1e-9 by ~1e-16, far inside: an
  // excess comparison sees the steps only to about the square root of its margin.
  const within = await checkC12({
    seed: PROOF_SEED,
    controls: { only: ["brute-force-optimum"], schedule: perturbed(1e-9) },
  });
  assert.ok(within.passed, within.parts[0].measured);
}

async function tiedOnlyControl(): Promise<void> {
  const result = await checkC12({
    seed: PROOF_SEED,
    controls: { only: ["depth-one-equals-tied", "below-tied"], schedule: tiedOnly },
  });
  assertCaught(result, "below-tied");
  assert.match(
    result.parts[1].measured,
    /T=\d+: optimum \S+ not below the tied optimum \S+ \(gain 0\)/,
  );
  // At T = 1 and for point masses the tied optimum is the optimum: that part still holds.
  assert.ok(result.parts[0].passed, result.parts[0].measured);
}

async function wrongRateControl(): Promise<void> {
  const result = await checkC12({
    seed: PROOF_SEED,
    controls: { only: ["chebyshev-rate"], rate: rhoStar },
  });
  assertCaught(result, "chebyshev-rate");
  assert.match(result.parts[0].measured, /slope \S+ over T in \[64, 128\] is not 2 log rho = /);
}

/** The secant slopes over [32, 64] and [64, 128] and the target 2 log rho_c of a law. */
function secants(law: SpikeLaw): { before: number; slope: number; target: number } {
  const [l0, l1, l2] = [32, 64, 128].map((depth) => optimalSchedule(law, depth).logExcess);
  return { before: (l1 - l0) / 32, slope: (l2 - l1) / 64, target: 2 * Math.log(scheduleRate(law)) };
}

function crossoverExcluded(): void {
  // Uniform on [0.001, 6.001]: the factor s of s dP crosses over at T_x = sqrt(6/0.001) = 77,
  // inside the windows, and the secants have not settled: the slope is off by ~8 times the
  // change between the windows. The same width from m_lo = 0 (no crossover) settles.
  const inside: SpikeLaw = { kind: "uniform", low: 0.001, high: 6.001 };
  assert.equal(rateResolvable(inside), false);
  const off = secants(inside);
  assert.ok(
    Math.abs(off.slope - off.target) > 4 * Math.abs(off.slope - off.before),
    JSON.stringify(off),
  );
  const settled = secants({ kind: "uniform", low: 0, high: 6 });
  assert.ok(Math.abs(settled.slope - settled.target) < Math.abs(settled.slope - settled.before));
}

async function untrainedControl(): Promise<void> {
  // One descent step from the Chebyshev start: the steps are still far from the optimum (twice
  // its population excess), which the 5-SE margin catches at about 3.5 margins.
  const result = await checkC12({
    seed: PROOF_SEED,
    controls: { only: ["trained-reaches-optimum"], trainSteps: 1 },
  });
  assertCaught(result, "trained-reaches-optimum");
  const part = result.parts[0];
  assert.match(part.measured, /1 descent steps, step-cap\)$/);
  const law: SpikeLaw = { kind: "uniform", low: 0.5, high: 4 };
  assert.ok(part.measuredValue! > 1.5 * optimalSchedule(law, 4).excess, part.measured);
}

async function powerControl(): Promise<void> {
  assertPowerControl(
    await checkC12({ seed: PROOF_SEED, perturb: { part: "*", margins: 3 } }),
    3,
    {
      "brute-force-optimum": /brute force \S+ (beats|stays above) the optimum's/,
      "depth-one-equals-tied": /optimum \S+ differs from the tied optimum/,
      "chebyshev-rate": /slope \S+ over T in \[64, 128\] is not 2 log rho/,
      "trained-reaches-optimum": /^trained excess \S+ ± \S+ vs optimal/,
    },
  );
}

Deno.test(`${C12.id} (${C12.theorem}): ${C12.statement}`, async (t) => {
  const progress: string[] = [];
  const main = await checkC12({ seed: PROOF_SEED, onProgress: (m) => progress.push(m) });
  await stepParts(t, main);
  await t.step("the report: parts, senses, margins and quick-size runs", () => {
    reportShape(main, progress);
  });
  await t.step(
    "the trained part reports train's numbers against the optimum",
    () => trainedMeasured(main),
  );
  await t.step(
    "negative control: a schedule with one step moved by 1e-7 fails brute-force-optimum " +
      "(the brute force beats it); 1e-9 is below the resolution",
    perturbedScheduleControl,
  );
  await t.step(
    "negative control: the tied optimum claimed as the schedule fails below-tied from T = 2",
    tiedOnlyControl,
  );
  await t.step(
    "negative control: the rate rho* of the tied model fails chebyshev-rate",
    wrongRateControl,
  );
  await t.step(
    "why chebyshev-rate draws laws with m_lo = 0 or a crossover depth below 8: inside the " +
      "crossover the margin does not hold",
    crossoverExcluded,
  );
  await t.step(
    "negative control: an untrained schedule (one descent step) fails trained-reaches-optimum",
    untrainedControl,
  );
  await t.step(
    "power control: every part but below-tied fails when shifted by 3 margins (below-tied is " +
      "one-sided, gain > rounding, and the gains are 0.4 and more against margins of 1e-13: " +
      "its control is the tied optimum claimed as the schedule, whose gain is exactly 0)",
    powerControl,
  );
  await t.step("the optimum's excess at T = 4 is below the tied optimum's (sanity)", () => {
    const law: SpikeLaw = { kind: "uniform", low: 0.5, high: 4 };
    const tied = scheduleExcess(law, tiedOnly(law, 4));
    assert.ok(optimalSchedule(law, 4).excess < tied / 5);
  });
});
