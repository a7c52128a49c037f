import assert from "node:assert/strict";
import { tokenSampleOptions, toleranceCheck, type WorstRatios } from "./parity_kit.ts";

Deno.test("toleranceCheck passes inside the tolerance and records the worst ratio", () => {
  const worst: WorstRatios = {};
  toleranceCheck(worst)("x", [1, 2.5], [1, 2], [0.1, 1]);
  assert.equal(worst.x, 0.5);
});

Deno.test("control: toleranceCheck fails just outside the tolerance, and on NaN or a length", () => {
  const check = toleranceCheck({});
  assert.throws(() => check("x", [2.0001], [1], [1]), /x\[0\].*\|err\| 1\.0001/);
  assert.throws(() => check("x", [NaN], [1], [1]), /x\[0\]/);
  assert.throws(() => check("x", [1, 2], [1], [1]), /x: length/);
});

Deno.test("tokenSampleOptions splits d and asks for the token sampler", () => {
  assert.deepEqual(tokenSampleOptions(3, 10, 5, 7), {
    prompts: 3,
    context: 10,
    seed: 7,
    d1: 3,
    d2: 2,
    stream: 1,
    sampler: "tokens",
  });
});
