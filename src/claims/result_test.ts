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

// Tests added from the mutation run of result.ts (docs/mutation.md).
import { claimResult, ClaimViolation, replayCall } from "./result.ts";
import type { Backend } from "../backends/backend.ts";

Deno.test("resolveCheck: CPU defaults sample and train; a backend is used for both", async () => {
  const cpu = resolveCheck({});
  assert.deepEqual(cpu.backend, { name: "cpu", adapter: "CPU (float64)", precision: "float64" });
  const stats = await cpu.sample({ prompts: 3, context: 5, seed: 1 });
  assert.equal(stats.prompts, 3);
  const trained = await cpu.train({
    model: "lca1",
    prompts: 20,
    context: 10,
    steps: 2,
    testPrompts: 5,
  });
  assert.equal(trained.parameters.model, "lca1");
  const calls: string[] = [];
  const fake = {
    name: "fake",
    adapter: "test adapter",
    precision: "float32",
    statistics: (o: { prompts: number }) => {
      calls.push(`statistics ${o.prompts}`);
      return Promise.reject(new Error("fake backend"));
    },
  } as unknown as Backend;
  const viaBackend = resolveCheck({ backend: fake });
  assert.deepEqual(viaBackend.backend, {
    name: "fake",
    adapter: "test adapter",
    precision: "float32",
  });
  await assert.rejects(
    () => viaBackend.sample({ prompts: 2, context: 3, seed: 0 }),
    /fake backend/,
  );
  assert.deepEqual(calls, ["statistics 2"]);
  const training = viaBackend.train({ model: "lca1", prompts: 4, context: 3, steps: 1 });
  assert.ok(training instanceof Promise);
  await training.catch(() => {});
  assert.ok(calls.length > 1, "training on the backend asks it for statistics");
});

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

Deno.test("ClaimViolation, WorstCase ties and first records", () => {
  assert.equal(new ClaimViolation("x").name, "ClaimViolation");
  assert.throws(() => expect(false, () => "no"), (e: unknown) => e instanceof ClaimViolation);
  const w = new WorstCase();
  w.record(-Infinity, "first");
  assert.equal(w.text, "first");
  const t = new WorstCase();
  t.record(1, "a");
  t.record(1, "b");
  assert.equal(t.text, "a");
});

Deno.test("propertyPart: passing parts carry no failure fields; typed arrays in counterexamples", async () => {
  const check = resolveCheck({ seed: 3 });
  const held = await propertyPart(check, "C0", "p", fc.constant(1), () => {}, {
    measured: () => "ok",
    target: "t",
    margin: "g",
    numRuns: 2,
  });
  assert.equal(held.property?.error, undefined);
  assert.equal(held.property?.counterexample, undefined);
  assert.equal(held.property?.path, undefined);
  const failed = await propertyPart(
    check,
    "C0",
    "q",
    fc.constant(new Float64Array([1.5, 2])),
    () => expect(false, () => "always"),
    { measured: () => "x", target: "t", margin: "g", numRuns: 1 },
  );
  assert.equal(failed.property?.counterexample, "[[1.5,2]]");
  assert.equal(failed.property?.error, "always");
});

Deno.test("replayCall writes the library call with path, backend and claims module", () => {
  const base = { claim: "C3", seed: 7, size: "quick" as const, backend: "cpu", part: "bound" };
  assert.equal(replayCall(base), `verifyClaims(["C3"], { size: "quick", seed: 7 })`);
  assert.equal(
    replayCall({ ...base, path: "1:2", backend: "webgpu", claimsModule: "./m.ts" }),
    `verifyClaims(["C3"], { size: "quick", seed: 7, paths: { "bound": "1:2" }, ` +
      `backend: await createBackend("webgpu") }, await loadClaimsModule("./m.ts"))`,
  );
});

Deno.test("claimResult: passed needs parts and all of them; seconds since the start", () => {
  const check = resolveCheck({});
  const meta = { id: "C0", title: "t", statement: "s", theorem: "th" };
  const part = (passed: boolean) => ({ name: "p", measured: "", target: "", margin: "", passed });
  assert.equal(claimResult(meta, check, performance.now(), []).passed, false);
  assert.equal(
    claimResult(meta, check, performance.now(), [part(true), part(false)]).passed,
    false,
  );
  assert.equal(
    claimResult(meta, check, performance.now(), [part(false), part(false)]).passed,
    false,
  );
  assert.equal(claimResult(meta, check, performance.now(), [part(true)]).passed, true);
  const seconds = claimResult(meta, check, performance.now() - 2000, [part(true)]).seconds;
  assert.ok(seconds >= 2 && seconds < 60, `seconds ${seconds}`);
});

Deno.test("fmt at its switch points", () => {
  assert.equal(fmt(0.001), "0.001");
  assert.equal(fmt(1e5), "1.000e+5");
  assert.equal(fmt(12345), "12350");
  assert.equal(fmt(-0.5), "-0.5");
});

Deno.test("resolveCheck: the defaults are quick size, seed 0, no paths and a silent progress", () => {
  const check = resolveCheck({});
  assert.equal(check.size, "quick");
  assert.equal(check.seed, 0);
  assert.deepEqual(check.paths, {});
  assert.equal(check.progress("a message"), undefined);
  assert.equal(check.backend.name, "cpu");
  // Given values are kept (control: the defaults do not override them).
  const given = resolveCheck({ size: "full", seed: 7 });
  assert.equal(given.size, "full");
  assert.equal(given.seed, 7);
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

Deno.test("propertyPart: a gauge named after another part is refused", async () => {
  const check = resolveCheck({ seed: 1 });
  const describe = (gauge: Gauge) => ({
    measured: () => "",
    target: "",
    margin: "",
    numRuns: 1,
    gauge,
  });
  await assert.rejects(
    () =>
      propertyPart(
        check,
        "C0",
        "p",
        fc.integer(),
        () => {},
        describe(new Gauge(check, "q", "equal")),
      ),
    { name: "RangeError", message: 'gauge must be named after its part "p", got "q"' },
  );
  // Control: the matching name runs.
  const part = await propertyPart(
    check,
    "C0",
    "p",
    fc.integer(),
    () => {},
    describe(new Gauge(check, "p", "equal")),
  );
  assert.equal(part.passed, true);
});

Deno.test("resolveCheck: a bad size or seed is refused with the option's name", () => {
  assert.throws(
    () => resolveCheck({ size: "huge" as "quick" }),
    (e: unknown) => e instanceof RangeError && /^size must be one of/.test(e.message),
  );
  for (const seed of [-1, 1.5]) {
    assert.throws(
      () => resolveCheck({ seed }),
      (e: unknown) => e instanceof RangeError && /^seed must be/.test(e.message),
      `seed ${seed}`,
    );
  }
});
