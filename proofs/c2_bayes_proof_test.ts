import { C2_CLAIM } from "../src/claims/c2_bayes.ts";
import { assertSnapshot } from "../testkit/snapshot.ts";
import { C2, checkC2 } from "../src/claims/c2_bayes.ts";
import { expectation, quadratureRule } from "../src/theory/quadrature.ts";
import {
  assertCaught,
  assertPowerControl,
  PROOF_SEED,
  stepParts,
} from "../testkit/proof_support.ts";

Deno.test(`${C2.id} report snapshot (seed 0, quick)`, (t) => assertSnapshot(t, C2_CLAIM));

Deno.test(`${C2.id} (${C2.theorem}): ${C2.statement}`, async (t) => {
  await stepParts(t, await checkC2({ seed: PROOF_SEED }));
  await t.step(
    "negative control: a wrong Bayes-risk formula (sigma^2 + E[s/(1+s)]) is rejected",
    async () => {
      const wrong = (law: Parameters<typeof quadratureRule>[0], sigma: number) =>
        sigma * sigma + expectation(quadratureRule(law, 128), (s) => s / (1 + s));
      assertCaught(await checkC2({ seed: PROOF_SEED, controls: { bayesRiskFormula: wrong } }));
    },
  );
  await t.step(
    "power control: the Monte Carlo comparison fails when shifted by 3 margins",
    async () => {
      assertPowerControl(
        await checkC2({
          seed: PROOF_SEED,
          perturb: { part: "formulas-vs-monte-carlo", margins: 3 },
        }),
        3,
        { "formulas-vs-monte-carlo": /Monte Carlo .* vs formula/ },
      );
    },
  );
});
