import { E1_CLAIM } from "../src/claims/e1_lsa_optimum.ts";
import { assertSnapshot } from "../testkit/snapshot.ts";
import assert from "node:assert/strict";
import { checkE1, E1 } from "../src/claims/e1_lsa_optimum.ts";
import { regressionSettings } from "../src/claims/regression_fit.ts";
import {
  assertCaught,
  assertPowerControl,
  PROOF_SEED,
  stepParts,
} from "../testkit/proof_support.ts";

Deno.test(`${E1.id} report snapshot (seed 0, quick)`, (t) => assertSnapshot(t, E1_CLAIM));

Deno.test(`${E1.id} (${E1.theorem}): ${E1.statement}`, async (t) => {
  await stepParts(t, await checkE1({ seed: PROOF_SEED }));
  await t.step("power control: Gamma*_11 moved by 3 margins is caught", async () => {
    const result = await checkE1({ seed: PROOF_SEED, controls: { perturbation: 3 } });
    assertCaught(result, "trained-reduced");
    const part = result.parts.find((p) => p.name === "trained-reduced")!;
    // Only entry (0, 0) is moved, so it is the one that fails, with the setting printed.
    assert.match(part.measured, /reduced Gamma_00 = \S+ ± \S+ vs Gamma\* \S+ \(\{/);
  });
  await t.step("power control: every part shifted by 3 of its margins fails", async () => {
    assertPowerControl(
      await checkE1({ seed: PROOF_SEED, perturb: { part: "*", margins: 3 } }),
      3,
      {
        "wishart-moment": /E\[mu mu\^T\]_\d\d = \S+ ± \S+, formula \S+ \(\{/,
        "trained-reduced": /reduced Gamma_\d\d = \S+ ± \S+ vs Gamma\* \S+ \(\{/,
        "trained-full": /full Gamma_\d\d = \S+ ± \S+ vs Gamma\* \S+ \(\{/,
      },
    );
  });
  await t.step(
    "negative control: the wrong Wishart moment E[S^2] = Lambda^2 + tr(Lambda) Lambda/L is caught",
    async () => {
      // Gamma = (Lambda + (tr Lambda + sigma^2)/L I)^{-1}: drops the Lambda/L of the fourth moment.
      const wrong = (c: number[], L: number, s: number) => {
        const d = c.length;
        const t = c.reduce((a, b) => a + b, 0);
        const g = new Float64Array(d * d);
        for (let j = 0; j < d; j++) g[j * d + j] = 1 / (c[j] + (t + s * s) / L);
        return g;
      };
      const result = await checkE1({
        seed: PROOF_SEED,
        controls: {
          formula: wrong,
          settings: regressionSettings({ lMin: 3, lMax: 6, dMin: 2, dMax: 2 }),
        },
      });
      assertCaught(result, "wishart-moment");
      const part = result.parts.find((p) => p.name === "wishart-moment")!;
      assert.match(part.measured, /E\[mu mu\^T\]_\d\d = \S+ ± \S+, formula \S+ \(\{/);
    },
  );
});
