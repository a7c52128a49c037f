import assert from "node:assert/strict";
import { parseBuildArgs } from "./docs_build.ts";

Deno.test("parseBuildArgs: --out and --check; an unknown argument is an error", () => {
  assert.deepEqual(parseBuildArgs([]), { out: "site", check: false });
  assert.deepEqual(parseBuildArgs(["--out", "/tmp/x", "--check"]), { out: "/tmp/x", check: true });
  assert.throws(() => parseBuildArgs(["--bogus"]), /unknown argument --bogus/);
  assert.throws(() => parseBuildArgs(["--out"]), /unknown argument --out/);
});
