import { C4_CLAIM } from "../src/claims/c3_c4_geometric.ts";
import { assertSnapshot } from "../testkit/snapshot.ts";
import { C4, checkC4 } from "../src/claims/c3_c4_geometric.ts";
import { rhoStar } from "../src/theory/population.ts";
import {
  assertCaught,
  assertPowerControl,
  PROOF_SEED,
  stepParts,
} from "../testkit/proof_support.ts";
import assert from "node:assert/strict";

Deno.test(`${C4.id} report snapshot (seed 0, quick)`, (t) => assertSnapshot(t, C4_CLAIM));

Deno.test(`${C4.id} (${C4.theorem}): ${C4.statement}`, async (t) => {
  await stepParts(t, await checkC4({ seed: PROOF_SEED }));
  await t.step(
    "negative control: comparing with rho* instead of rho(alpha) is rejected",
    async () => {
      assertCaught(
        await checkC4({ seed: PROOF_SEED, controls: { rate: (law) => rhoStar(law) } }),
        "log-slope",
      );
    },
  );
  await t.step("power control: each part fails alone when shifted by 3 margins", async () => {
    for (
      const [part, reason] of [
        ["log-slope", /vs 2 log rho =/],
        ["rho-star-is-the-rate", /vs 2 log rho\* =/],
        ["log-sum-exp-evaluation", /.*/],
      ] as const
    ) {
      assertPowerControl(
        await checkC4({ seed: PROOF_SEED, perturb: { part, margins: 3 } }),
        3,
        { [part]: reason },
      );
    }
  });
  await t.step(
    "negative control: a wrong stated rate rho* (x 1.01) is not the decay rate",
    async () => {
      const result = await checkC4({
        seed: PROOF_SEED,
        controls: { statedRate: (law) => 1.01 * rhoStar(law) },
      });
      assertCaught(result, "rho-star-is-the-rate");
      assert.ok(result.parts[0].passed);
    },
  );
});
