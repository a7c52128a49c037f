import { C3, checkC3 } from "../src/claims/c3_c4_geometric.ts";
import { alphaStar } from "../src/theory/population.ts";
import { assertCaught, PROOF_SEED, stepParts } from "./support.ts";

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
});
