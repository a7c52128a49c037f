/**
 * C12's brute force and rounding bound: the brute force finds the steps an independent search
 * finds (testkit's Nelder-Mead on a tanh-sinh rule), its Newton gap is at rounding level, and
 * the rounding bound covers the float64 differences between orders of the same steps (the
 * excess does not depend on the order in exact arithmetic) while a step moved by 1e-6 leaves it
 * (control).
 */
import assert from "node:assert/strict";
import { fc, fcParameters } from "../../testkit/config.ts";
import { bruteForceSchedule as referenceBruteForce } from "../../testkit/schedule_brute_force.ts";
import { optimalSchedule, scheduleExcess } from "../theory/optimal_schedule.ts";
import { lawArbitrary } from "./law_arbitraries.ts";
import { bruteForceSchedule, scheduleRoundingBound } from "./c12_brute_force.ts";

const LAW = { kind: "uniform", low: 0.5, high: 4 } as const;

Deno.test("the brute force finds the independent search's steps (T = 3, uniform[0.5, 4])", () => {
  const reference = referenceBruteForce(LAW, 3, 4, 1);
  const found = bruteForceSchedule(LAW, 3, [[0.2, 0.3, 0.4], [0.6, 0.6, 0.25]]);
  const steps = [...found.alphas].sort((a, b) => a - b);
  // The reference integrates with another rule and stops at 1e-12 relative improvement: its
  // steps agree to ~1e-4 (testkit's own tests), its excess to ~1e-6.
  steps.forEach((a, t) => assert.ok(Math.abs(a - reference.alphas[t]) < 1e-4, `${a}`));
  assert.ok(Math.abs(found.excess / reference.excess - 1) < 1e-6);
  assert.ok(found.gap < 1e-14, `Newton gap ${found.gap}`);
  assert.equal(found.starts, 2);
});

Deno.test("every start reaches the optimum, from ties and from the ends of the step range", () => {
  const low = 1 / 5, high = 1 / 1.5;
  const optimum = scheduleExcess(LAW, optimalSchedule(LAW, 5).alphas);
  for (
    const start of [[low, low, low, low, low], [high, high, high, high, high], [
      0.3,
      0.3,
      low,
      high,
      0.3,
    ]]
  ) {
    const found = bruteForceSchedule(LAW, 5, [start]);
    assert.ok(Math.abs(found.excess / optimum - 1) < 1e-12, `${start}: ${found.excess}`);
  }
});

Deno.test("the rounding bound covers the differences between orders of the same steps", () => {
  fc.assert(
    fc.property(lawArbitrary, fc.integer({ min: 2, max: 12 }), (law, depth) => {
      const steps = optimalSchedule(law, depth).alphas;
      const reversed = [...steps].reverse();
      const interleaved = steps.map((_, t) => steps[t % 2 === 0 ? t / 2 : depth - 1 - (t - 1) / 2]);
      const excess = scheduleExcess(law, steps);
      const bound = scheduleRoundingBound(law, steps);
      for (const order of [reversed, interleaved]) {
        const other = scheduleExcess(law, order);
        const both = bound + scheduleRoundingBound(law, order);
        assert.ok(Math.abs(other / excess - 1) <= both, `${other} vs ${excess} (bound ${both})`);
      }
      // Control: a step moved by 1e-6 relative changes the excess by far more than the bound.
      const moved = scheduleExcess(law, [steps[0] * (1 + 1e-6), ...steps.slice(1)]);
      assert.ok(Math.abs(moved / excess - 1) > 10 * bound, `${moved} vs ${excess}`);
    }),
    fcParameters(40),
  );
});

Deno.test("bad arguments are refused, naming them", () => {
  assert.throws(() => bruteForceSchedule(LAW, 2, []), /^RangeError: starts must hold/);
  assert.throws(() => bruteForceSchedule(LAW, 2, [[0.3]]), /starts\[0\]/);
  assert.throws(() => bruteForceSchedule(LAW, 0, [[]]), /depth/);
  assert.throws(() => scheduleRoundingBound(LAW, [0.3, Number.NaN]), /alphas/);
});
