import assert from "node:assert/strict";
import { testsOf } from "./mutation.ts";

Deno.test("testsOf finds a module's tests by name and by import, without a table", async () => {
  const tests = await testsOf("src/model/risk.ts");
  assert.equal(tests[0], "src/model/risk_test.ts");
  assert.ok(tests.length > 1, `only ${tests.join(", ")}`);
  for (const test of tests) assert.match(test, /_test\.ts$/);
  assert.deepEqual(await testsOf("src/model/risk.ts", true), ["src/model/risk_test.ts"]);
});

Deno.test("testsOf refuses a file that is not a module of the tree (control)", async () => {
  await assert.rejects(() => testsOf("src/model/no_such.ts"), /module must be a source file/);
  await assert.rejects(() => testsOf("src/model/risk_test.ts"), /module must be a source file/);
});
