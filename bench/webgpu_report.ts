/**
 * Measures the benchmark cases once per backend (after one warm-up run that compiles
 * the pipelines; for the large cases the warm-up runs a small copy with the same d) and prints a markdown table: time, prompts/s, effective GFLOP/s
 * (useful arithmetic only, FMA = 2), GPU bytes allocated by the pool (peak) and the
 * process RSS. `deno run -A bench/webgpu_report.ts`; `ICL_BENCH_LARGE=1` adds the
 * N = L = 4096, d = 64 cases.
 *
 * @module
 */

import type { Backend } from "../src/backends/backend.ts";
import { createBackend } from "../src/backends/create_backend.ts";
import type { WebGpuBackend } from "../src/backends/webgpu/webgpu_backend.ts";
import { requestAdapter } from "../src/backends/webgpu/context.ts";
import { benchCases, largeEnabled, prepareCase } from "./webgpu_cases.ts";

const cpu = await createBackend("cpu");
const gpu = (await requestAdapter()) === null
  ? null
  : await createBackend("webgpu") as WebGpuBackend;
const large = largeEnabled();
const skipCpuLarge = Deno.env.get("ICL_BENCH_SKIP_CPU_LARGE") === "1";

const mib = (b: number) => (b / 2 ** 20).toFixed(1);
console.log(`WebGPU adapter: ${gpu === null ? "none" : gpu.adapter}; CPU: float64 reference`);
console.log();
console.log(
  "| case | backend | time (s) | prompts/s | GFLOP/s | GPU pool peak (MiB) | RSS (MiB) |",
);
console.log("|---|---|---:|---:|---:|---:|---:|");
for (const c of benchCases()) {
  if (c.large && !large) continue;
  for (const backend of [cpu, gpu] as (Backend | null)[]) {
    if (backend === null) continue;
    if (backend === cpu && c.large && skipCpuLarge) continue;
    const prepared = await prepareCase(backend, c);
    if (!c.large) await prepared.run();
    else if (backend === gpu) {
      // Compile the pipelines (keyed by d only) on a small copy of the case.
      const small = await prepareCase(backend, { ...c, prompts: 8, context: 256 });
      await small.run();
      small.dispose();
    }
    gpu?.gpu.trim();
    gpu?.gpu.resetPeak();
    const start = performance.now();
    await prepared.run();
    if (backend === gpu) await gpu.gpu.device.queue.onSubmittedWorkDone();
    const seconds = (performance.now() - start) / 1000;
    const rss = Deno.memoryUsage().rss;
    const peak = backend === gpu ? mib(gpu.gpu.poolStats().peakBytes) : "-";
    prepared.dispose();
    // The CPU's statistics (exact Wishart sampler) and training step (spectral) do not do the
    // token-level arithmetic that GFLOP/s counts: "-" there.
    const statistics = c.name.startsWith("statistics");
    const step = c.name.startsWith("lca train step");
    const label = backend === cpu
      ? (statistics ? "cpu (exact sampler)" : step ? "cpu (spectral)" : "cpu")
      : (step ? "webgpu (token-level)" : "webgpu");
    const gflops = backend === cpu && (statistics || step)
      ? "-"
      : (c.flops / seconds / 1e9).toFixed(2);
    console.log(
      `| ${c.name} | ${label} | ${seconds.toFixed(3)} | ${
        (c.prompts / seconds).toFixed(0)
      } | ${gflops} | ${peak} | ${mib(rss)} |`,
    );
  }
}
gpu?.dispose();
