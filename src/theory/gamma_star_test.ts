import assert from "node:assert/strict";
import { parseSpikeLaw } from "../model/law.ts";
import { gammaStar, lsaGap } from "./gamma_star.ts";
import { expect, LAWS, relClose, UNIFORM } from "../../testkit/population_reference.ts";

Deno.test("gammaStar and lsaGap: agree with an independent quadrature to 1e-6", () => {
  for (const [name, low, high] of LAWS) {
    const law = parseSpikeLaw(name, low, high);
    const what = (q: string) => `${name}[${low}, ${high}] ${q}`;
    const m1 = expect(law, (s) => s), m2 = expect(law, (s) => s * (1 + s));
    relClose(gammaStar(law), m1 / m2, 1e-6, what("gammaStar"));
    relClose(lsaGap(law), expect(law, (s) => s / (1 + s)) - (m1 * m1) / m2, 1e-6, what("lsaGap"));
  }
});

Deno.test("gammaStar and lsaGap: a point mass has no LSA gap", () => {
  const law = parseSpikeLaw("point:1.5", 0, 1);
  assert.equal(lsaGap(law), 0);
  relClose(gammaStar(law), 1 / 2.5, 1e-15, "gammaStar");
});

Deno.test("gammaStar: the reference computation itself is sensitive (negative control)", () => {
  // The independent quadrature distinguishes a law of the same support but another shape.
  const other = parseSpikeLaw("beta:2:5", 0.5, 4);
  assert.ok(
    Math.abs(gammaStar(UNIFORM) - expect(other, (s) => s) / expect(other, (s) => s * (1 + s))) >
      1e-3,
  );
});

Deno.test("gammaStar and lsaGap: names in errors, s = 0 a.s.", () => {
  assert.throws(
    () => lsaGap(UNIFORM, { knots: 3 } as never),
    /^TypeError: options has an unknown option "knots"/,
  );
  const zero = parseSpikeLaw("point:0", 0, 1);
  assert.equal(gammaStar(zero), 0);
  assert.equal(lsaGap(zero), 0);
});
