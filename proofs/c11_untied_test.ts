import { C11_CLAIM } from "../src/claims/c11_untied.ts";
import { assertSnapshot } from "./snapshot.ts";
import assert from "node:assert/strict";
import { C11, checkC11 } from "../src/claims/c11_untied.ts";
import { assertCaught, PROOF_SEED, stepParts } from "./support.ts";

Deno.test(`${C11.id} report snapshot (seed 0, quick)`, (t) => assertSnapshot(t, C11_CLAIM));

Deno.test(`${C11.id} (${C11.theorem}): ${C11.statement}`, async (t) => {
  await stepParts(t, await checkC11({ seed: PROOF_SEED }));
  await t.step("power control: the rotation comparison moved by 3 margins is caught", async () => {
    const result = await checkC11({
      seed: PROOF_SEED,
      controls: { rotationPerturbation: 3, only: ["rotation-invariance"] },
    });
    assertCaught(result, "rotation-invariance");
    assert.match(result.parts[0].measured, /T=\d: loss difference \S+ ± \S+/);
  });
  await t.step("power control: a gain of 3 margins at T = 1 is caught", async () => {
    assertCaught(
      await checkC11({
        seed: PROOF_SEED,
        controls: { perturbation: -3, only: ["depth-one-no-gain"] },
      }),
      "depth-one-no-gain",
    );
  });
  await t.step(
    "negative control: without the skew parts (A, B projected on symmetric) the gain at T = 3 is gone",
    async () => {
      const result = await checkC11({
        seed: PROOF_SEED,
        controls: { symmetricOnly: true, only: ["depth-three"] },
      });
      assertCaught(result, "gain-at-depth-three");
      assertCaught(result, "structure-at-depth-three");
    },
  );
});
