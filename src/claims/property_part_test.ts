import assert from "node:assert/strict";
import fc from "npm:fast-check@^4";
import { expect } from "./expect.ts";
import { Gauge } from "./gauge.ts";
import { propertyPart } from "./property_part.ts";
import { resolveCheck } from "./resolve_check.ts";

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

// Tests added from the mutation run of result.ts (docs/mutation.md).

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

Deno.test("propertyPart: the replay names the claim, seed, size, backend, module, part and path", async () => {
  const specs: unknown[] = [];
  const check = resolveCheck({
    seed: 9,
    size: "full",
    claimsModule: "./m.ts",
    formatReplay: (spec) => {
      specs.push(spec);
      return "the replay";
    },
  });
  const part = await propertyPart(check, "U1", "p", fc.nat(), (n) => {
    expect(n < 50, () => `${n} too large`);
  }, { measured: () => "", target: "", margin: "", numRuns: 100 });
  assert.equal(part.passed, false);
  const path = part.property!.path!;
  assert.ok(typeof path === "string" && path.length > 0, "a failure's path");
  const expected = {
    claim: "U1",
    seed: 9,
    size: "full",
    backend: "cpu",
    claimsModule: "./m.ts",
    part: "p",
    path,
  };
  assert.deepEqual(specs, [expected]);
  assert.deepEqual(part.property!.replaySpec, expected);
  assert.equal(part.property!.replay, "the replay");
  assert.equal(part.property!.counterexample, "[50]", "shrunk to the smallest failure");
  // Replaying the path runs the counterexample first, and reports the same path.
  const replayed = await propertyPart(
    resolveCheck({ seed: 9, paths: { p: path } }),
    "U1",
    "p",
    fc.nat(),
    (n) => expect(n < 50, () => `${n} too large`),
    { measured: () => "", target: "", margin: "", numRuns: 100 },
  );
  assert.equal(replayed.property!.numRuns, 1);
  assert.equal(replayed.property!.replaySpec.path, path);
});
