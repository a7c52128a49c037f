import assert from "node:assert/strict";
import { DENO_RUNNER, DENO_VERSION, replayCall, replayLibraryCall } from "./replay_call.ts";

// Tests added from the mutation run of result.ts (docs/mutation.md).

Deno.test("replayLibraryCall writes the library call with path, backend and claims module", () => {
  const base = { claim: "C3", seed: 7, size: "quick" as const, backend: "cpu", part: "bound" };
  assert.equal(replayLibraryCall(base), `verifyClaims(["C3"], { size: "quick", seed: 7 })`);
  assert.equal(
    replayLibraryCall({ ...base, path: "1:2", backend: "webgpu", claimsModule: "./m.ts" }),
    `verifyClaims(["C3"], { size: "quick", seed: 7, paths: { "bound": "1:2" }, ` +
      `backend: await createBackend("webgpu") }, await loadClaimsModule("./m.ts"))`,
  );
});

Deno.test("replayCall: a deno eval of the call through npx, importing what it uses, quoted", () => {
  const base = { claim: "C3", seed: 7, size: "quick" as const, backend: "cpu", part: "bound" };
  assert.equal(DENO_RUNNER, `npx -y deno@${DENO_VERSION}`);
  const plain = replayCall(base);
  assert.ok(plain.startsWith(`${DENO_RUNNER} eval 'import { verifyClaims } from "./mod.ts"; `));
  assert.ok(plain.includes(replayLibraryCall(base)));
  const module = replayCall({ ...base, backend: "webgpu", claimsModule: "it's.ts" });
  assert.ok(module.includes("import { verifyClaims, createBackend, loadClaimsModule }"));
  // A single quote in the module's name is closed, escaped and reopened for the shell.
  assert.ok(module.includes(`loadClaimsModule("it'\\''s.ts")`), module);
});
