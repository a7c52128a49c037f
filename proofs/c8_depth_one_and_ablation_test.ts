import { C8_CLAIM } from "../src/claims/c8_depth_one_and_ablation.ts";
import { assertSnapshot } from "./snapshot.ts";
import assert from "node:assert/strict";
import {
  bestAblationExcess,
  C8,
  type C8Controls,
  checkC8,
} from "../src/claims/c8_depth_one_and_ablation.ts";
import type { SpikeLaw } from "../src/model/law.ts";
import { lcaExcess } from "../src/theory/population.ts";
import { assertCaught, assertPowerControl, PROOF_SEED, stepParts } from "./support.ts";

Deno.test(`${C8.id} report snapshot (seed 0, quick)`, (t) => assertSnapshot(t, C8_CLAIM));

Deno.test(`${C8.id} (${C8.theorem}): ${C8.statement}`, async (t) => {
  await stepParts(t, await checkC8({ seed: PROOF_SEED }));
  await t.step(
    "negative control: the full LCA (with S_t) in place of the ablation does reach Bayes",
    async () => {
      const withSkipStream = (law: Parameters<typeof lcaExcess>[0], beta: number, depth: number) =>
        lcaExcess(law, { alpha: -beta, beta, depth });
      assertCaught(
        await checkC8({ seed: PROOF_SEED, controls: { ablation: withSkipStream } }),
        "ablation-does-not-reach-bayes",
      );
    },
  );
  // The three checks of (ii), one at a time (each asserting its own message).
  const message = async (controls: C8Controls) => {
    const result = await checkC8({ seed: PROOF_SEED, controls });
    assertCaught(result, "ablation-does-not-reach-bayes");
    return result.parts[1].measured;
  };
  await t.step(
    "negative control: a re-fitted ablation that grows with T is not approaching",
    async () => {
      const growing = (law: SpikeLaw, depth: number) => bestAblationExcess(law, 10) * depth;
      assert.match(
        await message({ refitted: growing }),
        /re-fitted ablation not approaching its floor \S+: T=10: \S+, T=640: \S+/,
      );
    },
  );
  await t.step(
    "negative control: an ablation of excess 0 at T = 10 beats the LCA there",
    async () => {
      const zeroAtTen = (law: SpikeLaw, depth: number) =>
        depth === 10 ? 0 : bestAblationExcess(law, depth);
      assert.match(
        await message({ refitted: zeroAtTen }),
        /T=10: LCA \S+ not below the ablation's 0/,
      );
    },
  );
  await t.step("negative control: a floor of 0 is not a positive floor above the LCA", async () => {
    // The re-fitted excess 1/T approaches 0 and stays above the LCA, so only the floor fails.
    const controls = { floor: () => 0, refitted: (_: SpikeLaw, depth: number) => 1 / depth };
    assert.match(await message(controls), /LCA excess \S+ not below the ablation floor 0/);
  });
  await t.step("power control: every part fails when shifted by 3 margins", async () => {
    assertPowerControl(
      await checkC8({ seed: PROOF_SEED, perturb: { part: "*", margins: 3 } }),
      3,
      {
        "depth-one-equals-lsa": /prompt \d+: LCA/,
        "ablation-does-not-reach-bayes": /ablation at W_V = -alpha_T has excess/,
      },
    );
  });
});
