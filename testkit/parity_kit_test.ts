import assert from "node:assert/strict";
import { fc } from "./config.ts";
import {
  integerShapes,
  integerTuple,
  largestExcursion,
  tokenSampleOptions,
  toleranceCheck,
  type WorstRatios,
} from "./parity_kit.ts";

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

Deno.test("largestExcursion is the largest |moved - ref| / tol", () => {
  assert.equal(largestExcursion([1, 3.5], [1, 2], [0.1, 0.5]), 3);
  // Control: a change inside every tolerance stays below 1.
  assert.ok(largestExcursion([1.05, 2.2], [1, 2], [0.1, 0.5]) < 1);
});

Deno.test("integerShapes draws what the spelled-out fc.oneof of fc.tuple draws", () => {
  const ranges = (bounds: [number, number][]) =>
    fc.tuple(...bounds.map(([min, max]) => fc.integer({ min, max })));
  const spelled = fc.oneof(
    { weight: 8, arbitrary: ranges([[1, 24], [1, 200], [2, 16]]) },
    { weight: 1, arbitrary: ranges([[1, 2], [1024, 4096], [8, 32]]) },
  );
  const shapes = integerShapes(
    { weight: 8, ranges: [[1, 24], [1, 200], [2, 16]] },
    { weight: 1, ranges: [[1, 2], [1024, 4096], [8, 32]] },
  );
  const draw = (arb: fc.Arbitrary<number[]>) => fc.sample(arb, { seed: 5, numRuns: 300 });
  assert.deepEqual(draw(shapes), draw(spelled));
  assert.deepEqual(draw(integerTuple([[1, 8], [2, 12]])), draw(ranges([[1, 8], [2, 12]])));
  // Control: other weights draw other shapes.
  const even = integerShapes(
    { weight: 1, ranges: [[1, 24], [1, 200], [2, 16]] },
    { weight: 1, ranges: [[1, 2], [1024, 4096], [8, 32]] },
  );
  assert.notDeepEqual(draw(even), draw(spelled));
});
