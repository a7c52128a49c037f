import { C7_CLAIM } from "../src/claims/c7_support_only.ts";
import { assertSnapshot } from "../testkit/snapshot.ts";
import assert from "node:assert/strict";
import { fc } from "../testkit/config.ts";
import { C7, checkC7 } from "../src/claims/c7_support_only.ts";
import { fmt } from "../src/claims/format_number.ts";
import { lawArbitrary, lawOnSupport, supportArbitrary } from "../src/claims/law_arbitraries.ts";
import type { SpikeLaw } from "../src/model/law.ts";
import { alphaStar, rhoStar } from "../src/theory/population.ts";
import { gammaStar } from "../src/theory/gamma_star.ts";
import { optimalDepthStep } from "../src/theory/optimal_depth_step.ts";
import {
  assertCaught,
  assertPowerControl,
  PROOF_SEED,
  stepParts,
} from "../testkit/proof_support.ts";

Deno.test(`${C7.id} report snapshot (seed 0, quick)`, (t) => assertSnapshot(t, C7_CLAIM));

// The steps of the main proof below, one function each (in step order).

async function fixedPairsMeasured(): Promise<void> {
  const support = { low: 0.5, high: 3 };
  const pairs: [SpikeLaw, SpikeLaw][] = [
    [{ kind: "uniform", ...support }, { kind: "beta", a: 2, b: 2, ...support }],
    [{ kind: "beta", a: 0.7, b: 3, ...support }, { kind: "beta", a: 3, b: 0.7, ...support }],
  ];
  const moves = (of: (law: SpikeLaw) => number) =>
    pairs.map(([a, b]) => Math.abs(of(a) - of(b)) / Math.max(of(a), of(b)));
  const result = await checkC7({
    seed: PROOF_SEED,
    controls: { pairs: fc.constantFrom(...pairs) },
  });
  // The smallest relative move over the pairs (60 runs draw both).
  assert.equal(result.parts[1].measuredValue, Math.min(...moves(gammaStar)));
  assert.equal(
    result.parts[2].measuredValue,
    Math.min(...moves((law) => optimalDepthStep(law, 5))),
  );
  assert.ok(moves(gammaStar)[0] !== moves(gammaStar)[1], "the two pairs move differently");
  // The text reports the smallest move too (not the largest).
  assert.equal(
    result.parts[1].measured,
    `smallest relative move of gamma* = ${fmt(Math.min(...moves(gammaStar)), 2)}`,
  );
  // Different supports: the reported difference is max(|d alpha*|/alpha*_1, |d rho*|/rho*_1).
  const a: SpikeLaw = { kind: "uniform", low: 0.5, high: 4 };
  const b: SpikeLaw = { kind: "uniform", low: 1, high: 3 };
  const apart = await checkC7({ seed: PROOF_SEED, controls: { pairs: fc.constant([a, b]) } });
  const expected = Math.max(
    Math.abs(alphaStar(a) - alphaStar(b)) / alphaStar(a),
    Math.abs(rhoStar(a) - rhoStar(b)) / rhoStar(a),
  );
  assert.equal(apart.parts[0].measuredValue, expected);
  assert.ok(expected > 0.05, `${expected}`);
  // Supports [0.5, 1.5] and [2, 4] have the same rho* = 1/4 and alpha* 1/2 and 1/4: the
  // reported difference is the alpha* one, 0.5.
  const c: SpikeLaw = { kind: "uniform", low: 0.5, high: 1.5 };
  const e: SpikeLaw = { kind: "uniform", low: 2, high: 4 };
  assert.equal(rhoStar(c), rhoStar(e));
  const alphaOnly = await checkC7({ seed: PROOF_SEED, controls: { pairs: fc.constant([c, e]) } });
  assert.equal(alphaOnly.parts[0].measuredValue, 0.5);
}

async function sameLawControl(): Promise<void> {
  const same = lawArbitrary.map((law): [SpikeLaw, SpikeLaw] => [law, law]);
  const result = await checkC7({ seed: PROOF_SEED, controls: { pairs: same } });
  assertCaught(result, "gamma-star-moves");
  assert.match(result.parts[1].measured, /gamma\* did not move/);
  assert.ok(result.parts[0].passed, "alpha* is equal for the same law");
}

async function differentSupportsControl(): Promise<void> {
  const different = fc.tuple(
    supportArbitrary.chain(lawOnSupport),
    supportArbitrary.chain(lawOnSupport),
  )
    .filter(([a, b]) =>
      a.kind !== "point" && b.kind !== "point" && (a.low !== b.low || a.high !== b.high)
    );
  const result = await checkC7({ seed: PROOF_SEED, controls: { pairs: different } });
  assertCaught(result, "alpha-star-equal");
  assert.match(result.parts[0].measured, /alpha\* or rho\* differs/);
}

async function powerControl(): Promise<void> {
  assertPowerControl(
    await checkC7({ seed: PROOF_SEED, perturb: { part: "alpha-star-equal", margins: 3 } }),
    3,
    { "alpha-star-equal": /alpha\* or rho\* differs/ },
  );
}

async function nearMarginShapesControl(): Promise<void> {
  const near = supportArbitrary.chain((support) =>
    fc.integer({ min: 50, max: 500 }).map((v): [SpikeLaw, SpikeLaw] => [
      { kind: "beta", a: v / 100, b: 2, ...support },
      { kind: "beta", a: v / 100 + 1e-9, b: 2, ...support },
    ])
  );
  const [first, second] = fc.sample(near, { seed: PROOF_SEED, numRuns: 1 })[0];
  const move = Math.abs(gammaStar(first) - gammaStar(second)) / gammaStar(first);
  assert.ok(move < 3e-9, `gamma* move ${move} is not within 3 margins`);
  const result = await checkC7({ seed: PROOF_SEED, controls: { pairs: near } });
  assertCaught(result, "gamma-star-moves");
  assertCaught(result, "alpha-t-moves");
  assert.ok(result.parts[0].passed);
}

Deno.test(`${C7.id} (${C7.theorem}): ${C7.statement}`, async (t) => {
  const progress: string[] = [];
  const result = await checkC7({ seed: PROOF_SEED, onProgress: (m) => progress.push(m) });
  await stepParts(t, result);
  await t.step("the report: texts, senses, numeric fields and quick-size runs", () => {
    assert.deepEqual(progress, ["C7: same support, different shape"]);
    const [equal, gamma, depth] = result.parts;
    assert.match(
      equal.measured,
      /^max relative \|alpha\*_1 - alpha\*_2\|, \|rho\*_1 - rho\*_2\| = 0$/,
    );
    assert.equal(equal.target, "alpha*, rho* equal for both laws (two-sided)");
    assert.match(equal.margin, /float64 epsilon relative/);
    assert.match(gamma.measured, /^smallest relative move of gamma\* = \d/);
    assert.match(depth.measured, /^smallest relative move of alpha_5 = \d/);
    assert.match(gamma.target, /^gamma\* differs between the laws/);
    assert.match(depth.target, /^alpha_5 differs between the laws/);
    assert.match(gamma.margin, /differences > 1e-9 relative/);
    for (const part of result.parts) {
      assert.equal(part.sense, "rounding");
      assert.equal(part.statistical, false);
      assert.equal(part.property?.numRuns, 60, "quick size runs 60 pairs");
    }
    assert.equal(gamma.targetValue, 2e-9);
    assert.equal(gamma.marginValue, 1e-9);
    assert.ok(gamma.measuredValue! > 1e-6, "the smallest gamma* move is recorded");
  });
  await t.step("the measured values are the stated quantities (fixed pairs)", fixedPairsMeasured);
  await t.step("negative control: the same law twice does not move gamma*", sameLawControl);
  await t.step(
    "negative control: laws on different supports have different alpha*",
    differentSupportsControl,
  );
  await t.step("power control: alpha-star-equal fails when shifted by 3 margins", powerControl);
  await t.step(
    "near-margin control: shapes 1e-9 apart move gamma* and alpha_5 by less than 3 resolution " +
      "margins, and both moves are caught",
    nearMarginShapesControl,
  );
});
