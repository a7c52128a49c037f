import { E2_CLAIM } from "../src/claims/e2_lsa_risk.ts";
import { assertSnapshot } from "../testkit/snapshot.ts";
import assert from "node:assert/strict";
import { checkE2, E2 } from "../src/claims/e2_lsa_risk.ts";
import { regressionSettings } from "../src/claims/regression_fit.ts";
import { regressionLsaRisk } from "../src/theory/regression_lsa.ts";
import {
  assertCaught,
  assertPowerControl,
  PROOF_SEED,
  stepParts,
} from "../testkit/proof_support.ts";

Deno.test(`${E2.id} report snapshot (seed 0, quick)`, (t) => assertSnapshot(t, E2_CLAIM));

Deno.test(`${E2.id} (${E2.theorem}): ${E2.statement}`, async (t) => {
  await stepParts(t, await checkE2({ seed: PROOF_SEED }));
  await t.step("power control: the formula moved by 3 margins is caught", async () => {
    const result = await checkE2({ seed: PROOF_SEED, controls: { perturbation: 3 } });
    assertCaught(result, "monte-carlo-risk");
    const part = result.parts.find((p) => p.name === "monte-carlo-risk")!;
    assert.match(part.measured, /Monte Carlo \S+ ± \S+ vs formula \S+ \(\{/);
    assert.ok(result.parts.filter((p) => p.name !== "monte-carlo-risk").every((p) => p.passed));
  });
  await t.step(
    "power control: every part shifted by 3 of its margins (the calibration's perturbation); " +
      "fitted-not-below, a one-sided bound ~d^2/N R* above its rounding margin, still holds",
    async () => {
      assertPowerControl(
        await checkE2({ seed: PROOF_SEED, perturb: { part: "*", margins: 3 } }),
        3,
        {
          "monte-carlo-risk": /Monte Carlo \S+ ± \S+ vs formula \S+ \(\{/,
          "isotropic-closed-form": /general \S+ vs closed form \S+ \(\{/,
        },
      );
    },
  );
  await t.step(
    "negative control: a formula 5% too high is beaten by a fitted Gamma and misses the " +
      "isotropic closed form (each part fails with its own message)",
    async () => {
      const high = (c: number[], L: number, s: number) => 1.05 * regressionLsaRisk(c, L, s);
      const result = await checkE2({ seed: PROOF_SEED, controls: { formula: high } });
      const message = (name: string) => result.parts.find((p) => p.name === name)!.measured;
      assertCaught(result, "fitted-not-below");
      assert.match(message("fitted-not-below"), /fitted Gamma has risk -\S+ below the formula/);
      assertCaught(result, "isotropic-closed-form");
      assert.match(message("isotropic-closed-form"), /general \S+ vs closed form \S+ \(\{/);
    },
  );
  await t.step(
    "negative control: the risk from the wrong Wishart moment (no Lambda/L) is caught",
    async () => {
      // Gamma_wrong = (Lambda + (tr Lambda + sigma^2)/L I)^{-1} inserted in the same risk form:
      // tr Lambda - sum_j Lambda_j^2 / (Lambda_j + (tr Lambda + sigma^2)/L) + sigma^2.
      const wrong = (c: number[], L: number, s: number) => {
        const t = c.reduce((a, b) => a + b, 0);
        return c.reduce((r, l) => r + l - l * l / (l + (t + s * s) / L), s * s);
      };
      const result = await checkE2({
        seed: PROOF_SEED,
        controls: { formula: wrong, settings: regressionSettings({ lMin: 3, lMax: 10 }) },
      });
      assertCaught(result, "monte-carlo-risk");
    },
  );
});
