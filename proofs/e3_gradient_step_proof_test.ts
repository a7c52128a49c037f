import { E3_CLAIM } from "../src/claims/e3_gradient_step.ts";
import { assertSnapshot } from "../testkit/snapshot.ts";
import assert from "node:assert/strict";
import { checkE3, E3 } from "../src/claims/e3_gradient_step.ts";
import { regressionSettings } from "../src/claims/regression_fit.ts";
import {
  assertCaught,
  assertPowerControl,
  PROOF_SEED,
  stepParts,
} from "../testkit/proof_support.ts";

Deno.test(`${E3.id} report snapshot (seed 0, quick)`, (t) => assertSnapshot(t, E3_CLAIM));

Deno.test(`${E3.id} (${E3.theorem}): ${E3.statement}`, async (t) => {
  await stepParts(t, await checkE3({ seed: PROOF_SEED }));
  await t.step(
    "power control: the closed form moved by 3 rounding bounds fails the identity",
    async () => {
      const result = await checkE3({ seed: PROOF_SEED, controls: { identityShift: 3 } });
      assertCaught(result, "gradient-step-identity");
      assert.match(result.parts[0].measured, /prompt \d+: \S+ vs \S+ \(bound \S+\)/);
      assert.ok(result.parts[1].passed);
    },
  );
  await t.step("power control: every part shifted by 3 of its margins fails", async () => {
    assertPowerControl(
      await checkE3({ seed: PROOF_SEED, perturb: { part: "*", margins: 3 } }),
      3,
      {
        "gradient-step-identity": /prompt \d+: \S+ vs \S+ \(bound \S+\)/,
        // The trace is compared first: it is the check that fails.
        "trained-is-gradient-step": /tr Gamma_hat\/d = \S+ ± \S+ vs eta\* \S+ \(\{/,
      },
    );
  });
  await t.step("power control: eta* moved by 3 margins is caught by the trace check", async () => {
    const result = await checkE3({ seed: PROOF_SEED, controls: { perturbation: 3 } });
    assertCaught(result, "trained-is-gradient-step");
    // The isotropic part is compared first, so its message names the failure.
    assert.match(result.parts[1].measured, /tr Gamma_hat\/d = \S+ ± \S+ vs eta\* \S+ \(\{/);
  });
  await t.step(
    "power control: one off-diagonal entry moved by 3 margins (trace unchanged) is caught by " +
      "the entry check",
    async () => {
      const result = await checkE3({
        seed: PROOF_SEED,
        controls: {
          fitted: (gamma, se, z) => gamma.map((v, i) => (i === 1 ? v + 3 * z * se[1] : v)),
        },
      });
      assertCaught(result, "trained-is-gradient-step");
      assert.match(result.parts[1].measured, /Gamma_hat entry 1 = \S+ ± \S+ vs 0/);
    },
  );
  await t.step("negative control: the step L/(L + d) (no 1 + sigma^2) is caught", async () => {
    // At L <= 4 the two steps differ by L/(L + d) - L/(L + d + 1) >= 0.054 (d <= 4, sigma = 0),
    // and 40 000 prompts put the trace's margin near 0.03: caught at any seed (at L up to 8
    // and 4 000 prompts some seeds missed it).
    const result = await checkE3({
      seed: PROOF_SEED,
      controls: {
        formula: (d, L) => L / (L + d),
        settings: regressionSettings({ identity: true, lMin: 3, lMax: 4 }),
        prompts: 40000,
      },
    });
    assertCaught(result, "trained-is-gradient-step");
  });
});
