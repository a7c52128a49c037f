import assert from "node:assert/strict";
import fc from "npm:fast-check@^4";
import {
  directPart,
  expect,
  fmt,
  Gauge,
  perturbationMargins,
  propertyPart,
  resolveCheck,
  WorstCase,
} from "./result.ts";

Deno.test("perturbationMargins: the named part or every part ('*'), else 0", () => {
  assert.equal(perturbationMargins(resolveCheck({}), "a"), 0);
  const one = resolveCheck({ perturb: { part: "a", margins: 2 } });
  assert.equal(perturbationMargins(one, "a"), 2);
  assert.equal(perturbationMargins(one, "b"), 0);
  assert.equal(perturbationMargins(resolveCheck({ perturb: { part: "*", margins: 3 } }), "b"), 3);
});

Deno.test("Gauge compares by sense and records the comparison nearest to failing", () => {
  const check = resolveCheck({});
  const most = new Gauge(check, "p", "at-most");
  assert.equal(most.compare(1.5, 1, 0.5), true);
  assert.equal(most.compare(1.6, 1, 0.5), false);
  assert.ok(Math.abs(most.score - 1.2) < 1e-12);
  assert.deepEqual(most.fields(), {
    statistical: true,
    measuredValue: 1.6,
    targetValue: 1,
    marginValue: 0.5,
    sense: "at-most",
  });
  const least = new Gauge(check, "p", "at-least");
  assert.equal(least.compare(0.5, 1, 0.5), true);
  assert.equal(least.compare(0.4, 1, 0.5), false);
  assert.equal(least.compare(5, 1, 0.5), true);
  assert.equal(least.fields().measuredValue, 0.4, "the worst comparison is kept");
  const equal = new Gauge(check, "p", "equal");
  assert.equal(equal.compare(0.5, 1, 0.5), true);
  assert.equal(equal.compare(1.5, 1, 0.5), true);
  assert.equal(equal.compare(1.51, 1, 0.5), false);
  assert.equal(equal.compare(0.49, 1, 0.5), false);
  assert.equal(new Gauge(check, "p", "equal").compare(Number.NaN, 1, 1), false);
  const down = new Gauge(check, "p", "rounding", { direction: "down" });
  assert.equal(down.compare(2, 3, 1), true);
  assert.equal(down.compare(1.9, 3, 1), false);
  assert.equal(down.statistical, false);
  assert.equal(new Gauge(check, "p", "property").statistical, false);
  assert.equal(new Gauge(check, "p", "at-most", { statistical: false }).statistical, false);
  const zero = new Gauge(check, "p", "rounding");
  assert.equal(zero.compare(0, 0, 0), true);
  assert.equal(zero.score, 0);
  assert.equal(zero.compare(1e-300, 0, 0), false);
  assert.equal(zero.score, Infinity);
  assert.deepEqual(new Gauge(check, "p", "equal").fields(), {
    statistical: true,
    measuredValue: null,
    targetValue: null,
    marginValue: null,
    sense: "equal",
  });
});

Deno.test("Gauge shifts the measured value by k margins in the adverse direction", () => {
  const check = resolveCheck({ perturb: { part: "p", margins: 2 } });
  const most = new Gauge(check, "p", "at-most");
  assert.equal(most.margins, 2);
  assert.equal(most.compare(0, 0, 1), false); // 0 + 2 > 0 + 1
  assert.equal(most.fields().measuredValue, 2);
  const least = new Gauge(check, "p", "at-least");
  assert.equal(least.compare(1.5, 0, 1), true); // 1.5 - 2 = -0.5 >= -1
  assert.equal(least.compare(0.5, 0, 1), false); // -1.5 < -1
  assert.equal(least.fields().measuredValue, -1.5);
  const equal = new Gauge(check, "p", "equal");
  assert.equal(equal.compare(-1.5, 0, 1), true); // shifted up: 0.5
  assert.equal(equal.compare(0, 0, 1), false); // 2 > 1
  const other = new Gauge(check, "q", "at-most");
  assert.equal(other.margins, 0);
  assert.equal(other.compare(0, 0, 1), true);
});

Deno.test("directPart reports the verdict, text and numeric fields", () => {
  const check = resolveCheck({ perturb: { part: "x", margins: 3 } });
  const text = { measured: "m", target: "t", margin: "g" };
  const failed = directPart(new Gauge(check, "x", "rounding"), 0, 0, 1, text);
  assert.equal(failed.passed, false);
  assert.equal(failed.name, "x");
  assert.equal(failed.measured, "m (perturbed by 3 margins)");
  assert.equal(failed.measuredValue, 3);
  assert.equal(failed.sense, "rounding");
  const held = directPart(new Gauge(resolveCheck({}), "x", "rounding"), 0.5, 0, 1, text);
  assert.equal(held.passed, true);
  assert.equal(held.measured, "m");
  assert.equal(held.target, "t");
  assert.equal(held.margin, "g");
});

Deno.test("propertyPart: numeric fields from the gauge, perturbation ends the run without shrinking", async () => {
  const run = async (margins: number) => {
    const check = resolveCheck({ seed: 5, perturb: { part: "p", margins } });
    const gauge = new Gauge(check, "p", "equal");
    let calls = 0;
    const part = await propertyPart(check, "C0", "p", fc.integer({ min: 0, max: 100 }), (v) => {
      calls++;
      expect(gauge.compare(v / 1000, 0, 1), () => `value ${v} too far`);
    }, { measured: () => "fine", target: "t", margin: "g", numRuns: 20, gauge });
    return { part, calls };
  };
  const held = await run(0);
  assert.equal(held.part.passed, true);
  assert.equal(held.part.measured, "fine");
  assert.equal(held.part.sense, "equal");
  assert.equal(held.part.statistical, true);
  assert.equal(held.part.marginValue, 1);
  assert.equal(held.calls, 20);
  assert.equal(held.part.property?.numRuns, 20);
  const failed = await run(3);
  assert.equal(failed.part.passed, false);
  assert.equal(failed.calls, 1, "no shrinking under a perturbation");
  assert.match(failed.part.measured, /^FAILED: value \d+ too far \(perturbed by 3 margins\)$/);
  const plain = await propertyPart(
    resolveCheck({}),
    "C0",
    "q",
    fc.constant(1),
    () => {},
    { measured: () => "ok", target: "t", margin: "g", numRuns: 2, sense: "property" },
  );
  assert.deepEqual(
    [plain.measuredValue, plain.targetValue, plain.marginValue, plain.sense, plain.statistical],
    [null, null, null, "property", false],
  );
  const noSense = await propertyPart(
    resolveCheck({}),
    "C0",
    "q",
    fc.constant(1),
    () => {},
    { measured: () => "ok", target: "t", margin: "g", numRuns: 1 },
  );
  assert.equal(noSense.sense, "property");
});

Deno.test("WorstCase keeps the largest value; fmt formats compactly", () => {
  const w = new WorstCase();
  assert.equal(w.text, "no runs");
  w.record(-5, "a");
  assert.equal(w.text, "a");
  w.record(1, "b");
  w.record(0, "c");
  assert.equal(w.text, "b");
  assert.equal(fmt(0), "0");
  assert.equal(fmt(0.123456), "0.1235");
  assert.equal(fmt(1e-5), "1.000e-5");
  assert.equal(fmt(Infinity), "Infinity");
  assert.equal(fmt(123456), "1.235e+5");
});

Deno.test("user claims: comparisonPart with the ResolvedCheck honours the perturbation", async () => {
  const { comparisonPart, meanEquals } = await import("../testing/assertions.ts");
  const values = [0.98, 1.02, 1.01, 0.99];
  const plain = comparisonPart("m", meanEquals(values, 1), resolveCheck({}));
  assert.equal(plain.passed, true);
  const shifted = comparisonPart(
    "m",
    meanEquals(values, 1),
    resolveCheck({ perturb: { part: "m", margins: 3 } }),
  );
  assert.equal(shifted.passed, false);
  assert.ok(shifted.measuredValue! > 1 + shifted.marginValue!);
});
