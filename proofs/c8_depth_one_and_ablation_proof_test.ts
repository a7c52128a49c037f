import { C8_CLAIM } from "../src/claims/c8_depth_one_and_ablation.ts";
import { assertSnapshot } from "../testkit/snapshot.ts";
import assert from "node:assert/strict";
import {
  ablationExcess,
  ablationFloor,
  bestAblationExcess,
  C8,
  type C8Controls,
  checkC8,
} from "../src/claims/c8_depth_one_and_ablation.ts";
import type { SpikeLaw } from "../src/model/law.ts";
import { contractionRate, zeroPredictorExcess } from "../src/theory/population.ts";
import { gammaStar } from "../src/theory/gamma_star.ts";
import { lcaExcess } from "../src/theory/lca_excess.ts";
import { optimalDepthStep } from "../src/theory/optimal_depth_step.ts";
import { expectation } from "../src/theory/quadrature.ts";
import fc from "npm:fast-check@^4";
import { defaultNodeCount, quadratureRule } from "../src/theory/quadrature.ts";
import {
  assertCaught,
  assertPowerControl,
  PROOF_SEED,
  stepParts,
} from "../testkit/proof_support.ts";

/** A number as JavaScript prints it (not `undefined` or `NaN`). */
const NUMBER = String.raw`-?\d[\d.e+-]*`;

Deno.test(`${C8.id} report snapshot (seed 0, quick)`, (t) => assertSnapshot(t, C8_CLAIM));

/**
 * The three checks of (ii), one at a time (each asserting its own message): the ablation
 * part's message under `controls`, which must fail it.
 */
async function message(controls: C8Controls): Promise<string> {
  const result = await checkC8({ seed: PROOF_SEED, controls });
  assertCaught(result, "ablation-does-not-reach-bayes");
  return result.parts[1].measured;
}

// The steps of the main proof below, one function each (in step order).

async function fullLcaControl(): Promise<void> {
  const withSkipStream = (law: Parameters<typeof lcaExcess>[0], beta: number, depth: number) =>
    lcaExcess(law, { alpha: -beta, beta, depth });
  assertCaught(
    await checkC8({ seed: PROOF_SEED, controls: { ablation: withSkipStream } }),
    "ablation-does-not-reach-bayes",
  );
}

async function growingRefittedControl(): Promise<void> {
  const growing = (law: SpikeLaw, depth: number) => bestAblationExcess(law, 10) * depth;
  assert.match(
    await message({ refitted: growing }),
    new RegExp(
      `re-fitted ablation not approaching its floor ${NUMBER}: T=10: ${NUMBER}, T=640: ${NUMBER}`,
    ),
  );
}

async function zeroAtTenControl(): Promise<void> {
  const zeroAtTen = (law: SpikeLaw, depth: number) =>
    depth === 10 ? 0 : bestAblationExcess(law, depth);
  assert.match(
    await message({ refitted: zeroAtTen }),
    /T=10: LCA \S+ not below the ablation's 0/,
  );
}

async function zeroFloorControl(): Promise<void> {
  // The re-fitted excess 1/T approaches 0 and stays above the LCA, so only the floor fails.
  const controls = { floor: () => 0, refitted: (_: SpikeLaw, depth: number) => 1 / depth };
  assert.match(await message(controls), /LCA excess \S+ not below the ablation floor 0/);
}

async function floorDistanceControls(): Promise<void> {
  // |best - floor| is 0.01 floor at T = 10 and 0.015 floor (fails) or 0.005 floor (passes)
  // at T = 640: the check compares distances to the floor, not values.
  const controls = (above: number) => ({
    refitted: (law: SpikeLaw, depth: number) =>
      ablationFloor(law) * (depth === 10 ? 0.99 : 1 + above),
  });
  assert.match(
    await message(controls(0.015)),
    new RegExp(`re-fitted ablation not approaching its floor ${NUMBER}: T=10: ${NUMBER}`),
  );
  const inside = await checkC8({ seed: PROOF_SEED, controls: controls(0.005) });
  assert.doesNotMatch(inside.parts[1].measured, /not approaching/);
}

async function floorAboveLcaControls(): Promise<void> {
  // On the laws of the arbitrary the LCA's excess at T = 640 can be exactly 0 (point
  // masses; rho^1280 underflows), so the control takes uniform [0, 6] at T = 10, 40
  // (LCA excess 4.8e-14 at T = 40; the checker compares the same doubles). The re-fitted
  // ablation is the LCA's excess plus 1/T at every depth (above the LCA, approaching the
  // floor), so only the floor check can fail.
  const law: SpikeLaw = { kind: "uniform", low: 0, high: 6 };
  const lcaAt = (depth: number) => {
    const alpha = optimalDepthStep(law, depth);
    return lcaExcess(law, { alpha, beta: -alpha, depth });
  };
  assert.ok(lcaAt(40) > 0, `LCA excess at T = 40: ${lcaAt(40)}`);
  const controls = (factor: number) => ({
    depths: [10, 40],
    ablationLaws: fc.constant(law),
    floor: () => factor * lcaAt(40),
    refitted: (_: SpikeLaw, depth: number) => lcaAt(depth) + 1 / depth,
  });
  const inside = await checkC8({ seed: PROOF_SEED, controls: controls(1.001) });
  assert.equal(inside.parts[1].passed, true, inside.parts[1].measured);
  assert.match(
    await message(controls(0.999)),
    new RegExp(`LCA excess ${NUMBER} not below the ablation floor ${NUMBER}`),
  );
}

async function powerControl(): Promise<void> {
  assertPowerControl(
    await checkC8({ seed: PROOF_SEED, perturb: { part: "*", margins: 3 } }),
    3,
    {
      "depth-one-equals-lsa": /prompt \d+: LCA/,
      "ablation-does-not-reach-bayes": /ablation at W_V = -alpha_T has excess/,
    },
  );
}

Deno.test(`${C8.id} (${C8.theorem}): ${C8.statement}`, async (t) => {
  await stepParts(t, await checkC8({ seed: PROOF_SEED }));
  await t.step(
    "negative control: the full LCA (with S_t) in place of the ablation does reach Bayes",
    fullLcaControl,
  );
  await t.step(
    "negative control: a re-fitted ablation that grows with T is not approaching",
    growingRefittedControl,
  );
  await t.step(
    "negative control: an ablation of excess 0 at T = 10 beats the LCA there",
    zeroAtTenControl,
  );
  await t.step(
    "negative control: a floor of 0 is not a positive floor above the LCA",
    zeroFloorControl,
  );
  await t.step(
    "near-margin control: re-fitted 1% below the floor at T = 10 and 1.5% above it at T = 640 " +
      "is not approaching it; 0.5% above passes that check",
    floorDistanceControls,
  );
  await t.step(
    "near-margin control: a floor 0.1% below the LCA's excess fails, 0.1% above passes " +
      "(T = 10, 40 on a wide support, where the LCA's excess is positive)",
    floorAboveLcaControls,
  );
  await t.step("power control: every part fails when shifted by 3 margins", powerControl);
});

Deno.test("C8 near-margin controls: alpha_1 = gamma* to 1e-12, and (i)'s tail bound", async (t) => {
  await t.step(
    "alpha_1 0.5e-12 above gamma* passes, 3e-12 above fails with its message",
    async () => {
      const shifted = (factor: number) => (law: SpikeLaw) => gammaStar(law) * factor;
      const inside = await checkC8({
        seed: PROOF_SEED,
        controls: { depthOneStep: shifted(1 + 0.5e-12) },
      });
      assert.equal(inside.parts[0].passed, true, inside.parts[0].measured);
      const outside = await checkC8({
        seed: PROOF_SEED,
        controls: { depthOneStep: shifted(1 + 3e-12) },
      });
      assertCaught(outside, "depth-one-equals-lsa");
      assert.match(outside.parts[0].measured, /alpha_1 != gamma\* by \S+/);
    },
  );
  await t.step(
    "(i): the ablation at the LCA's weights 0.9 x its tail bound from the zero predictor " +
      "passes, 1.1 x fails (T = 40 on a wide support, where the tail is far above rounding)",
    async () => {
      // Uniform on [0, 6]: rho(alpha_40) ~ 0.75, so the tail rho^80 E[s(1+s)] + 2 rho^40 E[s]
      // is ~1e-5, against a rounding term ~1e-13. The same formula as the checker's (i).
      const law: SpikeLaw = { kind: "uniform", low: 0, high: 6 };
      const depths = [10, 40];
      const alpha = optimalDepthStep(law, 40);
      const rho = contractionRate(law, alpha);
      const rule = quadratureRule(law, defaultNodeCount(1));
      const tail = rho ** 80 * expectation(rule, (s) => s * (1 + s)) +
        2 * rho ** 40 * expectation(rule, (s) => s);
      assert.ok(tail > 1e-8, `tail ${tail}`);
      const at = (factor: number) => (l: SpikeLaw, beta: number, depth: number) =>
        depth === 40 && beta === -alpha
          ? zeroPredictorExcess(l) + factor * tail
          : ablationExcess(l, beta, depth);
      const controls = (factor: number) => ({
        depths,
        ablationLaws: fc.constant(law),
        refitted: bestAblationExcess,
        ablation: at(factor),
      });
      const inside = await checkC8({ seed: PROOF_SEED, controls: controls(0.9) });
      assert.equal(inside.parts[1].passed, true, inside.parts[1].measured);
      const outside = await checkC8({ seed: PROOF_SEED, controls: controls(1.1) });
      assertCaught(outside, "ablation-does-not-reach-bayes");
      assert.match(
        outside.parts[1].measured,
        /T=40: ablation at W_V = -alpha_T has excess \S+, not within \S+ of the zero predictor's/,
      );
    },
  );
});

Deno.test("C8 ablationExcess: u^T by repeated squaring agrees with Math.pow to its error bound", () => {
  // Each term's power carries at most 2 log2(T) + 2 rounding errors (relative); the sum is
  // checked against that times the sum of |terms| (plus the n-term summation bound). Control:
  // one layer fewer (T - 1) is far outside it.
  const laws: SpikeLaw[] = [
    { kind: "uniform", low: 0.5, high: 4 },
    { kind: "beta", a: 0.7, b: 2.5, low: 0.1, high: 6 },
  ];
  for (const law of laws) {
    for (const depth of [1, 10, 37, 640]) {
      const rule = quadratureRule(law, defaultNodeCount(depth));
      for (const k of [1e-3, 0.5, 1.7]) {
        const beta = -k / depth;
        const reference = (t: number) => {
          let sum = 0, abs = 0;
          for (let i = 0; i < rule.nodes.length; i++) {
            const s = rule.nodes[i];
            const term = rule.weights[i] *
              (((1 + beta * (1 + s)) ** t - 1 / (1 + s)) ** 2 * s * (1 + s));
            sum += term;
            abs += Math.abs(term) +
              rule.weights[i] * ((1 + beta * (1 + s)) ** (2 * t)) * s * (1 + s);
          }
          return { sum, abs };
        };
        const { sum, abs } = reference(depth);
        const u = Number.EPSILON / 2;
        const bound = (4 * (2 * Math.log2(depth) + 2) + rule.nodes.length + 4) * u * abs;
        const value = ablationExcess(law, beta, depth);
        assert.ok(
          Math.abs(value - sum) <= bound,
          `T=${depth} k=${k}: ${value} vs ${sum} (bound ${bound})`,
        );
        if (depth > 1) {
          assert.ok(
            Math.abs(value - reference(depth - 1).sum) > bound,
            `control T-1 at T=${depth}`,
          );
        }
      }
    }
  }
});
