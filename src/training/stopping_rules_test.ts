import assert from "node:assert/strict";
import {
  convergedOrFloor,
  convergenceRule,
  stopAfterStep,
  type StoppingRules,
} from "./stopping_rules.ts";

const RULES: StoppingRules = {
  tolerance: 1e-12,
  relative: 0,
  newtonTolerance: 1e-10,
  window: 3,
  float32: false,
  floorEps: Number.EPSILON,
};
const ONE = new Float64Array([1]);

Deno.test("convergenceRule: absolute gradient, relative gradient, Newton certificate, or none", () => {
  const at = (gradient: number, loss = 1) => ({ loss, gradient: new Float64Array([gradient]) });
  assert.equal(convergenceRule(RULES, [], ONE, at(1e-13)), "|gradient| 1.00e-13 <= 1e-12");
  assert.equal(convergenceRule(RULES, [], ONE, at(1e-11)), null);
  // Relative: |g| max(1, |theta|) <= relative |loss|, scale-free.
  const relative = { ...RULES, relative: 1e-6 };
  const two = new Float64Array([2]);
  assert.equal(
    convergenceRule(relative, [], two, at(1e-7)),
    "|gradient| max(1, |theta|) 1.00e-7 <= 0.000001 |loss|",
  );
  assert.equal(convergenceRule(relative, [], two, at(1e-6)), null); // 2e-6 > 1e-6
  // Newton: |g| / H with H the smallest recent secant curvature, against |theta|.
  assert.equal(
    convergenceRule(RULES, [4, 2], ONE, at(1e-11)),
    "Newton step |g|/H = 5.00e-12 <= 1e-10 |theta| (H = 2.000e+0, smallest secant curvature " +
      "of the last 2 steps)",
  );
  assert.equal(convergenceRule(RULES, [1e-3], ONE, at(1e-11)), null); // step 1e-8
  assert.equal(convergenceRule({ ...RULES, newtonTolerance: 0 }, [4, 2], ONE, at(1e-11)), null);
});

Deno.test("convergedOrFloor: a float32 relative stop is the noise floor, any other converged", () => {
  const at = { loss: 1, gradient: new Float64Array([1e-7]) };
  const float32 = { ...RULES, relative: 1e-6, float32: true };
  const rule = convergenceRule(float32, [], new Float64Array([2]), at);
  assert.ok(rule !== null);
  const stop = convergedOrFloor(rule);
  assert.equal(stop.reason, "float32-noise-floor");
  assert.match(
    stop.rule,
    /^\|gradient\| max\(1, \|theta\|\) 1\.00e-7 <= 0\.000001 \|loss\| \(float32: the gradient/,
  );
  assert.deepEqual(convergedOrFloor("a rule"), { reason: "converged", rule: "a rule" });
});

Deno.test("stopAfterStep: a flat first step, a convergence rule, the rounding floor, or none", () => {
  const flat = stopAfterStep(RULES, 1, "rule", 1, 1e-7, []);
  assert.equal(flat?.reason, "stagnation");
  assert.match(flat!.rule, /^the loss became flat after 1 step: \|gradient\| fell from 1\.00e\+0/);
  // The same fall after a later step, or a smaller fall after the first, is convergence.
  assert.deepEqual(stopAfterStep(RULES, 2, "rule", 1, 1e-7, []), {
    reason: "converged",
    rule: "rule",
  });
  assert.equal(stopAfterStep(RULES, 1, "rule", 1, 1e-5, [])?.reason, "converged");
  // Window 3: four equal losses are stagnation (float32: its noise floor); a spread is not.
  const still = stopAfterStep(RULES, 9, null, 1, 1, [1, 1, 1, 1]);
  assert.equal(still?.reason, "stagnation");
  assert.match(still!.rule, /^the last 3 losses span 0\.00e\+0 <= 16 eps \|loss\| = /);
  assert.equal(
    stopAfterStep({ ...RULES, float32: true }, 9, null, 1, 1, [1, 1, 1, 1])?.reason,
    "float32-noise-floor",
  );
  assert.equal(stopAfterStep(RULES, 9, null, 1, 1, [1, 1.1, 1, 1]), null);
  assert.equal(stopAfterStep(RULES, 9, null, 1, 1, [1, 1, 1]), null); // window not yet full
});
