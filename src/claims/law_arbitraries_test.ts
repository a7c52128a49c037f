import assert from "node:assert/strict";
import fc from "npm:fast-check@^4";
import { FC_SEED } from "../../testkit/config.ts";
import {
  lawArbitrary,
  lawOnSupport,
  pointLawArbitrary,
  shapeArbitrary,
  supportArbitrary,
  taskArbitrary,
  uniformLawArbitrary,
} from "./law_arbitraries.ts";

const decimals = (x: number, k: number) => Math.abs(x * 10 ** k - Math.round(x * 10 ** k)) < 1e-6;
const draws = <T>(arbitrary: fc.Arbitrary<T>): T[] =>
  fc.sample(arbitrary, { seed: FC_SEED, numRuns: 4000 });

Deno.test("supportArbitrary: low in [0, 3], width in [0.25, 6], 3 decimals, both ends drawn", () => {
  const supports = draws(supportArbitrary);
  const lows = supports.map((s) => s.low), widths = supports.map((s) => s.high - s.low);
  for (const { low, high } of supports) {
    assert.ok(low >= 0 && low <= 3, `low ${low}`);
    assert.ok(high - low >= 0.25 - 1e-9 && high - low <= 6 + 1e-9, `width ${high - low}`);
    assert.ok(decimals(low, 3) && decimals(high, 3), `${low}, ${high}`);
  }
  // fast-check draws the bounds of an integer range often; each end appears in 4000 draws.
  assert.equal(Math.min(...lows), 0);
  assert.equal(Math.max(...lows), 3);
  assert.ok(Math.abs(Math.min(...widths) - 0.25) < 1e-9, `${Math.min(...widths)}`);
  assert.ok(Math.abs(Math.max(...widths) - 6) < 1e-9, `${Math.max(...widths)}`);
});

Deno.test("shapeArbitrary and pointLawArbitrary: their documented ranges, ends included", () => {
  const shapes = draws(shapeArbitrary);
  assert.equal(Math.min(...shapes), 0.5);
  assert.equal(Math.max(...shapes), 5);
  assert.ok(shapes.every((a) => decimals(a, 2)));
  const points = draws(pointLawArbitrary).map((law) => {
    assert.equal(law.kind, "point");
    return (law as { value: number }).value;
  });
  assert.equal(Math.min(...points), 0);
  assert.equal(Math.max(...points), 9);
});

Deno.test("lawOnSupport, lawArbitrary and uniformLawArbitrary: uniform and Beta on the support", () => {
  const support = { low: 0.5, high: 2.25 };
  const laws = draws(lawOnSupport(support));
  const kinds = new Set(laws.map((law) => law.kind));
  assert.deepEqual([...kinds].sort(), ["beta", "uniform"]);
  for (const law of laws) {
    assert.equal((law as { low: number }).low, 0.5);
    assert.equal((law as { high: number }).high, 2.25);
    if (law.kind === "beta") {
      assert.ok(law.a >= 0.5 && law.a <= 5 && law.b >= 0.5 && law.b <= 5, JSON.stringify(law));
    }
  }
  const drawn = draws(lawArbitrary);
  assert.deepEqual([...new Set(drawn.map((law) => law.kind))].sort(), ["beta", "uniform"]);
  assert.ok(new Set(drawn.map((law) => (law as { low: number }).low)).size > 100);
  const uniform = draws(uniformLawArbitrary);
  assert.ok(uniform.every((law) => law.kind === "uniform"));
  assert.ok(new Set(uniform.map((law) => (law as { high: number }).high)).size > 100);
});

Deno.test("taskArbitrary: d1, d2 in [1, 4], sigma in [0, 0.5], any u32 seed, the given law", () => {
  const tasks = draws(taskArbitrary(pointLawArbitrary));
  for (const key of ["d1", "d2"] as const) {
    const values = tasks.map((t) => t[key]);
    assert.equal(Math.min(...values), 1);
    assert.equal(Math.max(...values), 4);
  }
  const sigmas = tasks.map((t) => t.sigma);
  assert.equal(Math.min(...sigmas), 0);
  assert.equal(Math.max(...sigmas), 0.5);
  assert.ok(sigmas.every((s) => decimals(s, 2)));
  const seeds = tasks.map((t) => t.seed);
  assert.equal(Math.min(...seeds), 0);
  assert.equal(Math.max(...seeds), 0xffffffff);
  assert.ok(tasks.every((t) => t.law.kind === "point"));
  assert.ok(draws(taskArbitrary()).some((t) => t.law.kind === "beta"));
});
