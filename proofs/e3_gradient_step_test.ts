import { E3_CLAIM } from "../src/claims/e3_gradient_step.ts";
import { assertSnapshot } from "./snapshot.ts";
import { checkE3, E3 } from "../src/claims/e3_gradient_step.ts";
import { regressionSettings } from "../src/claims/_regression.ts";
import { assertCaught, PROOF_SEED, stepParts } from "./support.ts";

Deno.test(`${E3.id} report snapshot (seed 0, quick)`, (t) => assertSnapshot(t, E3_CLAIM));

Deno.test(`${E3.id} (${E3.theorem}): ${E3.statement}`, async (t) => {
  await stepParts(t, await checkE3({ seed: PROOF_SEED }));
  await t.step("power control: eta* moved by 3 margins is caught", async () => {
    assertCaught(
      await checkE3({ seed: PROOF_SEED, controls: { perturbation: 3 } }),
      "trained-is-gradient-step",
    );
  });
  await t.step("negative control: the step L/(L + d) (no 1 + sigma^2) is caught", async () => {
    const result = await checkE3({
      seed: PROOF_SEED,
      controls: {
        formula: (d, L) => L / (L + d),
        settings: regressionSettings({ identity: true, lMin: 3, lMax: 8 }),
      },
    });
    assertCaught(result, "trained-is-gradient-step");
  });
});
