/**
 * Parity of the WebGPU softmax trainer (float32, `src/backends/webgpu/softmax_train_kernels.ts`)
 * with the float64 reference `softmaxLoss` (loss and per-layer gradient in alpha_t, beta_t,
 * tau_t).
 *
 * The tolerance (`softmaxGradientTolerance`, testkit/softmax_float32_bounds.ts) is derived, not
 * tuned. The forward pass is the one of props/webgpu_softmax_parity_test.ts, whose bound gives
 * per layer eps_i (scores), kappa_i (normalised weights), e_A and e_v, and e_mu and e_pred. The
 * reverse pass is bounded with pairs (lo, hi) per quantity: lo the abs-valued evaluation on the
 * exact trace (>= the exact |value|), hi an upper bound of the computed |value| with lo + the
 * error <= hi, so that the error is at most hi - lo. Inputs: |x_j| -> (X, X + delta), |x_q|
 * likewise, A_t -> (|A|, |A| + e_A), v -> (|v|, |v| + e_v), s_j -> (|tau r_j|, |tau r_j| + eps_j),
 * p_j -> (p_j, p_j (1 + kappa_j) (1 + gamma_{L+1})) (the kernel divides w_j by the computed z),
 * w_t = beta_t / tau_t -> (|beta|/tau, (|beta| (1 + u) + F) (1 + u) / (tau (1 - u))), g_T = mu_hat
 * -> (|mu|, |mu| + e_mu). Rules: a dot product of K fma: lo = sum lo lo, hi = (1 + gamma_K) sum
 * hi hi (|ab - a~b~| <= |a| |b - b~| + |b~| |a - a~| <= hi_a hi_b - lo_a lo_b); a sum adds both;
 * each rounding multiplies hi by (1 + u). Per layer (top down): d/dalpha = g . x_q (d fma);
 * g . v and g . A (d fma); d/dbeta = g . v / tau (2 roundings with tau's upload); the first
 * tau term w g . v / tau (4); e_j = w p_j (g . x_j - g . A) (3 more); sum_j e_j s_j (L fma),
 * divided by tau and added (3); g <- g + tau sum_j e_j x_j (L fma, 3). The host reads the
 * float32 y_hat_n and derivatives and forms, in float64 against the float64 targets,
 * l = (1/N) sum res_n^2 and grad = (2/N) sum res_n dy_n: |l~ - l| <= (1/N) sum (2 |res| e_pred +
 * e_pred^2) and |grad~ - grad| <= (2/N) sum ((|res| + e_pred) hi_dy - |res| lo_dy).
 *
 * Controls injected into the WGSL through the pipeline cache: the softmax Jacobian without its
 * mean term (e_j = w p_j g . x_j), and the adjoint update of q with layer t + 1's tau, both
 * fail; and the float64 gradient with one tau changed by a relative 5e-2 leaves the tolerance
 * (the bound is looser than the forward one: a change of 1e-2 stays inside it).
 *
 * @module
 */

import assert from "node:assert/strict";
import { CpuBackend } from "../src/backends/cpu/cpu_backend.ts";
import { SOFTMAX_SPAN } from "../src/backends/webgpu/softmax_kernels.ts";
import type { SampleOptions } from "../src/model/model_types.ts";
import type { SoftmaxParameters } from "../src/model/softmax_models.ts";
import { softmaxLoss } from "../src/model/softmax_loss.ts";
import { samplePromptBatch } from "../src/model/task.ts";
import { fc, fcParameters } from "../testkit/config.ts";
import {
  integerTuple,
  largestExcursion,
  openParityChecks,
  softmaxParityCases,
  tokenSampleOptions,
  withKernelMutation,
} from "../testkit/parity_kit.ts";
import { softmaxGradientTolerance } from "../testkit/softmax_float32_bounds.ts";

const { backend, gpuTest, within, reportWorst } = await openParityChecks(
  "webgpu softmax trainer parity",
);

/** The targets of a sample: its query labels. */
const labels = (options: SampleOptions) => Float64Array.from(samplePromptBatch(options).queryLabel);

/** Trainer parity of one case (throws when outside the tolerance). */
async function checkTrainer(options: SampleOptions, params: SoftmaxParameters): Promise<void> {
  const target = labels(options);
  const trainer = await backend!.softmaxTrainer(options, target);
  try {
    const gpu = await trainer.lossAndGradient(params);
    const batch = samplePromptBatch(options);
    const ref = softmaxLoss(batch, target, params);
    const tol = softmaxGradientTolerance(batch, target, params);
    within("loss", [gpu.loss], [ref.loss], [tol.loss]);
    within("alphas", gpu.alphas, ref.alphas, tol.alphas);
    within("betas", gpu.betas, ref.betas, tol.betas);
    within("taus", gpu.taus, ref.taus, tol.taus);
  } finally {
    trainer.dispose();
  }
}

const params2 = { alphas: [0.45, 0.3], betas: [0.2, -0.25], taus: [0.5, 3], centred: true };

Deno.test("softmax trainer: the CPU backend's is softmaxLoss on the sampled prompts", async () => {
  const options = tokenSampleOptions(5, 20, 4, 1);
  const trainer = await new CpuBackend().softmaxTrainer(options, labels(options));
  assert.equal(trainer.prompts, 5);
  const ref = softmaxLoss(samplePromptBatch(options), labels(options), params2);
  assert.deepEqual(await trainer.lossAndGradient(params2), ref);
  await assert.rejects(() => new CpuBackend().softmaxTrainer(options, [1]), /target/);
});

gpuTest("webgpu softmax trainer parity: loss and gradient match softmaxLoss", async () => {
  const cases = softmaxParityCases(integerTuple([[1, 8], [1, 200], [2, 12], [1, 5]]), false);
  await fc.assert(
    fc.asyncProperty(cases, async ([options, params]) => {
      await checkTrainer(options, params);
    }),
    fcParameters(20),
  );
});

gpuTest("webgpu softmax trainer parity: a context over a span; reuse; disposal", async () => {
  await checkTrainer(tokenSampleOptions(2, 1.5 * SOFTMAX_SPAN, 3, 6), params2);
  const options = tokenSampleOptions(3, 40, 4, 2);
  const trainer = await backend!.softmaxTrainer(options, labels(options));
  const first = await trainer.lossAndGradient(params2);
  await trainer.lossAndGradient({ alphas: [0.1], betas: [0.1], taus: [1] }); // another depth
  assert.deepEqual(await trainer.lossAndGradient(params2), first); // the tokens are kept
  trainer.dispose();
  trainer.dispose();
  await assert.rejects(() => trainer.lossAndGradient(params2), /disposed/);
  await assert.rejects(() => backend!.softmaxTrainer(options, [1, 2]), /target/);
});

gpuTest("webgpu softmax trainer parity: controls (Jacobian mean; tau of t + 1)", async () => {
  const options = tokenSampleOptions(4, 64, 4, 5);
  const params = { alphas: [0.45, 0.3, 0.2], betas: [0.2, -0.25, -0.1], taus: [0.5, 3, 1] };
  await checkTrainer(options, params);
  await withKernelMutation(
    backend!,
    "trainer",
    "(gx - state[n * S + OGA])",
    "gx",
    () => assert.rejects(() => checkTrainer(options, params), /\|err\|/),
  );
  await withKernelMutation(
    backend!,
    "trainer",
    "state[n * S + OG + c] + layers[t].z * acc",
    "state[n * S + OG + c] + layers[min(t + 1u, T - 1u)].z * acc",
    () => assert.rejects(() => checkTrainer(options, params), /\|err\|/),
  );
  const batch = samplePromptBatch(options), target = labels(options);
  const ref = softmaxLoss(batch, target, params);
  const moved = softmaxLoss(batch, target, { ...params, taus: [0.5, 3.15, 1] });
  const tol = softmaxGradientTolerance(batch, target, params);
  const excursion = Math.max(
    largestExcursion(moved.taus, ref.taus, tol.taus),
    largestExcursion(moved.betas, ref.betas, tol.betas),
  );
  console.log(`tau_2 off by 5e-2: ${excursion.toFixed(1)} tolerances`);
  assert.ok(excursion > 1, `excursion ${excursion}`);
});

reportWorst("webgpu softmax trainer parity: report of the largest error / tolerance ratio");
