import { C4, checkC4 } from "../src/claims/c3_c4_geometric.ts";
import { rhoStar } from "../src/theory/population.ts";
import { assertCaught, PROOF_SEED, stepParts } from "./support.ts";

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
});
