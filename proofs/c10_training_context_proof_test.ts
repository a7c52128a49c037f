import { C10_CLAIM } from "../src/claims/c10_training_context.ts";
import { assertSnapshot } from "../testkit/snapshot.ts";
import assert from "node:assert/strict";
import { C10, checkC10 } from "../src/claims/c10_training_context.ts";
import {
  assertCaught,
  assertPowerControl,
  PROOF_SEED,
  stepParts,
} from "../testkit/proof_support.ts";

Deno.test(`${C10.id} report snapshot (seed 0, quick)`, (t) => assertSnapshot(t, C10_CLAIM));

Deno.test(`${C10.id} (${C10.theorem}): ${C10.statement}`, async (t) => {
  await stepParts(t, await checkC10({ seed: PROOF_SEED }));
  await t.step(
    "negative control: training on exact statistics removes the finite-context shift",
    async () => {
      const result = await checkC10({ seed: PROOF_SEED, controls: { context: Infinity } });
      assertCaught(result);
      // The first comparison to fail is the paper's point: at L_tr = 100 alpha_hat is alpha_T.
      assert.match(
        result.parts[0].measured,
        /at L_tr = 100 alpha_hat \S+ ± \S+ is not below alpha_T \S+/,
      );
    },
  );
  await t.step(
    "negative control: a decreasing list of training contexts fails the rise, at its first pair",
    async () => {
      const result = await checkC10({ seed: PROOF_SEED, controls: { contexts: [400, 100] } });
      assertCaught(result);
      assert.match(
        result.parts[0].measured,
        /alpha_hat did not rise from \S+ \(L=400\) to \S+ \(L=100\) by \S+ SE/,
      );
    },
  );
  await t.step("power control: the L_tr = inf limit fails when shifted by 3 margins", async () => {
    assertPowerControl(
      await checkC10({ seed: PROOF_SEED, perturb: { part: "*", margins: 3 } }),
      3,
      { "alpha-against-training-context": /at L_tr = inf alpha_hat .* is not alpha_T/ },
    );
  });
});
