import assert from "node:assert/strict";
import { defaultBetaInit } from "./reconstructed.ts";

Deno.test("default beta_0 = -1/(1 + m_hi): the midpoint of the stability range (-2/(1 + m_hi), 0)", () => {
  assert.equal(defaultBetaInit(4), -0.2);
  assert.equal(defaultBetaInit(0), -1);
  for (const high of [0.25, 1, 3.5, 9]) {
    const beta0 = defaultBetaInit(high);
    assert.ok(beta0 < 0 && beta0 > -2 / (1 + high), `beta_0 ${beta0} outside the range`);
    assert.ok(Math.abs(beta0 - -1 / (1 + high)) <= 1e-16);
  }
});
