import assert from "node:assert/strict";
import { createBackend, isSoftwareAdapter, selectBackend } from "./create_backend.ts";
import { CpuBackend } from "./cpu/cpu_backend.ts";
import type { WebGpuBackend } from "./webgpu/webgpu_backend.ts";
import { lsaFromGamma } from "../model/models.ts";
import { samplePromptStatistics } from "../model/prompt_statistics.ts";
import { schedulePredict, scheduleTokenPredict } from "../model/schedule_models.ts";
import { samplePromptBatch } from "../model/task.ts";
import { GpuContext, requestAdapter } from "./webgpu/context.ts";

const adapter = await requestAdapter();
const required = Deno.env.get("ICL_REQUIRE_WEBGPU") === "1";
const NO_ADAPTER = "no WebGPU adapter (navigator.gpu.requestAdapter() returned null)";
if (adapter === null) {
  if (required) {
    Deno.test("backend: WebGPU adapter required by ICL_REQUIRE_WEBGPU=1", () => {
      throw new Error(`${NO_ADAPTER}, but ICL_REQUIRE_WEBGPU=1 requires one`);
    });
  } else {
    console.log(`webgpu backend tests ignored: ${NO_ADAPTER}`);
  }
} else {
  console.log(`WebGPU adapter: ${adapter.info.description}`);
}

function gpuTest(name: string, fn: () => Promise<void>): void {
  Deno.test({ name, ignore: adapter === null, sanitizeResources: false, sanitizeOps: false, fn });
}

const small = { prompts: 3, context: 20, seed: 5 };
const lca = { alpha: 0.3, beta: -0.3, depth: 3 };

Deno.test("backend: cpu backend reports itself and wraps the reference", async () => {
  const cpu = await createBackend("cpu");
  assert.ok(cpu instanceof CpuBackend);
  assert.equal(cpu.name, "cpu");
  assert.equal(cpu.precision, "float64");
  assert.equal(typeof cpu.adapter, "string");
  const stats = await cpu.statistics(small);
  assert.deepEqual(stats.sigmaHat, samplePromptStatistics(small).sigmaHat);
  cpu.dispose();
});

Deno.test("backend: unknown backend kinds are rejected by name", async () => {
  await assert.rejects(() => createBackend("tpu" as "cpu"), RangeError);
  await assert.rejects(() => createBackend("tpu" as "cpu"), /backend must be one of/);
});

Deno.test("backend: the cpu backend chunks token passes without changing results", async () => {
  const options = { prompts: 7, context: 30, seed: 2 };
  const whole = await new CpuBackend().lcaForward(options, lca);
  const chunked = await new CpuBackend({ cpuChunkElements: 100 }).lcaForward(options, lca);
  assert.deepEqual(chunked, whole);
});

Deno.test("backend: the cpu schedule passes wrap the reference; token passes chunk alike", async () => {
  const options = { prompts: 7, context: 30, seed: 2, sampler: "tokens" as const };
  const params = { alphas: [0.5, 0.3, 0.2], betas: [0.1, -0.3, -0.2] };
  const whole = await new CpuBackend().scheduleForward(options, params);
  const chunked = await new CpuBackend({ cpuChunkElements: 100 }).scheduleForward(options, params);
  assert.deepEqual(chunked, whole);
  assert.deepEqual(whole, scheduleTokenPredict(samplePromptBatch(options), params));
  const stats = samplePromptStatistics(options);
  assert.deepEqual(
    await new CpuBackend().scheduleStatisticsForward(stats, params),
    schedulePredict(stats, params),
  );
  await assert.rejects(
    () => new CpuBackend().scheduleForward(options, { alphas: [] }),
    /^RangeError: alphas/,
  );
});

Deno.test("backend: webgpu without an adapter throws a clear Error (no CPU fallback)", async () => {
  if (!("gpu" in navigator)) {
    await assert.rejects(() => createBackend("webgpu"), /no WebGPU adapter/);
    return;
  }
  const gpu = navigator.gpu;
  const original = gpu.requestAdapter;
  // simulate a machine without adapter
  gpu.requestAdapter = () => Promise.resolve(null);
  try {
    await assert.rejects(
      () => createBackend("webgpu"),
      /webgpu backend requested but no WebGPU adapter/,
    );
    const auto = await createBackend("auto");
    assert.equal(auto.name, "cpu");
  } finally {
    gpu.requestAdapter = original;
  }
});

gpuTest("backend: auto picks WebGPU only on a hardware adapter, and says why", async () => {
  const real = await navigator.gpu.requestAdapter();
  const software = isSoftwareAdapter(
    real!.info,
    (real!.info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter,
  );
  const selection = await selectBackend("auto");
  try {
    if (software) {
      assert.equal(selection.backend.name, "cpu", selection.reason);
      assert.match(selection.reason, /software rasteriser/);
    } else {
      assert.equal(selection.backend.name, "webgpu", selection.reason);
      assert.match(selection.reason, /hardware WebGPU adapter/);
    }
  } finally {
    selection.backend.dispose();
  }
});

Deno.test("backend: auto never picks a software adapter (simulated adapters)", async () => {
  const gpu = (navigator as { gpu?: GPU }).gpu;
  if (!gpu) return; // no navigator.gpu at all: the no-adapter test above covers auto
  const original = gpu.requestAdapter;
  const fake = (info: Record<string, unknown>) => () =>
    Promise.resolve(
      { info: { vendor: "", architecture: "", device: "", ...info } } as unknown as GPUAdapter,
    );
  try {
    for (
      const info of [
        { description: "llvmpipe (LLVM 15.0.6, 256 bits)" },
        { description: "lavapipe" },
        { description: "SwiftShader Device (Subzero)" },
        { description: "Some GPU", isFallbackAdapter: true },
      ]
    ) {
      gpu.requestAdapter = fake(info);
      const selection = await selectBackend("auto");
      assert.equal(selection.backend.name, "cpu", JSON.stringify(info));
      assert.match(selection.reason, /software rasteriser/);
    }
    // control: a hardware description passes the software test (no device is created here)
    assert.equal(isSoftwareAdapter({ description: "NVIDIA H200" }, false), false);
    assert.equal(isSoftwareAdapter({ description: "llvmpipe" }, false), true);
  } finally {
    gpu.requestAdapter = original;
  }
});

gpuTest(
  "backend: bad shapes and parameters give TypeError/RangeError naming the value",
  async () => {
    const gpu = await createBackend("webgpu");
    try {
      await assert.rejects(
        () => gpu.statistics({ ...small, prompts: 0 }),
        /prompts must be a positive integer, got 0/,
      );
      await assert.rejects(() => gpu.statistics({ ...small, context: 1.5 }), RangeError);
      await assert.rejects(
        () => gpu.statistics({ ...small, seed: "1" as unknown as number }),
        TypeError,
      );
      await assert.rejects(
        () => gpu.statistics({ ...small, d1: 60, d2: 40 }),
        /d1 \+ d2 must be at most 84 on webgpu, got 100/,
      );
      await assert.rejects(
        () => gpu.lcaForward(small, { ...lca, depth: 0 }),
        /depth must be a positive integer, got 0/,
      );
      await assert.rejects(
        () => gpu.lcaForward(small, { ...lca, alpha: NaN }),
        /alpha must be a finite number/,
      );
      await assert.rejects(() => gpu.lcaForward({ ...small, context: Infinity }, lca), /context/);
      const bad = lsaFromGamma(0.2, 3);
      await assert.rejects(() => gpu.lsaForward(small, bad), /p must have length 5, got length 4/);
      const stats = samplePromptStatistics(small);
      await assert.rejects(
        () => gpu.lcaTrainer(stats, [1, 2]),
        /target must have length 3, got length 2/,
      );
    } finally {
      gpu.dispose();
    }
  },
);

gpuTest("backend: repeated operations do not grow the pool's live buffers", async () => {
  const gpu = await createBackend("webgpu") as WebGpuBackend;
  try {
    const stats = samplePromptStatistics(small);
    const run = async () => {
      await gpu.statistics(small);
      await gpu.lcaForward(small, lca);
      await gpu.lcaForward(small, lca, { withoutSkipStream: true });
      await gpu.lsaForward(small, lsaFromGamma(0.2, 4));
      await gpu.deepLsaForward(small, lca);
      const trainer = await gpu.lcaTrainer(stats, stats.queryLabel);
      await trainer.lossAndGradient(lca);
      await trainer.lossAndGradient(lca);
      trainer.dispose();
      await assert.rejects(() => trainer.lossAndGradient(lca), /disposed/);
    };
    await run();
    const first = gpu.gpu.poolStats();
    assert.equal(first.liveBuffers, 0);
    assert.equal(first.liveBytes, 0);
    for (let i = 0; i < 3; i++) await run();
    const after = gpu.gpu.poolStats();
    assert.equal(after.liveBuffers, 0);
    assert.equal(after.liveBytes, 0);
    assert.equal(after.pooledBytes, first.pooledBytes, "the pool reuses its buffers");
    assert.equal(after.created, first.created, "no new buffers after the first round");
    // an operation that fails midway releases its buffers too
    await assert.rejects(() => gpu.lcaForward(small, { ...lca, depth: -1 }));
    assert.equal(gpu.gpu.poolStats().liveBuffers, 0);
  } finally {
    gpu.dispose();
  }
});

gpuTest("backend: WGSL compilation errors name the line and column", async () => {
  const ctx = await GpuContext.create();
  try {
    const source = "@compute @workgroup_size(1)\nfn main() {\n  let x: u32 = 1.5;\n}\n";
    await assert.rejects(() => ctx.pipeline(source, "broken"), (error: Error) => {
      assert.match(error.message, /WGSL compilation failed/);
      assert.match(error.message, /broken:3:\d+: error/);
      assert.match(error.message, /let x: u32 = 1\.5;/);
      return true;
    });
    assert.equal(ctx.pipelineCount, 0, "failed pipelines are not cached");
  } finally {
    ctx.dispose();
  }
});

gpuTest("backend: device loss gives a clear error", async () => {
  const gpu = await createBackend("webgpu") as WebGpuBackend;
  await gpu.statistics(small);
  gpu.gpu.device.destroy();
  await gpu.gpu.device.lost;
  await assert.rejects(() => gpu.statistics(small), /WebGPU device lost \(reason: destroyed\)/);
  await assert.rejects(() => gpu.lcaForward(small, lca), /create a new backend/);
  gpu.dispose();
  await assert.rejects(() => gpu.statistics(small), /disposed/);
});

gpuTest("backend: the pipeline cache compiles each kernel once", async () => {
  const gpu = await createBackend("webgpu") as WebGpuBackend;
  try {
    await gpu.lcaForward(small, lca);
    const count = gpu.gpu.pipelineCount;
    await gpu.lcaForward({ ...small, seed: 9 }, { ...lca, depth: 5 });
    assert.equal(gpu.gpu.pipelineCount, count);
  } finally {
    gpu.dispose();
  }
});
