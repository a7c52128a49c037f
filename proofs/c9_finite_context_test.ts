import { C9, checkC9 } from "../src/claims/c9_finite_context.ts";
import { assertCaught, PROOF_SEED, stepParts } from "./support.ts";

Deno.test(`${C9.id} (${C9.theorem}): ${C9.statement}`, async (t) => {
  await stepParts(t, await checkC9({ seed: PROOF_SEED }));
  await t.step(
    "negative control: at L_te = infinity OLS is Bayes, so 'not Bayes' must fail",
    async () => {
      assertCaught(
        await checkC9({ seed: PROOF_SEED, controls: { context: Infinity } }),
        "tends-to-ols-not-bayes",
      );
    },
  );
});
