import assert from "node:assert/strict";
import { scheduleRecordData, tailAmplification } from "./schedule_record.ts";
import { fitSlope } from "../src/numeric/slope.ts";

Deno.test("fitSlope and tailAmplification", () => {
  assert.ok(Math.abs(fitSlope([1, 2, 3, 4], [3, 5, 7, 9]) - 2) < 1e-15);
  // One step 1/2 on [1, 3]: the tail after the last layer is 1, before it |1 - lambda/2| <= 1.
  assert.equal(tailAmplification([0.5], 2), 1);
  // Two steps, the large one last: the error of layer 1 is multiplied by |1 - 3| = 2.
  assert.equal(tailAmplification([0.4, 1], 2), 2);
});

Deno.test("scheduleRecordData: small sizes give the record's shape and its findings", () => {
  const law = { kind: "uniform", low: 0.5, high: 4 } as const;
  const data = scheduleRecordData({
    laws: [law],
    depths: [1, 3],
    bruteDepths: [2],
    asymptotics: false,
  });
  const [entry] = data.laws;
  assert.equal(entry.law, "uniform[0.5, 4]");
  assert.ok(Math.abs(entry.table[0].ratioToTied - 1) < 1e-10);
  assert.ok(entry.table[1].ratioToTied < 1 && entry.table[1].ratioChebyshevToOptimum > 1);
  assert.ok(Math.abs(entry.bruteForce[0].excessRelativeDifference) < 1e-6);
  assert.ok(
    entry.controls.perturbedOverOptimumMin > 1 && entry.controls.wrongMeasureOverOptimum > 1,
  );
  assert.equal(data.orders, undefined);
});
