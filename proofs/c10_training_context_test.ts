import { C10, checkC10 } from "../src/claims/c10_training_context.ts";
import { assertCaught, PROOF_SEED, stepParts } from "./support.ts";

Deno.test(`${C10.id} (${C10.theorem}): ${C10.statement}`, async (t) => {
  await stepParts(t, await checkC10({ seed: PROOF_SEED }));
  await t.step(
    "negative control: training on exact statistics removes the finite-context shift",
    async () => {
      assertCaught(await checkC10({ seed: PROOF_SEED, controls: { context: Infinity } }));
    },
  );
});
