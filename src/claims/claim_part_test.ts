import assert from "node:assert/strict";
import type { CheckSize, ClaimPart, PartSense, PropertyReport, ReplaySpec } from "./claim_part.ts";

Deno.test("ClaimPart: the text fields and verdict are required, the rest optional", () => {
  const plain: ClaimPart = { name: "p", measured: "m", target: "t", margin: "g", passed: true };
  assert.deepEqual(Object.keys(plain), ["name", "measured", "target", "margin", "passed"]);
  // @ts-expect-error: a part needs its verdict
  const noVerdict: ClaimPart = { name: "p", measured: "m", target: "t", margin: "g" };
  assert.equal(noVerdict.passed, undefined);
});

Deno.test("PartSense and CheckSize: exactly the documented choices", () => {
  const senses: PartSense[] = ["at-most", "at-least", "equal", "property", "rounding"];
  const sizes: CheckSize[] = ["quick", "full"];
  assert.equal(new Set(senses).size, 5);
  assert.equal(new Set(sizes).size, 2);
  // @ts-expect-error: not a sense
  const between: PartSense = "between";
  // @ts-expect-error: not a size
  const huge: CheckSize = "huge";
  assert.deepEqual([between, huge], ["between", "huge"]);
});

Deno.test("ClaimPart: a failed property part survives a JSON round trip (reports are JSON)", () => {
  const replaySpec: ReplaySpec = {
    claim: "C3",
    seed: 7,
    size: "quick",
    backend: "cpu",
    part: "bound",
    path: "17:1:0",
  };
  const property: PropertyReport = {
    seed: 7,
    numRuns: 18,
    path: "17:1:0",
    counterexample: "[[1.5,2]]",
    error: "bound exceeded",
    replay: 'verifyClaims(["C3"], { size: "quick", seed: 7 })',
    replaySpec,
  };
  const part: ClaimPart = {
    name: "bound",
    measured: "FAILED: bound exceeded",
    target: "E_T <= bound",
    margin: "rounding",
    passed: false,
    property,
    measuredValue: 1.5,
    targetValue: 1,
    marginValue: null,
    sense: "at-most",
    statistical: false,
  };
  assert.deepEqual(JSON.parse(JSON.stringify(part)), part);
});
