import { bayesInDisguise, C1, checkC1 } from "../src/claims/c1_lsa_gap.ts";
import { pointLawArbitrary } from "../src/claims/arbitraries.ts";
import { assertCaught, PROOF_SEED, stepParts } from "./support.ts";

Deno.test(`${C1.id} (${C1.theorem}): ${C1.statement}`, async (t) => {
  await stepParts(t, await checkC1({ seed: PROOF_SEED }));
  await t.step(
    "negative control: point masses violate the premise, so 'gap > 0' fails",
    async () => {
      assertCaught(
        await checkC1({ seed: PROOF_SEED, controls: { gapLaws: pointLawArbitrary } }),
        "gap-positive",
      );
    },
  );
  await t.step(
    "negative control: a predictor that is secretly Bayes beats R_Bayes + gap",
    async () => {
      assertCaught(
        await checkC1({ seed: PROOF_SEED, controls: { lsaPredictor: bayesInDisguise } }),
        "trained-lsa",
      );
    },
  );
});
