import assert from "node:assert/strict";
import {
  SOFTMAX_SPAN,
  softmaxChunkPrompts,
  softmaxKernelWgsl,
  softmaxLayers,
} from "./softmax_kernels.ts";

Deno.test("softmaxChunkPrompts: the chunk's tokens fit the binding, at most 65535 prompts", () => {
  assert.equal(softmaxChunkPrompts(10, 100, 4, 2 ** 30), 10);
  // 64 MiB cap whatever the device allows: 2^26 / (16384 * 5 * 4) = 204
  assert.equal(softmaxChunkPrompts(1000, SOFTMAX_SPAN, 4, 2 ** 30), 204);
  assert.equal(softmaxChunkPrompts(1000, SOFTMAX_SPAN, 4, 2 ** 20), 3);
  assert.equal(softmaxChunkPrompts(5, 2 ** 20, 84, 1024), 1); // never 0
  assert.equal(softmaxChunkPrompts(1e6, 1, 2, 2 ** 30), 65535);
});

Deno.test("softmaxLayers: validates and packs (alpha, beta, tau, centred)", () => {
  assert.deepEqual([...softmaxLayers({ alphas: [1], betas: [2], taus: [3] })], [1, 2, 3, 0]);
  assert.throws(() => softmaxLayers({ alphas: [1], betas: [2], taus: [-1] }), /^RangeError: taus/);
  assert.throws(() => softmaxLayers({ alphas: [1, 2], betas: [2], taus: [1] }), /betas/);
});

Deno.test("softmaxKernelWgsl: the accessors the parity controls replace, one write per column", () => {
  const src = softmaxKernelWgsl(5);
  assert.ok(src.includes("fn layer_tau(t: u32) -> f32 { return layers[t].z; }"));
  assert.ok(src.includes("fn shifted_exp(s: f32, m: f32) -> f32 { return exp(s - m); }"));
  assert.equal(src.match(/tokens\[o \+ \d+u\] = /g)?.length, 6); // x_1..x_5 and y
  assert.ok(src.includes("const S: u32 = 22u;")); // q, x_bar, mu_hat, A (5 each), z, m
});
