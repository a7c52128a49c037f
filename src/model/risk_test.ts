import assert from "node:assert/strict";
import { estimateMean, pairedExcess, squaredRisk } from "./risk.ts";

const close = (a: number, b: number, tol = 1e-14) =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);

Deno.test("estimateMean: mean and standard error with the n - 1 variance", () => {
  const e = estimateMean([1, 2, 3, 6]);
  close(e.mean, 3);
  // deviations -2, -1, 0, 3: ss = 14, variance 14/3, SE sqrt(14/3/4)
  close(e.standardError, Math.sqrt(14 / 3 / 4));
  assert.equal(e.samples, 4);
  assert.throws(() => estimateMean([7]), /at least 2 samples/);
  assert.throws(() => estimateMean([]), RangeError);
});

Deno.test("squaredRisk: mean of squared errors", () => {
  const r = squaredRisk([1, 2, 4], [0, 2, 1]);
  close(r.mean, (1 + 0 + 9) / 3);
  close(r.standardError, estimateMean([1, 0, 9]).standardError);
  assert.throws(() => squaredRisk([1, 2], [1]), /labels must have length 2, got length 1/);
});

Deno.test("pairedExcess with a reference other than Bayes: paired differences", () => {
  const predictions = [1, 2, 3];
  const reference = [0.5, 2.5, 2];
  const labels = [1, 1, 1];
  // differences (0 - 0.25), (1 - 2.25), (4 - 1) = -0.25, -1.25, 3
  const e = pairedExcess(predictions, reference, labels);
  close(e.mean, 0.5);
  close(e.standardError, Math.sqrt(((0.75 ** 2 + 1.75 ** 2 + 2.5 ** 2) / 2) / 3));
  assert.equal(e.samples, 3);
  const swapped = pairedExcess(reference, predictions, labels);
  close(swapped.mean, -0.5);
  close(swapped.standardError, e.standardError);
  // The reference enters, not Bayes: a constant shift of the reference changes the excess.
  const shifted = pairedExcess(predictions, reference.map((v) => v + 1), labels);
  assert.ok(Math.abs(shifted.mean - e.mean) > 0.1);
  assert.throws(() => pairedExcess([1, 2], [1], [1, 2]), /reference must have length 2/);
  assert.throws(() => pairedExcess([1, 2], [1, 2], [1, 2, 3]), /labels must have length 2/);
});

Deno.test("risk functions name the argument they refuse", () => {
  const bad = [1, NaN];
  assert.throws(() => estimateMean(bad), /^RangeError: values /);
  assert.throws(() => estimateMean("ab" as unknown as number[]), /^TypeError: values must be/);
  assert.throws(
    () => estimateMean([]),
    (e: unknown) =>
      e instanceof RangeError && e.message === "values must be non-empty, got length 0",
  );
  assert.throws(() => squaredRisk(bad, [1, 2]), /^RangeError: predictions /);
  assert.throws(() => squaredRisk([1, 2], bad), /^RangeError: labels /);
  assert.throws(() => pairedExcess(bad, [1, 2], [1, 2]), /^RangeError: predictions /);
  assert.throws(() => pairedExcess([1, 2], bad, [1, 2]), /^RangeError: reference /);
  assert.throws(() => pairedExcess([1, 2], [1, 2], bad), /^RangeError: labels /);
  // Control: the same arrays without the NaN are accepted.
  assert.equal(pairedExcess([1, 2], [1, 2], [1, 2]).mean, 0);
});
