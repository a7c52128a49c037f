import assert from "node:assert/strict";
import { createBackend } from "../src/backends/create_backend.ts";
import { ALL_CLAIMS, verifyClaims } from "../src/claims/claims.ts";
import { requestAdapter } from "../src/backends/webgpu/context.ts";
import { PROOF_SEED } from "../testkit/proof_support.ts";

const adapter = await requestAdapter();
const required = Deno.env.get("ICL_REQUIRE_WEBGPU") === "1";
if (adapter === null && !required) console.log("verify on webgpu: ignored, no WebGPU adapter");

Deno.test({
  name: "verify --quick --backend webgpu: every claim holds with prompts sampled in WebGPU kernels",
  ignore: adapter === null && !required,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    assert.ok(adapter, "no WebGPU adapter, but ICL_REQUIRE_WEBGPU=1 requires one");
    const backend = await createBackend("webgpu");
    try {
      const results = await verifyClaims(undefined, { seed: PROOF_SEED, backend });
      // The library selects every built-in claim by default (ALL_CLAIMS: paper, beyond, external).
      assert.deepEqual(results.map((r) => r.id), ALL_CLAIMS.map((c) => c.id));
      for (const result of results) {
        assert.equal(result.backend.name, "webgpu");
        assert.ok(
          result.passed,
          `${result.id}: ${
            result.parts.filter((p) => !p.passed).map((p) => p.measured).join("; ")
          }`,
        );
      }
    } finally {
      backend.dispose();
    }
  },
});
