import { C6_CLAIM } from "../src/claims/c6_two_parameter.ts";
import { assertSnapshot } from "./snapshot.ts";
import { C6, checkC6 } from "../src/claims/c6_two_parameter.ts";
import { assertCaught, assertPowerControl, PROOF_SEED, stepParts } from "./support.ts";
import assert from "node:assert/strict";
import { twoParameterOptimum } from "../src/theory/population.ts";

Deno.test(`${C6.id} report snapshot (seed 0, quick)`, (t) => assertSnapshot(t, C6_CLAIM));

Deno.test(`${C6.id} (${C6.theorem}): ${C6.statement}`, async (t) => {
  await stepParts(t, await checkC6({ seed: PROOF_SEED }));
  await t.step(
    "negative control: with the sign of W_S flipped, alpha_T/(-beta_T) does not go to 1",
    async () => {
      assertCaught(await checkC6({ seed: PROOF_SEED, controls: { signs: { skipSign: -1 } } }));
    },
  );
  await t.step("power control: every part fails when shifted by 3 margins", async () => {
    assertPowerControl(
      await checkC6({ seed: PROOF_SEED, perturb: { part: "*", margins: 3 } }),
      3,
      {
        "two-parameter-limits": /trained .* vs optimum/,
        "empirical-two-parameter": /fitted .* vs optimum/,
      },
    );
  });
  await t.step(
    "negative control: an optimum with beta 1% off is not what training on samples finds",
    async () => {
      const wrong = (law: Parameters<typeof twoParameterOptimum>[0], depth: number) => {
        const best = twoParameterOptimum(law, depth);
        return { alpha: best.alpha, beta: 1.01 * best.beta };
      };
      const result = await checkC6({ seed: PROOF_SEED, controls: { optimum: wrong } });
      assertCaught(result, "empirical-two-parameter");
      assert.ok(result.parts[0].passed);
    },
  );
});
