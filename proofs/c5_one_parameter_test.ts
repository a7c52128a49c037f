import { C5_CLAIM } from "../src/claims/c5_one_parameter.ts";
import { assertSnapshot } from "./snapshot.ts";
import assert from "node:assert/strict";
import { C5, checkC5 } from "../src/claims/c5_one_parameter.ts";
import { geometricBound } from "../src/theory/population.ts";
import { assertCaught, assertPowerControl, PROOF_SEED, stepParts } from "./support.ts";

Deno.test(`${C5.id} report snapshot (seed 0, quick)`, (t) => assertSnapshot(t, C5_CLAIM));

Deno.test(`${C5.id} (${C5.theorem}): ${C5.statement}`, async (t) => {
  await stepParts(t, await checkC5({ seed: PROOF_SEED }));
  await t.step(
    "negative control: with the sign of W_V flipped, trained alpha does not go to alpha*",
    async () => {
      const result = await checkC5({ seed: PROOF_SEED, controls: { signs: { valueSign: 1 } } });
      assertCaught(result);
      // Each part fails on its own comparison (not on the GD-vs-Newton certificate, which is
      // skipped for flipped signs): the distances to alpha* grow, and alpha_hat is far from alpha_T.
      for (const part of result.parts.slice(0, 2)) {
        assert.match(part.measured, /not decreasing: T=1: \S+, T=2: \S+, alpha\*=\S+/);
      }
      assert.match(result.parts[2].measured, /T=2: alpha_hat \S+ ± \S+ vs alpha_T \S+/);
    },
  );
  await t.step(
    "negative control: the bound on E_T(alpha_T) times 1e-3 is violated (a one-sided bound with " +
      "slack: at T = 40, E_T(alpha_T) is ~1.6e-3 of rho*^{2T} E[s/(1+s)])",
    async () => {
      const half = (law: Parameters<typeof geometricBound>[0], depth: number) =>
        geometricBound(law, depth) * 1e-3;
      const result = await checkC5({ seed: PROOF_SEED, controls: { bound: half } });
      assertCaught(result, "population-uniform");
      assert.match(result.parts[0].measured, /E_T\(alpha_T\) = \S+ above the bound \S+/);
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
