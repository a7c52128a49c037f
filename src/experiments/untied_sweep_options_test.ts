/**
 * The C11 sweep's options are validated, naming the value; valid values pass.
 *
 * @module
 */

import assert from "node:assert/strict";
import { resolveUntiedSweep, type UntiedSweepOptions } from "./untied_sweep_options.ts";

const TINY: UntiedSweepOptions = {
  depths: [2],
  prompts: 200,
  testPrompts: 100,
  steps: 15,
  d1: 1,
  d2: 1,
  seed: 3,
};

Deno.test("untied sweep: options are validated, naming the value", () => {
  assert.throws(() => resolveUntiedSweep({ ...TINY, scales: [0] }), /scales\[0\]/);
  assert.throws(() => resolveUntiedSweep({ ...TINY, fromShared: true }), RangeError);
  assert.throws(() => resolveUntiedSweep({ ...TINY, context: 0.5 }), /context/);
  // Control: the same values, valid, pass.
  assert.equal(resolveUntiedSweep({ ...TINY, scales: [0.1], context: 3 }).context, 3);
});
