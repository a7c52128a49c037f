import { C3_CLAIM } from "../src/claims/c3_c4_geometric.ts";
import { assertSnapshot } from "../testkit/snapshot.ts";
import { C3, checkC3 } from "../src/claims/c3_c4_geometric.ts";
import { alphaStar } from "../src/theory/population.ts";
import { assertCaught, PROOF_SEED, stepParts } from "../testkit/proof_support.ts";
import assert from "node:assert/strict";

Deno.test(`${C3.id} report snapshot (seed 0, quick)`, (t) => assertSnapshot(t, C3_CLAIM));

Deno.test(`${C3.id} (${C3.theorem}): ${C3.statement}`, async (t) => {
  await stepParts(t, await checkC3({ seed: PROOF_SEED }));
  await t.step("negative control: a step 15% above alpha* breaks the bound", async () => {
    assertCaught(
      await checkC3({ seed: PROOF_SEED, controls: { alpha: (law) => 1.15 * alphaStar(law) } }),
    );
  });
  await t.step("negative control: a step 15% below alpha* breaks the bound", async () => {
    assertCaught(
      await checkC3({ seed: PROOF_SEED, controls: { alpha: (law) => 0.85 * alphaStar(law) } }),
    );
  });
  await t.step(
    "3-margin perturbation cannot fail the bound (the margin is rounding, the slack a " +
      "theorem's): measured so, and a near control (alpha* + 0.3%) does fail",
    async () => {
      const perturbed = await checkC3({ seed: PROOF_SEED, perturb: { part: "bound", margins: 3 } });
      assert.ok(perturbed.parts[0].passed);
      assert.ok(perturbed.parts[0].sense === "at-most");
      const near = await checkC3({
        seed: PROOF_SEED,
        controls: { alpha: (law) => 1.003 * alphaStar(law) },
      });
      assertCaught(near, "bound");
      assert.match(near.parts[0].measured, /exceeds/);
    },
  );
});
