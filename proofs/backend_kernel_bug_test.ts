// verify --quick --backend webgpu checks the GPU's own forward kernels: a WGSL bug injected into
// the kernel that evaluates a model on sampled statistics makes the claims that evaluate that
// model fail, each for the reason the bug causes. The control, every claim holding on the real
// kernels, is proofs/backend_verify_test.ts.
import assert from "node:assert/strict";
import type { WebGpuBackend } from "../src/backends/webgpu/webgpu_backend.ts";
import type { ClaimResult } from "../src/claims/claim_result.ts";
import { verifyClaims } from "../src/claims/claims.ts";
import {
  backendEvaluation,
  type Evaluated,
  hostEvaluation,
} from "../src/claims/model_evaluation.ts";
import { freshBackendTests, withKernelMutation } from "../testkit/parity_kit.ts";
import { PROOF_SEED } from "../testkit/proof_support.ts";
import { resolveTask } from "../src/model/task.ts";
import { alphaStar } from "../src/theory/population.ts";

const webgpuTest = await freshBackendTests("kernel bug on webgpu");

/** Failed parts of a claim's result: name -> measured text. */
function failedParts(result: ClaimResult): Record<string, string> {
  return Object.fromEntries(
    result.parts.filter((part) => !part.passed).map((part) => [part.name, part.measured]),
  );
}

/** Runs `ids` on the backend with `correct` replaced by `wrong` in every kernel it compiles. */
async function verifyMutated(
  backend: WebGpuBackend,
  kernels: string,
  mutation: [string, string],
  ids: string[],
): Promise<Record<string, ClaimResult>> {
  let results: ClaimResult[] = [];
  await withKernelMutation(backend, kernels, mutation[0], mutation[1], async () => {
    results = await verifyClaims(ids, { seed: PROOF_SEED, backend });
  });
  assert.deepEqual(results.map((r) => r.id), ids);
  for (const result of results) assert.equal(result.backend.name, "webgpu");
  return Object.fromEntries(results.map((r) => [r.id, r]));
}

webgpuTest(
  "verify --quick --backend webgpu fails when the LCA kernel on statistics reads the wrong query element",
  async (backend) => {
    // Every layer adds alpha_t x_{n,0} instead of alpha_t x_{n,a} (the first element of the
    // prompt's start vector, for every a).
    const results = await verifyMutated(
      backend,
      "scheduleStatistics",
      ["step.x * query[e]", "step.x * query[row]"],
      ["C2", "C9"],
    );
    const c2 = failedParts(results.C2);
    assert.deepEqual(Object.keys(c2), ["formulas-vs-monte-carlo"]);
    // E_T (the LCA's excess) misses its formula; R_Bayes and the gap (no LCA) do not fail.
    assert.match(c2["formulas-vs-monte-carlo"], /^FAILED: lca: Monte Carlo .* vs formula/);
    const c9 = failedParts(results.C9);
    assert.deepEqual(Object.keys(c9), ["tends-to-ols-not-bayes", "exact-statistics-tend-to-bayes"]);
    assert.match(c9["tends-to-ols-not-bayes"], /\|LCA_T - OLS\| = .* > /);
    assert.match(c9["exact-statistics-tend-to-bayes"], /\|LCA_T - Bayes\| = .* > /);
    // The divergence part evaluates on the host in float64 (float32 cannot hold |1 - alpha
    // lambda|^200), so the kernel's bug does not reach it.
    assert.equal(
      results.C9.parts.find((p) => p.name === "diverges-beyond-2-over-alpha")?.passed,
      true,
    );
    assert.ok(results.C2.parts[0].margin.includes("webgpu kernels (float32)"));
  },
);

webgpuTest(
  "verify --quick --backend webgpu fails when the LSA kernel on statistics reads the wrong query element",
  async (backend) => {
    // K x_q uses x_{n,0} for every column c.
    const results = await verifyMutated(
      backend,
      "lsaStatistics",
      ["query[row + c], sum", "query[row], sum"],
      ["C1", "C2", "E3"],
    );
    const c1 = failedParts(results.C1);
    // The fitted LSA no longer attains the gap (trained-lsa is a lower bound: a broken
    // predictor's larger excess does not violate it).
    assert.ok("trained-lsa-reaches-gap" in c1, JSON.stringify(c1));
    assert.match(c1["trained-lsa-reaches-gap"], /^FAILED: least-squares LSA excess .* above gap/);
    const c2 = failedParts(results.C2);
    assert.match(c2["formulas-vs-monte-carlo"], /^FAILED: gap: Monte Carlo .* vs formula/);
    const e3 = failedParts(results.E3);
    // The identity part samples and evaluates on the host; the trained-vs-step part on the GPU.
    assert.deepEqual(Object.keys(e3), ["trained-is-gradient-step"]);
    assert.match(e3["trained-is-gradient-step"], /^FAILED: risk\(trained\) - risk\(step\) = /);
  },
);

/** Worst |kernel - host float64| / derived bound over the prompts. */
function worstBoundRatio(evaluated: Evaluated, host: Float64Array): number {
  let worst = 0;
  host.forEach((v, n) => {
    worst = Math.max(worst, Math.abs(evaluated.predictions[n] - v) / evaluated.bound![n]);
  });
  return worst;
}

webgpuTest(
  "the derived float32 bounds hold on the real kernels and fail on a kernel off by 2^-10",
  async (backend) => {
    // Exact statistics and alpha*: a contracting recursion (no prompt leaves float32's range).
    const stats = await backend.statistics({ prompts: 400, context: Infinity, seed: PROOF_SEED });
    const alpha = alphaStar(resolveTask().law);
    const gpu = backendEvaluation(backend), host = hostEvaluation();
    const d = stats.task.dim;
    const gamma = new Float64Array(d * d).map((_, i) => (i % (d + 1) === 0 ? 0.3 : 0.01));
    const ratios = async () => {
      const out: number[] = [];
      for (const depth of [1, 10, 200]) {
        const params = { alpha, beta: -alpha, depth };
        out.push(worstBoundRatio(
          await gpu.lca(stats, params),
          (await host.lca(stats, params)).predictions,
        ));
      }
      out.push(worstBoundRatio(
        await gpu.lsaReduced(stats, gamma),
        (await host.lsaReduced(stats, gamma)).predictions,
      ));
      return out;
    };
    const real = await ratios();
    assert.ok(real.every((r) => r <= 1), `bound exceeded on the real kernels: ${real}`);
    // Control: the start vector scaled by 1 + 2^-10 in the LCA kernel, the LSA's output likewise.
    await withKernelMutation(
      backend,
      "scheduleStatistics",
      "step.x * query[e]",
      "step.x * query[e] * 1.0009765625",
      async () => {
        const off = await ratios();
        assert.ok(off.slice(0, 3).every((r) => r > 1), `LCA bound holds off by 2^-10: ${off}`);
      },
    );
    await withKernelMutation(
      backend,
      "lsaStatistics",
      "out[n] = pred + p[D] * last;",
      "out[n] = (pred + p[D] * last) * 1.0009765625;",
      async () => {
        const off = await ratios();
        assert.ok(off[3] > 1, `LSA bound holds off by 2^-10: ${off}`);
      },
    );
  },
);
