import assert from "node:assert/strict";
import { Gauge } from "./gauge.ts";
import { resolveCheck } from "./resolve_check.ts";

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

// Tests added from the mutation run of result.ts (docs/mutation.md).

Deno.test("Gauge: sense decides the direction, whatever direction is passed", () => {
  const check = resolveCheck({ perturb: { part: "p", margins: 2 } });
  assert.equal(new Gauge(check, "p", "at-least").statistical, true);
  const leastUp = new Gauge(check, "p", "at-least", { direction: "up" });
  assert.equal(leastUp.compare(3.5, 0, 1), true); // 3.5 - 2 >= -1
  assert.equal(leastUp.fields().measuredValue, 1.5);
  const mostDown = new Gauge(check, "p", "at-most", { direction: "down" });
  assert.equal(mostDown.compare(0, 0, 1), false); // 0 + 2 > 1
  assert.equal(mostDown.fields().measuredValue, 2);
  const equalDown = new Gauge(check, "p", "equal", { direction: "down" });
  assert.equal(equalDown.compare(-1.5, 0, 1), true); // shifted up to 0.5
  assert.equal(equalDown.fields().measuredValue, 0.5);
  const roundingDown = new Gauge(check, "p", "rounding", { direction: "down" });
  assert.equal(roundingDown.compare(5, 0, 1), true); // 5 - 2 >= -1
  assert.equal(roundingDown.fields().measuredValue, 3);
});

Deno.test("Gauge: zero margins, ties and the first comparison", () => {
  const check = resolveCheck({});
  const inside = new Gauge(check, "p", "at-most");
  assert.equal(inside.compare(-1, 0, 0), true);
  assert.equal(inside.score, -Infinity);
  assert.equal(inside.fields().measuredValue, -1, "the first comparison is recorded");
  const ties = new Gauge(check, "p", "at-most");
  ties.compare(1, 0, 2);
  ties.compare(3, 2, 2);
  assert.equal(ties.fields().measuredValue, 1, "a tie keeps the earlier comparison");
});

Deno.test("Gauge: before any comparison the score is -Infinity and the numeric fields are null", () => {
  const gauge = new Gauge(resolveCheck({}), "a", "at-most");
  assert.equal(gauge.score, -Infinity);
  assert.equal(gauge.fields().measuredValue, null);
  // Control: one comparison sets both.
  gauge.compare(1, 0, 2);
  assert.equal(gauge.score, 0.5);
  assert.equal(gauge.fields().measuredValue, 1);
});
