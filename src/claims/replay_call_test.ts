import assert from "node:assert/strict";
import { replayCall } from "./replay_call.ts";

// Tests added from the mutation run of result.ts (docs/mutation.md).

Deno.test("replayCall writes the library call with path, backend and claims module", () => {
  const base = { claim: "C3", seed: 7, size: "quick" as const, backend: "cpu", part: "bound" };
  assert.equal(replayCall(base), `verifyClaims(["C3"], { size: "quick", seed: 7 })`);
  assert.equal(
    replayCall({ ...base, path: "1:2", backend: "webgpu", claimsModule: "./m.ts" }),
    `verifyClaims(["C3"], { size: "quick", seed: 7, paths: { "bound": "1:2" }, ` +
      `backend: await createBackend("webgpu") }, await loadClaimsModule("./m.ts"))`,
  );
});
