import assert from "node:assert/strict";
import { createBackend } from "../backends/create_backend.ts";
import { main } from "../cli/main.ts";
import { trainOnBackend } from "./training_backend.ts";
import { train } from "./training.ts";
import { samplePromptStatistics, spectralStatistics } from "../model/prompt_statistics.ts";
import { empiricalOneParameter } from "../claims/empirical.ts";
import { requestAdapter } from "../backends/webgpu/context.ts";

const adapter = await requestAdapter();
if (adapter === null && Deno.env.get("ICL_REQUIRE_WEBGPU") === "1") {
  Deno.test("training on webgpu: adapter required by ICL_REQUIRE_WEBGPU=1", () => {
    throw new Error("no WebGPU adapter, but ICL_REQUIRE_WEBGPU=1 requires one");
  });
} else if (adapter === null) {
  console.log("training on webgpu: tests ignored, no WebGPU adapter");
}

const gpuTest = (name: string, fn: () => Promise<void>) =>
  Deno.test({ name, ignore: adapter === null, sanitizeResources: false, sanitizeOps: false, fn });

gpuTest(
  "train lca1 on webgpu: float32 changes alpha and the test risk by < 1% of their standard errors",
  async () => {
    // The paper's sizes. The float32 effect on the estimate must be negligible next to
    // its Monte Carlo error: |alpha_gpu - alpha_cpu| < 0.01 sandwich SE, and the same
    // for the test risk against its standard error.
    const options = {
      model: "lca1" as const,
      prompts: 2000,
      context: 100,
      testPrompts: 500,
      seed: 4,
      // The CPU run must draw the tokens the kernels draw (not the exact statistics sampler).
      sampler: "tokens" as const,
    };
    const backend = await createBackend("webgpu");
    try {
      const gpu = await trainOnBackend(options, backend);
      const cpu = train(options);
      assert.equal(gpu.backend.name, "webgpu");
      assert.match(gpu.backend.adapter, /\S/);
      assert.equal(gpu.placement.trainingStep, "webgpu (float32)");
      const stats = samplePromptStatistics({
        prompts: 2000,
        context: 100,
        seed: 4,
        sampler: "tokens",
      });
      const se =
        empiricalOneParameter(spectralStatistics(stats), stats.queryLabel, 10).standardError;
      const alphaGpu = gpu.parameters.model === "lca1" ? gpu.parameters.lca.alpha : NaN;
      const alphaCpu = cpu.parameters.model === "lca1" ? cpu.parameters.lca.alpha : NaN;
      assert.ok(
        Math.abs(alphaGpu - alphaCpu) < 0.01 * se,
        `alpha ${alphaGpu} vs ${alphaCpu}, SE ${se}`,
      );
      assert.ok(
        Math.abs(gpu.testRisk.mean - cpu.testRisk.mean) < 0.01 * cpu.testRisk.standardError,
        `test risk ${gpu.testRisk.mean} vs ${cpu.testRisk.mean} ± ${cpu.testRisk.standardError}`,
      );
    } finally {
      backend.dispose();
    }
  },
);

gpuTest("train --backend webgpu names the backend and adapter in the output and JSON", async () => {
  const out: string[] = [];
  const io = { stdout: (s: string) => out.push(s), stderr: () => {}, progress: () => {} };
  const code = await main([
    "train",
    "--model",
    "lca2",
    "--prompts",
    "300",
    "--context",
    "50",
    "--test-prompts",
    "100",
    "--backend",
    "webgpu",
    "--json",
  ], io);
  assert.equal(code, 0);
  const json = JSON.parse(out.join("\n"));
  assert.equal(json.backend.name, "webgpu");
  assert.equal(json.backend.precision, "float32");
  assert.ok(json.backend.adapter.length > 0);
  assert.equal(json.placement.sampling, "webgpu (float32)");
});

Deno.test("population refuses --backend webgpu with one line and exit code 2", async () => {
  const err: string[] = [];
  const io = { stdout: () => {}, stderr: (s: string) => err.push(s), progress: () => {} };
  assert.equal(await main(["population", "--backend", "webgpu"], io), 2);
  assert.equal(err.length, 1);
  assert.match(err[0], /--backend does not apply to population/);
});

Deno.test("the schedules on a backend: fitted on its statistics, tested by its scheduleForward", async () => {
  const options = {
    model: "lca-schedule" as const,
    depth: 3,
    prompts: 300,
    context: 40,
    testPrompts: 100,
    steps: 50,
    sampler: "tokens" as const,
  };
  const backend = await createBackend("cpu");
  try {
    const result = await trainOnBackend(options, backend);
    assert.equal(result.placement.trainingStep, "cpu (float64) on the backend's statistics");
    assert.equal(result.placement.testForward, "cpu (float64), token level");
    // The CPU backend draws the same prompts as `train`: the same fit, the same test risk.
    const direct = train(options);
    assert.deepEqual(result.parameters, direct.parameters);
    assert.ok(Math.abs(result.testRisk.mean / direct.testRisk.mean - 1) < 1e-10);
    assert.ok(result.populationExcess !== undefined);
  } finally {
    backend.dispose();
  }
});

Deno.test("the softmax models on a backend: fitted and tested on the CPU tokens, as train does", async () => {
  const options = {
    model: "sca-centred" as const,
    depth: 2,
    prompts: 60,
    context: 12,
    testPrompts: 20,
    steps: 20,
  };
  const backend = await createBackend("cpu");
  try {
    const result = await trainOnBackend(options, backend);
    assert.match(result.placement.trainingStep, /^cpu \(float64\), token level/);
    assert.equal(result.placement.sampling, "cpu (float64), tokens");
    const direct = train(options);
    assert.deepEqual(result.parameters, direct.parameters);
    assert.equal(result.testRisk.mean, direct.testRisk.mean);
  } finally {
    backend.dispose();
  }
});
