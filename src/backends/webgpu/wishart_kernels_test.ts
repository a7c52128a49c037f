/**
 * The exact sampler's kernels: the context lengths are validated before the device is touched,
 * and the WGSL carries the CPU's stream layout (tags, gamma blocks, the series form of the
 * acceptance bound). Parity with the CPU is `props/webgpu_sampler_parity_test.ts`.
 */
import assert from "node:assert/strict";
import { resolveSample, sampleTaskBatch } from "../../model/task.ts";
import { StreamTag } from "../../numeric/random.ts";
import type { GpuContext } from "./context.ts";
import { sampleWishartStatisticsGpu } from "./wishart_kernels.ts";
import { WISHART_GAMMA_BLOCKS, wishartFactorKernelWgsl } from "./wishart_wgsl.ts";

/** A device stand-in that records whether the sampler reached it. */
function fakeGpu(): { gpu: GpuContext; reached: () => boolean } {
  let reached = false;
  const gpu = {
    run: () => {
      reached = true;
      return Promise.reject(new Error("no device in this test"));
    },
  } as unknown as GpuContext;
  return { gpu, reached: () => reached };
}

Deno.test("sampleWishartStatisticsGpu: context lengths are validated before the device", async () => {
  const sample = resolveSample({ prompts: 2, context: 10, seed: 1 });
  const tasks = sampleTaskBatch(sample);
  for (const contexts of [[], [0], [5, 5], [7, 3], [2.5], [2 ** 31 + 1]]) {
    const { gpu, reached } = fakeGpu();
    await assert.rejects(
      () => sampleWishartStatisticsGpu(gpu, sample, tasks, contexts),
      (e: Error) =>
        e instanceof RangeError &&
        /^contexts must be (strictly increasing|a non-empty)/.test(e.message),
    );
    assert.equal(reached(), false, JSON.stringify(contexts));
  }
  // Control: valid nested lengths reach the device.
  const { gpu, reached } = fakeGpu();
  await assert.rejects(() => sampleWishartStatisticsGpu(gpu, sample, tasks, [3, 10, 2 ** 31]));
  assert.equal(reached(), true);
});

Deno.test("wishart WGSL: the CPU's tags and gamma blocks, and the series form of the bound", () => {
  const wgsl = wishartFactorKernelWgsl(6);
  assert.match(wgsl, new RegExp(`TAG_WISHART_NORMAL: u32 = ${StreamTag.wishartNormal}u;`));
  assert.match(wgsl, new RegExp(`TAG_WISHART_GAMMA: u32 = ${StreamTag.wishartGamma}u;`));
  assert.match(wgsl, new RegExp(`GAMMA_BLOCKS: u32 = ${WISHART_GAMMA_BLOCKS}u;`));
  assert.equal(WISHART_GAMMA_BLOCKS, 1024);
  assert.match(wgsl, /if \(abs\(y\) <= 0\.25\) \{/);
  // Control: another p gives another kernel.
  assert.notEqual(wgsl, wishartFactorKernelWgsl(7));
});

Deno.test("the series of the acceptance bound equals its direct form in float64", () => {
  // B(x) = x^2 / 2 + dd (1 - v + ln v), v = (1 + y)^3, y = c x, c = 1 / sqrt(9 dd), against the
  // kernel's 3 dd y^4 sum_{k=4}^{18} (-1)^(k+1) y^(k-4) / k, evaluated by the same Horner loop.
  const series = (y: number, dd: number) => {
    let s = 0;
    for (let k = 18; k >= 4; k--) s = s * y + (k % 2 === 1 ? 1 / k : -1 / k);
    return 3 * dd * y ** 4 * s;
  };
  for (const dd of [1 / 6, 2, 50]) {
    const c = 1 / Math.sqrt(9 * dd);
    for (const x of [-5, -1, -0.3, 0.2, 1, 4]) {
      const y = c * x;
      if (Math.abs(y) > 0.25) continue;
      const v = (1 + y) ** 3;
      const direct = 0.5 * x * x + dd * (1 - v + Math.log(v));
      const tol = 1e-9 * Math.abs(direct) + 1e-13 * (x * x / 2 + dd * (1 + v));
      assert.ok(Math.abs(series(y, dd) - direct) <= tol, `dd ${dd}, x ${x}`);
    }
  }
  // Control: the first omitted order (k = 3) breaks the agreement.
  const dd = 2, c = 1 / Math.sqrt(9 * dd), y = c * 1, v = (1 + y) ** 3;
  const direct = 0.5 + dd * (1 - v + Math.log(v));
  assert.ok(Math.abs(series(y, dd) + dd * y ** 3 - direct) > 1e-6);
});
