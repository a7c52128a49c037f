import { fc } from "../props/config.ts";
import { C7, checkC7 } from "../src/claims/c7_support_only.ts";
import { lawArbitrary, lawOnSupport, supportArbitrary } from "../src/claims/arbitraries.ts";
import type { SpikeLaw } from "../src/model/law.ts";
import { assertCaught, PROOF_SEED, stepParts } from "./support.ts";

Deno.test(`${C7.id} (${C7.theorem}): ${C7.statement}`, async (t) => {
  await stepParts(t, await checkC7({ seed: PROOF_SEED }));
  await t.step("negative control: the same law twice does not move gamma*", async () => {
    const same = lawArbitrary.map((law): [SpikeLaw, SpikeLaw] => [law, law]);
    assertCaught(await checkC7({ seed: PROOF_SEED, controls: { pairs: same } }));
  });
  await t.step("negative control: laws on different supports have different alpha*", async () => {
    const different = fc.tuple(
      supportArbitrary.chain(lawOnSupport),
      supportArbitrary.chain(lawOnSupport),
    )
      .filter(([a, b]) =>
        a.kind !== "point" && b.kind !== "point" && (a.low !== b.low || a.high !== b.high)
      );
    assertCaught(await checkC7({ seed: PROOF_SEED, controls: { pairs: different } }));
  });
});
