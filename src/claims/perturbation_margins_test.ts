import assert from "node:assert/strict";
import { perturbationMargins } from "./perturbation_margins.ts";
import { resolveCheck } from "./resolve_check.ts";

Deno.test("perturbationMargins: the named part or every part ('*'), else 0", () => {
  assert.equal(perturbationMargins(resolveCheck({}), "a"), 0);
  const one = resolveCheck({ perturb: { part: "a", margins: 2 } });
  assert.equal(perturbationMargins(one, "a"), 2);
  assert.equal(perturbationMargins(one, "b"), 0);
  assert.equal(perturbationMargins(resolveCheck({ perturb: { part: "*", margins: 3 } }), "b"), 3);
});
