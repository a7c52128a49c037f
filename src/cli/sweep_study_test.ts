/** A sweep row as one line of JSON: "inf" for an infinite context, null for NaN. */
import assert from "node:assert/strict";
import { sweepRowJson } from "./sweep_study.ts";

Deno.test('sweepRowJson: Infinity is "inf", NaN is null, everything else as JSON.stringify', () => {
  assert.equal(
    sweepRowJson({ depth: 1, context: Infinity, untied: { beta: NaN, a: [1, 0.5] } }),
    '{"depth":1,"context":"inf","untied":{"beta":null,"a":[1,0.5]}}',
  );
  // Control: a finite context stays a number.
  assert.equal(sweepRowJson({ context: 100 }), '{"context":100}');
});
