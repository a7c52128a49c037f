import { C1_CLAIM } from "../src/claims/c1_lsa_gap.ts";
import { assertSnapshot } from "../testkit/snapshot.ts";
import assert from "node:assert/strict";
import { bayesInDisguise, C1, checkC1 } from "../src/claims/c1_lsa_gap.ts";
import { pointLawArbitrary } from "../src/claims/law_arbitraries.ts";
import {
  assertCaught,
  assertPowerControl,
  PROOF_SEED,
  stepParts,
} from "../testkit/proof_support.ts";
import type { SpikeLaw } from "../src/model/law.ts";
import { zeroPredictorExcess } from "../src/theory/population.ts";
import { lsaGap } from "../src/theory/gamma_star.ts";
import { summationErrorBound } from "../src/claims/margins.ts";
import { defaultNodeCount } from "../src/theory/quadrature.ts";
import { fc } from "../testkit/config.ts";

Deno.test(`${C1.id} report snapshot (seed 0, quick)`, (t) => assertSnapshot(t, C1_CLAIM));

// The steps of the main proof below, one function each (in step order).

async function pointMassGapControl(): Promise<void> {
  assertCaught(
    await checkC1({ seed: PROOF_SEED, controls: { gapLaws: pointLawArbitrary } }),
    "gap-positive",
  );
}

async function bayesInDisguiseControl(): Promise<void> {
  const result = await checkC1({
    seed: PROOF_SEED,
    controls: { lsaPredictor: bayesInDisguise },
  });
  assertCaught(result, "trained-lsa");
  // Caught by the comparison, not by an error: the excess is ~0, below the gap.
  assert.match(result.parts[2].measured, /LSA excess \S+ below gap \S+ - margin/);
}

async function tinyPointMassEdge(): Promise<void> {
  const tiny = fc.constantFrom<SpikeLaw>(
    { kind: "point", value: 0 },
    { kind: "point", value: 1e-300 },
  );
  const result = await checkC1({ seed: PROOF_SEED, controls: { pointLaws: tiny } });
  assert.ok(result.parts[1].passed, result.parts[1].measured);
  assert.equal(lsaGap({ kind: "point", value: 1e-300 }), 0);
}

async function powerControl(): Promise<void> {
  assertPowerControl(
    await checkC1({ seed: PROOF_SEED, perturb: { part: "*", margins: 3 } }),
    3,
    {
      "gap-zero-point-mass": /point-mass gap .* exceeds/,
      "trained-lsa": /LSA excess .* below gap/,
      "trained-lsa-reaches-gap": /least-squares LSA excess .* above gap/,
      "random-lsa": /random LSA excess .* < gap/,
    },
  );
}

async function narrowSupportControl(): Promise<void> {
  const narrow = fc.integer({ min: 500, max: 3000 }).map((v): SpikeLaw => ({
    kind: "uniform",
    low: v / 1000,
    high: v / 1000 + 1e-7,
  }));
  const law: SpikeLaw = { kind: "uniform", low: 0.5, high: 0.5 + 1e-7 };
  const ratio = lsaGap(law) /
    (4 * summationErrorBound(defaultNodeCount(1), zeroPredictorExcess(law)));
  assert.ok(ratio < 3, `gap/rounding bound ${ratio} not within 3 margins`);
  const result = await checkC1({ seed: PROOF_SEED, controls: { gapLaws: narrow } });
  assertCaught(result, "gap-positive");
  assert.match(result.parts[0].measured, /not above the rounding bound/);
}

async function misfitReducedControl(): Promise<void> {
  const misfit = (g: Float64Array, d: number) =>
    g.map((v, i) => (Math.floor(i / d) === i % d ? v : 0.2));
  const result = await checkC1({ seed: PROOF_SEED, controls: { reducedGamma: misfit } });
  assertCaught(result, "trained-lsa-reaches-gap");
  assert.ok(result.parts.find((p) => p.name === "trained-lsa")!.passed);
}

Deno.test(`${C1.id} (${C1.theorem}): ${C1.statement}`, async (t) => {
  await stepParts(t, await checkC1({ seed: PROOF_SEED }));
  await t.step(
    "negative control: point masses violate the premise, so 'gap > 0' fails",
    pointMassGapControl,
  );
  await t.step(
    "negative control: a predictor that is secretly Bayes beats R_Bayes + gap",
    bayesInDisguiseControl,
  );
  await t.step(
    "edge: point masses at 0 and 1e-300 have a zero gap within the bound (E[s/(1+s)] = 0 or " +
      "subnormal: the MIN_VALUE guard and the underflow-free m1 (m1 / m2))",
    tinyPointMassEdge,
  );
  await t.step(
    "power control: every statistical part fails when shifted by 3 margins",
    powerControl,
  );
  await t.step(
    "near-margin control (gap-positive, a rounding bound 1e9 below the gap at 3 margins): " +
      "supports of width 1e-7 put the gap within 3 rounding bounds and fail",
    narrowSupportControl,
  );
  await t.step(
    "negative control: a mis-fitted reduced LSA (every off-diagonal entry set to 0.2) " +
      "does not reach the gap",
    misfitReducedControl,
  );
});
