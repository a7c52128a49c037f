/**
 * The C11 sweep's options are validated, naming the value; valid values pass.
 *
 * @module
 */

import assert from "node:assert/strict";
import { TINY_UNTIED_SWEEP as TINY } from "../../testkit/sweep_fixtures.ts";
import { resolveUntiedSweep } from "./untied_sweep_options.ts";

Deno.test("untied sweep: options are validated, naming the value", () => {
  assert.throws(() => resolveUntiedSweep({ ...TINY, scales: [0] }), /scales\[0\]/);
  assert.throws(() => resolveUntiedSweep({ ...TINY, fromShared: true }), RangeError);
  assert.throws(() => resolveUntiedSweep({ ...TINY, context: 0.5 }), /context/);
  // Control: the same values, valid, pass.
  assert.equal(resolveUntiedSweep({ ...TINY, scales: [0.1], context: 3 }).context, 3);
});
