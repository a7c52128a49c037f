import { C8_CLAIM } from "../src/claims/c8_depth_one_and_ablation.ts";
import { assertSnapshot } from "./snapshot.ts";
import { C8, checkC8 } from "../src/claims/c8_depth_one_and_ablation.ts";
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
