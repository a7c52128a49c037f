import assert from "node:assert/strict";
import {
  bonferroniZ,
  FAMILY_FALSE_ALARM,
  FLOAT64_UNIT_ROUNDOFF,
  normalQuantile,
  summationErrorBound,
} from "./margins.ts";

// Reference quantiles: Python's statistics.NormalDist().inv_cdf (exact to ~1e-15).
Deno.test("normalQuantile matches reference quantiles in the centre and both tails", () => {
  const cases: [number, number][] = [
    [0.5, 0],
    [0.975, 1.9599639845400536],
    [0.02425, -1.9729610513118845],
    [0.02, -2.0537489106318225],
    [0.9, 1.2815515655446008],
    [1e-9, -5.9978070150076865],
    [1 - 1e-6, 4.753424308817089],
  ];
  for (const [p, z] of cases) {
    assert.ok(
      Math.abs(normalQuantile(p) - z) <= 1e-8 * Math.max(1, Math.abs(z)),
      `${p}: ${normalQuantile(p)}`,
    );
  }
  assert.ok(Math.abs(normalQuantile(0.3) + normalQuantile(0.7)) <= 1e-12);
  for (const bad of [0, 1, -0.1, 1.5, Number.NaN]) {
    assert.throws(
      () => normalQuantile(bad),
      (e: unknown) => e instanceof RangeError && e.message === `p must be in (0, 1), got ${bad}`,
    );
  }
});

Deno.test("FAMILY_FALSE_ALARM is 2 (1 - Phi(5))", () => {
  assert.ok(Math.abs(FAMILY_FALSE_ALARM - 5.733031437583892e-7) <= 1e-20);
  assert.ok(Math.abs(-normalQuantile(FAMILY_FALSE_ALARM / 2) - 5) <= 1e-8);
});

Deno.test("bonferroniZ has its documented values", () => {
  const documented: [number, number][] = [
    [1, 5],
    [2, 5.132018332044298],
    [10, 5.426934003050023],
    [100, 5.824364544508434],
    [1000, 6.197600822936091],
  ];
  for (const [c, z] of documented) {
    assert.ok(Math.abs(bonferroniZ(c) - z) <= 1e-7, `z(${c}) = ${bonferroniZ(c)}, want ${z}`);
  }
  assert.equal(bonferroniZ(0), bonferroniZ(1));
  assert.equal(bonferroniZ(0.5), bonferroniZ(1));
  assert.ok(bonferroniZ(3) > bonferroniZ(2));
});

Deno.test("summationErrorBound is gamma_n times the absolute sum", () => {
  const u = FLOAT64_UNIT_ROUNDOFF;
  assert.equal(u, 2 ** -53);
  assert.equal(summationErrorBound(10, 3), (10 * u / (1 - 10 * u)) * 3);
  assert.equal(summationErrorBound(0, 3), 0);
  assert.ok(summationErrorBound(1e6, 1) > 1e6 * u);
});
