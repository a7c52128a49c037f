import assert from "node:assert/strict";
import {
  softmaxTrainKernelWgsl,
  softmaxTrainStride,
  trainOutputs,
} from "./softmax_train_kernels.ts";

Deno.test("softmaxTrainStride / trainOutputs: the per-prompt layout", () => {
  // q_0..q_3, A_1..A_3, running sum, g: 9 vectors of d = 5; z_1..z_3; max, g.A, d/dtau, sum e s
  assert.equal(softmaxTrainStride(5, 3), 9 * 5 + 3 + 4);
  assert.equal(trainOutputs(3), 10);
});

Deno.test("softmaxTrainKernelWgsl: offsets of the state and the accessors the controls replace", () => {
  const src = softmaxTrainKernelWgsl(5, 3);
  assert.ok(src.includes("const S: u32 = 52u;"));
  assert.ok(src.includes("const OA: u32 = 20u;")); // after q_0..q_3
  assert.ok(src.includes("const OZ: u32 = 45u;")); // after A, the running sum and g
  assert.ok(src.includes("(gx - state[n * S + OGA])")); // the softmax Jacobian's mean term
  assert.ok(src.includes("state[n * S + OG + c] + layers[t].z * acc"));
  assert.equal(src.match(/@binding\(\d\)/g)?.length, 9); // 8 storage buffers + the uniform
});
