/**
 * CPU (float64) vs WebGPU (float32) benchmarks: `deno bench -A bench/webgpu_bench.ts`.
 * The device is acquired once, outside the timed region; GPU timings include the
 * readback and await `device.queue.onSubmittedWorkDone()`. Set `ICL_BENCH_LARGE=1`
 * for N = L = 4096, d = 64 (minutes on a software adapter).
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
if (gpu === null) console.log("webgpu benchmarks ignored: no WebGPU adapter");
else console.log(`WebGPU adapter: ${gpu.adapter}`);

const large = largeEnabled();
for (const c of benchCases()) {
  if (c.large && !large) continue;
  for (const backend of [cpu, gpu] as (Backend | null)[]) {
    if (backend === null) continue;
    const prepared = await prepareCase(backend, c);
    await prepared.run(); // compile pipelines and warm the pool outside the timed region
    Deno.bench({
      name: `${backend.name}: ${c.name}`,
      group: c.name,
      baseline: backend.name === "cpu",
      n: c.large ? 1 : undefined,
      warmup: c.large ? 0 : undefined,
      async fn() {
        await prepared.run();
        if (backend === gpu) await gpu.gpu.device.queue.onSubmittedWorkDone();
      },
    });
  }
}
