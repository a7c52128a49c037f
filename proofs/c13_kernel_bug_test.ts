// C13 on --backend webgpu checks the GPU's own token-level kernels: `long-context-rate` takes its
// softmax CA and LCA predictions from `softmaxForward` and `lcaForward`, with the derived float32
// bounds of src/claims/softmax_float32_bound.ts in its margin. A WGSL bug injected into the
// softmax forward kernel makes that part fail, for the reason the bug causes; the small-tau parts
// (host float64 on every backend) do not see it. Controls: the same parts hold on the real kernels,
// whose errors stay within the bounds. The whole claim on the real kernels is
// proofs/backend_verify_test.ts.
import assert from "node:assert/strict";
import type { WebGpuBackend } from "../src/backends/webgpu/webgpu_backend.ts";
import { checkC13 } from "../src/claims/c13_softmax_attention.ts";
import type { ClaimResult } from "../src/claims/claim_result.ts";
import { backendEvaluation, hostEvaluation } from "../src/claims/model_evaluation.ts";
import { tiedSoftmax } from "../src/model/softmax_models.ts";
import { samplePromptBatch } from "../src/model/task.ts";
import { freshBackendTests, withKernelMutation } from "../testkit/parity_kit.ts";
import { PROOF_SEED } from "../testkit/proof_support.ts";

const webgpuTest = await freshBackendTests("C13 kernel bug on webgpu");

/** C13's small-tau-centred and long-context-rate parts on `backend`. */
function twoParts(backend: WebGpuBackend): Promise<ClaimResult> {
  return checkC13({
    seed: PROOF_SEED,
    backend,
    controls: { only: ["small-tau-centred", "long-context-rate"] },
  });
}

webgpuTest(
  "C13 on webgpu fails long-context-rate when the softmax score reads the wrong query element",
  async (backend) => {
    // Control: the real kernels. The margin adds the float32 term, and says so.
    const real = await twoParts(backend);
    assert.deepEqual(
      real.parts.map((p) => [p.name, p.passed]),
      [["small-tau-centred", true], ["long-context-rate", true]],
      JSON.stringify(real.parts.map((p) => p.measured)),
    );
    const [small, long] = real.parts;
    assert.match(long.margin, /predictions by webgpu kernels \(float32\) \(softmaxForward/);
    assert.match(long.measured, /float32 rounding \S+, sca, /);
    assert.match(small.margin, /on the host in float64, not by webgpu kernels/);
    // The bug: every score x_i^T q_t reads q_{t,0} for every component, s_i = q_0 sum_c x_ic.
    // The softmax no longer tilts along q, A_t keeps an O(1) difference from LCA's Sigma_hat q_t
    // at every L, and the mean squared difference stops falling like 1/L.
    let broken: ClaimResult | undefined;
    await withKernelMutation(
      backend,
      "softmax",
      "fma(tokens[o + c], state[n * S + c], s)",
      "fma(tokens[o + c], state[n * S], s)",
      async () => {
        broken = await twoParts(backend);
      },
    );
    assert.ok(broken);
    assert.deepEqual(broken.parts.map((p) => [p.name, p.passed]), [
      ["small-tau-centred", true], // host float64: the kernel's bug does not reach it
      ["long-context-rate", false],
    ]);
    assert.match(
      broken.parts[1].measured,
      /^FAILED: log-slope \S+ of the mean squared difference over L in \[16, 4096\] is not -1/,
    );
    console.log(`C13 long-context-rate, real kernels: ${long.measured}`);
    console.log(`C13 long-context-rate, mutated score: ${broken.parts[1].measured}`);
  },
);

webgpuTest(
  "C13's token-level float32 bounds hold on the real kernels at L = 16 and 4096",
  async (backend) => {
    const gpu = backendEvaluation(backend), host = hostEvaluation();
    const params = tiedSoftmax(0.3, -0.3, 0.5, 2, false);
    const lca = { alpha: 0.3, beta: -0.3, depth: 2 };
    // The nested design: the host's context-16 prompts are the first 16 tokens of the context-4096
    // ones (so the kernels', within the bounds below, are too).
    const short = samplePromptBatch({ prompts: 64, context: 16, seed: PROOF_SEED });
    const long = samplePromptBatch({ prompts: 64, context: 4096, seed: PROOF_SEED });
    const d = short.task.dim;
    for (let n = 0; n < 64; n++) {
      assert.deepEqual(
        short.x.subarray(n * 16 * d, (n + 1) * 16 * d),
        long.x.subarray(n * 4096 * d, (n * 4096 + 16) * d),
      );
    }
    for (const context of [16, 4096]) {
      const sample = { prompts: 64, context, seed: PROOF_SEED, sampler: "tokens" as const };
      const batch = samplePromptBatch(sample);
      for (
        const [g, h] of [
          [
            await gpu.softmaxTokens(sample, batch, params),
            host.softmaxTokens(sample, batch, params),
          ],
          [await gpu.lcaTokens(sample, batch, lca), host.lcaTokens(sample, batch, lca)],
        ] as const
      ) {
        const reference = (await h).predictions;
        g.predictions.forEach((y, n) => {
          const error = Math.abs(y - reference[n]);
          assert.ok(error <= g.bound![n], `L=${context} n=${n}: ${error} > ${g.bound![n]}`);
        });
      }
    }
  },
);
