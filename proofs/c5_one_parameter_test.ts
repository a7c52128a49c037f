import { C5_CLAIM } from "../src/claims/c5_one_parameter.ts";
import { assertSnapshot } from "./snapshot.ts";
import { C5, checkC5 } from "../src/claims/c5_one_parameter.ts";
import { assertCaught, assertPowerControl, PROOF_SEED, stepParts } from "./support.ts";

Deno.test(`${C5.id} report snapshot (seed 0, quick)`, (t) => assertSnapshot(t, C5_CLAIM));

Deno.test(`${C5.id} (${C5.theorem}): ${C5.statement}`, async (t) => {
  await stepParts(t, await checkC5({ seed: PROOF_SEED }));
  await t.step(
    "negative control: with the sign of W_V flipped, trained alpha does not go to alpha*",
    async () => {
      assertCaught(await checkC5({ seed: PROOF_SEED, controls: { signs: { valueSign: 1 } } }));
    },
  );
  await t.step("power control: every part fails when shifted by 3 margins", async () => {
    assertPowerControl(
      await checkC5({ seed: PROOF_SEED, perturb: { part: "*", margins: 3 } }),
      3,
      {
        "population-uniform": /GD .* vs minimiser/,
        "population-any-law": /GD .* vs minimiser/,
        "empirical-bayes-target": /alpha_hat .* vs alpha_T/,
      },
    );
  });
});
