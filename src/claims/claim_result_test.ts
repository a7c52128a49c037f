import assert from "node:assert/strict";
import { claimResult } from "./claim_result.ts";
import { resolveCheck } from "./resolve_check.ts";

// Tests added from the mutation run of result.ts (docs/mutation.md).

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

Deno.test("claimResult: the metadata, parts, size, seed and backend of the check", () => {
  const check = resolveCheck({ size: "full", seed: 4 });
  const meta = { id: "U1", title: "t", statement: "s", theorem: "th" };
  const parts = [{ name: "p", measured: "m", target: "t", margin: "g", passed: true }];
  const result = claimResult(meta, check, performance.now(), parts);
  assert.deepEqual(
    { ...result, seconds: 0 },
    {
      ...meta,
      parts,
      passed: true,
      seconds: 0,
      size: "full",
      seed: 4,
      backend: { name: "cpu", adapter: "CPU (float64)", precision: "float64" },
    },
  );
  assert.equal(result.details, undefined, "no details unless the claim records some");
});
