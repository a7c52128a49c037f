import { C6, checkC6 } from "../src/claims/c6_two_parameter.ts";
import { assertCaught, PROOF_SEED, stepParts } from "./support.ts";

Deno.test(`${C6.id} (${C6.theorem}): ${C6.statement}`, async (t) => {
  await stepParts(t, await checkC6({ seed: PROOF_SEED }));
  await t.step(
    "negative control: with the sign of W_S flipped, alpha_T/(-beta_T) does not go to 1",
    async () => {
      assertCaught(await checkC6({ seed: PROOF_SEED, controls: { signs: { skipSign: -1 } } }));
    },
  );
});
